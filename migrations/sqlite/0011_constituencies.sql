-- Constituencies (đơn vị bầu cử) per election and ballot level, the polling areas each one
-- contains, and the official candidate list of each. Result determination (Điều 78–80) adds up
-- the finalised counting tallies of a constituency's polling areas.

create table constituencies (
    id integer primary key,
    election_id integer not null references elections (id),
    level integer not null check (level in (1, 2, 4)), -- 1 Quốc hội, 2 HĐND tỉnh, 4 HĐND xã
    number integer not null check (number > 0),        -- 'Đơn vị bầu cử số N'
    name text not null,                                -- e.g. 'Gồm phường Mỹ Thới, xã Mỹ Hòa Hưng'
    seats integer not null check (seats > 0),          -- số đại biểu được bầu
    unique (election_id, level, number)
);

-- A polling area belongs to exactly one constituency per ballot level: the unique key on
-- (polling_area_id, level) says so; `level` repeats the constituency's level for that key.
create table constituency_areas (
    constituency_id integer not null references constituencies (id),
    polling_area_id integer not null references polling_areas (id),
    level integer not null check (level in (1, 2, 4)),
    primary key (constituency_id, polling_area_id),
    unique (polling_area_id, level)
);

-- The official candidate list. The printed order (given name, family name, middle name,
-- older first) is computed when read, so it is never stored out of date.
create table candidates (
    id integer primary key,
    constituency_id integer not null references constituencies (id),
    full_name text not null,
    birth_date text not null,                          -- as written: dd/mm/yyyy, mm/yyyy or yyyy
    gender text not null check (gender in ('nam', 'nu')),
    unique (constituency_id, full_name, birth_date)
);
create index candidates_by_constituency on candidates (constituency_id);
