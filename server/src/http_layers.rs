//! Layers every request passes: request id and tracing, cross-site refusal, security headers
//! with a per-request CSP nonce, and the session lookup.

use app::auth::context::{AppState, CurrentSession, SESSION_COOKIE};
use app::ui::shell::CspNonce;
use axum::body::Body;
use axum::extract::{Request, State};
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

#[derive(Clone, Copy)]
struct ShortRequestId;

impl MakeRequestId for ShortRequestId {
    fn make_request_id<B>(&mut self, _: &axum::http::Request<B>) -> Option<RequestId> {
        HeaderValue::from_str(&app::auth::token::short_reference())
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
    let reference = app::auth::token::short_reference();
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
    let nonce = app::auth::token::new_secret();
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
