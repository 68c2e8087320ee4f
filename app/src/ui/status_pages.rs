//! 403, 404 and error pages. During server rendering they also set the HTTP status.

use leptos::prelude::*;

use super::widgets::t;
use crate::i18n::Msg;

fn set_status(code: u16) {
    #[cfg(feature = "ssr")]
    if let (Some(response), Ok(status)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        axum::http::StatusCode::from_u16(code),
    ) {
        response.set_status(status);
    }
    #[cfg(not(feature = "ssr"))]
    let _ = code;
}

#[component]
pub fn Forbidden() -> impl IntoView {
    set_status(403);
    view! {
        <section class="status-page">
            <h1>{t(Msg::ForbiddenTitle)}</h1>
            <p>{t(Msg::ForbiddenText)}</p>
            <a class="button" href="/">{t(Msg::BackHome)}</a>
        </section>
    }
}

#[component]
pub fn NotFound() -> impl IntoView {
    set_status(404);
    view! {
        <section class="status-page">
            <h1>{t(Msg::NotFoundTitle)}</h1>
            <p>{t(Msg::NotFoundText)}</p>
            <a class="button" href="/">{t(Msg::BackHome)}</a>
        </section>
    }
}

/// A failure while loading a page's data; internal errors show only their reference id.
#[component]
pub fn ErrorPanel(error: crate::error::AppError) -> impl IntoView {
    set_status(error.code.http_status());
    let text = crate::i18n::error_message(&error, super::widgets::use_locale());
    view! {
        <section class="status-page">
            <h1>{t(Msg::ErrorTitle)}</h1>
            <p role="alert">{text}</p>
            <a class="button" href="/">{t(Msg::BackHome)}</a>
        </section>
    }
}
