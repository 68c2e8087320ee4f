//! Login, first-run setup and own-account pages.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::api::{setup_open, ChangePassword, Login, SetupFirstAdmin};
use crate::i18n::Msg;
use crate::ui::guard::{local_path, use_current_user, CurrentUser, GoTo, RequirePermission};
use crate::ui::widgets::{reload_to, t, FormOutcome};

/// Signing in returns to `?next=` (the page that sent the visitor here) when it is a path of
/// this site, else to the home page. A visitor already signed in who is sent here with a
/// `next` (the form posted without script comes back here) goes straight there.
#[component]
pub fn LoginPage() -> impl IntoView {
    let query = use_query_map();
    let destination = move || {
        query
            .read_untracked()
            .get("next")
            .and_then(|next| local_path(&next).map(str::to_owned))
            .unwrap_or_else(|| "/".to_string())
    };
    let login = ServerAction::<Login>::new();
    Effect::new(move |_| {
        if let Some(Ok(_)) = login.value().get() {
            reload_to(&destination());
        }
    });
    let CurrentUser(user) = use_current_user();
    let signed_in_with_next = move || {
        let has_next = query.read().get("next").is_some();
        (has_next && matches!(user.get(), Some(Ok(Some(_)))))
            .then(|| view! { <GoTo path=destination()/> })
    };
    view! {
        <Suspense fallback=|| ()>{signed_in_with_next}</Suspense>
        <section class="card narrow">
            <h1>{t(Msg::LoginTitle)}</h1>
            <ActionForm action=login attr:id="login-form" attr:class="stack">
                // Where a browser without script goes once signed in (the server sends it there).
                <input type="hidden" name="next" value=destination/>
                <label>
                    <span>{t(Msg::Username)}</span>
                    <input name="username" autocomplete="username" autocapitalize="none" required autofocus/>
                </label>
                <label>
                    <span>{t(Msg::Password)}</span>
                    <input name="password" type="password" autocomplete="current-password" required/>
                </label>
                <FormOutcome value=login.value()/>
                <button type="submit" class="button primary" disabled=move || login.pending().get()>
                    {t(Msg::Login)}
                </button>
            </ActionForm>
        </section>
    }
}

#[component]
pub fn SetupPage() -> impl IntoView {
    let query = use_query_map();
    let token = move || query.read().get("token").unwrap_or_default();
    let open = Resource::new_blocking(|| (), |_| setup_open());
    let setup = ServerAction::<SetupFirstAdmin>::new();
    Effect::new(move |_| {
        if let Some(Ok(_)) = setup.value().get() {
            reload_to("/");
        }
    });
    view! {
        <section class="card narrow">
            <h1>{t(Msg::SetupTitle)}</h1>
            <Suspense fallback=|| ()>
                {move || open.get().map(|open| match open {
                    Ok(true) => view! {
                        <p>{t(Msg::SetupIntro)}</p>
                        <ActionForm action=setup attr:id="setup-form" attr:class="stack">
                            <input type="hidden" name="token" value=token/>
                            <label>
                                <span>{t(Msg::Username)}</span>
                                <input name="username" autocomplete="username" autocapitalize="none" required/>
                            </label>
                            <label>
                                <span>{t(Msg::DisplayName)}</span>
                                <input name="display_name" autocomplete="name" required/>
                            </label>
                            <label>
                                <span>{t(Msg::Password)}</span>
                                <input name="password" type="password" autocomplete="new-password" minlength="10" required/>
                                <small>{t(Msg::PasswordHint)}</small>
                            </label>
                            <label>
                                <span>{t(Msg::PasswordConfirm)}</span>
                                <input name="password_confirm" type="password" autocomplete="new-password" minlength="10" required/>
                            </label>
                            <FormOutcome value=setup.value()/>
                            <button type="submit" class="button primary">{t(Msg::SetupCreate)}</button>
                        </ActionForm>
                    }.into_any(),
                    Ok(false) => {
                        let closed = crate::error::AppError::new(crate::error::ErrorCode::SetupUnavailable);
                        let text = crate::i18n::error_message(&closed, crate::ui::widgets::use_locale());
                        view! {
                            <p class="notice">{text}</p>
                            <a class="button primary" href="/login">{t(Msg::Login)}</a>
                        }.into_any()
                    }
                    Err(error) => view! { <crate::ui::status_pages::ErrorPanel error/> }.into_any(),
                })}
            </Suspense>
        </section>
    }
}

#[component]
pub fn AccountPage() -> impl IntoView {
    let change = ServerAction::<ChangePassword>::new();
    view! {
        <RequirePermission children=move |user| view! {
            <section class="card narrow">
                <h1>{t(Msg::NavAccount)}</h1>
                <p>{user.display_name.clone()}" ("{user.username.clone()}")"</p>
                <h2>{t(Msg::ChangePassword)}</h2>
                <ActionForm action=change attr:id="change-password-form" attr:class="stack">
                    <label>
                        <span>{t(Msg::CurrentPassword)}</span>
                        <input name="current" type="password" autocomplete="current-password" required/>
                    </label>
                    <label>
                        <span>{t(Msg::NewPassword)}</span>
                        <input name="new_password" type="password" autocomplete="new-password" minlength="10" required/>
                        <small>{t(Msg::PasswordHint)}</small>
                    </label>
                    <label>
                        <span>{t(Msg::PasswordConfirm)}</span>
                        <input name="confirm" type="password" autocomplete="new-password" minlength="10" required/>
                    </label>
                    <FormOutcome value=change.value() ok_text=Msg::PasswordChanged/>
                    <button type="submit" class="button primary">{t(Msg::ChangePassword)}</button>
                </ActionForm>
            </section>
        }/>
    }
}
