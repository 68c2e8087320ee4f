//! Backups and restores: the one routine behind `cutri backup`, the automatic backups of
//! `cutri serve --backup-every` and the page's "Sao lưu ngay", and `cutri restore`.
//!
//! A copy is written under a temporary name (`.cutri-partial-…`), checked, fsynced and only then
//! renamed to `cutri-<UTC time>Z-<audit head>.db|.pgdump`: a file of that name is always a
//! complete, checked copy, and one cut short by a crash, a full stick or a pulled plug never
//! takes it. SQLite copies are made with `VACUUM INTO` (one read transaction, WAL included, the
//! writer not held up); PostgreSQL ones with `pg_dump -Fc` of a snapshot this process exported,
//! so the report's counts are those of the dump.

use std::future::Future;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::Arc;
use std::time::Instant;

use anyhow::{anyhow, bail, Context};
use sqlx::{AnyConnection, Connection};

use crate::domain::backup::{BackupFile, BackupMade};
use crate::error::{AppError, ErrorCode, ErrorDetail};
use crate::storage::audit;
use crate::storage::backup::{self as sql, Contents};
use crate::storage::db::now_ms;
use crate::storage::db::{Db, Engine};

const NAME_PREFIX: &str = "cutri-";
/// Copies being written or checked; never listed, never kept.
const PARTIAL_PREFIX: &str = ".cutri-partial-";
const SQLITE_EXTENSION: &str = "db";
const POSTGRES_EXTENSION: &str = "pgdump";
/// Hex digits of the audit head in a backup's name.
const HEAD_DIGITS: usize = 12;
/// Tables a PostgreSQL archive must carry the data of.
const ARCHIVE_TABLES: [&str; 4] = ["audit_log", "users", "voters", "check_ins"];

/// What `cutri audit verify` says of a database.
pub struct AuditVerdict {
    pub intact: bool,
    pub text: String,
}

/// `cutri audit verify`'s check of the database at a URL (`server::cli::audit_report`), given by
/// the server crate where it lives: a copy passes exactly the checks the live database passes.
pub type AuditCheck = Arc<dyn Fn(String) -> AuditFuture + Send + Sync>;
pub type AuditFuture = Pin<Box<dyn Future<Output = anyhow::Result<AuditVerdict>> + Send>>;

#[derive(Debug)]
pub enum BackupError {
    /// Another backup of this process is running.
    InProgress,
    /// `pg_dump` or `pg_restore` is not installed.
    ToolMissing(&'static str),
    /// The installed `pg_dump` is older than the server and cannot dump it.
    ToolTooOld {
        tool: &'static str,
        tool_major: u32,
        server_major: u32,
    },
    /// The backup folder cannot be written (missing, read-only, full).
    Folder {
        dir: PathBuf,
        reason: String,
    },
    /// The copy failed its checks; it was removed.
    Damaged(String),
    Failed(anyhow::Error),
}

impl std::fmt::Display for BackupError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BackupError::InProgress => write!(
                f,
                "Đang có một lần sao lưu khác; hãy đợi nó xong.\n\
                 Another backup is running; wait for it to finish."
            ),
            BackupError::ToolMissing(tool) => write!(
                f,
                "Không tìm thấy chương trình {tool}, cần cho sao lưu/khôi phục PostgreSQL. \
                 Hãy cài gói postgresql-client (Debian: apt-get install postgresql-client).\n\
                 {tool} was not found; PostgreSQL backups and restores need it. Install the \
                 postgresql-client package (Debian: apt-get install postgresql-client)."
            ),
            BackupError::ToolTooOld {
                tool,
                tool_major,
                server_major,
            } => write!(
                f,
                "{tool} phiên bản {tool_major} cũ hơn máy chủ PostgreSQL {server_major}: hãy cài \
                 postgresql-client {server_major} trở lên.\n\
                 {tool} {tool_major} is older than the PostgreSQL server ({server_major}): install \
                 postgresql-client {server_major} or newer."
            ),
            BackupError::Folder { dir, reason } => write!(
                f,
                "Không ghi được vào thư mục sao lưu {dir} ({reason}). USB đã rút ra, đầy hoặc chỉ \
                 cho đọc?\nCannot write to the backup folder {dir} ({reason}). USB stick removed, \
                 full or read-only?",
                dir = dir.display()
            ),
            BackupError::Damaged(why) => write!(
                f,
                "Bản sao lưu không qua được kiểm tra: {why}\nThe backup copy failed its checks: {why}"
            ),
            BackupError::Failed(error) => write!(
                f,
                "Sao lưu/khôi phục không thành công: {error:#}\nBackup/restore failed: {error:#}"
            ),
        }
    }
}

impl std::error::Error for BackupError {}

impl From<BackupError> for AppError {
    fn from(error: BackupError) -> AppError {
        let with_subject = |code: ErrorCode, subject: String| AppError {
            detail: Some(ErrorDetail::Subject(subject)),
            ..AppError::new(code)
        };
        match error {
            BackupError::InProgress => ErrorCode::BackupInProgress.into(),
            BackupError::ToolMissing(tool) => {
                with_subject(ErrorCode::BackupToolMissing, tool.to_string())
            }
            BackupError::ToolTooOld {
                tool,
                tool_major,
                server_major,
            } => with_subject(
                ErrorCode::BackupToolTooOld,
                format!("{tool} {tool_major} < PostgreSQL {server_major}"),
            ),
            BackupError::Folder { dir, reason } => {
                tracing::error!(dir = %dir.display(), %reason, "backup folder unavailable");
                with_subject(
                    ErrorCode::BackupFolderUnavailable,
                    dir.display().to_string(),
                )
            }
            BackupError::Damaged(why) => AppError {
                code: ErrorCode::BackupCopyDamaged,
                ..AppError::internal(format!("backup copy failed its checks: {why}"))
            },
            BackupError::Failed(error) => AppError::internal(error),
        }
    }
}

fn failed(error: impl Into<anyhow::Error>) -> BackupError {
    BackupError::Failed(error.into())
}

/// The folder backups go to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupFolder {
    pub path: PathBuf,
    /// Whether to create it when missing: only the default `<data-dir>/backups`. A folder the
    /// operator named (a USB stick's) must exist: under the empty mount point of a stick that
    /// was pulled out, a created folder would quietly fill the server's own disk.
    pub create: bool,
}

/// Where backups go and how often they are made: the server's settings, shared by the
/// automatic task and the page.
#[derive(Clone)]
pub struct Backups {
    folder: BackupFolder,
    /// The database's URL, for `pg_dump`.
    database_url: String,
    /// Minutes between automatic backups and how many backups are kept; `None`: not automatic
    /// and none removed.
    schedule: Option<(u64, usize)>,
    audit_check: AuditCheck,
    /// One backup at a time per process: the automatic one waits, the page's is refused.
    running: Arc<tokio::sync::Mutex<()>>,
}

impl Backups {
    pub fn new(
        folder: BackupFolder,
        database_url: String,
        schedule: Option<(u64, usize)>,
        audit_check: AuditCheck,
    ) -> Backups {
        Backups {
            folder,
            database_url,
            schedule,
            audit_check,
            running: Arc::default(),
        }
    }

    pub fn dir(&self) -> &Path {
        &self.folder.path
    }

    pub fn schedule(&self) -> Option<(u64, usize)> {
        self.schedule
    }

    /// Makes a backup, waiting for one already running, then keeps the newest `keep` of the
    /// folder when backups are automatic.
    pub async fn make(&self, db: &Db) -> Result<BackupMade, BackupError> {
        let _running = self.running.lock().await;
        self.make_and_prune(db).await
    }

    /// Makes a backup unless one is running already.
    pub async fn make_unless_running(&self, db: &Db) -> Result<BackupMade, BackupError> {
        let _running = self
            .running
            .try_lock()
            .map_err(|_| BackupError::InProgress)?;
        self.make_and_prune(db).await
    }

    async fn make_and_prune(&self, db: &Db) -> Result<BackupMade, BackupError> {
        let made = make(db, &self.database_url, &self.folder, &self.audit_check).await?;
        if let Some((_, keep)) = self.schedule {
            prune(&self.folder.path, db.engine(), keep).await?;
        }
        Ok(made)
    }

    /// The backups in the folder, newest first; none when the folder does not exist yet.
    pub async fn list(&self) -> Result<Vec<BackupFile>, BackupError> {
        list(&self.folder.path).await
    }
}

async fn make(
    db: &Db,
    database_url: &str,
    folder: &BackupFolder,
    audit_check: &AuditCheck,
) -> Result<BackupMade, BackupError> {
    let dir = folder.path.as_path();
    let started = Instant::now();
    let at_ms = now_ms();
    let (partial, contents, extension) = match db.engine() {
        Engine::Sqlite => {
            let partial = Partial::create(folder, SQLITE_EXTENSION).await?;
            sql::vacuum_into(db.pool(), &partial.path)
                .await
                .map_err(|error| folder_or_failed(dir, error, "VACUUM INTO"))?;
            let contents = check_sqlite_copy(&partial.path, audit_check).await?;
            (partial, contents, SQLITE_EXTENSION)
        }
        Engine::Postgres => {
            let (partial, contents) = dump_postgres(db, database_url, folder).await?;
            (partial, contents, POSTGRES_EXTENSION)
        }
    };
    let head_hash = contents
        .head_hash
        .clone()
        .unwrap_or_else(|| audit::GENESIS_HASH.to_string());
    let name = backup_name(at_ms, &head_hash, extension);
    let size_bytes = partial.keep_as(&dir.join(&name)).await?;
    Ok(BackupMade {
        file: BackupFile {
            head_hash_prefix: head_hash.chars().take(HEAD_DIGITS).collect(),
            name,
            at_ms,
            size_bytes,
        },
        audit_records: contents.audit_records,
        head_hash,
        voters: contents.voters,
        check_ins: contents.check_ins,
        took_ms: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
    })
}

/// SQLite reports a folder it cannot write as "unable to open" (14) or "disk full" (13).
fn folder_or_failed(dir: &Path, error: sqlx::Error, doing: &'static str) -> BackupError {
    match &error {
        sqlx::Error::Database(database)
            if matches!(database.code().as_deref(), Some("13") | Some("14")) =>
        {
            BackupError::Folder {
                dir: dir.to_path_buf(),
                reason: database.message().to_string(),
            }
        }
        _ => failed(anyhow!(error).context(doing)),
    }
}

/// The checks a SQLite copy must pass before it is called a backup or restored: it opens,
/// `pragma integrity_check` is ok, it holds cutri's tables, and `cutri audit verify` passes on it.
/// Leaves the copy in rollback-journal mode (one file).
async fn check_sqlite_copy(file: &Path, audit_check: &AuditCheck) -> Result<Contents, BackupError> {
    sqlx::any::install_default_drivers();
    let url = Db::sqlite_url_of(file, "rw");
    let damaged = |what: &str, error: sqlx::Error| BackupError::Damaged(format!("{what}: {error}"));
    let mut conn = AnyConnection::connect(&url)
        .await
        .map_err(|e| damaged("không mở được / cannot open", e))?;
    let problems = sql::integrity_problems(&mut conn)
        .await
        .map_err(|e| damaged("integrity_check", e))?;
    if !problems.is_empty() {
        return Err(BackupError::Damaged(format!(
            "integrity_check: {}",
            problems.into_iter().take(3).collect::<Vec<_>>().join("; ")
        )));
    }
    let contents = sql::contents(&mut conn)
        .await
        .map_err(|e| damaged("không phải cơ sở dữ liệu cutri / not a cutri database", e))?;
    conn.close().await.map_err(failed)?;
    let verdict = audit_check(url.clone())
        .await
        .map_err(|error| BackupError::Damaged(format!("{error:#}")))?;
    if !verdict.intact {
        return Err(BackupError::Damaged(verdict.text));
    }
    // The audit check opened it as the server does, in WAL mode.
    // Leaving WAL mode needs every other connection closed, and SQLite does not wait for that:
    // the audit check's connections may still be closing on their threads for a moment.
    let mut attempts = 0;
    loop {
        let back_to_one_file = async {
            let mut conn = AnyConnection::connect(&url).await?;
            let changed = sql::use_rollback_journal(&mut conn).await;
            conn.close().await?;
            changed
        };
        match back_to_one_file.await {
            Ok(()) => break,
            Err(sqlx::Error::Database(error))
                if error.code().as_deref() == Some("5") && attempts < 50 =>
            {
                attempts += 1;
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            }
            Err(error) => {
                return Err(failed(anyhow!(error).context("journal_mode = delete")));
            }
        }
    }
    Ok(contents)
}

/// `pg_dump -Fc` of a snapshot exported by this process, whose counts and audit head are read
/// in that same snapshot; then `pg_restore --list` must read the archive and find the data of
/// cutri's main tables in it. (A test restore into a scratch database would need the right to
/// create databases, which a ward's PostgreSQL account often lacks; `cutri restore` runs the
/// full audit check on the database it restores.)
async fn dump_postgres(
    db: &Db,
    database_url: &str,
    folder: &BackupFolder,
) -> Result<(Partial, Contents), BackupError> {
    let tool_major = tool_major_version("pg_dump").await?;
    let mut snapshot = db.begin_snapshot().await.map_err(failed)?;
    let server_major = sql::postgres_major_version(&mut snapshot)
        .await
        .map_err(failed)?;
    if tool_major < server_major {
        return Err(BackupError::ToolTooOld {
            tool: "pg_dump",
            tool_major,
            server_major,
        });
    }
    let snapshot_id = sql::export_snapshot(&mut snapshot).await.map_err(failed)?;
    let contents = sql::contents(&mut snapshot).await.map_err(failed)?;
    let partial = Partial::create(folder, POSTGRES_EXTENSION).await?;
    let (url, password) = libpq_target(database_url);
    let mut pg_dump = tokio::process::Command::new("pg_dump");
    pg_dump
        .arg("--format=custom")
        .arg(format!("--snapshot={snapshot_id}"))
        .arg("--no-password")
        .arg(format!("--file={}", partial.path.display()))
        .arg(format!("--dbname={url}"));
    if let Some(password) = password {
        pg_dump.env("PGPASSWORD", password);
    }
    let dumped = run_tool("pg_dump", &mut pg_dump).await;
    // The snapshot must live until pg_dump has imported it; it only read.
    let _ = snapshot.rollback().await;
    dumped?;
    check_archive(&partial.path).await?;
    Ok((partial, contents))
}

/// `pg_restore --list` reads the archive's table of contents; the data of cutri's main tables
/// must be in it.
async fn check_archive(file: &Path) -> Result<(), BackupError> {
    let mut list = tokio::process::Command::new("pg_restore");
    list.arg("--list").arg(file);
    let listing = run_tool("pg_restore", &mut list)
        .await
        .map_err(|error| match error {
            BackupError::Failed(error) => BackupError::Damaged(format!("{error:#}")),
            other => other,
        })?;
    let missing: Vec<&str> = ARCHIVE_TABLES
        .into_iter()
        .filter(|table| {
            !listing.lines().any(|line| {
                line.contains("TABLE DATA") && line.split_whitespace().any(|word| word == *table)
            })
        })
        .collect();
    if !missing.is_empty() {
        return Err(BackupError::Damaged(format!(
            "pg_restore --list: thiếu dữ liệu bảng / no table data for {}",
            missing.join(", ")
        )));
    }
    Ok(())
}

/// Runs a PostgreSQL client program; its standard output, or its error output as the failure.
async fn run_tool(
    tool: &'static str,
    command: &mut tokio::process::Command,
) -> Result<String, BackupError> {
    let output = command.output().await.map_err(|error| {
        if error.kind() == std::io::ErrorKind::NotFound {
            BackupError::ToolMissing(tool)
        } else {
            failed(anyhow!(error).context(format!("cannot run {tool}")))
        }
    })?;
    if !output.status.success() {
        return Err(failed(anyhow!(
            "{tool} thất bại / failed ({}): {}",
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        )));
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

async fn tool_major_version(tool: &'static str) -> Result<u32, BackupError> {
    let mut version = tokio::process::Command::new(tool);
    version.arg("--version");
    let text = run_tool(tool, &mut version).await?;
    major_version_in(&text).ok_or_else(|| failed(anyhow!("{tool} --version: {text}")))
}

/// 15 from "pg_dump (PostgreSQL) 15.4 (Debian 15.4-1)".
fn major_version_in(text: &str) -> Option<u32> {
    text.split_whitespace()
        .find(|word| word.starts_with(|c: char| c.is_ascii_digit()))?
        .split('.')
        .next()?
        .parse()
        .ok()
}

/// The URL without its password, and the password: the PostgreSQL programs get it in
/// PGPASSWORD, not on their command line, where every user of the machine can read it.
fn libpq_target(url: &str) -> (String, Option<String>) {
    let Some(scheme_end) = url.find("://").map(|i| i + 3) else {
        return (url.to_string(), None);
    };
    let authority_end = url[scheme_end..]
        .find(['/', '?'])
        .map_or(url.len(), |i| scheme_end + i);
    let authority = &url[scheme_end..authority_end];
    let Some(at) = authority.rfind('@') else {
        return (url.to_string(), None);
    };
    let Some(colon) = authority[..at].find(':') else {
        return (url.to_string(), None);
    };
    let password = crate::storage::db::percent_decoded(&authority[colon + 1..at]);
    let without = format!(
        "{}{}{}{}",
        &url[..scheme_end],
        &authority[..colon],
        &authority[at..],
        &url[authority_end..]
    );
    (without, Some(password))
}

/// A copy being written or checked, under a name no listing takes for a backup. Removed, with
/// whatever SQLite left beside it, unless it was kept.
struct Partial {
    path: PathBuf,
    kept: bool,
}

impl Partial {
    async fn create(folder: &BackupFolder, extension: &str) -> Result<Partial, BackupError> {
        let dir = folder.path.as_path();
        let unavailable = |reason: String| BackupError::Folder {
            dir: dir.to_path_buf(),
            reason,
        };
        if folder.create {
            tokio::fs::create_dir_all(dir)
                .await
                .map_err(|error| unavailable(error.to_string()))?;
        } else if !tokio::fs::metadata(dir).await.is_ok_and(|m| m.is_dir()) {
            return Err(unavailable(
                "thư mục không tồn tại / no such folder".to_string(),
            ));
        }
        let name = format!(
            "{PARTIAL_PREFIX}{}.{extension}",
            crate::token::short_reference()
        );
        Ok(Partial {
            path: dir.join(name),
            kept: false,
        })
    }

    /// Flushes the copy to the disk, gives it its final name and flushes the folder, so that
    /// after a power cut the name exists only with the whole copy behind it. Returns its size.
    async fn keep_as(mut self, target: &Path) -> Result<u64, BackupError> {
        let dir = target.parent().unwrap_or(Path::new("."));
        let folder = |error: std::io::Error| BackupError::Folder {
            dir: dir.to_path_buf(),
            reason: error.to_string(),
        };
        let file = tokio::fs::File::open(&self.path).await.map_err(folder)?;
        file.sync_all().await.map_err(folder)?;
        let size = file.metadata().await.map_err(folder)?.len();
        drop(file);
        tokio::fs::rename(&self.path, target)
            .await
            .map_err(folder)?;
        self.kept = true;
        sync_folder(dir).await.map_err(folder)?;
        Ok(size)
    }
}

impl Drop for Partial {
    fn drop(&mut self) {
        if self.kept {
            return;
        }
        for suffix in ["", "-wal", "-shm", "-journal"] {
            let mut path = self.path.clone().into_os_string();
            path.push(suffix);
            let _ = std::fs::remove_file(path);
        }
    }
}

#[cfg(unix)]
async fn sync_folder(dir: &Path) -> std::io::Result<()> {
    tokio::fs::File::open(dir).await?.sync_all().await
}

/// Windows cannot open a folder as a file; its renames are durable once they return.
#[cfg(not(unix))]
async fn sync_folder(_dir: &Path) -> std::io::Result<()> {
    Ok(())
}

/// `cutri-2026-12-06T21-05-03Z-1a2b3c4d5e6f.db`: the UTC time of the copy (sorting by name
/// sorts by time) and the start of its audit head hash.
fn backup_name(at_ms: i64, head_hash: &str, extension: &str) -> String {
    let at = time::OffsetDateTime::from_unix_timestamp(at_ms.div_euclid(1000))
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    let head: String = head_hash.chars().take(HEAD_DIGITS).collect();
    format!(
        "{NAME_PREFIX}{:04}-{:02}-{:02}T{:02}-{:02}-{:02}Z-{head}.{extension}",
        at.year(),
        u8::from(at.month()),
        at.day(),
        at.hour(),
        at.minute(),
        at.second()
    )
}

/// The time (Unix ms), head prefix and extension of a backup's name; `None` for any other file.
fn parse_backup_name(name: &str) -> Option<(i64, String, &str)> {
    let rest = name.strip_prefix(NAME_PREFIX)?;
    let (stem, extension) = rest.rsplit_once('.')?;
    if extension != SQLITE_EXTENSION && extension != POSTGRES_EXTENSION {
        return None;
    }
    let (when, head) = stem.rsplit_once("Z-")?;
    if head.len() != HEAD_DIGITS || !head.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let number = |range: std::ops::Range<usize>| when.get(range)?.parse::<u32>().ok();
    let separators_ok = when.len() == 19
        && [4, 7, 13, 16].iter().all(|&i| &when[i..=i] == "-")
        && &when[10..=10] == "T";
    if !separators_ok {
        return None;
    }
    let month = time::Month::try_from(u8::try_from(number(5..7)?).ok()?).ok()?;
    let date = time::Date::from_calendar_date(
        i32::try_from(number(0..4)?).ok()?,
        month,
        u8::try_from(number(8..10)?).ok()?,
    )
    .ok()?;
    let at = time::Time::from_hms(
        u8::try_from(number(11..13)?).ok()?,
        u8::try_from(number(14..16)?).ok()?,
        u8::try_from(number(17..19)?).ok()?,
    )
    .ok()?;
    let seconds = time::PrimitiveDateTime::new(date, at)
        .assume_utc()
        .unix_timestamp();
    Some((seconds * 1000, head.to_string(), extension))
}

async fn list(dir: &Path) -> Result<Vec<BackupFile>, BackupError> {
    let folder = |error: std::io::Error| BackupError::Folder {
        dir: dir.to_path_buf(),
        reason: error.to_string(),
    };
    let mut entries = match tokio::fs::read_dir(dir).await {
        Ok(entries) => entries,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(error) => return Err(folder(error)),
    };
    let mut files = Vec::new();
    while let Some(entry) = entries.next_entry().await.map_err(folder)? {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some((at_ms, head_hash_prefix, _)) = parse_backup_name(&name) else {
            continue;
        };
        let metadata = entry.metadata().await.map_err(folder)?;
        if metadata.is_file() {
            files.push(BackupFile {
                name,
                at_ms,
                size_bytes: metadata.len(),
                head_hash_prefix,
            });
        }
    }
    files.sort_by(|a, b| b.name.cmp(&a.name));
    Ok(files)
}

/// Removes all but the newest `keep` backups of the engine's kind from the folder.
async fn prune(dir: &Path, engine: Engine, keep: usize) -> Result<(), BackupError> {
    let extension = match engine {
        Engine::Sqlite => SQLITE_EXTENSION,
        Engine::Postgres => POSTGRES_EXTENSION,
    };
    let older = list(dir)
        .await?
        .into_iter()
        .filter(|file| file.name.ends_with(&format!(".{extension}")))
        .skip(keep.max(1));
    for file in older {
        tokio::fs::remove_file(dir.join(&file.name))
            .await
            .map_err(|error| BackupError::Folder {
                dir: dir.to_path_buf(),
                reason: error.to_string(),
            })?;
    }
    Ok(())
}

/// Replaces the database at `target_url` with the backup `from`, after checking the backup
/// (a damaged one is refused, the target left as it was). A target holding accounts or voters
/// is replaced only with `force`. SQLite: refused while another process (a running server) has
/// the database open; the copy is checked under a temporary name beside `cutri.db` and renamed
/// over it. PostgreSQL: `pg_restore --clean --if-exists --no-owner` in one transaction, then the
/// audit check on the restored database.
pub async fn restore(
    from: &Path,
    target_url: &str,
    force: bool,
    audit_check: &AuditCheck,
) -> anyhow::Result<Contents> {
    sqlx::any::install_default_drivers();
    if !from.is_file() {
        bail!(
            "không tìm thấy tệp sao lưu / backup file not found: {}",
            from.display()
        );
    }
    let is_archive = from.extension().is_some_and(|e| e == POSTGRES_EXTENSION);
    match Db::sqlite_file_of(target_url) {
        Some(target) if !is_archive => restore_sqlite(from, &target, force, audit_check).await,
        None if is_archive => restore_postgres(from, target_url, force, audit_check).await,
        Some(_) => bail!(
            "{} là bản sao lưu PostgreSQL (.pgdump); hãy khôi phục vào PostgreSQL bằng \
             --database-url.\n{} is a PostgreSQL backup (.pgdump); restore it into PostgreSQL \
             with --database-url.",
            from.display(),
            from.display()
        ),
        None => bail!(
            "{} là bản sao lưu SQLite; hãy khôi phục vào một thư mục dữ liệu (--data-dir).\n\
             {} is a SQLite backup; restore it into a data folder (--data-dir).",
            from.display(),
            from.display()
        ),
    }
}

fn refuse_data_without_force() -> anyhow::Error {
    anyhow!(
        "Cơ sở dữ liệu đích đã có dữ liệu (tài khoản hoặc cử tri); thêm --force nếu thật sự muốn \
         thay thế nó.\nThe target database already holds data (accounts or voters); add --force \
         to replace it."
    )
}

async fn restore_sqlite(
    from: &Path,
    target: &Path,
    force: bool,
    audit_check: &AuditCheck,
) -> anyhow::Result<Contents> {
    let data_dir = target.parent().unwrap_or(Path::new("."));
    tokio::fs::create_dir_all(data_dir)
        .await
        .with_context(|| format!("cannot create {}", data_dir.display()))?;
    if target.exists() {
        let mut conn = AnyConnection::connect(&Db::sqlite_url_of(target, "rw"))
            .await
            .with_context(|| format!("cannot open {}", target.display()))?;
        if !sql::lock_exclusively(&mut conn).await? {
            bail!(
                "Máy chủ cutri (hoặc chương trình khác) đang mở {}: hãy dừng máy chủ trước khi \
                 khôi phục.\nA cutri server (or another program) has {} open: stop the server \
                 before restoring.",
                target.display(),
                target.display()
            );
        }
        let holds_data = sql::holds_data(&mut conn).await;
        conn.close().await?;
        match (holds_data, force) {
            (Ok(false), _) | (_, true) => {}
            (Ok(true), false) => return Err(refuse_data_without_force()),
            (Err(error), false) => {
                return Err(anyhow!(error).context(
                    "không đọc được cơ sở dữ liệu hiện có; thêm --force để thay thế nó / \
                     cannot read the current database; add --force to replace it",
                ))
            }
        }
    }
    let beside_database = BackupFolder {
        path: data_dir.to_path_buf(),
        create: true,
    };
    let partial = Partial::create(&beside_database, SQLITE_EXTENSION).await?;
    tokio::fs::copy(from, &partial.path)
        .await
        .with_context(|| format!("cannot copy {}", from.display()))?;
    let contents = check_sqlite_copy(&partial.path, audit_check).await?;
    // A log left beside the old file would be replayed into the new one.
    for suffix in ["-wal", "-shm"] {
        let mut stale = target.as_os_str().to_owned();
        stale.push(suffix);
        match tokio::fs::remove_file(&stale).await {
            Err(error) if error.kind() != std::io::ErrorKind::NotFound => {
                return Err(anyhow!(error).context(format!("cannot remove {stale:?}")))
            }
            _ => {}
        }
    }
    partial.keep_as(target).await?;
    Ok(contents)
}

async fn restore_postgres(
    from: &Path,
    target_url: &str,
    force: bool,
    audit_check: &AuditCheck,
) -> anyhow::Result<Contents> {
    check_archive(from).await?;
    let mut conn = AnyConnection::connect(target_url)
        .await
        .context("cannot open the target database")?;
    let tool_major = tool_major_version("pg_restore").await?;
    let server_major = sql::postgres_major_version(&mut conn).await?;
    if tool_major < server_major {
        return Err(BackupError::ToolTooOld {
            tool: "pg_restore",
            tool_major,
            server_major,
        }
        .into());
    }
    let holds_data = sql::holds_data(&mut conn).await?;
    conn.close().await?;
    if holds_data && !force {
        return Err(refuse_data_without_force());
    }
    let (url, password) = libpq_target(target_url);
    let mut pg_restore = tokio::process::Command::new("pg_restore");
    pg_restore
        .args([
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            "--no-password",
        ])
        .arg(format!("--dbname={url}"))
        .arg(from);
    if let Some(password) = password {
        pg_restore.env("PGPASSWORD", password);
    }
    run_tool("pg_restore", &mut pg_restore).await?;
    let verdict = audit_check(target_url.to_string()).await?;
    if !verdict.intact {
        return Err(BackupError::Damaged(verdict.text).into());
    }
    let mut conn = AnyConnection::connect(target_url).await?;
    let contents = sql::contents(&mut conn).await?;
    conn.close().await?;
    Ok(contents)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_backup_name_carries_its_utc_time_and_audit_head_and_reads_back() {
        let at_ms = 1_796_593_103_000; // 2026-12-06 21:38:23 UTC
        let name = backup_name(at_ms, "1a2b3c4d5e6f7a8b9c0d", "db");
        assert_eq!(name, "cutri-2026-12-06T21-38-23Z-1a2b3c4d5e6f.db");
        assert_eq!(
            parse_backup_name(&name),
            Some((at_ms, "1a2b3c4d5e6f".to_string(), "db"))
        );
        let archive = backup_name(at_ms, audit::GENESIS_HASH, "pgdump");
        assert!(parse_backup_name(&archive).is_some(), "{archive}");
    }

    #[test]
    fn copies_being_written_and_other_files_are_not_backups() {
        for name in [
            ".cutri-partial-ABCD-EFGH.db",
            "cutri.db",
            "cutri-2026-12-06T21-38-23Z-1a2b3c4d5e6f.db-wal",
            "cutri-2026-12-06T21-38-23Z-1a2b3c4d5e6f.db.tmp",
            "cutri-2026-12-06T21-38-23Z-1a2b3c4d5e6.db",
            "cutri-2026-13-06T21-38-23Z-1a2b3c4d5e6f.db",
            "cutri-2026-12-06 21-38-23Z-1a2b3c4d5e6f.db",
        ] {
            assert_eq!(parse_backup_name(name), None, "{name}");
        }
    }

    #[test]
    fn the_pg_dump_version_is_read_from_its_banner() {
        assert_eq!(
            major_version_in("pg_dump (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)\n"),
            Some(15)
        );
        assert_eq!(major_version_in("pg_restore (PostgreSQL) 9.6.24"), Some(9));
        assert_eq!(major_version_in("nothing here"), None);
    }

    #[test]
    fn the_password_leaves_the_url_for_the_environment() {
        assert_eq!(
            libpq_target(
                "postgres://cutri:b%C3%AD%40m%E1%BA%ADt@db.local:5432/cutri?sslmode=require"
            ),
            (
                "postgres://cutri@db.local:5432/cutri?sslmode=require".to_string(),
                Some("bí@mật".to_string())
            )
        );
        assert_eq!(
            libpq_target("postgres://postgres@127.0.0.1:5432/test"),
            ("postgres://postgres@127.0.0.1:5432/test".to_string(), None)
        );
    }
}
