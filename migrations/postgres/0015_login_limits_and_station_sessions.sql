-- Sign-in throttling per (username, source address) plus one counter per username for all
-- addresses together (client = '*'), so that a stranger who knows a username cannot lock its
-- owner out from elsewhere (ARCHITECTURE.md, "Sign-in under attack"). 'attempts' counts the
-- attempts admitted before their password was checked, not failures recorded afterwards.
create table login_attempts (
    username text not null,         -- as normalised by Username::parse
    client text not null,           -- source address, or '*' for the username as a whole
    attempts bigint not null,
    window_start_ms bigint,
    locked_until_ms bigint,
    primary key (username, client)
);

insert into login_attempts (username, client, attempts, window_start_ms, locked_until_ms)
select username, '*', failures, window_start_ms, locked_until_ms from login_throttles;

drop table login_throttles;

-- Each session carries its own end: 12 hours after sign-in, or for station accounts the end of
-- the polling day they signed in on (polling may run 05:00-21:00, counting goes on after).
alter table sessions add column expires_at_ms bigint not null default 0;
update sessions set expires_at_ms = created_at_ms + 43200000;
