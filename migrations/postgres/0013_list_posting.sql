-- The day the voter list was posted (niêm yết, Điều 32): complaints run for 30 days from it.
-- It is a calendar day the ward reports (often entered afterwards), not the moment it was typed,
-- so a date replaces the never-set instant column.
alter table elections drop column posted_at_ms;
alter table elections add column posted_on text; -- ISO date; null until the list is posted
