//! The cutri HTTP server: configuration, start-up, the security and session layers, and the
//! routes that are not Leptos pages. `launch` starts it on any listener, so the integration
//! tests run the real server in-process.

pub mod backup;
pub mod cli;
mod client_addr;
pub mod config;
mod documents;
pub mod generator;
mod http_layers;
mod live;
pub mod pdf;
mod routes;
mod site;

use std::future::Future;

use anyhow::Context;
use app::state::{AppState, SetupGate};
use app::storage::Db;
use axum::Router;
use tokio::net::TcpListener;

pub use config::Config;

/// A server ready to serve: its router and the state shared with the tests.
pub struct Prepared {
    pub router: Router,
    pub state: AppState,
    /// The first-run setup token, when the database has no account yet.
    pub setup_token: Option<String>,
    /// Minutes between automatic backups, when they are on.
    pub backup_schedule: Option<u64>,
}

/// Opens the database (migrating it) and builds the router.
pub async fn prepare(config: &Config) -> anyhow::Result<Prepared> {
    let db = Db::connect(&config.database_url).await?;
    let has_users = app::storage::users::any_exist(db.pool())
        .await
        .context("cannot read accounts")?;
    let setup_token = (!has_users).then(app::token::new_secret);
    let setup = setup_token
        .clone()
        .map(SetupGate::open)
        .unwrap_or_else(SetupGate::closed);
    // Listening before anything is read into memory: what others commit meanwhile is heard.
    let subscription = app::engine::change_feed::Subscription::open(&db)
        .await
        .context("cannot listen to the database's change feed")?;
    let search_index = app::engine::search_index::SearchIndex::load(&db)
        .await
        .context("cannot build the voter search index")?;
    let tallies = app::engine::tally::TallyBoard::new(db.clone());
    // Counted now rather than on the first check-in of the day: a million-voter ward takes a
    // second or two, which would hold up the first check-ins and dashboards.
    for election in app::storage::voters::elections(db.pool())
        .await
        .context("cannot read the elections")?
    {
        tallies
            .turnout(election.id)
            .await
            .context("cannot count the turnout")?;
    }
    let check_in_desk = app::engine::checkin_desk::CheckInDesk::start(db.clone(), tallies.clone());
    let sessions = app::engine::session_cache::SessionCache::default();
    let change_feed = subscription
        .map(|subscription| {
            subscription.start(app::engine::change_feed::Followers {
                db: db.clone(),
                tallies: tallies.clone(),
                search_index: search_index.clone(),
                sessions: sessions.clone(),
            })
        })
        .unwrap_or_default();
    let state = AppState {
        check_in_desk,
        tallies,
        db,
        setup,
        secure_cookies: config.secure_cookies,
        import_staging: Default::default(),
        search_index,
        sessions,
        login_limits: app::engine::login_limits::LoginLimits::new(&config.login_budgets),
        backups: backup::backups(config),
        change_feed,
    };
    app::engine::password::warm_up();
    let fonts = pdf::Fonts::load(None)
        .map(std::sync::Arc::new)
        .map_err(|error| {
            tracing::warn!(%error, "PDF documents are unavailable until the fonts are installed");
            error.to_string()
        });
    let router = routes::router(config, state.clone(), fonts);
    if let Some(schedule) = config.backup_schedule {
        tracing::info!(
            folder = %config.backup_dir.path.display(),
            every_minutes = schedule.every_minutes,
            keep = schedule.keep,
            "automatic backups on"
        );
    }
    Ok(Prepared {
        router,
        state,
        setup_token,
        backup_schedule: config.backup_schedule.map(|s| s.every_minutes),
    })
}

/// A SQLite file is served by one process at a time: each server keeps the search index, the
/// tallies and the check-in numbering in memory and would not see another's writes (several
/// servers need PostgreSQL). Held for the life of the returned file; the lock is the kernel's, so
/// a server that was killed leaves none behind. `None` for PostgreSQL. Other commands (`backup`,
/// `audit verify`) do not take it: they run beside the server.
pub fn claim_sqlite_file(database_url: &str) -> anyhow::Result<Option<std::fs::File>> {
    let Some(database) = Db::sqlite_file_of(database_url) else {
        return Ok(None);
    };
    let mut name = database.file_name().unwrap_or_default().to_os_string();
    name.push(".serving");
    let lock_path = database.with_file_name(name);
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock_path)
        .with_context(|| format!("cannot open {}", lock_path.display()))?;
    match file.try_lock() {
        Ok(()) => Ok(Some(file)),
        Err(std::fs::TryLockError::WouldBlock) => anyhow::bail!(
            "một máy chủ cutri khác đang chạy trên tệp dữ liệu {} (another cutri server is \
             serving this database). SQLite chỉ cho một máy chủ; muốn chạy nhiều máy chủ, hãy \
             dùng PostgreSQL (README) / SQLite serves one server; use PostgreSQL for several.",
            database.display()
        ),
        Err(std::fs::TryLockError::Error(error)) => {
            Err(error).with_context(|| format!("cannot lock {}", lock_path.display()))
        }
    }
}

/// Serves until `shutdown` completes, then lets in-flight requests finish.
pub async fn launch(
    listener: TcpListener,
    prepared: Prepared,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let purge_db = prepared.state.db.clone();
    let login_limits = prepared.state.login_limits.clone();
    let purger = tokio::spawn(async move {
        let mut every = tokio::time::interval(std::time::Duration::from_secs(600));
        loop {
            every.tick().await;
            login_limits.forget_idle();
            match app::auth::service::purge_expired_sessions(&purge_db).await {
                Ok(0) => {}
                Ok(removed) => tracing::info!(removed, "expired sessions removed"),
                Err(error) => tracing::warn!(%error, "could not remove expired sessions"),
            }
        }
    });
    // Official turnout report times: the snapshot of each is taken within ~20 s of it.
    let report_db = prepared.state.db.clone();
    let report_tallies = prepared.state.tallies.clone();
    let reporter = tokio::spawn(async move {
        let mut every = tokio::time::interval(std::time::Duration::from_secs(20));
        loop {
            every.tick().await;
            if let Err(error) =
                app::turnout::service::snapshot_today(&report_db, &report_tallies).await
            {
                tracing::warn!(%error, "could not take the turnout snapshots");
            }
        }
    });
    let backups = prepared.backup_schedule.map(|every_minutes| {
        backup::start_schedule(
            prepared.state.backups.clone(),
            prepared.state.db.clone(),
            every_minutes,
        )
    });
    // Given a `Router`, `serve` copies its whole route table for every connection (about
    // 100 kB here: 90 MB of the server's memory with 830 connections open on election day).
    // Routes made ready once and shared by every connection instead:
    // With each connection's peer address: the sign-in budgets and lockout are per address.
    let routes = prepared
        .router
        .with_state(())
        .into_make_service_with_connect_info::<std::net::SocketAddr>();
    let served = axum::serve(listener, routes)
        .with_graceful_shutdown(shutdown)
        .await;
    purger.abort();
    reporter.abort();
    if let Some(backups) = backups {
        backups.abort();
    }
    prepared.state.db.close().await;
    served.context("HTTP server failed")
}
