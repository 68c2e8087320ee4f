//! Database start-up: settings that durability depends on, and migration failures.

use app::storage::Db;
use sqlx::Row;

use crate::support::{fresh_databases, TestDb};

/// (journal_mode, synchronous, foreign_keys, busy_timeout, cache_size) of a connection.
async fn sqlite_settings(conn: &mut sqlx::AnyConnection) -> (String, i64, i64, i64, i64) {
    let mut numbers = Vec::new();
    for pragma in ["synchronous", "foreign_keys", "busy_timeout", "cache_size"] {
        let value: i64 = sqlx::query(&format!("pragma {pragma}"))
            .fetch_one(&mut *conn)
            .await
            .expect("pragma")
            .get(0);
        numbers.push(value);
    }
    let journal: String = sqlx::query("pragma journal_mode")
        .fetch_one(&mut *conn)
        .await
        .expect("pragma")
        .get(0);
    (journal, numbers[0], numbers[1], numbers[2], numbers[3])
}

/// A new SQLite database, opened; the `TestDb` removes its directory when dropped.
async fn fresh_sqlite() -> (TestDb, Db) {
    let database = fresh_databases()
        .await
        .into_iter()
        .next()
        .expect("sqlite first");
    let db = Db::connect(&database.url).await.expect("connect");
    (database, db)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_runs_with_wal_full_sync_foreign_keys_and_a_busy_timeout() {
    let (_database, db) = fresh_sqlite().await;
    // Every pooled connection has the settings, not only the first.
    let mut connections = Vec::new();
    for _ in 0..4 {
        connections.push(db.pool().acquire().await.expect("connection"));
    }
    let mut reader_cache = 0;
    for conn in &mut connections {
        let (journal, sync, fk, busy, cache) = sqlite_settings(conn).await;
        assert_eq!((journal.as_str(), sync, fk), ("wal", 2, 1));
        assert!(busy >= 5000);
        reader_cache = cache;
    }
    // The writer has a connection of its own; the check-ins' durability rests on it.
    let mut tx = db.begin_write().await.expect("writer");
    let (journal, sync, fk, busy, writer_cache) = sqlite_settings(&mut tx).await;
    assert_eq!((journal.as_str(), sync, fk), ("wal", 2, 1));
    assert!(busy >= 5000);
    // Negative: KiB. Only the writer's cache is large (imports need it, readers do not).
    assert!(
        writer_cache < reader_cache && reader_cache < 0,
        "writer {writer_cache}, readers {reader_cache}"
    );
    tx.rollback().await.expect("rollback");
}

/// Commits do not copy the WAL into the database file themselves below a large backstop: a
/// task of the `Db` does it beside them, so no check-in waits for that copy and its fsync.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_copies_the_wal_into_the_database_beside_the_commits() {
    let (database, db) = fresh_sqlite().await;
    let file = database.dir.as_ref().expect("sqlite dir").join("cutri.db");
    let size = || std::fs::metadata(&file).expect("database file").len();
    let mut tx = db.begin_write().await.expect("writer");
    let backstop: i64 = sqlx::query("pragma wal_autocheckpoint")
        .fetch_one(&mut *tx)
        .await
        .expect("pragma")
        .get(0);
    assert!(
        backstop > 1_000,
        "writer's own checkpoints: {backstop} pages"
    );
    // About 1.500 pages of 4 KiB: past SQLite's default of 1.000, below the writer's backstop.
    sqlx::query("create table wal_probe (body text not null)")
        .execute(&mut *tx)
        .await
        .expect("table");
    for index in 0..1_500 {
        sqlx::query("insert into wal_probe (body) values ($1)")
            .bind(format!("{index:04}").repeat(1_000))
            .execute(&mut *tx)
            .await
            .expect("insert");
    }
    tx.commit().await.expect("commit");
    let committed = size();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while size() < committed + 5_000_000 && std::time::Instant::now() < deadline {
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(
        size() >= committed + 5_000_000,
        "the committed 6 MB reached the database file: {committed} → {} bytes",
        size()
    );
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

/// A large import on SQLite drops the voters' random-key indexes inside its transaction and
/// builds them again before committing; other connections keep seeing them throughout, and a
/// small import keeps them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_sets_random_key_indexes_aside_only_inside_a_large_import() {
    use app::storage::voters::{defer_random_key_indexes, rebuild_deferred_indexes};
    const INDEX_COUNT: &str =
        "select count(*) from sqlite_master where type = 'index' and tbl_name = 'voters'";
    let (_database, db) = fresh_sqlite().await;
    let all: i64 = sqlx::query_scalar(INDEX_COUNT)
        .fetch_one(db.pool())
        .await
        .expect("count");

    let mut tx = db.begin_write().await.expect("writer");
    let small = defer_random_key_indexes(&mut tx, 1_000)
        .await
        .expect("defer");
    let inside: i64 = sqlx::query_scalar(INDEX_COUNT)
        .fetch_one(&mut *tx)
        .await
        .expect("count");
    assert_eq!(inside, all, "a small import keeps every index");
    rebuild_deferred_indexes(&mut tx, small)
        .await
        .expect("rebuild");

    let large = defer_random_key_indexes(&mut tx, 50_000)
        .await
        .expect("defer");
    let inside: i64 = sqlx::query_scalar(INDEX_COUNT)
        .fetch_one(&mut *tx)
        .await
        .expect("count");
    assert_eq!(inside, all - 3, "CCCD and both name indexes set aside");
    let outside: i64 = sqlx::query_scalar(INDEX_COUNT)
        .fetch_one(db.pool())
        .await
        .expect("count");
    assert_eq!(outside, all, "readers still have them");
    rebuild_deferred_indexes(&mut tx, large)
        .await
        .expect("rebuild");
    let rebuilt: i64 = sqlx::query_scalar(INDEX_COUNT)
        .fetch_one(&mut *tx)
        .await
        .expect("count");
    assert_eq!(rebuilt, all);
    tx.commit().await.expect("commit");
}
