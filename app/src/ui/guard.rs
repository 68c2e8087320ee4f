//! Page-level access: a page wrapped in `RequirePermission` renders only for users holding the
//! permission. The server functions behind the page check again; this only decides what to show
//! (and, during server rendering, the HTTP status: 403, or a redirect to the login page).

use leptos::prelude::*;
use leptos_router::components::Redirect;

use super::status_pages::{ErrorPanel, Forbidden};
use crate::auth::AuthUser;
use crate::domain::role::Permission;
use crate::error::AppError;

/// The signed-in user, loaded once per page load by the shell.
#[derive(Clone, Copy)]
pub struct CurrentUser(pub Resource<Result<Option<AuthUser>, AppError>>);

pub fn use_current_user() -> CurrentUser {
    expect_context::<CurrentUser>()
}

/// Renders `children` with the user when they may; `None` as permission means any signed-in user.
#[component]
pub fn RequirePermission<V>(
    #[prop(optional)] permission: Option<Permission>,
    children: impl Fn(AuthUser) -> V + Send + Sync + 'static,
) -> impl IntoView
where
    V: IntoView + 'static,
{
    let CurrentUser(user) = use_current_user();
    let children = std::sync::Arc::new(children);
    view! {
        <Suspense fallback=|| ()>
            {move || {
                let children = children.clone();
                user.get().map(move |result| match result {
                    Ok(Some(user)) if permission.is_none_or(|p| user.role.can(p)) => children(user).into_any(),
                    Ok(Some(_)) => view! { <Forbidden/> }.into_any(),
                    Ok(None) => view! { <Redirect path="/login"/> }.into_any(),
                    Err(error) => view! { <ErrorPanel error/> }.into_any(),
                })
            }}
        </Suspense>
    }
}
