-- A record's own history (a voter's amendments, check-in and undo; an area's corrections) is
-- read by its entity, newest first.
create index audit_by_entity on audit_log (entity, seq);
