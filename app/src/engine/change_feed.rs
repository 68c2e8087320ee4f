//! Keeps this server in step with what other servers on the same PostgreSQL commit. Each
//! server holds one `LISTEN cutri` connection and applies what the database's triggers
//! announce (`storage/change_feed.rs`): check-ins and undos move its tallies and reach its
//! dashboards, changed voters are read again into its search index, ended sessions and changed
//! accounts are forgotten from its session cache, changed elections and areas refresh its
//! boards. Its own announcements it skips: it applied them as it committed.
//!
//! Announcements are not stored: what is sent while a server is not listening is lost to it.
//! So a server listens before it builds its search index, and when the connection is lost (or
//! stops hearing the heartbeat it sends itself every `HEARTBEAT_EVERY`) it listens again and
//! then reads everything it keeps in memory again from the tables. Until it hears again,
//! `/healthz` reports it unhealthy and the load balancer sends its requests elsewhere.
//!
//! SQLite has no feed: one server serves a file (`server::claim_sqlite_file`).

use std::collections::{BTreeSet, HashMap};
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use sqlx::postgres::{PgListener, PgNotification};

use crate::domain::ids::{ElectionId, VoterId};
use crate::engine::search_index::SearchIndex;
use crate::engine::session_cache::SessionCache;
use crate::engine::tally::TallyBoard;
use crate::storage::change_feed::{self, Announcement, Change, CHANNEL};
use crate::storage::db::{now_ms, Db};

/// How often a server sends itself a heartbeat through the database.
const HEARTBEAT_EVERY: Duration = Duration::from_secs(2);
/// Heard nothing for this long: the listening connection is taken for lost.
const DEAF_AFTER: Duration = Duration::from_secs(10);
/// Pause before listening again after a loss.
const RECONNECT_AFTER: Duration = Duration::from_millis(500);

/// Whether this server hears the others, for `/healthz`.
#[derive(Clone, Default)]
pub struct ChangeFeed(Option<Arc<Hearing>>);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeedStatus {
    /// SQLite: one server, nothing to hear.
    NotNeeded,
    Listening,
    /// Not listening, or nothing heard for `DEAF_AFTER`.
    Deaf,
}

#[derive(Default)]
struct Hearing {
    listening: AtomicBool,
    last_heard_ms: AtomicI64,
}

impl Hearing {
    fn heard(&self) {
        self.last_heard_ms.store(now_ms(), Ordering::SeqCst);
    }

    fn is_deaf(&self) -> bool {
        let silent_ms = now_ms() - self.last_heard_ms.load(Ordering::SeqCst);
        !self.listening.load(Ordering::SeqCst)
            || silent_ms > i64::try_from(DEAF_AFTER.as_millis()).unwrap_or(i64::MAX)
    }
}

impl ChangeFeed {
    pub fn status(&self) -> FeedStatus {
        match &self.0 {
            None => FeedStatus::NotNeeded,
            Some(hearing) if hearing.is_deaf() => FeedStatus::Deaf,
            Some(_) => FeedStatus::Listening,
        }
    }
}

/// A listening connection opened before the server reads what it keeps in memory, so that
/// nothing committed in between goes unheard; `start` applies what it hears.
pub struct Subscription {
    listener: PgListener,
    url: String,
}

/// What the feed keeps in step.
#[derive(Clone)]
pub struct Followers {
    pub db: Db,
    pub tallies: TallyBoard,
    pub search_index: SearchIndex,
    pub sessions: SessionCache,
}

async fn listen(url: &str) -> Result<PgListener, sqlx::Error> {
    let mut listener = PgListener::connect(url).await?;
    listener.listen(CHANNEL).await?;
    Ok(listener)
}

impl Subscription {
    /// Listens on the feed; `None` on SQLite.
    pub async fn open(db: &Db) -> Result<Option<Subscription>, sqlx::Error> {
        let Some(url) = db.listen_url() else {
            return Ok(None);
        };
        Ok(Some(Subscription {
            listener: listen(url).await?,
            url: url.to_string(),
        }))
    }

    /// Applies what is heard from now on, in the background, for as long as the server runs.
    pub fn start(self, followers: Followers) -> ChangeFeed {
        let hearing = Arc::new(Hearing::default());
        hearing.listening.store(true, Ordering::SeqCst);
        hearing.heard();
        tokio::spawn(send_heartbeats(followers.db.clone()));
        tokio::spawn(supervise(self, followers, hearing.clone()));
        ChangeFeed(Some(hearing))
    }
}

async fn send_heartbeats(db: Db) {
    let mut every = tokio::time::interval(HEARTBEAT_EVERY);
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        every.tick().await;
        if let Err(error) = change_feed::send_heartbeat(db.pool(), db.origin()).await {
            tracing::warn!(%error, "change feed: heartbeat not sent");
        }
    }
}

/// Listens, and after every loss listens again and reads again from the tables.
async fn supervise(first: Subscription, followers: Followers, hearing: Arc<Hearing>) {
    let Subscription { listener, url } = first;
    let mut listener = Some(listener);
    loop {
        let current = match listener.take() {
            Some(current) => current,
            None => match listen(&url).await {
                Ok(current) => {
                    hearing.heard();
                    hearing.listening.store(true, Ordering::SeqCst);
                    // Listening first, then reading: a change committed in between is both
                    // read and heard, and applying it twice is harmless (see `resync`).
                    followers.resync().await;
                    tracing::info!("change feed: listening again; memory read again");
                    current
                }
                Err(error) => {
                    tracing::warn!(%error, "change feed: cannot listen; trying again");
                    tokio::time::sleep(RECONNECT_AFTER).await;
                    continue;
                }
            },
        };
        let mut receiving = tokio::spawn(receive(current, followers.clone(), hearing.clone()));
        loop {
            tokio::select! {
                _ = &mut receiving => break,
                () = tokio::time::sleep(HEARTBEAT_EVERY) => {
                    if hearing.is_deaf() {
                        tracing::warn!("change feed: nothing heard; listening again");
                        receiving.abort();
                        break;
                    }
                }
            }
        }
        hearing.listening.store(false, Ordering::SeqCst);
        tokio::time::sleep(RECONNECT_AFTER).await;
    }
}

/// Applies notifications until the connection is lost.
async fn receive(mut listener: PgListener, followers: Followers, hearing: Arc<Hearing>) {
    loop {
        match listener.try_recv().await {
            Ok(Some(first)) => {
                let mut heard = vec![first];
                // What has already arrived is applied together: one index refresh per
                // election, one forgetting of sessions, however many announced them.
                while let Some(more) = listener.next_buffered() {
                    heard.push(more);
                }
                hearing.heard();
                followers.apply(&heard).await;
            }
            Ok(None) => {
                tracing::warn!("change feed: listening connection lost");
                return;
            }
            Err(error) => {
                tracing::warn!(%error, "change feed: listening connection failed");
                return;
            }
        }
    }
}

/// What a batch of announcements asks for, once each.
#[derive(Default)]
struct Pending {
    voters: HashMap<ElectionId, Option<BTreeSet<VoterId>>>,
    accounts: bool,
    boards: bool,
}

impl Followers {
    async fn apply(&self, heard: &[PgNotification]) {
        let mut pending = Pending::default();
        for notification in heard {
            let announcement = match change_feed::decode(notification.payload()) {
                Ok(announcement) => announcement,
                Err(problem) => {
                    tracing::warn!(%problem, "change feed: announcement not understood");
                    continue;
                }
            };
            if announcement.origin.as_deref() == Some(self.db.origin()) {
                continue; // applied when it committed (a heartbeat: heard, nothing to do)
            }
            self.apply_one(announcement, &mut pending).await;
        }
        if pending.accounts {
            self.sessions.forget_all();
        }
        if !pending.voters.is_empty() {
            self.tallies.lists_changed().await;
            pending.boards = true;
            // Reading voters again may take seconds (a whole election after an import):
            // meanwhile check-ins keep arriving and must reach the dashboards.
            let followers = self.clone();
            tokio::spawn(async move { followers.read_voters_again(pending.voters).await });
        }
        if pending.boards {
            self.tallies.refresh_now(None).await;
        }
    }

    async fn apply_one(&self, announcement: Announcement, pending: &mut Pending) {
        match announcement.change {
            Change::Turnout(moves) => {
                self.tallies.apply_announced(announcement.xid, &moves).await;
            }
            Change::TurnoutOf(elections) => self.tallies.refresh_now(Some(&elections)).await,
            Change::Voters(elections) => {
                for (election_id, named) in elections {
                    let entry = pending
                        .voters
                        .entry(election_id)
                        .or_insert_with(|| Some(BTreeSet::new()));
                    match (entry.as_mut(), named) {
                        (Some(kept), Some(named)) => kept.extend(named),
                        _ => *entry = None,
                    }
                }
            }
            Change::Accounts => pending.accounts = true,
            Change::Setup => pending.boards = true,
            Change::Heartbeat => {}
        }
    }

    async fn read_voters_again(&self, voters: HashMap<ElectionId, Option<BTreeSet<VoterId>>>) {
        for (election_id, named) in voters {
            match named {
                Some(named) => {
                    for voter_id in named {
                        self.search_index
                            .refresh_voter(&self.db, election_id, voter_id)
                            .await;
                    }
                }
                None => {
                    self.search_index
                        .reload_election(&self.db, election_id)
                        .await
                }
            }
        }
    }

    /// Reads again from the tables everything kept in memory that others may have changed
    /// while this server was not listening.
    async fn resync(&self) {
        self.sessions.forget_all();
        self.tallies.lists_changed().await;
        self.tallies.refresh_now(None).await;
        match crate::storage::voters::elections(self.db.pool()).await {
            Ok(elections) => {
                for election in elections {
                    self.search_index
                        .reload_election(&self.db, election.id)
                        .await;
                }
            }
            Err(error) => {
                tracing::warn!(%error, "change feed: elections not read; search index kept");
            }
        }
    }
}
