//! How long a signed-in session lives: 12 hours at most, and 60 minutes without activity.

pub const ABSOLUTE_LIFETIME_MS: i64 = 12 * 3600 * 1000;
pub const IDLE_LIFETIME_MS: i64 = 60 * 60 * 1000;
/// Activity is written back at most this often, so reading pages does not mean a write each.
pub const TOUCH_INTERVAL_MS: i64 = 60 * 1000;

pub fn is_expired(created_at_ms: i64, last_seen_ms: i64, now_ms: i64) -> bool {
    now_ms - created_at_ms >= ABSOLUTE_LIFETIME_MS || now_ms - last_seen_ms >= IDLE_LIFETIME_MS
}

pub fn needs_touch(last_seen_ms: i64, now_ms: i64) -> bool {
    now_ms - last_seen_ms >= TOUCH_INTERVAL_MS
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINUTE: i64 = 60_000;

    #[test]
    fn idle_for_an_hour_expires() {
        assert!(!is_expired(0, 0, 59 * MINUTE));
        assert!(is_expired(0, 0, 60 * MINUTE));
    }

    #[test]
    fn active_sessions_still_end_after_twelve_hours() {
        let created = 0;
        let last_seen = 12 * 60 * MINUTE - MINUTE;
        assert!(!is_expired(created, last_seen, 12 * 60 * MINUTE - 1));
        assert!(is_expired(created, last_seen, 12 * 60 * MINUTE));
    }

    #[test]
    fn activity_is_recorded_once_a_minute() {
        assert!(!needs_touch(0, MINUTE - 1));
        assert!(needs_touch(0, MINUTE));
    }
}
