//! Page-level access: a page wrapped in `RequirePermission` renders only for users holding the
//! permission. The server functions behind the page check again; this only decides what to show
//! (and, during server rendering, the HTTP status: 403, or a redirect to the login page).

use leptos::prelude::*;
use leptos_router::hooks::use_location;

use super::status_pages::{ErrorPanel, Forbidden};
use crate::domain::role::Permission;
use crate::domain::user::AuthUser;
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
                    Ok(None) => view! { <SignInFirst/> }.into_any(),
                    Err(error) => view! { <ErrorPanel error/> }.into_any(),
                })
            }}
        </Suspense>
    }
}

/// Sends a visitor who is not signed in to the login page, which brings them back here once
/// they are.
#[component]
fn SignInFirst() -> impl IntoView {
    let location = use_location();
    let path = login_path(
        &location.pathname.get_untracked(),
        &location.search.get_untracked(),
    );
    view! { <GoTo path/> }
}

/// Leaves for `path`, a path of this site: a `303 See Other` on the server, a page load in the
/// browser.
#[component]
pub fn GoTo(path: String) -> impl IntoView {
    #[cfg(feature = "ssr")]
    crate::request::see_other(&path);
    #[cfg(not(feature = "ssr"))]
    crate::ui::widgets::reload_to(&path);
}

/// The login page's address that returns to `path` (and its query) afterwards.
pub fn login_path(path: &str, query: &str) -> String {
    let query = query.trim_start_matches('?');
    let here = if query.is_empty() {
        path.to_string()
    } else {
        format!("{path}?{query}")
    };
    match local_path(&here) {
        Some(here) if here != "/" => format!(
            "/login?next={}",
            crate::ui::widgets::encode_query_value(here)
        ),
        _ => "/login".to_string(),
    }
}

/// `next` when it is a path of this site: one `/` then no second `/` or `\\` (which browsers
/// read as another host, `//evil.example`), and nothing a browser would drop or reinterpret
/// (spaces, control characters). Anything else is ignored, so the login page cannot be made to
/// send someone to another site.
pub fn local_path(next: &str) -> Option<&str> {
    let rest = next.strip_prefix('/')?;
    let leaves_site = rest.starts_with(['/', '\\'])
        || next
            .chars()
            .any(|c| c == '\\' || c.is_whitespace() || c.is_control());
    (!leaves_site).then_some(next)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_paths_of_this_site_are_returned_to() {
        assert_eq!(local_path("/voters?election=2"), Some("/voters?election=2"));
        assert_eq!(local_path("/"), Some("/"));
        for foreign in [
            "//evil.example",
            "/\\evil.example",
            "/\t/evil.example",
            "https://evil.example",
            "javascript:alert(1)",
            "evil.example",
            "",
            "/a\nb",
        ] {
            assert_eq!(local_path(foreign), None, "{foreign:?}");
        }
    }

    #[test]
    fn the_login_page_is_told_where_to_return() {
        assert_eq!(
            login_path("/admin/users", "x=1&y=a%20b"),
            "/login?next=%2Fadmin%2Fusers%3Fx%3D1%26y%3Da%2520b"
        );
        assert_eq!(login_path("/voters", ""), "/login?next=%2Fvoters");
        assert_eq!(login_path("/", ""), "/login");
    }
}
