//! Backups as the operator makes them on election day: `cutri backup` while a real server
//! process takes check-ins, `cutri restore` into a new database, a server on the restored copy.
//! Every engine; PostgreSQL where `pg_dump` is installed (scripts/test.sh installs it).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::checkin::{
    check_in_request, list_voters, open_desk, server_binary, spawn_server_on, turnout,
};
use crate::support::{fresh_databases, on_each_engine, TestApp, TestDb};

/// Whether this engine's backups can be made here; says so when PostgreSQL's are skipped.
fn backups_possible(app: &TestApp) -> bool {
    let possible = app.engine != "postgres"
        || std::process::Command::new("pg_dump")
            .arg("--version")
            .output()
            .is_ok();
    if !possible {
        eprintln!("NOTE: pg_dump is not installed: PostgreSQL backup tests SKIPPED");
    }
    possible
}

/// A `cutri` command's exit status and what it printed.
struct Run {
    success: bool,
    stdout: String,
    stderr: String,
}

async fn cutri(args: &[&str]) -> Run {
    let output = tokio::process::Command::new(server_binary())
        .args(args)
        .env_remove("CUTRI_DATABASE_URL")
        .env_remove("CUTRI_DATA_DIR")
        .env_remove("CUTRI_BACKUP_DIR")
        .env("RUST_LOG", "error")
        .output()
        .await
        .expect("cutri runs");
    Run {
        success: output.status.success(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// `cutri backup` of the app's database into `dir`; the file it made.
async fn backup(app: &TestApp, dir: &Path) -> (PathBuf, Run) {
    std::fs::create_dir_all(dir).expect("backup folder");
    let run = cutri(&[
        "backup",
        "--database-url",
        &app.database_url,
        "--to",
        &dir.display().to_string(),
    ])
    .await;
    assert!(
        run.success,
        "[{}] backup failed:\n{}\n{}",
        app.engine, run.stdout, run.stderr
    );
    let file = run
        .stdout
        .lines()
        .find_map(|line| line.trim().strip_prefix("tệp / file:"))
        .map(|path| PathBuf::from(path.trim()))
        .unwrap_or_else(|| panic!("no file in the report:\n{}", run.stdout));
    (file, run)
}

async fn restore(from: &Path, target: &TestDb, force: bool) -> Run {
    let from = from.display().to_string();
    let mut args = vec!["restore", from.as_str(), "--database-url", &target.url];
    if force {
        args.push("--force");
    }
    cutri(&args).await
}

/// A fresh, empty database on the app's engine.
async fn fresh_target(app: &TestApp) -> TestDb {
    fresh_databases()
        .await
        .into_iter()
        .find(|database| database.engine == app.engine)
        .expect("a database of the engine")
}

/// The number after `label` in a report line.
fn reported(report: &str, label: &str) -> i64 {
    report
        .lines()
        .find_map(|line| line.trim().strip_prefix(label))
        .and_then(|rest| rest.split_whitespace().next())
        .map(|n| n.replace('.', ""))
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no {label} in:\n{report}"))
}

async fn counting_check_ins(database_url: &str) -> HashMap<i64, i64> {
    let pool = sqlx::AnyPool::connect(database_url).await.expect("connect");
    let rows: Vec<(i64, i64)> =
        sqlx::query_as("select voter_id, id from check_ins where undone = 0")
            .fetch_all(&pool)
            .await
            .expect("check-ins");
    pool.close().await;
    rows.into_iter().collect()
}

async fn holds_users(database_url: &str) -> bool {
    let pool = sqlx::AnyPool::connect(database_url).await.expect("connect");
    let users: Result<i64, _> = sqlx::query_scalar("select count(*) from users")
        .fetch_one(&pool)
        .await;
    pool.close().await;
    users.is_ok_and(|n| n > 0)
}

/// Check-ins sent by 4 stations until `stop`: each acknowledged one with when its answer came.
fn check_in_continuously(
    client: crate::support::Client,
    voters: Arc<Vec<i64>>,
    area: i64,
    stop: Arc<AtomicBool>,
) -> Vec<tokio::task::JoinHandle<Vec<(i64, i64, Instant)>>> {
    let next = Arc::new(AtomicUsize::new(0));
    (0..4)
        .map(|_| {
            let (client, voters, stop, next) =
                (client.clone(), voters.clone(), stop.clone(), next.clone());
            tokio::spawn(async move {
                let mut told = Vec::new();
                while !stop.load(Ordering::Relaxed) {
                    let index = next.fetch_add(1, Ordering::Relaxed);
                    let Some(&voter) = voters.get(index) else {
                        break;
                    };
                    let request =
                        check_in_request(&format!("backup-{index:08}"), area, voter, false);
                    let reply = client.checkin_record(&request).await;
                    if let Some(id) = reply.body["Recorded"]["check_in_id"].as_i64() {
                        told.push((voter, id, Instant::now()));
                    }
                }
                told
            })
        })
        .collect()
}

/// The backup is taken while check-ins flow into a real server process. Every check-in
/// acknowledged before `cutri backup` started is in the copy restored into a new database, and
/// a server started on that database counts exactly what the backup reported.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_under_load_holds_every_check_in_acknowledged_before_it_began() {
    on_each_engine(|app| async move {
        if !backups_possible(&app) {
            return;
        }
        let engine = app.engine;
        let desk = open_desk(&app).await;
        let names: Vec<String> = (0..12_000).map(|i| format!("Cử Tri {i}")).collect();
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        let voters: Vec<i64> = list_voters(&app, &desk, 0, &names, "active")
            .await
            .into_iter()
            .map(|(id, _)| id)
            .collect();
        let server = spawn_server_on(&app, &app.database_url).await;
        let stop = Arc::new(AtomicBool::new(false));
        let senders = check_in_continuously(
            server.client.clone(),
            Arc::new(voters),
            desk.areas[0],
            stop.clone(),
        );
        tokio::time::sleep(Duration::from_millis(500)).await;

        let backup_began = Instant::now();
        let (file, report) = backup(&app, &app.backup_dir).await;
        let backup_ended = Instant::now();
        tokio::time::sleep(Duration::from_millis(300)).await;
        stop.store(true, Ordering::Relaxed);
        let mut acknowledged = Vec::new();
        for sender in senders {
            acknowledged.extend(sender.await.expect("sender"));
        }
        drop(server);
        let before: HashMap<i64, i64> = acknowledged
            .iter()
            .filter(|(_, _, at)| *at < backup_began)
            .map(|(voter, id, _)| (*voter, *id))
            .collect();
        let during = acknowledged
            .iter()
            .filter(|(_, _, at)| *at > backup_began && *at < backup_ended)
            .count();
        assert!(
            !before.is_empty(),
            "[{engine}] check-ins flowed before the backup"
        );
        assert!(
            acknowledged.iter().any(|(_, _, at)| *at > backup_ended),
            "[{engine}] check-ins went on after the backup"
        );
        eprintln!(
            "[{engine}] backup took {} ms; {} check-ins before it, {during} during it",
            (backup_ended - backup_began).as_millis(),
            before.len()
        );
        let name = file
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        assert!(
            name.starts_with("cutri-") && name.contains("Z-"),
            "[{engine}] {name}"
        );

        let target = fresh_target(&app).await;
        let restored = restore(&file, &target, false).await;
        assert!(
            restored.success,
            "[{engine}] restore into an empty database:\n{}\n{}",
            restored.stdout, restored.stderr
        );
        let stored = counting_check_ins(&target.url).await;
        for (voter, id) in &before {
            assert_eq!(
                stored.get(voter),
                Some(id),
                "[{engine}] check-in of voter {voter}, acknowledged before the backup began, is \
                 missing from the restored copy"
            );
        }
        let reported_check_ins = reported(&report.stdout, "lượt bỏ phiếu / check-ins:");
        assert_eq!(
            i64::try_from(stored.len()).unwrap(),
            reported_check_ins,
            "[{engine}] the report counts what the copy holds"
        );
        assert_eq!(
            reported(&restored.stdout, "lượt bỏ phiếu / check-ins:"),
            reported_check_ins,
            "[{engine}]"
        );

        let on_copy = spawn_server_on(&app, &target.url).await;
        let board = turnout(&on_copy.client, desk.election_id).await;
        assert_eq!(
            board["ward"]["voted"].as_i64(),
            Some(reported_check_ins),
            "[{engine}] {board}"
        );
        drop(on_copy);

        // The restored database now holds data: replaced only with --force.
        let again = restore(&file, &target, false).await;
        assert!(
            !again.success,
            "[{engine}] a database with data was replaced"
        );
        assert!(
            again.stderr.contains("--force"),
            "[{engine}] says how: {}",
            again.stderr
        );
        let forced = restore(&file, &target, true).await;
        assert!(forced.success, "[{engine}] {}", forced.stderr);
    })
    .await;
}

/// A damaged copy is refused and the target keeps what it had: bytes overwritten in the middle
/// of a SQLite copy (its integrity check fails), a copy cut short (a full stick).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn restore_refuses_a_damaged_copy() {
    on_each_engine(|app| async move {
        if !backups_possible(&app) {
            return;
        }
        let engine = app.engine;
        let desk = open_desk(&app).await;
        let names: Vec<String> = (0..3_000).map(|i| format!("Cử Tri {i}")).collect();
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        list_voters(&app, &desk, 0, &names, "active").await;
        let (file, _) = backup(&app, &app.backup_dir).await;
        let bytes = std::fs::read(&file).expect("backup");

        let mut damaged = vec![("cut short", bytes[..bytes.len() / 2].to_vec())];
        if engine == "sqlite" {
            let mut overwritten = bytes.clone();
            let middle = overwritten.len() / 2;
            overwritten[middle..middle + 16_384].fill(0xA5);
            damaged.push(("overwritten", overwritten));
        }
        for (how, content) in damaged {
            let copy = app.backup_dir.join(format!(
                "damaged.{}",
                file.extension().expect("ext").to_string_lossy()
            ));
            std::fs::write(&copy, content).expect("damaged copy");
            let target = fresh_target(&app).await;
            let refused = restore(&copy, &target, false).await;
            assert!(
                !refused.success,
                "[{engine}] a copy {how} was restored:\n{}",
                refused.stdout
            );
            assert!(
                !holds_users(&target.url).await,
                "[{engine}] a copy {how} left data in the target"
            );
            eprintln!("[{engine}] {how}: {}", refused.stderr.trim());
        }
    })
    .await;
}

/// The page lists only finished backups: a copy still being written (or left by a crash) is
/// not one, and "Sao lưu ngay" adds a checked backup to the list.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_finished_backups_are_listed() {
    on_each_engine(|app| async move {
        if !backups_possible(&app) {
            return;
        }
        let engine = app.engine;
        let admin = app.admin().await;
        let (file, _) = backup(&app, &app.backup_dir).await;
        let half = std::fs::read(&file).expect("backup");
        let extension = file
            .extension()
            .expect("ext")
            .to_string_lossy()
            .into_owned();
        std::fs::write(
            app.backup_dir
                .join(format!(".cutri-partial-ABCD-EFGH.{extension}")),
            &half[..half.len() / 2],
        )
        .expect("partial");
        let listed = admin.admin_backups_list().await;
        assert_eq!(listed.status, 200, "[{engine}] {:?}", listed.body);
        let names = |body: &Value| -> Vec<String> {
            body["files"]
                .as_array()
                .expect("files")
                .iter()
                .map(|f| f["name"].as_str().expect("name").to_string())
                .collect()
        };
        assert_eq!(
            names(&listed.body),
            [file
                .file_name()
                .expect("name")
                .to_string_lossy()
                .into_owned()],
            "[{engine}]"
        );

        tokio::time::sleep(Duration::from_millis(1_100)).await; // a name per second
        let made = admin.admin_backups_run().await;
        assert_eq!(made.status, 200, "[{engine}] {:?}", made.body);
        let listed = admin.admin_backups_list().await;
        let names = names(&listed.body);
        assert_eq!(names.len(), 2, "[{engine}] {names:?}");
        assert_eq!(
            names[0], made.body["file"]["name"],
            "[{engine}] newest first"
        );
        let audited: i64 =
            sqlx::query_scalar("select count(*) from audit_log where action = 'backup.create'")
                .fetch_one(app.db.pool())
                .await
                .expect("audit");
        assert_eq!(audited, 1, "[{engine}] the page's backup is audited");
    })
    .await;
}
