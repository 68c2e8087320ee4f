-- Official turnout reports: the hours at which the ward reports turnout (báo cáo tình hình cử
-- tri đi bầu) and the figures frozen at each of them. An election without report times uses
-- the defaults (09:00, 11:00, 14:00, 16:00, 19:00). A snapshot is taken once per election and
-- report time: the unique constraint keeps it so with several server processes and restarts.

create table turnout_report_times (
    election_id integer not null references elections (id),
    label text not null check (length(label) = 5), -- 'HH:MM', Vietnam time on the voting day
    primary key (election_id, label)
);

create table turnout_snapshots (
    id integer primary key,
    election_id integer not null references elections (id),
    label text not null,                      -- the report time it stands for, 'HH:MM'
    due_at_ms integer not null,               -- that report time as an instant
    taken_at_ms integer not null,             -- when the figures were read (a few seconds later)
    taken_by text not null,                   -- 'system' for the automatic ones, else the manager
    unique (election_id, label)
);

-- The figures of one snapshot: per polling area, for every voter (level 0) and per ballot level
-- (1 Quốc hội, 2 HĐND tỉnh, 4 HĐND xã).
create table turnout_snapshot_rows (
    snapshot_id integer not null references turnout_snapshots (id),
    polling_area_id integer not null references polling_areas (id),
    level integer not null check (level in (0, 1, 2, 4)),
    on_list integer not null check (on_list >= 0),
    voted integer not null check (voted >= 0),
    primary key (snapshot_id, polling_area_id, level)
);
