-- What every server of an installation must see, not one server's memory.
--
-- Uploaded voter files waiting for their dry run and commit. Kept in the database rather than
-- in one server's memory, so that with several servers (PostgreSQL) a file previewed through
-- one server can be committed through another, and a restart does not lose an upload.
create table staged_imports (
    token_hash text primary key,    -- fingerprint of the token in the preview's URL
    owner_user_id integer not null references users (id),
    file_name text not null,
    bytes blob not null,
    staged_at_ms integer not null
);
create index staged_imports_by_owner on staged_imports (owner_user_id, staged_at_ms);

-- What a check-in confirmed by a plain form post (a desk without scripts) was answered, for
-- the desk page the browser is sent back to, which another server may serve. Kept 10 minutes.
create table form_outcomes (
    user_id integer not null references users (id),
    polling_area_id integer not null references polling_areas (id),
    request_id text not null,
    outcome text not null,          -- the answer as JSON
    at_ms integer not null,
    primary key (user_id, polling_area_id, request_id)
);
create index form_outcomes_by_age on form_outcomes (at_ms);
