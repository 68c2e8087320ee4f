//! Constituency use cases: the register page, saving a constituency and its candidate list
//! (audited), the register as counting entry reads it, and result determination.

use crate::domain::ids::{AreaId, ConstituencyId, ElectionId};
use serde_json::json;

use super::model::{
    AreaResult, ConstituencyResult, ConstituencyRow, Determination, RegisterPage, ResultsPage,
};
use crate::domain::audit::{AuditAction, AuditSubject};
use crate::domain::constituency::{
    parse_candidates, sort_candidates, ConstituencyInput, RegisterCandidate,
};
use crate::domain::counting::{
    additional_election_needed, determine, shares, sum_tallies, BallotLevel, Tally,
};
use crate::domain::voter::Gender;
use crate::domain::ward::{AreaSummary, ElectionSummary};
use crate::error::{AppError, ErrorCode, ErrorDetail};
use crate::request::actor;
use crate::request::CurrentSession;
use crate::storage::audit::{self, AuditEntry};
use crate::storage::constituencies::{
    self as store, NewConstituency, StoredCandidate, StoredConstituency,
};
use crate::storage::db::now_ms;
use crate::storage::db::Db;

fn level_of_bit(bit: i64) -> Result<BallotLevel, AppError> {
    BallotLevel::from_bit(bit).ok_or_else(|| AppError::internal(format!("unknown level {bit}")))
}

fn register_candidate(stored: &StoredCandidate) -> RegisterCandidate {
    RegisterCandidate {
        full_name: stored.full_name.clone(),
        birth_date: stored.birth_date.clone(),
        // The column's check constraint admits only 'nam' and 'nu'.
        gender: Gender::from_code(&stored.gender).unwrap_or(Gender::Male),
    }
}

/// The official list of a constituency, in the official order.
fn official_list(
    stored: &[StoredCandidate],
    constituency_id: ConstituencyId,
) -> Vec<RegisterCandidate> {
    let mut list: Vec<RegisterCandidate> = stored
        .iter()
        .filter(|c| c.constituency_id == constituency_id)
        .map(register_candidate)
        .collect();
    sort_candidates(&mut list);
    list
}

async fn elections_and_choice(
    db: &Db,
    chosen: Option<ElectionId>,
) -> Result<(Vec<ElectionSummary>, Option<ElectionSummary>), AppError> {
    let elections = crate::storage::voters::elections(db.pool()).await?;
    let election = chosen
        .and_then(|id| elections.iter().find(|e| e.id == id))
        .or_else(|| elections.first())
        .cloned();
    Ok((elections, election))
}

fn rows(
    constituencies: &[StoredConstituency],
    links: &[(ConstituencyId, AreaId)],
    candidates: &[StoredCandidate],
) -> Result<Vec<ConstituencyRow>, AppError> {
    constituencies
        .iter()
        .map(|c| {
            Ok(ConstituencyRow {
                id: c.id,
                level: level_of_bit(c.level)?,
                number: c.number,
                name: c.name.clone(),
                seats: c.seats,
                area_ids: links
                    .iter()
                    .filter(|(cid, _)| *cid == c.id)
                    .map(|(_, area)| *area)
                    .collect(),
                candidates: official_list(candidates, c.id),
            })
        })
        .collect()
}

#[tracing::instrument(skip_all)]
pub async fn register(db: &Db, election_id: Option<ElectionId>) -> Result<RegisterPage, AppError> {
    let (elections, election) = elections_and_choice(db, election_id).await?;
    let listed = elections.iter().map(|e| (e.id, e.name.clone())).collect();
    let Some(election) = election else {
        return Ok(RegisterPage {
            elections: listed,
            election_id: None,
            levels: Vec::new(),
            areas: Vec::new(),
            constituencies: Vec::new(),
        });
    };
    let pool = db.pool();
    let constituencies = store::of_election(pool, election.id).await?;
    let links = store::area_links(pool, election.id).await?;
    let candidates = store::election_candidates(pool, election.id).await?;
    Ok(RegisterPage {
        elections: listed,
        election_id: Some(election.id),
        levels: BallotLevel::ALL
            .into_iter()
            .filter(|l| election.levels.contains(l.levels()))
            .collect(),
        areas: crate::storage::voters::areas(pool, election.id).await?,
        constituencies: rows(&constituencies, &links, &candidates)?,
    })
}

/// What the constituency form posts.
pub struct SaveInput<'a> {
    pub election_id: ElectionId,
    /// None creates a constituency.
    pub id: Option<ConstituencyId>,
    pub level: &'a str,
    pub number: i64,
    pub name: &'a str,
    pub seats: i64,
    pub area_ids: &'a [AreaId],
}

/// Creates or updates a constituency and sets its polling areas. Areas must be of the election
/// and hold the level, and belong to no other constituency of the level; the seats cannot
/// change once counting has begun there.
#[tracing::instrument(skip_all)]
pub async fn save(
    db: &Db,
    session: &CurrentSession,
    input: &SaveInput<'_>,
) -> Result<ConstituencyId, AppError> {
    let level = BallotLevel::parse(input.level).ok_or(ErrorCode::InvalidInput)?;
    let parsed = ConstituencyInput::parse(input.number, input.name, input.seats)
        .ok_or(ErrorCode::ConstituencyInputInvalid)?;
    let pool = db.pool();
    let election = crate::storage::voters::election(pool, input.election_id)
        .await?
        .ok_or(ErrorCode::NotFound)?;
    if !election.levels.contains(level.levels()) {
        return Err(ErrorCode::InvalidInput.into());
    }
    let areas = crate::storage::voters::areas(pool, election.id).await?;
    let mut area_ids: Vec<AreaId> = input.area_ids.to_vec();
    area_ids.sort_unstable();
    area_ids.dedup();
    let area_of = |id: AreaId| areas.iter().find(|a| a.id == id);
    if area_ids
        .iter()
        .any(|&id| area_of(id).is_none_or(|a| !a.levels.contains(level.levels())))
    {
        return Err(ErrorCode::InvalidInput.into());
    }
    let bit = level.levels().0;
    let new = NewConstituency {
        election_id: election.id,
        level: bit,
        number: parsed.number,
        name: &parsed.name,
        seats: parsed.seats,
    };
    let actor = actor(session);
    let now = now_ms();
    let mut tx = db.begin_write().await?;
    let before = match input.id {
        Some(id) => {
            let old = store::get(&mut *tx, id)
                .await?
                .filter(|c| c.election_id == election.id && c.level == bit)
                .ok_or(ErrorCode::NotFound)?;
            if old.seats != parsed.seats && store::tallies_begun(&mut tx, id, bit).await? > 0 {
                return Err(ErrorCode::ConstituencyLocked.into());
            }
            let old_areas = store::areas_of(&mut *tx, id).await?;
            json!({"number": old.number, "name": old.name, "seats": old.seats, "areas": old_areas})
                .to_string()
        }
        None => String::new(),
    };
    if store::number_taken(&mut tx, &new, input.id).await? {
        return Err(ErrorCode::ConstituencyNumberTaken.into());
    }
    let id = match input.id {
        Some(id) => {
            store::update(&mut tx, id, &new).await?;
            id
        }
        None => store::insert(&mut tx, &new).await?,
    };
    let elsewhere = store::areas_elsewhere(&mut tx, id, bit, &area_ids).await?;
    if !elsewhere.is_empty() {
        let numbers: Vec<String> = elsewhere
            .iter()
            .filter_map(|&a| area_of(a))
            .map(|a| a.number.to_string())
            .collect();
        let mut error = AppError::new(ErrorCode::ConstituencyAreaTaken);
        error.detail = Some(ErrorDetail::Subject(format!(
            "KVBP số {}",
            numbers.join(", ")
        )));
        return Err(error);
    }
    store::set_areas(&mut tx, id, bit, &area_ids).await?;
    audit::append(
        &mut tx,
        AuditEntry {
            actor: &actor,
            action: AuditAction::ConstituencySave,
            entity: AuditSubject::Constituency(id),
            before,
            after: json!({
                "election_id": election.id, "level": level.slug(), "number": parsed.number,
                "name": parsed.name, "seats": parsed.seats, "areas": area_ids,
            })
            .to_string(),
        },
        now,
    )
    .await?;
    tx.commit().await?;
    tracing::info!(user = %actor.username, constituency = %id, "constituency saved");
    Ok(id)
}

/// Replaces the official candidate list; refused once counting has begun in the constituency,
/// because entries were made against the list as it stood.
#[tracing::instrument(skip_all)]
pub async fn save_candidates(
    db: &Db,
    session: &CurrentSession,
    constituency_id: ConstituencyId,
    text: &str,
) -> Result<usize, AppError> {
    let list = parse_candidates(text).map_err(|line| {
        let mut error = AppError::new(ErrorCode::CandidateListInvalid);
        error.detail = Some(ErrorDetail::Subject(format!("dòng {line}")));
        error
    })?;
    let stored: Vec<StoredCandidate> = list
        .iter()
        .map(|c| StoredCandidate {
            constituency_id,
            full_name: c.full_name.clone(),
            birth_date: c.birth_date.clone(),
            gender: c.gender.code().to_string(),
        })
        .collect();
    let actor = actor(session);
    let now = now_ms();
    let mut tx = db.begin_write().await?;
    let constituency = store::get(&mut *tx, constituency_id)
        .await?
        .ok_or(ErrorCode::NotFound)?;
    if store::tallies_begun(&mut tx, constituency_id, constituency.level).await? > 0 {
        return Err(ErrorCode::ConstituencyLocked.into());
    }
    let before = store::candidates_of(&mut *tx, constituency_id).await?;
    let text_of = |list: &[RegisterCandidate]| crate::domain::constituency::candidates_text(list);
    let before_list: Vec<RegisterCandidate> = before.iter().map(register_candidate).collect();
    store::set_candidates(&mut tx, constituency_id, &stored).await?;
    audit::append(
        &mut tx,
        AuditEntry {
            actor: &actor,
            action: AuditAction::ConstituencyCandidates,
            entity: AuditSubject::Constituency(constituency_id),
            before: text_of(&before_list),
            after: text_of(&list),
        },
        now,
    )
    .await?;
    tx.commit().await?;
    tracing::info!(user = %actor.username, constituency = %constituency_id, count = list.len(), "candidate list saved");
    Ok(list.len())
}

/// The register as counting entry reads it: the constituency of an area at a level, with its
/// candidates in the official order; None when none was set up (candidates are then typed).
pub struct AreaRegister {
    pub number: i64,
    pub name: String,
    pub seats: i64,
    pub candidates: Vec<RegisterCandidate>,
}

#[tracing::instrument(skip_all)]
pub async fn area_register(
    db: &Db,
    area_id: AreaId,
    level: BallotLevel,
) -> Result<Option<AreaRegister>, AppError> {
    let pool = db.pool();
    let Some(c) = store::of_area(pool, area_id, level.levels().0).await? else {
        return Ok(None);
    };
    let candidates = official_list(&store::candidates_of(pool, c.id).await?, c.id);
    if candidates.is_empty() {
        return Ok(None);
    }
    Ok(Some(AreaRegister {
        number: c.number,
        name: c.name,
        seats: c.seats,
        candidates,
    }))
}

// --- result determination ---

/// Everything the result of one constituency is made from.
pub struct ConstituencyData {
    pub result: ConstituencyResult,
    pub election: ElectionSummary,
    /// The official candidate list (for "Ông"/"Bà" before a winner's name).
    pub register: Vec<RegisterCandidate>,
    /// The polling areas with their tally: the final one, else (for a draft) the first entry.
    pub area_tallies: Vec<(AreaSummary, Option<Tally>)>,
    /// Every area's minutes are finalised.
    pub all_final: bool,
    /// The stored tallies the figures come from (one JSON text per area), for the data hash.
    pub sources: Vec<String>,
}

fn parse_tally(json: &str) -> Result<Tally, AppError> {
    serde_json::from_str(json).map_err(AppError::internal)
}

/// Adds up the finalised tallies and determines the result, or says why it cannot be yet.
fn determination(
    level: BallotLevel,
    seats: i64,
    areas: &[AreaResult],
    finals: &[Tally],
) -> (Option<Tally>, Determination) {
    if areas.is_empty() {
        return (None, Determination::NoAreas);
    }
    if areas.iter().any(|a| !a.finalised) {
        return (None, Determination::Waiting);
    }
    let Some(total) = sum_tallies(finals).filter(|t| t.seats == seats) else {
        return (None, Determination::CandidatesDiffer);
    };
    let outcome = determine(&total);
    let determined = Determination::Determined {
        additional_election: additional_election_needed(level, seats, &outcome),
        shares: shares(&total),
        outcome,
    };
    (Some(total), determined)
}

async fn assemble(
    db: &Db,
    election: &ElectionSummary,
    constituency: &StoredConstituency,
    area_ids: &[AreaId],
    areas: &[AreaSummary],
) -> Result<ConstituencyData, AppError> {
    let pool = db.pool();
    let level = level_of_bit(constituency.level)?;
    let mut area_results = Vec::new();
    let mut area_tallies = Vec::new();
    let mut finals = Vec::new();
    let mut sources = Vec::new();
    for area in areas.iter().filter(|a| area_ids.contains(&a.id)) {
        let final_row =
            crate::storage::counting::final_tally(pool, area.id, constituency.level).await?;
        let json = match &final_row {
            Some(f) => Some(f.tally.clone()),
            None => crate::storage::counting::entries(pool, area.id, constituency.level)
                .await?
                .into_iter()
                .next()
                .map(|e| e.tally),
        };
        let tally = json.as_deref().map(parse_tally).transpose()?;
        if let (Some(_), Some(t)) = (&final_row, &tally) {
            finals.push(t.clone());
        }
        sources.push(json.unwrap_or_default());
        area_results.push(AreaResult {
            area_id: area.id,
            number: area.number,
            name: area.name.clone(),
            finalised: final_row.is_some(),
        });
        area_tallies.push((area.clone(), tally));
    }
    let (total, determination) = determination(level, constituency.seats, &area_results, &finals);
    let all_final = !area_results.is_empty() && area_results.iter().all(|a| a.finalised);
    Ok(ConstituencyData {
        result: ConstituencyResult {
            id: constituency.id,
            level,
            number: constituency.number,
            name: constituency.name.clone(),
            seats: constituency.seats,
            areas: area_results,
            total,
            determination,
        },
        election: election.clone(),
        register: official_list(
            &store::candidates_of(pool, constituency.id).await?,
            constituency.id,
        ),
        area_tallies,
        all_final,
        sources,
    })
}

#[tracing::instrument(skip_all)]
pub async fn results(db: &Db, election_id: Option<ElectionId>) -> Result<ResultsPage, AppError> {
    let (elections, election) = elections_and_choice(db, election_id).await?;
    let listed = elections.iter().map(|e| (e.id, e.name.clone())).collect();
    let Some(election) = election else {
        return Ok(ResultsPage {
            elections: listed,
            election_id: None,
            constituencies: Vec::new(),
        });
    };
    let pool = db.pool();
    let links = store::area_links(pool, election.id).await?;
    let areas = crate::storage::voters::areas(pool, election.id).await?;
    let mut constituencies = Vec::new();
    for c in store::of_election(pool, election.id).await? {
        let ids: Vec<AreaId> = links
            .iter()
            .filter(|(cid, _)| *cid == c.id)
            .map(|(_, a)| *a)
            .collect();
        constituencies.push(assemble(db, &election, &c, &ids, &areas).await?.result);
    }
    Ok(ResultsPage {
        elections: listed,
        election_id: Some(election.id),
        constituencies,
    })
}

/// One constituency's data for the result minutes.
#[tracing::instrument(skip_all)]
pub async fn constituency_data(db: &Db, id: ConstituencyId) -> Result<ConstituencyData, AppError> {
    let pool = db.pool();
    let c = store::get(pool, id).await?.ok_or(ErrorCode::NotFound)?;
    let election = crate::storage::voters::election(pool, c.election_id)
        .await?
        .ok_or(ErrorCode::NotFound)?;
    let ids = store::areas_of(pool, id).await?;
    let areas = crate::storage::voters::areas(pool, election.id).await?;
    assemble(db, &election, &c, &ids, &areas).await
}
