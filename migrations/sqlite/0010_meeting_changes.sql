-- Plans change after they are made, and finalised minutes get corrected. A cancelled meeting is
-- kept (with who, when and why) and no longer holds its deputies or venue. Each finalisation of
-- the minutes is kept as an immutable numbered version; a correction reopens the record with a
-- reason until it is finalised again as the next version.

alter table meetings add column cancelled_at_ms integer; -- null unless cancelled
alter table meetings add column cancelled_by text;
alter table meetings add column cancel_reason text;
alter table meetings add column correction_reason text;  -- set while a correction is open

create table meeting_minutes_versions (
    meeting_id integer not null references meetings (id),
    version integer not null check (version > 0), -- 1 = first finalisation, N = correction N-1
    reason text not null default '',           -- why it was corrected; empty for version 1
    created_by text not null,
    created_at_ms integer not null,
    record text not null,                       -- JSON of the record (meeting, opinions, answers) as finalised
    primary key (meeting_id, version)
);
