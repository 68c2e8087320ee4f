//! Recording complaints and their answers. Each write and its audit record share one
//! transaction; deadlines and "overdue" come from `domain::complaint`.

use crate::domain::ids::{ComplaintId, ElectionId, VoterId};
use serde_json::json;

use super::model::{Complaint, ComplaintRegister, LinkedVoter};
use crate::domain::audit::{AuditAction, AuditSubject};
use crate::domain::complaint::{answer_deadline, check_dates, is_late, is_overdue, DateProblem};
use crate::domain::text::clean_cell;
use crate::domain::voter::Date;
use crate::error::{AppError, ErrorCode};
use crate::request::{audit, CurrentSession};
use crate::storage::complaints::{self as store, NewComplaint, StoredComplaint};
use crate::storage::db::now_ms;
use crate::storage::db::Db;
use crate::storage::voters as voter_store;
use crate::voters::service::today;

/// The register's view of a stored complaint; `posted_on` is the day its election's list was
/// posted, from which the filing period runs.
fn complaint(stored: StoredComplaint, today: Date, posted_on: Option<Date>) -> Complaint {
    Complaint {
        id: stored.id,
        election_id: stored.election_id,
        voter: stored
            .voter_id
            .zip(stored.voter)
            .map(|(id, (full_name, area_number, stt))| LinkedVoter {
                id,
                full_name,
                area_number,
                stt,
            }),
        deadline: answer_deadline(stored.received_on),
        overdue: is_overdue(stored.received_on, stored.resolved_on, today),
        late: is_late(stored.received_on, posted_on),
        complainant: stored.complainant,
        received_on: stored.received_on,
        content: stored.content,
        resolution: stored.resolution,
        resolved_on: stored.resolved_on,
        created_by: stored.created_by,
    }
}

fn date_problem(problem: DateProblem) -> AppError {
    match problem {
        DateProblem::InFuture => ErrorCode::ComplaintDateInFuture.into(),
        DateProblem::ResolvedBeforeReceived => ErrorCode::ResolvedBeforeReceived.into(),
    }
}

#[tracing::instrument(skip_all)]
pub async fn overview(
    db: &Db,
    election_id: Option<ElectionId>,
) -> Result<ComplaintRegister, AppError> {
    let elections = voter_store::elections(db.pool()).await?;
    let selected = election_id
        .filter(|id| elections.iter().any(|e| e.id == *id))
        .or(elections.first().map(|e| e.id));
    let today = today();
    let posted_on = elections
        .iter()
        .find(|e| Some(e.id) == selected)
        .and_then(|e| e.posted_on);
    let complaints = match selected {
        Some(id) => store::list(db.pool(), id)
            .await?
            .into_iter()
            .map(|stored| complaint(stored, today, posted_on))
            .collect(),
        None => Vec::new(),
    };
    Ok(ComplaintRegister {
        elections,
        selected,
        complaints,
        today,
    })
}

/// A complaint as typed into the register's form.
pub struct NewEntry<'a> {
    pub election_id: ElectionId,
    pub voter_id: Option<VoterId>,
    pub complainant: &'a str,
    pub received_on: &'a str,
    pub content: &'a str,
}

/// Enters a complaint in the register.
#[tracing::instrument(skip_all)]
pub async fn record(
    db: &Db,
    session: &CurrentSession,
    entry: &NewEntry<'_>,
) -> Result<Complaint, AppError> {
    let complainant = clean_cell(entry.complainant);
    if complainant.is_empty() {
        return Err(ErrorCode::ComplainantRequired.into());
    }
    let content = clean_cell(entry.content);
    if content.is_empty() {
        return Err(ErrorCode::ComplaintContentRequired.into());
    }
    let received_on = Date::parse(entry.received_on).ok_or(ErrorCode::InvalidDate)?;
    let today = today();
    check_dates(received_on, None, today).map_err(date_problem)?;
    let posted_on = voter_store::election(db.pool(), entry.election_id)
        .await?
        .ok_or(ErrorCode::NotFound)?
        .posted_on;
    let mut tx = db.begin_write().await?;
    if let Some(voter_id) = entry.voter_id {
        if store::election_of_voter(&mut tx, voter_id).await? != Some(entry.election_id) {
            return Err(ErrorCode::ComplaintVoterNotInElection.into());
        }
    }
    let new = NewComplaint {
        election_id: entry.election_id,
        voter_id: entry.voter_id,
        complainant: &complainant,
        received_on,
        content: &content,
        created_by: &session.user.username,
    };
    let id = store::insert(&mut tx, &new, now_ms()).await?;
    let after = json!({
        "election_id": entry.election_id, "voter_id": entry.voter_id, "complainant": complainant,
        "received_on": received_on.iso(), "deadline": answer_deadline(received_on).iso(),
        "content": content, "late": is_late(received_on, posted_on),
    })
    .to_string();
    audit(
        &mut tx,
        session,
        AuditAction::ComplaintRecord,
        AuditSubject::Complaint(id),
        String::new(),
        after,
    )
    .await?;
    let stored = store::get(&mut tx, id).await?.ok_or(ErrorCode::NotFound)?;
    tx.commit().await?;
    Ok(complaint(stored, today, posted_on))
}

/// Records the answer to a complaint. An answer is final: a second one is refused.
#[tracing::instrument(skip_all)]
pub async fn resolve(
    db: &Db,
    session: &CurrentSession,
    complaint_id: ComplaintId,
    resolution: &str,
    resolved_on: &str,
) -> Result<Complaint, AppError> {
    let resolution = clean_cell(resolution);
    if resolution.is_empty() {
        return Err(ErrorCode::ResolutionRequired.into());
    }
    let resolved_on = Date::parse(resolved_on).ok_or(ErrorCode::InvalidDate)?;
    let today = today();
    let mut tx = db.begin_write().await?;
    let before = store::get(&mut tx, complaint_id)
        .await?
        .ok_or(ErrorCode::NotFound)?;
    if before.resolved_on.is_some() {
        return Err(ErrorCode::ComplaintAlreadyResolved.into());
    }
    check_dates(before.received_on, Some(resolved_on), today).map_err(date_problem)?;
    store::resolve(&mut tx, complaint_id, &resolution, resolved_on).await?;
    let was_overdue = is_overdue(before.received_on, None, resolved_on);
    let after = json!({
        "resolution": resolution, "resolved_on": resolved_on.iso(),
        "deadline": answer_deadline(before.received_on).iso(), "late": was_overdue,
    })
    .to_string();
    let before_json = json!({ "resolution": before.resolution, "resolved_on": null }).to_string();
    audit(
        &mut tx,
        session,
        AuditAction::ComplaintResolve,
        AuditSubject::Complaint(complaint_id),
        before_json,
        after,
    )
    .await?;
    let stored = store::get(&mut tx, complaint_id)
        .await?
        .ok_or(ErrorCode::NotFound)?;
    tx.commit().await?;
    let posted_on = voter_store::election(db.pool(), stored.election_id)
        .await?
        .and_then(|election| election.posted_on);
    Ok(complaint(stored, today, posted_on))
}
