//! The address each request comes from, for the sign-in budgets and lockout: the TCP peer, or,
//! only when the peer is a configured trusted proxy, the address that proxy forwarded.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use app::request::ClientAddr;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::HeaderMap;
use axum::middleware::Next;
use axum::response::Response;

const FORWARDED_FOR: &str = "x-forwarded-for";

/// The proxies whose `X-Forwarded-For` is believed.
#[derive(Clone, Default)]
pub struct TrustedProxies(Arc<Vec<IpAddr>>);

impl TrustedProxies {
    pub fn new(addresses: Vec<IpAddr>) -> TrustedProxies {
        TrustedProxies(Arc::new(addresses))
    }

    fn trusts(&self, address: IpAddr) -> bool {
        self.0.contains(&address)
    }

    /// The client behind `peer`: each trusted proxy appends the address it got the request
    /// from, so the first address from the right that is not a trusted proxy is the client.
    /// Entries left of it were written by the client itself and prove nothing.
    pub fn client_of(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        if !self.trusts(peer) {
            return peer;
        }
        let forwarded: Vec<&str> = headers
            .get_all(FORWARDED_FOR)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|value| value.split(','))
            .collect();
        let mut client = peer;
        for entry in forwarded.iter().rev() {
            match entry.trim().parse::<IpAddr>() {
                Ok(address) if self.trusts(address) => client = address,
                Ok(address) => return address,
                // Unreadable: what the proxies vouch for ends here.
                Err(_) => break,
            }
        }
        client
    }
}

/// Puts the request's `ClientAddr` into its extensions.
pub async fn resolve(
    State(proxies): State<TrustedProxies>,
    mut request: Request,
    next: Next,
) -> Response {
    if let Some(ConnectInfo(peer)) = request.extensions().get::<ConnectInfo<SocketAddr>>() {
        let client = proxies.client_of(peer.ip(), request.headers());
        request.extensions_mut().insert(ClientAddr(client));
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn ip(text: &str) -> IpAddr {
        text.parse().expect("address")
    }

    fn forwarded(value: &'static str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(FORWARDED_FOR, HeaderValue::from_static(value));
        headers
    }

    #[test]
    fn the_header_of_an_untrusted_peer_is_ignored() {
        let proxies = TrustedProxies::new(vec![ip("10.0.0.1")]);
        assert_eq!(
            proxies.client_of(ip("203.0.113.9"), &forwarded("198.51.100.7")),
            ip("203.0.113.9")
        );
        assert_eq!(
            TrustedProxies::default().client_of(ip("127.0.0.1"), &forwarded("1.2.3.4")),
            ip("127.0.0.1")
        );
    }

    #[test]
    fn behind_a_trusted_proxy_the_last_untrusted_address_is_the_client() {
        let proxies = TrustedProxies::new(vec![ip("10.0.0.1"), ip("10.0.0.2")]);
        // The client wrote "1.1.1.1" itself; the proxies appended what they saw.
        let headers = forwarded("1.1.1.1, 198.51.100.7, 10.0.0.2");
        assert_eq!(
            proxies.client_of(ip("10.0.0.1"), &headers),
            ip("198.51.100.7")
        );
        let garbage = forwarded("1.1.1.1, not-an-address");
        assert_eq!(proxies.client_of(ip("10.0.0.1"), &garbage), ip("10.0.0.1"));
        assert_eq!(
            proxies.client_of(ip("10.0.0.1"), &HeaderMap::new()),
            ip("10.0.0.1")
        );
    }
}
