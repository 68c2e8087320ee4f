//! Command line: `cutri serve`, `cutri audit verify`, `cutri backup`, `cutri restore`,
//! `cutri generate-voters`.

use std::path::PathBuf;

use anyhow::{bail, Context};
use app::domain::reconciliation::Reconciliation;
use app::engine::backups::BackupFolder;
use app::storage::audit::{ChainProblem, ChainVerdict};

use crate::config::BackupSchedule;
use crate::Config;

pub enum Command {
    Serve {
        addr: String,
        config: Config,
    },
    AuditVerify {
        database_url: String,
    },
    Backup {
        database_url: String,
        to: BackupFolder,
    },
    Restore {
        from: PathBuf,
        database_url: String,
        force: bool,
    },
    GenerateVoters {
        voters: u64,
        areas: u32,
        seed: u64,
    },
    Help,
}

pub const USAGE: &str = "\
cutri — quản lý cử tri, ngày bầu cử và tiếp xúc cử tri

Cách dùng / Usage:
  cutri serve [--addr 127.0.0.1:3000] [--data-dir ./data] [--database-url URL]
              [--site-root site] [--secure-cookies] [--trusted-proxy IP[,IP…]]
              [--backup-dir DIR] [--backup-every PHÚT/MINUTES] [--backup-keep 24]
  cutri audit verify [--data-dir ./data] [--database-url URL]
  cutri backup [--to DIR] [--data-dir ./data] [--database-url URL]
  cutri restore TỆP/FILE [--data-dir ./data] [--database-url URL] [--force]
  cutri generate-voters [--voters 6688] [--areas 4] [--seed 1] > ds.csv

Biến môi trường / Environment: CUTRI_ADDR, CUTRI_DATA_DIR, CUTRI_DATABASE_URL,
CUTRI_SITE_ROOT, CUTRI_SECURE_COOKIES=1, CUTRI_TRUSTED_PROXIES, CUTRI_BACKUP_DIR,
CUTRI_BACKUP_EVERY, CUTRI_BACKUP_KEEP, RUST_LOG.
Mặc định dùng SQLite tại <data-dir>/cutri.db; PostgreSQL khi URL là postgres://…
Sao lưu vào <data-dir>/backups nếu không chỉ định thư mục; PostgreSQL cần pg_dump
(gói postgresql-client). Backups go to <data-dir>/backups unless told otherwise.";

/// Backups an automatic schedule keeps when `--backup-keep` is not given.
const DEFAULT_BACKUP_KEEP: usize = 24;

struct Options {
    addr: String,
    data_dir: PathBuf,
    database_url: Option<String>,
    site_root: PathBuf,
    secure_cookies: bool,
    trusted_proxies: Vec<std::net::IpAddr>,
    backup_dir: Option<PathBuf>,
    backup_every: Option<u64>,
    backup_keep: usize,
    force: bool,
    /// Arguments that are not options (the file of `cutri restore`).
    positional: Vec<String>,
}

/// The options every command takes; each command allows some of `COMMAND_FLAGS` besides.
const COMMON_FLAGS: [&str; 2] = ["--data-dir", "--database-url"];

fn env_or(name: &str, default: &str) -> String {
    std::env::var(name)
        .ok()
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| default.to_string())
}

fn env_number<T: std::str::FromStr>(name: &str) -> anyhow::Result<Option<T>> {
    match std::env::var(name).ok().filter(|v| !v.is_empty()) {
        Some(text) => Ok(Some(text.parse().ok().with_context(|| {
            format!("{name}: số không hợp lệ (not a number): {text}")
        })?)),
        None => Ok(None),
    }
}

/// Parses `args` for a command that takes the common options and `allowed` ones.
fn parse_options(args: &[String], allowed: &[&str]) -> anyhow::Result<Options> {
    let mut options = Options {
        addr: env_or("CUTRI_ADDR", "127.0.0.1:3000"),
        data_dir: PathBuf::from(env_or("CUTRI_DATA_DIR", "data")),
        database_url: std::env::var("CUTRI_DATABASE_URL")
            .ok()
            .filter(|v| !v.is_empty()),
        site_root: PathBuf::from(env_or("CUTRI_SITE_ROOT", "site")),
        secure_cookies: std::env::var("CUTRI_SECURE_COOKIES")
            .is_ok_and(|v| v == "1" || v == "true"),
        trusted_proxies: match std::env::var("CUTRI_TRUSTED_PROXIES") {
            Ok(list) if !list.is_empty() => addresses(&list)?,
            _ => Vec::new(),
        },
        backup_dir: std::env::var("CUTRI_BACKUP_DIR")
            .ok()
            .filter(|v| !v.is_empty())
            .map(PathBuf::from),
        backup_every: env_number("CUTRI_BACKUP_EVERY")?,
        backup_keep: env_number("CUTRI_BACKUP_KEEP")?.unwrap_or(DEFAULT_BACKUP_KEEP),
        force: false,
        positional: Vec::new(),
    };
    let mut rest = args.iter();
    while let Some(flag) = rest.next() {
        if !flag.starts_with("--") {
            options.positional.push(flag.clone());
            continue;
        }
        if !COMMON_FLAGS.contains(&flag.as_str()) && !allowed.contains(&flag.as_str()) {
            bail!("tham số không hợp lệ (unknown option): {flag}\n\n{USAGE}");
        }
        let mut value = || {
            rest.next()
                .cloned()
                .with_context(|| format!("{flag} cần một giá trị (needs a value)"))
        };
        let number = |text: String| {
            text.parse::<u64>()
                .ok()
                .filter(|n| *n > 0)
                .with_context(|| {
                    format!("{flag}: cần một số lớn hơn 0 (needs a number above 0): {text}")
                })
        };
        match flag.as_str() {
            "--addr" => options.addr = value()?,
            "--data-dir" => options.data_dir = PathBuf::from(value()?),
            "--database-url" => options.database_url = Some(value()?),
            "--site-root" => options.site_root = PathBuf::from(value()?),
            "--secure-cookies" => options.secure_cookies = true,
            "--trusted-proxy" => options.trusted_proxies.extend(addresses(&value()?)?),
            "--backup-dir" | "--to" => options.backup_dir = Some(PathBuf::from(value()?)),
            "--backup-every" => options.backup_every = Some(number(value()?)?),
            "--backup-keep" => options.backup_keep = number(value()?)? as usize,
            "--force" => options.force = true,
            other => bail!("tham số không hợp lệ (unknown option): {other}\n\n{USAGE}"),
        }
    }
    Ok(options)
}

/// "10.0.0.1,10.0.0.2" into addresses, naming the one that is not an address.
fn addresses(list: &str) -> anyhow::Result<Vec<std::net::IpAddr>> {
    list.split(',')
        .map(str::trim)
        .filter(|entry| !entry.is_empty())
        .map(|entry| {
            entry
                .parse()
                .with_context(|| format!("địa chỉ IP không hợp lệ (not an IP address): {entry}"))
        })
        .collect()
}

/// `--backup-dir`/`--to`, CUTRI_BACKUP_DIR (which must exist), or `<data-dir>/backups`.
fn backup_folder(options: &Options) -> BackupFolder {
    match &options.backup_dir {
        Some(path) => BackupFolder {
            path: path.clone(),
            create: false,
        },
        None => BackupFolder {
            path: options.data_dir.join("backups"),
            create: true,
        },
    }
}

fn database_url(options: &Options) -> anyhow::Result<String> {
    match &options.database_url {
        Some(url) => Ok(url.clone()),
        None => app::storage::Db::sqlite_url_in(&options.data_dir),
    }
}

pub fn parse(args: &[String]) -> anyhow::Result<Command> {
    match args {
        [] => Ok(Command::Help),
        [first, ..] if first == "-h" || first == "--help" || first == "help" => Ok(Command::Help),
        [serve, rest @ ..] if serve == "serve" => {
            let options = parse_options(
                rest,
                &[
                    "--addr",
                    "--site-root",
                    "--secure-cookies",
                    "--trusted-proxy",
                    "--backup-dir",
                    "--backup-every",
                    "--backup-keep",
                ],
            )?;
            no_positional(&options)?;
            let config = Config {
                database_url: database_url(&options)?,
                site_root: options.site_root.clone(),
                secure_cookies: options.secure_cookies,
                trusted_proxies: options.trusted_proxies.clone(),
                login_budgets: Default::default(),
                backup_dir: backup_folder(&options),
                backup_schedule: options.backup_every.map(|every_minutes| BackupSchedule {
                    every_minutes,
                    keep: options.backup_keep,
                }),
            };
            Ok(Command::Serve {
                addr: options.addr,
                config,
            })
        }
        [audit, verify, rest @ ..] if audit == "audit" && verify == "verify" => {
            let options = parse_options(rest, &[])?;
            no_positional(&options)?;
            Ok(Command::AuditVerify {
                database_url: database_url(&options)?,
            })
        }
        [backup, rest @ ..] if backup == "backup" => {
            let options = parse_options(rest, &["--to"])?;
            no_positional(&options)?;
            Ok(Command::Backup {
                database_url: database_url(&options)?,
                to: backup_folder(&options),
            })
        }
        [restore, rest @ ..] if restore == "restore" => {
            let options = parse_options(rest, &["--force"])?;
            let [from] = options.positional.as_slice() else {
                bail!("cần đúng một tệp sao lưu (needs exactly one backup file)\n\n{USAGE}");
            };
            Ok(Command::Restore {
                from: PathBuf::from(from),
                database_url: database_url(&options)?,
                force: options.force,
            })
        }
        [generate, rest @ ..] if generate == "generate-voters" => {
            let (mut voters, mut areas, mut seed) = (6688, 4, 1);
            let mut rest = rest.iter();
            while let Some(flag) = rest.next() {
                let value = rest
                    .next()
                    .with_context(|| format!("{flag} cần một giá trị (needs a value)"))?;
                let bad = || format!("{flag}: số không hợp lệ (not a number): {value}");
                match flag.as_str() {
                    "--voters" => voters = value.parse().with_context(bad)?,
                    "--areas" => areas = value.parse().with_context(bad)?,
                    "--seed" => seed = value.parse().with_context(bad)?,
                    other => bail!("tham số không hợp lệ (unknown option): {other}\n\n{USAGE}"),
                }
            }
            Ok(Command::GenerateVoters {
                voters,
                areas,
                seed,
            })
        }
        _ => bail!("lệnh không hợp lệ (unknown command)\n\n{USAGE}"),
    }
}

fn no_positional(options: &Options) -> anyhow::Result<()> {
    match options.positional.first() {
        Some(extra) => bail!("tham số không hợp lệ (unexpected argument): {extra}\n\n{USAGE}"),
        None => Ok(()),
    }
}

/// What `cutri audit verify` prints, in Vietnamese then English. `intact`: the chain verified
/// and the data reconciled with it.
pub struct AuditReport {
    pub intact: bool,
    pub text: String,
}

/// Verifies the hash chain, then (only on an intact chain, whose records can be trusted)
/// reconciles the data with it.
pub async fn audit_report(database_url: &str) -> anyhow::Result<AuditReport> {
    let db = app::storage::Db::connect(database_url).await?;
    let report = verify_and_reconcile(&db).await;
    db.close().await;
    report
}

async fn verify_and_reconcile(db: &app::storage::Db) -> anyhow::Result<AuditReport> {
    let verdict = app::storage::audit::verify(db.pool())
        .await
        .context("cannot read the audit log")?;
    let chain = match verdict {
        ChainVerdict::Intact { records, head_hash } => format!(
            "Nhật ký thao tác nguyên vẹn: {records} bản ghi. Mã băm cuối: {head_hash}\n\
             Audit log intact: {records} records. Head hash: {head_hash}"
        ),
        ChainVerdict::Broken { seq, problem } => {
            let (vi, en) = match problem {
                ChainProblem::Edited => ("đã bị sửa", "was edited"),
                ChainProblem::Deleted => (
                    "đứng ngay sau (các) bản ghi bị xóa",
                    "follows deleted records",
                ),
                ChainProblem::Reordered => (
                    "bị đổi thứ tự hoặc bị thay thế",
                    "was reordered or replaced",
                ),
            };
            return Ok(AuditReport {
                intact: false,
                text: format!(
                    "Nhật ký thao tác KHÔNG nguyên vẹn: bản ghi #{seq} {vi}.\n\
                     Audit log BROKEN: record #{seq} {en}."
                ),
            });
        }
    };
    let reconciliation = app::storage::audit_reconcile::reconcile(db)
        .await
        .context("cannot reconcile the data with the audit log")?;
    Ok(match reconciliation {
        Reconciliation::Consistent(reconciled) => AuditReport {
            intact: true,
            text: format!(
                "{chain}\n{}\n{}",
                reconciled.vietnamese(),
                reconciled.english()
            ),
        },
        Reconciliation::Inconsistent(finding) => AuditReport {
            intact: false,
            text: format!(
                "{chain}\n\
                 Dữ liệu KHÔNG khớp nhật ký: {}\n\
                 Data does NOT match the audit log: {}",
                finding.vietnamese(),
                finding.english()
            ),
        },
    })
}
