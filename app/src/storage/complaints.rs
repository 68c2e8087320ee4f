//! The complaints register (table `complaints`, migration 0002).

use crate::domain::ids::{ComplaintId, ElectionId, VoterId};
use sqlx::any::AnyRow;
use sqlx::{AnyPool, Row};

use super::db::WriteTx;
use crate::domain::voter::Date;

/// A register entry as stored, with the linked voter's name and card number when there is one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredComplaint {
    pub id: ComplaintId,
    pub election_id: ElectionId,
    pub voter_id: Option<VoterId>,
    /// (full name, polling-area number, card number) of the linked voter.
    pub voter: Option<(String, i64, i64)>,
    pub complainant: String,
    pub received_on: Date,
    pub content: String,
    pub resolution: String,
    pub resolved_on: Option<Date>,
    pub created_by: String,
}

fn from_row(row: &AnyRow) -> Result<StoredComplaint, sqlx::Error> {
    let voter_name: Option<String> = row.try_get("voter_name")?;
    let area: Option<i64> = row.try_get("area_number")?;
    let stt: Option<i64> = row.try_get("stt")?;
    Ok(StoredComplaint {
        id: row.try_get("id")?,
        election_id: row.try_get("election_id")?,
        voter_id: row.try_get("voter_id")?,
        voter: voter_name.zip(area).zip(stt).map(|((n, a), s)| (n, a, s)),
        complainant: row.try_get("complainant")?,
        received_on: row.try_get("received_on")?,
        content: row.try_get("content")?,
        resolution: row.try_get("resolution")?,
        resolved_on: row.try_get("resolved_on")?,
        created_by: row.try_get("created_by")?,
    })
}

const SELECT: &str = "select c.id, c.election_id, c.voter_id, v.full_name as voter_name, \
     a.number as area_number, v.stt, c.complainant, c.received_on, c.content, c.resolution, \
     c.resolved_on, c.created_by from complaints c left join voters v on v.id = c.voter_id \
     left join polling_areas a on a.id = v.polling_area_id";

/// The election's register in the order complaints were entered.
pub async fn list(
    pool: &AnyPool,
    election_id: ElectionId,
) -> Result<Vec<StoredComplaint>, sqlx::Error> {
    let sql = format!("{SELECT} where c.election_id = $1 order by c.id");
    let rows = sqlx::query(&sql).bind(election_id).fetch_all(pool).await?;
    rows.iter().map(from_row).collect()
}

/// One entry, read inside the write transaction that is about to change it.
pub async fn get(
    tx: &mut WriteTx,
    id: ComplaintId,
) -> Result<Option<StoredComplaint>, sqlx::Error> {
    let sql = format!("{SELECT} where c.id = $1");
    let row = sqlx::query(&sql).bind(id).fetch_optional(&mut **tx).await?;
    row.as_ref().map(from_row).transpose()
}

pub struct NewComplaint<'a> {
    pub election_id: ElectionId,
    pub voter_id: Option<VoterId>,
    pub complainant: &'a str,
    pub received_on: Date,
    pub content: &'a str,
    pub created_by: &'a str,
}

pub async fn insert(
    tx: &mut WriteTx,
    complaint: &NewComplaint<'_>,
    now_ms: i64,
) -> Result<ComplaintId, sqlx::Error> {
    sqlx::query(
        "insert into complaints (election_id, voter_id, complainant, received_on, content, created_by, created_at_ms) \
         values ($1, $2, $3, $4, $5, $6, $7) returning id",
    )
    .bind(complaint.election_id)
    .bind(complaint.voter_id)
    .bind(complaint.complainant)
    .bind(complaint.received_on)
    .bind(complaint.content)
    .bind(complaint.created_by)
    .bind(now_ms)
    .fetch_one(&mut **tx)
    .await?
    .try_get(0)
}

/// Records the answer.
pub async fn resolve(
    tx: &mut WriteTx,
    id: ComplaintId,
    resolution: &str,
    resolved_on: Date,
) -> Result<(), sqlx::Error> {
    sqlx::query("update complaints set resolution = $2, resolved_on = $3 where id = $1")
        .bind(id)
        .bind(resolution)
        .bind(resolved_on)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// The election a voter is listed in, if the voter exists.
pub async fn election_of_voter(
    tx: &mut WriteTx,
    voter_id: VoterId,
) -> Result<Option<ElectionId>, sqlx::Error> {
    sqlx::query("select election_id from voters where id = $1")
        .bind(voter_id)
        .fetch_optional(&mut **tx)
        .await?
        .map(|row| row.try_get(0))
        .transpose()
}
