use std::path::Path;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{bail, Context};
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::migrate::Migrator;
use sqlx::{Any, AnyConnection, AnyPool, Executor, Row, Transaction};

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("../migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("../migrations/postgres");

/// Advisory lock key that serialises `WriteTx`s on PostgreSQL ("cutriwtx").
const POSTGRES_WRITE_LOCK_KEY: i64 = 0x6375_7472_6977_7478;

/// How long a SQLite writer waits for another writer before giving up.
const SQLITE_BUSY_TIMEOUT_MS: u32 = 10_000;

/// Page cache of the SQLite writer's connection. SQLite's default (2 MB) makes large imports
/// thrash the voter and search indexes once they outgrow it.
const SQLITE_WRITER_CACHE_KIB: i64 = 16 * 1024;
/// Page cache of each SQLite reading connection: SQLite's default. Reads of an election day
/// touch few pages each, and a page missing from the cache is one read from the operating
/// system's file cache; every reader with the writer's cache would multiply it.
const SQLITE_READER_CACHE_KIB: i64 = 2 * 1024;
/// WAL pages after which the SQLite writer copies the log into the database file itself, as
/// part of a commit. The checkpointer (below) keeps the log well under this; it is the backstop
/// for a checkpointer that falls behind. SQLite's default, 1.000 pages, made every commit that
/// crossed it wait for the copy and its fsync, several times a second under election-day load.
const SQLITE_WRITER_AUTOCHECKPOINT_PAGES: u32 = 10_000;
/// How often the checkpointer copies committed WAL pages into the database file, on a
/// connection of its own, beside the writer instead of in its commits.
const SQLITE_CHECKPOINT_EVERY: Duration = Duration::from_millis(500);
/// Reading connections of SQLite; PostgreSQL's one pool has `POSTGRES_CONNECTIONS`.
const SQLITE_READERS: u32 = 8;
const POSTGRES_CONNECTIONS: u32 = 16;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

impl Engine {
    /// The engine behind a connection or transaction (storage functions get only those).
    pub fn of(connection: &AnyConnection) -> Engine {
        if connection.backend_name().eq_ignore_ascii_case("sqlite") {
            Engine::Sqlite
        } else {
            Engine::Postgres
        }
    }

    /// Rows per multi-row insert of `arity` columns: as many as the engine's parameter limit
    /// allows (SQLite 32.766, PostgreSQL 65.535), capped where longer statements stopped
    /// paying off in the import benchmark.
    pub fn rows_per_statement(self, arity: usize) -> usize {
        let max_parameters = match self {
            Engine::Sqlite => 32_766,
            Engine::Postgres => 65_535,
        };
        (max_parameters / arity).clamp(1, 500)
    }

    /// The parameter list of a multi-row insert: `(?, ?), (?, ?)` on SQLite, `($1, $2), ($3, $4)`
    /// on PostgreSQL. SQLite finds each numbered parameter's name by a linear scan, so binding
    /// `$N` costs the square of the parameter count per statement; anonymous `?` do not.
    pub fn rows_of_parameters(self, rows: usize, arity: usize) -> String {
        (0..rows)
            .map(|row| format!("({})", self.parameters(row * arity + 1, arity)))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// `count` comma-separated parameters, numbered from `first` on PostgreSQL. On SQLite
    /// every parameter of the statement must then be written this way (anonymous ones are
    /// bound in order).
    pub fn parameters(self, first: usize, count: usize) -> String {
        match self {
            Engine::Sqlite => vec!["?"; count].join(", "),
            Engine::Postgres => (first..first + count)
                .map(|n| format!("${n}"))
                .collect::<Vec<_>>()
                .join(", "),
        }
    }
}

/// `values` repeated at the end up to the next power of two, for an `in (…)` list of bound
/// parameters. Each length of the list is a statement text of its own, which the driver
/// prepares once per connection and keeps among its last 100: check-in batches of 1–256 voters
/// would keep preparing (a round trip each time, and on PostgreSQL one more to close the
/// statement pushed out). Rounded up, at most nine lengths remain. A value repeated in `in (…)`
/// changes nothing.
pub fn padded_to_power_of_two<T: Clone>(values: &[T]) -> Vec<T> {
    let mut padded = values.to_vec();
    if let Some(last) = values.last() {
        padded.resize(values.len().next_power_of_two(), last.clone());
    }
    padded
}

/// A write transaction, serialised with every other `WriteTx` on both engines: on SQLite it was
/// opened with `BEGIN IMMEDIATE` (the write lock from the first statement, no lock-upgrade
/// failures later); on PostgreSQL it holds a transaction-scoped advisory lock. Check-then-write
/// rules ("no account exists yet", "username free") and the audit chain rely on this.
pub type WriteTx = Transaction<'static, Any>;

/// Both engines take one writer at a time anyway, so `begin_write` has a pool of one connection
/// apart from the readers. sqlx hands out idle connections in turn, so with one pool every
/// connection would in time have served as the writer: on SQLite each would have grown the
/// writer's large page cache (the import needs it); on PostgreSQL the writer's statements would
/// be prepared again on every connection (each connection keeps its own prepared statements).
#[derive(Clone)]
pub struct Db {
    pool: AnyPool,
    writer: AnyPool,
    engine: Engine,
    /// This server's name on the change feed, new at every start.
    origin: Arc<str>,
    /// PostgreSQL: the URL, for the change feed's listening connection.
    listen_url: Option<Arc<str>>,
    /// SQLite only; stops with `close` or the last clone of the `Db`.
    checkpointer: Option<Arc<Checkpointer>>,
}

/// The task that checkpoints the SQLite WAL, and its connection.
struct Checkpointer {
    task: tokio::task::AbortHandle,
    pool: AnyPool,
}

impl Drop for Checkpointer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Checkpointer {
    /// A PASSIVE checkpoint never waits for readers or the writer: it copies what no reader
    /// still needs from the log and leaves the rest for the next round.
    fn start(pool: AnyPool) -> Checkpointer {
        let connection = pool.clone();
        let task = tokio::spawn(async move {
            let mut every = tokio::time::interval(SQLITE_CHECKPOINT_EVERY);
            every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                every.tick().await;
                let started = std::time::Instant::now();
                match sqlx::query("pragma wal_checkpoint(passive)")
                    .fetch_one(&connection)
                    .await
                {
                    // A long read transaction keeps the log from being copied past it; past half
                    // the backstop, say so before the commits start doing the copying.
                    Ok(row) => {
                        let log: i64 = row.try_get(1).unwrap_or_default();
                        let copied: i64 = row.try_get(2).unwrap_or_default();
                        if log > i64::from(SQLITE_WRITER_AUTOCHECKPOINT_PAGES / 2) {
                            tracing::warn!(
                                log,
                                copied,
                                took_ms = u64::try_from(started.elapsed().as_millis())
                                    .unwrap_or(u64::MAX),
                                "SQLite WAL is not being copied back fast enough"
                            );
                        }
                    }
                    Err(error) => tracing::warn!(%error, "SQLite WAL checkpoint failed"),
                }
            }
        });
        Checkpointer {
            task: task.abort_handle(),
            pool,
        }
    }
}

/// `origin`: this server's name on the change feed, set on each connection so that the
/// triggers can say which server a change came from (`storage/change_feed.rs`).
fn postgres_pool(connections: u32, origin: Arc<str>) -> AnyPoolOptions {
    AnyPoolOptions::new()
        .max_connections(connections)
        .acquire_timeout(Duration::from_secs(30))
        .after_connect(move |conn, _| {
            let origin = origin.clone();
            Box::pin(async move {
                // An origin is made of URL-safe base64 letters: nothing to quote.
                conn.execute(format!("set cutri.origin = '{origin}'").as_str())
                    .await?;
                Ok(())
            })
        })
}

/// `autocheckpoint`: the connection's `wal_autocheckpoint` (SQLite's default when None).
fn sqlite_pool(connections: u32, cache_kib: i64, autocheckpoint: Option<u32>) -> AnyPoolOptions {
    AnyPoolOptions::new()
        .max_connections(connections)
        .acquire_timeout(Duration::from_secs(30))
        // A local file does not hang up; the check would cost a round trip to the connection's
        // thread on every acquire.
        .test_before_acquire(false)
        .after_connect(move |conn, _| {
            Box::pin(async move {
                let mut settings = format!(
                    "pragma journal_mode = wal; pragma synchronous = full; \
                     pragma foreign_keys = on; pragma busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}; \
                     pragma cache_size = -{cache_kib};"
                );
                if let Some(pages) = autocheckpoint {
                    settings.push_str(&format!(" pragma wal_autocheckpoint = {pages};"));
                }
                conn.execute(settings.as_str()).await?;
                Ok(())
            })
        })
}

impl Db {
    /// Opens the database at `url` (`sqlite://…` or `postgres://…`), applies the connection
    /// settings, checks them, and runs pending migrations. Any failure stops start-up.
    pub async fn connect(url: &str) -> anyhow::Result<Db> {
        sqlx::any::install_default_drivers();
        let engine = if url.starts_with("sqlite:") {
            Engine::Sqlite
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Engine::Postgres
        } else {
            bail!("unsupported database URL (expected sqlite:// or postgres://)");
        };
        let options = AnyConnectOptions::from_str(url).context("invalid database URL")?;
        // 72 random bits name a server among the few of an installation.
        let origin: Arc<str> = crate::token::new_secret()[..12].into();
        let (pool, writer, checkpointer) = match engine {
            Engine::Sqlite => {
                // The writer first: its first connection creates the file and switches it to WAL.
                let writer = sqlite_pool(
                    1,
                    SQLITE_WRITER_CACHE_KIB,
                    Some(SQLITE_WRITER_AUTOCHECKPOINT_PAGES),
                )
                .connect_with(options.clone())
                .await
                .context("cannot open the database")?;
                let checkpointing = sqlite_pool(1, SQLITE_READER_CACHE_KIB, None)
                    .connect_with(options.clone())
                    .await
                    .context("cannot open the database")?;
                let pool = sqlite_pool(SQLITE_READERS, SQLITE_READER_CACHE_KIB, None)
                    .connect_with(options)
                    .await
                    .context("cannot open the database")?;
                let checkpointer = Arc::new(Checkpointer::start(checkpointing));
                (pool, writer, Some(checkpointer))
            }
            Engine::Postgres => {
                let pool = postgres_pool(POSTGRES_CONNECTIONS, origin.clone())
                    .connect_with(options.clone())
                    .await
                    .context("cannot open the database")?;
                let writer = postgres_pool(1, origin.clone())
                    .connect_with(options)
                    .await
                    .context("cannot open the database")?;
                (pool, writer, None)
            }
        };
        let db = Db {
            pool,
            writer,
            engine,
            listen_url: (engine == Engine::Postgres).then(|| url.into()),
            origin,
            checkpointer,
        };
        if engine == Engine::Sqlite {
            Self::check_sqlite_settings(&db.writer).await?;
            Self::check_sqlite_settings(&db.pool).await?;
        }
        db.migrator().run(&db.writer).await.context(
            "database migration failed; the database was left as it was before the failing step",
        )?;
        Ok(db)
    }

    /// The SQLite URL for a data directory, creating the directory when needed.
    pub fn sqlite_url_in(data_dir: &Path) -> anyhow::Result<String> {
        std::fs::create_dir_all(data_dir)
            .with_context(|| format!("cannot create data directory {}", data_dir.display()))?;
        Ok(Self::sqlite_url_of(&Self::sqlite_file_in(data_dir), "rwc"))
    }

    /// The SQLite file of a data directory.
    pub fn sqlite_file_in(data_dir: &Path) -> std::path::PathBuf {
        data_dir.join("cutri.db")
    }

    /// The URL of a SQLite file, opened with `mode` (`rw`: must exist; `rwc`: created when
    /// missing). `%`, `?` and `#` in the path are escaped: the URL parser would take them for an
    /// escape, the options or a fragment (a USB stick's folder may have any name).
    pub fn sqlite_url_of(file: &Path, mode: &str) -> String {
        let path = file
            .display()
            .to_string()
            .replace('%', "%25")
            .replace('?', "%3F")
            .replace('#', "%23");
        format!("sqlite://{path}?mode={mode}")
    }

    /// The file of a `sqlite://` URL (as `sqlite_url_of` writes them); `None` for another engine.
    pub fn sqlite_file_of(url: &str) -> Option<std::path::PathBuf> {
        let rest = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))?;
        let path = rest.split('?').next().unwrap_or_default();
        Some(percent_decoded(path).into())
    }

    fn migrator(&self) -> &'static Migrator {
        match self.engine {
            Engine::Sqlite => &SQLITE_MIGRATIONS,
            Engine::Postgres => &POSTGRES_MIGRATIONS,
        }
    }

    /// Durability and integrity depend on these settings; refuse to run without them.
    async fn check_sqlite_settings(pool: &AnyPool) -> anyhow::Result<()> {
        let mut conn = pool.acquire().await?;
        let journal: String = sqlx::query("pragma journal_mode")
            .fetch_one(&mut *conn)
            .await?
            .try_get(0)?;
        let synchronous: i64 = sqlx::query("pragma synchronous")
            .fetch_one(&mut *conn)
            .await?
            .try_get(0)?;
        let foreign_keys: i64 = sqlx::query("pragma foreign_keys")
            .fetch_one(&mut *conn)
            .await?
            .try_get(0)?;
        let busy_timeout: i64 = sqlx::query("pragma busy_timeout")
            .fetch_one(&mut *conn)
            .await?
            .try_get(0)?;
        if !journal.eq_ignore_ascii_case("wal")
            || synchronous != 2
            || foreign_keys != 1
            || busy_timeout <= 0
        {
            bail!(
                "SQLite settings not in force: journal_mode={journal}, synchronous={synchronous}, \
                 foreign_keys={foreign_keys}, busy_timeout={busy_timeout} (need wal, 2=FULL, 1, >0)"
            );
        }
        Ok(())
    }

    pub fn engine(&self) -> Engine {
        self.engine
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// This server's name on the change feed (see `storage/change_feed.rs`).
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// The URL the change feed listens through; `None` on SQLite (one server, no feed).
    pub fn listen_url(&self) -> Option<&str> {
        self.listen_url.as_deref()
    }

    /// Starts a read-only transaction whose reads all see the database as of its first read
    /// (SQLite WAL read transactions do; PostgreSQL needs REPEATABLE READ for it).
    pub async fn begin_snapshot(&self) -> Result<Transaction<'static, Any>, sqlx::Error> {
        match self.engine {
            Engine::Sqlite => self.pool.begin().await,
            Engine::Postgres => {
                self.pool
                    .begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
                    .await
            }
        }
    }

    /// Starts a transaction for writes that must not race (see `WriteTx`).
    pub async fn begin_write(&self) -> Result<WriteTx, sqlx::Error> {
        match self.engine {
            Engine::Sqlite => self.writer.begin_with("BEGIN IMMEDIATE").await,
            // One round trip for both: the check-in writer begins a transaction per batch.
            Engine::Postgres => {
                self.writer
                    .begin_with(format!(
                        "BEGIN; SELECT pg_advisory_xact_lock({POSTGRES_WRITE_LOCK_KEY})"
                    ))
                    .await
            }
        }
    }

    pub async fn ping(&self) -> Result<(), sqlx::Error> {
        sqlx::query("select 1")
            .execute(&self.pool)
            .await
            .map(|_| ())
    }

    pub async fn close(&self) {
        if let Some(checkpointer) = &self.checkpointer {
            checkpointer.task.abort();
            checkpointer.pool.close().await;
        }
        self.pool.close().await;
        self.writer.close().await;
    }
}

/// `text` with its `%XX` escapes decoded (a URL's path or password); anything else is kept.
pub fn percent_decoded(text: &str) -> String {
    let mut bytes = Vec::with_capacity(text.len());
    let mut rest = text.as_bytes();
    while let Some((&byte, after)) = rest.split_first() {
        let escaped = (byte == b'%')
            .then(|| after.get(..2))
            .flatten()
            .and_then(|hex| u8::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok());
        match escaped {
            Some(decoded) => {
                bytes.push(decoded);
                rest = &after[2..];
            }
            None => {
                bytes.push(byte);
                rest = after;
            }
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

/// Milliseconds since the Unix epoch, the one time unit stored in the database.
pub fn now_ms() -> i64 {
    let since_epoch = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    i64::try_from(since_epoch.as_millis()).unwrap_or(i64::MAX)
}

/// A stored value the domain cannot read, named by its column.
pub(crate) fn decode_error(column: &str, message: String) -> sqlx::Error {
    sqlx::Error::ColumnDecode {
        index: column.to_string(),
        source: message.into(),
    }
}

/// A code column's value as its domain type; a code the domain does not know is a decode error
/// naming the column (a row written by a newer version, or edited by hand).
pub(crate) fn known_code<T>(value: Option<T>, column: &str) -> Result<T, sqlx::Error> {
    value.ok_or_else(|| sqlx::Error::Decode(format!("unknown code in {column}").into()))
}

#[cfg(test)]
mod tests {
    use super::{padded_to_power_of_two, percent_decoded, Db, Engine};

    #[test]
    fn a_sqlite_path_with_url_characters_survives_its_url() {
        let file = std::path::Path::new("/media/USB 100%/bầu cử #2?/cutri.db");
        let url = Db::sqlite_url_of(file, "rw");
        assert!(url.ends_with("?mode=rw"), "{url}");
        assert_eq!(Db::sqlite_file_of(&url).as_deref(), Some(file));
        assert_eq!(Db::sqlite_file_of("postgres://x@y/z"), None);
        assert_eq!(percent_decoded("a%2"), "a%2");
    }

    #[test]
    fn multi_row_parameters_are_anonymous_on_sqlite_and_numbered_on_postgres() {
        assert_eq!(
            Engine::Sqlite.rows_of_parameters(2, 3),
            "(?, ?, ?), (?, ?, ?)"
        );
        assert_eq!(
            Engine::Postgres.rows_of_parameters(2, 3),
            "($1, $2, $3), ($4, $5, $6)"
        );
        assert_eq!(Engine::Postgres.parameters(2, 3), "$2, $3, $4");
    }

    #[test]
    fn in_lists_are_padded_with_their_last_value_to_a_power_of_two() {
        assert_eq!(padded_to_power_of_two::<i64>(&[]), Vec::<i64>::new());
        assert_eq!(padded_to_power_of_two(&[7]), vec![7]);
        assert_eq!(padded_to_power_of_two(&[1, 2, 3]), vec![1, 2, 3, 3]);
        assert_eq!(padded_to_power_of_two(&[1, 2, 3, 4]), vec![1, 2, 3, 4]);
        let lengths: std::collections::HashSet<usize> = (1..=256)
            .map(|n| padded_to_power_of_two(&vec![0; n]).len())
            .collect();
        assert_eq!(lengths.len(), 9);
    }

    #[test]
    fn a_statement_never_exceeds_the_parameter_limit() {
        for (engine, limit) in [(Engine::Sqlite, 32_766), (Engine::Postgres, 65_535)] {
            for arity in [1, 3, 10, 11, 23, 100, 1_000] {
                let rows = engine.rows_per_statement(arity);
                assert!(
                    rows >= 1 && rows * arity <= limit,
                    "{engine:?} {arity}: {rows}"
                );
            }
        }
        assert_eq!(Engine::Sqlite.rows_per_statement(100), 327);
    }
}
