//! Live turnout counts kept in memory, so check-ins and hundreds of open dashboards never wait
//! on counting queries. Loaded from the database on first use, moved by every committed check-in
//! or undo, and refreshed from the database now and then, which also picks up list amendments
//! and check-ins written by another server process.
//!
//! A refresh must neither stall check-ins nor count a check-in twice or not at all. It reads in
//! one snapshot, pinned while the counts are held (so every commit is either in the snapshot and
//! already applied, or after it); the movements committed after the pin are logged and replayed
//! on the fresh counts.
//!
//! With several servers on PostgreSQL, the check-ins another server commits arrive through the
//! change feed as announced movements, after their commit and at any moment relative to this
//! board's reads. Each announcement carries its transaction id, and the counts keep the
//! PostgreSQL snapshot they were read in: an announced movement the snapshot already saw is
//! skipped, any other applied (and logged while a refresh reads, for the same test at replay).
//!
//! Counting who is on the list reads every voter row (a second of CPU at a million voters, on a
//! machine that is serving check-ins meanwhile), so a refresh keeps the list counts it has unless
//! this process changed a list since (`lists_changed`, which also asks for a refresh at once)
//! or they are older than `LIST_RECOUNT_AFTER` (amendments made by another process).

use crate::domain::ids::{AreaId, ElectionId};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use sqlx::AnyConnection;
use tokio::sync::{watch, Mutex, MutexGuard};

use crate::domain::turnout::{AreaTurnout, Count, Turnout, LEVELS_IN_ORDER};
use crate::domain::voter::Levels;
use crate::domain::ward::ElectionSummary;
use crate::storage::change_feed::{self, CountMove, Snapshot};
use crate::storage::checkins as store;
use crate::storage::db::now_ms;
use crate::storage::db::{Db, Engine};

/// How long counts are trusted before they are read again from the database.
const RELOAD_AFTER: Duration = Duration::from_secs(30);
/// How long list counts are trusted when this process changed no list: the delay before the
/// board shows a list amendment made by another server process.
const LIST_RECOUNT_AFTER: Duration = Duration::from_secs(600);

/// A committed change to the counts.
#[derive(Debug, Clone, Copy)]
pub struct Movement {
    pub election_id: ElectionId,
    pub area_id: AreaId,
    pub levels: Levels,
    /// +1 for a check-in, -1 for an undo.
    pub delta: i64,
    /// (number, time) of a new check-in.
    pub latest: Option<(i64, i64)>,
}

/// (area id, entitlement levels, how many) of the active voters, as last counted.
type ListRows = Arc<Vec<(AreaId, Levels, i64)>>;

#[derive(Clone)]
struct ListCount {
    rows: ListRows,
    /// `TallyBoard::lists` when counting began.
    generation: u64,
    counted_at: Instant,
}

struct ElectionCounts {
    turnout: Turnout,
    /// PostgreSQL: the snapshot the counts were read in (see the module comment).
    snapshot: Option<Snapshot>,
    loaded_at: Instant,
    list: ListCount,
    /// A list of this process changed: refresh on the next read, whatever `loaded_at` says.
    refresh_due: bool,
    /// The board as the dashboards receive it, made once per change however many listen.
    json: Option<Arc<str>>,
}

/// Everything behind the board's lock.
#[derive(Default)]
struct Counts {
    elections: HashMap<ElectionId, ElectionCounts>,
    /// Elections being refreshed: `None` until the refresh's snapshot is pinned, then the
    /// movements committed since (not in the snapshot, to be replayed).
    refreshing: HashMap<ElectionId, Option<Vec<Logged>>>,
}

/// A movement committed while a refresh reads: by this server (replayed), or announced by
/// another with its transaction id (replayed unless the refresh's snapshot saw it).
#[derive(Debug, Clone, Copy)]
struct Logged {
    movement: Movement,
    announced_in: Option<u64>,
}

#[derive(Clone)]
pub struct TallyBoard {
    db: Db,
    counts: Arc<Mutex<Counts>>,
    changed: Arc<watch::Sender<u64>>,
    /// Moves on every list change made through this process.
    lists: Arc<AtomicU64>,
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
            lists: Arc::new(AtomicU64::new(0)),
        }
    }

    /// Tells the board that a voter list changed (import, addition, correction, status), after
    /// the change committed: the next read refreshes the counts, list included.
    pub async fn lists_changed(&self) {
        self.lists.fetch_add(1, Ordering::SeqCst);
        for loaded in self.counts.lock().await.elections.values_mut() {
            loaded.refresh_due = true;
        }
    }

    /// Counts the list unless `kept` is recent and no list changed since it was counted.
    async fn list_count(
        &self,
        connection: &mut AnyConnection,
        election_id: ElectionId,
        kept: Option<ListCount>,
    ) -> Result<ListCount, sqlx::Error> {
        // Read before the count's snapshot: a change committed after this read moves the
        // generation, so the count is redone on the next refresh.
        let generation = self.lists.load(Ordering::SeqCst);
        if let Some(kept) = kept.filter(|kept| {
            kept.generation == generation && kept.counted_at.elapsed() < LIST_RECOUNT_AFTER
        }) {
            return Ok(kept);
        }
        Ok(ListCount {
            rows: Arc::new(store::on_list_by_area(&mut *connection, election_id).await?),
            generation,
            counted_at: Instant::now(),
        })
    }

    /// Ticks after every change; dashboards wait on it.
    pub fn subscribe(&self) -> watch::Receiver<u64> {
        self.changed.subscribe()
    }

    /// The election's counts as the database has them, read through `connection`, with the
    /// list counted in `list`.
    async fn read_turnout(
        connection: &mut AnyConnection,
        election: ElectionSummary,
        list: &ListCount,
    ) -> Result<Turnout, sqlx::Error> {
        let election_id = election.id;
        let areas = store::board_areas(&mut *connection, election_id).await?;
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
        let index: HashMap<AreaId, usize> = turnout
            .areas
            .iter()
            .enumerate()
            .map(|(i, a)| (a.area_id, i))
            .collect();
        for &(area_id, levels, count) in list.rows.iter() {
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
    async fn load(&self, election_id: ElectionId) -> Result<Option<ElectionCounts>, sqlx::Error> {
        let mut snapshot = self.db.begin_snapshot().await?;
        let seen = self.pinned_snapshot(&mut snapshot).await?;
        let Some(election) = crate::storage::voters::election(&mut *snapshot, election_id).await?
        else {
            return Ok(None);
        };
        let list = self.list_count(&mut snapshot, election_id, None).await?;
        let turnout = Self::read_turnout(&mut snapshot, election, &list).await?;
        snapshot.rollback().await?;
        Ok(Some(ElectionCounts::new(turnout, list, seen)))
    }

    /// PostgreSQL: pins the read transaction's snapshot (its first statement) and says what it
    /// sees. SQLite has one server, whose own movements need no such test.
    async fn pinned_snapshot(
        &self,
        connection: &mut AnyConnection,
    ) -> Result<Option<Snapshot>, sqlx::Error> {
        match self.db.engine() {
            Engine::Postgres => Ok(Some(change_feed::current_snapshot(connection).await?)),
            Engine::Sqlite => Ok(None),
        }
    }

    /// Reads the election's counts again without holding up check-ins, then replaces the
    /// in-memory counts (see the module comment). Called in the background when counts are
    /// old; public for tests.
    pub async fn refresh(&self, election_id: ElectionId) -> Result<(), sqlx::Error> {
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
        let Some((mut turnout, list, seen)) = read? else {
            counts.elections.remove(&election_id);
            return Ok(());
        };
        for logged in committed_since.unwrap_or_default() {
            let already_read = logged
                .announced_in
                .zip(seen.as_ref())
                .is_some_and(|(xid, seen)| seen.sees(xid));
            if !already_read {
                apply_movement(&mut turnout, &logged.movement);
            }
        }
        let refresh_due = counts
            .elections
            .get(&election_id)
            .is_some_and(|loaded| loaded.refresh_due);
        let mut fresh = ElectionCounts::new(turnout, list, seen);
        // A list changed while this refresh read: its count may predate the change.
        fresh.refresh_due = refresh_due;
        counts.elections.insert(election_id, fresh);
        drop(counts);
        self.changed.send_modify(|version| *version += 1);
        Ok(())
    }

    async fn read_in_snapshot(
        &self,
        election_id: ElectionId,
    ) -> Result<Option<(Turnout, ListCount, Option<Snapshot>)>, sqlx::Error> {
        let mut snapshot = self.db.begin_snapshot().await?;
        let (election, kept, seen) = {
            let mut counts = self.counts.lock().await;
            // The first read pins the snapshot; from here on commits are logged.
            let seen = self.pinned_snapshot(&mut snapshot).await?;
            let election = crate::storage::voters::election(&mut *snapshot, election_id).await?;
            counts.refreshing.insert(election_id, Some(Vec::new()));
            let kept = counts
                .elections
                .get(&election_id)
                .map(|loaded| loaded.list.clone());
            (election, kept, seen)
        };
        let Some(election) = election else {
            return Ok(None);
        };
        let list = self.list_count(&mut snapshot, election_id, kept).await?;
        let turnout = Self::read_turnout(&mut snapshot, election, &list).await?;
        snapshot.rollback().await?;
        Ok(Some((turnout, list, seen)))
    }

    /// Runs `read` on the election's current counts, loading them first when they are missing
    /// or old; `None` when there is no such election.
    async fn with_counts<R>(
        &self,
        election_id: ElectionId,
        read: impl FnOnce(&mut ElectionCounts) -> R,
    ) -> Result<Option<R>, sqlx::Error> {
        let mut counts = self.counts.lock().await;
        match counts.elections.get(&election_id) {
            None => match self.load(election_id).await? {
                Some(loaded) => {
                    counts.elections.insert(election_id, loaded);
                }
                None => return Ok(None),
            },
            Some(loaded)
                if (loaded.refresh_due || loaded.loaded_at.elapsed() >= RELOAD_AFTER)
                    && !counts.refreshing.contains_key(&election_id) =>
            {
                self.start_refresh(&mut counts, election_id);
            }
            Some(_) => {}
        }
        Ok(counts.elections.get_mut(&election_id).map(read))
    }

    /// Starts a refresh in the background, or asks for another when one is reading already.
    fn start_refresh(&self, counts: &mut Counts, election_id: ElectionId) {
        let Some(loaded) = counts.elections.get_mut(&election_id) else {
            return; // the first reader loads it
        };
        if counts.refreshing.contains_key(&election_id) {
            loaded.refresh_due = true;
            return;
        }
        loaded.refresh_due = false;
        counts.refreshing.insert(election_id, None);
        let board = self.clone();
        tokio::spawn(async move {
            if let Err(error) = board.refresh(election_id).await {
                tracing::warn!(%error, %election_id, "turnout refresh failed; counts kept");
            }
        });
    }

    /// Reads the counts of these elections (every loaded one for `None`) again now: another
    /// server changed what movements do not tell (lists, areas), or the change feed was lost
    /// and this board cannot know what it missed.
    pub async fn refresh_now(&self, elections: Option<&[ElectionId]>) {
        let mut counts = self.counts.lock().await;
        let chosen: Vec<ElectionId> = match elections {
            Some(chosen) => chosen.to_vec(),
            None => counts.elections.keys().copied().collect(),
        };
        for election_id in chosen {
            self.start_refresh(&mut counts, election_id);
        }
    }

    /// Applies check-ins and undos another server committed in transaction `xid` (see the
    /// module comment), then wakes the dashboards.
    pub async fn apply_announced(&self, xid: u64, moves: &[CountMove]) {
        let mut counts = self.counts.lock().await;
        let counts = &mut *counts;
        for announced in moves {
            let movement = Movement {
                election_id: announced.election_id,
                area_id: announced.area_id,
                levels: announced.levels,
                delta: announced.delta,
                latest: announced.latest,
            };
            if let Some(Some(log)) = counts.refreshing.get_mut(&movement.election_id) {
                log.push(Logged {
                    movement,
                    announced_in: Some(xid),
                });
            }
            let Some(loaded) = counts.elections.get_mut(&movement.election_id) else {
                continue; // not loaded: the first reader reads it with this change
            };
            if loaded.snapshot.as_ref().is_some_and(|seen| seen.sees(xid)) {
                continue;
            }
            apply_movement(&mut loaded.turnout, &movement);
            loaded.json = None;
        }
        self.changed.send_modify(|version| *version += 1);
    }

    /// The current turnout of an election; `None` when there is no such election.
    pub async fn turnout(&self, election_id: ElectionId) -> Result<Option<Turnout>, sqlx::Error> {
        self.with_counts(election_id, |counts| counts.turnout.clone())
            .await
    }

    /// The current turnout as JSON, shared by every dashboard until the next change.
    pub async fn turnout_json(
        &self,
        election_id: ElectionId,
    ) -> Result<Option<Arc<str>>, sqlx::Error> {
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
    pub async fn area(
        &self,
        election_id: ElectionId,
        area_id: AreaId,
    ) -> Result<Count, sqlx::Error> {
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

impl ElectionCounts {
    fn new(turnout: Turnout, list: ListCount, snapshot: Option<Snapshot>) -> ElectionCounts {
        ElectionCounts {
            turnout,
            snapshot,
            loaded_at: Instant::now(),
            list,
            refresh_due: false,
            json: None,
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
                log.push(Logged {
                    movement: *movement,
                    announced_in: None,
                });
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
