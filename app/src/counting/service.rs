//! Counting use cases: the overview, the entry page, saving an entry (double entry by two
//! different people) and finalising, which locks the tally.

use crate::domain::ids::AreaId;
use serde_json::json;
use sha2::{Digest, Sha256};

use super::model::{
    CountingState, EntryInfo, OverviewRow, RegisterView, SaveOutcome, TallyForm, TallyPage,
};
use crate::domain::audit::{AuditAction, AuditSubject};
use crate::domain::counting::{check, differences, BallotLevel, Known, Tally};
use crate::domain::role::{Permission, Role};
use crate::domain::ward::{AreaSummary, ElectionSummary};
use crate::error::{AppError, ErrorCode};
use crate::request::actor;
use crate::request::{require_area, CurrentSession};
use crate::state::AppState;
use crate::storage::audit::{self, AuditEntry};
use crate::storage::counting::{self as store, NewEntry, NewFinal, StoredEntry, StoredFinal};
use crate::storage::db::now_ms;
use crate::storage::db::Db;

fn parse_tally(json: &str) -> Result<Tally, AppError> {
    serde_json::from_str(json).map_err(AppError::internal)
}

fn to_json(tally: &Tally) -> Result<String, AppError> {
    serde_json::to_string(tally).map_err(AppError::internal)
}

/// SHA-256 of the stored tally, 12 hex digits as printed on every page of the minutes.
pub fn data_hash(tally_json: &str) -> String {
    hex::encode(Sha256::digest(tally_json.as_bytes()))
}

fn level_of(slug: &str) -> Result<BallotLevel, AppError> {
    BallotLevel::parse(slug).ok_or_else(|| ErrorCode::NotFound.into())
}

/// The area and its election, if the area holds an election of this level.
#[tracing::instrument(skip_all)]
pub async fn area_and_election(
    db: &Db,
    area_id: AreaId,
    level: BallotLevel,
) -> Result<(AreaSummary, ElectionSummary), AppError> {
    let pool = db.pool();
    let area = crate::storage::voters::area(pool, area_id)
        .await?
        .ok_or(ErrorCode::NotFound)?;
    let election = crate::storage::voters::election(pool, area.election_id)
        .await?
        .ok_or(ErrorCode::NotFound)?;
    if !area.levels.contains(level.levels()) || !election.levels.contains(level.levels()) {
        return Err(ErrorCode::NotFound.into());
    }
    Ok((area, election))
}

/// The voter list and the check-ins of the area, counted for this level.
#[tracing::instrument(skip_all)]
pub async fn known(db: &Db, area: &AreaSummary, level: BallotLevel) -> Result<Known, AppError> {
    let pool = db.pool();
    let count = |rows: Vec<(AreaId, crate::domain::voter::Levels, i64)>| {
        rows.into_iter()
            .filter(|(id, levels, _)| *id == area.id && levels.contains(level.levels()))
            .map(|(_, _, n)| n)
            .sum::<i64>()
    };
    Ok(Known {
        on_list: count(crate::storage::checkins::on_list_by_area(pool, area.election_id).await?),
        checked_in: count(crate::storage::checkins::counts_by_area(pool, area.election_id).await?),
    })
}

/// The register's constituency and candidates for the area at this level, if set up.
async fn register_view(
    db: &Db,
    area_id: AreaId,
    level: BallotLevel,
) -> Result<Option<RegisterView>, AppError> {
    Ok(
        crate::constituencies::service::area_register(db, area_id, level)
            .await?
            .map(|r| RegisterView {
                number: r.number,
                name: r.name,
                seats: r.seats,
                candidates: r
                    .candidates
                    .into_iter()
                    .map(|c| (c.full_name, c.birth_date))
                    .collect(),
            }),
    )
}

fn state_of(entries: &[StoredEntry], finalised: bool) -> Result<CountingState, AppError> {
    Ok(match (finalised, entries) {
        (true, _) => CountingState::Finalised,
        (false, []) => CountingState::NotEntered,
        (false, [_]) => CountingState::FirstEntry,
        (false, [first, second, ..]) => {
            if differences(&parse_tally(&first.tally)?, &parse_tally(&second.tally)?).is_empty() {
                CountingState::Agreed
            } else {
                CountingState::EntriesDiffer
            }
        }
    })
}

#[tracing::instrument(skip_all)]
pub async fn overview(
    state: &AppState,
    session: &CurrentSession,
) -> Result<Vec<OverviewRow>, AppError> {
    let pool = state.db.pool();
    let assigned = match session.user.role {
        Role::Station => Some(&session.assigned_areas),
        _ => None,
    };
    let mut rows = Vec::new();
    for election in crate::storage::voters::elections(pool).await? {
        let entries = store::election_entries(pool, election.id).await?;
        let finals = store::election_finals(pool, election.id).await?;
        for area in crate::storage::voters::areas(pool, election.id).await? {
            if assigned.as_ref().is_some_and(|ids| !ids.contains(&area.id)) {
                continue;
            }
            for level in BallotLevel::ALL {
                let bit = level.levels();
                if !area.levels.contains(bit) || !election.levels.contains(bit) {
                    continue;
                }
                let mine: Vec<StoredEntry> = entries
                    .iter()
                    .filter(|e| e.area_id == area.id && e.level == bit.0)
                    .cloned()
                    .collect();
                let finalised = finals
                    .iter()
                    .any(|f| f.area_id == area.id && f.level == bit.0);
                rows.push(OverviewRow {
                    election_id: election.id,
                    election_name: election.name.clone(),
                    area_id: area.id,
                    area_number: area.number,
                    area_name: area.name.clone(),
                    level,
                    state: state_of(&mine, finalised)?,
                });
            }
        }
    }
    Ok(rows)
}

#[tracing::instrument(skip_all)]
pub async fn view(
    state: &AppState,
    session: &CurrentSession,
    area_id: AreaId,
    level: &str,
) -> Result<TallyPage, AppError> {
    require_area(session, area_id)?;
    let level = level_of(level)?;
    let db = &state.db;
    let (area, election) = area_and_election(db, area_id, level).await?;
    let known = known(db, &area, level).await?;
    let entries = store::entries(db.pool(), area_id, level.levels().0).await?;
    let final_tally = store::final_tally(db.pool(), area_id, level.levels().0).await?;
    let state_now = state_of(&entries, final_tally.is_some())?;
    let both = entries.len() == 2;
    let mut infos = Vec::new();
    for entry in &entries {
        let mine = entry.user_id == Some(session.user.id);
        infos.push(EntryInfo {
            slot: entry.slot,
            by: entry.by.clone(),
            at_ms: entry.at_ms,
            mine,
            tally: if mine || both || final_tally.is_some() {
                Some(parse_tally(&entry.tally)?)
            } else {
                None
            },
        });
    }
    let differences = match entries.as_slice() {
        [first, second] => differences(&parse_tally(&first.tally)?, &parse_tally(&second.tally)?),
        _ => Vec::new(),
    };
    // The findings of the tally this user is looking at.
    let register = register_view(db, area_id, level).await?;
    let shown = match &final_tally {
        Some(f) => Some(parse_tally(&f.tally)?),
        None => infos
            .iter()
            .find(|e| e.mine)
            .or_else(|| infos.first())
            .and_then(|e| e.tally.clone()),
    };
    Ok(TallyPage {
        election_name: election.name,
        area_id,
        area_number: area.number,
        area_name: area.name,
        level,
        known,
        entries: infos,
        state: state_now,
        differences,
        findings: shown.map(|t| check(&t, known)).unwrap_or_default(),
        finalised: final_tally.map(|f| (f.by, f.at_ms)),
        may_finalise: session.user.role.can(Permission::ManageElectionDay),
        register,
    })
}

#[tracing::instrument(skip_all)]
pub async fn save(
    state: &AppState,
    session: &CurrentSession,
    form: &TallyForm,
) -> Result<SaveOutcome, AppError> {
    require_area(session, form.area_id)?;
    let level = level_of(&form.level)?;
    if !matches!(form.slot, 1 | 2) {
        return Err(ErrorCode::InvalidInput.into());
    }
    let db = &state.db;
    let (area, election) = area_and_election(db, form.area_id, level).await?;
    let tally = match register_view(db, area.id, level).await? {
        Some(register) => form.tally_with(&register)?,
        None => form.tally()?,
    };
    let tally_json = to_json(&tally)?;
    let known = known(db, &area, level).await?;
    let bit = level.levels().0;
    let mut tx = db.begin_write().await?;
    if store::final_tally(&mut *tx, area.id, bit).await?.is_some() {
        return Err(ErrorCode::CountingFinalised.into());
    }
    let mut entries = store::entries(&mut *tx, area.id, bit).await?;
    let before = entries
        .iter()
        .find(|e| e.slot == form.slot)
        .map(|e| e.tally.clone())
        .unwrap_or_default();
    for entry in &entries {
        let own = entry.user_id == Some(session.user.id);
        if entry.slot == form.slot && !own {
            return Err(ErrorCode::CountingEntryTaken.into());
        }
        if entry.slot != form.slot && own {
            return Err(ErrorCode::CountingSameUser.into());
        }
    }
    let actor = actor(session);
    let now = now_ms();
    store::save_entry(
        &mut tx,
        &NewEntry {
            election_id: election.id,
            area_id: area.id,
            level: bit,
            slot: form.slot,
            tally: &tally_json,
            user_id: session.user.id,
            by: &actor.username,
            at_ms: now,
        },
    )
    .await?;
    audit::append(
        &mut tx,
        AuditEntry {
            actor: &actor,
            action: AuditAction::CountingEnter,
            entity: AuditSubject::CountingEntry {
                area_id: area.id,
                level,
                slot: form.slot,
            },
            before,
            after: tally_json.clone(),
        },
        now,
    )
    .await?;
    tx.commit().await?;
    entries.retain(|e| e.slot != form.slot);
    entries.push(StoredEntry {
        area_id: area.id,
        level: bit,
        slot: form.slot,
        tally: tally_json,
        user_id: Some(session.user.id),
        by: actor.username.clone(),
        at_ms: now,
    });
    entries.sort_by_key(|e| e.slot);
    let differences = match entries.as_slice() {
        [first, second] => differences(&parse_tally(&first.tally)?, &parse_tally(&second.tally)?),
        _ => Vec::new(),
    };
    tracing::info!(user = %actor.username, area = %area.id, level = level.slug(), slot = form.slot, "counting entry saved");
    Ok(SaveOutcome {
        state: state_of(&entries, false)?,
        findings: check(&tally, known),
        differences,
    })
}

#[tracing::instrument(skip_all)]
pub async fn finalise(
    state: &AppState,
    session: &CurrentSession,
    area_id: AreaId,
    level: &str,
) -> Result<(), AppError> {
    let level = level_of(level)?;
    let db = &state.db;
    let (area, election) = area_and_election(db, area_id, level).await?;
    let known = known(db, &area, level).await?;
    let bit = level.levels().0;
    let mut tx = db.begin_write().await?;
    if store::final_tally(&mut *tx, area_id, bit).await?.is_some() {
        return Err(ErrorCode::CountingFinalised.into());
    }
    let entries = store::entries(&mut *tx, area_id, bit).await?;
    let [first, second] = entries.as_slice() else {
        return Err(ErrorCode::CountingEntriesMissing.into());
    };
    let tally = parse_tally(&first.tally)?;
    if !differences(&tally, &parse_tally(&second.tally)?).is_empty() {
        return Err(ErrorCode::CountingEntriesDiffer.into());
    }
    if check(&tally, known).iter().any(|f| f.is_error()) {
        return Err(ErrorCode::CountingHasErrors.into());
    }
    let hash = data_hash(&first.tally);
    let actor = actor(session);
    let now = now_ms();
    store::insert_final(
        &mut tx,
        &NewFinal {
            election_id: election.id,
            area_id,
            level: bit,
            tally: &first.tally,
            data_hash: &hash,
            user_id: session.user.id,
            by: &actor.username,
            at_ms: now,
        },
    )
    .await?;
    audit::append(
        &mut tx,
        AuditEntry {
            actor: &actor,
            action: AuditAction::CountingFinalise,
            entity: AuditSubject::Counting { area_id, level },
            before: String::new(),
            after: json!({
                "tally": serde_json::from_str::<serde_json::Value>(&first.tally).map_err(AppError::internal)?,
                "data_hash": hash,
                "first_entry_by": first.by,
                "second_entry_by": second.by,
            })
            .to_string(),
        },
        now,
    )
    .await?;
    tx.commit().await?;
    tracing::info!(user = %actor.username, area = %area_id, level = level.slug(), "counting minutes finalised");
    Ok(())
}

/// What the minutes are printed from: the final tally (and its hash), or a draft from the
/// first entry while the minutes are not finalised.
pub struct MinutesData {
    pub area: AreaSummary,
    pub election: ElectionSummary,
    pub level: BallotLevel,
    pub tally: Tally,
    pub data_hash: String,
    pub finalised: Option<StoredFinal>,
    /// (number, name) of the area's constituency at this level, when the register has one.
    pub constituency: Option<(i64, String)>,
}

/// The data of the minutes PDF; None when nothing has been entered yet.
#[tracing::instrument(skip_all)]
pub async fn minutes_data(
    db: &Db,
    area_id: AreaId,
    level: &str,
) -> Result<Option<MinutesData>, AppError> {
    let level = level_of(level)?;
    let (area, election) = area_and_election(db, area_id, level).await?;
    let bit = level.levels().0;
    let finalised = store::final_tally(db.pool(), area_id, bit).await?;
    let json = match &finalised {
        Some(f) => f.tally.clone(),
        None => match store::entries(db.pool(), area_id, bit)
            .await?
            .into_iter()
            .next()
        {
            Some(entry) => entry.tally,
            None => return Ok(None),
        },
    };
    let constituency = crate::storage::constituencies::of_area(db.pool(), area_id, bit)
        .await?
        .map(|c| (c.number, c.name));
    Ok(Some(MinutesData {
        constituency,
        tally: parse_tally(&json)?,
        data_hash: data_hash(&json),
        area,
        election,
        level,
        finalised,
    }))
}
