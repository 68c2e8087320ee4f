//! What a server function knows about its request: the shared state, the signed-in user, the
//! response it may add cookies and a status to.

use std::sync::{Arc, Mutex};

use axum::http::header::{LOCATION, RETRY_AFTER, SET_COOKIE};
use axum::http::{HeaderValue, StatusCode};
use leptos::prelude::*;
use leptos_axum::ResponseOptions;

use super::AuthUser;
use crate::domain::role::Permission;
use crate::error::{AppError, ErrorCode};
use crate::storage::Db;

pub const SESSION_COOKIE: &str = "cutri_session";

/// Shared by every request.
#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub setup: SetupGate,
    /// Mark cookies `Secure` (served over TLS, directly or behind a proxy).
    pub secure_cookies: bool,
    /// Uploaded voter files awaiting review.
    pub import_staging: crate::voters::staging::ImportStaging,
    /// The one writer of election-day check-ins (group commit).
    pub check_in_desk: crate::checkin::desk::CheckInDesk,
    /// Live turnout counts pushed to the dashboards.
    pub tallies: crate::checkin::tally::TallyBoard,
    /// Voter names in memory for fast search; the database stays the source of truth.
    pub search_index: crate::voters::search_index::SearchIndex,
    /// Sessions read in the last moments (see `session_cache`).
    pub sessions: super::session_cache::SessionCache,
    /// The backup folder and schedule (the page's "Sao lưu ngay" and the automatic backups).
    pub backups: crate::admin::backup::Backups,
    /// Request budgets of the sign-in endpoint.
    pub login_limits: super::login_limits::LoginLimits,
}

/// The address a request comes from, put into its extensions by the server: the TCP peer, or
/// what a trusted proxy in front forwarded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClientAddr(pub std::net::IpAddr);

/// The request's source address. A request without one (none reaches the app that way) is
/// budgeted as one shared unknown address.
pub fn client_address() -> std::net::IpAddr {
    use_context::<http::request::Parts>().map_or_else(ClientAddr::unknown, |parts| {
        ClientAddr::of(&parts.extensions)
    })
}

impl ClientAddr {
    /// The address the server put into a request's extensions.
    pub fn of(extensions: &http::Extensions) -> std::net::IpAddr {
        extensions
            .get::<ClientAddr>()
            .map_or_else(ClientAddr::unknown, |ClientAddr(address)| *address)
    }

    fn unknown() -> std::net::IpAddr {
        std::net::IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED)
    }
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
            .is_some_and(|token| super::token::constant_time_eq(token, candidate))
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

/// The session the request carried, resolved by the server's session layer.
#[derive(Clone, Debug)]
pub struct CurrentSession {
    pub user: AuthUser,
    pub token_hash: String,
    /// The polling areas of a station account (empty for the other roles), read with the
    /// session.
    pub assigned_areas: Vec<i64>,
}

pub fn app_state() -> Result<AppState, AppError> {
    use_context::<AppState>().ok_or_else(|| AppError::internal("AppState missing from context"))
}

pub fn current_session() -> Option<CurrentSession> {
    use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<CurrentSession>().cloned())
}

/// The signed-in user if they hold `permission`; otherwise the refusal (401 or 403).
pub fn require(permission: Permission) -> Result<CurrentSession, AppError> {
    let session = require_signed_in()?;
    if session.user.role.can(permission) {
        Ok(session)
    } else {
        tracing::warn!(user = %session.user.username, ?permission, "permission refused");
        Err(ErrorCode::Forbidden.into())
    }
}

pub fn require_signed_in() -> Result<CurrentSession, AppError> {
    current_session().ok_or_else(|| ErrorCode::NotSignedIn.into())
}

/// Gives a failed server function the HTTP status of its error. Every server function returns
/// through this, so refusals are 401/403/422 on the wire, not 500.
pub fn respond<T>(result: Result<T, AppError>) -> Result<T, AppError> {
    if let Err(error) = &result {
        set_status_of(error.code);
        if let (Some(response), Some(seconds)) =
            (use_context::<ResponseOptions>(), retry_after_seconds(error))
        {
            response.insert_header(RETRY_AFTER, HeaderValue::from(seconds));
        }
    }
    result
}

/// `Retry-After` of the refusals that end by themselves.
pub fn retry_after_seconds(error: &AppError) -> Option<u64> {
    match error.code {
        ErrorCode::ServerBusy => Some(super::password::RETRY_AFTER_SECONDS),
        ErrorCode::AccountLocked | ErrorCode::TooManyRequests => {
            let wait_ms = error.until_ms? - crate::storage::db::now_ms();
            Some(
                u64::try_from(wait_ms.max(0))
                    .unwrap_or(0)
                    .div_ceil(1000)
                    .max(1),
            )
        }
        _ => None,
    }
}

/// Gives the response being made the HTTP status of `code`.
pub fn set_status_of(code: ErrorCode) {
    if let Some(response) = use_context::<ResponseOptions>() {
        let status =
            StatusCode::from_u16(code.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        response.set_status(status);
    }
}

/// Answers the page being rendered with `303 See Other` to `path`, a path of this site. Not
/// leptos_axum's `redirect`, which sets the status only for requests that say they accept HTML
/// and otherwise answers 200 with a `Location` header.
pub fn see_other(path: &str) {
    if let (Some(response), Ok(location)) = (
        use_context::<ResponseOptions>(),
        HeaderValue::from_str(path),
    ) {
        response.set_status(StatusCode::SEE_OTHER);
        response.insert_header(LOCATION, location);
    }
}

fn set_cookie(value: String) {
    if let (Some(response), Ok(header)) = (
        use_context::<ResponseOptions>(),
        HeaderValue::from_str(&value),
    ) {
        response.append_header(SET_COOKIE, header);
    }
}

/// The cookie of a new session; it lasts as long as the session can.
pub fn set_session_cookie(signed_in: &super::service::SignedIn, secure: bool) {
    let secret = &signed_in.secret;
    let max_age = (signed_in.expires_at_ms - crate::storage::db::now_ms()).max(0) / 1000;
    let secure = if secure { "; Secure" } else { "" };
    set_cookie(format!(
        "{SESSION_COOKIE}={secret}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age}{secure}"
    ));
}

pub fn clear_session_cookie(secure: bool) {
    let secure = if secure { "; Secure" } else { "" };
    set_cookie(format!(
        "{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0{secure}"
    ));
}

pub fn set_locale_cookie(locale: crate::i18n::Locale, secure: bool) {
    let secure = if secure { "; Secure" } else { "" };
    set_cookie(format!(
        "{}={}; Path=/; SameSite=Strict; Max-Age=31536000{secure}",
        crate::i18n::LOCALE_COOKIE,
        locale.code()
    ));
}

/// Station users work only at their assigned polling areas; list keepers (admin) anywhere.
pub fn require_area(session: &CurrentSession, area_id: i64) -> Result<(), AppError> {
    if works_at(session, area_id) {
        Ok(())
    } else {
        Err(ErrorCode::Forbidden.into())
    }
}

/// Whether the user works at the polling area: an administrator at every one, station staff at
/// those assigned to them, nobody else at any.
pub fn works_at(session: &CurrentSession, area_id: i64) -> bool {
    use crate::domain::role::Role;
    match session.user.role {
        Role::Admin => true,
        Role::Station => session.assigned_areas.contains(&area_id),
        Role::Organizer | Role::Viewer => false,
    }
}
