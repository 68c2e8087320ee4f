//! Live turnout counts kept in memory, so check-ins and hundreds of open dashboards never wait
//! on counting queries. Loaded from the database on first use, moved by every committed check-in
//! or undo, and refreshed from the database now and then, which also picks up list amendments
//! and check-ins written by another server process.
//!
//! A refresh must neither stall check-ins (counting a million-voter list takes a while) nor
//! count a check-in twice or not at all. It reads in one snapshot, pinned while the counts are
//! held (so every commit is either in the snapshot and already applied, or after it); the
//! movements committed after the pin are logged and replayed on the fresh counts.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use sqlx::AnyConnection;
use tokio::sync::{watch, Mutex, MutexGuard};

use super::model::{AreaTurnout, Count, Turnout, LEVELS_IN_ORDER};
use crate::domain::voter::Levels;
use crate::storage::checkins as store;
use crate::storage::db::now_ms;
use crate::storage::Db;
use crate::voters::model::ElectionSummary;

/// How long counts are trusted before they are read again from the database.
const RELOAD_AFTER: Duration = Duration::from_secs(30);

/// A committed change to the counts.
#[derive(Debug, Clone, Copy)]
pub struct Movement {
    pub election_id: i64,
    pub area_id: i64,
    pub levels: Levels,
    /// +1 for a check-in, -1 for an undo.
    pub delta: i64,
    /// (number, time) of a new check-in.
    pub latest: Option<(i64, i64)>,
}

struct ElectionCounts {
    turnout: Turnout,
    loaded_at: Instant,
    /// The board as the dashboards receive it, made once per change however many listen.
    json: Option<Arc<str>>,
}

/// Everything behind the board's lock.
#[derive(Default)]
struct Counts {
    elections: HashMap<i64, ElectionCounts>,
    /// Elections being refreshed: `None` until the refresh's snapshot is pinned, then the
    /// movements committed since (not in the snapshot, to be replayed).
    refreshing: HashMap<i64, Option<Vec<Movement>>>,
}

#[derive(Clone)]
pub struct TallyBoard {
    db: Db,
    counts: Arc<Mutex<Counts>>,
    changed: Arc<watch::Sender<u64>>,
}

fn add_levels(count: &mut [Count; 3], levels: Levels, on_list: i64, voted: i64) {
    for (slot, level) in count.iter_mut().zip(LEVELS_IN_ORDER) {
        if levels.contains(level) {
            slot.on_list += on_list;
            slot.voted += voted;
        }
    }
}

impl TallyBoard {
    pub fn new(db: Db) -> TallyBoard {
        TallyBoard {
            db,
            counts: Arc::new(Mutex::new(Counts::default())),
            changed: Arc::new(watch::channel(0).0),
        }
    }

    /// Ticks after every change; dashboards wait on it.
    pub fn subscribe(&self) -> watch::Receiver<u64> {
        self.changed.subscribe()
    }

    /// The election's counts as the database has them, read through `connection`.
    async fn read_turnout(
        connection: &mut AnyConnection,
        election: ElectionSummary,
    ) -> Result<Turnout, sqlx::Error> {
        let election_id = election.id;
        let areas = crate::storage::voters::areas(&mut *connection, election_id).await?;
        let on_list = store::on_list_by_area(&mut *connection, election_id).await?;
        let voted = store::counts_by_area(&mut *connection, election_id).await?;
        let latest = store::latest_by_area(&mut *connection, election_id).await?;
        let mut turnout = Turnout {
            election_id,
            election_name: election.name,
            levels: election.levels,
            areas: areas
                .iter()
                .map(|area| AreaTurnout {
                    area_id: area.id,
                    number: area.number,
                    name: area.name.clone(),
                    levels: area.levels,
                    all: Count::default(),
                    per_level: [Count::default(); 3],
                    latest: latest.get(&area.id).copied(),
                })
                .collect(),
            ward: Count::default(),
            ward_per_level: [Count::default(); 3],
            as_of_ms: now_ms(),
        };
        let index: HashMap<i64, usize> = turnout
            .areas
            .iter()
            .enumerate()
            .map(|(i, a)| (a.area_id, i))
            .collect();
        for (area_id, levels, count) in on_list {
            if let Some(area) = index.get(&area_id).map(|&i| &mut turnout.areas[i]) {
                area.all.on_list += count;
                add_levels(&mut area.per_level, levels.intersect(area.levels), count, 0);
            }
        }
        for (area_id, levels, count) in voted {
            if let Some(area) = index.get(&area_id).map(|&i| &mut turnout.areas[i]) {
                area.all.voted += count;
                add_levels(&mut area.per_level, levels, 0, count);
            }
        }
        turnout.recount_ward();
        Ok(turnout)
    }

    /// First load of an election, while the caller holds the counts (nothing can commit in
    /// between, so nothing is counted twice).
    async fn load(&self, election_id: i64) -> Result<Option<Turnout>, sqlx::Error> {
        let mut connection = self.db.pool().acquire().await?;
        let Some(election) =
            crate::storage::voters::election(&mut *connection, election_id).await?
        else {
            return Ok(None);
        };
        Self::read_turnout(&mut connection, election)
            .await
            .map(Some)
    }

    /// Reads the election's counts again without holding up check-ins, then replaces the
    /// in-memory counts (see the module comment). Called in the background when counts are
    /// old; public for tests.
    pub async fn refresh(&self, election_id: i64) -> Result<(), sqlx::Error> {
        self.counts
            .lock()
            .await
            .refreshing
            .entry(election_id)
            .or_insert(None);
        let read = self.read_in_snapshot(election_id).await;
        let mut counts = self.counts.lock().await;
        let committed_since = counts.refreshing.remove(&election_id).flatten();
        let read = read.inspect_err(|_| {
            // Keep the counts (movements still keep them current) and try again later.
            if let Some(loaded) = counts.elections.get_mut(&election_id) {
                loaded.loaded_at = Instant::now();
            }
        });
        let Some(mut turnout) = read? else {
            counts.elections.remove(&election_id);
            return Ok(());
        };
        for movement in committed_since.unwrap_or_default() {
            apply_movement(&mut turnout, &movement);
        }
        counts.elections.insert(
            election_id,
            ElectionCounts {
                turnout,
                loaded_at: Instant::now(),
                json: None,
            },
        );
        drop(counts);
        self.changed.send_modify(|version| *version += 1);
        Ok(())
    }

    async fn read_in_snapshot(&self, election_id: i64) -> Result<Option<Turnout>, sqlx::Error> {
        let mut snapshot = self.db.begin_snapshot().await?;
        let election = {
            let mut counts = self.counts.lock().await;
            // The first read pins the snapshot; from here on commits are logged.
            let election = crate::storage::voters::election(&mut *snapshot, election_id).await?;
            counts.refreshing.insert(election_id, Some(Vec::new()));
            election
        };
        let Some(election) = election else {
            return Ok(None);
        };
        let turnout = Self::read_turnout(&mut snapshot, election).await?;
        snapshot.rollback().await?;
        Ok(Some(turnout))
    }

    /// Runs `read` on the election's current counts, loading them first when they are missing
    /// or old; `None` when there is no such election.
    async fn with_counts<R>(
        &self,
        election_id: i64,
        read: impl FnOnce(&mut ElectionCounts) -> R,
    ) -> Result<Option<R>, sqlx::Error> {
        let mut counts = self.counts.lock().await;
        match counts.elections.get(&election_id) {
            None => match self.load(election_id).await? {
                Some(turnout) => {
                    counts.elections.insert(
                        election_id,
                        ElectionCounts {
                            turnout,
                            loaded_at: Instant::now(),
                            json: None,
                        },
                    );
                }
                None => return Ok(None),
            },
            Some(loaded)
                if loaded.loaded_at.elapsed() >= RELOAD_AFTER
                    && !counts.refreshing.contains_key(&election_id) =>
            {
                counts.refreshing.insert(election_id, None);
                let board = self.clone();
                tokio::spawn(async move {
                    if let Err(error) = board.refresh(election_id).await {
                        tracing::warn!(%error, election_id, "turnout refresh failed; counts kept");
                    }
                });
            }
            Some(_) => {}
        }
        Ok(counts.elections.get_mut(&election_id).map(read))
    }

    /// The current turnout of an election; `None` when there is no such election.
    pub async fn turnout(&self, election_id: i64) -> Result<Option<Turnout>, sqlx::Error> {
        self.with_counts(election_id, |counts| counts.turnout.clone())
            .await
    }

    /// The current turnout as JSON, shared by every dashboard until the next change.
    pub async fn turnout_json(&self, election_id: i64) -> Result<Option<Arc<str>>, sqlx::Error> {
        self.with_counts(election_id, |counts| {
            counts
                .json
                .get_or_insert_with(|| {
                    serde_json::to_string(&counts.turnout)
                        .unwrap_or_default()
                        .into()
                })
                .clone()
        })
        .await
    }

    /// Voters checked in / on the list of one area.
    pub async fn area(&self, election_id: i64, area_id: i64) -> Result<Count, sqlx::Error> {
        Ok(self
            .with_counts(election_id, |counts| {
                counts
                    .turnout
                    .areas
                    .iter()
                    .find(|a| a.area_id == area_id)
                    .map(|a| a.all)
            })
            .await?
            .flatten()
            .unwrap_or_default())
    }

    /// Holds the counts still while a transaction of check-ins or undos commits, so a reload
    /// from the database cannot fall between the commit and its movements (which would count
    /// those check-ins twice). Commit while holding, then `apply`.
    pub async fn hold(&self) -> HeldCounts<'_> {
        HeldCounts {
            counts: self.counts.lock().await,
            changed: &self.changed,
        }
    }
}

/// The counts, locked for a commit; see [`TallyBoard::hold`].
pub struct HeldCounts<'a> {
    counts: MutexGuard<'a, Counts>,
    changed: &'a watch::Sender<u64>,
}

impl HeldCounts<'_> {
    /// Applies committed check-ins and undos, then wakes the dashboards.
    pub fn apply(mut self, movements: &[Movement]) {
        if movements.is_empty() {
            return;
        }
        let counts = &mut *self.counts;
        for movement in movements {
            if let Some(Some(log)) = counts.refreshing.get_mut(&movement.election_id) {
                log.push(*movement);
            }
            let Some(loaded) = counts.elections.get_mut(&movement.election_id) else {
                continue; // not loaded yet: the first reader loads it with this change
            };
            apply_movement(&mut loaded.turnout, movement);
            loaded.json = None;
        }
        drop(self.counts);
        self.changed.send_modify(|version| *version += 1);
    }
}

fn apply_movement(turnout: &mut Turnout, movement: &Movement) {
    if let Some(area) = turnout
        .areas
        .iter_mut()
        .find(|a| a.area_id == movement.area_id)
    {
        area.all.voted += movement.delta;
        add_levels(&mut area.per_level, movement.levels, 0, movement.delta);
        if movement.latest.is_some() {
            area.latest = movement.latest;
        }
    }
    turnout.as_of_ms = now_ms();
    turnout.recount_ward();
}
