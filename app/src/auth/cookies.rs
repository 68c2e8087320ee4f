//! The cookies sign-in, sign-out and the language switch set.

use axum::http::header::SET_COOKIE;
use axum::http::HeaderValue;
use leptos::prelude::use_context;
use leptos_axum::ResponseOptions;

use crate::request::SESSION_COOKIE;

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

pub fn set_locale_cookie(locale: crate::locale::Locale, secure: bool) {
    let secure = if secure { "; Secure" } else { "" };
    set_cookie(format!(
        "{}={}; Path=/; SameSite=Strict; Max-Age=31536000{secure}",
        crate::locale::LOCALE_COOKIE,
        locale.code()
    ));
}
