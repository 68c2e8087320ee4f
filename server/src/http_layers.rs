//! Layers every request passes: request id and tracing, cross-site refusal, security headers
//! with a per-request CSP nonce, the session lookup, and the reading of server-function bodies.

use app::error::{AppError, EmptyRequestBody, ErrorCode};
use app::request::{ClientAddr, CurrentSession, SESSION_COOKIE};
use app::shell::CspNonce;
use app::state::AppState;
use axum::body::Body;
use axum::extract::{FromRequest, Request, State};
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Router;
use tower::ServiceBuilder;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::request_id::{
    MakeRequestId, PropagateRequestIdLayer, RequestId, SetRequestIdLayer,
};
use tower_http::trace::TraceLayer;

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");
/// The sign-in server function (`auth::api::login`).
const SIGN_IN_PATH: &str = "/api/auth/login";

#[derive(Clone, Copy)]
struct ShortRequestId;

impl MakeRequestId for ShortRequestId {
    fn make_request_id<B>(&mut self, _: &axum::http::Request<B>) -> Option<RequestId> {
        HeaderValue::from_str(&app::token::short_reference())
            .ok()
            .map(RequestId::new)
    }
}

/// Request ids (reused as the reference of an unexpected failure), one tracing span per
/// request, and a last-resort 500 page when a handler panics.
pub fn observe(router: Router) -> Router {
    router.layer(
        ServiceBuilder::new()
            .layer(SetRequestIdLayer::new(REQUEST_ID, ShortRequestId))
            .layer(TraceLayer::new_for_http().make_span_with(request_span))
            .layer(CatchPanicLayer::custom(panic_response))
            .layer(PropagateRequestIdLayer::new(REQUEST_ID))
            // The browser bundle is megabytes of wasm; gzip cuts it about five-fold.
            .layer(CompressionLayer::new()),
    )
}

fn request_span(request: &axum::http::Request<Body>) -> tracing::Span {
    let id = request
        .headers()
        .get(REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("-");
    tracing::info_span!("request", id, method = %request.method(), path = %request.uri().path())
}

fn panic_response(_: Box<dyn std::any::Any + Send>) -> Response {
    let reference = app::token::short_reference();
    tracing::error!(reference = %reference, "request handler panicked");
    let body = format!(
        "<!DOCTYPE html><html lang=\"vi\"><meta charset=\"utf-8\"><title>Lỗi hệ thống</title>\
         <h1>Đã xảy ra lỗi hệ thống</h1><p>Dữ liệu chưa bị thay đổi. Hãy thử lại hoặc báo quản trị \
         viên kèm mã tham chiếu: <strong>{reference}</strong></p></html>"
    );
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        body,
    )
        .into_response()
}

/// True when the request plainly comes from another site. Browsers send `Sec-Fetch-Site` and
/// `Origin` on POSTs; tools without them (scripts, tests) carry no ambient cookies to abuse.
pub fn is_cross_site(headers: &HeaderMap) -> bool {
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        if !matches!(site, "same-origin" | "none") {
            return true;
        }
    }
    if let Some(origin) = headers.get(header::ORIGIN) {
        let host = headers
            .get(header::HOST)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        let origin_host = origin
            .to_str()
            .ok()
            .and_then(|o| o.split_once("://"))
            .map(|(_, rest)| rest.trim_end_matches('/'))
            .unwrap_or("");
        return origin_host.is_empty() || !origin_host.eq_ignore_ascii_case(host);
    }
    false
}

fn content_security_policy(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; style-src 'self'; \
         img-src 'self' data:; font-src 'self'; connect-src 'self'; frame-ancestors 'none'; \
         object-src 'none'; base-uri 'none'; form-action 'self'"
    )
}

pub async fn security(mut request: Request, next: Next) -> Response {
    let safe_method = matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    if !safe_method && is_cross_site(request.headers()) {
        tracing::warn!(path = %request.uri().path(), "cross-site state-changing request refused");
        let mut refused = (
            StatusCode::FORBIDDEN,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            "Yêu cầu bị từ chối vì được gửi từ một trang web khác (mã AUTH-008).",
        )
            .into_response();
        add_security_headers(refused.headers_mut(), None);
        return refused;
    }
    let nonce = app::token::new_secret();
    request.extensions_mut().insert(CspNonce(nonce.clone()));
    let is_static = request.uri().path().starts_with("/pkg/");
    let mut response = next.run(request).await;
    add_security_headers(response.headers_mut(), Some(&nonce));
    if !is_static {
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

fn add_security_headers(headers: &mut HeaderMap, nonce: Option<&str>) {
    let csp = content_security_policy(nonce.unwrap_or("none"));
    if let Ok(value) = HeaderValue::from_str(&csp) {
        headers.insert(header::CONTENT_SECURITY_POLICY, value);
    }
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
}

fn session_cookie(headers: &HeaderMap) -> Option<&str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, value)| *name == SESSION_COOKIE && !value.is_empty())
        .map(|(_, value)| value)
}

/// Reads the body of a server-function call before the function does, to answer what is wrong
/// with it in HTTP terms: a body over the limit is 413, a JSON body that does not parse (an
/// empty one included) or a form that is not UTF-8 is 400, each with its error code as the
/// browser reads it. The limit is the one the server functions read under (axum's default, or a
/// route's own), so what passes here passes there. An empty form is marked for the server
/// functions' argument decoding, which tells an empty body (400) from missing fields (422).
pub async fn read_api_body(request: Request, next: Next) -> Response {
    if request.method() != Method::POST || !request.uri().path().starts_with("/api/") {
        return next.run(request).await;
    }
    let (mut parts, body) = request.into_parts();
    let bytes = match axum::body::Bytes::from_request(Request::from_parts(parts.clone(), body), &())
        .await
    {
        Ok(bytes) => bytes,
        Err(rejection) if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            return refused_body(ErrorCode::RequestTooLarge)
        }
        Err(rejection) => {
            tracing::warn!(%rejection, "server-function body unreadable");
            return refused_body(ErrorCode::RequestUnreadable);
        }
    };
    let is_json = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    let readable = if is_json {
        serde_json::from_slice::<serde::de::IgnoredAny>(&bytes).is_ok()
    } else {
        std::str::from_utf8(&bytes).is_ok()
    };
    if !readable {
        return refused_body(ErrorCode::RequestUnreadable);
    }
    if bytes.is_empty() {
        parts.extensions.insert(EmptyRequestBody);
    }
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}

/// A refused server-function call, answered as the server function would: its error as JSON.
fn refused_body(code: ErrorCode) -> Response {
    let status = StatusCode::from_u16(code.http_status()).unwrap_or(StatusCode::BAD_REQUEST);
    (status, axum::Json(AppError::new(code))).into_response()
}

/// Sign-in requests spend their address's budget here, before the body is read or any other
/// work is done: a flood from one address is refused at the cost of this check (ARCHITECTURE.md,
/// "Sign-in under attack").
pub async fn sign_in_budget(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    if request.method() == Method::POST && request.uri().path() == SIGN_IN_PATH {
        let client = ClientAddr::of(request.extensions());
        if let Err(refused) = state.login_limits.check_address(client) {
            let retry_after = app::request::retry_after_seconds(&refused).unwrap_or(1);
            let mut response = (StatusCode::TOO_MANY_REQUESTS, axum::Json(refused)).into_response();
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(retry_after));
            return response;
        }
    }
    next.run(request).await
}

/// Puts the request's valid session (if any) into its extensions for pages and server functions.
pub async fn resolve_session(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    if let Some(secret) = session_cookie(request.headers()).map(str::to_owned) {
        match app::auth::service::resolve_session(&state.db, &state.sessions, &secret).await {
            Ok(Some(session)) => {
                request.extensions_mut().insert::<CurrentSession>(session);
            }
            Ok(None) => {}
            Err(error) => tracing::error!(%error, "session lookup failed; continuing signed out"),
        }
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        pairs
            .iter()
            .map(|(k, v)| (HeaderName::from_static(k), HeaderValue::from_static(v)))
            .collect()
    }

    #[test]
    fn same_origin_posts_pass_and_foreign_ones_do_not() {
        assert!(!is_cross_site(&headers(&[
            ("host", "127.0.0.1:3000"),
            ("origin", "http://127.0.0.1:3000")
        ])));
        assert!(!is_cross_site(&headers(&[(
            "sec-fetch-site",
            "same-origin"
        )])));
        assert!(!is_cross_site(&headers(&[])));
        assert!(is_cross_site(&headers(&[
            ("host", "127.0.0.1:3000"),
            ("origin", "http://evil.example")
        ])));
        assert!(is_cross_site(&headers(&[
            ("host", "127.0.0.1:3000"),
            ("origin", "null")
        ])));
        assert!(is_cross_site(&headers(&[("sec-fetch-site", "cross-site")])));
        assert!(is_cross_site(&headers(&[("sec-fetch-site", "same-site")])));
    }

    #[test]
    fn session_cookie_is_found_among_others() {
        let map = headers(&[("cookie", "cutri_lang=en; cutri_session=abc")]);
        assert_eq!(session_cookie(&map), Some("abc"));
        assert_eq!(
            session_cookie(&headers(&[("cookie", "cutri_session=")])),
            None
        );
    }
}
