-- The full-text index now holds text folded for search (Arabic hamza and
-- alef forms, taa marbuta, alef maqsura, tatweel and diacritics; Latin case
-- and accents): it is emptied here and rebuilt from the documents when the
-- store opens (sqlite.Open reindexes whenever the index and the documents
-- disagree).
DELETE FROM documents_fts;
