//! Counting results: the two entries of each polling area and ballot level, and the finalised
//! tally that locks them. Tallies travel as JSON text (see migration 0006).

use crate::domain::ids::{AreaId, ElectionId, UserId};
use sqlx::any::AnyRow;
use sqlx::{Any, AnyPool, Executor, Row};

use super::db::WriteTx;

/// One person's entry of a tally.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredEntry {
    pub area_id: AreaId,
    pub level: i64,
    pub slot: i64,
    pub tally: String,
    pub user_id: Option<UserId>,
    pub by: String,
    pub at_ms: i64,
}

/// The tally the minutes were finalised with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredFinal {
    pub area_id: AreaId,
    pub level: i64,
    pub tally: String,
    pub data_hash: String,
    pub by: String,
    pub at_ms: i64,
}

/// Who entered or finalised is shown by the person's name (users.display_name, as the
/// check-in log shows it), the stored username only where the account is gone.
const ENTRY_SELECT: &str =
    "select e.polling_area_id, e.level, e.slot, e.tally, e.entered_by_user_id, \
     coalesce(u.display_name, e.entered_by), e.at_ms \
     from counting_entries e left join users u on u.id = e.entered_by_user_id";
const FINAL_SELECT: &str = "select f.polling_area_id, f.level, f.tally, f.data_hash, \
     coalesce(u.display_name, f.finalised_by), f.at_ms \
     from counting_finals f left join users u on u.id = f.finalised_by_user_id";

fn entry(row: &AnyRow) -> Result<StoredEntry, sqlx::Error> {
    Ok(StoredEntry {
        area_id: row.try_get(0)?,
        level: row.try_get(1)?,
        slot: row.try_get(2)?,
        tally: row.try_get(3)?,
        user_id: row.try_get(4)?,
        by: row.try_get(5)?,
        at_ms: row.try_get(6)?,
    })
}

fn final_row(row: &AnyRow) -> Result<StoredFinal, sqlx::Error> {
    Ok(StoredFinal {
        area_id: row.try_get(0)?,
        level: row.try_get(1)?,
        tally: row.try_get(2)?,
        data_hash: row.try_get(3)?,
        by: row.try_get(4)?,
        at_ms: row.try_get(5)?,
    })
}

/// The entries (0, 1 or 2) of an area and level, first entry first. Takes the pool for reads
/// or the write transaction for the checks that precede a write.
pub async fn entries<'e, E>(
    executor: E,
    area_id: AreaId,
    level: i64,
) -> Result<Vec<StoredEntry>, sqlx::Error>
where
    E: Executor<'e, Database = Any>,
{
    let rows = sqlx::query(&format!(
        "{ENTRY_SELECT} where e.polling_area_id = $1 and e.level = $2 order by e.slot"
    ))
    .bind(area_id)
    .bind(level)
    .fetch_all(executor)
    .await?;
    rows.iter().map(entry).collect()
}

pub async fn final_tally<'e, E>(
    executor: E,
    area_id: AreaId,
    level: i64,
) -> Result<Option<StoredFinal>, sqlx::Error>
where
    E: Executor<'e, Database = Any>,
{
    let row = sqlx::query(&format!(
        "{FINAL_SELECT} where f.polling_area_id = $1 and f.level = $2"
    ))
    .bind(area_id)
    .bind(level)
    .fetch_optional(executor)
    .await?;
    row.as_ref().map(final_row).transpose()
}

/// Every entry of an election, for the overview.
pub async fn election_entries(
    pool: &AnyPool,
    election_id: ElectionId,
) -> Result<Vec<StoredEntry>, sqlx::Error> {
    let rows = sqlx::query(&format!(
        "{ENTRY_SELECT} where e.election_id = $1 order by e.polling_area_id, e.level, e.slot"
    ))
    .bind(election_id)
    .fetch_all(pool)
    .await?;
    rows.iter().map(entry).collect()
}

pub async fn election_finals(
    pool: &AnyPool,
    election_id: ElectionId,
) -> Result<Vec<StoredFinal>, sqlx::Error> {
    let rows = sqlx::query(&format!("{FINAL_SELECT} where f.election_id = $1"))
        .bind(election_id)
        .fetch_all(pool)
        .await?;
    rows.iter().map(final_row).collect()
}

pub struct NewEntry<'a> {
    pub election_id: ElectionId,
    pub area_id: AreaId,
    pub level: i64,
    pub slot: i64,
    pub tally: &'a str,
    pub user_id: UserId,
    pub by: &'a str,
    pub at_ms: i64,
}

/// Writes an entry, replacing the same slot's earlier one (re-entering to resolve differences).
pub async fn save_entry(tx: &mut WriteTx, new: &NewEntry<'_>) -> Result<(), sqlx::Error> {
    sqlx::query(
        "insert into counting_entries \
         (election_id, polling_area_id, level, slot, tally, entered_by_user_id, entered_by, at_ms) \
         values ($1, $2, $3, $4, $5, $6, $7, $8) \
         on conflict (polling_area_id, level, slot) do update set \
         tally = excluded.tally, entered_by_user_id = excluded.entered_by_user_id, \
         entered_by = excluded.entered_by, at_ms = excluded.at_ms",
    )
    .bind(new.election_id)
    .bind(new.area_id)
    .bind(new.level)
    .bind(new.slot)
    .bind(new.tally)
    .bind(new.user_id)
    .bind(new.by)
    .bind(new.at_ms)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub struct NewFinal<'a> {
    pub election_id: ElectionId,
    pub area_id: AreaId,
    pub level: i64,
    pub tally: &'a str,
    pub data_hash: &'a str,
    pub user_id: UserId,
    pub by: &'a str,
    pub at_ms: i64,
}

/// Locks the area and level with its agreed tally. The unique key makes a second finalising
/// fail even if two requests raced past the service's check.
pub async fn insert_final(tx: &mut WriteTx, new: &NewFinal<'_>) -> Result<(), sqlx::Error> {
    sqlx::query(
        "insert into counting_finals \
         (election_id, polling_area_id, level, tally, data_hash, finalised_by_user_id, \
         finalised_by, at_ms) values ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(new.election_id)
    .bind(new.area_id)
    .bind(new.level)
    .bind(new.tally)
    .bind(new.data_hash)
    .bind(new.user_id)
    .bind(new.by)
    .bind(new.at_ms)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
