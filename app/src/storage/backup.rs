//! The SQL of backups and restores: a consistent copy of a live SQLite database, what a copy
//! holds, whether a database may be replaced, and what `pg_dump` needs from PostgreSQL.

use std::path::Path;

use sqlx::{AnyConnection, AnyPool, Row};

use super::Engine;

/// What a database holds, as a backup or restore reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contents {
    pub audit_records: i64,
    /// The hash of the newest audit record; `None` while the log is empty.
    pub head_hash: Option<String>,
    pub users: i64,
    pub voters: i64,
    /// Check-ins that count (undone ones excluded), as the turnout counts them.
    pub check_ins: i64,
}

/// Writes a copy of the database into `file`, which must not exist. `VACUUM INTO` reads in one
/// read transaction, so the copy is the database as of one commit, WAL included, and in WAL
/// mode it holds up neither the check-in writer nor the readers.
pub async fn vacuum_into(pool: &AnyPool, file: &Path) -> Result<(), sqlx::Error> {
    sqlx::query("vacuum into $1")
        .bind(file.display().to_string())
        .execute(pool)
        .await
        .map(|_| ())
}

/// SQLite's own check of every page and index; `["ok"]` when the file is sound.
pub async fn integrity_problems(conn: &mut AnyConnection) -> Result<Vec<String>, sqlx::Error> {
    let rows = sqlx::query("pragma integrity_check")
        .fetch_all(&mut *conn)
        .await?;
    rows.iter()
        .map(|row| row.try_get::<String, _>(0))
        .filter(|line| !matches!(line.as_deref(), Ok("ok")))
        .collect()
}

/// Puts a SQLite copy back in rollback-journal mode: one self-contained file, readable from a
/// read-only stick, with no `-wal` that would have to travel with it.
pub async fn use_rollback_journal(conn: &mut AnyConnection) -> Result<(), sqlx::Error> {
    sqlx::query("pragma journal_mode = delete")
        .fetch_all(&mut *conn)
        .await
        .map(|_| ())
}

/// The audit log's length and head, and the counts the backup report prints, in one statement
/// (so in one snapshot). The audit log is read here rather than in `audit` because only its
/// head is needed: the chain itself is verified by `cutri audit verify`'s routine.
pub async fn contents(conn: &mut AnyConnection) -> Result<Contents, sqlx::Error> {
    let row = sqlx::query(
        "select (select count(*) from audit_log), \
                (select hash from audit_log order by seq desc limit 1), \
                (select count(*) from users), \
                (select count(*) from voters), \
                (select count(*) from check_ins where undone = 0)",
    )
    .fetch_one(&mut *conn)
    .await?;
    Ok(Contents {
        audit_records: row.try_get(0)?,
        head_hash: row.try_get(1)?,
        users: row.try_get(2)?,
        voters: row.try_get(3)?,
        check_ins: row.try_get(4)?,
    })
}

/// Whether a database holds accounts or voters: a restore must not silently replace it. A
/// database without cutri's tables holds nothing.
pub async fn holds_data(conn: &mut AnyConnection) -> Result<bool, sqlx::Error> {
    let tables_sql = match Engine::of(conn) {
        Engine::Sqlite => {
            "select count(*) from sqlite_master where type = 'table' and name in ('users', 'voters')"
        }
        Engine::Postgres => {
            "select count(*) from information_schema.tables \
             where table_schema = current_schema() and table_name in ('users', 'voters')"
        }
    };
    let tables: i64 = sqlx::query_scalar(tables_sql).fetch_one(&mut *conn).await?;
    if tables < 2 {
        return Ok(false);
    }
    let rows: i64 = sqlx::query_scalar(
        "select (select count(*) from (select 1 from users limit 1) u) \
              + (select count(*) from (select 1 from voters limit 1) v)",
    )
    .fetch_one(&mut *conn)
    .await?;
    Ok(rows > 0)
}

/// Takes SQLite's exclusive lock on the database without waiting: `false` when another
/// connection has the database open (a running server keeps its connections, and in WAL mode
/// each holds a shared lock). The lock lasts until the connection closes.
pub async fn lock_exclusively(conn: &mut AnyConnection) -> Result<bool, sqlx::Error> {
    sqlx::query("pragma busy_timeout = 0")
        .fetch_all(&mut *conn)
        .await?;
    sqlx::query("pragma locking_mode = exclusive")
        .fetch_all(&mut *conn)
        .await?;
    match sqlx::query("begin exclusive").execute(&mut *conn).await {
        Ok(_) => Ok(true),
        Err(sqlx::Error::Database(error))
            if matches!(error.code().as_deref(), Some("5") | Some("6")) =>
        {
            Ok(false)
        }
        Err(error) => Err(error),
    }
}

/// Exports the snapshot of the connection's (repeatable read) transaction, for
/// `pg_dump --snapshot`: the dump then holds exactly what this transaction reads.
pub async fn export_snapshot(conn: &mut AnyConnection) -> Result<String, sqlx::Error> {
    sqlx::query_scalar("select pg_export_snapshot()")
        .fetch_one(&mut *conn)
        .await
}

/// The PostgreSQL server's major version (15 for 15.4, 9 for 9.6).
pub async fn postgres_major_version(conn: &mut AnyConnection) -> Result<u32, sqlx::Error> {
    let number: String = sqlx::query_scalar("select current_setting('server_version_num')")
        .fetch_one(&mut *conn)
        .await?;
    let number: u32 = number
        .trim()
        .parse()
        .map_err(|_| sqlx::Error::Protocol(format!("server_version_num {number}")))?;
    Ok(number / 10_000)
}
