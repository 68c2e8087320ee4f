//! Brute-force throttle state per typed username (known or not), see migration 0009.

use sqlx::{Any, Executor, Row};

use super::db::WriteTx;
use crate::domain::login_throttle::{LoginThrottle, FAILURE_WINDOW_MS};

/// The state for `username`; on a write transaction, the read that the next `save` is based on.
pub async fn find<'e, E>(executor: E, username: &str) -> Result<LoginThrottle, sqlx::Error>
where
    E: Executor<'e, Database = Any>,
{
    let row = sqlx::query(
        "select failures, window_start_ms, locked_until_ms from login_throttles where username = $1",
    )
    .bind(username)
    .fetch_optional(executor)
    .await?;
    match row {
        Some(row) => Ok(LoginThrottle {
            failures: row.try_get("failures")?,
            window_start_ms: row.try_get("window_start_ms")?,
            locked_until_ms: row.try_get("locked_until_ms")?,
        }),
        None => Ok(LoginThrottle::default()),
    }
}

/// Stores `throttle` for `username` and drops rows that no longer count or lock anything, so
/// names sprayed by an attacker do not pile up.
pub async fn save(
    tx: &mut WriteTx,
    username: &str,
    throttle: &LoginThrottle,
    now_ms: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "insert into login_throttles (username, failures, window_start_ms, locked_until_ms) \
         values ($1, $2, $3, $4) \
         on conflict (username) do update set failures = excluded.failures, \
         window_start_ms = excluded.window_start_ms, locked_until_ms = excluded.locked_until_ms",
    )
    .bind(username)
    .bind(throttle.failures)
    .bind(throttle.window_start_ms)
    .bind(throttle.locked_until_ms)
    .execute(&mut **tx)
    .await?;
    sqlx::query(
        "delete from login_throttles \
         where coalesce(locked_until_ms, 0) <= $1 and coalesce(window_start_ms, 0) <= $2",
    )
    .bind(now_ms)
    .bind(now_ms - FAILURE_WINDOW_MS)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn clear(tx: &mut WriteTx, username: &str) -> Result<(), sqlx::Error> {
    sqlx::query("delete from login_throttles where username = $1")
        .bind(username)
        .execute(&mut **tx)
        .await?;
    Ok(())
}
