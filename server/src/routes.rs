use app::engine::change_feed::FeedStatus;
use app::shell::{shell, App};
use app::state::AppState;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{middleware, Json, Router};
use leptos::config::LeptosOptions;
use leptos::prelude::provide_context;
use leptos_axum::{generate_route_list, AxumRouteListing, LeptosRoutes};
use serde_json::json;

use crate::config::Config;
use crate::http_layers;

/// The app's page routes, listed once per process. Listing renders the whole app while a
/// process-wide flag suppresses resource loading (leptos_server's `SuppressResourceLoad`), and a
/// resource first polled by another server of the same process during that moment waits
/// forever (leptos issue #4773): a page request that never answers. One server per process
/// lists before it serves, but the integration tests start many servers in one process.
fn page_routes() -> Vec<AxumRouteListing> {
    static ROUTES: std::sync::OnceLock<Vec<AxumRouteListing>> = std::sync::OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

pub fn router(
    config: &Config,
    state: AppState,
    fonts: Result<std::sync::Arc<crate::pdf::Fonts>, String>,
) -> Router {
    let bundle = crate::site::Bundle::find(&config.site_root);
    crate::site::remember(&bundle);
    let leptos_options = LeptosOptions::builder()
        .output_name("cutri")
        .site_root(config.site_root.to_string_lossy().to_string())
        .site_pkg_dir(bundle.pkg_dir)
        .build();
    let routes = page_routes();
    let context = {
        let state = state.clone();
        move || provide_context(state.clone())
    };
    let render_shell = {
        let options = leptos_options.clone();
        move || shell(options.clone())
    };
    let health = Router::new()
        .route("/healthz", get(health))
        .with_state(state.clone());
    let router = Router::new()
        .route("/favicon.svg", get(favicon))
        .leptos_routes_with_context(&leptos_options, routes, context.clone(), render_shell)
        .fallback(leptos_axum::file_and_error_handler_with_context(
            context, shell,
        ))
        .with_state(leptos_options)
        .merge(crate::site::routes(&config.site_root))
        .merge(crate::live::routes(state.clone()))
        .merge(crate::documents::routes(crate::documents::DocState {
            app: state.clone(),
            fonts,
        }))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            http_layers::resolve_session,
        ))
        .layer(middleware::from_fn(http_layers::read_api_body))
        .layer(middleware::from_fn_with_state(
            state,
            http_layers::sign_in_budget,
        ))
        .layer(middleware::from_fn_with_state(
            crate::client_addr::TrustedProxies::new(config.trusted_proxies.clone()),
            crate::client_addr::resolve,
        ))
        .merge(health)
        .layer(middleware::from_fn(http_layers::security));
    http_layers::observe(router)
}

/// Liveness and database reachability, for monitoring and for scripts waiting on start-up.
/// For the load balancer: a server that cannot reach the database, or no longer hears what
/// the other servers commit (its dashboards and search would fall behind), is taken out.
async fn health(State(state): State<AppState>) -> impl IntoResponse {
    let feed = match state.change_feed.status() {
        FeedStatus::NotNeeded => "not_needed",
        FeedStatus::Listening => "listening",
        FeedStatus::Deaf => "deaf",
    };
    if let Err(error) = state.db.ping().await {
        tracing::error!(%error, "health check: database unreachable");
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(json!({ "status": "database_unavailable", "change_feed": feed })),
        );
    }
    if state.change_feed.status() == FeedStatus::Deaf {
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(json!({ "status": "change_feed_lost", "change_feed": feed })),
        );
    }
    (
        StatusCode::OK,
        Json(json!({ "status": "ok", "change_feed": feed })),
    )
}

async fn favicon() -> impl IntoResponse {
    const ICON: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="#b3261e"/><path d="M8 17l5 5 11-12" stroke="#fff" stroke-width="4" fill="none" stroke-linecap="round" stroke-linejoin="round"/></svg>"##;
    (
        [
            (header::CONTENT_TYPE, "image/svg+xml"),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        ICON,
    )
}
