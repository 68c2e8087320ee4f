//! Live turnout for the dashboards: a Server-Sent Events stream per election that sends the
//! whole (small, personal-data-free) turnout board after every change, at most a few times a
//! second however fast check-ins arrive. Browsers reconnect to an SSE stream by themselves.
//!
//! The stream is written by hand rather than with axum's `Sse`, whose events copy their data:
//! every dashboard would copy the board (tens of kB for 250 areas) at every update. Here all of
//! them send the one board the tally serialised, by reference.

use app::domain::ids::ElectionId;
use std::convert::Infallible;
use std::sync::Arc;
use std::time::{Duration, Instant};

use app::domain::role::Permission;
use app::request::CurrentSession;
use app::state::AppState;
use axum::body::{Body, Bytes};
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Extension, Router};
use futures::stream::{self, Stream, StreamExt};

/// A dashboard is sent at most one update per slot of this length: at most two updates a second
/// per dashboard keeps 500 dashboards cheap while every change still arrives within 1 s.
const SLOT: Duration = Duration::from_millis(500);
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
    Path(election_id): Path<ElectionId>,
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

/// When a dashboard whose slots start at `origin` may next be sent an update: the start of
/// the first of its slots at or after `now` and after the slot it was last sent in.
fn next_slot(origin: Instant, now: Instant, last_sent: Option<Instant>) -> Instant {
    let slots_passed = now
        .saturating_duration_since(origin)
        .as_nanos()
        .div_ceil(SLOT.as_nanos());
    let slot = origin + SLOT * u32::try_from(slots_passed).unwrap_or(u32::MAX);
    match last_sent {
        Some(sent) if slot <= sent => sent + SLOT,
        _ => slot,
    }
}

/// The board now, then after every change until the client goes away, as SSE text: `event:
/// turnout` with the board's JSON as its one `data:` line (compact JSON has no line breaks).
/// Each dashboard has its own slots, offset at random: a check-in changes every dashboard's
/// board at once, and sending all of them in the same instant held up the check-ins arriving
/// then (500 dashboards: p99 30–40 ms, against 6–7 ms without dashboards).
fn updates(
    state: AppState,
    election_id: ElectionId,
) -> impl Stream<Item = Result<Bytes, Infallible>> + Send {
    let changes = state.tallies.subscribe();
    let origin = Instant::now() + SLOT.mul_f64(rand::random::<f64>());
    stream::unfold(
        (state, changes, None),
        move |(state, mut changes, last_sent): (_, _, Option<Instant>)| async move {
            if last_sent.is_some() {
                match tokio::time::timeout(KEEP_ALIVE, changes.changed()).await {
                    Err(_) => {
                        return Some((
                            vec![Bytes::from_static(b":\n\n")],
                            (state, changes, last_sent),
                        ))
                    }
                    Ok(changed) => changed.ok()?,
                }
                let slot = next_slot(origin, Instant::now(), last_sent);
                tokio::time::sleep_until(slot.into()).await;
                changes.borrow_and_update();
            }
            let sent = Instant::now();
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
            Some((frame, (state, changes, Some(sent))))
        },
    )
    .flat_map(|frame| stream::iter(frame.into_iter().map(Ok)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn updates_go_at_the_start_of_the_dashboards_own_next_slot() {
        let origin = Instant::now();
        let ms = |n: u64| Duration::from_millis(n);
        // Before the first slot starts: the first slot.
        assert_eq!(next_slot(origin + ms(300), origin, None), origin + ms(300));
        assert_eq!(next_slot(origin, origin + ms(1), None), origin + SLOT);
        assert_eq!(
            next_slot(origin, origin + ms(1_200), None),
            origin + ms(1_500)
        );
        assert_eq!(
            next_slot(origin, origin + ms(1_500), None),
            origin + ms(1_500)
        );
        // Never twice in one slot.
        let sent = origin + ms(1_500);
        assert_eq!(next_slot(origin, sent, Some(sent)), origin + ms(2_000));
        assert_eq!(
            next_slot(origin, origin + ms(1_501), Some(sent)),
            origin + ms(2_000)
        );
    }
}
