//! Sessions read in the last moments, so that the requests of a signed-in station (on election
//! day a ward's stations send thousands a second between them) do not each read their session
//! and account from the database again.
//!
//! Whatever ends a session or changes an account (signing out, a password change or reset,
//! disabling) calls `forget_all` once it has committed, so on this server the change holds from
//! the very next request. An entry is kept only if no `forget_all` came between the moment its
//! read began and the moment it is stored: a read that raced with a change may have seen the
//! old rows, and is dropped. Changes made behind this server's back (another process, the
//! command line) are seen within `LIFETIME`.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use crate::storage::sessions::SessionRecord;

/// How long a session read from the database is used without reading it again.
pub const LIFETIME: Duration = Duration::from_secs(2);
/// Entries kept at most before the stale ones are swept out.
const SWEEP_ABOVE: usize = 1024;

#[derive(Clone, Default)]
pub struct SessionCache(Arc<Mutex<Entries>>);

#[derive(Default)]
struct Entries {
    /// Moves on every `forget_all`.
    generation: u64,
    by_token_hash: HashMap<String, (SessionRecord, Instant)>,
}

/// Taken before reading a session from the database; see [`SessionCache::keep`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Generation(u64);

impl SessionCache {
    fn entries(&self) -> MutexGuard<'_, Entries> {
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The session as read less than `LIFETIME` ago.
    pub fn get(&self, token_hash: &str) -> Option<SessionRecord> {
        self.entries()
            .by_token_hash
            .get(token_hash)
            .filter(|(_, read_at)| read_at.elapsed() < LIFETIME)
            .map(|(record, _)| record.clone())
    }

    /// To be taken before the session is read from the database.
    pub fn generation(&self) -> Generation {
        Generation(self.entries().generation)
    }

    /// Keeps a session read from the database, unless something was forgotten since its read
    /// began (`generation`).
    pub fn keep(&self, token_hash: &str, record: SessionRecord, generation: Generation) {
        let mut entries = self.entries();
        if entries.generation != generation.0 {
            return;
        }
        if entries.by_token_hash.len() >= SWEEP_ABOVE {
            entries
                .by_token_hash
                .retain(|_, (_, read_at)| read_at.elapsed() < LIFETIME);
        }
        entries
            .by_token_hash
            .insert(token_hash.to_string(), (record, Instant::now()));
    }

    /// The session's `last_seen_ms` was written to the database.
    pub fn touched(&self, token_hash: &str, last_seen_ms: i64) {
        if let Some((record, _)) = self.entries().by_token_hash.get_mut(token_hash) {
            record.last_seen_ms = last_seen_ms;
        }
    }

    /// Sessions or accounts changed: read every session from the database again.
    pub fn forget_all(&self) {
        let mut entries = self.entries();
        entries.generation += 1;
        entries.by_token_hash.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ids::{AreaId, UserId};

    fn record(user_id: UserId) -> SessionRecord {
        SessionRecord {
            user_id,
            username: format!("user{user_id}"),
            display_name: "Tổ bầu cử".into(),
            role: "station".into(),
            disabled: false,
            expires_at_ms: 1,
            last_seen_ms: 1,
            assigned_areas: vec![AreaId::new(1)],
        }
    }

    #[test]
    fn a_kept_session_is_found_until_everything_is_forgotten() {
        let cache = SessionCache::default();
        assert!(cache.get("a").is_none());
        cache.keep("a", record(UserId::new(1)), cache.generation());
        assert_eq!(cache.get("a").map(|r| r.user_id), Some(UserId::new(1)));
        cache.touched("a", 99);
        assert_eq!(cache.get("a").map(|r| r.last_seen_ms), Some(99));
        cache.forget_all();
        assert!(cache.get("a").is_none());
    }

    #[test]
    fn a_read_that_raced_with_a_change_is_not_kept() {
        let cache = SessionCache::default();
        let before_read = cache.generation();
        // The session is disabled and forgotten while its old row is being read.
        cache.forget_all();
        cache.keep("a", record(UserId::new(1)), before_read);
        assert!(cache.get("a").is_none());
        cache.keep("a", record(UserId::new(1)), cache.generation());
        assert!(cache.get("a").is_some());
    }

    #[test]
    fn stale_entries_are_swept_once_there_are_many() {
        let cache = SessionCache::default();
        for i in 0..SWEEP_ABOVE {
            cache.keep(&format!("t{i}"), record(UserId::new(1)), cache.generation());
        }
        for (_, read_at) in cache.entries().by_token_hash.values_mut() {
            *read_at -= LIFETIME;
        }
        cache.keep("fresh", record(UserId::new(2)), cache.generation());
        assert_eq!(cache.entries().by_token_hash.len(), 1);
        assert!(cache.get("t0").is_none());
    }
}
