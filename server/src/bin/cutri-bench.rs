//! Benchmarks behind BENCHMARKS.md. Run in release:
//!   cargo run --release -p server --bin cutri-bench -- search --voters 1000000
//!   cargo run --release -p server --bin cutri-bench -- search-quality --voters 6688 --areas 10
//!   cargo run --release -p server --bin cutri-bench -- import --voters 100000
//!   cargo run --release -p server --bin cutri-bench -- pdf --voters 6688
//!   cargo run --release -p server --bin cutri-bench -- reconcile --voters 1000000
//! Each prints a Markdown table. Databases are created fresh in a temporary directory (or at
//! `--database-url`, which must point at an empty database).

use app::domain::ids::{AreaId, CheckInId, ElectionId, VoterId};
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use app::auth::service::{create_account, AccountInput};
use app::domain::audit::{AuditAction, AuditSubject};
use app::domain::reconciliation::Reconciliation;
use app::domain::role::Role;
use app::domain::text::fold;
use app::domain::user::AuthUser;
use app::domain::voter::{Date, Levels};
use app::engine::import_staging::StagedFile;
use app::request::CurrentSession;
use app::storage::audit::{Actor, AuditEntry, ChainHead, ChainVerdict};
use app::storage::checkins::{self, NewCheckIn};
use app::storage::voters::{self as store, NewArea, NewVoter};
use app::storage::Db;
use app::voters::model::ImportRequest;
use clap::{Args, Parser, ValueEnum};
use server::generator::{self, GeneratedVoter};

/// Benchmarks behind BENCHMARKS.md; each prints a Markdown table.
#[derive(Debug, Parser)]
#[command(name = "cutri-bench")]
struct Cli {
    benchmark: Benchmark,
    #[command(flatten)]
    options: Options,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Benchmark {
    /// Voter search over the in-memory index.
    Search,
    /// Whether search finds the voter meant: recall@1 and @5 by kind of query, ward-wide and
    /// at the desk.
    SearchQuality,
    /// Voter-list import: dry run and commit.
    Import,
    /// The voter list and cards PDFs of one polling area.
    Pdf,
    /// `cutri audit verify`: the hash chain and the reconciliation.
    Reconcile,
}

#[derive(Debug, Args)]
struct Options {
    /// Voters generated.
    #[arg(long, default_value_t = 1_000_000)]
    voters: u64,
    /// Polling areas they are spread over.
    #[arg(long, default_value_t = 250)]
    areas: u32,
    /// An empty database to use instead of a fresh SQLite one.
    #[arg(long, value_name = "URL")]
    database_url: Option<String>,
}

async fn fresh_db(options: &Options) -> anyhow::Result<(Db, Option<std::path::PathBuf>)> {
    if let Some(url) = &options.database_url {
        return Ok((Db::connect(url).await?, None));
    }
    let dir = std::env::temp_dir().join(format!("cutri-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let url = Db::sqlite_url_in(&dir)?;
    Ok((Db::connect(&url).await?, Some(dir)))
}

const ELECTION_DAY: Date = Date {
    year: 2026,
    month: 3,
    day: 15,
};

async fn election_with_areas(db: &Db, areas: u32) -> anyhow::Result<(ElectionId, Vec<AreaId>)> {
    let mut tx = db.begin_write().await?;
    let election_id =
        store::insert_election(&mut tx, "Bầu cử thử nghiệm", ELECTION_DAY, Levels::ALL, 0).await?;
    let mut ids = Vec::new();
    for number in 1..=i64::from(areas) {
        let name = format!("Khu vực {number}");
        let area = NewArea {
            election_id,
            number,
            name: &name,
            address: "",
            levels: Levels::ALL,
        };
        ids.push(store::insert_area(&mut tx, &area).await?.context("area")?);
    }
    tx.commit().await?;
    Ok((election_id, ids))
}

/// The `percent`-th percentile, rounded to the nearest rank.
fn percentile(sorted: &[Duration], percent: usize) -> Duration {
    sorted[(sorted.len().saturating_sub(1) * percent + 50) / 100]
}

fn ms(d: Duration) -> String {
    format!("{:.2}", d.as_secs_f64() * 1000.0)
}

/// Resident memory now (VmRSS), in MB.
fn rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

fn peak_rss_mb() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .map(|l| l.to_string())
        })
        .and_then(|l| {
            l.split_whitespace()
                .nth(1)
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map(|kb| format!("{:.0}", kb / 1024.0))
        .unwrap_or_else(|| "?".into())
}

/// Restarts the process's peak resident memory (VmHWM) from the current resident size.
fn reset_peak_rss() {
    if let Err(error) = std::fs::write("/proc/self/clear_refs", "5") {
        eprintln!("cannot reset the peak RSS ({error}); it includes generating the file");
    }
}

/// Loads generated voters straight through the storage layer (the search benchmark measures
/// search, not import).
async fn load_voters(db: &Db, options: &Options) -> anyhow::Result<(ElectionId, Vec<String>)> {
    let (election_id, areas) = election_with_areas(db, options.areas).await?;
    let started = Instant::now();
    let mut names = Vec::new();
    let mut tx = db.begin_write().await?;
    let mut batch: Vec<(GeneratedVoter, String, String)> = Vec::with_capacity(5000);
    let mut stt = vec![0i64; areas.len()];
    let flush = async |tx: &mut app::storage::WriteTx,
                       batch: &mut Vec<(GeneratedVoter, String, String)>,
                       stt: &mut [i64]|
           -> anyhow::Result<()> {
        let rows: Vec<NewVoter> = batch
            .iter()
            .map(|(v, folded, code)| {
                let index = v.area as usize - 1;
                stt[index] += 1;
                v.row(election_id, areas[index], stt[index], folded, code)
            })
            .collect();
        store::insert_voters(tx, &rows, 0).await?;
        batch.clear();
        Ok(())
    };
    for (index, voter) in generator::voters(42, options.voters, options.areas).enumerate() {
        if index % 997 == 0 {
            names.push(voter.full_name.clone());
        }
        let folded = fold(&voter.full_name);
        batch.push((voter, folded, format!("{index:016}")));
        if batch.len() == 5000 {
            flush(&mut tx, &mut batch, &mut stt).await?;
        }
    }
    flush(&mut tx, &mut batch, &mut stt).await?;
    tx.commit().await?;
    eprintln!(
        "loaded {} voters in {:.1} s",
        options.voters,
        started.elapsed().as_secs_f64()
    );
    Ok((election_id, names))
}

/// What staff type: full names without diacritics, a name cut short, abbreviated words, the
/// given name alone, the name with diacritics, and the kinds the quality benchmark measures
/// (family name and the start of the given name, initials and the given name, last two words).
fn queries(names: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    for (i, name) in names.iter().enumerate() {
        let folded = fold(name);
        let words: Vec<&str> = folded.split(' ').collect();
        let query = match i % 8 {
            0 => folded.clone(),
            1 => folded[..folded.len().saturating_sub(2).max(1)].to_string(),
            2 => words
                .iter()
                .map(|w| &w[..w.len().min(2)])
                .collect::<Vec<_>>()
                .join(" "),
            3 => words.last().copied().unwrap_or_default().to_string(),
            4 => name.clone(),
            kind => QueryKind::ALL[kind - 5].query(name),
        };
        out.push(query);
    }
    out
}

/// The kinds of query the quality benchmark measures, as staff type a name they hear.
#[derive(Debug, Clone, Copy)]
enum QueryKind {
    /// "nguyen thi thu ha"
    FullName,
    /// The family name and the first three letters of the given name: "nguyen ha", "tran huo".
    FamilyGivenStart,
    /// The initials and the given name: "n t t ha".
    InitialsGiven,
    /// The last two words: "thu ha".
    LastTwo,
}

impl QueryKind {
    const ALL: [QueryKind; 4] = [
        QueryKind::FullName,
        QueryKind::FamilyGivenStart,
        QueryKind::InitialsGiven,
        QueryKind::LastTwo,
    ];

    fn label(self) -> &'static str {
        match self {
            QueryKind::FullName => "full name, no diacritics (`nguyen thi thu ha`)",
            QueryKind::FamilyGivenStart => "family + start of given (`nguyen ha`, `tran huo`)",
            QueryKind::InitialsGiven => "initials + given (`n t t ha`)",
            QueryKind::LastTwo => "last two words (`thu ha`)",
        }
    }

    fn query(self, name: &str) -> String {
        let folded = fold(name);
        let words: Vec<&str> = folded.split(' ').collect();
        let given = words.last().copied().unwrap_or_default();
        match self {
            QueryKind::FullName => folded.clone(),
            QueryKind::FamilyGivenStart if words.len() > 1 => {
                let start: String = given.chars().take(3).collect();
                format!("{} {start}", words[0])
            }
            QueryKind::FamilyGivenStart => folded.clone(),
            QueryKind::InitialsGiven => {
                let mut typed: Vec<&str> = words[..words.len() - 1]
                    .iter()
                    .map(|w| w.get(..1).unwrap_or(w))
                    .collect();
                typed.push(given);
                typed.join(" ")
            }
            QueryKind::LastTwo => words[words.len().saturating_sub(2)..].join(" "),
        }
    }
}

async fn bench_search(options: Options) -> anyhow::Result<()> {
    let (db, dir) = fresh_db(&options).await?;
    let (election_id, names) = load_voters(&db, &options).await?;
    let queries = queries(&names);
    // The in-memory name index, built as the server builds it at start-up.
    let rss_before = rss_mb();
    let started = Instant::now();
    let index = app::engine::search_index::SearchIndex::load(&db).await?;
    let build = started.elapsed();
    eprintln!(
        "search index: built in {:.2} s; resident memory {rss_before:.0} MB before, {:.0} MB after",
        build.as_secs_f64(),
        rss_mb()
    );
    let mut indexed = Vec::new();
    let mut found = 0usize;
    for query in &queries {
        let started = Instant::now();
        let results =
            app::voters::service::search_with(&db, Some(&index), election_id, None, query).await?;
        indexed.push(started.elapsed());
        found += usize::from(!results.is_empty());
    }
    // The desk: the same queries, own area first (an area in the middle of the election).
    let desk_area: AreaId = sqlx::query_scalar(
        "select polling_area_id from voters where election_id = $1 order by id limit 1 offset $2",
    )
    .bind(election_id)
    .bind(i64::try_from(options.voters / 2).unwrap_or(0))
    .fetch_one(db.pool())
    .await?;
    let mut desk = Vec::new();
    for query in &queries {
        let started = Instant::now();
        let results = app::voters::service::search_area_first(
            &db,
            Some(&index),
            election_id,
            desk_area,
            query,
        )
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
        desk.push(started.elapsed());
        std::hint::black_box(results);
    }
    let mut scan = Vec::new();
    for query in queries.iter().take(60) {
        let pattern = format!("%{}%", fold(query).replace(' ', "%"));
        let started = Instant::now();
        let rows = sqlx::query("select id, full_name from voters where election_id = $1 and name_folded like $2 order by name_folded limit 30")
            .bind(election_id)
            .bind(&pattern)
            .fetch_all(db.pool())
            .await?;
        scan.push(started.elapsed());
        std::hint::black_box(rows);
    }
    indexed.sort();
    desk.sort();
    scan.sort();
    println!(
        "| search ({} voters, {:?}) | queries | p50 ms | p95 ms | p99 ms | max ms |",
        options.voters,
        db.engine()
    );
    println!("|---|---|---|---|---|---|");
    println!(
        "| cutri search (in-memory name index) | {} | {} | {} | {} | {} |",
        indexed.len(),
        ms(percentile(&indexed, 50)),
        ms(percentile(&indexed, 95)),
        ms(percentile(&indexed, 99)),
        ms(*indexed.last().unwrap_or(&Duration::ZERO))
    );
    println!(
        "| cutri desk search (own area, then the rest) | {} | {} | {} | {} | {} |",
        desk.len(),
        ms(percentile(&desk, 50)),
        ms(percentile(&desk, 95)),
        ms(percentile(&desk, 99)),
        ms(*desk.last().unwrap_or(&Duration::ZERO))
    );
    println!(
        "| `LIKE '%…%'` scan | {} | {} | {} | {} | {} |",
        scan.len(),
        ms(percentile(&scan, 50)),
        ms(percentile(&scan, 95)),
        ms(percentile(&scan, 99)),
        ms(*scan.last().unwrap_or(&Duration::ZERO))
    );
    println!(
        "\nqueries with at least one result: {found}/{}; p95 speed-up: {:.0}×",
        queries.len(),
        percentile(&scan, 95).as_secs_f64() / percentile(&indexed, 95).as_secs_f64()
    );
    db.close().await;
    if let Some(dir) = dir {
        let _ = std::fs::remove_dir_all(dir);
    }
    Ok(())
}

/// One voter of the generated ward, as the quality benchmark looks for them.
struct Target {
    id: VoterId,
    area: AreaId,
    name: String,
}

/// Where the voter meant came in the results (0-based), if at all.
async fn rank_of(
    db: &Db,
    index: &app::engine::search_index::SearchIndex,
    election_id: ElectionId,
    target: &Target,
    query: &str,
    at_desk: bool,
) -> anyhow::Result<Option<usize>> {
    let found = if at_desk {
        app::voters::service::search_area_first(db, Some(index), election_id, target.area, query)
            .await
    } else {
        app::voters::service::search_with(db, Some(index), election_id, None, query).await
    }
    .map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(found.iter().position(|v| v.id == target.id))
}

/// How many voters in scope give each typed text, per kind of query: ward-wide (the key's
/// area is `None`) and per polling area (the desk's own area comes first).
type Namesakes = std::collections::HashMap<(usize, Option<AreaId>, String), usize>;

fn namesakes(everyone: &[(VoterId, AreaId, String)]) -> Namesakes {
    let mut counts = Namesakes::new();
    for (kind_at, kind) in QueryKind::ALL.iter().enumerate() {
        for (_, area, name) in everyone {
            let query = kind.query(name);
            *counts
                .entry((kind_at, Some(*area), query.clone()))
                .or_default() += 1;
            *counts.entry((kind_at, None, query)).or_default() += 1;
        }
    }
    counts
}

/// The best any ranker could do @5 for a query the voter's own name gave: `alike` voters in
/// scope give the same typed text for this kind of query (the same folded words at the same
/// places of the name), so nothing typed tells them apart and a page of five holds at most five
/// of them: whichever one was meant, it is on the page with chance min(1, 5 / alike).
fn ceiling_at_5(alike: usize) -> f64 {
    (5.0 / alike.max(1) as f64).min(1.0)
}

/// Recall of the voter meant: for voters spread over the generated ward, each kind of query
/// typed from their name, searched ward-wide (the voter list page) and at their own area's
/// desk (own area first, then the rest of the election); next to each, the ceiling no ranking
/// can pass because the query itself does not tell namesakes apart.
async fn bench_search_quality(options: Options) -> anyhow::Result<()> {
    const SAMPLE: usize = 2000;
    let (db, dir) = fresh_db(&options).await?;
    let (election_id, _) = load_voters(&db, &options).await?;
    let index = app::engine::search_index::SearchIndex::load(&db).await?;
    let everyone: Vec<(VoterId, AreaId, String)> =
        sqlx::query_as("select id, polling_area_id, full_name from voters order by id")
            .fetch_all(db.pool())
            .await?;
    let alike = namesakes(&everyone);
    let step = everyone.len().div_ceil(SAMPLE).max(1);
    let targets: Vec<Target> = everyone
        .into_iter()
        .step_by(step)
        .map(|(id, area, name)| Target { id, area, name })
        .collect();
    println!(
        "| search quality ({} voters, {} areas, {} voters looked for) | ward-wide @1 | ward-wide @5 | ward-wide ceiling @5 | desk @1 | desk @5 | desk ceiling @5 |",
        options.voters,
        options.areas,
        targets.len()
    );
    println!("|---|---|---|---|---|---|---|");
    let share = |found: f64, of: usize| format!("{:.1} %", 100.0 * found / of as f64);
    // Per column: ward-wide @1, @5, ceiling @5, desk @1, @5, ceiling @5.
    let mut totals = [0f64; 6];
    for (kind_at, kind) in QueryKind::ALL.iter().enumerate() {
        let mut found = [0f64; 6];
        for target in &targets {
            let query = kind.query(&target.name);
            for (column, scope) in [(0, None), (3, Some(target.area))] {
                let rank =
                    rank_of(&db, &index, election_id, target, &query, scope.is_some()).await?;
                found[column] += f64::from(u8::from(rank == Some(0)));
                found[column + 1] += f64::from(u8::from(rank.is_some_and(|r| r < 5)));
                let key = (kind_at, scope, query.clone());
                found[column + 2] += ceiling_at_5(alike.get(&key).copied().unwrap_or(1));
            }
        }
        for (total, hit) in totals.iter_mut().zip(found) {
            *total += hit;
        }
        let cells: Vec<String> = found.iter().map(|f| share(*f, targets.len())).collect();
        println!("| {} | {} |", kind.label(), cells.join(" | "));
    }
    let queries = targets.len() * QueryKind::ALL.len();
    let cells: Vec<String> = totals.iter().map(|f| share(*f, queries)).collect();
    println!("| **all kinds** | {} |", cells.join(" | "));
    db.close().await;
    if let Some(dir) = dir {
        let _ = std::fs::remove_dir_all(dir);
    }
    Ok(())
}

/// An administrator's session, as the import and the audit log need one.
async fn admin_session(db: &Db) -> anyhow::Result<CurrentSession> {
    let input = AccountInput {
        username: "bench".into(),
        display_name: "Bench".into(),
        role: Role::Admin,
        password: "bench-password-1".into(),
    };
    let admin = create_account(db, &Actor::system(), &input, false)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(CurrentSession {
        user: AuthUser {
            id: admin.id,
            username: admin.username.clone(),
            display_name: admin.display_name.clone(),
            role: Role::Admin,
        },
        token_hash: String::new(),
        assigned_areas: Vec::new(),
    })
}

/// A generated voter list as an uploaded CSV file: exactly the file's bytes, as the server
/// holds an upload.
fn generated_csv(options: &Options) -> Vec<u8> {
    let mut csv = String::from(generator::CSV_HEADER);
    csv.push('\n');
    for (index, voter) in generator::voters(7, options.voters, options.areas).enumerate() {
        csv.push_str(&generator::csv_line(index as u64 + 1, &voter));
        csv.push('\n');
    }
    let mut bytes = csv.into_bytes();
    bytes.shrink_to_fit();
    bytes
}

async fn bench_import(options: Options) -> anyhow::Result<()> {
    let (db, dir) = fresh_db(&options).await?;
    let (election_id, _) = election_with_areas(&db, options.areas).await?;
    let session = admin_session(&db).await?;
    let bytes = generated_csv(&options);
    let size_mb = bytes.len() as f64 / 1_048_576.0;
    let file = StagedFile::new(session.user.id, "bench.csv".into(), bytes, 0);
    // The peak is the import's (the staged file included), not the generator's.
    reset_peak_rss();
    let rss_staged = rss_mb();
    let request = ImportRequest {
        token: String::new(),
        election_id,
        default_area: None,
        encoding: None,
        sheet: None,
        mapping: None,
    };
    let started = Instant::now();
    let preview = app::voters::service::preview(&db, &file, &request)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let preview_time = started.elapsed();
    match &preview {
        Ok(p) if p.can_commit => {}
        other => bail!(
            "generated file does not import cleanly: {:?}",
            other
                .as_ref()
                .map(|p| p.problems.iter().take(3).collect::<Vec<_>>())
        ),
    }
    let started = Instant::now();
    let rows = app::voters::service::commit(&db, None, &session, &file, &request)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let commit_time = started.elapsed();
    println!("| import ({:?}) | rows | file MB | dry run s | commit s (re-check + write) | rows/s (commit) | peak RSS MB |", db.engine());
    println!("|---|---|---|---|---|---|---|");
    println!(
        "| CSV, UTF-8 | {rows} | {size_mb:.1} | {:.2} | {:.2} | {:.0} | {} |",
        preview_time.as_secs_f64(),
        commit_time.as_secs_f64(),
        rows as f64 / commit_time.as_secs_f64(),
        peak_rss_mb()
    );
    println!(
        "\nresident memory with the file staged, before the dry run: {rss_staged:.0} MB; peak RSS \
         is the whole process's from then on (VmHWM)"
    );
    db.close().await;
    if let Some(dir) = dir {
        let _ = std::fs::remove_dir_all(dir);
    }
    Ok(())
}

/// `cutri audit verify` (chain, then reconciliation of the data with it) on a ward imported
/// through the real import, with 70 % of the voters checked in and 1 % of those undone, each
/// check-in and undo written with its audit record as the desk and the undo write them.
async fn bench_reconcile(options: Options) -> anyhow::Result<()> {
    let (db, dir) = fresh_db(&options).await?;
    let url = match (&options.database_url, &dir) {
        (Some(url), _) => url.clone(),
        (None, Some(dir)) => Db::sqlite_url_in(dir)?,
        (None, None) => bail!("no database"),
    };
    let (election_id, _) = election_with_areas(&db, options.areas).await?;
    let session = admin_session(&db).await?;
    let imported = import_generated(&db, &options, &session, election_id).await?;

    let started = Instant::now();
    let checked_in = check_in_seven_in_ten(&db, &session, election_id).await?;
    let undone = undo_one_in_a_hundred(&db, &session).await?;
    eprintln!(
        "checked in {checked_in} voters, undid {undone}, in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    let started = Instant::now();
    let chain = app::storage::audit::verify(db.pool()).await?;
    let chain_time = started.elapsed();
    let started = Instant::now();
    let reconciliation = app::storage::audit_reconcile::reconcile(&db).await?;
    let reconcile_time = started.elapsed();
    if !matches!(chain, ChainVerdict::Intact { .. })
        || !matches!(reconciliation, Reconciliation::Consistent(_))
    {
        bail!("the generated database does not verify: {chain:?} {reconciliation:?}");
    }
    db.close().await;
    let started = Instant::now();
    let report = server::cli::audit_report(&url).await?;
    let report_time = started.elapsed();
    println!("{}\n", report.text);
    println!(
        "| `cutri audit verify` ({:?}) | voters | check-ins | audit records | chain s | reconciliation s | whole command s |",
        db.engine()
    );
    println!("|---|---|---|---|---|---|---|");
    println!(
        "| | {imported} | {checked_in} | {} | {:.2} | {:.2} | {:.2} |",
        match chain {
            ChainVerdict::Intact { records, .. } => records,
            ChainVerdict::Broken { .. } => 0,
        },
        chain_time.as_secs_f64(),
        reconcile_time.as_secs_f64(),
        report_time.as_secs_f64()
    );
    if let Some(dir) = dir {
        let _ = std::fs::remove_dir_all(dir);
    }
    Ok(())
}

/// The generated ward through the real import (`voters::service::commit`); how many voters.
async fn import_generated(
    db: &Db,
    options: &Options,
    session: &CurrentSession,
    election_id: ElectionId,
) -> anyhow::Result<i64> {
    let file = StagedFile::new(
        session.user.id,
        "bench.csv".into(),
        generated_csv(options),
        0,
    );
    let request = ImportRequest {
        token: String::new(),
        election_id,
        default_area: None,
        encoding: None,
        sheet: None,
        mapping: None,
    };
    let started = Instant::now();
    let imported = app::voters::service::commit(db, None, session, &file, &request)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    eprintln!(
        "imported {imported} voters in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    Ok(imported)
}

/// Who the bench's check-ins and undos are recorded as.
fn bench_actor(session: &CurrentSession) -> Actor {
    Actor {
        user_id: Some(session.user.id),
        username: session.user.username.clone(),
    }
}

/// Checks in the voters whose id ends in 0 to 6, numbered per area, each with the desk's
/// audit record (`checkin::desk`); how many.
async fn check_in_seven_in_ten(
    db: &Db,
    session: &CurrentSession,
    election_id: ElectionId,
) -> anyhow::Result<usize> {
    let voters: Vec<(VoterId, AreaId, i64)> =
        sqlx::query_as("select id, polling_area_id, levels from voters order by id")
            .fetch_all(db.pool())
            .await?;
    let actor = bench_actor(session);
    let mut next_number: std::collections::HashMap<AreaId, i64> = Default::default();
    let checked_in: Vec<(VoterId, AreaId, i64, i64)> = voters
        .iter()
        .filter(|(id, _, _)| id.get() % 10 < 7)
        .map(|&(id, area, levels)| {
            let number = next_number.entry(area).or_insert(0);
            *number += 1;
            (id, area, *number, levels)
        })
        .collect();
    let request_ids: Vec<String> = checked_in.iter().map(|(id, ..)| format!("r{id}")).collect();
    for (batch, ids) in checked_in.chunks(5000).zip(request_ids.chunks(5000)) {
        let mut tx = db.begin_write().await?;
        let rows: Vec<NewCheckIn> = batch
            .iter()
            .zip(ids)
            .map(
                |(&(voter_id, area_id, number, levels), request_id)| NewCheckIn {
                    election_id,
                    voter_id,
                    area_id,
                    number,
                    levels: Levels(levels),
                    mobile_box: false,
                    hours_override: false,
                    request_id,
                    by_user_id: Some(session.user.id),
                    by: &session.user.display_name,
                    at_ms: 0,
                },
            )
            .collect();
        checkins::insert_all(&mut tx, &rows).await?;
        // The desk's record of a check-in (`checkin::desk`).
        let entries = batch
            .iter()
            .map(|&(voter_id, area_id, number, levels)| AuditEntry {
                actor: &actor,
                action: AuditAction::CheckinRecord,
                entity: AuditSubject::Voter(voter_id),
                before: String::new(),
                after: format!("luot={number} khu_vuc={area_id} cap={levels}"),
            })
            .collect();
        ChainHead::read(&mut tx)
            .await?
            .append_all(&mut tx, entries, 0)
            .await?;
        tx.commit().await?;
    }
    Ok(checked_in.len())
}

/// Undoes the check-ins of the voters whose id ends in 01, each with the undo's audit record
/// (`checkin::service::undo`); how many.
async fn undo_one_in_a_hundred(db: &Db, session: &CurrentSession) -> anyhow::Result<usize> {
    let actor = bench_actor(session);
    let undone: Vec<(CheckInId, VoterId, AreaId, i64)> = sqlx::query_as(
        "select id, voter_id, polling_area_id, number from check_ins where voter_id % 100 = 1",
    )
    .fetch_all(db.pool())
    .await?;
    for batch in undone.chunks(1000) {
        let mut tx = db.begin_write().await?;
        let mut chain = ChainHead::read(&mut tx).await?;
        for &(id, voter_id, area_id, number) in batch {
            checkins::undo(&mut tx, id, "nhầm người", session.user.id, "Bench", 0).await?;
            // The undo's record (`checkin::service::undo`).
            let entry = AuditEntry {
                actor: &actor,
                action: AuditAction::CheckinUndo,
                entity: AuditSubject::Voter(voter_id),
                before: format!("luot={number} khu_vuc={area_id}"),
                after: "huy: nhầm người".to_string(),
            };
            chain.append(&mut tx, entry, 0).await?;
        }
        tx.commit().await?;
    }
    Ok(undone.len())
}

fn bench_pdf(options: Options) -> anyhow::Result<()> {
    use server::pdf::{voter_list_pdf, Fonts, ListTotals, VoterListDoc, VoterListRow};
    let fonts = Fonts::load(None)?;
    let voters: Vec<GeneratedVoter> = generator::voters(3, options.voters, 1).collect();
    let rows: Vec<VoterListRow> = voters
        .iter()
        .zip(1..)
        .map(|(v, stt)| VoterListRow {
            stt,
            full_name: v.full_name.clone(),
            birth_date: v.birth_date.clone(),
            male: v.male,
            female: !v.male,
            ethnicity: v.ethnicity.to_string(),
            occupation: v.occupation.to_string(),
            permanent_address: v.address.clone(),
            temporary_address: String::new(),
            na: true,
            province: true,
            commune: true,
            notes: String::new(),
            household_start: v.is_head,
        })
        .collect();
    let listed = i64::try_from(rows.len()).context("too many voters for one list")?;
    let men = i64::try_from(voters.iter().filter(|v| v.male).count())?;
    let doc = VoterListDoc {
        committee: "ỦY BAN NHÂN DÂN".into(),
        ward_line: "PHƯỜNG MỸ THỚI".into(),
        place_date_line: "Mỹ Thới, ngày 03 tháng 02 năm 2026".into(),
        title_lines: vec![
            "DANH SÁCH CỬ TRI".into(),
            "BẦU CỬ ĐẠI BIỂU QUỐC HỘI KHÓA XVI VÀ ĐẠI BIỂU HĐND CÁC CẤP NHIỆM KỲ 2026–2031".into(),
        ],
        subtitle: "Khu vực bỏ phiếu số 1: Khóm Thới An, Phường Mỹ Thới, Tỉnh An Giang".into(),
        totals: ListTotals {
            voters: listed,
            men,
            women: listed - men,
            national_assembly: listed,
            province_council: listed,
            commune_council: listed,
        },
        rows,
        signer_title_lines: vec!["TM. ỦY BAN NHÂN DÂN".into(), "CHỦ TỊCH".into()],
        signer_name: String::new(),
        generated_at: "27/11/2026 10:00".into(),
        data_hash: "bench".into(),
        page_note: String::new(),
    };
    let mut times = Vec::new();
    let mut size = 0;
    for _ in 0..5 {
        let started = Instant::now();
        size = voter_list_pdf(&doc, &fonts)?.len();
        times.push(started.elapsed());
    }
    times.sort();
    println!("| voter list PDF | rows | runs | median s | best s | size KB |");
    println!("|---|---|---|---|---|---|");
    println!(
        "| printpdf (cutri) | {} | {} | {:.3} | {:.3} | {} |",
        doc.rows.len(),
        times.len(),
        percentile(&times, 50).as_secs_f64(),
        times[0].as_secs_f64(),
        size / 1024
    );
    chromium_print(&doc)?;
    Ok(())
}

/// The same list as an HTML table printed to PDF by headless Chromium, for comparison.
fn chromium_print(doc: &server::pdf::VoterListDoc) -> anyhow::Result<()> {
    let Ok(chromium) = which("chromium") else {
        println!("| headless Chromium | – | – | not installed | | |");
        return Ok(());
    };
    let dir = std::env::temp_dir().join(format!("cutri-bench-html-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let mut html = String::from("<!DOCTYPE html><meta charset=utf-8><style>@page{size:A4 landscape;margin:15mm}body{font-family:'Liberation Serif';font-size:10pt}table{border-collapse:collapse;width:100%}td,th{border:1px solid #000;padding:2px}thead{display:table-header-group}</style><h1>DANH SÁCH CỬ TRI</h1><table><thead><tr><th>STT<th>Họ và tên<th>Ngày sinh<th>Nam<th>Nữ<th>Dân tộc<th>Nghề nghiệp<th>Thường trú<th>QH<th>Tỉnh<th>Xã<th>Ghi chú</tr></thead><tbody>");
    for row in &doc.rows {
        html.push_str(&format!(
            "<tr><td>{}<td>{}<td>{}<td>{}<td>{}<td>{}<td>{}<td>{}<td>x<td>x<td>x<td></tr>",
            row.stt,
            row.full_name,
            row.birth_date,
            if row.male { "x" } else { "" },
            if row.female { "x" } else { "" },
            row.ethnicity,
            row.occupation,
            row.permanent_address
        ));
    }
    html.push_str("</tbody></table>");
    let page = dir.join("list.html");
    std::fs::write(&page, html)?;
    let out = dir.join("list.pdf");
    let started = Instant::now();
    let status = std::process::Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-pdf-header-footer",
        ])
        .arg(format!("--user-data-dir={}", dir.join("profile").display()))
        .arg(format!("--print-to-pdf={}", out.display()))
        .arg(format!("file://{}", page.display()))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()?;
    let elapsed = started.elapsed();
    let size = std::fs::metadata(&out).map(|m| m.len() / 1024).unwrap_or(0);
    println!(
        "| headless Chromium (HTML table, incl. browser start) | {} | 1 | {:.3} | | {} |{}",
        doc.rows.len(),
        elapsed.as_secs_f64(),
        size,
        if status.success() { "" } else { " failed" }
    );
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

fn which(program: &str) -> anyhow::Result<std::path::PathBuf> {
    std::env::var_os("PATH")
        .and_then(|paths| {
            std::env::split_paths(&paths)
                .map(|p| p.join(program))
                .find(|p| p.is_file())
        })
        .context("not found")
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::new("info,sqlx=warn"))
        .init();
    let Cli { benchmark, options } = Cli::parse();
    match benchmark {
        Benchmark::Search => bench_search(options).await,
        Benchmark::SearchQuality => bench_search_quality(options).await,
        Benchmark::Import => bench_import(options).await,
        Benchmark::Pdf => bench_pdf(options),
        Benchmark::Reconcile => bench_reconcile(options).await,
    }
}
