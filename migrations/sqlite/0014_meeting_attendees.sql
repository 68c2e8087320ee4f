-- Voters who sign in by name at a meeting (optional: many meetings keep only the count of those
-- present). The minutes list them and give their composition by khóm/tổ and by gender. A name
-- is signed once per address: the folded columns (lower case, without diacritics) catch the
-- same person typed twice.
create table meeting_attendees (
    id integer primary key,
    meeting_id integer not null references meetings (id),
    full_name text not null,                  -- NFC, as signed
    name_folded text not null,
    address text not null default '',         -- khóm/tổ dân phố
    address_folded text not null default '',
    gender text not null default '' check (gender in ('', 'nam', 'nu')), -- '' when not given
    created_by text not null,
    created_at_ms integer not null
);
create unique index meeting_attendees_once
    on meeting_attendees (meeting_id, name_folded, address_folded);
