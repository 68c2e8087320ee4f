//! Command line: `cutri serve`, `cutri audit verify`, `cutri backup`, `cutri restore`,
//! `cutri generate-voters`. clap reads the words; the environment (`CUTRI_*`) then gives what
//! a flag leaves out, an empty variable counting as unset.

use std::net::IpAddr;
use std::path::PathBuf;

use anyhow::Context;
use app::domain::reconciliation::Reconciliation;
use app::engine::backups::BackupFolder;
use app::storage::audit::{ChainProblem, ChainVerdict};
use clap::{Args, Parser, Subcommand};

use crate::config::BackupSchedule;
use crate::Config;

/// What to do, with the flags and the environment resolved.
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

const ENVIRONMENT: &str = "\
Biến môi trường / Environment: CUTRI_ADDR, CUTRI_DATA_DIR, CUTRI_DATABASE_URL,
CUTRI_SITE_ROOT, CUTRI_SECURE_COOKIES=1, CUTRI_TRUSTED_PROXIES, CUTRI_BACKUP_DIR,
CUTRI_BACKUP_EVERY, CUTRI_BACKUP_KEEP, RUST_LOG; a flag wins over its variable.
Mặc định dùng SQLite tại <data-dir>/cutri.db; PostgreSQL khi URL là postgres://…
Sao lưu vào <data-dir>/backups nếu không chỉ định thư mục; PostgreSQL cần pg_dump
(gói postgresql-client). Backups go to <data-dir>/backups unless told otherwise.";

/// cutri — quản lý cử tri, ngày bầu cử và tiếp xúc cử tri / voters, election day and
/// deputy–voter meetings.
#[derive(Debug, Parser)]
#[command(name = "cutri", version, after_help = ENVIRONMENT)]
pub struct Cli {
    #[command(subcommand)]
    command: Option<Subcommands>,
}

#[derive(Debug, Subcommand)]
enum Subcommands {
    /// Chạy máy chủ web / Run the web server.
    Serve(ServeArgs),
    /// Kiểm tra nhật ký thao tác / Check the audit log.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Sao lưu cơ sở dữ liệu / Back up the database.
    Backup(BackupArgs),
    /// Khôi phục từ tệp sao lưu / Restore a backup file.
    Restore(RestoreArgs),
    /// Tạo danh sách cử tri mẫu (CSV) / Write a generated voter list (CSV): `> ds.csv`.
    GenerateVoters(GenerateArgs),
}

#[derive(Debug, Subcommand)]
enum AuditCommand {
    /// Kiểm tra chuỗi băm và đối chiếu dữ liệu / Verify the hash chain and reconcile the data.
    Verify(DatabaseArgs),
}

/// Where the data lives; every command that opens the database takes these.
#[derive(Debug, Args)]
struct DatabaseArgs {
    /// Thư mục dữ liệu / Data folder [CUTRI_DATA_DIR, mặc định / default: data]
    #[arg(long, value_name = "DIR")]
    data_dir: Option<PathBuf>,
    /// sqlite://… hoặc / or postgres://… [CUTRI_DATABASE_URL, mặc định / default:
    /// <data-dir>/cutri.db]
    #[arg(long, value_name = "URL")]
    database_url: Option<String>,
}

#[derive(Debug, Args)]
struct ServeArgs {
    /// Địa chỉ lắng nghe / Address to listen on [CUTRI_ADDR, mặc định / default: 127.0.0.1:3000]
    #[arg(long, value_name = "IP:PORT")]
    addr: Option<String>,
    #[command(flatten)]
    database: DatabaseArgs,
    /// Thư mục giao diện đã dựng / Built site folder [CUTRI_SITE_ROOT, mặc định / default: site]
    #[arg(long, value_name = "DIR")]
    site_root: Option<PathBuf>,
    /// Cookie chỉ gửi qua HTTPS / Cookies only over HTTPS [CUTRI_SECURE_COOKIES=1]
    #[arg(long)]
    secure_cookies: bool,
    /// Proxy tin cậy, ngăn bởi dấu phẩy, có thể lặp lại / Trusted proxies, comma-separated,
    /// repeatable [CUTRI_TRUSTED_PROXIES, cộng thêm / added to]
    #[arg(long = "trusted-proxy", value_name = "IP[,IP…]", value_parser = proxy_list)]
    trusted_proxies: Vec<ProxyList>,
    /// Thư mục sao lưu / Backup folder [CUTRI_BACKUP_DIR, mặc định / default: <data-dir>/backups]
    #[arg(long, value_name = "DIR")]
    backup_dir: Option<PathBuf>,
    /// Sao lưu tự động mỗi … phút / Automatic backup every … minutes [CUTRI_BACKUP_EVERY]
    #[arg(long, value_name = "PHÚT/MINUTES", value_parser = above_zero)]
    backup_every: Option<u64>,
    /// Số bản sao lưu giữ lại / Backups kept [CUTRI_BACKUP_KEEP, mặc định / default: 24]
    #[arg(long, value_name = "N", value_parser = above_zero)]
    backup_keep: Option<u64>,
}

#[derive(Debug, Args)]
struct BackupArgs {
    /// Thư mục sao lưu / Backup folder [CUTRI_BACKUP_DIR, mặc định / default: <data-dir>/backups]
    #[arg(long, value_name = "DIR")]
    to: Option<PathBuf>,
    #[command(flatten)]
    database: DatabaseArgs,
}

#[derive(Debug, Args)]
struct RestoreArgs {
    /// Tệp sao lưu / Backup file
    #[arg(value_name = "TỆP/FILE")]
    from: PathBuf,
    #[command(flatten)]
    database: DatabaseArgs,
    /// Ghi đè cơ sở dữ liệu đã có dữ liệu / Overwrite a database that holds data
    #[arg(long)]
    force: bool,
}

#[derive(Debug, Args)]
struct GenerateArgs {
    /// Số cử tri / Voters
    #[arg(long, default_value_t = 6688)]
    voters: u64,
    /// Số khu vực bỏ phiếu / Polling areas
    #[arg(long, default_value_t = 4)]
    areas: u32,
    /// Hạt giống ngẫu nhiên / Random seed
    #[arg(long, default_value_t = 1)]
    seed: u64,
}

/// Backups an automatic schedule keeps when `--backup-keep` is not given.
const DEFAULT_BACKUP_KEEP: u64 = 24;

/// The addresses of one `--trusted-proxy`.
#[derive(Debug, Clone)]
struct ProxyList(Vec<IpAddr>);

fn proxy_list(text: &str) -> Result<ProxyList, String> {
    addresses(text)
        .map(ProxyList)
        .map_err(|error| error.to_string())
}

fn above_zero(text: &str) -> Result<u64, String> {
    text.parse::<u64>()
        .ok()
        .filter(|n| *n > 0)
        .ok_or_else(|| format!("cần một số lớn hơn 0 (needs a number above 0): {text}"))
}

/// "10.0.0.1,10.0.0.2" into addresses, naming the one that is not an address.
fn addresses(list: &str) -> anyhow::Result<Vec<IpAddr>> {
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

/// A variable's value; an empty one counts as unset.
fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

fn env_number(name: &str) -> anyhow::Result<Option<u64>> {
    env(name)
        .map(|text| above_zero(&text).map_err(|error| anyhow::anyhow!("{name}: {error}")))
        .transpose()
}

impl DatabaseArgs {
    fn data_dir(&self) -> PathBuf {
        self.data_dir
            .clone()
            .or_else(|| env("CUTRI_DATA_DIR").map(PathBuf::from))
            .unwrap_or_else(|| PathBuf::from("data"))
    }

    fn database_url(&self) -> anyhow::Result<String> {
        match self
            .database_url
            .clone()
            .or_else(|| env("CUTRI_DATABASE_URL"))
        {
            Some(url) => Ok(url),
            None => app::storage::Db::sqlite_url_in(&self.data_dir()),
        }
    }

    /// `--backup-dir`/`--to`, CUTRI_BACKUP_DIR (which must exist), or `<data-dir>/backups`.
    fn backup_folder(&self, flag: Option<&PathBuf>) -> BackupFolder {
        match flag
            .cloned()
            .or_else(|| env("CUTRI_BACKUP_DIR").map(PathBuf::from))
        {
            Some(path) => BackupFolder {
                path,
                create: false,
            },
            None => BackupFolder {
                path: self.data_dir().join("backups"),
                create: true,
            },
        }
    }
}

impl ServeArgs {
    fn config(&self) -> anyhow::Result<Config> {
        let mut trusted_proxies = match env("CUTRI_TRUSTED_PROXIES") {
            Some(list) => addresses(&list)?,
            None => Vec::new(),
        };
        trusted_proxies.extend(self.trusted_proxies.iter().flat_map(|list| list.0.clone()));
        let every = match self.backup_every {
            Some(minutes) => Some(minutes),
            None => env_number("CUTRI_BACKUP_EVERY")?,
        };
        let keep = match self.backup_keep {
            Some(keep) => keep,
            None => env_number("CUTRI_BACKUP_KEEP")?.unwrap_or(DEFAULT_BACKUP_KEEP),
        };
        let keep = usize::try_from(keep)
            .with_context(|| format!("quá nhiều bản sao lưu (too many backups to keep): {keep}"))?;
        Ok(Config {
            database_url: self.database.database_url()?,
            site_root: self
                .site_root
                .clone()
                .or_else(|| env("CUTRI_SITE_ROOT").map(PathBuf::from))
                .unwrap_or_else(|| PathBuf::from("site")),
            secure_cookies: self.secure_cookies
                || std::env::var("CUTRI_SECURE_COOKIES").is_ok_and(|v| v == "1" || v == "true"),
            trusted_proxies,
            login_budgets: Default::default(),
            backup_dir: self.database.backup_folder(self.backup_dir.as_ref()),
            backup_schedule: every.map(|every_minutes| BackupSchedule {
                every_minutes,
                keep,
            }),
        })
    }
}

impl Cli {
    /// The command, its flags completed from the environment.
    pub fn resolve(self) -> anyhow::Result<Command> {
        Ok(match self.command {
            None => Command::Help,
            Some(Subcommands::Serve(serve)) => Command::Serve {
                addr: serve
                    .addr
                    .clone()
                    .or_else(|| env("CUTRI_ADDR"))
                    .unwrap_or_else(|| "127.0.0.1:3000".to_string()),
                config: serve.config()?,
            },
            Some(Subcommands::Audit(AuditCommand::Verify(database))) => Command::AuditVerify {
                database_url: database.database_url()?,
            },
            Some(Subcommands::Backup(backup)) => Command::Backup {
                database_url: backup.database.database_url()?,
                to: backup.database.backup_folder(backup.to.as_ref()),
            },
            Some(Subcommands::Restore(restore)) => Command::Restore {
                database_url: restore.database.database_url()?,
                from: restore.from,
                force: restore.force,
            },
            Some(Subcommands::GenerateVoters(generate)) => Command::GenerateVoters {
                voters: generate.voters,
                areas: generate.areas,
                seed: generate.seed,
            },
        })
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

#[cfg(test)]
mod tests {
    use clap::error::ErrorKind;

    use super::*;

    fn parse(args: &[&str]) -> Result<Cli, clap::Error> {
        Cli::try_parse_from(std::iter::once("cutri").chain(args.iter().copied()))
    }

    #[test]
    fn serve_takes_every_flag() {
        let cli = parse(&[
            "serve",
            "--addr",
            "0.0.0.0:8080",
            "--database-url",
            "sqlite://x.db",
            "--site-root",
            "/srv/site",
            "--secure-cookies",
            "--trusted-proxy",
            "10.0.0.1,10.0.0.2",
            "--trusted-proxy",
            "::1",
            "--backup-dir",
            "/media/usb",
            "--backup-every",
            "15",
            "--backup-keep",
            "3",
        ])
        .expect("parses");
        let Command::Serve { addr, config } = cli.resolve().expect("resolves") else {
            panic!("not serve");
        };
        assert_eq!(addr, "0.0.0.0:8080");
        assert_eq!(config.database_url, "sqlite://x.db");
        assert_eq!(config.site_root, PathBuf::from("/srv/site"));
        assert!(config.secure_cookies);
        assert_eq!(config.trusted_proxies.len(), 3);
        assert_eq!(config.backup_dir.path, PathBuf::from("/media/usb"));
        assert!(!config.backup_dir.create);
        assert_eq!(
            config.backup_schedule,
            Some(BackupSchedule {
                every_minutes: 15,
                keep: 3
            })
        );
    }

    #[test]
    fn restore_takes_the_file_and_force_in_any_order() {
        let cli = parse(&[
            "restore",
            "--force",
            "b.db",
            "--database-url",
            "sqlite://t.db",
        ])
        .expect("parses");
        let Command::Restore {
            from,
            database_url,
            force,
        } = cli.resolve().expect("resolves")
        else {
            panic!("not restore");
        };
        assert_eq!(from, PathBuf::from("b.db"));
        assert_eq!(database_url, "sqlite://t.db");
        assert!(force);
    }

    #[test]
    fn generate_voters_has_its_defaults() {
        let Command::GenerateVoters {
            voters,
            areas,
            seed,
        } = parse(&["generate-voters", "--areas", "7"])
            .expect("parses")
            .resolve()
            .expect("resolves")
        else {
            panic!("not generate-voters");
        };
        assert_eq!((voters, areas, seed), (6688, 7, 1));
    }

    #[test]
    fn no_command_is_help() {
        assert!(matches!(
            parse(&[]).expect("parses").resolve().expect("resolves"),
            Command::Help
        ));
    }

    #[test]
    fn wrong_words_are_errors_of_exit_code_two() {
        for args in [
            &["serve", "--no-such-flag"][..],
            &["backup", "--force"],
            &["restore"],
            &["audit"],
            &["serve", "--backup-every", "0"],
            &["serve", "--trusted-proxy", "not-an-ip"],
            &["generate-voters", "--voters", "many"],
            &["launch"],
        ] {
            let error = parse(args).expect_err(&format!("{args:?} is refused"));
            assert_eq!(error.exit_code(), 2, "{args:?}");
        }
        let error = parse(&["serve", "--trusted-proxy", "10.0.0.x"]).unwrap_err();
        assert!(
            error.to_string().contains("not an IP address): 10.0.0.x"),
            "{error}"
        );
    }

    #[test]
    fn help_is_bilingual_and_not_an_error() {
        let error = parse(&["--help"]).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::DisplayHelp);
        assert_eq!(error.exit_code(), 0);
        let text = error.to_string();
        assert!(text.contains("quản lý cử tri"), "{text}");
        assert!(text.contains("CUTRI_DATABASE_URL"), "{text}");
        let serve = parse(&["serve", "--help"]).unwrap_err().to_string();
        assert!(serve.contains("--backup-every <PHÚT/MINUTES>"), "{serve}");
    }
}
