//! Petitions across meetings: session dates, petitions, the opinions they stand for, and
//! official answers. Every write runs in the caller's `WriteTx`, next to its audit record.

use crate::domain::ids::{OpinionId, PetitionId};
use sqlx::any::AnyRow;
use sqlx::{AnyPool, Row};

use super::db::{known_code, WriteTx};
use crate::domain::meeting::{vietnam_date, CompetentLevel, OpinionField, SessionTiming};
use crate::domain::petition::{AnswerOutcome, PetitionStatus};
use crate::domain::petition::{OfficialAnswer, PetitionSource, Round};

/// (opens_at_ms, closes_at_ms) of a session, when the office has entered them.
pub async fn session_dates(
    pool: &AnyPool,
    term: &str,
    session_number: i64,
) -> Result<Option<(i64, i64)>, sqlx::Error> {
    let row = sqlx::query(
        "select opens_at_ms, closes_at_ms from council_sessions where term = $1 and session_number = $2",
    )
    .bind(term)
    .bind(session_number)
    .fetch_optional(pool)
    .await?;
    row.map(|row| Ok((row.try_get(0)?, row.try_get(1)?)))
        .transpose()
}

pub async fn save_session_dates(
    tx: &mut WriteTx,
    term: &str,
    session_number: i64,
    (opens_ms, closes_ms): (i64, i64),
    now_ms: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "insert into council_sessions (term, session_number, opens_at_ms, closes_at_ms, updated_at_ms) \
         values ($1, $2, $3, $4, $5) on conflict (term, session_number) do update set \
         opens_at_ms = excluded.opens_at_ms, closes_at_ms = excluded.closes_at_ms, \
         updated_at_ms = excluded.updated_at_ms",
    )
    .bind(term)
    .bind(session_number)
    .bind(opens_ms)
    .bind(closes_ms)
    .bind(now_ms)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// An opinion of the round that no petition stands for yet.
pub struct Uncollected {
    pub opinion_id: OpinionId,
    pub field: String,
    pub competent_level: String,
    pub content: String,
}

const UNCOLLECTED: &str = "from opinions o join meetings m on m.id = o.meeting_id \
     where m.term = $1 and m.session_number = $2 and m.timing = $3 \
     and not exists (select 1 from petition_sources s where s.opinion_id = o.id)";

pub async fn uncollected(tx: &mut WriteTx, round: &Round) -> Result<Vec<Uncollected>, sqlx::Error> {
    let sql = format!(
        "select o.id, o.field, o.competent_level, o.content {UNCOLLECTED} \
         order by m.starts_at_ms, m.id, o.number"
    );
    let rows = sqlx::query(&sql)
        .bind(&round.term)
        .bind(round.session_number)
        .bind(round.timing.code())
        .fetch_all(&mut **tx)
        .await?;
    rows.iter()
        .map(|row| {
            Ok(Uncollected {
                opinion_id: row.try_get(0)?,
                field: row.try_get(1)?,
                competent_level: row.try_get(2)?,
                content: row.try_get(3)?,
            })
        })
        .collect()
}

pub async fn count_uncollected(pool: &AnyPool, round: &Round) -> Result<i64, sqlx::Error> {
    sqlx::query(&format!("select count(*) {UNCOLLECTED}"))
        .bind(&round.term)
        .bind(round.session_number)
        .bind(round.timing.code())
        .fetch_one(pool)
        .await?
        .try_get(0)
}

/// A petition as inserted.
pub struct NewPetition<'a> {
    pub round: &'a Round,
    pub field: &'a str,
    pub competent_level: &'a str,
    pub content: &'a str,
    pub competent_body: &'a str,
    pub status: PetitionStatus,
    pub carried_from_id: Option<PetitionId>,
    pub routed_at_ms: Option<i64>,
    pub created_by: &'a str,
}

pub async fn insert_petition(
    tx: &mut WriteTx,
    petition: &NewPetition<'_>,
    now_ms: i64,
) -> Result<PetitionId, sqlx::Error> {
    sqlx::query(
        "insert into petitions (term, session_number, timing, field, competent_level, content, \
         competent_body, status, carried_from_id, routed_at_ms, created_by, created_at_ms, \
         updated_at_ms) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) returning id",
    )
    .bind(&petition.round.term)
    .bind(petition.round.session_number)
    .bind(petition.round.timing.code())
    .bind(petition.field)
    .bind(petition.competent_level)
    .bind(petition.content)
    .bind(petition.competent_body)
    .bind(petition.status.code())
    .bind(petition.carried_from_id)
    .bind(petition.routed_at_ms)
    .bind(petition.created_by)
    .bind(now_ms)
    .fetch_one(&mut **tx)
    .await?
    .try_get(0)
}

pub async fn insert_source(
    tx: &mut WriteTx,
    petition_id: PetitionId,
    opinion_id: OpinionId,
) -> Result<(), sqlx::Error> {
    sqlx::query("insert into petition_sources (opinion_id, petition_id) values ($1, $2)")
        .bind(opinion_id)
        .bind(petition_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// A petition's stored columns.
#[derive(Debug, Clone)]
pub struct PetitionRow {
    pub id: PetitionId,
    pub round: Round,
    pub field: OpinionField,
    pub competent_level: CompetentLevel,
    pub content: String,
    pub competent_body: String,
    pub status: PetitionStatus,
    pub carried_from_id: Option<PetitionId>,
    pub routed_at_ms: Option<i64>,
}

const PETITION_COLUMNS: &str =
    "id, term, session_number, timing, field, competent_level, content, \
     competent_body, status, carried_from_id, routed_at_ms";

fn petition_from_row(row: &AnyRow) -> Result<PetitionRow, sqlx::Error> {
    Ok(PetitionRow {
        id: row.try_get("id")?,
        round: Round {
            term: row.try_get("term")?,
            session_number: row.try_get("session_number")?,
            timing: known_code(
                SessionTiming::from_code(&row.try_get::<String, _>("timing")?),
                "petitions.timing",
            )?,
        },
        field: known_code(
            OpinionField::from_code(&row.try_get::<String, _>("field")?),
            "petitions.field",
        )?,
        competent_level: known_code(
            CompetentLevel::from_code(&row.try_get::<String, _>("competent_level")?),
            "petitions.competent_level",
        )?,
        content: row.try_get("content")?,
        competent_body: row.try_get("competent_body")?,
        status: known_code(
            PetitionStatus::from_code(&row.try_get::<String, _>("status")?),
            "petitions.status",
        )?,
        carried_from_id: row.try_get("carried_from_id")?,
        routed_at_ms: row.try_get("routed_at_ms")?,
    })
}

/// Petitions of the round still shown (not merged away or carried on), in id order.
pub async fn live_petitions(
    pool: &AnyPool,
    round: &Round,
) -> Result<Vec<PetitionRow>, sqlx::Error> {
    let sql = format!(
        "select {PETITION_COLUMNS} from petitions where term = $1 and session_number = $2 \
         and timing = $3 and status not in ('merged', 'carried') order by id"
    );
    let rows = sqlx::query(&sql)
        .bind(&round.term)
        .bind(round.session_number)
        .bind(round.timing.code())
        .fetch_all(pool)
        .await?;
    rows.iter().map(petition_from_row).collect()
}

/// One petition, read inside the write transaction that changes it.
pub async fn petition_for_update(
    tx: &mut WriteTx,
    id: PetitionId,
) -> Result<Option<PetitionRow>, sqlx::Error> {
    let sql = format!("select {PETITION_COLUMNS} from petitions where id = $1");
    let row = sqlx::query(&sql).bind(id).fetch_optional(&mut **tx).await?;
    row.as_ref().map(petition_from_row).transpose()
}

/// The round's open petitions (collected or routed), read in the write transaction.
pub async fn open_petitions(
    tx: &mut WriteTx,
    round: &Round,
) -> Result<Vec<PetitionRow>, sqlx::Error> {
    let sql = format!(
        "select {PETITION_COLUMNS} from petitions where term = $1 and session_number = $2 \
         and timing = $3 and status in ('collected', 'routed') order by id"
    );
    let rows = sqlx::query(&sql)
        .bind(&round.term)
        .bind(round.session_number)
        .bind(round.timing.code())
        .fetch_all(&mut **tx)
        .await?;
    rows.iter().map(petition_from_row).collect()
}

/// Moves every source opinion of `from` to `to` and marks `from` merged into `to`.
pub async fn merge(
    tx: &mut WriteTx,
    to: PetitionId,
    from: PetitionId,
    now_ms: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("update petition_sources set petition_id = $1 where petition_id = $2")
        .bind(to)
        .bind(from)
        .execute(&mut **tx)
        .await?;
    sqlx::query(
        "update petitions set status = 'merged', merged_into_id = $1, updated_at_ms = $3 where id = $2",
    )
    .bind(to)
    .bind(from)
    .bind(now_ms)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn set_status(
    tx: &mut WriteTx,
    id: PetitionId,
    status: PetitionStatus,
    now_ms: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("update petitions set status = $2, updated_at_ms = $3 where id = $1")
        .bind(id)
        .bind(status.code())
        .bind(now_ms)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Sends the petition to `body` at `level`; an answered petition stays answered.
pub async fn route(
    tx: &mut WriteTx,
    id: PetitionId,
    level: CompetentLevel,
    body: &str,
    now_ms: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "update petitions set competent_level = $2, competent_body = $3, routed_at_ms = $4, \
         updated_at_ms = $4, status = case when status = 'collected' then 'routed' else status end \
         where id = $1",
    )
    .bind(id)
    .bind(level.code())
    .bind(body)
    .bind(now_ms)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn answer_count(tx: &mut WriteTx, petition_id: PetitionId) -> Result<i64, sqlx::Error> {
    sqlx::query("select count(*) from petition_answers where petition_id = $1")
        .bind(petition_id)
        .fetch_one(&mut **tx)
        .await?
        .try_get(0)
}

/// An official answer as inserted.
pub struct NewAnswer<'a> {
    pub petition_id: PetitionId,
    pub outcome: AnswerOutcome,
    pub content: &'a str,
    pub roadmap: &'a str,
    pub document_number: &'a str,
    pub document_date_ms: i64,
    pub signer: &'a str,
    pub answering_body: &'a str,
    pub created_by: &'a str,
}

pub async fn insert_answer(
    tx: &mut WriteTx,
    answer: &NewAnswer<'_>,
    now_ms: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query(
        "insert into petition_answers (petition_id, outcome, content, roadmap, document_number, \
         document_date_ms, signer, answering_body, created_by, created_at_ms) \
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) returning id",
    )
    .bind(answer.petition_id)
    .bind(answer.outcome.code())
    .bind(answer.content)
    .bind(answer.roadmap)
    .bind(answer.document_number)
    .bind(answer.document_date_ms)
    .bind(answer.signer)
    .bind(answer.answering_body)
    .bind(answer.created_by)
    .bind(now_ms)
    .fetch_one(&mut **tx)
    .await?
    .try_get(0)
}

/// (petition id, source) for every source of the round's petitions, in meeting then item order.
pub async fn sources(
    pool: &AnyPool,
    round: &Round,
) -> Result<Vec<(PetitionId, PetitionSource)>, sqlx::Error> {
    let rows = sqlx::query(
        "select s.petition_id, o.id, m.id, m.title, m.starts_at_ms, o.number, o.speaker, \
         o.address, o.content from petition_sources s join petitions p on p.id = s.petition_id \
         join opinions o on o.id = s.opinion_id join meetings m on m.id = o.meeting_id \
         where p.term = $1 and p.session_number = $2 and p.timing = $3 \
         order by m.starts_at_ms, m.id, o.number",
    )
    .bind(&round.term)
    .bind(round.session_number)
    .bind(round.timing.code())
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|row| {
            Ok((
                row.try_get(0)?,
                PetitionSource {
                    opinion_id: row.try_get(1)?,
                    meeting_id: row.try_get(2)?,
                    meeting_title: row.try_get(3)?,
                    meeting_start_ms: row.try_get(4)?,
                    number: row.try_get(5)?,
                    speaker: row.try_get(6)?,
                    address: row.try_get(7)?,
                    content: row.try_get(8)?,
                },
            ))
        })
        .collect()
}

/// (petition id, answer) for every official answer of the round's petitions, oldest first.
pub async fn answers(
    pool: &AnyPool,
    round: &Round,
) -> Result<Vec<(PetitionId, OfficialAnswer)>, sqlx::Error> {
    let rows = sqlx::query(
        "select a.petition_id, a.id, a.outcome, a.content, a.roadmap, a.document_number, \
         a.document_date_ms, a.signer, a.answering_body from petition_answers a \
         join petitions p on p.id = a.petition_id \
         where p.term = $1 and p.session_number = $2 and p.timing = $3 order by a.id",
    )
    .bind(&round.term)
    .bind(round.session_number)
    .bind(round.timing.code())
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|row| {
            Ok((
                row.try_get(0)?,
                OfficialAnswer {
                    id: row.try_get(1)?,
                    outcome: known_code(
                        AnswerOutcome::from_code(&row.try_get::<String, _>(2)?),
                        "petition_answers.outcome",
                    )?,
                    content: row.try_get(3)?,
                    roadmap: row.try_get(4)?,
                    document_number: row.try_get(5)?,
                    document_date: vietnam_date(row.try_get(6)?),
                    signer: row.try_get(7)?,
                    answering_body: row.try_get(8)?,
                },
            ))
        })
        .collect()
}
