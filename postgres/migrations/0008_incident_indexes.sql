-- Incident lists are ordered by date, newest first (see the SQLite twin).
CREATE INDEX IF NOT EXISTS incidents_review_order ON incidents(review, date_earliest DESC, id DESC);
CREATE INDEX IF NOT EXISTS incidents_gov_order ON incidents(governorate, date_earliest DESC, id DESC);
CREATE INDEX IF NOT EXISTS incidents_type_order ON incidents(event_type, date_earliest DESC, id DESC);
