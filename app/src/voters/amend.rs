//! Changes to a posted list (Điều 32–34): add a voter (the card number continues after the
//! area's highest), remove with a reason, mark "bỏ phiếu ở nơi khác" with the certificate
//! number, correct facts with a reason. Never renumbers; every change is audited with its
//! before and after.

use crate::domain::ids::{AreaId, VoterId};
use serde_json::json;

use super::model::VoterInput;
use crate::domain::audit::{AuditAction, AuditSubject};
use crate::domain::text::clean_cell;
use crate::domain::text::fold;
use crate::domain::voter::{
    entitlement, is_born_in_future, is_of_age, next_stt, BirthDate, Cccd, Date, Gender,
};
use crate::domain::ward::{VoterStatus, VoterSummary};
use crate::error::{AppError, ErrorCode};
use crate::request::{audit, CurrentSession};
use crate::state::AppState;
use crate::storage::db::now_ms;
use crate::storage::db::Db;
use crate::storage::voters::{self as store, NewVoter, VoterFacts};

fn summary(voter: &VoterSummary) -> String {
    json!({
        "stt": voter.stt, "area": voter.area_number, "full_name": voter.full_name,
        "birth": voter.birth.display(), "gender": voter.gender.code(), "cccd": voter.cccd,
        "permanent_address": voter.permanent_address, "temporary_address": voter.temporary_address,
        "levels": voter.levels.0, "status": voter.status.code(), "status_reason": voter.status_reason,
        "certificate_no": voter.certificate_no, "notes": voter.notes,
    })
    .to_string()
}

fn required(text: &str) -> Result<String, AppError> {
    let text = clean_cell(text);
    if text.is_empty() {
        return Err(ErrorCode::ReasonRequired.into());
    }
    Ok(text)
}

/// What was typed, checked against the rules of the election.
struct Checked {
    full_name: String,
    birth: BirthDate,
    gender: Gender,
    cccd: Option<Cccd>,
    temporary_since: Option<Date>,
    name_folded: String,
    ethnicity: String,
    occupation: String,
    permanent_address: String,
    temporary_address: String,
    notes: String,
}

fn check(input: &VoterInput, election_day: Date) -> Result<Checked, AppError> {
    let full_name = clean_cell(&input.full_name);
    if full_name.is_empty() {
        return Err(ErrorCode::InvalidInput.into());
    }
    let birth = BirthDate::parse(&input.birth_date).ok_or(ErrorCode::InvalidDate)?;
    if is_born_in_future(&birth, crate::voters::service::today())
        || !is_of_age(&birth, election_day)
    {
        return Err(ErrorCode::VoterUnder18.into());
    }
    let gender = Gender::parse(&input.gender).ok_or(ErrorCode::InvalidInput)?;
    let cccd = match clean_cell(&input.cccd) {
        text if text.is_empty() => None,
        text => Some(Cccd::parse(&text).ok_or(ErrorCode::InvalidCccd)?),
    };
    let temporary_since = match clean_cell(&input.temporary_since) {
        text if text.is_empty() => None,
        text => Some(Date::parse(&text).ok_or(ErrorCode::InvalidDate)?),
    };
    Ok(Checked {
        name_folded: fold(&full_name),
        full_name,
        birth,
        gender,
        cccd,
        temporary_since,
        ethnicity: clean_cell(&input.ethnicity),
        occupation: clean_cell(&input.occupation),
        permanent_address: clean_cell(&input.permanent_address),
        temporary_address: clean_cell(&input.temporary_address),
        notes: clean_cell(&input.notes),
    })
}

async fn election_of_area(
    db: &Db,
    area_id: AreaId,
) -> Result<
    (
        crate::domain::ward::AreaSummary,
        crate::domain::ward::ElectionSummary,
    ),
    AppError,
> {
    let area = store::area(db.pool(), area_id)
        .await?
        .ok_or(ErrorCode::NotFound)?;
    let election = store::election(db.pool(), area.election_id)
        .await?
        .ok_or(ErrorCode::NotFound)?;
    Ok((area, election))
}

/// Adds a voter at the end of the area's list; returns the new voter.
#[tracing::instrument(skip_all)]
pub async fn add_voter(
    state: &AppState,
    session: &CurrentSession,
    area_id: AreaId,
    input: &VoterInput,
    reason: &str,
) -> Result<VoterSummary, AppError> {
    let db = &state.db;
    let reason = required(reason)?;
    let (area, election) = election_of_area(db, area_id).await?;
    let checked = check(input, election.election_day)?;
    let card_code = crate::token::new_secret()[..16].to_string();
    let now = now_ms();
    let mut tx = db.begin_write().await?;
    if let Some(cccd) = &checked.cccd {
        if store::cccd_taken(&mut tx, election.id, cccd, VoterId::UNKNOWN).await? {
            return Err(ErrorCode::CccdTaken.into());
        }
    }
    let stt = next_stt(store::highest_stt(&mut tx, area_id).await?);
    let voter = NewVoter {
        election_id: election.id,
        area_id,
        stt,
        household_id: None,
        is_head: false,
        full_name: &checked.full_name,
        name_folded: &checked.name_folded,
        birth: checked.birth,
        gender: checked.gender,
        ethnicity: &checked.ethnicity,
        occupation: &checked.occupation,
        cccd: checked.cccd.as_ref(),
        permanent_address: &checked.permanent_address,
        temporary_address: &checked.temporary_address,
        temporary_since: checked.temporary_since,
        levels: entitlement(checked.temporary_since, election.election_day, area.levels),
        notes: &checked.notes,
        card_code: &card_code,
        import_id: None,
    };
    store::insert_voters(&mut tx, std::slice::from_ref(&voter), now).await?;
    let id = store::id_by_card_code(&mut tx, &card_code).await?;
    let added = json!({ "stt": stt, "area": area.number, "full_name": checked.full_name, "reason": reason }).to_string();
    audit(
        &mut tx,
        session,
        AuditAction::VoterAdd,
        AuditSubject::Voter(id),
        String::new(),
        added,
    )
    .await?;
    tx.commit().await?;
    state.search_index.refresh_voter(db, election.id, id).await;
    crate::voters::service::voter(db, id).await
}

/// Removes a voter from the list (the row and its card number stay, marked removed).
#[tracing::instrument(skip_all)]
pub async fn set_status(
    db: &Db,
    session: &CurrentSession,
    voter_id: VoterId,
    status: VoterStatus,
    reason: &str,
    certificate_no: &str,
) -> Result<VoterSummary, AppError> {
    let reason = required(reason)?;
    let certificate_no = clean_cell(certificate_no);
    if status == VoterStatus::Elsewhere && certificate_no.is_empty() {
        return Err(ErrorCode::CertificateRequired.into());
    }
    let before = crate::voters::service::voter(db, voter_id).await?;
    let mut tx = db.begin_write().await?;
    store::set_status(
        &mut tx,
        voter_id,
        status,
        &reason,
        &certificate_no,
        now_ms(),
    )
    .await?;
    let after = VoterSummary {
        status,
        status_reason: reason.clone(),
        certificate_no: certificate_no.clone(),
        ..before.clone()
    };
    let action = match status {
        VoterStatus::Active => AuditAction::VoterRestore,
        VoterStatus::Removed => AuditAction::VoterRemove,
        VoterStatus::Elsewhere => AuditAction::VoterVoteElsewhere,
    };
    audit(
        &mut tx,
        session,
        action,
        AuditSubject::Voter(voter_id),
        summary(&before),
        summary(&after),
    )
    .await?;
    tx.commit().await?;
    Ok(after)
}

/// Corrects a voter's facts; the reason goes into the audit log.
#[tracing::instrument(skip_all)]
pub async fn edit_voter(
    state: &AppState,
    session: &CurrentSession,
    voter_id: VoterId,
    input: &VoterInput,
    reason: &str,
) -> Result<VoterSummary, AppError> {
    let db = &state.db;
    let reason = required(reason)?;
    let before = crate::voters::service::voter(db, voter_id).await?;
    let (area, election) = election_of_area(db, before.area_id).await?;
    let checked = check(input, election.election_day)?;
    let facts = VoterFacts {
        full_name: &checked.full_name,
        name_folded: &checked.name_folded,
        birth: checked.birth,
        gender: checked.gender,
        ethnicity: &checked.ethnicity,
        occupation: &checked.occupation,
        cccd: checked.cccd.as_ref(),
        permanent_address: &checked.permanent_address,
        temporary_address: &checked.temporary_address,
        temporary_since: checked.temporary_since,
        levels: entitlement(checked.temporary_since, election.election_day, area.levels),
        notes: &checked.notes,
    };
    let mut tx = db.begin_write().await?;
    if let Some(cccd) = &checked.cccd {
        if store::cccd_taken(&mut tx, election.id, cccd, voter_id).await? {
            return Err(ErrorCode::CccdTaken.into());
        }
    }
    store::update_facts(&mut tx, voter_id, &facts, now_ms()).await?;
    let after = VoterSummary {
        full_name: checked.full_name.clone(),
        birth: checked.birth,
        gender: checked.gender,
        cccd: checked.cccd.clone(),
        permanent_address: checked.permanent_address.clone(),
        temporary_address: checked.temporary_address.clone(),
        temporary_since: checked.temporary_since,
        levels: facts.levels,
        notes: checked.notes.clone(),
        ethnicity: checked.ethnicity.clone(),
        occupation: checked.occupation.clone(),
        ..before.clone()
    };
    let mut after_summary = summary(&after);
    after_summary.insert_str(
        after_summary.len() - 1,
        &format!(",\"reason\":{}", json!(reason)),
    );
    audit(
        &mut tx,
        session,
        AuditAction::VoterEdit,
        AuditSubject::Voter(voter_id),
        summary(&before),
        after_summary,
    )
    .await?;
    tx.commit().await?;
    state
        .search_index
        .refresh_voter(db, election.id, voter_id)
        .await;
    Ok(after)
}
