//! Voter-list operations: ward and election set-up, the import dry run and commit, search.
//! Every change writes its audit record in the same transaction.

use crate::domain::ids::{AreaId, ElectionId, HouseholdId, ImportId, VoterId};
use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet};
use std::ops::ControlFlow;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use serde_json::json;
use sqlx::{AnyConnection, AnyPool};

use crate::domain::audit::{AuditAction, AuditSubject};
use crate::domain::list_update::{Comparison, ListUpdate, ListedIndex};
use crate::domain::text::clean_cell;
use crate::domain::text::{fold, fold_tokens};
use crate::domain::voter::{next_stt, Cccd, Date, DateOrder, Levels};
use crate::domain::ward::{AreaSummary, ElectionSummary, VoterSummary, Ward};
use crate::engine::import_staging::StagedFile;
use crate::engine::search_index::SearchIndex;
use crate::error::{AppError, ErrorCode};
use crate::import;
use crate::import::columns::{find_header, Mapping, SEARCH_ROWS};
use crate::import::progress::ImportStage;
use crate::import::rows::{
    is_column_numbers, person_key, AreaRef, ImportContext, Problems, RowChecker, SttRenumbering,
    Totals, VoterDraft,
};
use crate::import::table::{FileEncoding, FileProblem, SheetChoice};
use crate::locale::Locale;
use crate::request::{audit, CurrentSession};
use crate::state::AppState;
use crate::storage::db::now_ms;
use crate::storage::db::{Db, WriteTx};
use crate::storage::voters::{self as store, ImportRecord, NewArea, NewVoter, SearchQuery};
use crate::token::CardCodes;
use crate::voters::model::{
    AreaPage, HistoryLine, ImportMode, ImportPreview, ImportRequest, PreviewColumn, AREA_PAGE_SIZE,
    SEARCH_LIMIT,
};

/// Today in Vietnam, for "born in the future" checks.
pub fn today() -> Date {
    let t = crate::domain::format::VietnamTime::from_unix_ms(now_ms());
    Date {
        year: t.year,
        month: t.month,
        day: t.day,
    }
}

#[tracing::instrument(skip_all)]
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
    audit(
        &mut tx,
        session,
        AuditAction::WardSave,
        AuditSubject::Ward,
        String::new(),
        after,
    )
    .await?;
    tx.commit().await?;
    Ok(ward)
}

#[tracing::instrument(skip_all)]
pub async fn create_election(
    db: &Db,
    session: &CurrentSession,
    name: &str,
    day: &str,
    levels: Levels,
) -> Result<ElectionId, AppError> {
    let name = clean_cell(name);
    let day = Date::parse(day).ok_or(ErrorCode::InvalidDate)?;
    if name.is_empty() || levels.0 == 0 {
        return Err(ErrorCode::InvalidInput.into());
    }
    let mut tx = db.begin_write().await?;
    let id = store::insert_election(&mut tx, &name, day, levels, now_ms()).await?;
    let after = json!({ "name": name, "election_day": day.iso(), "levels": levels.0 }).to_string();
    audit(
        &mut tx,
        session,
        AuditAction::ElectionCreate,
        AuditSubject::Election(id),
        String::new(),
        after,
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// The voter's recorded changes, newest first (the last 200: a voter has a handful).
#[tracing::instrument(skip_all)]
pub async fn history(db: &Db, voter_id: VoterId) -> Result<Vec<HistoryLine>, AppError> {
    let entity = AuditSubject::Voter(voter_id).to_string();
    let records = crate::storage::audit::history(db.pool(), &entity, 200).await?;
    Ok(records
        .into_iter()
        .map(|record| HistoryLine {
            at_ms: record.at_ms,
            actor: record.actor,
            action: record.action,
            before: record.before,
            after: record.after,
        })
        .collect())
}

/// Corrects the election's name and, until the first check-in, its day.
#[tracing::instrument(skip_all)]
pub async fn update_election(
    db: &Db,
    session: &CurrentSession,
    election_id: ElectionId,
    name: &str,
    day: &str,
) -> Result<(), AppError> {
    let name = clean_cell(name);
    let day = Date::parse(day).ok_or(ErrorCode::InvalidDate)?;
    if name.is_empty() {
        return Err(ErrorCode::InvalidInput.into());
    }
    let mut tx = db.begin_write().await?;
    let old = store::election(&mut *tx, election_id)
        .await?
        .ok_or(ErrorCode::NotFound)?;
    if day != old.election_day && store::election_has_check_ins(&mut tx, election_id).await? {
        return Err(ErrorCode::ElectionDayLocked.into());
    }
    store::update_election(&mut tx, election_id, &name, day).await?;
    let before = json!({ "name": old.name, "election_day": old.election_day.iso() }).to_string();
    let after = json!({ "name": name, "election_day": day.iso() }).to_string();
    audit(
        &mut tx,
        session,
        AuditAction::ElectionUpdate,
        AuditSubject::Election(election_id),
        before,
        after,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Deletes an election created by mistake: only one nothing belongs to yet.
#[tracing::instrument(skip_all)]
pub async fn delete_election(
    db: &Db,
    session: &CurrentSession,
    election_id: ElectionId,
) -> Result<(), AppError> {
    let mut tx = db.begin_write().await?;
    let old = store::election(&mut *tx, election_id)
        .await?
        .ok_or(ErrorCode::NotFound)?;
    if store::election_in_use(&mut tx, election_id).await? {
        return Err(ErrorCode::ElectionInUse.into());
    }
    store::delete_election(&mut tx, election_id).await?;
    let before = json!({ "name": old.name, "election_day": old.election_day.iso() }).to_string();
    audit(
        &mut tx,
        session,
        AuditAction::ElectionDelete,
        AuditSubject::Election(election_id),
        before,
        String::new(),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Records the day the list was posted (niêm yết): the complaint period runs from it. It must
/// have come (today at the latest) and be before election day; a later correction is audited
/// with the day it replaces.
#[tracing::instrument(skip_all)]
pub async fn record_posting(
    db: &Db,
    session: &CurrentSession,
    election_id: ElectionId,
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
    let before = election
        .posted_on
        .map(|day| json!({ "posted_on": day.iso() }).to_string())
        .unwrap_or_default();
    let after = json!({ "posted_on": posted_on.iso() }).to_string();
    audit(
        &mut tx,
        session,
        AuditAction::ElectionPostList,
        AuditSubject::Election(election_id),
        before,
        after,
    )
    .await?;
    tx.commit().await?;
    Ok(posted_on)
}

/// Corrects an area's number, name and address (they print on Mẫu 31 and every voter card).
#[tracing::instrument(skip_all)]
pub async fn update_area(
    db: &Db,
    session: &CurrentSession,
    area_id: AreaId,
    number: i64,
    name: &str,
    address: &str,
) -> Result<(), AppError> {
    let old = store::area(db.pool(), area_id)
        .await?
        .ok_or(ErrorCode::NotFound)?;
    let (name, address) = (clean_cell(name), clean_cell(address));
    if number <= 0 || name.is_empty() {
        return Err(ErrorCode::InvalidInput.into());
    }
    let mut tx = db.begin_write().await?;
    store::update_area(&mut tx, area_id, number, &name, &address)
        .await?
        .ok_or(ErrorCode::AreaNumberTaken)?;
    let before =
        json!({ "number": old.number, "name": old.name, "address": old.address }).to_string();
    let after = json!({ "number": number, "name": name, "address": address }).to_string();
    audit(
        &mut tx,
        session,
        AuditAction::AreaUpdate,
        AuditSubject::PollingArea(area_id),
        before,
        after,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Deletes an area created by mistake: only one nothing refers to yet.
#[tracing::instrument(skip_all)]
pub async fn delete_area(
    db: &Db,
    session: &CurrentSession,
    area_id: AreaId,
) -> Result<(), AppError> {
    let old = store::area(db.pool(), area_id)
        .await?
        .ok_or(ErrorCode::NotFound)?;
    let mut tx = db.begin_write().await?;
    if store::area_in_use(&mut tx, area_id).await? {
        return Err(ErrorCode::AreaInUse.into());
    }
    store::delete_area(&mut tx, area_id).await?;
    let before = json!({
        "election_id": old.election_id, "number": old.number, "name": old.name, "address": old.address,
    })
    .to_string();
    audit(
        &mut tx,
        session,
        AuditAction::AreaDelete,
        AuditSubject::PollingArea(area_id),
        before,
        String::new(),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

#[tracing::instrument(skip_all)]
pub async fn create_area(
    db: &Db,
    session: &CurrentSession,
    election_id: ElectionId,
    number: i64,
    name: &str,
    address: &str,
) -> Result<AreaId, AppError> {
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
    audit(
        &mut tx,
        session,
        AuditAction::AreaCreate,
        AuditSubject::PollingArea(id),
        String::new(),
        after,
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

#[tracing::instrument(skip_all)]
pub async fn elections(db: &Db) -> Result<Vec<ElectionSummary>, AppError> {
    Ok(store::elections(db.pool()).await?)
}

#[tracing::instrument(skip_all)]
pub async fn areas(db: &Db, election_id: ElectionId) -> Result<Vec<AreaSummary>, AppError> {
    Ok(store::areas(db.pool(), election_id).await?)
}

/// The first rows of a file, where the header is looked for and the preview's samples come from.
const HEAD_ROWS: usize = SEARCH_ROWS + 4;
/// Voters per batch handed from the reading thread to the writer: large enough for long
/// multi-row statements, small enough that the batches in flight cost a few MB.
const BATCH_VOTERS: usize = 5_000;
/// Rows per progress step of a dry run or commit: small enough to move often, large enough to
/// cost nothing.
const ROWS_PER_STEP: usize = 10_000;

/// One pass over a file: how it was read, its header and first rows, every problem counted.
struct Reading {
    encoding: FileEncoding,
    date_order: DateOrder,
    separator: Option<char>,
    sheet: Option<SheetChoice>,
    header_row: usize,
    headers: Vec<String>,
    samples: Vec<Vec<String>>,
    mapping: Mapping,
    problems: Problems,
    totals: Totals,
    already_listed: usize,
    voter_rows: usize,
    renumbered: SttRenumbering,
}

impl Reading {
    fn can_commit(&self) -> bool {
        self.problems.errors == 0 && self.totals.rows > 0 && !self.mostly_listed()
    }

    /// Most of the file's voter rows are probably on the list already: the same file imported
    /// a second time would list everyone twice, and a file without CCCDs gives only warnings
    /// row by row.
    fn mostly_listed(&self) -> bool {
        self.already_listed >= 3 && self.already_listed > self.voter_rows / 2
    }
}

/// Reads the file once and checks every data row in file order, handing each row's voter (None
/// for a row with an error or no voter) to `each` with the problems so far; `each` may stop the
/// reading. Nothing of the file is kept but the rows being handed over.
/// `data_rows` hears how many rows follow the header, as soon as it is found.
fn read_file(
    file: &StagedFile,
    request: &ImportRequest,
    context: &ImportContext,
    data_rows: impl FnOnce(usize),
    mut each: impl FnMut(Option<VoterDraft>, &Problems) -> ControlFlow<()>,
) -> Result<Reading, FileProblem> {
    let forced = request.encoding.as_deref().and_then(FileEncoding::parse);
    let scanned = file.scanned(forced)?;
    let mut opened = import::open(&file.bytes, forced, request.sheet, scanned.kind)?;
    let mut head = Vec::with_capacity(HEAD_ROWS);
    while head.len() < HEAD_ROWS {
        match opened.next_row()? {
            Some(row) => head.push(row),
            None => break,
        }
    }
    let head_cells: Vec<Vec<String>> = head.iter().map(|(_, cells)| cells.clone()).collect();
    let (header_index, detected) = find_header(&head_cells).ok_or(FileProblem::NoHeader)?;
    let mapping = request.mapping.clone().unwrap_or(detected);
    let headers = head_cells[header_index].clone();
    let samples = head_cells
        .iter()
        .skip(header_index + 1)
        .filter(|cells| !is_column_numbers(cells))
        .take(3)
        .cloned()
        .collect();
    let header_row = head[header_index].0;
    data_rows(opened.rows.saturating_sub(header_index + 1));
    let mut checker = RowChecker::new(context, &mapping, &headers, opened.date_order);
    let mut problems = Problems::default();
    let mut rest = head.into_iter().skip(header_index + 1);
    loop {
        let next = match rest.next() {
            Some(row) => Some(row),
            None => opened.next_row()?,
        };
        let Some((row, cells)) = next else {
            break;
        };
        let voter = checker.check(row, cells, &mut problems);
        if each(voter, &problems).is_break() {
            break;
        }
    }
    let totals = checker.totals();
    let already_listed = checker.already_listed();
    let voter_rows = checker.voter_rows();
    let renumbered = checker.renumbered().clone();
    Ok(Reading {
        encoding: opened.encoding,
        date_order: opened.date_order,
        separator: opened.separator,
        sheet: opened.sheet,
        header_row,
        headers,
        samples,
        mapping,
        problems,
        totals,
        already_listed,
        voter_rows,
        renumbered,
    })
}

/// What the rows are checked against, the people already listed included: for a whole file,
/// as problems (probable duplicates, a file imported twice); for only its new voters, as the
/// list the file is compared with.
async fn import_context(
    connection: &mut AnyConnection,
    pool: &AnyPool,
    request: &ImportRequest,
    mode: ImportMode,
) -> Result<(ImportContext, Vec<AreaSummary>, Option<ListedIndex>), AppError> {
    let election = store::election(&mut *connection, request.election_id)
        .await?
        .ok_or(ErrorCode::NotFound)?;
    let areas = store::areas(&mut *connection, election.id).await?;
    let (existing_cccd, existing_people, listed) = match mode {
        ImportMode::All => (
            store::listed_cccds(&mut *connection, election.id).await?,
            store::listed_people(pool, election.id, person_key).await?,
            None,
        ),
        // A listed person in an updated file is no problem but a row to compare: the checker
        // looks only for repeats within the file, and the comparison decides what is new.
        ImportMode::OnlyNew => {
            let listed = store::listed_for_update(&mut *connection, election.id).await?;
            (
                HashSet::new(),
                HashSet::new(),
                Some(ListedIndex::new(listed)),
            )
        }
    };
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
        existing_cccd,
        existing_people: Some(existing_people),
    };
    Ok((context, areas, listed))
}

/// The dry run of a whole file: every check the commit makes, plus warnings, reported; nothing
/// written.
pub async fn preview(
    db: &Db,
    file: &StagedFile,
    request: &ImportRequest,
) -> Result<Result<ImportPreview, FileProblem>, AppError> {
    preview_in(db, file, request, ImportMode::All).await
}

/// The dry run in either mode; for only the new voters, also what the file adds, what it
/// writes otherwise than the list and what it leaves alone.
#[tracing::instrument(skip_all)]
pub async fn preview_in(
    db: &Db,
    file: &StagedFile,
    request: &ImportRequest,
    mode: ImportMode,
) -> Result<Result<ImportPreview, FileProblem>, AppError> {
    let mut connection = db.pool().acquire().await?;
    let (context, areas, listed) =
        import_context(&mut connection, db.pool(), request, mode).await?;
    drop(connection);
    let (file, request) = (file.clone(), request.clone());
    // Reading and checking a large file takes seconds of CPU: not on the async workers, where
    // it would hold up every other request (check-ins included).
    tokio::task::spawn_blocking(move || {
        file.progress.set(ImportStage::Reading, 0, 0);
        let total = std::cell::Cell::new(0);
        let mut read = 0;
        let mut update = listed.as_ref().map(|_| ListUpdate::default());
        let reading = read_file(
            &file,
            &request,
            &context,
            |rows| {
                total.set(rows);
                file.progress.set(ImportStage::Reading, 0, rows);
            },
            |voter, _| {
                if let (Some(listed), Some(update), Some(draft)) = (&listed, &mut update, voter) {
                    update.record(draft.row, &draft.full_name, listed.compare(&draft.facts()));
                }
                read += 1;
                if read % ROWS_PER_STEP == 0 {
                    file.progress
                        .set(ImportStage::Reading, read, total.get().max(read));
                }
                ControlFlow::Continue(())
            },
        );
        file.progress.clear();
        Ok(preview_of(&file, reading?, &areas, update))
    })
    .await
    .map_err(AppError::internal)
}

fn preview_of(
    file: &StagedFile,
    reading: Reading,
    areas: &[AreaSummary],
    update: Option<ListUpdate>,
) -> ImportPreview {
    let columns = reading
        .headers
        .iter()
        .enumerate()
        .map(|(index, heading)| PreviewColumn {
            index,
            heading: heading.clone(),
            field: reading
                .mapping
                .columns
                .iter()
                .find(|(_, c)| *c == index)
                .map(|(f, _)| *f),
            samples: reading
                .samples
                .iter()
                .map(|r| r.get(index).cloned().unwrap_or_default())
                .collect(),
        })
        .collect();
    ImportPreview {
        file_name: file.file_name.clone(),
        encoding: reading.encoding.code().to_string(),
        dates_month_first: reading.date_order == DateOrder::MonthFirst,
        separator: reading.separator,
        sheet: reading.sheet.clone(),
        header_row: reading.header_row,
        columns,
        // An updated file with nobody new is no error: there is just nothing to write.
        can_commit: reading.can_commit() && update.as_ref().is_none_or(|u| u.added > 0),
        already_listed: reading.mostly_listed().then_some(reading.already_listed),
        mapping: reading.mapping,
        problem_count: reading.problems.count,
        problems: reading.problems.shown(),
        problems_by_kind: reading.problems.by_kind(),
        voter_rows: reading.voter_rows,
        renumbered: reading.renumbered,
        totals: reading.totals,
        areas: areas
            .iter()
            .map(|a| (a.id, a.number, a.name.clone()))
            .collect(),
        update,
    }
}

/// Every problem of the file in file order, as the CSV `import::problems_csv` writes, in chunks
/// of about 64 KB sent while the file is read: a problem on each of a million rows makes
/// ≈ 150 MB of CSV, which is never held whole. A file that no longer reads ends the list
/// with why.
#[tracing::instrument(skip_all)]
pub async fn problems_csv(
    db: &Db,
    file: &StagedFile,
    request: &ImportRequest,
    mode: ImportMode,
    locale: Locale,
) -> Result<tokio::sync::mpsc::Receiver<Vec<u8>>, AppError> {
    const CHUNK: usize = 64 * 1024;
    let mut connection = db.pool().acquire().await?;
    let (context, ..) = import_context(&mut connection, db.pool(), request, mode).await?;
    drop(connection);
    let (sender, chunks) = tokio::sync::mpsc::channel::<Vec<u8>>(4);
    let (file, request) = (file.clone(), request.clone());
    tokio::task::spawn_blocking(move || {
        let mut chunk = import::problems_csv::heading(locale);
        let reading = read_file(
            &file,
            &request,
            &context,
            |_| {},
            |_, problems| {
                for problem in problems.latest() {
                    import::problems_csv::record(&mut chunk, problem, locale);
                }
                if chunk.len() >= CHUNK {
                    let full = std::mem::replace(&mut chunk, String::with_capacity(CHUNK + 1024));
                    if sender.blocking_send(full.into_bytes()).is_err() {
                        // The download was abandoned.
                        return ControlFlow::Break(());
                    }
                }
                ControlFlow::Continue(())
            },
        );
        if let Err(problem) = reading {
            import::problems_csv::file_problem(&mut chunk, &problem, locale);
        }
        let _ = sender.blocking_send(chunk.into_bytes());
    });
    Ok(chunks)
}

/// Commits a whole file: see `commit_in`.
pub async fn commit(
    db: &Db,
    index: Option<&SearchIndex>,
    session: &CurrentSession,
    file: &StagedFile,
    request: &ImportRequest,
) -> Result<i64, AppError> {
    commit_in(db, index, session, file, request, ImportMode::All).await
}

/// Commits the import all-or-nothing; returns how many voters were added. The file is read and
/// checked again as it is written (never trust an earlier preview: the database may have
/// changed since); the first error-level problem rolls the whole transaction back. For only
/// the new voters, the file is compared with the list inside the same transaction, and only
/// the people not yet listed are written (none: nothing is written, and 0 is no error).
/// Progress is published on the staged file while it runs.
#[tracing::instrument(skip_all)]
pub async fn commit_in(
    db: &Db,
    index: Option<&SearchIndex>,
    session: &CurrentSession,
    file: &StagedFile,
    request: &ImportRequest,
    mode: ImportMode,
) -> Result<i64, AppError> {
    file.progress.set(ImportStage::Checking, 0, 0);
    let outcome = check_and_write(db, index, session, file, request, mode).await;
    file.progress.clear();
    outcome
}

async fn check_and_write(
    db: &Db,
    index: Option<&SearchIndex>,
    session: &CurrentSession,
    file: &StagedFile,
    request: &ImportRequest,
    mode: ImportMode,
) -> Result<i64, AppError> {
    let started = std::time::Instant::now();
    let forced = request.encoding.as_deref().and_then(FileEncoding::parse);
    let scanned = {
        let file = file.clone();
        tokio::task::spawn_blocking(move || file.scanned(forced))
            .await
            .map_err(AppError::internal)?
            .map_err(|_| ErrorCode::ImportHasErrors)?
    };
    let now = now_ms();
    let mut tx = db.begin_write().await?;
    // Checked inside the write transaction: what is listed cannot change until it ends.
    let (context, _, listed) = import_context(&mut tx, db.pool(), request, mode).await?;
    let import_id = store::insert_import(
        &mut tx,
        &ImportRecord {
            election_id: request.election_id,
            file_name: &file.file_name,
            file_sha256: &scanned.sha256,
            encoding: "",
            rows: 0,
            imported_by: &session.user.username,
        },
        now,
    )
    .await?;
    let prepared = started.elapsed();

    // One thread reads and checks, this task writes: the two overlap, and only the batches in
    // flight are held in memory. The writer's task and the database thread take turns, so
    // whatever a row needs besides the insert (folded name, card code) is made by the reader.
    let (sender, mut batches) = tokio::sync::mpsc::channel::<Vec<ReadyVoter>>(2);
    // Rows after the header: every one becomes a voter (or the commit fails), so it is the
    // progress bar's total.
    let data_rows = Arc::new(AtomicUsize::new(0));
    let reader =
        read_and_check_in_batches(file, request, (context, listed), sender, data_rows.clone());
    let mut writer = Writer {
        election_id: request.election_id,
        import_id,
        now,
        next_stt: HashMap::new(),
        households: HashMap::new(),
    };
    let mut written = 0usize;
    let mut reported = 0usize;
    let mut deferred_indexes = None;
    // Time the writer spent waiting for rows: it tells whether reading or writing sets the pace.
    let mut waited_for_rows = std::time::Duration::ZERO;
    loop {
        let asked = std::time::Instant::now();
        let Some(batch) = batches.recv().await else {
            break;
        };
        waited_for_rows += asked.elapsed();
        let total = data_rows.load(Ordering::Relaxed);
        if written == 0 {
            file.progress.set(ImportStage::Writing, 0, total);
            // Only new voters: how many is known at the end; the first batch is a lower bound.
            let coming = if mode == ImportMode::All {
                total
            } else {
                batch.len()
            };
            deferred_indexes = Some(store::defer_random_key_indexes(&mut tx, coming).await?);
        }
        writer.write(&mut tx, batch.as_slice()).await?;
        written += batch.len();
        if written - reported >= ROWS_PER_STEP {
            reported = written;
            file.progress
                .set(ImportStage::Writing, written, total.max(written));
        }
    }
    let reading = reader.await.map_err(AppError::internal)?;
    // An error anywhere in the file (or a file that no longer reads) leaves the transaction
    // uncommitted: dropping it rolls back every batch already written.
    let (reading, update) = match reading {
        Ok((reading, update)) if reading.can_commit() => (reading, update),
        _ => return Err(ErrorCode::ImportHasErrors.into()),
    };
    if update.as_ref().is_some_and(|u| u.added == 0) {
        // Everyone is listed already: nothing to write, nor to record (the import row rolls
        // back with the transaction).
        return Ok(0);
    }
    if let Some(deferred) = deferred_indexes {
        file.progress.set(ImportStage::Indexing, written, written);
        store::rebuild_deferred_indexes(&mut tx, deferred).await?;
    }
    let written_and_checked = started.elapsed();
    let encoding = reading.encoding.code();
    let written_rows = i64::try_from(written).map_err(AppError::internal)?;
    store::finish_import(&mut tx, import_id, written_rows, encoding).await?;
    let after = import_audit(file, &scanned.sha256, &reading, update.as_ref());
    audit(
        &mut tx,
        session,
        AuditAction::VotersImport,
        AuditSubject::Import(import_id),
        String::new(),
        after,
    )
    .await?;
    tx.commit().await?;
    file.progress.set(ImportStage::Indexing, written, written);
    if let Some(index) = index {
        index.reload_election(db, request.election_id).await;
    }
    tracing::info!(
        rows = written,
        prepared_ms = millis(prepared),
        waited_for_rows_ms = millis(waited_for_rows),
        read_checked_written_ms = millis(written_and_checked),
        committed_ms = millis(started.elapsed()),
        "voter list imported"
    );
    Ok(written_rows)
}

/// The audit record's summary of a committed import: the file, how it was read, its control
/// totals and, for only its new voters, how it compared with the list.
fn import_audit(
    file: &StagedFile,
    sha256: &str,
    reading: &Reading,
    update: Option<&ListUpdate>,
) -> String {
    let totals = &reading.totals;
    // Which sheet of a workbook became the list: another may hold another polling area.
    let sheet = reading.sheet.as_ref().and_then(|choice| {
        let read = choice
            .offered
            .iter()
            .find(|(position, _)| *position == choice.read);
        read.map(|(_, name)| name.as_str())
    });
    let mut after = json!({
        "file": file.file_name, "sha256": sha256, "encoding": reading.encoding.code(),
        "sheet": sheet, "rows": totals.rows, "men": totals.men, "women": totals.women,
    });
    if let Some(update) = update {
        after["only_new"] = json!({
            "added": update.added, "changed": update.changed, "unchanged": update.unchanged,
        });
    }
    after.to_string()
}

/// The reading side of a commit, on its own thread: reads and checks the file again and sends
/// the voters on in batches of `BATCH_VOTERS`, each with its folded name and card code. With
/// the listed voters (only new voters), sends only the rows nobody listed is, and tells how the
/// file compares. It stops at the first error-level problem (or when the writer has gone) and
/// stores the number of data rows in `data_rows` as soon as it is known.
fn read_and_check_in_batches(
    file: &StagedFile,
    request: &ImportRequest,
    (context, listed): (ImportContext, Option<ListedIndex>),
    sender: tokio::sync::mpsc::Sender<Vec<ReadyVoter>>,
    data_rows: Arc<AtomicUsize>,
) -> tokio::task::JoinHandle<Result<(Reading, Option<ListUpdate>), FileProblem>> {
    let (file, request) = (file.clone(), request.clone());
    tokio::task::spawn_blocking(move || {
        let mut batch = Vec::with_capacity(BATCH_VOTERS);
        let mut card_codes = CardCodes::new();
        let mut update = listed.as_ref().map(|_| ListUpdate::default());
        let found = |rows| data_rows.store(rows, Ordering::Relaxed);
        let reading = read_file(&file, &request, &context, found, |voter, problems| {
            if problems.errors > 0 {
                return ControlFlow::Break(());
            }
            let voter = match (&listed, &mut update, voter) {
                (Some(listed), Some(update), Some(draft)) => {
                    let comparison = listed.compare(&draft.facts());
                    let new = comparison == Comparison::New;
                    update.record(draft.row, &draft.full_name, comparison);
                    new.then_some(draft)
                }
                (_, _, voter) => voter,
            };
            batch.extend(voter.map(|draft| ReadyVoter {
                name_folded: fold(&draft.full_name),
                card_code: card_codes.next_code(),
                draft,
            }));
            if batch.len() == BATCH_VOTERS {
                let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH_VOTERS));
                if sender.blocking_send(full).is_err() {
                    return ControlFlow::Break(());
                }
            }
            ControlFlow::Continue(())
        });
        if matches!(&reading, Ok(r) if r.problems.errors == 0) && !batch.is_empty() {
            let _ = sender.blocking_send(batch);
        }
        reading.map(|reading| (reading, update))
    })
}

/// Whole milliseconds of a span, for the log.
fn millis(span: std::time::Duration) -> u64 {
    u64::try_from(span.as_millis()).unwrap_or(u64::MAX)
}

/// A checked voter with what its row needs besides its place in the list.
struct ReadyVoter {
    draft: VoterDraft,
    name_folded: String,
    card_code: String,
}

/// Places checked voters in the list (card numbers, households) and writes them, batch by
/// batch, in file order.
struct Writer {
    election_id: ElectionId,
    import_id: ImportId,
    now: i64,
    /// Next card number per area, from the highest the area ever had.
    next_stt: HashMap<AreaId, i64>,
    /// Per area: household label → id, and the last household position.
    households: HashMap<AreaId, (HashMap<String, HouseholdId>, i64)>,
}

impl Writer {
    async fn write(&mut self, tx: &mut WriteTx, batch: &[ReadyVoter]) -> Result<(), AppError> {
        self.create_households(tx, batch).await?;
        let mut rows = Vec::with_capacity(batch.len());
        for ready in batch {
            let draft = &ready.draft;
            let stt = match self.next_stt.get_mut(&draft.area_id) {
                Some(stt) => stt,
                None => {
                    let first = next_stt(store::highest_stt(tx, draft.area_id).await?);
                    self.next_stt.entry(draft.area_id).or_insert(first)
                }
            };
            let household_id = draft
                .household
                .as_deref()
                .and_then(|label| self.households.get(&draft.area_id)?.0.get(label).copied());
            rows.push(NewVoter {
                election_id: self.election_id,
                area_id: draft.area_id,
                stt: *stt,
                household_id,
                is_head: draft.is_head,
                full_name: &draft.full_name,
                name_folded: &ready.name_folded,
                birth: draft.birth,
                gender: draft.gender,
                ethnicity: &draft.ethnicity,
                occupation: &draft.occupation,
                cccd: draft.cccd.as_ref(),
                permanent_address: &draft.permanent_address,
                temporary_address: &draft.temporary_address,
                temporary_since: draft.temporary_since,
                levels: draft.levels,
                notes: &draft.notes,
                card_code: &ready.card_code,
                import_id: Some(self.import_id),
            });
            *stt += 1;
        }
        store::insert_voters(tx, &rows, self.now).await?;
        Ok(())
    }

    /// Creates the batch's new households, per area in the order they first appear (the list's
    /// household order).
    async fn create_households(
        &mut self,
        tx: &mut WriteTx,
        batch: &[ReadyVoter],
    ) -> Result<(), AppError> {
        let mut new_labels: Vec<(AreaId, Vec<&str>)> = Vec::new();
        // A batch holds thousands of households: looking each up in the list would be quadratic.
        let mut seen: HashSet<(AreaId, &str)> = HashSet::new();
        for ReadyVoter { draft, .. } in batch {
            let Some(label) = draft.household.as_deref() else {
                continue;
            };
            if let Entry::Vacant(slot) = self.households.entry(draft.area_id) {
                slot.insert(store::households(tx, draft.area_id).await?);
            }
            if self.households[&draft.area_id].0.contains_key(label)
                || !seen.insert((draft.area_id, label))
            {
                continue;
            }
            match new_labels
                .iter_mut()
                .find(|(area, _)| *area == draft.area_id)
            {
                Some((_, labels)) => labels.push(label),
                None => new_labels.push((draft.area_id, vec![label])),
            }
        }
        for (area_id, labels) in new_labels {
            let (known, last_position) = self.households.get_mut(&area_id).expect("loaded above");
            let ids = store::insert_households(tx, area_id, *last_position, &labels).await?;
            *last_position += i64::try_from(labels.len()).map_err(AppError::internal)?;
            for (label, id) in labels.into_iter().zip(ids) {
                known.insert(label.to_string(), id);
            }
        }
        Ok(())
    }
}

/// Parses what was typed into the search box: name words (any diacritics or none), a birth
/// year, a card number, a CCCD. A CCCD is often typed in groups ("001 234 567 890", as printed
/// on the card): digit groups next to each other that make 12 digits together are one.
pub fn parse_search(election_id: ElectionId, area_id: Option<AreaId>, text: &str) -> SearchQuery {
    let mut query = SearchQuery {
        election_id,
        area_id,
        name_tokens: Vec::new(),
        birth_year: None,
        stt: None,
        cccd: None,
        limit: SEARCH_LIMIT,
    };
    let mut digits: Vec<String> = Vec::new();
    for token in fold_tokens(text) {
        let token: String = token.chars().filter(|c| c.is_alphanumeric()).collect();
        if token.is_empty() {
            continue;
        }
        if token.bytes().all(|b| b.is_ascii_digit()) {
            digits.push(token);
        } else {
            read_numbers(&digits, &mut query);
            digits.clear();
            query.name_tokens.push(token);
        }
    }
    read_numbers(&digits, &mut query);
    query
}

/// Numbers typed one after another: a CCCD in groups, else each a CCCD, a birth year or a card
/// number by its length.
fn read_numbers(group: &[String], query: &mut SearchQuery) {
    let joined = group.concat();
    if group.len() > 1 && joined.len() == 12 {
        query.cccd = Cccd::parse(&joined);
        return;
    }
    for token in group {
        match token.len() {
            12 => query.cccd = Cccd::parse(token),
            4 if token.starts_with(['1', '2']) => query.birth_year = token.parse().ok(),
            _ => query.stt = token.parse().ok(),
        }
    }
}

/// Searches with the server's in-memory name index (see `engine::search_index`).
#[tracing::instrument(skip_all)]
pub async fn search(
    state: &AppState,
    election_id: ElectionId,
    area_id: Option<AreaId>,
    text: &str,
) -> Result<Vec<VoterSummary>, AppError> {
    search_with(
        &state.db,
        Some(&state.search_index),
        election_id,
        area_id,
        text,
    )
    .await
}

/// Names go to the index when there is one for the election; numbers, and elections without
/// an index, to SQL.
#[tracing::instrument(skip_all)]
pub async fn search_with(
    db: &Db,
    index: Option<&SearchIndex>,
    election_id: ElectionId,
    area_id: Option<AreaId>,
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
    if query.name_tokens.is_empty() {
        return Ok(store::search_by_numbers(db.pool(), &query).await?);
    }
    // No index (or numbers with the name): every candidate is read and ranked as the index
    // ranks. A ward's worst prefix matches a few thousand names.
    const CANDIDATES: i64 = 50_000;
    let candidates = store::name_candidates(db.pool(), &query, CANDIDATES).await?;
    let limit = usize::try_from(query.limit).unwrap_or(0);
    let ids = crate::engine::name_match::rank(&candidates, &query.name_tokens, limit);
    let mut rows: HashMap<VoterId, VoterSummary> = store::voters_by_ids(db.pool(), &ids)
        .await?
        .into_iter()
        .map(|v| (v.id, v))
        .collect();
    Ok(ids.iter().filter_map(|id| rows.remove(id)).collect())
}

/// The desk's search: its own polling area first (a full `SEARCH_LIMIT` of its own voters),
/// then the rest of the election, so a common name never pushes the desk's own voter out.
#[tracing::instrument(skip_all)]
pub async fn search_area_first(
    db: &Db,
    index: Option<&SearchIndex>,
    election_id: ElectionId,
    area_id: AreaId,
    text: &str,
) -> Result<Vec<VoterSummary>, AppError> {
    let mut found = search_with(db, index, election_id, Some(area_id), text).await?;
    let elsewhere = search_with(db, index, election_id, None, text).await?;
    found.extend(elsewhere.into_iter().filter(|v| v.area_id != area_id));
    Ok(found)
}

#[tracing::instrument(skip_all)]
pub async fn voter(db: &Db, id: VoterId) -> Result<VoterSummary, AppError> {
    Ok(store::voter(db.pool(), id)
        .await?
        .ok_or(ErrorCode::NotFound)?)
}

#[tracing::instrument(skip_all)]
pub async fn area_list(
    db: &Db,
    area_id: AreaId,
) -> Result<(AreaSummary, Vec<VoterSummary>), AppError> {
    let area = store::area(db.pool(), area_id)
        .await?
        .ok_or(ErrorCode::NotFound)?;
    Ok((area, store::area_list(db.pool(), area_id).await?))
}

/// One page of a polling area's list in card-number order (browsing without typing).
#[tracing::instrument(skip_all)]
pub async fn area_page(db: &Db, area_id: AreaId, page: u32) -> Result<AreaPage, AppError> {
    let (voters, more) = store::area_page(
        db.pool(),
        area_id,
        i64::from(page) * AREA_PAGE_SIZE,
        AREA_PAGE_SIZE,
    )
    .await?;
    Ok(AreaPage { page, voters, more })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(text: &str) -> SearchQuery {
        parse_search(ElectionId::new(1), None, text)
    }

    #[test]
    fn a_cccd_typed_in_groups_is_one_cccd() {
        for text in [
            "001 234 567 890",
            "0012 3456 7890",
            "001-234-567-890",
            "001234567890",
        ] {
            let query = parsed(text);
            assert_eq!(
                query.cccd.as_ref().map(Cccd::as_str),
                Some("001234567890"),
                "{text}"
            );
            assert_eq!((query.birth_year, query.stt), (None, None), "{text}");
        }
        let query = parsed("nguyen 001 234 567 890");
        assert_eq!(query.name_tokens, ["nguyen"]);
        assert!(query.cccd.is_some());
    }

    #[test]
    fn other_numbers_stay_birth_years_and_card_numbers() {
        let query = parsed("nguyen van an 1960 12");
        assert_eq!(query.name_tokens, ["nguyen", "van", "an"]);
        assert_eq!((query.birth_year, query.stt), (Some(1960), Some(12)));
        assert!(query.cccd.is_none());
        let query = parsed("001 234 567");
        assert!(query.cccd.is_none(), "nine digits are no CCCD");
        assert_eq!(query.limit, SEARCH_LIMIT);
    }
}
