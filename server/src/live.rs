//! Live turnout for the dashboards: a Server-Sent Events stream per election that sends the
//! whole (small, personal-data-free) turnout board after every change, at most a few times a
//! second however fast check-ins arrive. Browsers reconnect to an SSE stream by themselves.
//!
//! The stream is written by hand rather than with axum's `Sse`, whose events copy their data:
//! every dashboard would copy the board (tens of kB for 250 areas) at every update. Here all of
//! them send the one board the tally serialised, by reference.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use app::auth::context::{AppState, CurrentSession};
use app::domain::role::Permission;
use axum::body::{Body, Bytes};
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Extension, Router};
use futures::stream::{self, Stream, StreamExt};

/// Changes arriving closer together than this are sent as one update: at most two updates a
/// second per dashboard keeps 500 dashboards cheap while every change still arrives within 1 s.
const COALESCE: Duration = Duration::from_millis(500);
/// A comment is sent after this long without a change, so proxies keep the stream open.
const KEEP_ALIVE: Duration = Duration::from_secs(15);

/// The board's JSON as the tally shares it, lent to the response body without a copy.
struct Board(Arc<str>);

impl AsRef<[u8]> for Board {
    fn as_ref(&self) -> &[u8] {
        self.0.as_bytes()
    }
}

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
    (
        [
            (header::CONTENT_TYPE, "text/event-stream"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        Body::from_stream(updates(state, election_id)),
    )
        .into_response()
}

/// The board now, then after every change until the client goes away, as SSE text: `event:
/// turnout` with the board's JSON as its one `data:` line (compact JSON has no line breaks).
fn updates(
    state: AppState,
    election_id: i64,
) -> impl Stream<Item = Result<Bytes, Infallible>> + Send {
    let changes = state.tallies.subscribe();
    stream::unfold(
        (state, changes, true),
        move |(state, mut changes, first)| async move {
            if !first {
                match tokio::time::timeout(KEEP_ALIVE, changes.changed()).await {
                    Err(_) => {
                        return Some((vec![Bytes::from_static(b":\n\n")], (state, changes, false)))
                    }
                    Ok(changed) => changed.ok()?,
                }
                tokio::time::sleep(COALESCE).await;
                changes.borrow_and_update();
            }
            let frame = match state.tallies.turnout_json(election_id).await {
                Ok(Some(json)) => vec![
                    Bytes::from_static(b"event: turnout\ndata: "),
                    Bytes::from_owner(Board(json)),
                    Bytes::from_static(b"\n\n"),
                ],
                Ok(None) => return None,
                Err(error) => {
                    tracing::warn!(%error, "turnout update skipped");
                    vec![Bytes::from_static(b": retry\n\n")]
                }
            };
            Some((frame, (state, changes, false)))
        },
    )
    .flat_map(|frame| stream::iter(frame.into_iter().map(Ok)))
}
