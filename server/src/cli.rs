//! Command line: `cutri serve`, `cutri audit verify`.

use std::path::PathBuf;

use anyhow::{bail, Context};
use app::domain::reconciliation::Reconciliation;
use app::storage::audit::{ChainProblem, ChainVerdict};

use crate::Config;

pub enum Command {
    Serve { addr: String, config: Config },
    AuditVerify { database_url: String },
    GenerateVoters { voters: u64, areas: u32, seed: u64 },
    Help,
}

pub const USAGE: &str = "\
cutri — quản lý cử tri, ngày bầu cử và tiếp xúc cử tri

Cách dùng / Usage:
  cutri serve [--addr 127.0.0.1:3000] [--data-dir ./data] [--database-url URL]
              [--site-root site] [--secure-cookies]
  cutri audit verify [--data-dir ./data] [--database-url URL]
  cutri generate-voters [--voters 6688] [--areas 4] [--seed 1] > ds.csv

Biến môi trường / Environment: CUTRI_ADDR, CUTRI_DATA_DIR, CUTRI_DATABASE_URL,
CUTRI_SITE_ROOT, CUTRI_SECURE_COOKIES=1, RUST_LOG.
Mặc định dùng SQLite tại <data-dir>/cutri.db; PostgreSQL khi URL là postgres://…";

struct Options {
    addr: String,
    data_dir: PathBuf,
    database_url: Option<String>,
    site_root: PathBuf,
    secure_cookies: bool,
}

fn env_or(name: &str, default: &str) -> String {
    std::env::var(name)
        .ok()
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| default.to_string())
}

fn parse_options(args: &[String]) -> anyhow::Result<Options> {
    let mut options = Options {
        addr: env_or("CUTRI_ADDR", "127.0.0.1:3000"),
        data_dir: PathBuf::from(env_or("CUTRI_DATA_DIR", "data")),
        database_url: std::env::var("CUTRI_DATABASE_URL")
            .ok()
            .filter(|v| !v.is_empty()),
        site_root: PathBuf::from(env_or("CUTRI_SITE_ROOT", "site")),
        secure_cookies: std::env::var("CUTRI_SECURE_COOKIES")
            .is_ok_and(|v| v == "1" || v == "true"),
    };
    let mut rest = args.iter();
    while let Some(flag) = rest.next() {
        let mut value = || {
            rest.next()
                .cloned()
                .with_context(|| format!("{flag} cần một giá trị (needs a value)"))
        };
        match flag.as_str() {
            "--addr" => options.addr = value()?,
            "--data-dir" => options.data_dir = PathBuf::from(value()?),
            "--database-url" => options.database_url = Some(value()?),
            "--site-root" => options.site_root = PathBuf::from(value()?),
            "--secure-cookies" => options.secure_cookies = true,
            other => bail!("tham số không hợp lệ (unknown option): {other}\n\n{USAGE}"),
        }
    }
    Ok(options)
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
            let options = parse_options(rest)?;
            let config = Config {
                database_url: database_url(&options)?,
                site_root: options.site_root.clone(),
                secure_cookies: options.secure_cookies,
            };
            Ok(Command::Serve {
                addr: options.addr,
                config,
            })
        }
        [audit, verify, rest @ ..] if audit == "audit" && verify == "verify" => {
            let options = parse_options(rest)?;
            Ok(Command::AuditVerify {
                database_url: database_url(&options)?,
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
