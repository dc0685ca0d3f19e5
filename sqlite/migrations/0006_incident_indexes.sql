-- Incident lists are ordered by date, newest first; these indexes let a page
-- at any offset, and the common filters, walk an index instead of sorting
-- whole rows (docs/web.md).
CREATE INDEX incidents_order ON incidents(date_earliest DESC, id DESC);
CREATE INDEX incidents_review_order ON incidents(review, date_earliest DESC, id DESC);
CREATE INDEX incidents_gov_order ON incidents(governorate, date_earliest DESC, id DESC);
CREATE INDEX incidents_type_order ON incidents(event_type, date_earliest DESC, id DESC);
