//! Request budgets of the sign-in endpoint per source address and per typed username, kept in
//! memory and checked before anything else (no database write, no password hash), so a flood
//! of sign-in requests costs almost nothing; and the server's hashing slots. The lasting lockout lives in the database
//! (`domain::login_throttle`); these budgets only smooth bursts. Numbers in ARCHITECTURE.md.

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use crate::error::{AppError, ErrorCode};
use crate::storage::db::now_ms;

/// A budget of requests: `burst` at once, then one more every `every`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Budget {
    pub burst: u32,
    pub every: Duration,
}

/// The budgets the server starts with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoginBudgets {
    pub per_address: Budget,
    pub per_username: Budget,
}

impl Default for LoginBudgets {
    fn default() -> LoginBudgets {
        LoginBudgets {
            // A school's tablets signing in behind one mobile-network address at 06:00.
            per_address: Budget {
                burst: 30,
                every: Duration::from_secs(2),
            },
            per_username: Budget {
                burst: 10,
                every: Duration::from_secs(6),
            },
        }
    }
}

/// Usernames are short (`Username::parse`); a longer typed text is budgeted by its start.
const USERNAME_KEY_CHARS: usize = 64;

fn quota(budget: Budget) -> Quota {
    let burst = NonZeroU32::new(budget.burst).unwrap_or(NonZeroU32::MIN);
    Quota::with_period(budget.every).map_or_else(
        || Quota::per_second(NonZeroU32::MIN),
        |quota| quota.allow_burst(burst),
    )
}

#[derive(Clone)]
pub struct LoginLimits {
    by_address: Arc<DefaultKeyedRateLimiter<IpAddr>>,
    by_username: Arc<DefaultKeyedRateLimiter<String>>,
    /// The slots password checks run in.
    pub hash_gate: super::password::HashGate,
}

impl LoginLimits {
    pub fn new(budgets: &LoginBudgets) -> LoginLimits {
        LoginLimits {
            by_address: Arc::new(RateLimiter::keyed(quota(budgets.per_address))),
            by_username: Arc::new(RateLimiter::keyed(quota(budgets.per_username))),
            hash_gate: super::password::HashGate::default(),
        }
    }

    /// Sign-in passwords checked since the server started (see `HashGate::passwords_checked`).
    pub fn passwords_checked(&self) -> u64 {
        self.hash_gate.passwords_checked()
    }

    /// Spends one request of `client`'s budget; refused with `TooManyRequests` (429) and when
    /// to retry. The server asks this first, before the request reaches the sign-in function
    /// (`server::http_layers::sign_in_budget`): a sprayer of made-up names is stopped before
    /// each name gets a budget of its own, and a refusal costs next to nothing.
    pub fn check_address(&self, client: IpAddr) -> Result<(), AppError> {
        if let Err(not_until) = self.by_address.check_key(&client) {
            tracing::debug!(%client, "sign-in refused: address over its budget");
            return Err(too_many(
                not_until.wait_time_from(DefaultClock::default().now()),
            ));
        }
        Ok(())
    }

    /// Spends one request of `typed_username`'s budget, from all addresses together.
    pub fn check_username(&self, typed_username: &str) -> Result<(), AppError> {
        let key: String = typed_username
            .trim()
            .to_lowercase()
            .chars()
            .take(USERNAME_KEY_CHARS)
            .collect();
        if let Err(not_until) = self.by_username.check_key(&key) {
            tracing::warn!(username = %key, "sign-in refused: username over its budget");
            return Err(too_many(
                not_until.wait_time_from(DefaultClock::default().now()),
            ));
        }
        Ok(())
    }

    /// Forgets budgets that are full again, so the maps hold only recent senders.
    pub fn forget_idle(&self) {
        self.by_address.retain_recent();
        self.by_address.shrink_to_fit();
        self.by_username.retain_recent();
        self.by_username.shrink_to_fit();
    }
}

fn too_many(wait: Duration) -> AppError {
    let wait_ms = i64::try_from(wait.as_millis()).unwrap_or(i64::MAX);
    AppError {
        until_ms: Some(now_ms().saturating_add(wait_ms.max(1000))),
        ..AppError::new(ErrorCode::TooManyRequests)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_gets_its_burst_then_waits() {
        let budgets = LoginBudgets::default();
        let limits = LoginLimits::new(&budgets);
        let client: IpAddr = [127, 0, 0, 1].into();
        for _ in 0..budgets.per_address.burst {
            limits.check_address(client).expect("within the burst");
        }
        let refused = limits.check_address(client).expect_err("over budget");
        assert_eq!(refused.code, ErrorCode::TooManyRequests);
        assert!(refused.until_ms.is_some());
        limits
            .check_address([127, 0, 0, 2].into())
            .expect("another address has its own budget");
    }

    #[test]
    fn a_username_gets_its_burst_from_all_addresses_together() {
        let budgets = LoginBudgets::default();
        let limits = LoginLimits::new(&budgets);
        for _ in 0..budgets.per_username.burst {
            limits.check_username("ToBauCu1").expect("within the burst");
        }
        let refused = limits
            .check_username(" tobaucu1 ")
            .expect_err("the same name, however typed");
        assert_eq!(refused.code, ErrorCode::TooManyRequests);
    }
}
