//! Petition operations: input parsed into domain values, each change and its audit record
//! in one serialised write transaction, states read inside it.

use crate::domain::ids::PetitionId;
use std::collections::HashMap;

use serde_json::json;

use super::model::{AnswerInput, Petition, PetitionRound};
use crate::domain::audit::{AuditAction, AuditSubject};
use crate::domain::meeting::{vietnam_date, vietnam_instant, CompetentLevel, SessionTiming};
use crate::domain::petition::Round;
use crate::domain::petition::{
    due_date, is_overdue, merge_suggestions, next_round, AnswerOutcome, PetitionStatus,
};
use crate::domain::text::clean_cell;
use crate::domain::voter::Date;
use crate::error::{AppError, ErrorCode};
use crate::request::{audit, CurrentSession};
use crate::storage::db::now_ms;
use crate::storage::db::Db;
use crate::storage::petitions::{self as store, NewAnswer, NewPetition};

/// The text cleaned, or `missing` when nothing is left.
fn required(text: &str, missing: ErrorCode) -> Result<String, AppError> {
    let text = clean_cell(text);
    if text.is_empty() {
        return Err(missing.into());
    }
    Ok(text)
}

fn date(text: &str) -> Result<Date, AppError> {
    Date::parse(&clean_cell(text)).ok_or_else(|| ErrorCode::InvalidDate.into())
}

pub fn parse_round(term: &str, session_number: i64, timing: &str) -> Result<Round, AppError> {
    let term = required(term, ErrorCode::PetitionRoundInvalid)?.to_uppercase();
    let timing = SessionTiming::from_code(timing).ok_or(ErrorCode::PetitionRoundInvalid)?;
    if session_number <= 0 {
        return Err(ErrorCode::PetitionRoundInvalid.into());
    }
    Ok(Round {
        term,
        session_number,
        timing,
    })
}

fn round_json(round: &Round) -> serde_json::Value {
    json!({ "term": round.term, "session_number": round.session_number, "timing": round.timing.code() })
}

/// The round's live petitions with their sources, answers, deadline and merge suggestions.
#[tracing::instrument(skip_all)]
pub async fn round(db: &Db, round: &Round) -> Result<PetitionRound, AppError> {
    let pool = db.pool();
    let session = store::session_dates(pool, &round.term, round.session_number)
        .await?
        .map(|(opens, closes)| (vietnam_date(opens), vietnam_date(closes)));
    let due = session.map(|(opens, closes)| due_date(round.timing, opens, closes));
    let today = vietnam_date(now_ms());
    let mut sources: HashMap<PetitionId, Vec<_>> = HashMap::new();
    for (id, source) in store::sources(pool, round).await? {
        sources.entry(id).or_default().push(source);
    }
    let mut answers: HashMap<PetitionId, Vec<_>> = HashMap::new();
    for (id, answer) in store::answers(pool, round).await? {
        answers.entry(id).or_default().push(answer);
    }
    let mut petitions: Vec<Petition> = store::live_petitions(pool, round)
        .await?
        .into_iter()
        .map(|row| Petition {
            overdue: is_overdue(row.status, due, today),
            sources: sources.remove(&row.id).unwrap_or_default(),
            answers: answers.remove(&row.id).unwrap_or_default(),
            id: row.id,
            field: row.field,
            competent_level: row.competent_level,
            content: row.content,
            competent_body: row.competent_body,
            status: row.status,
            carried_from_id: row.carried_from_id,
        })
        .collect();
    let open: Vec<(PetitionId, &str)> = petitions
        .iter()
        .filter(|p| p.status.is_open())
        .map(|p| (p.id, p.content.as_str()))
        .collect();
    let suggestions = merge_suggestions(&open);
    let field_rank = |p: &Petition| {
        crate::domain::meeting::OpinionField::ALL
            .iter()
            .position(|f| *f == p.field)
    };
    petitions.sort_by_key(|p| (field_rank(p), p.id));
    Ok(PetitionRound {
        round: round.clone(),
        session,
        due,
        petitions,
        suggestions,
        uncollected: store::count_uncollected(pool, round).await?,
    })
}

#[tracing::instrument(skip_all)]
pub async fn save_session_dates(
    db: &Db,
    session: &CurrentSession,
    (term, session_number): (&str, i64),
    (opens, closes): (&str, &str),
) -> Result<(), AppError> {
    let round = parse_round(term, session_number, SessionTiming::Before.code())?;
    let (opens, closes) = (date(opens)?, date(closes)?);
    if closes < opens {
        return Err(ErrorCode::PetitionSessionDatesInvalid.into());
    }
    let span = (vietnam_instant(opens, 0), vietnam_instant(closes, 0));
    let before = store::session_dates(db.pool(), &round.term, session_number).await?;
    let mut tx = db.begin_write().await?;
    store::save_session_dates(&mut tx, &round.term, session_number, span, now_ms()).await?;
    audit(
        &mut tx,
        session,
        AuditAction::PetitionSessionDates,
        AuditSubject::Session {
            term: round.term.clone(),
            session_number,
        },
        before.map_or(String::new(), |(o, c)| {
            json!({ "opens_at_ms": o, "closes_at_ms": c }).to_string()
        }),
        json!({ "opens_at_ms": span.0, "closes_at_ms": span.1 }).to_string(),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

#[tracing::instrument(skip_all)]
pub async fn collect(db: &Db, session: &CurrentSession, round: &Round) -> Result<i64, AppError> {
    let mut tx = db.begin_write().await?;
    let opinions = store::uncollected(&mut tx, round).await?;
    let now = now_ms();
    let mut created = Vec::with_capacity(opinions.len());
    for opinion in &opinions {
        let new = NewPetition {
            round,
            field: &opinion.field,
            competent_level: &opinion.competent_level,
            content: &opinion.content,
            competent_body: "",
            status: PetitionStatus::Collected,
            carried_from_id: None,
            routed_at_ms: None,
            created_by: &session.user.username,
        };
        let id = store::insert_petition(&mut tx, &new, now).await?;
        store::insert_source(&mut tx, id, opinion.opinion_id).await?;
        created.push(json!({ "petition_id": id, "opinion_id": opinion.opinion_id }));
    }
    if !created.is_empty() {
        audit(
            &mut tx,
            session,
            AuditAction::PetitionCollect,
            AuditSubject::PetitionRound {
                term: round.term.clone(),
                session_number: round.session_number,
                timing: round.timing,
            },
            String::new(),
            json!({ "round": round_json(round), "created": created }).to_string(),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(i64::try_from(created.len()).unwrap_or(i64::MAX))
}

/// Merges `absorb_id` into `keep_id`: both open and of the same round; the absorbed one's
/// source opinions move to the kept one, and it stays as a "merged" row pointing there.
#[tracing::instrument(skip_all)]
pub async fn merge(
    db: &Db,
    session: &CurrentSession,
    keep_id: PetitionId,
    absorb_id: PetitionId,
) -> Result<(), AppError> {
    if keep_id == absorb_id {
        return Err(ErrorCode::PetitionMergeSelf.into());
    }
    let mut tx = db.begin_write().await?;
    let keep = store::petition_for_update(&mut tx, keep_id)
        .await?
        .ok_or(ErrorCode::NotFound)?;
    let absorb = store::petition_for_update(&mut tx, absorb_id)
        .await?
        .ok_or(ErrorCode::NotFound)?;
    // Answered petitions keep their own record; merging happens before routing answers.
    if keep.round != absorb.round {
        return Err(ErrorCode::PetitionMergeOtherRound.into());
    }
    if !keep.status.is_live() || !absorb.status.is_open() {
        return Err(ErrorCode::PetitionNotOpen.into());
    }
    store::merge(&mut tx, keep_id, absorb_id, now_ms()).await?;
    audit(
        &mut tx,
        session,
        AuditAction::PetitionMerge,
        AuditSubject::Petition(absorb_id),
        json!({ "status": absorb.status.code(), "content": absorb.content }).to_string(),
        json!({ "status": PetitionStatus::Merged.code(), "merged_into": keep_id }).to_string(),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

#[tracing::instrument(skip_all)]
pub async fn route(
    db: &Db,
    session: &CurrentSession,
    petition_id: PetitionId,
    level: &str,
    body: &str,
) -> Result<(), AppError> {
    let level = CompetentLevel::from_code(level).ok_or(ErrorCode::InvalidInput)?;
    let body = required(body, ErrorCode::PetitionBodyRequired)?;
    let mut tx = db.begin_write().await?;
    let old = store::petition_for_update(&mut tx, petition_id)
        .await?
        .ok_or(ErrorCode::NotFound)?;
    if !old.status.is_live() {
        return Err(ErrorCode::PetitionNotOpen.into());
    }
    store::route(&mut tx, petition_id, level, &body, now_ms()).await?;
    let status = match old.status {
        PetitionStatus::Collected => PetitionStatus::Routed,
        other => other,
    };
    audit(
        &mut tx,
        session,
        AuditAction::PetitionRoute,
        AuditSubject::Petition(petition_id),
        json!({ "status": old.status.code(), "competent_level": old.competent_level.code(), "competent_body": old.competent_body }).to_string(),
        json!({ "status": status.code(), "competent_level": level.code(), "competent_body": body }).to_string(),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

#[tracing::instrument(skip_all)]
pub async fn answer(
    db: &Db,
    session: &CurrentSession,
    petition_id: PetitionId,
    input: &AnswerInput,
) -> Result<i64, AppError> {
    let outcome = AnswerOutcome::from_code(&input.outcome).ok_or(ErrorCode::InvalidInput)?;
    let content = required(&input.content, ErrorCode::PetitionAnswerIncomplete)?;
    let roadmap = clean_cell(&input.roadmap);
    if outcome == AnswerOutcome::Roadmap && roadmap.is_empty() {
        return Err(ErrorCode::PetitionRoadmapRequired.into());
    }
    let document_number = required(&input.document_number, ErrorCode::PetitionAnswerIncomplete)?;
    let document_date = date(&input.document_date)?;
    let signer = required(&input.signer, ErrorCode::PetitionAnswerIncomplete)?;
    let answering_body = clean_cell(&input.answering_body);
    let mut tx = db.begin_write().await?;
    let old = store::petition_for_update(&mut tx, petition_id)
        .await?
        .ok_or(ErrorCode::NotFound)?;
    if !old.status.is_live() {
        return Err(ErrorCode::PetitionNotOpen.into());
    }
    let answer = NewAnswer {
        petition_id,
        outcome,
        content: &content,
        roadmap: &roadmap,
        document_number: &document_number,
        document_date_ms: vietnam_instant(document_date, 0),
        signer: &signer,
        answering_body: &answering_body,
        created_by: &session.user.username,
    };
    let now = now_ms();
    let id = store::insert_answer(&mut tx, &answer, now).await?;
    store::set_status(&mut tx, petition_id, PetitionStatus::Answered, now).await?;
    let earlier = store::answer_count(&mut tx, petition_id).await? - 1;
    audit(
        &mut tx,
        session,
        AuditAction::PetitionAnswer,
        AuditSubject::Petition(petition_id),
        json!({ "status": old.status.code(), "answers": earlier }).to_string(),
        json!({
            "status": PetitionStatus::Answered.code(), "answer_id": id,
            "outcome": outcome.code(), "content": content, "roadmap": roadmap,
            "document_number": document_number, "document_date": document_date.display(),
            "signer": signer, "answering_body": answering_body,
        })
        .to_string(),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Carries every open petition to the next round: a new petition there (same wording,
/// level and body, `carried_from_id` set), the old one marked carried.
#[tracing::instrument(skip_all)]
pub async fn carry(db: &Db, session: &CurrentSession, round: &Round) -> Result<i64, AppError> {
    let (timing, session_number) = next_round(round.timing, round.session_number);
    let next = Round {
        term: round.term.clone(),
        session_number,
        timing,
    };
    let mut tx = db.begin_write().await?;
    let open = store::open_petitions(&mut tx, round).await?;
    let now = now_ms();
    let mut carried = Vec::with_capacity(open.len());
    for old in &open {
        let new = NewPetition {
            round: &next,
            field: old.field.code(),
            competent_level: old.competent_level.code(),
            content: &old.content,
            competent_body: &old.competent_body,
            status: old.status,
            carried_from_id: Some(old.id),
            routed_at_ms: old.routed_at_ms,
            created_by: &session.user.username,
        };
        let id = store::insert_petition(&mut tx, &new, now).await?;
        store::set_status(&mut tx, old.id, PetitionStatus::Carried, now).await?;
        carried.push(json!({ "from": old.id, "to": id }));
    }
    if !carried.is_empty() {
        audit(
            &mut tx,
            session,
            AuditAction::PetitionCarry,
            AuditSubject::PetitionRound {
                term: round.term.clone(),
                session_number: round.session_number,
                timing: round.timing,
            },
            json!({ "round": round_json(round) }).to_string(),
            json!({ "round": round_json(&next), "carried": carried }).to_string(),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(i64::try_from(carried.len()).unwrap_or(i64::MAX))
}
