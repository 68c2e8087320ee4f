-- Counting results (kết quả kiểm phiếu, Mẫu 18/HĐBC-QH and 23/HĐBC-HĐND) per polling area and
-- ballot level. Two different users enter the same tally independently (slot 1 and 2); the
-- minutes can be finalised only when both agree, which copies the tally into counting_finals.
-- A final row locks its area and level: entries are refused from then on.
--
-- The tally is stored as one JSON document (app/src/domain/counting.rs `Tally`, normalised):
-- it is compared, checked and printed as a whole, and its figures are never filtered on in SQL.

create table counting_entries (
    id bigint generated always as identity primary key,
    election_id bigint not null references elections (id),
    polling_area_id bigint not null references polling_areas (id),
    level bigint not null check (level in (1, 2, 4)), -- 1 Quốc hội, 2 HĐND tỉnh, 4 HĐND xã
    slot bigint not null check (slot in (1, 2)),      -- first or second entry
    tally text not null,
    entered_by_user_id bigint references users (id),
    entered_by text not null,
    at_ms bigint not null,
    unique (polling_area_id, level, slot)
);
create index counting_entries_by_election on counting_entries (election_id);

create table counting_finals (
    id bigint generated always as identity primary key,
    election_id bigint not null references elections (id),
    polling_area_id bigint not null references polling_areas (id),
    level bigint not null check (level in (1, 2, 4)),
    tally text not null,                               -- the agreed tally, as printed
    data_hash text not null,                           -- SHA-256 hex of `tally`, for the paper
    finalised_by_user_id bigint references users (id),
    finalised_by text not null,
    at_ms bigint not null,
    unique (polling_area_id, level)
);
create index counting_finals_by_election on counting_finals (election_id);
