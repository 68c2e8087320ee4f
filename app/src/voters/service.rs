//! Voter-list operations: ward and election set-up, the import dry run and commit, search.
//! Every change writes its audit record in the same transaction.

use std::collections::HashMap;

use serde_json::json;
use sha2::{Digest, Sha256};

use super::import::columns::find_header;
use super::import::read_table;
use super::import::rows::{analyze, AreaRef, ImportContext};
use super::import::table::{FileEncoding, FileProblem};
use super::model::{AreaSummary, ElectionSummary, VoterSummary, Ward};
use super::staging::StagedFile;
use crate::admin::service::actor_of;
use crate::auth::context::CurrentSession;
use crate::domain::text::{clean_cell, fold, fold_tokens, name_key};
use crate::domain::voter::{next_stt, Date, Levels};
use crate::error::{AppError, ErrorCode};
use crate::storage::audit::{self, AuditEntry};
use crate::storage::db::now_ms;
use crate::storage::voters::{self as store, ImportRecord, NewArea, NewVoter, SearchQuery};
use crate::storage::{Db, WriteTx};
use crate::voters::api::{ImportPreview, ImportRequest, ImportStage, PreviewColumn};

/// Today in Vietnam, for "born in the future" checks.
pub fn today() -> Date {
    let t = crate::domain::format::VietnamTime::from_unix_ms(now_ms());
    Date {
        year: t.year as i32,
        month: t.month,
        day: t.day,
    }
}

/// Writes the audit record of a change inside the change's transaction.
async fn record(
    tx: &mut WriteTx,
    session: &CurrentSession,
    action: &str,
    entity: String,
    after: String,
) -> Result<(), AppError> {
    let entry = AuditEntry {
        actor: &actor_of(session),
        action,
        entity,
        before: String::new(),
        after,
    };
    audit::append(tx, entry, now_ms()).await?;
    Ok(())
}

pub async fn save_ward(
    db: &Db,
    session: &CurrentSession,
    name: &str,
    province: &str,
) -> Result<Ward, AppError> {
    let ward = Ward {
        name: clean_cell(name),
        province: clean_cell(province),
    };
    if ward.name.is_empty() || ward.province.is_empty() {
        return Err(ErrorCode::InvalidInput.into());
    }
    let mut tx = db.begin_write().await?;
    store::save_ward(&mut tx, &ward, now_ms()).await?;
    let after = json!({ "name": ward.name, "province": ward.province }).to_string();
    record(&mut tx, session, "ward.save", "ward:1".into(), after).await?;
    tx.commit().await?;
    Ok(ward)
}

pub async fn create_election(
    db: &Db,
    session: &CurrentSession,
    name: &str,
    day: &str,
    levels: Levels,
) -> Result<i64, AppError> {
    let name = clean_cell(name);
    let day = Date::parse(day).ok_or(ErrorCode::InvalidDate)?;
    if name.is_empty() || levels.0 == 0 {
        return Err(ErrorCode::InvalidInput.into());
    }
    let mut tx = db.begin_write().await?;
    let id = store::insert_election(&mut tx, &name, day, levels, now_ms()).await?;
    let after = json!({ "name": name, "election_day": day.iso(), "levels": levels.0 }).to_string();
    record(
        &mut tx,
        session,
        "election.create",
        format!("election:{id}"),
        after,
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Records the day the list was posted (niêm yết): the complaint period runs from it. It must
/// have come (today at the latest) and be before election day; a later correction is audited
/// with the day it replaces.
pub async fn record_posting(
    db: &Db,
    session: &CurrentSession,
    election_id: i64,
    posted_on: &str,
) -> Result<Date, AppError> {
    let posted_on = Date::parse(posted_on).ok_or(ErrorCode::InvalidDate)?;
    let election = store::election(db.pool(), election_id)
        .await?
        .ok_or(ErrorCode::NotFound)?;
    if posted_on > today() || posted_on >= election.election_day {
        return Err(ErrorCode::PostingDateInvalid.into());
    }
    let mut tx = db.begin_write().await?;
    store::set_posted_on(&mut tx, election_id, posted_on).await?;
    let entry = AuditEntry {
        actor: &actor_of(session),
        action: "election.post_list",
        entity: format!("election:{election_id}"),
        before: election
            .posted_on
            .map(|day| json!({ "posted_on": day.iso() }).to_string())
            .unwrap_or_default(),
        after: json!({ "posted_on": posted_on.iso() }).to_string(),
    };
    audit::append(&mut tx, entry, now_ms()).await?;
    tx.commit().await?;
    Ok(posted_on)
}

pub async fn create_area(
    db: &Db,
    session: &CurrentSession,
    election_id: i64,
    number: i64,
    name: &str,
    address: &str,
) -> Result<i64, AppError> {
    let election = store::election(db.pool(), election_id)
        .await?
        .ok_or(ErrorCode::NotFound)?;
    let (name, address) = (clean_cell(name), clean_cell(address));
    if number <= 0 || name.is_empty() {
        return Err(ErrorCode::InvalidInput.into());
    }
    let area = NewArea {
        election_id,
        number,
        name: &name,
        address: &address,
        levels: election.levels,
    };
    let mut tx = db.begin_write().await?;
    let id = store::insert_area(&mut tx, &area)
        .await?
        .ok_or(ErrorCode::AreaNumberTaken)?;
    let after =
        json!({ "election_id": election_id, "number": number, "name": name, "address": address })
            .to_string();
    record(
        &mut tx,
        session,
        "area.create",
        format!("polling_area:{id}"),
        after,
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn elections(db: &Db) -> Result<Vec<ElectionSummary>, AppError> {
    Ok(store::elections(db.pool()).await?)
}

pub async fn areas(db: &Db, election_id: i64) -> Result<Vec<AreaSummary>, AppError> {
    Ok(store::areas(db.pool(), election_id).await?)
}

/// The dry run: everything the commit would do, reported, nothing written.
struct Prepared {
    analysis: super::import::rows::Analysis,
    preview: ImportPreview,
}

async fn prepare(
    db: &Db,
    file: &StagedFile,
    request: &ImportRequest,
) -> Result<Result<Prepared, FileProblem>, AppError> {
    let election = store::election(db.pool(), request.election_id)
        .await?
        .ok_or(ErrorCode::NotFound)?;
    let areas = store::areas(db.pool(), election.id).await?;
    let existing_people = store::listed_people(db.pool(), election.id)
        .await?
        .into_iter()
        .map(|(name, birth)| (name_key(&name), birth.display()))
        .collect();
    let context = ImportContext {
        election_day: election.election_day,
        today: today(),
        areas: areas
            .iter()
            .map(|a| AreaRef {
                id: a.id,
                number: a.number,
                name: a.name.clone(),
                levels: a.levels,
            })
            .collect(),
        default_area: request
            .default_area
            .filter(|id| areas.iter().any(|a| a.id == *id)),
        existing_cccd: store::listed_cccds(db.pool(), election.id).await?,
        existing_people,
    };
    let (file, request) = (file.clone(), request.clone());
    // Reading and checking a large file takes seconds of CPU: not on the async workers, where
    // it would hold up every other request (check-ins included).
    tokio::task::spawn_blocking(move || analyse_file(&file, &request, &context, &areas))
        .await
        .map_err(AppError::internal)
}

fn analyse_file(
    file: &StagedFile,
    request: &ImportRequest,
    context: &ImportContext,
    areas: &[AreaSummary],
) -> Result<Prepared, FileProblem> {
    let forced = request.encoding.as_deref().and_then(FileEncoding::parse);
    let table = read_table(&file.bytes, forced)?;
    let (header_row, detected) = find_header(&table.rows).ok_or(FileProblem::NoHeader)?;
    let mapping = request.mapping.clone().unwrap_or(detected);
    let analysis = analyze(
        &table.rows,
        &table.row_numbers,
        header_row,
        &mapping,
        context,
    );
    let headers = table.rows.get(header_row).cloned().unwrap_or_default();
    let columns = headers
        .iter()
        .enumerate()
        .map(|(index, heading)| PreviewColumn {
            index,
            heading: heading.clone(),
            field: mapping
                .columns
                .iter()
                .find(|(_, c)| *c == index)
                .map(|(f, _)| *f),
            samples: table
                .rows
                .iter()
                .skip(header_row + 1)
                .take(3)
                .map(|r| r.get(index).cloned().unwrap_or_default())
                .collect(),
        })
        .collect();
    const MAX_PROBLEMS_SHOWN: usize = 500;
    let preview = ImportPreview {
        file_name: file.file_name.clone(),
        encoding: table.encoding.code().to_string(),
        separator: table.separator,
        header_row: table
            .row_numbers
            .get(header_row)
            .copied()
            .unwrap_or(header_row + 1),
        columns,
        mapping: mapping.clone(),
        problem_count: analysis.problems.len(),
        problems: analysis
            .problems
            .iter()
            .take(MAX_PROBLEMS_SHOWN)
            .cloned()
            .collect(),
        totals: analysis.totals.clone(),
        can_commit: !analysis.has_errors() && !analysis.drafts.is_empty(),
        areas: areas
            .iter()
            .map(|a| (a.id, a.number, a.name.clone()))
            .collect(),
    };
    Ok(Prepared { analysis, preview })
}

pub async fn preview(
    db: &Db,
    file: &StagedFile,
    request: &ImportRequest,
) -> Result<Result<ImportPreview, FileProblem>, AppError> {
    Ok(prepare(db, file, request)
        .await?
        .map(|prepared| prepared.preview))
}

/// Commits the import all-or-nothing. The file is analysed again (never trust an earlier
/// preview); any error-level problem refuses the whole file. Progress is published on the
/// staged file while it runs.
pub async fn commit(
    db: &Db,
    session: &CurrentSession,
    file: &StagedFile,
    request: &ImportRequest,
) -> Result<i64, AppError> {
    file.progress.set(ImportStage::Checking, 0, 0);
    let outcome = check_and_write(db, session, file, request).await;
    file.progress.clear();
    outcome
}

async fn check_and_write(
    db: &Db,
    session: &CurrentSession,
    file: &StagedFile,
    request: &ImportRequest,
) -> Result<i64, AppError> {
    // Rows per progress step: small enough to move often, large enough to cost nothing.
    const ROWS_PER_STEP: usize = 10_000;
    let started = std::time::Instant::now();
    let Ok(prepared) = prepare(db, file, request).await? else {
        return Err(ErrorCode::ImportHasErrors.into());
    };
    if !prepared.preview.can_commit {
        return Err(ErrorCode::ImportHasErrors.into());
    }
    let drafts = &prepared.analysis.drafts;
    let sha256 = hex::encode(Sha256::digest(file.bytes.as_slice()));
    let folded: Vec<String> = drafts.iter().map(|d| fold(&d.full_name)).collect();
    let card_codes: Vec<String> = drafts
        .iter()
        .map(|_| crate::auth::token::new_secret()[..16].to_string())
        .collect();
    let now = now_ms();
    let mut tx = db.begin_write().await?;
    let import_id = store::insert_import(
        &mut tx,
        &ImportRecord {
            election_id: request.election_id,
            file_name: &file.file_name,
            file_sha256: &sha256,
            encoding: &prepared.preview.encoding,
            rows: drafts.len() as i64,
            imported_by: &session.user.username,
        },
        now,
    )
    .await?;
    let mut next: HashMap<i64, i64> = HashMap::new();
    // Household labels per area in the order they first appear (the list's household order).
    let mut labels_by_area: Vec<(i64, Vec<&str>)> = Vec::new();
    let mut seen: std::collections::HashSet<(i64, &str)> = std::collections::HashSet::new();
    for draft in drafts {
        let Some(label) = draft.household.as_deref() else {
            continue;
        };
        if !seen.insert((draft.area_id, label)) {
            continue;
        }
        match labels_by_area
            .iter_mut()
            .find(|(area, _)| *area == draft.area_id)
        {
            Some((_, labels)) => labels.push(label),
            None => labels_by_area.push((draft.area_id, vec![label])),
        }
    }
    let mut households: HashMap<i64, HashMap<String, i64>> = HashMap::new();
    for (area_id, labels) in &labels_by_area {
        households.insert(
            *area_id,
            store::household_ids(&mut tx, *area_id, labels).await?,
        );
    }
    let mut rows = Vec::with_capacity(drafts.len());
    for (index, draft) in drafts.iter().enumerate() {
        let stt = match next.get_mut(&draft.area_id) {
            Some(stt) => stt,
            None => {
                let first = next_stt(store::highest_stt(&mut tx, draft.area_id).await?);
                next.entry(draft.area_id).or_insert(first)
            }
        };
        let household_id = draft
            .household
            .as_deref()
            .and_then(|label| households.get(&draft.area_id)?.get(label).copied());
        rows.push(NewVoter {
            election_id: request.election_id,
            area_id: draft.area_id,
            stt: *stt,
            household_id,
            is_head: draft.is_head,
            full_name: &draft.full_name,
            name_folded: &folded[index],
            birth: draft.birth,
            gender: draft.gender,
            ethnicity: &draft.ethnicity,
            occupation: &draft.occupation,
            cccd: draft.cccd.as_deref(),
            permanent_address: &draft.permanent_address,
            temporary_address: &draft.temporary_address,
            temporary_since: draft.temporary_since,
            levels: draft.levels,
            notes: &draft.notes,
            card_code: &card_codes[index],
            import_id: Some(import_id),
        });
        *stt += 1;
    }
    let checked_and_grouped = started.elapsed();
    file.progress.set(ImportStage::Writing, 0, rows.len());
    for (step, chunk) in rows.chunks(ROWS_PER_STEP).enumerate() {
        store::insert_voters(&mut tx, chunk, now).await?;
        let done = (step * ROWS_PER_STEP + chunk.len()).min(rows.len());
        file.progress.set(ImportStage::Writing, done, rows.len());
    }
    let inserted = started.elapsed();
    let totals = &prepared.preview.totals;
    let after = json!({
        "file": file.file_name, "sha256": sha256, "encoding": prepared.preview.encoding,
        "rows": totals.rows, "men": totals.men, "women": totals.women,
    })
    .to_string();
    record(
        &mut tx,
        session,
        "voters.import",
        format!("import:{import_id}"),
        after,
    )
    .await?;
    tx.commit().await?;
    file.progress
        .set(ImportStage::Indexing, rows.len(), rows.len());
    if let Some(index) = super::search_index::of_request() {
        index.reload_election(db, request.election_id).await;
    }
    tracing::info!(
        rows = drafts.len(),
        checked_and_grouped_ms = checked_and_grouped.as_millis() as u64,
        inserted_ms = inserted.as_millis() as u64,
        committed_ms = started.elapsed().as_millis() as u64,
        "voter list imported"
    );
    Ok(drafts.len() as i64)
}

/// Parses what was typed into the search box: name words (any diacritics or none), a birth
/// year, a card number, a CCCD.
pub fn parse_search(election_id: i64, area_id: Option<i64>, text: &str) -> SearchQuery {
    let mut query = SearchQuery {
        election_id,
        area_id,
        name_tokens: Vec::new(),
        birth_year: None,
        stt: None,
        cccd: None,
        limit: 30,
    };
    for token in fold_tokens(text) {
        let token: String = token.chars().filter(|c| c.is_alphanumeric()).collect();
        if token.is_empty() {
            continue;
        }
        if token.bytes().all(|b| b.is_ascii_digit()) {
            match token.len() {
                12 => query.cccd = Some(token),
                4 if token.starts_with(['1', '2']) => query.birth_year = token.parse().ok(),
                _ => query.stt = token.parse().ok(),
            }
        } else {
            query.name_tokens.push(token);
        }
    }
    query
}

/// Searches with the request's in-memory name index (see `search_index`).
pub async fn search(
    db: &Db,
    election_id: i64,
    area_id: Option<i64>,
    text: &str,
) -> Result<Vec<VoterSummary>, AppError> {
    let index = super::search_index::of_request();
    search_with(db, index.as_ref(), election_id, area_id, text).await
}

/// Names go to the index when there is one for the election; numbers, and elections without
/// an index, to SQL.
pub async fn search_with(
    db: &Db,
    index: Option<&super::search_index::SearchIndex>,
    election_id: i64,
    area_id: Option<i64>,
    text: &str,
) -> Result<Vec<VoterSummary>, AppError> {
    let query = parse_search(election_id, area_id, text);
    if query.name_tokens.is_empty()
        && query.birth_year.is_none()
        && query.stt.is_none()
        && query.cccd.is_none()
    {
        return Ok(Vec::new());
    }
    if let Some(index) = index {
        if let Some(found) = index.search(db, &query).await? {
            return Ok(found);
        }
    }
    Ok(store::search(db.pool(), &query).await?)
}

pub async fn voter(db: &Db, id: i64) -> Result<VoterSummary, AppError> {
    Ok(store::voter(db.pool(), id)
        .await?
        .ok_or(ErrorCode::NotFound)?)
}

pub async fn area_list(
    db: &Db,
    area_id: i64,
) -> Result<(AreaSummary, Vec<VoterSummary>), AppError> {
    let area = store::area(db.pool(), area_id)
        .await?
        .ok_or(ErrorCode::NotFound)?;
    Ok((area, store::area_list(db.pool(), area_id).await?))
}
