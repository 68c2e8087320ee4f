//! Uploaded voter files waiting for their dry run and commit (`engine/import_staging.rs`).
//! Not audited and bound by no rule: written outside `WriteTx`, like a session's last visit.

use sqlx::{AnyPool, Row};

use crate::domain::ids::UserId;

/// Files an account keeps staged at most: the newest ones (a ward office uploads a few lists
/// and commits them; an account that keeps uploading does not fill the database).
const KEPT_PER_OWNER: i64 = 4;

/// A staged file as stored.
pub struct StagedRow {
    pub owner_user_id: UserId,
    pub file_name: String,
    pub bytes: Vec<u8>,
    pub staged_at_ms: i64,
}

/// Stores a file under its token's fingerprint; files staged before `expired_before_ms` and
/// the owner's files beyond the newest `KEPT_PER_OWNER` go.
pub async fn insert(
    pool: &AnyPool,
    token_hash: &str,
    row: &StagedRow,
    expired_before_ms: i64,
) -> Result<(), sqlx::Error> {
    let mut tx = pool.begin().await?;
    sqlx::query("delete from staged_imports where staged_at_ms < $1")
        .bind(expired_before_ms)
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "insert into staged_imports (token_hash, owner_user_id, file_name, bytes, staged_at_ms) \
         values ($1, $2, $3, $4, $5)",
    )
    .bind(token_hash)
    .bind(row.owner_user_id)
    .bind(&row.file_name)
    .bind(&row.bytes)
    .bind(row.staged_at_ms)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "delete from staged_imports where owner_user_id = $1 and token_hash not in \
         (select token_hash from staged_imports where owner_user_id = $1 \
          order by staged_at_ms desc, token_hash limit $2)",
    )
    .bind(row.owner_user_id)
    .bind(KEPT_PER_OWNER)
    .execute(&mut *tx)
    .await?;
    tx.commit().await
}

pub async fn find(pool: &AnyPool, token_hash: &str) -> Result<Option<StagedRow>, sqlx::Error> {
    let row = sqlx::query(
        "select owner_user_id, file_name, bytes, staged_at_ms from staged_imports \
         where token_hash = $1",
    )
    .bind(token_hash)
    .fetch_optional(pool)
    .await?;
    row.map(|row| {
        Ok(StagedRow {
            owner_user_id: row.try_get("owner_user_id")?,
            file_name: row.try_get("file_name")?,
            bytes: row.try_get("bytes")?,
            staged_at_ms: row.try_get("staged_at_ms")?,
        })
    })
    .transpose()
}

/// Whether the file is still staged (another server may have committed it).
pub async fn exists(pool: &AnyPool, token_hash: &str) -> Result<bool, sqlx::Error> {
    let found = sqlx::query("select 1 from staged_imports where token_hash = $1")
        .bind(token_hash)
        .fetch_optional(pool)
        .await?;
    Ok(found.is_some())
}

pub async fn delete(pool: &AnyPool, token_hash: &str) -> Result<(), sqlx::Error> {
    sqlx::query("delete from staged_imports where token_hash = $1")
        .bind(token_hash)
        .execute(pool)
        .await
        .map(|_| ())
}
