//! `cutri backup`, `cutri restore` and the automatic backups of `cutri serve`: the process side
//! of `app::engine::backups`, which holds the routine itself (the page's server function must
//! reach it from the `app` crate).

use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use anyhow::bail;
use app::domain::format::{count, megabytes};
use app::engine::backups::{AuditCheck, AuditFuture, AuditVerdict, BackupFolder, Backups};
use app::locale::Locale;
use app::storage::Db;

use crate::Config;

/// `cutri audit verify`'s check, for the copies: whatever it checks on the live database it
/// checks on every backup and every restored database.
pub fn audit_check() -> AuditCheck {
    Arc::new(|url: String| -> AuditFuture {
        Box::pin(async move {
            let report = crate::cli::audit_report(&url).await?;
            Ok(AuditVerdict {
                intact: report.intact,
                text: report.text,
            })
        })
    })
}

/// The server's backup settings.
pub fn backups(config: &Config) -> Backups {
    Backups::new(
        config.backup_dir.clone(),
        config.database_url.clone(),
        config
            .backup_schedule
            .map(|schedule| (schedule.every_minutes, schedule.keep)),
        audit_check(),
    )
}

/// Makes a backup every `every_minutes`, the first one `every_minutes` after start-up. A failed
/// backup is logged as an error in Vietnamese and English, and the next one is tried on time.
pub fn start_schedule(backups: Backups, db: Db, every_minutes: u64) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let every = Duration::from_secs(every_minutes.max(1) * 60);
        let mut ticks = tokio::time::interval_at(tokio::time::Instant::now() + every, every);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            match backups.make(&db).await {
                Ok(made) => tracing::info!(
                    file = %backups.dir().join(&made.file.name).display(),
                    bytes = made.file.size_bytes,
                    audit_records = made.audit_records,
                    took_ms = made.took_ms,
                    "automatic backup made and checked"
                ),
                Err(error) => tracing::error!(
                    folder = %backups.dir().display(),
                    "SAO LƯU TỰ ĐỘNG THẤT BẠI / AUTOMATIC BACKUP FAILED:\n{error}"
                ),
            }
        }
    })
}

/// `cutri backup`: one backup into `folder`, checked, and its report.
pub async fn backup_command(database_url: &str, folder: &BackupFolder) -> anyhow::Result<ExitCode> {
    if let Some(file) = Db::sqlite_file_of(database_url) {
        // Opening a missing file would create an empty database and back that up.
        if !file.is_file() {
            bail!(
                "không có cơ sở dữ liệu tại {} (kiểm tra --data-dir)\n\
                 no database at {} (check --data-dir)",
                file.display(),
                file.display()
            );
        }
    }
    let db = Db::connect(database_url).await?;
    let made = Backups::new(
        folder.clone(),
        database_url.to_string(),
        None,
        audit_check(),
    )
    .make(&db)
    .await;
    db.close().await;
    let made = made?;
    let file = folder.path.join(&made.file.name);
    println!(
        "Đã sao lưu và kiểm tra / Backup made and checked:\n  \
         tệp / file:             {}\n  \
         dung lượng / size:      {} ({} bytes)\n  \
         thời gian / took:       {} ms\n  \
         (giờ trong tên tệp là giờ UTC / the time in the name is UTC)",
        file.display(),
        megabytes(made.file.size_bytes, Locale::Vi),
        made.file.size_bytes,
        made.took_ms,
    );
    print_contents(
        made.audit_records,
        &made.head_hash,
        made.voters,
        made.check_ins,
    );
    Ok(ExitCode::SUCCESS)
}

/// `cutri restore FROM`: the backup, checked, in place of the database at `target_url`.
pub async fn restore_command(
    from: &Path,
    target_url: &str,
    force: bool,
) -> anyhow::Result<ExitCode> {
    let contents = app::engine::backups::restore(from, target_url, force, &audit_check()).await?;
    println!(
        "Đã khôi phục và kiểm tra / Restored and checked: {}",
        from.display()
    );
    print_contents(
        contents.audit_records,
        contents.head_hash.as_deref().unwrap_or("—"),
        contents.voters,
        contents.check_ins,
    );
    Ok(ExitCode::SUCCESS)
}

fn print_contents(audit_records: i64, head_hash: &str, voters: i64, check_ins: i64) {
    let vi = |n| count(n, Locale::Vi);
    println!(
        "  nhật ký / audit log:    {} bản ghi / records\n  \
         mã băm cuối / head:     {}\n  \
         cử tri / voters:        {}\n  \
         lượt bỏ phiếu / check-ins: {} (không tính lượt đã hủy / undone ones excluded)",
        vi(audit_records),
        head_hash,
        vi(voters),
        vi(check_ins),
    );
}
