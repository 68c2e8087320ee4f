//! What check-ins confirmed by plain form posts were answered (the desk without scripts), for
//! the desk page the browser is sent back to. In the database because that page may be served
//! by another server than the one that took the post.
//!
//! A redirect carries no body, and an outcome written into the page's address could be forged
//! by a link ("already voted" on a desk for a voter who has not). So only what was answered is
//! shown, found by user, area and request id. Not audited: the check-in itself is.

use sqlx::{AnyPool, Row};

use crate::domain::checkin::CheckInOutcome;
use crate::domain::ids::{AreaId, UserId};

/// How long an answer is kept for the page that shows it.
const KEPT_MS: i64 = 10 * 60_000;

/// Who confirmed, at which area, with which request id.
pub type Key<'a> = (UserId, AreaId, &'a str);

/// Keeps `outcome` at `now_ms`, forgetting the answers older than the keeping time.
pub async fn keep(
    pool: &AnyPool,
    key: Key<'_>,
    outcome: &CheckInOutcome,
    now_ms: i64,
) -> Result<(), sqlx::Error> {
    let (user_id, area_id, request_id) = key;
    let json =
        serde_json::to_string(outcome).map_err(|error| sqlx::Error::Encode(Box::new(error)))?;
    let mut tx = pool.begin().await?;
    sqlx::query("delete from form_outcomes where at_ms <= $1")
        .bind(now_ms - KEPT_MS)
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "insert into form_outcomes (user_id, polling_area_id, request_id, outcome, at_ms) \
         values ($1, $2, $3, $4, $5) \
         on conflict (user_id, polling_area_id, request_id) \
         do update set outcome = excluded.outcome, at_ms = excluded.at_ms",
    )
    .bind(user_id)
    .bind(area_id)
    .bind(request_id)
    .bind(json)
    .bind(now_ms)
    .execute(&mut *tx)
    .await?;
    tx.commit().await
}

/// The answer kept for this user, area and request id, if still kept at `now_ms`.
pub async fn find(
    pool: &AnyPool,
    key: Key<'_>,
    now_ms: i64,
) -> Result<Option<CheckInOutcome>, sqlx::Error> {
    let (user_id, area_id, request_id) = key;
    let row = sqlx::query(
        "select outcome from form_outcomes \
         where user_id = $1 and polling_area_id = $2 and request_id = $3 and at_ms > $4",
    )
    .bind(user_id)
    .bind(area_id)
    .bind(request_id)
    .bind(now_ms - KEPT_MS)
    .fetch_optional(pool)
    .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    let json: String = row.try_get("outcome")?;
    serde_json::from_str(&json)
        .map(Some)
        .map_err(|error| super::db::decode_error("form_outcomes.outcome", error.to_string()))
}
