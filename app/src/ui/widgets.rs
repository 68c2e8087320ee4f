//! Small shared UI helpers.

use leptos::prelude::*;

use crate::error::AppError;
use crate::i18n::{error_message, Msg};
use crate::locale::Locale;

/// The language chosen for this page.
pub fn use_locale() -> Locale {
    use_context::<Locale>().unwrap_or_default()
}

/// Text of `msg` in the page's language.
pub fn t(msg: Msg) -> &'static str {
    msg.text(use_locale())
}

/// Percent-encodes a value for a URL's query string.
pub fn encode_query_value(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Full page load, used after signing in or out and after changing language so every part of
/// the page (and the server-rendered shell) reflects the new state.
pub fn reload_to(path: &str) {
    #[cfg(feature = "hydrate")]
    if let Some(window) = web_sys::window() {
        let _ = window.location().assign(path);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = path;
}

/// The outcome line under a form: the error in words, or `ok_text` after success.
#[component]
pub fn FormOutcome<T>(
    #[prop(into)] value: Signal<Option<Result<T, AppError>>>,
    #[prop(optional)] ok_text: Option<Msg>,
) -> impl IntoView
where
    T: Send + Sync + Clone + 'static,
{
    let locale = use_locale();
    move || match value.get() {
        Some(Err(error)) => {
            view! { <p class="form-error" role="alert">{error_message(&error, locale)}</p> }
                .into_any()
        }
        Some(Ok(_)) => ok_text
            .map(|msg| view! { <p class="form-ok" role="status">{msg.text(locale)}</p> }.into_any())
            .unwrap_or_else(|| ().into_any()),
        None => ().into_any(),
    }
}

/// Empties a form when its action succeeds from now on. The page re-renders in place after a
/// write, so the browser would otherwise keep what was typed, inviting the same entry twice.
pub fn reset_after_success<T: Clone + Send + Sync + 'static>(
    version: RwSignal<usize>,
    value: Signal<Option<Result<T, crate::error::AppError>>>,
) -> NodeRef<leptos::html::Form> {
    let form = NodeRef::<leptos::html::Form>::new();
    let seen = version.get_untracked();
    Effect::new(move |_| {
        let succeeded = matches!(value.get_untracked(), Some(Ok(_)));
        if version.get() != seen && succeeded {
            if let Some(form) = form.get_untracked() {
                form.reset();
            }
        }
    });
    form
}

/// An audited before or after, field by field in words (see `i18n::audit_words`).
#[component]
pub fn ChangeSummary(text: String) -> impl IntoView {
    let locale = use_locale();
    let lines = crate::i18n::audit_words::change_lines(&text, locale);
    match lines.as_slice() {
        [] => ().into_any(),
        [only] if only.label.is_empty() => only.value.clone().into_any(),
        _ => view! {
            <dl class="change">
                {lines.into_iter().map(|line| view! { <dt>{line.label}</dt><dd>{line.value}</dd> }).collect_view()}
            </dl>
        }
        .into_any(),
    }
}
