//! Command line: `cutri serve`, `cutri audit verify`.

use std::path::PathBuf;

use anyhow::{bail, Context};
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
              [--site-root site] [--secure-cookies] [--trusted-proxy IP[,IP…]]
  cutri audit verify [--data-dir ./data] [--database-url URL]
  cutri generate-voters [--voters 6688] [--areas 4] [--seed 1] > ds.csv

Biến môi trường / Environment: CUTRI_ADDR, CUTRI_DATA_DIR, CUTRI_DATABASE_URL,
CUTRI_SITE_ROOT, CUTRI_SECURE_COOKIES=1, CUTRI_TRUSTED_PROXIES, RUST_LOG.
Mặc định dùng SQLite tại <data-dir>/cutri.db; PostgreSQL khi URL là postgres://…";

struct Options {
    addr: String,
    data_dir: PathBuf,
    database_url: Option<String>,
    site_root: PathBuf,
    secure_cookies: bool,
    trusted_proxies: Vec<std::net::IpAddr>,
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
        trusted_proxies: match std::env::var("CUTRI_TRUSTED_PROXIES") {
            Ok(list) if !list.is_empty() => addresses(&list)?,
            _ => Vec::new(),
        },
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
            "--trusted-proxy" => options.trusted_proxies.extend(addresses(&value()?)?),
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
                trusted_proxies: options.trusted_proxies.clone(),
                login_budgets: Default::default(),
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

/// What `cutri audit verify` prints, in Vietnamese then English.
pub struct AuditReport {
    pub intact: bool,
    pub text: String,
}

pub async fn audit_report(database_url: &str) -> anyhow::Result<AuditReport> {
    let db = app::storage::Db::connect(database_url).await?;
    let verdict = app::storage::audit::verify(db.pool())
        .await
        .context("cannot read the audit log");
    db.close().await;
    Ok(match verdict? {
        ChainVerdict::Intact { records, head_hash } => AuditReport {
            intact: true,
            text: format!(
                "Nhật ký thao tác nguyên vẹn: {records} bản ghi. Mã băm cuối: {head_hash}\n\
                 Audit log intact: {records} records. Head hash: {head_hash}"
            ),
        },
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
            AuditReport {
                intact: false,
                text: format!(
                    "Nhật ký thao tác KHÔNG nguyên vẹn: bản ghi #{seq} {vi}.\n\
                     Audit log BROKEN: record #{seq} {en}."
                ),
            }
        }
    })
}
