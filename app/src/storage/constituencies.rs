//! Constituencies, the polling areas they contain and their official candidate lists
//! (migration 0011).

use crate::domain::ids::{AreaId, ConstituencyId, ElectionId};
use sqlx::any::AnyRow;
use sqlx::{Any, AnyPool, Executor, Row};

use super::db::WriteTx;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredConstituency {
    pub id: ConstituencyId,
    pub election_id: ElectionId,
    pub level: i64,
    pub number: i64,
    pub name: String,
    pub seats: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredCandidate {
    pub constituency_id: ConstituencyId,
    pub full_name: String,
    pub birth_date: String,
    pub gender: String,
}

const COLUMNS: &str = "id, election_id, level, number, name, seats";

fn constituency(row: &AnyRow) -> Result<StoredConstituency, sqlx::Error> {
    Ok(StoredConstituency {
        id: row.try_get(0)?,
        election_id: row.try_get(1)?,
        level: row.try_get(2)?,
        number: row.try_get(3)?,
        name: row.try_get(4)?,
        seats: row.try_get(5)?,
    })
}

fn candidate(row: &AnyRow) -> Result<StoredCandidate, sqlx::Error> {
    Ok(StoredCandidate {
        constituency_id: row.try_get(0)?,
        full_name: row.try_get(1)?,
        birth_date: row.try_get(2)?,
        gender: row.try_get(3)?,
    })
}

/// The constituencies of an election, by level and number.
pub async fn of_election(
    pool: &AnyPool,
    election_id: ElectionId,
) -> Result<Vec<StoredConstituency>, sqlx::Error> {
    let rows = sqlx::query(&format!(
        "select {COLUMNS} from constituencies where election_id = $1 order by level, number"
    ))
    .bind(election_id)
    .fetch_all(pool)
    .await?;
    rows.iter().map(constituency).collect()
}

pub async fn get<'e, E>(
    executor: E,
    id: ConstituencyId,
) -> Result<Option<StoredConstituency>, sqlx::Error>
where
    E: Executor<'e, Database = Any>,
{
    let row = sqlx::query(&format!(
        "select {COLUMNS} from constituencies where id = $1"
    ))
    .bind(id)
    .fetch_optional(executor)
    .await?;
    row.as_ref().map(constituency).transpose()
}

/// The constituency a polling area belongs to at a level, if one was set up.
pub async fn of_area(
    pool: &AnyPool,
    area_id: AreaId,
    level: i64,
) -> Result<Option<StoredConstituency>, sqlx::Error> {
    let row = sqlx::query(
        "select c.id, c.election_id, c.level, c.number, c.name, c.seats from constituencies c \
         join constituency_areas a on a.constituency_id = c.id \
         where a.polling_area_id = $1 and a.level = $2",
    )
    .bind(area_id)
    .bind(level)
    .fetch_optional(pool)
    .await?;
    row.as_ref().map(constituency).transpose()
}

/// (constituency id, polling area id) of every link in an election.
pub async fn area_links(
    pool: &AnyPool,
    election_id: ElectionId,
) -> Result<Vec<(ConstituencyId, AreaId)>, sqlx::Error> {
    let rows = sqlx::query(
        "select a.constituency_id, a.polling_area_id from constituency_areas a \
         join constituencies c on c.id = a.constituency_id where c.election_id = $1",
    )
    .bind(election_id)
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|row| Ok((row.try_get(0)?, row.try_get(1)?)))
        .collect()
}

/// Every candidate of an election's constituencies (in no particular order: the official
/// order is computed by the caller).
pub async fn election_candidates(
    pool: &AnyPool,
    election_id: ElectionId,
) -> Result<Vec<StoredCandidate>, sqlx::Error> {
    let rows = sqlx::query(
        "select k.constituency_id, k.full_name, k.birth_date, k.gender from candidates k \
         join constituencies c on c.id = k.constituency_id where c.election_id = $1 order by k.id",
    )
    .bind(election_id)
    .fetch_all(pool)
    .await?;
    rows.iter().map(candidate).collect()
}

pub async fn candidates_of<'e, E>(
    executor: E,
    constituency_id: ConstituencyId,
) -> Result<Vec<StoredCandidate>, sqlx::Error>
where
    E: Executor<'e, Database = Any>,
{
    let rows = sqlx::query(
        "select constituency_id, full_name, birth_date, gender from candidates \
         where constituency_id = $1 order by id",
    )
    .bind(constituency_id)
    .fetch_all(executor)
    .await?;
    rows.iter().map(candidate).collect()
}

pub struct NewConstituency<'a> {
    pub election_id: ElectionId,
    pub level: i64,
    pub number: i64,
    pub name: &'a str,
    pub seats: i64,
}

/// Whether another constituency of the election and level already has this number.
pub async fn number_taken(
    tx: &mut WriteTx,
    new: &NewConstituency<'_>,
    except_id: Option<ConstituencyId>,
) -> Result<bool, sqlx::Error> {
    let row = sqlx::query(
        "select id from constituencies where election_id = $1 and level = $2 and number = $3 \
         and id <> $4",
    )
    .bind(new.election_id)
    .bind(new.level)
    .bind(new.number)
    .bind(except_id.map_or(0, i64::from))
    .fetch_optional(&mut **tx)
    .await?;
    Ok(row.is_some())
}

pub async fn insert(
    tx: &mut WriteTx,
    new: &NewConstituency<'_>,
) -> Result<ConstituencyId, sqlx::Error> {
    sqlx::query(
        "insert into constituencies (election_id, level, number, name, seats) \
         values ($1, $2, $3, $4, $5) returning id",
    )
    .bind(new.election_id)
    .bind(new.level)
    .bind(new.number)
    .bind(new.name)
    .bind(new.seats)
    .fetch_one(&mut **tx)
    .await?
    .try_get(0)
}

pub async fn update(
    tx: &mut WriteTx,
    id: ConstituencyId,
    new: &NewConstituency<'_>,
) -> Result<(), sqlx::Error> {
    sqlx::query("update constituencies set number = $1, name = $2, seats = $3 where id = $4")
        .bind(new.number)
        .bind(new.name)
        .bind(new.seats)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// The polling areas of a constituency.
pub async fn areas_of<'e, E>(
    executor: E,
    constituency_id: ConstituencyId,
) -> Result<Vec<AreaId>, sqlx::Error>
where
    E: Executor<'e, Database = Any>,
{
    let rows = sqlx::query(
        "select polling_area_id from constituency_areas where constituency_id = $1 \
         order by polling_area_id",
    )
    .bind(constituency_id)
    .fetch_all(executor)
    .await?;
    rows.iter().map(|row| row.try_get(0)).collect()
}

/// Of `area_ids`, those already in another constituency at this level.
pub async fn areas_elsewhere(
    tx: &mut WriteTx,
    constituency_id: ConstituencyId,
    level: i64,
    area_ids: &[AreaId],
) -> Result<Vec<AreaId>, sqlx::Error> {
    let mut taken = Vec::new();
    for &area_id in area_ids {
        let row = sqlx::query(
            "select constituency_id from constituency_areas \
             where polling_area_id = $1 and level = $2 and constituency_id <> $3",
        )
        .bind(area_id)
        .bind(level)
        .bind(constituency_id)
        .fetch_optional(&mut **tx)
        .await?;
        if row.is_some() {
            taken.push(area_id);
        }
    }
    Ok(taken)
}

/// Replaces the polling areas of a constituency.
pub async fn set_areas(
    tx: &mut WriteTx,
    constituency_id: ConstituencyId,
    level: i64,
    area_ids: &[AreaId],
) -> Result<(), sqlx::Error> {
    sqlx::query("delete from constituency_areas where constituency_id = $1")
        .bind(constituency_id)
        .execute(&mut **tx)
        .await?;
    for &area_id in area_ids {
        sqlx::query(
            "insert into constituency_areas (constituency_id, polling_area_id, level) \
             values ($1, $2, $3)",
        )
        .bind(constituency_id)
        .bind(area_id)
        .bind(level)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// Replaces the candidate list of a constituency.
pub async fn set_candidates(
    tx: &mut WriteTx,
    constituency_id: ConstituencyId,
    candidates: &[StoredCandidate],
) -> Result<(), sqlx::Error> {
    sqlx::query("delete from candidates where constituency_id = $1")
        .bind(constituency_id)
        .execute(&mut **tx)
        .await?;
    for c in candidates {
        sqlx::query(
            "insert into candidates (constituency_id, full_name, birth_date, gender) \
             values ($1, $2, $3, $4)",
        )
        .bind(constituency_id)
        .bind(&c.full_name)
        .bind(&c.birth_date)
        .bind(&c.gender)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// How many counting tallies of the constituency's areas (at its level) are finalised or
/// entered: once counting has begun, the list it was entered against must not change.
pub async fn tallies_begun(
    tx: &mut WriteTx,
    constituency_id: ConstituencyId,
    level: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "select count(*) from counting_entries e join constituency_areas a \
         on a.polling_area_id = e.polling_area_id and a.level = e.level \
         where a.constituency_id = $1 and e.level = $2",
    )
    .bind(constituency_id)
    .bind(level)
    .fetch_one(&mut **tx)
    .await
}
