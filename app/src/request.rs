//! What a server function knows about its request: the signed-in user and what they may do,
//! where the request comes from, and the answer's status. The ground floor of every feature:
//! each server function starts with `require` and answers through `respond`.

use crate::domain::ids::AreaId;
use axum::http::header::{LOCATION, RETRY_AFTER};
use axum::http::{HeaderValue, StatusCode};
use leptos::prelude::*;
use leptos_axum::ResponseOptions;

use crate::domain::audit::{AuditAction, AuditSubject};
use crate::domain::role::{Permission, Role};
use crate::domain::user::AuthUser;
use crate::error::{AppError, ErrorCode};
use crate::storage::audit::{self, Actor, AuditEntry};
use crate::storage::db::{now_ms, WriteTx};

pub const SESSION_COOKIE: &str = "cutri_session";

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

/// The session the request carried, resolved by the server's session layer.
#[derive(Clone, Debug)]
pub struct CurrentSession {
    pub user: AuthUser,
    pub token_hash: String,
    /// The polling areas of a station account (empty for the other roles), read with the
    /// session.
    pub assigned_areas: Vec<AreaId>,
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
        crate::error::set_status_of(error.code);
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
        ErrorCode::ServerBusy => Some(crate::engine::password::RETRY_AFTER_SECONDS),
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

/// Station users work only at their assigned polling areas; list keepers (admin) anywhere.
pub fn require_area(session: &CurrentSession, area_id: AreaId) -> Result<(), AppError> {
    if works_at(session, area_id) {
        Ok(())
    } else {
        Err(ErrorCode::Forbidden.into())
    }
}

/// Whether the user works at the polling area: an administrator at every one, station staff at
/// those assigned to them, nobody else at any.
pub fn works_at(session: &CurrentSession, area_id: AreaId) -> bool {
    match session.user.role {
        Role::Admin => true,
        Role::Station => session.assigned_areas.contains(&area_id),
        Role::Organizer | Role::Viewer => false,
    }
}

/// Who the audit log names for a change made in this session.
pub fn actor(session: &CurrentSession) -> Actor {
    Actor {
        user_id: Some(session.user.id),
        username: session.user.username.clone(),
    }
}

/// Records, in the change's own transaction, that the signed-in user made it.
pub async fn audit(
    tx: &mut WriteTx,
    session: &CurrentSession,
    action: AuditAction,
    subject: AuditSubject,
    before: String,
    after: String,
) -> Result<(), AppError> {
    let entry = AuditEntry {
        actor: &actor(session),
        action,
        entity: subject,
        before,
        after,
    };
    audit::append(tx, entry, now_ms()).await?;
    Ok(())
}
