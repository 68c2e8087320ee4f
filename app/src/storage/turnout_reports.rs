//! Official turnout report times and the snapshots taken at them.

use crate::domain::ids::{AreaId, ElectionId};
use std::collections::HashMap;

use sqlx::{AnyPool, Row};

use super::db::WriteTx;

/// One stored snapshot and its figures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredSnapshot {
    pub label: String,
    pub due_at_ms: i64,
    pub taken_at_ms: i64,
    pub taken_by: String,
    /// Per polling area and level.
    pub rows: Vec<SnapshotRow>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SnapshotRow {
    pub area_id: AreaId,
    /// 0 for every voter of the area, else the ballot level's bit (1, 2, 4).
    pub level: i64,
    pub on_list: i64,
    pub voted: i64,
}

/// The report times set for an election, "HH:MM" in order; empty when none were set.
pub async fn report_times(
    pool: &AnyPool,
    election_id: ElectionId,
) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar(
        "select label from turnout_report_times where election_id = $1 order by label",
    )
    .bind(election_id)
    .fetch_all(pool)
    .await
}

/// Replaces the report times of an election.
pub async fn set_report_times(
    tx: &mut WriteTx,
    election_id: ElectionId,
    labels: &[String],
) -> Result<(), sqlx::Error> {
    sqlx::query("delete from turnout_report_times where election_id = $1")
        .bind(election_id)
        .execute(&mut **tx)
        .await?;
    for label in labels {
        sqlx::query("insert into turnout_report_times (election_id, label) values ($1, $2)")
            .bind(election_id)
            .bind(label)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// Stores a snapshot unless the election already has one for `label`; returns whether it did.
/// Insert-if-absent rather than check-then-insert, so two processes racing for the same report
/// time leave one snapshot even if one of them did not serialise its write.
pub async fn insert_snapshot_if_absent(
    tx: &mut WriteTx,
    election_id: ElectionId,
    snapshot: &StoredSnapshot,
) -> Result<bool, sqlx::Error> {
    let id: Option<i64> = sqlx::query_scalar(
        "insert into turnout_snapshots (election_id, label, due_at_ms, taken_at_ms, taken_by) \
         values ($1, $2, $3, $4, $5) on conflict (election_id, label) do nothing returning id",
    )
    .bind(election_id)
    .bind(&snapshot.label)
    .bind(snapshot.due_at_ms)
    .bind(snapshot.taken_at_ms)
    .bind(&snapshot.taken_by)
    .fetch_optional(&mut **tx)
    .await?;
    let Some(id) = id else { return Ok(false) };
    for row in &snapshot.rows {
        sqlx::query(
            "insert into turnout_snapshot_rows (snapshot_id, polling_area_id, level, on_list, voted) \
             values ($1, $2, $3, $4, $5)",
        )
        .bind(id)
        .bind(row.area_id)
        .bind(row.level)
        .bind(row.on_list)
        .bind(row.voted)
        .execute(&mut **tx)
        .await?;
    }
    Ok(true)
}

/// The labels of the snapshots an election has, read inside the write transaction that is about
/// to add the missing ones.
pub async fn snapshot_labels(
    tx: &mut WriteTx,
    election_id: ElectionId,
) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar("select label from turnout_snapshots where election_id = $1")
        .bind(election_id)
        .fetch_all(&mut **tx)
        .await
}

/// The labels of the snapshots an election has (outside any transaction).
pub async fn taken_labels(
    pool: &AnyPool,
    election_id: ElectionId,
) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar("select label from turnout_snapshots where election_id = $1")
        .bind(election_id)
        .fetch_all(pool)
        .await
}

/// Every snapshot of an election with its figures, in report-time order.
pub async fn snapshots(
    pool: &AnyPool,
    election_id: ElectionId,
) -> Result<Vec<StoredSnapshot>, sqlx::Error> {
    let heads = sqlx::query(
        "select id, label, due_at_ms, taken_at_ms, taken_by from turnout_snapshots \
         where election_id = $1 order by label",
    )
    .bind(election_id)
    .fetch_all(pool)
    .await?;
    let rows = sqlx::query(
        "select r.snapshot_id, r.polling_area_id, r.level, r.on_list, r.voted \
         from turnout_snapshot_rows r join turnout_snapshots s on s.id = r.snapshot_id \
         where s.election_id = $1 order by r.snapshot_id, r.polling_area_id, r.level",
    )
    .bind(election_id)
    .fetch_all(pool)
    .await?;
    let mut by_snapshot: HashMap<i64, Vec<SnapshotRow>> = HashMap::new();
    for row in rows {
        by_snapshot
            .entry(row.try_get("snapshot_id")?)
            .or_default()
            .push(SnapshotRow {
                area_id: row.try_get("polling_area_id")?,
                level: row.try_get("level")?,
                on_list: row.try_get("on_list")?,
                voted: row.try_get("voted")?,
            });
    }
    heads
        .iter()
        .map(|head| {
            let id: i64 = head.try_get("id")?;
            Ok(StoredSnapshot {
                label: head.try_get("label")?,
                due_at_ms: head.try_get("due_at_ms")?,
                taken_at_ms: head.try_get("taken_at_ms")?,
                taken_by: head.try_get("taken_by")?,
                rows: by_snapshot.remove(&id).unwrap_or_default(),
            })
        })
        .collect()
}
