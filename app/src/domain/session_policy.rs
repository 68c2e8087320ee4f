//! How long a signed-in session lives. Office accounts: 12 hours after sign-in at most, and 60
//! minutes without activity. Station accounts work one polling day: their session lasts to the
//! end of the Vietnamese day they signed in on (polling may run 05:00–21:00 and counting goes on
//! after it), at least 12 hours, and survives 3 idle hours (a quiet desk at noon).

use crate::domain::role::Role;

const HOUR_MS: i64 = 3600 * 1000;
const DAY_MS: i64 = 24 * HOUR_MS;
/// Vietnam keeps UTC+7 all year.
const VIETNAM_OFFSET_MS: i64 = 7 * HOUR_MS;

pub const ABSOLUTE_LIFETIME_MS: i64 = 12 * HOUR_MS;
pub const IDLE_LIFETIME_MS: i64 = HOUR_MS;
pub const STATION_IDLE_LIFETIME_MS: i64 = 3 * HOUR_MS;
/// The longest idle time of any role: sessions idle longer are purged.
pub const LONGEST_IDLE_MS: i64 = STATION_IDLE_LIFETIME_MS;
/// Activity is written back at most this often, so reading pages does not mean a write each.
pub const TOUCH_INTERVAL_MS: i64 = 60 * 1000;

/// When a session of `role` started at `created_at_ms` ends, whatever its activity.
pub fn expires_at(role: Role, created_at_ms: i64) -> i64 {
    let twelve_hours = created_at_ms + ABSOLUTE_LIFETIME_MS;
    match role {
        Role::Station => {
            let local = created_at_ms + VIETNAM_OFFSET_MS;
            let end_of_local_day = local.div_euclid(DAY_MS) * DAY_MS + DAY_MS - VIETNAM_OFFSET_MS;
            end_of_local_day.max(twelve_hours)
        }
        Role::Admin | Role::Organizer | Role::Viewer => twelve_hours,
    }
}

fn idle_lifetime(role: Role) -> i64 {
    match role {
        Role::Station => STATION_IDLE_LIFETIME_MS,
        Role::Admin | Role::Organizer | Role::Viewer => IDLE_LIFETIME_MS,
    }
}

pub fn is_expired(role: Role, expires_at_ms: i64, last_seen_ms: i64, now_ms: i64) -> bool {
    now_ms >= expires_at_ms || now_ms - last_seen_ms >= idle_lifetime(role)
}

pub fn needs_touch(last_seen_ms: i64, now_ms: i64) -> bool {
    now_ms - last_seen_ms >= TOUCH_INTERVAL_MS
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINUTE: i64 = 60_000;
    /// 06/12/2026 00:00 in Vietnam.
    const VN_MIDNIGHT: i64 = 1_796_490_000_000;

    #[test]
    fn idle_for_an_hour_expires() {
        let ends = expires_at(Role::Admin, 0);
        assert!(!is_expired(Role::Admin, ends, 0, 59 * MINUTE));
        assert!(is_expired(Role::Admin, ends, 0, 60 * MINUTE));
    }

    #[test]
    fn active_sessions_still_end_after_twelve_hours() {
        let ends = expires_at(Role::Organizer, 0);
        let last_seen = 12 * 60 * MINUTE - MINUTE;
        assert!(!is_expired(
            Role::Organizer,
            ends,
            last_seen,
            12 * 60 * MINUTE - 1
        ));
        assert!(is_expired(
            Role::Organizer,
            ends,
            last_seen,
            12 * 60 * MINUTE
        ));
    }

    #[test]
    fn a_station_signed_in_at_six_works_until_the_end_of_the_day() {
        let six = VN_MIDNIGHT + 6 * 60 * MINUTE;
        let ends = expires_at(Role::Station, six);
        assert_eq!(ends, VN_MIDNIGHT + 24 * 60 * MINUTE);
        let nine_pm = VN_MIDNIGHT + 21 * 60 * MINUTE;
        assert!(!is_expired(Role::Station, ends, nine_pm - MINUTE, nine_pm));
        // An office account signed in at the same moment is gone at 18:00.
        assert!(is_expired(
            Role::Admin,
            expires_at(Role::Admin, six),
            nine_pm - MINUTE,
            nine_pm
        ));
    }

    #[test]
    fn a_station_signed_in_late_still_gets_twelve_hours() {
        let eight_pm = VN_MIDNIGHT + 20 * 60 * MINUTE;
        assert_eq!(
            expires_at(Role::Station, eight_pm),
            eight_pm + 12 * 60 * MINUTE
        );
    }

    #[test]
    fn a_quiet_desk_survives_two_idle_hours() {
        let seen = VN_MIDNIGHT + 8 * 60 * MINUTE;
        let ends = expires_at(Role::Station, seen);
        assert!(!is_expired(
            Role::Station,
            ends,
            seen,
            seen + 2 * 60 * MINUTE
        ));
        assert!(is_expired(
            Role::Station,
            ends,
            seen,
            seen + 3 * 60 * MINUTE
        ));
    }

    #[test]
    fn activity_is_recorded_once_a_minute() {
        assert!(!needs_touch(0, MINUTE - 1));
        assert!(needs_touch(0, MINUTE));
    }
}
