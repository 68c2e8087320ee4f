//! Brute-force protection for sign-in (policy and numbers in ARCHITECTURE.md, "Sign-in under
//! attack").
//!
//! Two counters guard each typed username: one per (username, source address), which locks
//! quickly, and one for the username from every address,
//! with a much higher ceiling, so that guessing from many addresses is still bounded while a
//! stranger who only knows a station's username cannot lock its real user out from elsewhere.
//!
//! An attempt is *admitted* (counted) before its password is checked, inside one write
//! transaction, so parallel guesses are counted one by one and none is checked once the count
//! is spent. A correct password takes its own attempt back.

/// Limits of one counter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThrottlePolicy {
    /// Attempts admitted within `window_ms` before the counter locks.
    pub max_attempts: i64,
    pub window_ms: i64,
    pub lockout_ms: i64,
}

const MINUTE_MS: i64 = 60 * 1000;

/// The counter of one username from one source address.
pub const PER_ADDRESS: ThrottlePolicy = ThrottlePolicy {
    max_attempts: 10,
    window_ms: 15 * MINUTE_MS,
    lockout_ms: 15 * MINUTE_MS,
};

/// The counter of one username from all addresses together.
pub const PER_USERNAME: ThrottlePolicy = ThrottlePolicy {
    max_attempts: 50,
    window_ms: 15 * MINUTE_MS,
    lockout_ms: 15 * MINUTE_MS,
};

/// What `ThrottleKey::client` holds for the username-wide counter.
pub const ALL_ADDRESSES: &str = "*";

/// The stored state of one counter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LoginThrottle {
    /// Attempts admitted in the current window and not taken back by a correct password.
    pub attempts: i64,
    /// When the current window began (first attempt in it).
    pub window_start_ms: Option<i64>,
    /// Attempts are refused before this instant.
    pub locked_until_ms: Option<i64>,
}

/// An attempt refused without checking its password: the counter is locked until then.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Locked {
    pub until_ms: i64,
}

impl LoginThrottle {
    /// `Some(until)` while the counter refuses attempts.
    pub fn locked_at(&self, now_ms: i64) -> Option<i64> {
        self.locked_until_ms.filter(|until| now_ms < *until)
    }

    fn window_open(&self, policy: &ThrottlePolicy, now_ms: i64) -> bool {
        self.window_start_ms
            .is_some_and(|start| now_ms - start < policy.window_ms)
    }

    /// Counts one more attempt at `now_ms`, or says why it is refused. The attempt that spends
    /// the last one of the window locks the counter; it is still checked itself.
    pub fn admit(&self, policy: &ThrottlePolicy, now_ms: i64) -> Result<LoginThrottle, Locked> {
        if let Some(until_ms) = self.locked_at(now_ms) {
            return Err(Locked { until_ms });
        }
        let window_open = self.window_open(policy, now_ms);
        let (attempts, window_start_ms) = if window_open {
            (self.attempts + 1, self.window_start_ms)
        } else {
            (1, Some(now_ms))
        };
        let locked_until_ms = (attempts >= policy.max_attempts).then(|| now_ms + policy.lockout_ms);
        Ok(LoginThrottle {
            attempts,
            window_start_ms,
            locked_until_ms,
        })
    }

    /// A correct password takes its own attempt back. A lock set meanwhile by other attempts
    /// stays: only an administrator or time lifts it.
    pub fn after_success(&self) -> LoginThrottle {
        LoginThrottle {
            attempts: (self.attempts - 1).max(0),
            ..*self
        }
    }

    /// True when the row no longer counts or locks anything and can be deleted.
    pub fn is_spent(&self, policy: &ThrottlePolicy, now_ms: i64) -> bool {
        self.locked_at(now_ms).is_none()
            && (!self.window_open(policy, now_ms) || self.attempts == 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Admits `count` attempts a second apart, returning the last state and the next second.
    fn admit_spaced(policy: &ThrottlePolicy, count: i64) -> (LoginThrottle, i64) {
        let mut state = LoginThrottle::default();
        let mut now = 0;
        for _ in 0..count {
            state = state.admit(policy, now).expect("admitted");
            now += 1000;
        }
        (state, now)
    }

    #[test]
    fn the_tenth_attempt_from_one_address_locks_for_fifteen_minutes() {
        let (state, now) = admit_spaced(&PER_ADDRESS, 9);
        assert_eq!(state.locked_at(now), None);
        let locked = state
            .admit(&PER_ADDRESS, now)
            .expect("the tenth is still checked");
        assert_eq!(locked.locked_at(now), Some(now + 15 * MINUTE_MS));
        assert_eq!(
            locked.admit(&PER_ADDRESS, now + 14 * MINUTE_MS),
            Err(Locked {
                until_ms: now + 15 * MINUTE_MS
            })
        );
        assert!(locked.admit(&PER_ADDRESS, now + 15 * MINUTE_MS).is_ok());
    }

    #[test]
    fn a_refused_attempt_changes_nothing() {
        let (state, now) = admit_spaced(&PER_ADDRESS, 10);
        assert!(state.admit(&PER_ADDRESS, now).is_err());
        assert_eq!(state.attempts, 10);
    }

    #[test]
    fn a_correct_password_takes_its_attempt_back_but_keeps_a_lock() {
        let (state, now) = admit_spaced(&PER_ADDRESS, 10);
        let after = state.after_success();
        assert_eq!(after.attempts, 9);
        assert!(after.locked_at(now).is_some());
        assert_eq!(LoginThrottle::default().after_success().attempts, 0);
    }

    #[test]
    fn attempts_spread_over_more_than_the_window_never_lock() {
        let mut state = LoginThrottle::default();
        for i in 0..30 {
            state = state
                .admit(&PER_ADDRESS, i * 16 * MINUTE_MS)
                .expect("a new window each time");
        }
        assert_eq!(state.attempts, 1);
    }

    #[test]
    fn the_username_counter_allows_fifty() {
        let mut state = LoginThrottle::default();
        for _ in 0..49 {
            state = state.admit(&PER_USERNAME, 0).expect("under the ceiling");
        }
        assert_eq!(state.locked_at(0), None);
        let locked = state.admit(&PER_USERNAME, 0).expect("the fiftieth");
        assert!(locked.locked_at(0).is_some());
    }

    #[test]
    fn spent_rows_can_go() {
        let state = LoginThrottle::default()
            .admit(&PER_ADDRESS, 0)
            .expect("first");
        assert!(!state.is_spent(&PER_ADDRESS, 0));
        assert!(state.is_spent(&PER_ADDRESS, 15 * MINUTE_MS));
        assert!(state.after_success().is_spent(&PER_ADDRESS, 0));
    }
}
