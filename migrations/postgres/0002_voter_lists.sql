-- Voter lists: the ward, its elections, polling areas, households and voters, and the
-- complaints register. Dates without time are ISO text 'YYYY-MM-DD'; instants are Unix ms.

create table ward (
    id bigint primary key check (id = 1),    -- one ward per installation
    name text not null,                       -- e.g. 'Phường Mỹ Thới'
    province text not null,                   -- e.g. 'Tỉnh An Giang'
    updated_at_ms bigint not null
);

create table elections (
    id bigint generated always as identity primary key,
    name text not null,                       -- e.g. 'Bầu cử ĐBQH khóa XVI và HĐND các cấp nhiệm kỳ 2026–2031'
    election_day text not null,               -- ISO date; the age rule counts to this day
    levels bigint not null check (levels between 1 and 7), -- 1 Quốc hội, 2 HĐND tỉnh, 4 HĐND xã
    posted_at_ms bigint,                     -- list posted: from then on only amendments, STT never renumbered
    created_at_ms bigint not null
);

create table polling_areas (
    id bigint generated always as identity primary key,
    election_id bigint not null references elections (id),
    number bigint not null check (number > 0), -- 'Khu vực bỏ phiếu số N'
    name text not null,                       -- e.g. 'Khóm Thới An'
    address text not null default '',         -- where the polling station is
    opens_at text not null default '07:00',
    closes_at text not null default '19:00',
    voting_day text,                          -- ISO date when it differs (early voting in remote areas)
    levels bigint not null check (levels between 1 and 7),
    unique (election_id, number)
);

create table households (
    id bigint generated always as identity primary key,
    polling_area_id bigint not null references polling_areas (id),
    label text not null,                      -- household key as the office writes it (số hộ or address)
    position bigint not null,                -- order of households in the area's list
    unique (polling_area_id, label)
);

create table voters (
    id bigint generated always as identity primary key,
    election_id bigint not null references elections (id), -- = the area's election; keys per-election uniqueness
    polling_area_id bigint not null references polling_areas (id),
    stt bigint not null check (stt > 0),     -- row number in the area's list = voter-card number
    household_id bigint references households (id),
    is_head bigint not null default 0 check (is_head in (0, 1)),
    full_name text not null,                  -- NFC, exactly as given
    name_folded text collate "C" not null,    -- lowercase, no diacritics, đ→d: the search key (bytewise order for prefix ranges)
    birth_year bigint not null,
    birth_month bigint,                      -- null when only the year is known
    birth_day bigint,                        -- null when the day is unknown
    gender text not null check (gender in ('nam', 'nu')),
    ethnicity text not null default '',
    occupation text not null default '',
    cccd text,                                -- 12 digits; null when not recorded
    permanent_address text not null default '',
    temporary_address text not null default '',
    temporary_since text,                     -- ISO date; decides the ballot levels
    levels bigint not null check (levels between 0 and 7), -- ballots this voter receives
    status text not null default 'active' check (status in ('active', 'removed', 'elsewhere')),
    status_reason text not null default '',   -- why removed / note for voting elsewhere
    certificate_no text not null default '',  -- 'giấy chứng nhận bỏ phiếu ở nơi khác' number
    notes text not null default '',
    card_code text not null unique,           -- random code printed as QR on the voter card (not the CCCD)
    import_id bigint,                        -- the import that created the row, if any
    created_at_ms bigint not null,
    updated_at_ms bigint not null,
    unique (polling_area_id, stt)
);
create unique index voters_unique_cccd on voters (election_id, cccd) where cccd is not null;
create index voters_by_area_name on voters (polling_area_id, name_folded);
create index voters_by_name on voters (election_id, name_folded);
create index voters_by_household on voters (household_id);

-- Each folded word of each voter's name, so a search can start from the rarest word typed
-- ("ng v an" starts from the voters with a word beginning "an") instead of scanning the ward.
create table voter_name_tokens (
    election_id bigint not null references elections (id),
    token text collate "C" not null,
    voter_id bigint not null references voters (id),
    primary key (election_id, token, voter_id)
);

create table imports (
    id bigint generated always as identity primary key,
    election_id bigint not null references elections (id),
    file_name text not null,
    file_sha256 text not null,
    encoding text not null,                   -- detected or chosen: utf-8, tcvn3, vni, …
    rows_imported bigint not null,
    imported_by text not null,
    imported_at_ms bigint not null
);

create table complaints (
    id bigint generated always as identity primary key,
    election_id bigint not null references elections (id),
    voter_id bigint references voters (id),
    complainant text not null,
    received_on text not null,                -- ISO date; the answer is due 5 days later
    content text not null,
    resolution text not null default '',
    resolved_on text,                         -- ISO date
    created_by text not null,
    created_at_ms bigint not null
);
