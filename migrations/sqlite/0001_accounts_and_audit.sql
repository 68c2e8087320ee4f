-- Accounts, database sessions and the hash-chained audit log.
-- All instants are Unix milliseconds (UTC) in integer columns, identical on both engines.

create table users (
    id integer primary key,
    username text not null unique,            -- lowercase ASCII login name
    display_name text not null,               -- NFC, shown in menus and the audit log
    role text not null check (role in ('admin', 'station', 'organizer', 'viewer')),
    password_hash text not null,              -- Argon2id PHC string
    disabled integer not null default 0 check (disabled in (0, 1)),
    failed_logins integer not null default 0, -- failures in the current 15-minute window
    failed_window_start_ms integer,           -- first failure of that window
    locked_until_ms integer,                  -- logins refused before this instant
    created_at_ms integer not null,
    updated_at_ms integer not null
);

create table sessions (
    token_hash text primary key,              -- SHA-256 of the cookie value; the value is never stored
    user_id integer not null references users (id) on delete cascade,
    created_at_ms integer not null,           -- 12 h absolute expiry counts from here
    last_seen_ms integer not null             -- 60 min idle expiry counts from here
);
create index sessions_by_user on sessions (user_id);

create table audit_log (
    seq integer primary key,                  -- 1, 2, 3… without gaps; covered by the hash
    at_ms integer not null,
    actor_user_id integer,                    -- null when the system acted (first-run setup)
    actor text not null,                      -- username at the time of the action
    action text not null,                     -- stable code, e.g. 'user.create'
    entity text not null,                     -- what changed, e.g. 'user:5'
    before_summary text not null,             -- JSON summary before the change ('' when created)
    after_summary text not null,              -- JSON summary after the change
    prev_hash text not null,                  -- hash of record seq-1 (64 zeros for the first)
    hash text not null                        -- SHA-256 over this record's fields and prev_hash
);
create index audit_by_action on audit_log (action, seq);
create index audit_by_actor on audit_log (actor, seq);
