//! Database start-up: settings that durability depends on, and migration failures.

use app::storage::Db;
use sqlx::Row;

use crate::support::fresh_databases;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_runs_with_wal_full_sync_foreign_keys_and_a_busy_timeout() {
    let database = fresh_databases()
        .await
        .into_iter()
        .next()
        .expect("sqlite first");
    let db = Db::connect(&database.url).await.expect("connect");
    // Every pooled connection has the settings, not only the first.
    let mut connections = Vec::new();
    for _ in 0..4 {
        connections.push(db.pool().acquire().await.expect("connection"));
    }
    for conn in &mut connections {
        let journal: String = sqlx::query("pragma journal_mode")
            .fetch_one(&mut **conn)
            .await
            .expect("q")
            .get(0);
        let sync: i64 = sqlx::query("pragma synchronous")
            .fetch_one(&mut **conn)
            .await
            .expect("q")
            .get(0);
        let fk: i64 = sqlx::query("pragma foreign_keys")
            .fetch_one(&mut **conn)
            .await
            .expect("q")
            .get(0);
        let busy: i64 = sqlx::query("pragma busy_timeout")
            .fetch_one(&mut **conn)
            .await
            .expect("q")
            .get(0);
        assert_eq!((journal.as_str(), sync, fk), ("wal", 2, 1));
        assert!(busy >= 5000);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_migration_stops_start_up_with_a_clear_message() {
    for database in fresh_databases().await {
        let db = Db::connect(&database.url)
            .await
            .expect("first start migrates");
        sqlx::query("update _sqlx_migrations set checksum = $1 where version = 1")
            .bind(vec![0u8; 48])
            .execute(db.pool())
            .await
            .expect("pretend an applied migration was edited");
        db.close().await;
        let error = Db::connect(&database.url)
            .await
            .err()
            .expect("start-up refused");
        let message = format!("{error:#}");
        assert!(
            message.contains("migration"),
            "[{}] {message}",
            database.engine
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn foreign_keys_are_enforced_on_both_engines() {
    for database in fresh_databases().await {
        let db = Db::connect(&database.url).await.expect("connect");
        let orphan = sqlx::query("insert into sessions (token_hash, user_id, created_at_ms, last_seen_ms) values ('x', 424242, 0, 0)")
            .execute(db.pool())
            .await;
        assert!(
            orphan.is_err(),
            "[{}] a session must belong to a user",
            database.engine
        );
    }
}
