//! The answers to check-ins confirmed by plain form posts (the desk without scripts), kept for
//! the desk page the browser is sent back to.
//!
//! A redirect carries no body, and an outcome written into the page's address could be forged
//! by a link ("already voted" on a desk for a voter who has not). So only what this server
//! answered is shown, found by user, area and request id. In memory, as the desk engine's
//! batching is: a restart loses only these messages; the check-ins are in the station's log.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use crate::domain::checkin::CheckInOutcome;
use crate::domain::ids::{AreaId, UserId};

/// How long an answer is kept for the page that shows it.
const KEPT_MS: i64 = 10 * 60_000;

type Key = (UserId, AreaId, String);

#[derive(Clone, Default)]
pub struct FormOutcomes(Arc<Mutex<HashMap<Key, (i64, CheckInOutcome)>>>);

impl FormOutcomes {
    fn entries(&self) -> MutexGuard<'_, HashMap<Key, (i64, CheckInOutcome)>> {
        // A panic while holding the lock leaves whole entries behind, never half-written ones.
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Keeps `outcome` at `now_ms`, forgetting the answers older than the keeping time.
    pub fn keep(&self, key: (UserId, AreaId, &str), outcome: &CheckInOutcome, now_ms: i64) {
        let (user, area, request_id) = key;
        let mut entries = self.entries();
        entries.retain(|_, (at_ms, _)| now_ms - *at_ms < KEPT_MS);
        entries.insert(
            (user, area, request_id.to_string()),
            (now_ms, outcome.clone()),
        );
    }

    /// The answer kept for this user, area and request id, if still kept at `now_ms`.
    pub fn get(&self, key: (UserId, AreaId, &str), now_ms: i64) -> Option<CheckInOutcome> {
        let (user, area, request_id) = key;
        self.entries()
            .get(&(user, area, request_id.to_string()))
            .filter(|(at_ms, _)| now_ms - *at_ms < KEPT_MS)
            .map(|(_, outcome)| outcome.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::checkin::Refusal;

    fn outcome() -> CheckInOutcome {
        CheckInOutcome::Refused(Refusal::Removed {
            reason: "Chuyển đi nơi khác".to_string(),
        })
    }

    #[test]
    fn an_answer_is_found_only_by_its_user_area_and_request_and_only_while_kept() {
        let kept = FormOutcomes::default();
        let (user, area) = (UserId::new(1), AreaId::new(2));
        kept.keep((user, area, "abc"), &outcome(), 1_000);
        assert!(kept.get((user, area, "abc"), 1_000 + KEPT_MS - 1).is_some());
        assert!(kept.get((UserId::new(9), area, "abc"), 1_000).is_none());
        assert!(kept.get((user, AreaId::new(9), "abc"), 1_000).is_none());
        assert!(kept.get((user, area, "abd"), 1_000).is_none());
        assert!(kept.get((user, area, "abc"), 1_000 + KEPT_MS).is_none());
    }
}
