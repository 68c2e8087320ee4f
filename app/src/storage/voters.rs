//! Ward, elections, polling areas, households and voters.

use crate::domain::ids::{AreaId, ElectionId, HouseholdId, ImportId, VoterId};
use std::collections::{HashMap, HashSet};

use sqlx::any::AnyRow;
use sqlx::{Any, AnyConnection, AnyPool, Executor, Row};

use super::db::{decode_error, known_code, Engine, WriteTx};
use super::json_rows::{self, JsonRows};
use crate::domain::list_update::ListedVoter;
use crate::domain::voter::{cccd_key, BirthDate, Cccd, Date, Gender, Levels};
use crate::domain::ward::{AreaSummary, ElectionSummary, VoterStatus, VoterSummary, Ward};

pub async fn ward(pool: &AnyPool) -> Result<Option<Ward>, sqlx::Error> {
    let row = sqlx::query("select name, province from ward where id = 1")
        .fetch_optional(pool)
        .await?;
    row.map(|row| {
        Ok(Ward {
            name: row.try_get("name")?,
            province: row.try_get("province")?,
        })
    })
    .transpose()
}

pub async fn save_ward(tx: &mut WriteTx, ward: &Ward, now_ms: i64) -> Result<(), sqlx::Error> {
    sqlx::query(
        "insert into ward (id, name, province, updated_at_ms) values (1, $1, $2, $3) \
         on conflict (id) do update set name = excluded.name, province = excluded.province, \
         updated_at_ms = excluded.updated_at_ms",
    )
    .bind(&ward.name)
    .bind(&ward.province)
    .bind(now_ms)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

fn election_from_row(row: &AnyRow) -> Result<ElectionSummary, sqlx::Error> {
    Ok(ElectionSummary {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        election_day: row.try_get("election_day")?,
        levels: row.try_get("levels")?,
        posted_on: row.try_get("posted_on")?,
    })
}

pub async fn elections(pool: &AnyPool) -> Result<Vec<ElectionSummary>, sqlx::Error> {
    let rows = sqlx::query("select id, name, election_day, levels, posted_on from elections order by election_day desc, id desc")
        .fetch_all(pool)
        .await?;
    rows.iter().map(election_from_row).collect()
}

pub async fn election<'e, E>(
    executor: E,
    id: ElectionId,
) -> Result<Option<ElectionSummary>, sqlx::Error>
where
    E: Executor<'e, Database = Any>,
{
    let row = sqlx::query(
        "select id, name, election_day, levels, posted_on from elections where id = $1",
    )
    .bind(id)
    .fetch_optional(executor)
    .await?;
    row.as_ref().map(election_from_row).transpose()
}

pub async fn insert_election(
    tx: &mut WriteTx,
    name: &str,
    day: Date,
    levels: Levels,
    now_ms: i64,
) -> Result<ElectionId, sqlx::Error> {
    sqlx::query("insert into elections (name, election_day, levels, created_at_ms) values ($1, $2, $3, $4) returning id")
        .bind(name)
        .bind(day)
        .bind(levels.0)
        .bind(now_ms)
        .fetch_one(&mut **tx)
        .await?
        .try_get(0)
}

/// Records the day the election's list was posted.
pub async fn set_posted_on(
    tx: &mut WriteTx,
    election_id: ElectionId,
    posted_on: Date,
) -> Result<(), sqlx::Error> {
    sqlx::query("update elections set posted_on = $2 where id = $1")
        .bind(election_id)
        .bind(posted_on)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

fn area_from_row(row: &AnyRow) -> Result<AreaSummary, sqlx::Error> {
    Ok(AreaSummary {
        id: row.try_get("id")?,
        election_id: row.try_get("election_id")?,
        number: row.try_get("number")?,
        name: row.try_get("name")?,
        address: row.try_get("address")?,
        opens_at: row.try_get("opens_at")?,
        closes_at: row.try_get("closes_at")?,
        levels: row.try_get("levels")?,
        voters: row.try_get("voters")?,
    })
}

const AREA_COLUMNS: &str = "a.id, a.election_id, a.number, a.name, a.address, a.opens_at, a.closes_at, a.levels, \
     (select count(*) from voters v where v.polling_area_id = a.id and v.status = 'active') as voters";

pub async fn areas<'e, E>(
    executor: E,
    election_id: ElectionId,
) -> Result<Vec<AreaSummary>, sqlx::Error>
where
    E: Executor<'e, Database = Any>,
{
    let sql = format!(
        "select {AREA_COLUMNS} from polling_areas a where a.election_id = $1 order by a.number"
    );
    let rows = sqlx::query(&sql)
        .bind(election_id)
        .fetch_all(executor)
        .await?;
    rows.iter().map(area_from_row).collect()
}

pub async fn area(pool: &AnyPool, id: AreaId) -> Result<Option<AreaSummary>, sqlx::Error> {
    let sql = format!("select {AREA_COLUMNS} from polling_areas a where a.id = $1");
    let row = sqlx::query(&sql).bind(id).fetch_optional(pool).await?;
    row.as_ref().map(area_from_row).transpose()
}

pub struct NewArea<'a> {
    pub election_id: ElectionId,
    pub number: i64,
    pub name: &'a str,
    pub address: &'a str,
    pub levels: Levels,
}

/// `None` when the election already has an area with that number.
pub async fn insert_area(
    tx: &mut WriteTx,
    area: &NewArea<'_>,
) -> Result<Option<AreaId>, sqlx::Error> {
    let taken = sqlx::query("select id from polling_areas where election_id = $1 and number = $2")
        .bind(area.election_id)
        .bind(area.number)
        .fetch_optional(&mut **tx)
        .await?;
    if taken.is_some() {
        return Ok(None);
    }
    let row = sqlx::query(
        "insert into polling_areas (election_id, number, name, address, levels) values ($1, $2, $3, $4, $5) returning id",
    )
    .bind(area.election_id)
    .bind(area.number)
    .bind(area.name)
    .bind(area.address)
    .bind(area.levels.0)
    .fetch_one(&mut **tx)
    .await?;
    Ok(Some(row.try_get(0)?))
}

/// Rows read per statement when a whole election's voters are read for the import checks:
/// the keys are kept, the rows are not, so memory stays flat however large the election.
const KEY_PAGE_ROWS: u16 = 20_000;

/// Corrects an area's number, name and address; `None` when another area of the election has
/// that number.
pub async fn update_area(
    tx: &mut WriteTx,
    id: AreaId,
    number: i64,
    name: &str,
    address: &str,
) -> Result<Option<()>, sqlx::Error> {
    let taken = sqlx::query(
        "select 1 from polling_areas where number = $1 and id <> $2 \
         and election_id = (select election_id from polling_areas where id = $2)",
    )
    .bind(number)
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?;
    if taken.is_some() {
        return Ok(None);
    }
    sqlx::query("update polling_areas set number = $1, name = $2, address = $3 where id = $4")
        .bind(number)
        .bind(name)
        .bind(address)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(Some(()))
}

/// Whether anything refers to the area: voters, households, check-ins, counts, report figures,
/// constituencies or station accounts. Only an area nothing refers to may be deleted.
pub async fn area_in_use(tx: &mut WriteTx, id: AreaId) -> Result<bool, sqlx::Error> {
    const REFERRING: [&str; 8] = [
        "voters",
        "households",
        "check_ins",
        "counting_entries",
        "counting_finals",
        "turnout_snapshot_rows",
        "constituency_areas",
        "user_polling_areas",
    ];
    any_row_refers(tx, &REFERRING, "polling_area_id", id.get()).await
}

/// Whether a row of one of `tables` has `id` in `column`: one indexed probe per table,
/// stopping at the first hit.
async fn any_row_refers(
    tx: &mut WriteTx,
    tables: &[&str],
    column: &str,
    id: i64,
) -> Result<bool, sqlx::Error> {
    for table in tables {
        let sql = format!("select 1 from {table} where {column} = $1 limit 1");
        if sqlx::query(&sql)
            .bind(id)
            .fetch_optional(&mut **tx)
            .await?
            .is_some()
        {
            return Ok(true);
        }
    }
    Ok(false)
}

pub async fn delete_area(tx: &mut WriteTx, id: AreaId) -> Result<(), sqlx::Error> {
    sqlx::query("delete from polling_areas where id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub async fn update_election(
    tx: &mut WriteTx,
    id: ElectionId,
    name: &str,
    day: Date,
) -> Result<(), sqlx::Error> {
    sqlx::query("update elections set name = $1, election_day = $2 where id = $3")
        .bind(name)
        .bind(day)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Whether voters have been checked in for the election (its day is then fixed).
pub async fn election_has_check_ins(tx: &mut WriteTx, id: ElectionId) -> Result<bool, sqlx::Error> {
    any_row_refers(tx, &["check_ins"], "election_id", id.get()).await
}

/// Whether anything belongs to the election: areas, imports, complaints, report times,
/// snapshots or constituencies. Only an election nothing belongs to may be deleted.
pub async fn election_in_use(tx: &mut WriteTx, id: ElectionId) -> Result<bool, sqlx::Error> {
    const BELONGING: [&str; 8] = [
        "polling_areas",
        "voters",
        "imports",
        "complaints",
        "check_ins",
        "turnout_report_times",
        "turnout_snapshots",
        "constituencies",
    ];
    any_row_refers(tx, &BELONGING, "election_id", id.get()).await
}

pub async fn delete_election(tx: &mut WriteTx, id: ElectionId) -> Result<(), sqlx::Error> {
    sqlx::query("delete from elections where id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// `Cccd::key`s of the CCCD numbers already listed in the election (duplicate checks of an
/// import).
pub async fn listed_cccds(
    connection: &mut AnyConnection,
    election_id: ElectionId,
) -> Result<HashSet<u64>, sqlx::Error> {
    let mut keys = HashSet::new();
    let mut after = 0i64;
    loop {
        let rows = sqlx::query(
            "select id, cccd from voters where election_id = $1 and cccd is not null and id > $2 \
             order by id limit $3",
        )
        .bind(election_id)
        .bind(after)
        .bind(i64::from(KEY_PAGE_ROWS))
        .fetch_all(&mut *connection)
        .await?;
        for row in &rows {
            let cccd: String = row.try_get("cccd")?;
            keys.extend(cccd_key(&cccd));
            after = row.try_get("id")?;
        }
        if rows.len() < usize::from(KEY_PAGE_ROWS) {
            return Ok(keys);
        }
    }
}

/// `key(full name, birth date)` of every voter listed in the election (probable-duplicate
/// checks of an import).
pub async fn listed_people(
    pool: &AnyPool,
    election_id: ElectionId,
    key: impl Fn(&str, &BirthDate) -> u64,
) -> Result<HashSet<u64>, sqlx::Error> {
    let mut keys = HashSet::new();
    let mut after = 0i64;
    loop {
        let rows = sqlx::query(
            "select id, full_name, birth_year, birth_month, birth_day from voters \
             where election_id = $1 and id > $2 order by id limit $3",
        )
        .bind(election_id)
        .bind(after)
        .bind(i64::from(KEY_PAGE_ROWS))
        .fetch_all(pool)
        .await?;
        for row in &rows {
            let name: String = row.try_get("full_name")?;
            keys.insert(key(&name, &birth_from_row(row)?));
            after = row.try_get("id")?;
        }
        if rows.len() < usize::from(KEY_PAGE_ROWS) {
            return Ok(keys);
        }
    }
}

/// Every voter of the election with the facts an updated list file is compared with, the
/// household's label included, read in pages of `KEY_PAGE_ROWS` (one query per page, never one
/// per file row).
pub async fn listed_for_update(
    connection: &mut AnyConnection,
    election_id: ElectionId,
) -> Result<Vec<ListedVoter>, sqlx::Error> {
    let mut voters = Vec::new();
    let mut after = 0i64;
    loop {
        let rows = sqlx::query(
            "select v.id, v.full_name, v.birth_year, v.birth_month, v.birth_day, v.gender, v.cccd, \
             h.label as household, v.ethnicity, v.occupation, v.permanent_address, \
             v.temporary_address, v.temporary_since from voters v \
             left join households h on h.id = v.household_id \
             where v.election_id = $1 and v.id > $2 order by v.id limit $3",
        )
        .bind(election_id)
        .bind(after)
        .bind(i64::from(KEY_PAGE_ROWS))
        .fetch_all(&mut *connection)
        .await?;
        for row in &rows {
            let gender: String = row.try_get("gender")?;
            let voter = ListedVoter {
                id: row.try_get("id")?,
                full_name: row.try_get("full_name")?,
                birth: birth_from_row(row)?,
                gender: known_code(Gender::from_code(&gender), "gender")?,
                cccd: row.try_get("cccd")?,
                household: row.try_get("household")?,
                ethnicity: row.try_get("ethnicity")?,
                occupation: row.try_get("occupation")?,
                permanent_address: row.try_get("permanent_address")?,
                temporary_address: row.try_get("temporary_address")?,
                temporary_since: row.try_get("temporary_since")?,
            };
            after = voter.id.get();
            voters.push(voter);
        }
        if rows.len() < usize::from(KEY_PAGE_ROWS) {
            return Ok(voters);
        }
    }
}

fn birth_from_row(row: &AnyRow) -> Result<BirthDate, sqlx::Error> {
    let year: i64 = row.try_get("birth_year")?;
    let month: Option<i64> = row.try_get("birth_month")?;
    let day: Option<i64> = row.try_get("birth_day")?;
    let in_range = || {
        BirthDate::from_parts(
            i32::try_from(year).ok()?,
            month.map(u32::try_from).transpose().ok()?,
            day.map(u32::try_from).transpose().ok()?,
        )
    };
    in_range().ok_or_else(|| {
        decode_error(
            "birth_year",
            format!("bad birth date {year}/{month:?}/{day:?}"),
        )
    })
}

/// The highest card number ever given in the area (removed voters keep theirs).
pub async fn highest_stt(tx: &mut WriteTx, area_id: AreaId) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query("select max(stt) from voters where polling_area_id = $1")
        .bind(area_id)
        .fetch_one(&mut **tx)
        .await?
        .try_get(0)
}

/// The area's households: label → id, and the last position in the area's order.
pub async fn households(
    tx: &mut WriteTx,
    area_id: AreaId,
) -> Result<(HashMap<String, HouseholdId>, i64), sqlx::Error> {
    let mut ids = HashMap::new();
    let mut last_position = 0i64;
    for row in sqlx::query("select id, label, position from households where polling_area_id = $1")
        .bind(area_id)
        .fetch_all(&mut **tx)
        .await?
    {
        ids.insert(row.try_get("label")?, row.try_get("id")?);
        last_position = last_position.max(row.try_get("position")?);
    }
    Ok((ids, last_position))
}

/// Creates new households at the end of the area's order (after `last_position`), in the order
/// given, a few hundred per statement; returns their ids in that order.
pub async fn insert_households(
    tx: &mut WriteTx,
    area_id: AreaId,
    last_position: i64,
    labels: &[&str],
) -> Result<Vec<HouseholdId>, sqlx::Error> {
    let engine = Engine::of(tx);
    let mut ids = Vec::with_capacity(labels.len());
    let mut position = last_position;
    for chunk in labels.chunks(engine.rows_per_statement(3)) {
        let sql = format!(
            "insert into households (polling_area_id, label, position) values {} returning id, label",
            engine.rows_of_parameters(chunk.len(), 3)
        );
        let mut query = sqlx::query(&sql);
        for label in chunk {
            position += 1;
            query = query.bind(area_id).bind(*label).bind(position);
        }
        // RETURNING gives no order guarantee: match the ids up by label (unique in the area).
        let mut by_label: HashMap<String, HouseholdId> = HashMap::with_capacity(chunk.len());
        for row in query.fetch_all(&mut **tx).await? {
            by_label.insert(row.try_get("label")?, row.try_get("id")?);
        }
        for label in chunk {
            ids.push(
                by_label
                    .get(*label)
                    .copied()
                    .ok_or_else(|| decode_error("label", format!("no id for {label:?}")))?,
            );
        }
    }
    Ok(ids)
}

/// A voter row to insert; the caller has assigned the card number.
pub struct NewVoter<'a> {
    pub election_id: ElectionId,
    pub area_id: AreaId,
    pub stt: i64,
    pub household_id: Option<HouseholdId>,
    pub is_head: bool,
    pub full_name: &'a str,
    pub name_folded: &'a str,
    pub birth: BirthDate,
    pub gender: Gender,
    pub ethnicity: &'a str,
    pub occupation: &'a str,
    pub cccd: Option<&'a Cccd>,
    pub permanent_address: &'a str,
    pub temporary_address: &'a str,
    pub temporary_since: Option<Date>,
    pub levels: Levels,
    pub notes: &'a str,
    pub card_code: &'a str,
    pub import_id: Option<ImportId>,
}

const VOTER_INSERT_COLUMNS: &str = "election_id, polling_area_id, stt, household_id, is_head, full_name, name_folded, birth_year, \
     birth_month, birth_day, gender, ethnicity, occupation, cccd, permanent_address, temporary_address, \
     temporary_since, levels, notes, card_code, import_id, created_at_ms, updated_at_ms";
const VOTER_INSERT_ARITY: usize = 23;

/// The voters' indexes on random keys (CCCD, folded names): past the page cache, each row
/// lands on a random leaf of each. For a large import it is cheaper to drop them inside the
/// import's transaction and build them again from the table at its end (a sort, not a million
/// random leaf writes); an import that fails rolls the drop back with everything else.
const RANDOM_KEY_INDEXES: [&str; 3] = [
    "voters_unique_cccd",
    "voters_by_area_name",
    "voters_by_name",
];

/// Indexes dropped for a bulk load, as their `create` statements, to build again before commit.
#[must_use = "the dropped indexes must be built again before the transaction commits"]
pub struct DeferredIndexes(Vec<String>);

/// Drops the random-key indexes for the rest of the transaction when `coming` new voters are
/// at least as many as the voters already stored (building the indexes again then costs less
/// than keeping them). SQLite only: readers keep their snapshot with the indexes. On
/// PostgreSQL dropping an index would lock the table against every reader until commit.
pub async fn defer_random_key_indexes(
    tx: &mut WriteTx,
    coming: usize,
) -> Result<DeferredIndexes, sqlx::Error> {
    // Below this, the indexes fit the page cache and keeping them is as cheap.
    const WORTHWHILE_FROM: usize = 20_000;
    if Engine::of(tx) != Engine::Sqlite || coming < WORTHWHILE_FROM {
        return Ok(DeferredIndexes(Vec::new()));
    }
    // The highest id counts every voter ever stored without reading the table.
    let stored: Option<i64> = sqlx::query("select max(id) from voters")
        .fetch_one(&mut **tx)
        .await?
        .try_get(0)?;
    if coming < usize::try_from(stored.unwrap_or(0)).unwrap_or(usize::MAX) {
        return Ok(DeferredIndexes(Vec::new()));
    }
    let mut definitions = Vec::with_capacity(RANDOM_KEY_INDEXES.len());
    for name in RANDOM_KEY_INDEXES {
        let definition: Option<String> =
            sqlx::query("select sql from sqlite_master where type = 'index' and name = $1")
                .bind(name)
                .fetch_optional(&mut **tx)
                .await?
                .map(|row| row.try_get(0))
                .transpose()?;
        if let Some(definition) = definition {
            sqlx::query(&format!("drop index {name}"))
                .execute(&mut **tx)
                .await?;
            definitions.push(definition);
        }
    }
    Ok(DeferredIndexes(definitions))
}

/// Builds the deferred indexes again; a unique index that no longer holds fails the import.
pub async fn rebuild_deferred_indexes(
    tx: &mut WriteTx,
    deferred: DeferredIndexes,
) -> Result<(), sqlx::Error> {
    for definition in deferred.0 {
        sqlx::query(&definition).execute(&mut **tx).await?;
    }
    Ok(())
}

/// The PostgreSQL types of `VOTER_INSERT_COLUMNS`, in order.
const VOTER_INSERT_TYPES: [&str; VOTER_INSERT_ARITY] = [
    "bigint", "bigint", "bigint", "bigint", "bigint", "text", "text", "bigint", "bigint", "bigint",
    "text", "text", "text", "text", "text", "text", "text", "bigint", "text", "text", "bigint",
    "bigint", "bigint",
];

/// PostgreSQL: all the voters in one statement with one parameter (see `json_rows`).
async fn insert_voters_as_json(
    tx: &mut WriteTx,
    voters: &[NewVoter<'_>],
    now_ms: i64,
) -> Result<(), sqlx::Error> {
    if voters.is_empty() {
        return Ok(());
    }
    let mut rows = JsonRows::with_capacity(voters.len(), 300);
    for voter in voters {
        let (year, month, day) = voter.birth.parts();
        rows.row()
            .number(Some(voter.election_id))
            .number(Some(voter.area_id))
            .number(Some(voter.stt))
            .number(voter.household_id)
            .number(Some(i64::from(voter.is_head)))
            .text(Some(voter.full_name))
            .text(Some(voter.name_folded))
            .number(Some(i64::from(year)))
            .number(month.map(i64::from))
            .number(day.map(i64::from))
            .text(Some(voter.gender.code()))
            .text(Some(voter.ethnicity))
            .text(Some(voter.occupation))
            .text(voter.cccd.map(Cccd::as_str))
            .text(Some(voter.permanent_address))
            .text(Some(voter.temporary_address))
            .text(voter.temporary_since.map(|d| d.iso()).as_deref())
            .number(Some(voter.levels.0))
            .text(Some(voter.notes))
            .text(Some(voter.card_code))
            .number(voter.import_id)
            .number(Some(now_ms))
            .number(Some(now_ms));
    }
    sqlx::query(&json_rows::insert_statement(
        "voters",
        VOTER_INSERT_COLUMNS,
        &VOTER_INSERT_TYPES,
    ))
    .bind(rows.finish())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Inserts voters in multi-row statements (fast inside the caller's one transaction).
pub async fn insert_voters(
    tx: &mut WriteTx,
    voters: &[NewVoter<'_>],
    now_ms: i64,
) -> Result<(), sqlx::Error> {
    let engine = Engine::of(tx);
    if engine == Engine::Postgres {
        return insert_voters_as_json(tx, voters, now_ms).await;
    }
    for chunk in voters.chunks(engine.rows_per_statement(VOTER_INSERT_ARITY)) {
        let sql = format!(
            "insert into voters ({VOTER_INSERT_COLUMNS}) values {}",
            engine.rows_of_parameters(chunk.len(), VOTER_INSERT_ARITY)
        );
        let mut query = sqlx::query(&sql);
        for voter in chunk {
            let (year, month, day) = voter.birth.parts();
            query = query
                .bind(voter.election_id)
                .bind(voter.area_id)
                .bind(voter.stt)
                .bind(voter.household_id)
                .bind(i64::from(voter.is_head))
                .bind(voter.full_name)
                .bind(voter.name_folded)
                .bind(i64::from(year))
                .bind(month.map(i64::from))
                .bind(day.map(i64::from))
                .bind(voter.gender.code())
                .bind(voter.ethnicity)
                .bind(voter.occupation)
                .bind(voter.cccd)
                .bind(voter.permanent_address)
                .bind(voter.temporary_address)
                .bind(voter.temporary_since)
                .bind(voter.levels.0)
                .bind(voter.notes)
                .bind(voter.card_code)
                .bind(voter.import_id)
                .bind(now_ms)
                .bind(now_ms);
        }
        query.execute(&mut **tx).await?;
    }
    Ok(())
}

pub struct ImportRecord<'a> {
    pub election_id: ElectionId,
    pub file_name: &'a str,
    pub file_sha256: &'a str,
    pub encoding: &'a str,
    pub rows: i64,
    pub imported_by: &'a str,
}

pub async fn insert_import(
    tx: &mut WriteTx,
    import: &ImportRecord<'_>,
    now_ms: i64,
) -> Result<ImportId, sqlx::Error> {
    sqlx::query(
        "insert into imports (election_id, file_name, file_sha256, encoding, rows_imported, imported_by, imported_at_ms) \
         values ($1, $2, $3, $4, $5, $6, $7) returning id",
    )
    .bind(import.election_id)
    .bind(import.file_name)
    .bind(import.file_sha256)
    .bind(import.encoding)
    .bind(import.rows)
    .bind(import.imported_by)
    .bind(now_ms)
    .fetch_one(&mut **tx)
    .await?
    .try_get(0)
}

/// Sets what only the end of a streamed import knows: the voters written and the encoding the
/// file was read with.
pub async fn finish_import(
    tx: &mut WriteTx,
    import_id: ImportId,
    rows: i64,
    encoding: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("update imports set rows_imported = $2, encoding = $3 where id = $1")
        .bind(import_id)
        .bind(rows)
        .bind(encoding)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

const SUMMARY_COLUMNS: &str = "v.id, v.polling_area_id, a.number as area_number, v.stt, v.full_name, v.birth_year, \
     v.birth_month, v.birth_day, v.gender, v.cccd, v.permanent_address, v.temporary_address, v.temporary_since, v.levels, v.status, \
     v.status_reason, v.certificate_no, v.notes, v.household_id, v.is_head, v.ethnicity, v.occupation, v.card_code";

fn summary_from_row(row: &AnyRow) -> Result<VoterSummary, sqlx::Error> {
    let status: String = row.try_get("status")?;
    let gender: String = row.try_get("gender")?;
    Ok(VoterSummary {
        id: row.try_get("id")?,
        area_id: row.try_get("polling_area_id")?,
        area_number: row.try_get("area_number")?,
        stt: row.try_get("stt")?,
        full_name: row.try_get("full_name")?,
        birth: birth_from_row(row)?,
        gender: known_code(Gender::from_code(&gender), "gender")?,
        cccd: row.try_get("cccd")?,
        permanent_address: row.try_get("permanent_address")?,
        temporary_address: row.try_get("temporary_address")?,
        temporary_since: row.try_get("temporary_since")?,
        levels: row.try_get("levels")?,
        status: known_code(VoterStatus::from_code(&status), "status")?,
        status_reason: row.try_get("status_reason")?,
        certificate_no: row.try_get("certificate_no")?,
        notes: row.try_get("notes")?,
        household_id: row.try_get("household_id")?,
        is_head: row.try_get::<i64, _>("is_head")? != 0,
        ethnicity: row.try_get("ethnicity")?,
        occupation: row.try_get("occupation")?,
        card_code: row.try_get("card_code")?,
    })
}

/// How a search narrows the voters.
pub struct SearchQuery {
    pub election_id: ElectionId,
    pub area_id: Option<AreaId>,
    /// Folded name words, matched in order, each as the start of a word of the name.
    pub name_tokens: Vec<String>,
    pub birth_year: Option<i64>,
    pub stt: Option<i64>,
    pub cccd: Option<Cccd>,
    pub limit: i64,
}

/// Filters shared by every search step: election, area, birth year, card number, CCCD ($1–$5).
const SEARCH_FILTERS: &str =
    "v.election_id = $1 and ($2 = 0 or v.polling_area_id = $2) and ($3 = 0 or v.birth_year = $3) \
     and ($4 = 0 or v.stt = $4) and ($5 = '' or v.cccd = $5)";

fn bind_filters<'q>(
    sql: &'q str,
    query: &'q SearchQuery,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
    sqlx::query(sql)
        .bind(query.election_id)
        .bind(query.area_id.map_or(0, i64::from))
        .bind(query.birth_year.unwrap_or(0))
        .bind(query.stt.unwrap_or(0))
        .bind(query.cccd.as_ref().map_or("", Cccd::as_str))
}

/// Voters by the numbers typed alone (birth year, card number, CCCD), by name, area and card
/// number.
pub async fn search_by_numbers(
    pool: &AnyPool,
    query: &SearchQuery,
) -> Result<Vec<VoterSummary>, sqlx::Error> {
    let sql = format!(
        "select {SUMMARY_COLUMNS} from voters v join polling_areas a on a.id = v.polling_area_id \
         where {SEARCH_FILTERS} order by v.name_folded, a.number, v.stt limit $6"
    );
    let rows = bind_filters(&sql, query)
        .bind(query.limit)
        .fetch_all(pool)
        .await?;
    rows.iter().map(summary_from_row).collect()
}

/// Id and folded name of the voters whose name words start with the typed words in order
/// (`' ' || name like '% t1% t2%'`) under the query's filters, at most `cap`: what the search
/// ranks when the election has no in-memory index. It reads the election's (or the area's)
/// names: slow for a whole city, fine for a ward or one polling area.
pub async fn name_candidates(
    pool: &AnyPool,
    query: &SearchQuery,
    cap: i64,
) -> Result<Vec<(VoterId, String)>, sqlx::Error> {
    let pattern = format!("% {}%", query.name_tokens.join("% "));
    let sql = format!(
        "select v.id, v.name_folded from voters v \
         where {SEARCH_FILTERS} and ' ' || v.name_folded like $6 order by v.id limit $7"
    );
    let rows = bind_filters(&sql, query)
        .bind(&pattern)
        .bind(cap)
        .fetch_all(pool)
        .await?;
    rows.iter()
        .map(|row| Ok((row.try_get("id")?, row.try_get("name_folded")?)))
        .collect()
}

/// The voters with these ids, in no particular order (the search index's hits).
pub async fn voters_by_ids(
    pool: &AnyPool,
    ids: &[VoterId],
) -> Result<Vec<VoterSummary>, sqlx::Error> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let list: Vec<String> = (1..=ids.len()).map(|n| format!("${n}")).collect();
    let sql = format!(
        "select {SUMMARY_COLUMNS} from voters v join polling_areas a on a.id = v.polling_area_id \
         where v.id in ({})",
        list.join(", ")
    );
    let mut query = sqlx::query(&sql);
    for id in ids {
        query = query.bind(*id);
    }
    let rows = query.fetch_all(pool).await?;
    rows.iter().map(summary_from_row).collect()
}

pub async fn voter(pool: &AnyPool, id: VoterId) -> Result<Option<VoterSummary>, sqlx::Error> {
    let sql = format!("select {SUMMARY_COLUMNS} from voters v join polling_areas a on a.id = v.polling_area_id where v.id = $1");
    let row = sqlx::query(&sql).bind(id).fetch_optional(pool).await?;
    row.as_ref().map(summary_from_row).transpose()
}

/// The voter whose card carries this code (the QR payload without its `CUTRI:` prefix).
pub async fn voter_by_card_code(
    pool: &AnyPool,
    election_id: ElectionId,
    card_code: &str,
) -> Result<Option<VoterSummary>, sqlx::Error> {
    let sql = format!(
        "select {SUMMARY_COLUMNS} from voters v join polling_areas a on a.id = v.polling_area_id \
         where v.card_code = $1 and v.election_id = $2"
    );
    let row = sqlx::query(&sql)
        .bind(card_code)
        .bind(election_id)
        .fetch_optional(pool)
        .await?;
    row.as_ref().map(summary_from_row).transpose()
}

/// The official order of an area's list. Card numbers were given in household order (head
/// first) when the list was made, and later additions continue the numbering, so the list is
/// simply in card-number order.
pub async fn area_list(pool: &AnyPool, area_id: AreaId) -> Result<Vec<VoterSummary>, sqlx::Error> {
    let sql = format!(
        "select {SUMMARY_COLUMNS} from voters v join polling_areas a on a.id = v.polling_area_id \
         where v.polling_area_id = $1 order by v.stt"
    );
    let rows = sqlx::query(&sql).bind(area_id).fetch_all(pool).await?;
    rows.iter().map(summary_from_row).collect()
}

/// `count` voters of an area's list from `offset`, in card-number order, and whether more follow.
pub async fn area_page(
    pool: &AnyPool,
    area_id: AreaId,
    offset: i64,
    count: i64,
) -> Result<(Vec<VoterSummary>, bool), sqlx::Error> {
    let sql = format!(
        "select {SUMMARY_COLUMNS} from voters v join polling_areas a on a.id = v.polling_area_id \
         where v.polling_area_id = $1 order by v.stt, v.id limit $2 offset $3"
    );
    // One row past the page tells whether there is a next one.
    let rows = sqlx::query(&sql)
        .bind(area_id)
        .bind(count + 1)
        .bind(offset)
        .fetch_all(pool)
        .await?;
    let mut voters: Vec<VoterSummary> = rows
        .iter()
        .map(summary_from_row)
        .collect::<Result<_, _>>()?;
    let more = i64::try_from(voters.len()).is_ok_and(|len| len > count);
    voters.truncate(usize::try_from(count).unwrap_or(0));
    Ok((voters, more))
}

/// Sets a voter's list status ("removed" with a reason, "elsewhere" with a certificate, or
/// back to "active").
pub async fn set_status(
    tx: &mut WriteTx,
    voter_id: VoterId,
    status: VoterStatus,
    reason: &str,
    certificate_no: &str,
    now_ms: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "update voters set status = $2, status_reason = $3, certificate_no = $4, updated_at_ms = $5 where id = $1",
    )
    .bind(voter_id)
    .bind(status.code())
    .bind(reason)
    .bind(certificate_no)
    .bind(now_ms)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The editable facts of a voter (everything but the card number, area and status).
pub struct VoterFacts<'a> {
    pub full_name: &'a str,
    pub name_folded: &'a str,
    pub birth: BirthDate,
    pub gender: Gender,
    pub ethnicity: &'a str,
    pub occupation: &'a str,
    pub cccd: Option<&'a Cccd>,
    pub permanent_address: &'a str,
    pub temporary_address: &'a str,
    pub temporary_since: Option<Date>,
    pub levels: Levels,
    pub notes: &'a str,
}

pub async fn update_facts(
    tx: &mut WriteTx,
    voter_id: VoterId,
    facts: &VoterFacts<'_>,
    now_ms: i64,
) -> Result<(), sqlx::Error> {
    let (year, month, day) = facts.birth.parts();
    sqlx::query(
        "update voters set full_name = $2, name_folded = $3, birth_year = $4, birth_month = $5, birth_day = $6, \
         gender = $7, ethnicity = $8, occupation = $9, cccd = $10, permanent_address = $11, temporary_address = $12, \
         levels = $13, notes = $14, updated_at_ms = $15, temporary_since = $16 where id = $1",
    )
    .bind(voter_id)
    .bind(facts.full_name)
    .bind(facts.name_folded)
    .bind(i64::from(year))
    .bind(month.map(i64::from))
    .bind(day.map(i64::from))
    .bind(facts.gender.code())
    .bind(facts.ethnicity)
    .bind(facts.occupation)
    .bind(facts.cccd)
    .bind(facts.permanent_address)
    .bind(facts.temporary_address)
    .bind(facts.levels.0)
    .bind(facts.notes)
    .bind(now_ms)
    .bind(facts.temporary_since)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Whether another voter of the election already has this CCCD.
pub async fn cccd_taken(
    tx: &mut WriteTx,
    election_id: ElectionId,
    cccd: &Cccd,
    except_voter: VoterId,
) -> Result<bool, sqlx::Error> {
    let row =
        sqlx::query("select id from voters where election_id = $1 and cccd = $2 and id <> $3")
            .bind(election_id)
            .bind(cccd)
            .bind(except_voter)
            .fetch_optional(&mut **tx)
            .await?;
    Ok(row.is_some())
}

/// The id of the voter holding a card code (codes are unique), inside the writing transaction.
pub async fn id_by_card_code(tx: &mut WriteTx, card_code: &str) -> Result<VoterId, sqlx::Error> {
    sqlx::query_scalar("select id from voters where card_code = $1")
        .bind(card_code)
        .fetch_one(&mut **tx)
        .await
}

/// A voter as the in-memory search index holds them: election, id, polling area and folded
/// name, the ids narrowed to `u32` to keep the index small.
pub type SearchEntry = (ElectionId, u32, u32, String);

fn search_entry(row: &AnyRow) -> Result<SearchEntry, sqlx::Error> {
    let narrow = |column: &str| -> Result<u32, sqlx::Error> {
        let value: i64 = row.try_get(column)?;
        u32::try_from(value).map_err(|_| sqlx::Error::ColumnDecode {
            index: column.into(),
            source: format!("{value} does not fit the search index").into(),
        })
    };
    Ok((
        row.try_get("election_id")?,
        narrow("id")?,
        narrow("polling_area_id")?,
        row.try_get("name_folded")?,
    ))
}

/// Search entries with ids above `after`, ascending, at most `limit`; of one election or of all
/// (`None`).
pub async fn search_entries(
    pool: &AnyPool,
    election_id: Option<ElectionId>,
    after: i64,
    limit: i64,
) -> Result<Vec<SearchEntry>, sqlx::Error> {
    let rows = sqlx::query(
        "select election_id, id, polling_area_id, name_folded from voters \
         where ($1 = 0 or election_id = $1) and id > $2 order by id limit $3",
    )
    .bind(election_id.map_or(0, i64::from))
    .bind(after)
    .bind(limit)
    .fetch_all(pool)
    .await?;
    rows.iter().map(search_entry).collect()
}

/// One voter's search entry.
pub async fn search_entry_of(
    pool: &AnyPool,
    voter_id: VoterId,
) -> Result<SearchEntry, sqlx::Error> {
    let row = sqlx::query(
        "select election_id, id, polling_area_id, name_folded from voters where id = $1",
    )
    .bind(voter_id)
    .fetch_one(pool)
    .await?;
    search_entry(&row)
}
