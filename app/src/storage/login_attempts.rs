//! Sign-in attempt counters per (username, source address) and per username (migration 0015).

use sqlx::{Any, AnyPool, Executor, Row};

use super::db::WriteTx;
use crate::domain::login_throttle::{LoginThrottle, PER_ADDRESS, PER_USERNAME};

/// One counter, as the administrator's list of locks shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LockRecord {
    pub username: String,
    /// The source address, or `ALL_ADDRESSES` for the username as a whole.
    pub client: String,
    pub attempts: i64,
    pub locked_until_ms: i64,
}

/// The counter of `username` from `client`; inside a write transaction, the read that the next
/// `save` is based on.
pub async fn find<'e, E>(
    executor: E,
    username: &str,
    client: &str,
) -> Result<LoginThrottle, sqlx::Error>
where
    E: Executor<'e, Database = Any>,
{
    let row = sqlx::query(
        "select attempts, window_start_ms, locked_until_ms from login_attempts \
         where username = $1 and client = $2",
    )
    .bind(username)
    .bind(client)
    .fetch_optional(executor)
    .await?;
    match row {
        Some(row) => Ok(LoginThrottle {
            attempts: row.try_get("attempts")?,
            window_start_ms: row.try_get("window_start_ms")?,
            locked_until_ms: row.try_get("locked_until_ms")?,
        }),
        None => Ok(LoginThrottle::default()),
    }
}

pub async fn save(
    tx: &mut WriteTx,
    username: &str,
    client: &str,
    throttle: &LoginThrottle,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "insert into login_attempts (username, client, attempts, window_start_ms, locked_until_ms) \
         values ($1, $2, $3, $4, $5) \
         on conflict (username, client) do update set attempts = excluded.attempts, \
         window_start_ms = excluded.window_start_ms, locked_until_ms = excluded.locked_until_ms",
    )
    .bind(username)
    .bind(client)
    .bind(throttle.attempts)
    .bind(throttle.window_start_ms)
    .bind(throttle.locked_until_ms)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Drops counters that no longer count or lock anything, so names and addresses sprayed by an
/// attacker do not pile up. Both policies share one window length.
pub async fn delete_spent(tx: &mut WriteTx, now_ms: i64) -> Result<(), sqlx::Error> {
    debug_assert_eq!(PER_ADDRESS.window_ms, PER_USERNAME.window_ms);
    sqlx::query(
        "delete from login_attempts where coalesce(locked_until_ms, 0) <= $1 \
         and (coalesce(window_start_ms, 0) <= $2 or attempts = 0)",
    )
    .bind(now_ms)
    .bind(now_ms - PER_ADDRESS.window_ms)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Every counter of `username` (a new password starts clean).
pub async fn clear_username(tx: &mut WriteTx, username: &str) -> Result<(), sqlx::Error> {
    sqlx::query("delete from login_attempts where username = $1")
        .bind(username)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Lifts one lock; true when there was a counter to remove.
pub async fn clear(tx: &mut WriteTx, username: &str, client: &str) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("delete from login_attempts where username = $1 and client = $2")
        .bind(username)
        .bind(client)
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected() > 0)
}

/// Counters locked at `now_ms`, the latest lock first.
pub async fn locked(pool: &AnyPool, now_ms: i64) -> Result<Vec<LockRecord>, sqlx::Error> {
    let rows = sqlx::query(
        "select username, client, attempts, locked_until_ms from login_attempts \
         where locked_until_ms > $1 order by locked_until_ms desc, username, client limit 500",
    )
    .bind(now_ms)
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(LockRecord {
                username: row.try_get("username")?,
                client: row.try_get("client")?,
                attempts: row.try_get("attempts")?,
                locked_until_ms: row.try_get("locked_until_ms")?,
            })
        })
        .collect()
}
