-- Deputy–voter meetings (hội nghị tiếp xúc cử tri): deputies, venues, meeting plans, the
-- deputies attending, and what was said (opinions and petitions, answers). Instants are Unix ms;
-- codes are the stable codes of app/src/domain/meeting.rs.

create table deputies (
    id bigint generated always as identity primary key,
    full_name text not null,                  -- NFC
    level text not null check (level in ('dbqh', 'hdnd_tinh', 'hdnd_xa')),
    position text not null default '',        -- e.g. 'Phó Chủ tịch UBND tỉnh'
    constituency text not null default '',    -- đơn vị bầu cử
    deputy_group text not null default '',    -- tổ đại biểu
    contact text not null default '',         -- phone or e-mail as the office writes it
    created_at_ms bigint not null,
    updated_at_ms bigint not null
);

create table venues (
    id bigint generated always as identity primary key,
    name text not null,                       -- e.g. 'Nhà văn hóa khóm 3'
    address text not null default '',
    capacity bigint not null default 0 check (capacity >= 0), -- seats; 0 when unknown
    created_at_ms bigint not null,
    updated_at_ms bigint not null
);

create table meetings (
    id bigint generated always as identity primary key,
    title text not null,                      -- short name used in lists and refusals, e.g. 'Khóm 3'
    term text not null,                       -- khóa, e.g. 'XVI'
    session_number bigint not null check (session_number > 0), -- kỳ họp thứ …
    timing text not null check (timing in ('before', 'after')), -- trước/sau kỳ họp
    kind text not null check (kind in ('regular', 'thematic', 'group')),
    format text not null check (format in ('in_person', 'online', 'hybrid')),
    starts_at_ms bigint not null,
    ends_at_ms bigint not null,              -- exclusive: a meeting ending 10:00 and one starting 10:00 do not overlap
    venue_id bigint references venues (id),  -- null for online meetings
    areas text not null default '',           -- khóm/ấp/tổ dân phố invited
    chair text not null default '',           -- chủ trì: name and title
    secretary text not null default '',       -- thư ký: name and title
    invited_count bigint not null default 0 check (invited_count >= 0),
    present_count bigint check (present_count >= 0), -- null until attendance is recorded
    other_attendees text not null default '', -- officials and representatives present
    content_reported text not null default '', -- who reported what
    ended_at_ms bigint,                      -- when the meeting actually ended (closing line)
    notes text not null default '',
    status text not null default 'draft' check (status in ('draft', 'held', 'finalised')),
    finalised_at_ms bigint,
    finalised_by text,
    created_by text not null,
    created_at_ms bigint not null,
    updated_at_ms bigint not null,
    check (ends_at_ms > starts_at_ms)
);
create index meetings_by_start on meetings (starts_at_ms);
create index meetings_by_venue on meetings (venue_id, starts_at_ms);

create table meeting_deputies (
    meeting_id bigint not null references meetings (id),
    deputy_id bigint not null references deputies (id),
    primary key (meeting_id, deputy_id)
);
create index meeting_deputies_by_deputy on meeting_deputies (deputy_id, meeting_id);

-- Ý kiến, kiến nghị: one numbered item of the minutes each.
create table opinions (
    id bigint generated always as identity primary key,
    meeting_id bigint not null references meetings (id),
    number bigint not null check (number > 0), -- item number within the meeting
    speaker text not null,
    address text not null default '',         -- khóm/tổ of the speaker
    field text not null,                      -- lĩnh vực code
    content text not null,
    competent_level text not null check (competent_level in ('xa', 'tinh', 'trung_uong')),
    repeats_opinion_id bigint references opinions (id), -- an earlier petition this repeats
    created_by text not null,
    created_at_ms bigint not null,
    unique (meeting_id, number)
);

-- Ý kiến giải trình, tiếp thu at the meeting, each linked to the item it answers.
create table answers (
    id bigint generated always as identity primary key,
    opinion_id bigint not null references opinions (id),
    answered_by text not null,                -- deputy or official, name and title
    content text not null,
    created_by text not null,
    created_at_ms bigint not null
);
create index answers_by_opinion on answers (opinion_id);
