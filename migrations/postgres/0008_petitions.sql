-- Petitions across meetings (tổng hợp ý kiến, kiến nghị cử tri, domain-vn.md §2.5): a round's
-- opinions become petitions, duplicates are merged (each petition keeps links to all its source
-- opinions), each is routed to a competent body and gets official answers; unanswered ones are
-- carried to the next round. A round is (term, session_number, timing). Instants are Unix ms;
-- codes are those of app/src/domain/petition.rs and app/src/domain/meeting.rs.

-- Opening and closing days of a session, which the answer deadlines are counted from.
create table council_sessions (
    term text not null,                       -- khóa, e.g. 'XVI'
    session_number bigint not null check (session_number > 0),
    opens_at_ms bigint not null,             -- 00:00 Vietnam time of the opening day
    closes_at_ms bigint not null,            -- 00:00 Vietnam time of the closing day
    updated_at_ms bigint not null,
    primary key (term, session_number),
    check (closes_at_ms >= opens_at_ms)
);

create table petitions (
    id bigint generated always as identity primary key,
    term text not null,
    session_number bigint not null check (session_number > 0),
    timing text not null check (timing in ('before', 'after')), -- the round's meetings
    field text not null,                      -- lĩnh vực code
    competent_level text not null check (competent_level in ('xa', 'tinh', 'trung_uong')),
    content text not null,                    -- the wording reported; the first source opinion's at first
    competent_body text not null default '',  -- cơ quan có thẩm quyền it was routed to
    status text not null default 'collected'
        check (status in ('collected', 'routed', 'answered', 'merged', 'carried')),
    merged_into_id bigint references petitions (id), -- set when status = 'merged'
    carried_from_id bigint references petitions (id), -- the previous round's unanswered petition
    routed_at_ms bigint,
    created_by text not null,
    created_at_ms bigint not null,
    updated_at_ms bigint not null
);
create index petitions_by_round on petitions (term, session_number, timing);

-- Which opinions a petition stands for; an opinion feeds exactly one petition, and a merge
-- moves the absorbed petition's links to the one kept.
create table petition_sources (
    opinion_id bigint primary key references opinions (id),
    petition_id bigint not null references petitions (id)
);
create index petition_sources_by_petition on petition_sources (petition_id);

-- Official answers (văn bản trả lời), newest last; the latest one is the petition's outcome.
create table petition_answers (
    id bigint generated always as identity primary key,
    petition_id bigint not null references petitions (id),
    outcome text not null check (outcome in ('resolved', 'in_progress', 'roadmap')),
    content text not null,
    roadmap text not null default '',         -- lộ trình, when the outcome is 'roadmap'
    document_number text not null,            -- số văn bản, e.g. '125/UBND-KT'
    document_date_ms bigint not null,        -- 00:00 Vietnam time of the issue date
    signer text not null,                     -- người ký: name and title
    answering_body text not null default '',  -- cơ quan trả lời
    created_by text not null,
    created_at_ms bigint not null
);
create index petition_answers_by_petition on petition_answers (petition_id);
