-- Brute-force throttling keyed by the username typed, whether or not such an account exists.
-- Kept on the account row before, an unknown name never wrote, never locked and answered faster
-- (no fsync), which told an attacker which accounts exist. Rows whose window and lock have both
-- run out are pruned on the next failure.
create table login_throttles (
    username text primary key,      -- as normalised by Username::parse
    failures bigint not null,       -- failures in the current 15-minute window
    window_start_ms bigint,         -- first failure of that window
    locked_until_ms bigint          -- attempts refused before this instant
);

insert into login_throttles (username, failures, window_start_ms, locked_until_ms)
select username, failed_logins, failed_window_start_ms, locked_until_ms
from users
where failed_logins > 0 or locked_until_ms is not null;

alter table users drop column failed_logins;
alter table users drop column failed_window_start_ms;
alter table users drop column locked_until_ms;
