//! Election-day check-ins and their undos.

use crate::domain::ids::{AreaId, CheckInId, ElectionId, UserId, VoterId};
use std::collections::HashMap;

use sqlx::any::AnyRow;
use sqlx::{Any, AnyPool, Executor, Row};

use super::audit::ChainHead;
use super::db::{known_code, padded_to_power_of_two, Engine, WriteTx};
use super::json_rows::{self, JsonRows};
use crate::domain::checkin::{ClockTime, EarlierCheckIn, VoterAtDesk, VotingWindow};
use crate::domain::voter::{Date, Levels};
use crate::domain::ward::VoterStatus;

/// Everything the rules need about a voter and the voter's polling area.
#[derive(Debug, Clone)]
pub struct DeskContext {
    pub election_id: ElectionId,
    pub stt: i64,
    pub full_name: String,
    pub voter: VoterAtDesk,
    /// The voter's check-in that counts, if any.
    pub counting: Option<EarlierCheckIn>,
    /// The request that recorded `counting`, so a retry of it gets its receipt back without a
    /// lookup by request id.
    pub counting_request: Option<RecordedRequest>,
    pub area_levels: Levels,
    pub window: VotingWindow,
    /// The highest check-in number given so far in the voter's area (0 before the first).
    pub area_highest_number: i64,
}

/// A stored check-in and the client's id of the request that recorded it.
#[derive(Debug, Clone)]
pub struct RecordedRequest {
    pub request_id: String,
    pub check_in: StoredCheckIn,
}

/// What the check-in writer reads for a batch, in one statement.
pub struct DeskReads {
    /// The desk context of each of these voters that exists, by voter id.
    pub contexts: HashMap<VoterId, DeskContext>,
    /// The audit chain's head, when any voter was found (only then is anything appended).
    pub chain: Option<ChainHead>,
}

/// One statement for the voters, their areas, their counting check-ins, their areas' highest
/// numbers and the audit chain's head: each of these was a round trip of its own, and round
/// trips are what a check-in batch spends its time on with PostgreSQL. The highest number is
/// one seek in `unique (polling_area_id, number)`: a grouped `max` would read every check-in of
/// the areas, a cost growing with every check-in of the day. Numbers are given inside the
/// serialised write transaction, so they have no gaps and the paper checklist can be
/// reconciled exactly.
pub async fn desk_reads(tx: &mut WriteTx, voter_ids: &[VoterId]) -> Result<DeskReads, sqlx::Error> {
    let mut reads = DeskReads {
        contexts: HashMap::with_capacity(voter_ids.len()),
        chain: None,
    };
    if voter_ids.is_empty() {
        return Ok(reads);
    }
    let listed = padded_to_power_of_two(voter_ids);
    let sql = format!(
        "select v.id, v.election_id, v.stt, v.full_name, v.status, v.status_reason, v.certificate_no, v.polling_area_id, \
         a.number, a.name, v.levels, a.levels as area_levels, a.opens_at, a.closes_at, \
         coalesce(a.voting_day, e.election_day) as voting_day, {COUNTED_COLUMNS}, \
         c.id as counted_id, c.polling_area_id as counted_area_id, c.levels as counted_levels, \
         c.mobile_box as counted_mobile_box, c.hours_override as counted_hours_override, \
         c.undone as counted_undone, c.request_id as counted_request_id, \
         (select max(n.number) from check_ins n where n.polling_area_id = v.polling_area_id) as area_highest, \
         h.seq as chain_seq, h.hash as chain_hash \
         from voters v join polling_areas a on a.id = v.polling_area_id \
         join elections e on e.id = v.election_id \
         left join check_ins c on c.election_id = v.election_id and c.voter_id = v.id and c.undone = 0 \
         left join polling_areas ca on ca.id = c.polling_area_id \
         left join (select seq, hash from audit_log order by seq desc limit 1) h on 1 = 1 \
         where v.id in ({})",
        Engine::of(tx).parameters(1, listed.len())
    );
    let mut query = sqlx::query(&sql);
    for id in listed {
        query = query.bind(id);
    }
    for row in query.fetch_all(&mut **tx).await? {
        if reads.chain.is_none() {
            let seq: Option<i64> = row.try_get("chain_seq")?;
            let hash: Option<String> = row.try_get("chain_hash")?;
            reads.chain = Some(ChainHead::after(seq.zip(hash)));
        }
        reads
            .contexts
            .insert(row.try_get("id")?, desk_context_from_row(&row)?);
    }
    Ok(reads)
}

fn desk_context_from_row(row: &AnyRow) -> Result<DeskContext, sqlx::Error> {
    let status: String = row.try_get("status")?;
    Ok(DeskContext {
        election_id: row.try_get("election_id")?,
        stt: row.try_get("stt")?,
        full_name: row.try_get("full_name")?,
        voter: VoterAtDesk {
            status: known_code(VoterStatus::from_code(&status), "status")?,
            status_reason: row.try_get("status_reason")?,
            certificate_no: row.try_get("certificate_no")?,
            area_id: row.try_get("polling_area_id")?,
            area_number: row.try_get("number")?,
            area_name: row.try_get("name")?,
            levels: row.try_get("levels")?,
        },
        counting: counted_check_in(row)?,
        counting_request: recorded_request(row)?,
        area_levels: row.try_get("area_levels")?,
        window: VotingWindow {
            day: row.try_get("voting_day")?,
            opens: row.try_get("opens_at")?,
            closes: row.try_get("closes_at")?,
        },
        area_highest_number: row.try_get::<Option<i64>, _>("area_highest")?.unwrap_or(0),
    })
}

/// The columns `counted_check_in` reads, from `check_ins c` joined to its area as `ca`.
const COUNTED_COLUMNS: &str = "c.number as counted_number, c.at_ms as counted_at_ms, \
     ca.number as counted_area_number, c.checked_in_by as counted_by";

/// The counting check-in of `COUNTED_COLUMNS`; none when they are null (an outer join found
/// none).
fn counted_check_in(row: &AnyRow) -> Result<Option<EarlierCheckIn>, sqlx::Error> {
    let Some(number) = row.try_get::<Option<i64>, _>("counted_number")? else {
        return Ok(None);
    };
    Ok(Some(EarlierCheckIn {
        number,
        at_ms: row.try_get("counted_at_ms")?,
        area_number: row.try_get("counted_area_number")?,
        by: row.try_get("counted_by")?,
    }))
}

/// The counting check-in's request, from the columns `desk_reads` adds to `COUNTED_COLUMNS`.
fn recorded_request(row: &AnyRow) -> Result<Option<RecordedRequest>, sqlx::Error> {
    let Some(request_id) = row.try_get::<Option<String>, _>("counted_request_id")? else {
        return Ok(None);
    };
    Ok(Some(RecordedRequest {
        request_id,
        check_in: stored_check_in(row, &COUNTED_NAMES)?,
    }))
}

/// The check-ins that count (not undone) of these voters of one election, by voter id, for the
/// desk's search results.
pub async fn counting_check_ins(
    pool: &AnyPool,
    engine: Engine,
    election_id: ElectionId,
    voter_ids: &[VoterId],
) -> Result<HashMap<VoterId, EarlierCheckIn>, sqlx::Error> {
    if voter_ids.is_empty() {
        return Ok(HashMap::new());
    }
    let listed = padded_to_power_of_two(voter_ids);
    let sql = format!(
        "select c.voter_id, {COUNTED_COLUMNS} from check_ins c \
         join polling_areas ca on ca.id = c.polling_area_id \
         where c.election_id = {} and c.voter_id in ({}) and c.undone = 0",
        engine.parameters(1, 1),
        engine.parameters(2, listed.len())
    );
    let mut query = sqlx::query(&sql).bind(election_id);
    for id in listed {
        query = query.bind(id);
    }
    let mut found = HashMap::new();
    for row in query.fetch_all(pool).await? {
        if let Some(counted) = counted_check_in(&row)? {
            found.insert(row.try_get("voter_id")?, counted);
        }
    }
    Ok(found)
}

/// A stored check-in, as the desk and the lists show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredCheckIn {
    pub id: CheckInId,
    pub voter_id: VoterId,
    pub area_id: AreaId,
    pub number: i64,
    pub levels: Levels,
    pub mobile_box: bool,
    pub hours_override: bool,
    pub at_ms: i64,
    pub by: String,
    pub undone: bool,
}

const CHECK_IN_COLUMNS: &str =
    "c.id, c.voter_id, c.polling_area_id, c.number, c.levels, c.mobile_box, \
     c.hours_override, c.at_ms, c.checked_in_by, c.undone";

/// The names a query gave a stored check-in's columns.
struct CheckInNames {
    id: &'static str,
    voter_id: &'static str,
    area_id: &'static str,
    number: &'static str,
    levels: &'static str,
    mobile_box: &'static str,
    hours_override: &'static str,
    at_ms: &'static str,
    by: &'static str,
    undone: &'static str,
}

/// `CHECK_IN_COLUMNS`, each under its own name.
const STORED_NAMES: CheckInNames = CheckInNames {
    id: "id",
    voter_id: "voter_id",
    area_id: "polling_area_id",
    number: "number",
    levels: "levels",
    mobile_box: "mobile_box",
    hours_override: "hours_override",
    at_ms: "at_ms",
    by: "checked_in_by",
    undone: "undone",
};

/// The voter's counting check-in in `desk_reads`, beside the voter's own columns.
const COUNTED_NAMES: CheckInNames = CheckInNames {
    id: "counted_id",
    voter_id: "id",
    area_id: "counted_area_id",
    number: "counted_number",
    levels: "counted_levels",
    mobile_box: "counted_mobile_box",
    hours_override: "counted_hours_override",
    at_ms: "counted_at_ms",
    by: "counted_by",
    undone: "counted_undone",
};

fn check_in_from_row(row: &AnyRow) -> Result<StoredCheckIn, sqlx::Error> {
    stored_check_in(row, &STORED_NAMES)
}

fn stored_check_in(row: &AnyRow, names: &CheckInNames) -> Result<StoredCheckIn, sqlx::Error> {
    Ok(StoredCheckIn {
        id: row.try_get(names.id)?,
        voter_id: row.try_get(names.voter_id)?,
        area_id: row.try_get(names.area_id)?,
        number: row.try_get(names.number)?,
        levels: row.try_get(names.levels)?,
        mobile_box: row.try_get::<i64, _>(names.mobile_box)? != 0,
        hours_override: row.try_get::<i64, _>(names.hours_override)? != 0,
        at_ms: row.try_get(names.at_ms)?,
        by: row.try_get(names.by)?,
        undone: row.try_get::<i64, _>(names.undone)? != 0,
    })
}

/// The check-ins these requests created, by request id, with their undos, so a retried request
/// gets the same answer, or hears that its check-in was undone since.
pub async fn by_request_ids(
    tx: &mut WriteTx,
    request_ids: &[&str],
) -> Result<HashMap<String, AnsweredRequest>, sqlx::Error> {
    let listed = padded_to_power_of_two(request_ids);
    let sql = format!(
        "select {CHECK_IN_COLUMNS}, c.request_id, u.undone_by, u.at_ms as undone_at_ms, \
         u.reason as undo_reason from check_ins c left join check_in_undos u on u.check_in_id = c.id \
         where c.request_id in ({})",
        Engine::of(tx).parameters(1, listed.len())
    );
    let mut query = sqlx::query(&sql);
    for id in listed {
        query = query.bind(id);
    }
    let mut found = HashMap::new();
    for row in query.fetch_all(&mut **tx).await? {
        let undo = match row.try_get::<Option<String>, _>("undone_by")? {
            Some(by) => Some(CheckInUndo {
                by,
                at_ms: row.try_get("undone_at_ms")?,
                reason: row.try_get("undo_reason")?,
            }),
            None => None,
        };
        found.insert(
            row.try_get("request_id")?,
            AnsweredRequest {
                check_in: check_in_from_row(&row)?,
                undo,
            },
        );
    }
    Ok(found)
}

/// The check-in a request id recorded, with its undo when it was undone since.
#[derive(Debug, Clone)]
pub struct AnsweredRequest {
    pub check_in: StoredCheckIn,
    pub undo: Option<CheckInUndo>,
}

/// Who undid a check-in (the display name, as the desks show it), when, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckInUndo {
    pub by: String,
    pub at_ms: i64,
    pub reason: String,
}

pub async fn check_in(pool: &AnyPool, id: CheckInId) -> Result<Option<StoredCheckIn>, sqlx::Error> {
    let sql = format!("select {CHECK_IN_COLUMNS} from check_ins c where c.id = $1");
    let row = sqlx::query(&sql).bind(id).fetch_optional(pool).await?;
    row.as_ref().map(check_in_from_row).transpose()
}

pub struct NewCheckIn<'a> {
    pub election_id: ElectionId,
    pub voter_id: VoterId,
    pub area_id: AreaId,
    pub number: i64,
    pub levels: Levels,
    pub mobile_box: bool,
    pub hours_override: bool,
    pub request_id: &'a str,
    pub by_user_id: Option<UserId>,
    pub by: &'a str,
    pub at_ms: i64,
}

const INSERT_COLUMNS: &str = "election_id, voter_id, polling_area_id, number, levels, mobile_box, \
     hours_override, request_id, checked_in_by_user_id, checked_in_by, at_ms";
const INSERT_ARITY: usize = 11;
/// The PostgreSQL types of `INSERT_COLUMNS`, in order.
const INSERT_TYPES: [&str; INSERT_ARITY] = [
    "bigint", "bigint", "bigint", "bigint", "bigint", "bigint", "bigint", "text", "bigint", "text",
    "bigint",
];

const ON_TAKEN_REQUEST: &str = "on conflict (request_id) do nothing returning id, request_id";

/// Inserts the check-ins and returns their ids by request id. A check-in whose request id is
/// already taken is left out rather than failing the statement: the writer reads the earlier
/// requests only when that happens (see `checkin::desk`).
pub async fn insert_all(
    tx: &mut WriteTx,
    check_ins: &[NewCheckIn<'_>],
) -> Result<HashMap<String, CheckInId>, sqlx::Error> {
    let engine = Engine::of(tx);
    if engine == Engine::Postgres {
        return insert_all_as_json(tx, check_ins).await;
    }
    let mut ids = HashMap::with_capacity(check_ins.len());
    for chunk in check_ins.chunks(engine.rows_per_statement(INSERT_ARITY)) {
        let sql = format!(
            "insert into check_ins ({INSERT_COLUMNS}) values {} {ON_TAKEN_REQUEST}",
            engine.rows_of_parameters(chunk.len(), INSERT_ARITY)
        );
        let mut query = sqlx::query(&sql);
        for new in chunk {
            query = query
                .bind(new.election_id)
                .bind(new.voter_id)
                .bind(new.area_id)
                .bind(new.number)
                .bind(new.levels.0)
                .bind(i64::from(new.mobile_box))
                .bind(i64::from(new.hours_override))
                .bind(new.request_id)
                .bind(new.by_user_id)
                .bind(new.by)
                .bind(new.at_ms);
        }
        ids.extend(ids_by_request(query.fetch_all(&mut **tx).await?)?);
    }
    Ok(ids)
}

/// PostgreSQL: the whole batch in one statement, whatever its size (see `json_rows`).
async fn insert_all_as_json(
    tx: &mut WriteTx,
    check_ins: &[NewCheckIn<'_>],
) -> Result<HashMap<String, CheckInId>, sqlx::Error> {
    let mut rows = JsonRows::with_capacity(check_ins.len(), 120);
    for new in check_ins {
        rows.row()
            .number(Some(new.election_id))
            .number(Some(new.voter_id))
            .number(Some(new.area_id))
            .number(Some(new.number))
            .number(Some(new.levels.0))
            .number(Some(i64::from(new.mobile_box)))
            .number(Some(i64::from(new.hours_override)))
            .text(Some(new.request_id))
            .number(new.by_user_id)
            .text(Some(new.by))
            .number(Some(new.at_ms));
    }
    let sql = format!(
        "{} {ON_TAKEN_REQUEST}",
        json_rows::insert_statement("check_ins", INSERT_COLUMNS, &INSERT_TYPES)
    );
    let inserted = sqlx::query(&sql)
        .bind(rows.finish())
        .fetch_all(&mut **tx)
        .await?;
    ids_by_request(inserted)
}

fn ids_by_request(rows: Vec<AnyRow>) -> Result<HashMap<String, CheckInId>, sqlx::Error> {
    rows.iter()
        .map(|row| Ok((row.try_get("request_id")?, row.try_get("id")?)))
        .collect()
}

/// Records the undo as its own row and stops the check-in from counting. `false` when the
/// check-in was already undone.
pub async fn undo(
    tx: &mut WriteTx,
    check_in_id: CheckInId,
    reason: &str,
    by_user_id: UserId,
    by: &str,
    at_ms: i64,
) -> Result<bool, sqlx::Error> {
    let changed = sqlx::query("update check_ins set undone = 1 where id = $1 and undone = 0")
        .bind(check_in_id)
        .execute(&mut **tx)
        .await?
        .rows_affected();
    if changed == 0 {
        return Ok(false);
    }
    sqlx::query(
        "insert into check_in_undos (check_in_id, reason, undone_by_user_id, undone_by, at_ms) \
         values ($1, $2, $3, $4, $5)",
    )
    .bind(check_in_id)
    .bind(reason)
    .bind(by_user_id)
    .bind(by)
    .bind(at_ms)
    .execute(&mut **tx)
    .await?;
    Ok(true)
}

/// The newest check-in the user made at the area (undone or not), with its time: a desk may
/// take back only that one (`domain::checkin::desk_may_undo_own`).
pub async fn latest_by_user<'e, E>(
    executor: E,
    user_id: UserId,
    area_id: AreaId,
) -> Result<Option<(CheckInId, i64)>, sqlx::Error>
where
    E: Executor<'e, Database = Any>,
{
    sqlx::query_as(
        "select id, at_ms from check_ins where polling_area_id = $1 \
         and checked_in_by_user_id = $2 order by id desc limit 1",
    )
    .bind(area_id)
    .bind(user_id)
    .fetch_optional(executor)
    .await
}

/// One line of an area's check-in log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoggedCheckIn {
    pub check_in: StoredCheckIn,
    pub stt: i64,
    pub full_name: String,
    pub undo_reason: Option<String>,
}

/// The newest check-ins of an area, undone ones included (with the reason).
pub async fn recent(
    pool: &AnyPool,
    area_id: AreaId,
    limit: i64,
) -> Result<Vec<LoggedCheckIn>, sqlx::Error> {
    let sql = format!(
        "select {CHECK_IN_COLUMNS}, v.stt, v.full_name, u.reason from check_ins c \
         join voters v on v.id = c.voter_id left join check_in_undos u on u.check_in_id = c.id \
         where c.polling_area_id = $1 order by c.number desc limit $2"
    );
    let rows = sqlx::query(&sql)
        .bind(area_id)
        .bind(limit)
        .fetch_all(pool)
        .await?;
    rows.iter()
        .map(|row| {
            Ok(LoggedCheckIn {
                check_in: check_in_from_row(row)?,
                stt: row.try_get("stt")?,
                full_name: row.try_get("full_name")?,
                undo_reason: row.try_get("reason")?,
            })
        })
        .collect()
}

/// The counting check-ins of an area by voter, for the paper checklist.
pub async fn counting_by_voter(
    pool: &AnyPool,
    area_id: AreaId,
) -> Result<HashMap<VoterId, StoredCheckIn>, sqlx::Error> {
    let sql = format!(
        "select {CHECK_IN_COLUMNS} from check_ins c where c.polling_area_id = $1 and c.undone = 0"
    );
    let rows = sqlx::query(&sql).bind(area_id).fetch_all(pool).await?;
    rows.iter()
        .map(|row| check_in_from_row(row).map(|c| (c.voter_id, c)))
        .collect()
}

/// (area id, ballot levels, how many): the counting check-ins of an election.
pub async fn counts_by_area<'e, E>(
    executor: E,
    election_id: ElectionId,
) -> Result<Vec<(AreaId, Levels, i64)>, sqlx::Error>
where
    E: Executor<'e, Database = Any>,
{
    let rows = sqlx::query(
        "select polling_area_id, levels, count(*) from check_ins \
         where election_id = $1 and undone = 0 group by polling_area_id, levels",
    )
    .bind(election_id)
    .fetch_all(executor)
    .await?;
    rows.iter()
        .map(|row| Ok((row.try_get(0)?, row.try_get(1)?, row.try_get(2)?)))
        .collect()
}

/// (area id, entitlement levels, how many): the active voters on the lists of an election.
pub async fn on_list_by_area<'e, E>(
    executor: E,
    election_id: ElectionId,
) -> Result<Vec<(AreaId, Levels, i64)>, sqlx::Error>
where
    E: Executor<'e, Database = Any>,
{
    let rows = sqlx::query(
        "select polling_area_id, levels, count(*) from voters \
         where election_id = $1 and status = 'active' group by polling_area_id, levels",
    )
    .bind(election_id)
    .fetch_all(executor)
    .await?;
    rows.iter()
        .map(|row| Ok((row.try_get(0)?, row.try_get(1)?, row.try_get(2)?)))
        .collect()
}

/// (number, time) of each area's latest check-in: one index seek per area, however many
/// check-ins the day has seen.
pub async fn latest_by_area<'e, E>(
    executor: E,
    election_id: ElectionId,
) -> Result<HashMap<AreaId, (i64, i64)>, sqlx::Error>
where
    E: Executor<'e, Database = Any>,
{
    let rows = sqlx::query(
        "select a.id, c.number, c.at_ms from polling_areas a join check_ins c \
         on c.polling_area_id = a.id \
         and c.number = (select max(d.number) from check_ins d where d.polling_area_id = a.id) \
         where a.election_id = $1",
    )
    .bind(election_id)
    .fetch_all(executor)
    .await?;
    rows.iter()
        .map(|row| Ok((row.try_get(0)?, (row.try_get(1)?, row.try_get(2)?))))
        .collect()
}

/// What the turnout board shows of an election's polling areas.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BoardArea {
    pub id: AreaId,
    pub number: i64,
    pub name: String,
    pub levels: Levels,
}

/// The election's polling areas in number order, without counting their voters (the board
/// counts them once per list change, see `on_list_by_area`).
pub async fn board_areas<'e, E>(
    executor: E,
    election_id: ElectionId,
) -> Result<Vec<BoardArea>, sqlx::Error>
where
    E: Executor<'e, Database = Any>,
{
    let rows = sqlx::query(
        "select id, number, name, levels from polling_areas where election_id = $1 order by number",
    )
    .bind(election_id)
    .fetch_all(executor)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(BoardArea {
                id: row.try_get("id")?,
                number: row.try_get("number")?,
                name: row.try_get("name")?,
                levels: row.try_get("levels")?,
            })
        })
        .collect()
}

/// Sets an area's voting hours.
pub async fn set_hours(
    tx: &mut WriteTx,
    area_id: AreaId,
    opens: ClockTime,
    closes: ClockTime,
) -> Result<(), sqlx::Error> {
    sqlx::query("update polling_areas set opens_at = $2, closes_at = $3 where id = $1")
        .bind(area_id)
        .bind(opens)
        .bind(closes)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Asks PostgreSQL to refresh its statistics on check-ins, so it plans the check-in writer's
/// statements for the table as it is (see `StatisticsSchedule` in the check-in desk). Readers
/// and writers go on meanwhile.
pub async fn refresh_statistics(pool: &AnyPool) -> Result<(), sqlx::Error> {
    sqlx::query("analyze check_ins").execute(pool).await?;
    Ok(())
}

/// The area's own voting day, when it votes early (remote areas).
pub async fn voting_day(pool: &AnyPool, area_id: AreaId) -> Result<Option<Date>, sqlx::Error> {
    let day: Option<Date> = sqlx::query("select voting_day from polling_areas where id = $1")
        .bind(area_id)
        .fetch_optional(pool)
        .await?
        .map(|row| row.try_get(0))
        .transpose()?
        .flatten();
    Ok(day)
}
