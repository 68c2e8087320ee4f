//! Per-account brute-force protection: after 10 failed logins within 15 minutes the account
//! refuses every attempt for the next 15 minutes, whatever password is given.

pub const MAX_FAILURES: i64 = 10;
pub const FAILURE_WINDOW_MS: i64 = 15 * 60 * 1000;
pub const LOCKOUT_MS: i64 = 15 * 60 * 1000;

/// The throttle state stored with each account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LoginThrottle {
    /// Failures counted in the current window.
    pub failures: i64,
    /// When the current window began (first failure in it).
    pub window_start_ms: Option<i64>,
    /// Attempts are refused before this instant.
    pub locked_until_ms: Option<i64>,
}

impl LoginThrottle {
    /// `Some(until)` while the account refuses attempts.
    pub fn locked_at(&self, now_ms: i64) -> Option<i64> {
        self.locked_until_ms.filter(|until| now_ms < *until)
    }

    /// State after one more wrong password at `now_ms`.
    pub fn after_failure(&self, now_ms: i64) -> LoginThrottle {
        let window_open = self
            .window_start_ms
            .is_some_and(|start| now_ms - start < FAILURE_WINDOW_MS);
        let (failures, window_start_ms) = if window_open {
            (self.failures + 1, self.window_start_ms)
        } else {
            (1, Some(now_ms))
        };
        if failures >= MAX_FAILURES {
            LoginThrottle {
                failures: 0,
                window_start_ms: None,
                locked_until_ms: Some(now_ms + LOCKOUT_MS),
            }
        } else {
            LoginThrottle {
                failures,
                window_start_ms,
                locked_until_ms: None,
            }
        }
    }

    /// State after a successful login.
    pub fn after_success() -> LoginThrottle {
        LoginThrottle::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINUTE: i64 = 60_000;

    fn fail_times(times: &[i64]) -> LoginThrottle {
        times
            .iter()
            .fold(LoginThrottle::default(), |state, t| state.after_failure(*t))
    }

    #[test]
    fn nine_failures_do_not_lock() {
        let state = fail_times(&(0..9).map(|i| i * MINUTE).collect::<Vec<_>>());
        assert_eq!(state.locked_at(9 * MINUTE), None);
        assert_eq!(state.failures, 9);
    }

    #[test]
    fn the_tenth_failure_within_fifteen_minutes_locks_for_fifteen_minutes() {
        let state = fail_times(&(0..10).map(|i| i * MINUTE).collect::<Vec<_>>());
        let locked_from = 9 * MINUTE;
        assert_eq!(state.locked_at(locked_from), Some(locked_from + LOCKOUT_MS));
        assert_eq!(
            state.locked_at(locked_from + LOCKOUT_MS - 1),
            Some(locked_from + LOCKOUT_MS)
        );
        assert_eq!(state.locked_at(locked_from + LOCKOUT_MS), None);
    }

    #[test]
    fn failures_spread_over_more_than_the_window_never_lock() {
        let state = fail_times(&(0..30).map(|i| i * 2 * MINUTE).collect::<Vec<_>>());
        assert_eq!(state.locked_at(60 * MINUTE), None);
    }

    #[test]
    fn success_clears_the_count() {
        let state = fail_times(&[0, 1, 2]);
        assert_eq!(LoginThrottle::after_success(), LoginThrottle::default());
        assert_eq!(state.failures, 3);
    }
}
