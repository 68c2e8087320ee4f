//! The built browser bundle: which one is current and how its files are served.
//!
//! `build_site` (scripts/lib.sh) puts each build's files into `site/pkg/<content hash>/` and
//! writes that directory's name into `site/pkg/current`. A file's URL therefore changes with any
//! byte of the bundle: browsers keep the files for a year without asking again, and after an
//! upgrade a page can never combine the old wasm with the new server functions. Brotli and gzip
//! copies sit beside each file and are chosen by the request's `Accept-Encoding`.

use std::path::Path;
use std::sync::OnceLock;

use axum::extract::Request;
use axum::http::{header, HeaderValue};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::Router;
use tower_http::services::ServeDir;

/// The URL prefix of every bundle file.
const PKG: &str = "pkg";
/// Names the current bundle directory inside `site/pkg`.
const CURRENT_FILE: &str = "current";
/// A bundle directory's name: this many lowercase hex digits of its content hash.
const HASH_LEN: usize = 16;

/// The bundle the pages link to, relative to the site root: `pkg/<hash>` (or `pkg` for a site
/// built before bundles were hashed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bundle {
    pub pkg_dir: String,
}

impl Bundle {
    /// Reads `site/pkg/current`. A missing or unusable name is logged and falls back to the
    /// unhashed layout, which is what a server started without a built site serves (nothing).
    pub fn find(site_root: &Path) -> Bundle {
        let pkg = site_root.join(PKG);
        let named = std::fs::read_to_string(pkg.join(CURRENT_FILE))
            .ok()
            .map(|text| text.trim().to_string());
        match named {
            Some(hash) if is_bundle_hash(&hash) && pkg.join(&hash).is_dir() => Bundle {
                pkg_dir: format!("{PKG}/{hash}"),
            },
            Some(hash) => {
                tracing::warn!(%hash, "site/pkg/current names no bundle directory; the pages will load no script");
                Bundle::unhashed()
            }
            None => Bundle::unhashed(),
        }
    }

    fn unhashed() -> Bundle {
        Bundle {
            pkg_dir: PKG.to_string(),
        }
    }

    pub fn stylesheet_href(&self) -> String {
        format!("/{}/cutri.css", self.pkg_dir)
    }
}

fn is_bundle_hash(name: &str) -> bool {
    name.len() == HASH_LEN
        && name
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

static STYLESHEET: OnceLock<String> = OnceLock::new();

/// Remembers the current bundle's stylesheet for the pages drawn outside Leptos (document
/// refusals). A process serves one site; the first router built names it.
pub fn remember(bundle: &Bundle) {
    let _ = STYLESHEET.set(bundle.stylesheet_href());
}

/// The stylesheet of the pages drawn outside Leptos.
pub fn stylesheet_href() -> &'static str {
    STYLESHEET
        .get()
        .map(String::as_str)
        .unwrap_or("/pkg/cutri.css")
}

/// `/pkg/…`: the bundle files, pre-compressed copies first.
pub fn routes(site_root: &Path) -> Router {
    let files = ServeDir::new(site_root.join(PKG))
        .precompressed_br()
        .precompressed_gzip();
    Router::new()
        .nest_service(&format!("/{PKG}"), files)
        .layer(middleware::from_fn(cache_policy))
}

/// A file under a hash never changes: cached for a year and never asked for again. Anything
/// else under /pkg (an old unhashed layout, a 404 for a bundle that is gone) is asked for again.
async fn cache_policy(request: Request, next: Next) -> Response {
    let hashed = request
        .uri()
        .path()
        .strip_prefix(&format!("/{PKG}/"))
        .and_then(|rest| rest.split_once('/'))
        .is_some_and(|(dir, _)| is_bundle_hash(dir));
    let mut response = next.run(request).await;
    let value = if hashed && response.status().is_success() {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
    // The same URL answers brotli, gzip or plain bytes: a shared cache must keep them apart.
    headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bundle_hash_is_sixteen_lowercase_hex_digits() {
        assert!(is_bundle_hash("0123456789abcdef"));
        assert!(!is_bundle_hash("0123456789ABCDEF"));
        assert!(!is_bundle_hash("0123456789abcde"));
        assert!(!is_bundle_hash("../../etc/passwd"));
        assert!(!is_bundle_hash(""));
    }

    #[test]
    fn the_current_bundle_is_the_one_named_and_present() {
        let site = std::env::temp_dir().join(format!("cutri-site-{}", std::process::id()));
        let pkg = site.join(PKG);
        std::fs::create_dir_all(pkg.join("00112233aabbccdd")).unwrap();
        assert_eq!(Bundle::find(&site).pkg_dir, "pkg");
        std::fs::write(pkg.join(CURRENT_FILE), "00112233aabbccdd\n").unwrap();
        assert_eq!(Bundle::find(&site).pkg_dir, "pkg/00112233aabbccdd");
        std::fs::write(pkg.join(CURRENT_FILE), "ffffffffffffffff").unwrap();
        assert_eq!(Bundle::find(&site).pkg_dir, "pkg");
        std::fs::remove_dir_all(&site).unwrap();
    }
}
