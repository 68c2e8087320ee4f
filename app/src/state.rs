//! What every request shares: the database, the engines, the server's settings. Services take
//! `&AppState` (or the part they need); server functions get it with `app_state()`.

use std::sync::{Arc, Mutex};

use leptos::prelude::use_context;

use crate::error::AppError;
use crate::storage::db::Db;

/// Shared by every request.
#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub setup: SetupGate,
    /// Mark cookies `Secure` (served over TLS, directly or behind a proxy).
    pub secure_cookies: bool,
    /// Uploaded voter files awaiting review.
    pub import_staging: crate::engine::import_staging::ImportStaging,
    /// The one writer of election-day check-ins (group commit).
    pub check_in_desk: crate::engine::checkin_desk::CheckInDesk,
    /// Live turnout counts pushed to the dashboards.
    pub tallies: crate::engine::tally::TallyBoard,
    /// Voter names in memory for fast search; the database stays the source of truth.
    pub search_index: crate::engine::search_index::SearchIndex,
    /// Sessions read in the last moments (see `session_cache`).
    pub sessions: crate::engine::session_cache::SessionCache,
    /// The backup folder and schedule (the page's "Sao lưu ngay" and the automatic backups).
    pub backups: crate::engine::backups::Backups,
    /// Request budgets of the sign-in endpoint.
    pub login_limits: crate::engine::login_limits::LoginLimits,
    /// Whether this server hears what the others commit (PostgreSQL).
    pub change_feed: crate::engine::change_feed::ChangeFeed,
}

/// The one-time token that lets the first administrator be created. Open only while the
/// database has no account; the token is printed in the server log at start-up.
#[derive(Clone, Default)]
pub struct SetupGate(Arc<Mutex<Option<String>>>);

impl SetupGate {
    pub fn open(token: String) -> SetupGate {
        SetupGate(Arc::new(Mutex::new(Some(token))))
    }

    pub fn closed() -> SetupGate {
        SetupGate::default()
    }

    pub fn accepts(&self, candidate: &str) -> bool {
        let guard = self
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        guard
            .as_deref()
            .is_some_and(|token| crate::token::constant_time_eq(token, candidate))
    }

    pub fn is_open(&self) -> bool {
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .is_some()
    }

    pub fn close(&self) {
        *self
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = None;
    }
}

pub fn app_state() -> Result<AppState, AppError> {
    use_context::<AppState>().ok_or_else(|| AppError::internal("AppState missing from context"))
}
