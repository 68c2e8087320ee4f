//! The header every page shares: brand, navigation by permission, user menu, language.

use leptos::prelude::*;

use crate::auth::api::{Logout, SetLanguage};
use crate::domain::role::Permission;
use crate::domain::user::AuthUser;
use crate::i18n::{role_label, Msg};
use crate::locale::Locale;
use crate::ui::guard::use_current_user;
use crate::ui::widgets::{reload_to, t, use_locale};

/// Top-level areas of the application, each behind the permission it needs.
/// The product's areas: name, address, who may enter, and what the start page says of them.
pub const AREAS: [(Msg, &str, Permission, Msg); 5] = [
    (
        Msg::NavVoters,
        "/voters",
        Permission::ManageVoterLists,
        Msg::TileVotersHint,
    ),
    (
        Msg::NavElectionDay,
        "/election-day",
        Permission::CheckInVoters,
        Msg::TileElectionDayHint,
    ),
    (
        Msg::NavResults,
        "/results",
        Permission::ViewTallies,
        Msg::TileResultsHint,
    ),
    (
        Msg::NavMeetings,
        "/meetings",
        Permission::ManageMeetings,
        Msg::TileMeetingsHint,
    ),
    (
        Msg::NavAdmin,
        "/admin/users",
        Permission::ManageUsers,
        Msg::TileAdminHint,
    ),
];

#[component]
pub fn Header() -> impl IntoView {
    let user = use_current_user().0;
    view! {
        <header class="app-header">
            <a class="skip-link" href="#main" rel="external">{t(Msg::SkipToContent)}</a>
            <a class="brand" href="/">{t(Msg::AppShortName)}</a>
            <Suspense fallback=|| ()>
                {move || user.get().and_then(Result::ok).flatten().map(|user| view! { <SignedInBar user/> })}
            </Suspense>
            <LanguageSwitch/>
        </header>
    }
}

#[component]
fn SignedInBar(user: AuthUser) -> impl IntoView {
    let logout = ServerAction::<Logout>::new();
    Effect::new(move |_| {
        if let Some(Ok(())) = logout.value().get() {
            reload_to("/login");
        }
    });
    let links = AREAS
        .into_iter()
        .filter(|(_, _, permission, _)| user.role.can(*permission))
        .map(|(label, href, _, _)| view! { <li><a href=href>{t(label)}</a></li> })
        .collect_view();
    view! {
        <nav class="main-nav" aria-label=t(Msg::AppShortName)>
            <ul>{links}</ul>
        </nav>
        <div id="user-menu" class="user-menu">
            <a href="/account" class="user-name">
                <span>{user.display_name.clone()}</span>
                <small>{t(role_label(user.role))}</small>
            </a>
            <ActionForm action=logout>
                <button id="logout" type="submit" class="button secondary">{t(Msg::Logout)}</button>
            </ActionForm>
        </div>
    }
}

#[component]
fn LanguageSwitch() -> impl IntoView {
    let set_language = ServerAction::<SetLanguage>::new();
    Effect::new(move |_| {
        if let Some(Ok(())) = set_language.value().get() {
            #[cfg(feature = "hydrate")]
            if let Some(path) = web_sys::window().and_then(|w| w.location().pathname().ok()) {
                reload_to(&path);
            }
        }
    });
    let current = use_locale();
    let button = move |locale: Locale, label: &'static str| {
        view! {
            <button
                id=format!("lang-{}", locale.code())
                type="submit"
                name="lang"
                value=locale.code()
                class="lang-button"
                aria-pressed=(current == locale).to_string()
            >
                {label}
            </button>
        }
    };
    view! {
        <ActionForm action=set_language attr:class="language-switch" attr:aria-label=t(Msg::Language)>
            {button(Locale::Vi, "Tiếng Việt")}
            {button(Locale::En, "English")}
        </ActionForm>
    }
}
