use crate::domain::ids::{AreaId, UserId};
use sqlx::{AnyPool, Row};

use super::db::WriteTx;
use super::users::UserRecord;
use crate::domain::role::Role;

/// A session joined with its user, as read for every request.
#[derive(Debug, Clone)]
pub struct SessionRecord {
    pub user_id: UserId,
    pub username: String,
    pub display_name: String,
    pub role: String,
    pub disabled: bool,
    pub expires_at_ms: i64,
    pub last_seen_ms: i64,
    /// The polling areas a station account works at; empty for the other roles. Read with the
    /// session (and cached with it) so that a station's check-ins do not each read them.
    pub assigned_areas: Vec<AreaId>,
}

pub async fn insert(
    tx: &mut WriteTx,
    token_hash: &str,
    user: &UserRecord,
    now_ms: i64,
    expires_at_ms: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("insert into sessions (token_hash, user_id, created_at_ms, last_seen_ms, expires_at_ms) values ($1, $2, $3, $3, $4)")
        .bind(token_hash)
        .bind(user.id)
        .bind(now_ms)
        .bind(expires_at_ms)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub async fn find(pool: &AnyPool, token_hash: &str) -> Result<Option<SessionRecord>, sqlx::Error> {
    let row = sqlx::query(
        "select s.user_id, u.username, u.display_name, u.role, u.disabled, s.expires_at_ms, s.last_seen_ms \
         from sessions s join users u on u.id = s.user_id where s.token_hash = $1",
    )
    .bind(token_hash)
    .fetch_optional(pool)
    .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    let mut record = SessionRecord {
        user_id: row.try_get("user_id")?,
        username: row.try_get("username")?,
        display_name: row.try_get("display_name")?,
        role: row.try_get("role")?,
        disabled: row.try_get::<i64, _>("disabled")? != 0,
        expires_at_ms: row.try_get("expires_at_ms")?,
        last_seen_ms: row.try_get("last_seen_ms")?,
        assigned_areas: Vec::new(),
    };
    if Role::parse(&record.role) == Some(Role::Station) {
        record.assigned_areas = super::users::assigned_areas(pool, record.user_id).await?;
    }
    Ok(Some(record))
}

pub async fn touch(pool: &AnyPool, token_hash: &str, now_ms: i64) -> Result<(), sqlx::Error> {
    sqlx::query("update sessions set last_seen_ms = $2 where token_hash = $1")
        .bind(token_hash)
        .bind(now_ms)
        .execute(pool)
        .await?;
    Ok(())
}

pub async fn delete(pool: &AnyPool, token_hash: &str) -> Result<(), sqlx::Error> {
    sqlx::query("delete from sessions where token_hash = $1")
        .bind(token_hash)
        .execute(pool)
        .await?;
    Ok(())
}

/// Ends every session of a user (password change, reset, disabling).
pub async fn delete_for_user(tx: &mut WriteTx, user_id: UserId) -> Result<(), sqlx::Error> {
    sqlx::query("delete from sessions where user_id = $1")
        .bind(user_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Removes sessions past their end or idle since before `seen_before_ms`, so the table does not
/// grow without bound.
pub async fn delete_expired(
    pool: &AnyPool,
    now_ms: i64,
    seen_before_ms: i64,
) -> Result<u64, sqlx::Error> {
    let done = sqlx::query("delete from sessions where expires_at_ms <= $1 or last_seen_ms < $2")
        .bind(now_ms)
        .bind(seen_before_ms)
        .execute(pool)
        .await?;
    Ok(done.rows_affected())
}
