-- Election day: who came to vote, at which polling area, with which ballots. A check-in is never
-- deleted: undoing one adds a row to check_in_undos and marks the check-in undone, which frees
-- the voter for a new check-in. The partial unique index is the guarantee that a voter is
-- checked in at most once per election, whatever the application does.

create table check_ins (
    id bigint generated always as identity primary key,
    election_id bigint not null references elections (id),
    voter_id bigint not null references voters (id),
    polling_area_id bigint not null references polling_areas (id),
    number bigint not null check (number > 0), -- running number in the area: "lượt #N" on the paper checklist
    levels bigint not null check (levels between 1 and 7), -- ballots issued (1 Quốc hội, 2 HĐND tỉnh, 4 HĐND xã)
    mobile_box bigint not null default 0 check (mobile_box in (0, 1)), -- hòm phiếu phụ
    hours_override bigint not null default 0 check (hours_override in (0, 1)), -- manager allowed it outside voting hours
    request_id text not null unique,          -- chosen by the client; a retried request finds its check-in
    checked_in_by_user_id bigint references users (id),
    checked_in_by text not null,
    at_ms bigint not null,
    undone bigint not null default 0 check (undone in (0, 1)),
    unique (polling_area_id, number)
);
create unique index check_ins_once_per_voter on check_ins (election_id, voter_id) where undone = 0;
create index check_ins_by_area on check_ins (polling_area_id, undone);

create table check_in_undos (
    id bigint generated always as identity primary key,
    check_in_id bigint not null unique references check_ins (id),
    reason text not null check (length(reason) > 0),
    undone_by_user_id bigint references users (id),
    undone_by text not null,
    at_ms bigint not null
);
