//! Server functions for signing in and out, first-run setup, own password and language.
//! Fixed endpoints under /api so tests, scripts and the permission matrix can name them.

use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::auth::service;
use crate::domain::user::AuthUser;
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::request::respond;
#[cfg(feature = "ssr")]
use crate::state::app_state;

/// The signed-in user, if any. Public: the shell needs it to choose what to show.
#[server(prefix = "/api", endpoint = "auth/whoami")]
pub async fn whoami() -> Result<Option<AuthUser>, AppError> {
    Ok(crate::request::current_session().map(|session| session.user))
}

/// `next`: where the login page was to send the visitor afterwards (its `?next=`), for a browser
/// without script; the hydrated page goes there by itself.
#[server(prefix = "/api", endpoint = "auth/login")]
pub async fn login(
    username: String,
    password: String,
    #[server(default)] next: String,
) -> Result<AuthUser, AppError> {
    let signed_in: Result<AuthUser, AppError> = async {
        let state = app_state()?;
        if let Some(previous) = crate::request::current_session() {
            let ended = service::logout(&state.db, &previous).await;
            state.sessions.forget_all();
            ended?;
        }
        let client = crate::request::client_address();
        let signed_in =
            service::login(&state.db, &state.login_limits, client, &username, &password).await?;
        crate::auth::cookies::set_session_cookie(&signed_in, state.secure_cookies);
        Ok(signed_in.user)
    }
    .await;
    // The form posted without script (the browser asks for HTML): signed in, it goes on to
    // `next`; refused, it is sent back to the login page, which shows why (the server function's
    // own redirect, which an error status would turn into a bare JSON page).
    if is_plain_form_post() {
        if signed_in.is_ok() {
            let next = crate::ui::guard::local_path(&next).unwrap_or("/");
            crate::request::see_other(next);
        }
        return signed_in;
    }
    respond(signed_in)
}

/// A form a browser sent by itself, without script: it asks for HTML, which the server
/// functions' own client never does.
#[cfg(feature = "ssr")]
fn is_plain_form_post() -> bool {
    use_context::<http::request::Parts>().is_some_and(|parts| {
        parts
            .headers
            .get(http::header::ACCEPT)
            .and_then(|accept| accept.to_str().ok())
            .is_some_and(|accept| accept.contains("text/html"))
    })
}

#[server(prefix = "/api", endpoint = "auth/logout")]
pub async fn logout() -> Result<(), AppError> {
    respond(
        async {
            let state = app_state()?;
            let session = crate::request::require_signed_in()?;
            let ended = service::logout(&state.db, &session).await;
            state.sessions.forget_all();
            ended?;
            crate::auth::cookies::clear_session_cookie(state.secure_cookies);
            Ok(())
        }
        .await,
    )
}

/// Whether the first-run setup page may still be used (no account exists yet).
#[server(prefix = "/api", endpoint = "auth/setup-status")]
pub async fn setup_open() -> Result<bool, AppError> {
    respond(app_state().map(|state| state.setup.is_open()))
}

#[server(prefix = "/api", endpoint = "auth/setup")]
pub async fn setup_first_admin(
    token: String,
    username: String,
    display_name: String,
    password: String,
    password_confirm: String,
) -> Result<AuthUser, AppError> {
    respond(
        async {
            let state = app_state()?;
            let input = service::AccountInput {
                username,
                display_name,
                role: crate::domain::role::Role::Admin,
                password,
            };
            let signed_in = service::setup_first_admin(
                &state.db,
                &state.setup,
                &token,
                input,
                &password_confirm,
            )
            .await?;
            crate::auth::cookies::set_session_cookie(&signed_in, state.secure_cookies);
            Ok(signed_in.user)
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "auth/change-password")]
pub async fn change_password(
    current: String,
    new_password: String,
    confirm: String,
) -> Result<(), AppError> {
    respond(
        async {
            let state = app_state()?;
            let session = crate::request::require_signed_in()?;
            let signed_in = service::change_own_password(
                &state.db,
                &state.login_limits.hash_gate,
                &session,
                &current,
                &new_password,
                &confirm,
            )
            .await;
            state.sessions.forget_all();
            let signed_in = signed_in?;
            crate::auth::cookies::set_session_cookie(&signed_in, state.secure_cookies);
            Ok(())
        }
        .await,
    )
}

/// Remembers the UI language in a cookie. Public: the login page offers it too.
#[server(prefix = "/api", endpoint = "ui/language")]
pub async fn set_language(lang: String) -> Result<(), AppError> {
    respond(
        async {
            let state = app_state()?;
            let locale = crate::locale::Locale::parse(&lang).unwrap_or_default();
            crate::auth::cookies::set_locale_cookie(locale, state.secure_cookies);
            Ok(())
        }
        .await,
    )
}
