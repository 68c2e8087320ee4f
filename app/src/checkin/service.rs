//! Election-day use cases: the station screen, finding a voter at the desk, checking in,
//! undoing, the voting hours and the turnout board.

use super::model::{
    AreaHours, CheckInRequest, DeskArea, DeskMatch, DeskVoter, LogLine, StationView,
    VoterOfOtherArea,
};
use crate::domain::audit::{AuditAction, AuditSubject};
use crate::domain::checkin::{desk_may_undo_own, CheckInOutcome};
use crate::domain::checkin::{ClockTime, VotingWindow};
use crate::domain::ids::{AreaId, CheckInId, ElectionId, VoterId};
use crate::domain::role::Permission;
use crate::domain::turnout::Turnout;
use crate::domain::ward::{AreaSummary, VoterSummary};
use crate::engine::checkin_desk::DeskJob;
use crate::error::{AppError, ErrorCode};
use crate::request::{actor, require_area, works_at, CurrentSession};
use crate::state::AppState;
use crate::storage::audit::{self, AuditEntry};
use crate::storage::checkins as store;
use crate::storage::db::now_ms;
use crate::storage::db::Db;
use crate::storage::form_outcomes;

/// Check-ins shown in the station's log.
const LOG_LENGTH: i64 = 15;
/// What a QR code on a voter card starts with (the rest is the card's random code).
const CARD_PREFIX: &str = "CUTRI:";

fn is_manager(session: &CurrentSession) -> bool {
    session.user.role.can(Permission::ManageElectionDay)
}

async fn area(db: &Db, area_id: AreaId) -> Result<AreaSummary, AppError> {
    Ok(crate::storage::voters::area(db.pool(), area_id)
        .await?
        .ok_or(ErrorCode::NotFound)?)
}

#[tracing::instrument(skip_all)]
pub async fn desk_areas(
    state: &AppState,
    session: &CurrentSession,
) -> Result<Vec<DeskArea>, AppError> {
    let pool = state.db.pool();
    let assigned = match session.user.role {
        crate::domain::role::Role::Station => Some(&session.assigned_areas),
        _ => None,
    };
    let mut desk = Vec::new();
    for election in crate::storage::voters::elections(pool).await? {
        for area in crate::storage::voters::areas(pool, election.id).await? {
            if assigned.as_ref().is_none_or(|ids| ids.contains(&area.id)) {
                desk.push(DeskArea {
                    area_id: area.id,
                    election_id: election.id,
                    election_name: election.name.clone(),
                    number: area.number,
                    name: area.name,
                    opens_at: area.opens_at,
                    closes_at: area.closes_at,
                    voters: area.voters,
                });
            }
        }
    }
    Ok(desk)
}

#[tracing::instrument(skip_all)]
pub async fn station(
    state: &AppState,
    session: &CurrentSession,
    area_id: AreaId,
) -> Result<StationView, AppError> {
    require_area(session, area_id)?;
    let pool = state.db.pool();
    let area = area(&state.db, area_id).await?;
    let election = crate::storage::voters::election(pool, area.election_id)
        .await?
        .ok_or(ErrorCode::NotFound)?;
    let voting_day = store::voting_day(pool, area_id)
        .await?
        .unwrap_or(election.election_day);
    let window = VotingWindow {
        day: voting_day,
        opens: ClockTime::parse(&area.opens_at).ok_or(ErrorCode::Internal)?,
        closes: ClockTime::parse(&area.closes_at).ok_or(ErrorCode::Internal)?,
    };
    let count = state.tallies.area(area.election_id, area_id).await?;
    let manager = is_manager(session);
    let own_latest = if manager {
        None
    } else {
        store::latest_by_user(pool, session.user.id, area_id)
            .await?
            .map(|(id, _)| id)
    };
    let now = now_ms();
    let log = store::recent(pool, area_id, LOG_LENGTH)
        .await?
        .into_iter()
        .map(|line| LogLine {
            may_undo: line.undo_reason.is_none()
                && (manager
                    || desk_may_undo_own(line.check_in.id, line.check_in.at_ms, own_latest, now)),
            check_in_id: line.check_in.id,
            number: line.check_in.number,
            stt: line.stt,
            full_name: line.full_name,
            levels: line.check_in.levels,
            mobile_box: line.check_in.mobile_box,
            hours_override: line.check_in.hours_override,
            at_ms: line.check_in.at_ms,
            by: line.check_in.by,
            undo_reason: line.undo_reason,
        })
        .collect();
    Ok(StationView {
        area_id,
        area_number: area.number,
        area_name: area.name,
        election_id: area.election_id,
        election_name: election.name,
        window,
        voted: count.voted,
        on_list: count.on_list,
        log,
        is_manager: manager,
    })
}

/// Finds voters at the desk: by the scanned card code, or by what was typed (name without
/// diacritics, STT, CCCD, birth year): this area's voters first, searched on their own, then
/// the rest of the election, so the desk can tell someone from another area where to go. Of
/// voters of areas the user does not work at, a station learns only the name, birth year and
/// area.
#[tracing::instrument(skip_all)]
pub async fn lookup(
    state: &AppState,
    session: &CurrentSession,
    area_id: AreaId,
    text: &str,
) -> Result<Vec<DeskMatch>, AppError> {
    require_area(session, area_id)?;
    let area = area(&state.db, area_id).await?;
    let pool = state.db.pool();
    let text = text.trim();
    let found: Vec<VoterSummary> = match strip_card_prefix(text) {
        Some(code) => crate::storage::voters::voter_by_card_code(pool, area.election_id, code)
            .await?
            .into_iter()
            .collect(),
        None => {
            crate::voters::service::search_area_first(
                &state.db,
                Some(&state.search_index),
                area.election_id,
                area_id,
                text,
            )
            .await?
        }
    };
    let ids: Vec<VoterId> = found
        .iter()
        .filter(|voter| works_at(session, voter.area_id))
        .map(|voter| voter.id)
        .collect();
    let mut checked_in =
        store::counting_check_ins(pool, state.db.engine(), area.election_id, &ids).await?;
    Ok(found
        .into_iter()
        .map(|voter| {
            if works_at(session, voter.area_id) {
                DeskMatch::Listed(Box::new(DeskVoter {
                    checked_in: checked_in.remove(&voter.id),
                    voter,
                }))
            } else {
                DeskMatch::OtherArea(VoterOfOtherArea {
                    full_name: voter.full_name,
                    birth_year: voter.birth.year(),
                    area_number: voter.area_number,
                })
            }
        })
        .collect())
}

/// "CUTRI:abc…" as a scanner types it; scanners sometimes send the prefix in lower case.
fn strip_card_prefix(text: &str) -> Option<&str> {
    let prefix = text.get(..CARD_PREFIX.len())?;
    prefix
        .eq_ignore_ascii_case(CARD_PREFIX)
        .then(|| text[CARD_PREFIX.len()..].trim())
        .filter(|code| !code.is_empty())
}

fn valid_request_id(id: &str) -> bool {
    (8..=64).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

#[tracing::instrument(skip_all)]
pub async fn check_in(
    state: &AppState,
    session: &CurrentSession,
    request: CheckInRequest,
) -> Result<CheckInOutcome, AppError> {
    require_area(session, request.area_id)?;
    if request.hours_override && !is_manager(session) {
        return Err(ErrorCode::Forbidden.into());
    }
    if !valid_request_id(&request.request_id) {
        return Err(ErrorCode::InvalidInput.into());
    }
    state
        .check_in_desk
        .check_in(DeskJob {
            request_id: request.request_id,
            station_area_id: request.area_id,
            voter_id: request.voter_id,
            mobile_box: request.mobile_box,
            hours_override: request.hours_override,
            actor: actor(session),
            by_name: session.user.display_name.clone(),
        })
        .await
}

/// Keeps what a check-in confirmed by a plain form post was answered, for the desk page the
/// browser is sent back to (`storage::form_outcomes`). The check-in stands whether or not this
/// is kept: a failure only costs the page its message.
pub async fn keep_form_outcome(
    state: &AppState,
    session: &CurrentSession,
    area_id: AreaId,
    request_id: &str,
    outcome: &CheckInOutcome,
) {
    let key = (session.user.id, area_id, request_id);
    if let Err(error) = form_outcomes::keep(state.db.pool(), key, outcome, now_ms()).await {
        tracing::warn!(%error, "the answer to a form post was not kept for its page");
    }
}

pub async fn form_outcome(
    state: &AppState,
    session: &CurrentSession,
    area_id: AreaId,
    request_id: &str,
) -> Result<Option<CheckInOutcome>, AppError> {
    require_area(session, area_id)?;
    let key = (session.user.id, area_id, request_id);
    Ok(form_outcomes::find(state.db.pool(), key, now_ms()).await?)
}

/// Undoes a check-in: the check-in stays, an undo with its reason is added, and the voter may be
/// checked in again.
#[tracing::instrument(skip_all)]
pub async fn undo(
    state: &AppState,
    session: &CurrentSession,
    check_in_id: CheckInId,
    reason: &str,
) -> Result<(), AppError> {
    let reason = crate::domain::text::clean_cell(reason);
    if reason.is_empty() {
        return Err(ErrorCode::ReasonRequired.into());
    }
    // A desk learns nothing of check-ins it cannot undo, not even whether they exist.
    let missing = if is_manager(session) {
        ErrorCode::NotFound
    } else {
        ErrorCode::Forbidden
    };
    let check_in = store::check_in(state.db.pool(), check_in_id)
        .await?
        .ok_or(missing)?;
    let election_id = area(&state.db, check_in.area_id).await?.election_id;
    let now = now_ms();
    let actor = actor(session);
    let mut tx = state.db.begin_write().await?;
    if !is_manager(session) {
        require_area(session, check_in.area_id)?;
        let latest = store::latest_by_user(&mut *tx, session.user.id, check_in.area_id).await?;
        if !desk_may_undo_own(check_in_id, check_in.at_ms, latest.map(|(id, _)| id), now) {
            return Err(ErrorCode::OwnUndoOnly.into());
        }
    }
    if !store::undo(
        &mut tx,
        check_in_id,
        &reason,
        session.user.id,
        &session.user.display_name,
        now,
    )
    .await?
    {
        return Err(ErrorCode::CheckInAlreadyUndone.into());
    }
    audit::append(
        &mut tx,
        AuditEntry {
            actor: &actor,
            action: AuditAction::CheckinUndo,
            entity: AuditSubject::Voter(check_in.voter_id),
            before: format!("luot={} khu_vuc={}", check_in.number, check_in.area_id),
            after: format!("huy: {reason}"),
        },
        now,
    )
    .await?;
    let counts = state.tallies.hold().await;
    tx.commit().await?;
    counts.apply(&[crate::engine::tally::Movement {
        election_id,
        area_id: check_in.area_id,
        levels: check_in.levels,
        delta: -1,
        latest: None,
    }]);
    Ok(())
}

#[tracing::instrument(skip_all)]
pub async fn set_hours(
    state: &AppState,
    session: &CurrentSession,
    area_id: AreaId,
    opens: &str,
    closes: &str,
) -> Result<AreaHours, AppError> {
    let (Some(opens), Some(closes)) = (ClockTime::parse(opens), ClockTime::parse(closes)) else {
        return Err(ErrorCode::VotingHoursInvalid.into());
    };
    if !VotingWindow::hours_are_lawful(opens, closes) {
        return Err(ErrorCode::VotingHoursInvalid.into());
    }
    let before = area(&state.db, area_id).await?;
    let mut tx = state.db.begin_write().await?;
    store::set_hours(&mut tx, area_id, opens, closes).await?;
    audit::append(
        &mut tx,
        AuditEntry {
            actor: &actor(session),
            action: AuditAction::AreaHours,
            entity: AuditSubject::Area(area_id),
            before: format!("{}–{}", before.opens_at, before.closes_at),
            after: format!("{}–{}", opens.display(), closes.display()),
        },
        now_ms(),
    )
    .await?;
    tx.commit().await?;
    tracing::info!(area = %area_id, opens = %opens.display(), closes = %closes.display(), "voting hours set");
    Ok(AreaHours {
        opens_at: opens.display(),
        closes_at: closes.display(),
    })
}

#[tracing::instrument(skip_all)]
pub async fn turnout(state: &AppState, election_id: ElectionId) -> Result<Turnout, AppError> {
    Ok(state
        .tallies
        .turnout(election_id)
        .await?
        .ok_or(ErrorCode::NotFound)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scanned_card_codes_are_recognised() {
        assert_eq!(strip_card_prefix("CUTRI:Ab-9_x"), Some("Ab-9_x"));
        assert_eq!(strip_card_prefix("cutri:Ab-9_x"), Some("Ab-9_x"));
        assert_eq!(strip_card_prefix("CUTRI:"), None);
        assert_eq!(strip_card_prefix("nguyen van"), None);
        assert_eq!(strip_card_prefix("Đỗ"), None);
    }

    #[test]
    fn request_ids_are_short_plain_tokens() {
        assert!(valid_request_id("3f2a9c1e-77aa-4b1e-9c0d-2b8f6a1d0e55"));
        assert!(!valid_request_id("short"));
        assert!(!valid_request_id("has space in it"));
        assert!(!valid_request_id(&"x".repeat(65)));
    }
}
