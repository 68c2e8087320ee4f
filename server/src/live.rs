//! Live turnout for the dashboards: a Server-Sent Events stream per election that sends the
//! whole (small, personal-data-free) turnout board after every change, at most a few times a
//! second however fast check-ins arrive. Browsers reconnect to an SSE stream by themselves.

use std::convert::Infallible;
use std::time::Duration;

use app::auth::context::{AppState, CurrentSession};
use app::domain::role::Permission;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Extension, Router};
use futures::stream::{self, Stream};

/// Changes arriving closer together than this are sent as one update: at most two updates a
/// second per dashboard keeps 500 dashboards cheap while every change still arrives within 1 s.
const COALESCE: Duration = Duration::from_millis(500);

pub fn routes(state: AppState) -> Router {
    Router::new()
        .route("/results/{election_id}/events", get(events))
        .with_state(state)
}

async fn events(
    State(state): State<AppState>,
    Path(election_id): Path<i64>,
    session: Option<Extension<CurrentSession>>,
) -> Response {
    match session {
        None => return StatusCode::UNAUTHORIZED.into_response(),
        Some(Extension(session)) if !session.user.role.can(Permission::ViewTallies) => {
            return StatusCode::FORBIDDEN.into_response()
        }
        Some(_) => {}
    }
    match state.tallies.turnout(election_id).await {
        Ok(Some(_)) => {}
        Ok(None) => return StatusCode::NOT_FOUND.into_response(),
        Err(error) => {
            tracing::error!(%error, "turnout unavailable");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    }
    Sse::new(updates(state, election_id))
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
        .into_response()
}

/// The board now, then after every change until the client goes away.
fn updates(
    state: AppState,
    election_id: i64,
) -> impl Stream<Item = Result<Event, Infallible>> + Send {
    let changes = state.tallies.subscribe();
    stream::unfold(
        (state, changes, true),
        move |(state, mut changes, first)| async move {
            if !first {
                changes.changed().await.ok()?;
                tokio::time::sleep(COALESCE).await;
                changes.borrow_and_update();
            }
            let event = match state.tallies.turnout_json(election_id).await {
                Ok(Some(json)) => Event::default().event("turnout").data(&*json),
                Ok(None) => return None,
                Err(error) => {
                    tracing::warn!(%error, "turnout update skipped");
                    Event::default().comment("retry")
                }
            };
            Some((Ok(event), (state, changes, false)))
        },
    )
}
