//! In-memory name search, one index per election (server only).
//!
//! The database stays the source of truth: the index holds only what a name search needs
//! (voter id, polling area, folded name) and answers with voter ids; the rows are then read by
//! id. It is built from the database at start-up and refreshed from the database after every
//! committed change to a name or area (import, add, correction), so it never holds anything the
//! database does not. An election without an index (build or refresh failed) is searched in SQL.
//!
//! Why: in a Vietnamese ward every short prefix ("ng", "th", "v") starts a large share of all
//! names, so the SQL word step had to read tens of thousands of index entries per query.
//!
//! Ranking is `engine::name_match`'s: which words of the name the typed words landed on (the
//! family and given name before a middle name), then whole words before word starts, then the
//! commoner name. Each word's postings are kept per position in the name (family, middle,
//! given), so the walk reads first the list that holds every candidate of the best tiers (the
//! family name's list of the first typed word, or the given name's of the last, whichever is
//! shorter; the polling area's voters when fewer) and stops once it holds enough hits that
//! nothing unread could outrank on tier and whole words.

use crate::domain::ids::{ElectionId, VoterId};
use std::cmp::Reverse;
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, RwLock};

use super::name_match::{self, Position, Quality, Tier};
use crate::domain::ward::VoterSummary;
use crate::storage::db::Db;
use crate::storage::voters::{self as store, SearchEntry, SearchQuery};

/// Where a voter's data sits in an election index; `area == 0` marks an unused slot.
#[derive(Debug, Clone, Copy, Default)]
struct Slot {
    area: u32,
    /// Byte range of the folded name in `ElectionIndex::names`.
    start: u32,
    len: u32,
}

/// The index of one election.
#[derive(Debug, Default)]
struct ElectionIndex {
    /// Voter id of `slots[0]`; ids of one election are close together, so slots are dense.
    base: u32,
    slots: Vec<Slot>,
    /// Every folded name, one after another. A corrected name is appended; the old bytes stay
    /// until the next rebuild (corrections are rare, a few bytes each).
    names: String,
    /// Distinct name words in byte order; a typed prefix is a contiguous range of them, the
    /// word typed whole (if it is one) first.
    words: Vec<Box<str>>,
    /// Per word, the ids of the voters having it as family name, as a middle name and as given
    /// name (`Position::slot`), each ascending.
    postings: Vec<[Vec<u32>; 3]>,
    /// Every voter id, ordered by (folded name, id): an exact name is a range of it.
    by_name: Vec<u32>,
    /// How many voters bear each folded name: equal matches list the commoner name first.
    name_counts: HashMap<Box<str>, u32>,
    /// Per polling area, its voters' ids ascending.
    areas: HashMap<u32, Vec<u32>>,
}

fn insert_sorted(list: &mut Vec<u32>, id: u32) {
    if let Err(at) = list.binary_search(&id) {
        list.insert(at, id);
    }
}

fn remove_sorted(list: &mut Vec<u32>, id: u32) {
    if let Ok(at) = list.binary_search(&id) {
        list.remove(at);
    }
}

const EXACT: Quality = Quality {
    tier: Tier::Exact,
    partial: 0,
    skipped: 0,
};

/// One search's hits while the posting lists are walked.
struct Walk<'a> {
    index: &'a ElectionIndex,
    tokens: &'a [String],
    area: Option<u32>,
    limit: usize,
    hits: Vec<(Quality, u32)>,
    taken: HashSet<u32>,
}

impl Walk<'_> {
    /// Hits kept while walking: past twice this many, only the best this many stay (a tie
    /// at the boundary keeps its lowest ids, as the walk is in id order).
    fn keep(&self) -> usize {
        self.limit.saturating_mul(4).max(256)
    }

    fn add(&mut self, id: u32, quality: Quality) {
        if self.taken.insert(id) {
            self.hits.push((quality, id));
            if self.hits.len() > 2 * self.keep() {
                self.hits.sort_unstable();
                self.hits.truncate(self.keep());
            }
        }
    }

    /// How many hits rank within `bound` (tier, typed words that only start a word).
    fn count_within(&self, bound: (Tier, u8)) -> usize {
        self.hits
            .iter()
            .filter(|(q, _)| (q.tier, q.partial) <= bound)
            .count()
    }

    /// Reads `lists` until `limit` hits rank on `tier` with as few typed words only starting a
    /// word as a hit of that tier can have, all better tiers having been read in full before;
    /// then nothing unread can outrank them. Whether it stopped for that.
    fn read<'l>(&mut self, lists: impl IntoIterator<Item = &'l [u32]>, tier: Tier) -> bool {
        let bound = (tier, self.index.least_partial(self.tokens, tier));
        let mut within = self.count_within(bound);
        for list in lists {
            for &id in list {
                if within >= self.limit {
                    return true;
                }
                let in_area = self
                    .area
                    .is_none_or(|a| self.index.slot(id).is_some_and(|s| s.area == a));
                if !in_area || self.taken.contains(&id) {
                    continue;
                }
                let Some(quality) = name_match::quality(self.index.name(id), self.tokens) else {
                    continue;
                };
                self.add(id, quality);
                within += usize::from((quality.tier, quality.partial) <= bound);
            }
        }
        within >= self.limit
    }

    /// The best `limit` hits, best first.
    fn ranked(mut self) -> Vec<u32> {
        let index = self.index;
        self.hits.sort_by_cached_key(|(quality, id)| {
            let name = index.name(*id);
            let count = index.name_counts.get(name).copied().unwrap_or(0);
            (*quality, Reverse(count), name, *id)
        });
        self.hits.truncate(self.limit);
        self.hits.into_iter().map(|(_, id)| id).collect()
    }
}

/// What one step of a search reads: the postings of a typed word at some positions.
struct Step {
    token: usize,
    positions: &'static [Position],
    /// The best tier a candidate read here can have (all better ones were read in full).
    reading: Tier,
    /// Every hit of this tier or better is known once the step has read its lists.
    complete: Tier,
}

impl ElectionIndex {
    /// `rows`: (voter id, area id, folded name), ascending by id.
    fn build(rows: Vec<(u32, u32, String)>) -> ElectionIndex {
        let base = rows.first().map(|r| r.0).unwrap_or(0);
        let span = rows.last().map(|r| r.0 - base + 1).unwrap_or(0);
        let mut index = ElectionIndex {
            base,
            slots: vec![Slot::default(); span as usize],
            ..ElectionIndex::default()
        };
        let mut by_word: HashMap<String, [Vec<u32>; 3]> = HashMap::new();
        for (id, area, name) in &rows {
            index.slots[(id - base) as usize] = index.place_name(*area, name);
            index.areas.entry(*area).or_default().push(*id);
            index.count_name(name, true);
            for (word, position) in name_match::positioned_words(name) {
                match by_word.get_mut(word) {
                    Some(lists) => lists[position.slot()].push(*id),
                    None => {
                        let mut lists: [Vec<u32>; 3] = Default::default();
                        lists[position.slot()].push(*id);
                        by_word.insert(word.to_string(), lists);
                    }
                }
            }
        }
        let mut words: Vec<(String, [Vec<u32>; 3])> = by_word.into_iter().collect();
        words.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        (index.words, index.postings) = words
            .into_iter()
            .map(|(word, ids)| (word.into_boxed_str(), ids))
            .unzip();
        let mut by_name: Vec<u32> = rows.iter().map(|r| r.0).collect();
        by_name.sort_by(|a, b| index.name(*a).cmp(index.name(*b)).then(a.cmp(b)));
        index.by_name = by_name;
        index
    }

    fn count_name(&mut self, name: &str, add: bool) {
        match self.name_counts.get_mut(name) {
            Some(count) if add => *count += 1,
            Some(count) if *count > 1 => *count -= 1,
            Some(_) => {
                self.name_counts.remove(name);
            }
            None if add => {
                self.name_counts.insert(name.into(), 1);
            }
            None => {}
        }
    }

    /// Appends the folded name to `names` and gives the voter's slot. Offsets are u32 to keep
    /// slots small; should one election's names ever pass 4 GiB, a name beyond that mark is
    /// kept empty (not found by name) rather than pointing into another voter's bytes.
    fn place_name(&mut self, area: u32, name: &str) -> Slot {
        match (u32::try_from(self.names.len()), u32::try_from(name.len())) {
            (Ok(start), Ok(len)) if start.checked_add(len).is_some() => {
                self.names.push_str(name);
                Slot { area, start, len }
            }
            _ => Slot {
                area,
                start: 0,
                len: 0,
            },
        }
    }

    fn slot(&self, id: u32) -> Option<Slot> {
        let at = id.checked_sub(self.base)? as usize;
        self.slots.get(at).copied().filter(|s| s.area != 0)
    }

    /// The folded name of a voter in the index ("" for an unknown id).
    fn name(&self, id: u32) -> &str {
        self.slot(id).map_or("", |s| {
            &self.names[s.start as usize..(s.start + s.len) as usize]
        })
    }

    /// Position in `by_name` where (name, id) is or would be.
    fn by_name_position(&self, name: &str, id: u32) -> Result<usize, usize> {
        self.by_name
            .binary_search_by(|other| self.name(*other).cmp(name).then(other.cmp(&id)))
    }

    /// Range of `words` starting with `prefix`.
    fn word_range(&self, prefix: &str) -> std::ops::Range<usize> {
        let start = self.words.partition_point(|w| &**w < prefix);
        let len = self.words[start..].partition_point(|w| w.starts_with(prefix));
        start..start + len
    }

    fn remove(&mut self, id: u32) {
        let Some(slot) = self.slot(id) else { return };
        let name = self.name(id).to_string();
        if let Ok(at) = self.by_name_position(&name, id) {
            self.by_name.remove(at);
        }
        self.count_name(&name, false);
        for (word, position) in name_match::positioned_words(&name) {
            if let Ok(at) = self.words.binary_search_by(|w| (**w).cmp(word)) {
                remove_sorted(&mut self.postings[at][position.slot()], id);
            }
        }
        if let Some(list) = self.areas.get_mut(&slot.area) {
            remove_sorted(list, id);
        }
        self.slots[(id - self.base) as usize] = Slot::default();
    }

    /// Adds the voter, or replaces what the index had for them.
    fn upsert(&mut self, id: u32, area: u32, name: &str) {
        self.remove(id);
        if self.slots.is_empty() {
            self.base = id;
        } else if id < self.base {
            let grow = (self.base - id) as usize;
            self.slots
                .splice(0..0, std::iter::repeat_n(Slot::default(), grow));
            self.base = id;
        }
        let at = (id - self.base) as usize;
        if at >= self.slots.len() {
            self.slots.resize(at + 1, Slot::default());
        }
        self.slots[at] = self.place_name(area, name);
        self.count_name(name, true);
        for (word, position) in name_match::positioned_words(name) {
            let found = match self.words.binary_search_by(|w| (**w).cmp(word)) {
                Ok(found) => found,
                Err(new) => {
                    self.words.insert(new, word.into());
                    self.postings.insert(new, Default::default());
                    new
                }
            };
            insert_sorted(&mut self.postings[found][position.slot()], id);
        }
        insert_sorted(self.areas.entry(area).or_default(), id);
        if let Err(position) = self.by_name_position(name, id) {
            self.by_name.insert(position, id);
        }
    }

    /// The posting lists of the words starting with `prefix` at `positions`, and their length.
    fn lists(&self, prefix: &str, positions: &[Position]) -> (Vec<&[u32]>, usize) {
        let lists: Vec<&[u32]> = self.postings[self.word_range(prefix)]
            .iter()
            .flat_map(|at| positions.iter().map(|p| at[p.slot()].as_slice()))
            .collect();
        let len = lists.iter().map(|l| l.len()).sum();
        (lists, len)
    }

    /// Whether `token` is a whole word of some name at one of `positions`.
    fn is_word_at(&self, token: &str, positions: &[Position]) -> bool {
        self.words
            .binary_search_by(|w| (**w).cmp(token))
            .is_ok_and(|word| {
                positions
                    .iter()
                    .any(|p| !self.postings[word][p.slot()].is_empty())
            })
    }

    /// The fewest typed words a hit of `tier` can have that only start their word: a typed word
    /// can be whole only where that word stands in some name at the position `tier` puts it.
    fn least_partial(&self, tokens: &[String], tier: Tier) -> u8 {
        let last = tokens.len().saturating_sub(1);
        let partial = tokens.iter().enumerate().filter(|(at, token)| {
            let position = match tier {
                Tier::FamilyAndGiven if *at == 0 => Some(Position::Family),
                Tier::FamilyAndGiven if *at == last => Some(Position::Given),
                Tier::FamilyAndGiven => Some(Position::Middle),
                Tier::LastWords | Tier::LastWordsStarted if *at == last => Some(Position::Given),
                Tier::FirstWords | Tier::FirstWordsStarted if *at == 0 => Some(Position::Family),
                _ => None,
            };
            let whole = match position {
                Some(position) => self.is_word_at(token, &[position]),
                None => self.is_word_at(token, &Position::ALL),
            };
            !whole
        });
        u8::try_from(partial.count()).unwrap_or(u8::MAX)
    }

    /// The voters whose names match `tokens` (folded typed words), best first, at most `limit`.
    fn search(&self, tokens: &[String], area: Option<u32>, limit: usize) -> Vec<u32> {
        if tokens.is_empty() || limit == 0 {
            return Vec::new();
        }
        let mut walk = Walk {
            index: self,
            tokens,
            area,
            limit,
            hits: Vec::new(),
            taken: HashSet::new(),
        };
        let in_area = |id: u32| area.is_none_or(|a| self.slot(id).is_some_and(|s| s.area == a));

        // The exact name: a range of `by_name`, by id.
        let typed = tokens.join(" ");
        let start = self
            .by_name
            .partition_point(|id| self.name(*id) < typed.as_str());
        let len = self.by_name[start..].partition_point(|id| self.name(*id) == typed);
        for &id in &self.by_name[start..start + len] {
            if walk.hits.len() >= limit {
                return walk.ranked();
            }
            if in_area(id) {
                walk.add(id, EXACT);
            }
        }

        let last = tokens.len() - 1;
        // A first typed word that is no whole word (of a family name) makes the tiers that
        // need it empty; the steps then read and complete as if past them, so hits of the tiers
        // after them ("ng": the given names starting so) stop a walk as early as they did.
        let first_whole = self.is_word_at(&tokens[0], &Position::ALL);
        let family_whole = self.is_word_at(&tokens[0], &[Position::Family]);
        let last_words = if first_whole {
            Tier::LastWords
        } else {
            Tier::LastWordsStarted
        };
        let first_words = if family_whole {
            Tier::FirstWords
        } else {
            Tier::FirstWordsStarted
        };
        // Read the given names: every hit up to the last words is known, and past the first
        // words and those from the family name when these cannot be.
        let given_complete = if family_whole {
            Tier::LastWords
        } else {
            Tier::LastWordsStarted
        };
        let family = Step {
            token: 0,
            positions: &[Position::Family],
            reading: Tier::FamilyAndGiven,
            complete: Tier::FamilyAndGiven,
        };
        let given = Step {
            token: last,
            positions: &[Position::Given],
            reading: Tier::FamilyAndGiven,
            complete: given_complete,
        };
        let steps: [Step; 3] = if last == 0 {
            [
                Step {
                    reading: last_words,
                    ..given
                },
                Step {
                    reading: first_words,
                    complete: Tier::ToGiven,
                    ..family
                },
                Step {
                    token: 0,
                    positions: &[Position::Middle],
                    reading: Tier::InOrder,
                    complete: Tier::InOrder,
                },
            ]
        } else {
            let rarest = (0..tokens.len())
                .min_by_key(|&t| self.lists(&tokens[t], &Position::ALL).1)
                .unwrap_or(0);
            let anywhere = Step {
                token: rarest,
                positions: &Position::ALL,
                reading: Tier::InOrder,
                complete: Tier::InOrder,
            };
            let size = |step: &Step| self.lists(&tokens[step.token], step.positions).1;
            if size(&given) <= size(&family) {
                [
                    given,
                    Step {
                        reading: first_words,
                        complete: Tier::ToGiven,
                        ..family
                    },
                    anywhere,
                ]
            } else {
                [
                    family,
                    Step {
                        reading: last_words,
                        complete: Tier::ToGiven,
                        ..given
                    },
                    anywhere,
                ]
            }
        };
        let area_voters = area.map(|a| self.areas.get(&a).map_or(&[][..], Vec::as_slice));
        for step in steps {
            let (lists, len) = self.lists(&tokens[step.token], step.positions);
            if let Some(voters) = area_voters.filter(|voters| voters.len() < len) {
                // A small polling area holds every candidate of this step and the later ones.
                walk.read([voters], step.reading);
                break;
            }
            if walk.read(lists, step.reading)
                || walk.count_within((step.complete, u8::MAX)) >= limit
            {
                break;
            }
        }
        walk.ranked()
    }

    /// Bytes held, roughly (for the start-up log).
    fn heap_bytes(&self) -> usize {
        self.slots.capacity() * std::mem::size_of::<Slot>()
            + self.names.capacity()
            + self.words.iter().map(|w| w.len() + 16).sum::<usize>()
            + self
                .postings
                .iter()
                .flatten()
                .map(|p| p.capacity() * 4 + 24)
                .sum::<usize>()
            + self.by_name.capacity() * 4
            + self
                .name_counts
                .keys()
                .map(|name| name.len() + 32)
                .sum::<usize>()
            + self
                .areas
                .values()
                .map(|a| a.capacity() * 4 + 40)
                .sum::<usize>()
    }
}

/// The name indexes of every election, shared by all requests.
#[derive(Clone, Default)]
pub struct SearchIndex {
    elections: Arc<RwLock<HashMap<ElectionId, ElectionIndex>>>,
    /// Refreshes read the database and apply what they read one at a time, so a refresh that
    /// read older data can never be applied after one that read newer data.
    refreshing: Arc<tokio::sync::Mutex<()>>,
}

impl SearchIndex {
    fn read(&self) -> std::sync::RwLockReadGuard<'_, HashMap<ElectionId, ElectionIndex>> {
        self.elections
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, HashMap<ElectionId, ElectionIndex>> {
        self.elections
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Ascending by id, read in pages: a million driver rows held at once would cost several
    /// hundred MB of memory that the allocator keeps afterwards.
    async fn rows(
        db: &Db,
        election_id: Option<ElectionId>,
    ) -> Result<Vec<SearchEntry>, sqlx::Error> {
        const PAGE: u16 = 20_000;
        let mut all: Vec<SearchEntry> = Vec::new();
        loop {
            let after = all.last().map_or(0, |row| i64::from(row.1));
            let page =
                store::search_entries(db.pool(), election_id, after, i64::from(PAGE)).await?;
            let done = page.len() < usize::from(PAGE);
            all.extend(page);
            if done {
                return Ok(all);
            }
        }
    }

    fn build_all(rows: Vec<SearchEntry>) -> HashMap<ElectionId, ElectionIndex> {
        let mut per_election: HashMap<ElectionId, Vec<(u32, u32, String)>> = HashMap::new();
        for (election, id, area, name) in rows {
            per_election
                .entry(election)
                .or_default()
                .push((id, area, name));
        }
        per_election
            .into_iter()
            .map(|(election, rows)| (election, ElectionIndex::build(rows)))
            .collect()
    }

    /// Builds the index of every election from the database.
    pub async fn load(db: &Db) -> Result<SearchIndex, sqlx::Error> {
        let started = std::time::Instant::now();
        let rows = SearchIndex::rows(db, None).await?;
        let voters = rows.len();
        let read = started.elapsed();
        let elections = tokio::task::spawn_blocking(move || SearchIndex::build_all(rows))
            .await
            .map_err(|error| sqlx::Error::Protocol(format!("index build failed: {error}")))?;
        let bytes: usize = elections.values().map(ElectionIndex::heap_bytes).sum();
        tracing::info!(
            voters,
            elections = elections.len(),
            read_ms = u64::try_from(read.as_millis()).unwrap_or(u64::MAX),
            total_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
            megabytes = bytes / 1_048_576,
            "voter search index built"
        );
        Ok(SearchIndex {
            elections: Arc::new(RwLock::new(elections)),
            refreshing: Arc::default(),
        })
    }

    /// Rebuilds one election's index (after an import). On failure the election is searched in
    /// SQL until the next start.
    pub async fn reload_election(&self, db: &Db, election_id: ElectionId) {
        let _turn = self.refreshing.lock().await;
        self.rebuild(db, election_id).await;
    }

    /// Only while holding `refreshing`.
    async fn rebuild(&self, db: &Db, election_id: ElectionId) {
        match SearchIndex::rows(db, Some(election_id)).await {
            Ok(rows) => {
                let rows = rows.into_iter().map(|(_, id, area, name)| (id, area, name));
                let index = ElectionIndex::build(rows.collect());
                self.write().insert(election_id, index);
            }
            Err(error) => {
                tracing::warn!(%error, %election_id, "search index dropped; searching in SQL");
                self.write().remove(&election_id);
            }
        }
    }

    /// Re-reads one voter (after an addition or a correction).
    pub async fn refresh_voter(&self, db: &Db, election_id: ElectionId, voter_id: VoterId) {
        let _turn = self.refreshing.lock().await;
        if !self.read().contains_key(&election_id) {
            // No index yet (the election's first voter, or an earlier failure): build it whole
            // rather than start one that could miss voters written by other means.
            self.rebuild(db, election_id).await;
            return;
        }
        let row = store::search_entry_of(db.pool(), voter_id).await;
        match row {
            Ok((_, id, area, name)) => {
                if let Some(index) = self.write().get_mut(&election_id) {
                    index.upsert(id, area, &name);
                }
            }
            Err(error) => {
                tracing::warn!(%error, %election_id, "search index dropped; searching in SQL");
                self.write().remove(&election_id);
            }
        }
    }

    /// Searches by name in the index; `None` when this query or election is for SQL (numbers
    /// typed, no index for the election).
    pub async fn search(
        &self,
        db: &Db,
        query: &SearchQuery,
    ) -> Result<Option<Vec<VoterSummary>>, sqlx::Error> {
        if query.name_tokens.is_empty()
            || query.birth_year.is_some()
            || query.stt.is_some()
            || query.cccd.is_some()
        {
            return Ok(None);
        }
        let area = match query.area_id.map(|area| u32::try_from(area.get())) {
            None => None,
            Some(Ok(area)) => Some(area),
            Some(Err(_)) => return Ok(Some(Vec::new())),
        };
        let hits = {
            let elections = self.read();
            let Some(index) = elections.get(&query.election_id) else {
                return Ok(None);
            };
            let limit = usize::try_from(query.limit.max(0)).unwrap_or(usize::MAX);
            index.search(&query.name_tokens, area, limit)
        };
        let ids: Vec<VoterId> = hits.iter().map(|id| VoterId::new(i64::from(*id))).collect();
        let mut rows: HashMap<VoterId, VoterSummary> = store::voters_by_ids(db.pool(), &ids)
            .await?
            .into_iter()
            .map(|v| (v.id, v))
            .collect();
        // In the index's order: the ranking is the index's, not the rows'.
        Ok(Some(ids.iter().filter_map(|id| rows.remove(id)).collect()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::text::fold;

    fn index(names: &[(u32, u32, &str)]) -> ElectionIndex {
        ElectionIndex::build(
            names
                .iter()
                .map(|(id, area, name)| (*id, *area, fold(name)))
                .collect(),
        )
    }

    fn tokens(text: &str) -> Vec<String> {
        text.split(' ').map(str::to_string).collect()
    }

    fn ward() -> ElectionIndex {
        index(&[
            (10, 1, "Nguyễn Văn An"),
            (11, 1, "Nguyễn Văn Anh"),
            (12, 1, "Trần Thị Hương"),
            (13, 2, "Đặng Thùy Dương"),
            (14, 2, "Lê Thị Mừng"),
            (15, 1, "Nguyễn Văn An"),
        ])
    }

    #[test]
    fn exact_name_first_then_by_match_quality() {
        let ward = ward();
        assert_eq!(
            ward.search(&tokens("nguyen van an"), None, 30),
            [10, 15, 11]
        );
        assert_eq!(ward.search(&tokens("ng v an"), None, 30), [10, 15, 11]);
        assert!(ward.search(&tokens("an nguyen"), None, 30).is_empty());
        assert_eq!(ward.search(&tokens("d"), None, 30), [13], "listed once");
        assert_eq!(
            ward.search(&tokens("thi"), None, 30),
            [14, 12],
            "equal: by name"
        );
    }

    #[test]
    fn family_and_given_name_before_a_middle_name() {
        let ward = index(&[
            (1, 1, "Ngô Hải Yến"),
            (2, 1, "Ngô Hà Linh"),
            (3, 1, "Ngô Thị Hạnh"),
            (4, 1, "Trần Ngô Hà"),
            (5, 1, "Ngô Thị Hà"),
            (6, 1, "Ngô Thu Hà Vy"),
        ]);
        assert_eq!(ward.search(&tokens("ngo ha"), None, 30), [5, 3, 4, 2, 1, 6]);
        assert_eq!(ward.search(&tokens("ngo ha"), None, 1), [5]);
        assert_eq!(ward.search(&tokens("ha"), None, 30), [5, 4, 3, 2, 6, 1]);
    }

    #[test]
    fn equal_matches_list_the_commoner_name_first() {
        let ward = index(&[
            (1, 1, "Lê Thị Hằng"),
            (2, 1, "Lê Thị Hà"),
            (3, 1, "Lê Thị Hằng"),
            (4, 1, "Lê Thị Hải"),
            (5, 1, "Lê Thị Hằng"),
            (6, 1, "Lê Thị Hải"),
        ]);
        assert_eq!(
            ward.search(&tokens("le h"), None, 30),
            [1, 3, 5, 4, 6, 2],
            "three Hằng, two Hải, one Hà"
        );
    }

    #[test]
    fn area_filter_and_limit() {
        let ward = ward();
        assert!(ward.search(&tokens("nguyen"), Some(2), 30).is_empty());
        assert_eq!(ward.search(&tokens("thi"), Some(2), 30), [14]);
        // Every Nguyễn matches alike: the walk stops at the limit, in id order.
        assert_eq!(ward.search(&tokens("nguyen"), Some(1), 2), [10, 11]);
        assert_eq!(ward.search(&tokens("v"), None, 2).len(), 2);
        assert!(ward.search(&tokens("nguyen"), Some(9), 30).is_empty());
    }

    #[test]
    fn corrections_and_additions_are_searchable_at_once() {
        let mut ward = ward();
        ward.upsert(12, 1, &fold("Ngô Thị Thu Hằng"));
        assert!(ward.search(&tokens("tran"), None, 30).is_empty());
        assert_eq!(ward.search(&tokens("thu hang"), None, 30), [12]);
        assert_eq!(ward.search(&tokens("ngo hang"), None, 30), [12]);
        ward.upsert(30, 2, &fold("Trần Văn Ba"));
        ward.upsert(5, 2, &fold("Trần Thị Bé"));
        assert_eq!(ward.search(&tokens("tran"), None, 30), [5, 30]);
        assert_eq!(ward.search(&tokens("thi"), Some(2), 30), [14, 5]);
        assert_eq!(ward.name(12), "ngo thi thu hang");
        // Moved to another area, renamed to a name others bear: found there, counted with them.
        ward.upsert(11, 2, &fold("Nguyễn Văn An"));
        assert_eq!(ward.search(&tokens("nguyen van an"), Some(2), 30), [11]);
        assert!(ward.search(&tokens("anh"), None, 30).is_empty());
        assert_eq!(ward.name_counts.get("nguyen van an"), Some(&3));
        ward.remove(10);
        ward.remove(10);
        assert_eq!(ward.search(&tokens("nguyen van an"), None, 30), [11, 15]);
        assert_eq!(ward.name_counts.get("nguyen van an"), Some(&2));
        assert_eq!(ward.name_counts.get("tran thi huong"), None);
        for lists in &ward.postings {
            for list in lists {
                assert!(list.windows(2).all(|pair| pair[0] < pair[1]));
                assert!(!list.contains(&10));
            }
        }
    }

    /// Names drawn from common parts, so every query has many equal and near matches.
    fn crowded_ward(voters: u32) -> Vec<(u32, u32, String)> {
        let family = ["nguyen", "tran", "le", "ngo", "pham", "ha"];
        let middle = ["van", "thi", "ngoc", "ha", "thu", "minh", ""];
        let given = [
            "an", "anh", "ha", "hai", "hanh", "thu", "van", "minh", "ngoc",
        ];
        let mut seed = 7u64;
        let mut draw = |n: usize| {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            usize::try_from(seed >> 33).unwrap_or(0) % n
        };
        (1..=voters)
            .map(|id| {
                let name = [
                    family[draw(family.len())],
                    middle[draw(middle.len())],
                    middle[draw(middle.len())],
                    given[draw(given.len())],
                ]
                .iter()
                .filter(|w| !w.is_empty())
                .copied()
                .collect::<Vec<_>>()
                .join(" ");
                (id, 1 + u32::try_from(draw(4)).unwrap_or(0), name)
            })
            .collect()
    }

    #[test]
    fn stopping_early_gives_the_best_ranks_a_full_read_gives() {
        let rows = crowded_ward(3000);
        let ward = ElectionIndex::build(rows.clone());
        let queries = [
            "ngo ha",
            "n v an",
            "ha",
            "thu ha",
            "nguyen",
            "ng",
            "le thi",
            "h h",
            "van an",
            "tran ngoc hai",
            "pham minh",
            "a",
            "nguyen thu ha",
            "t",
            "ngo",
            "ng ha",
            "ngo h",
            "th ha",
            "ha ngoc",
        ];
        for query in queries {
            let typed = tokens(query);
            for area in [None, Some(2)] {
                let mut everyone: Vec<(Quality, u32)> = rows
                    .iter()
                    .filter(|(_, a, _)| area.is_none_or(|area| *a == area))
                    .filter_map(|(id, _, name)| Some((name_match::quality(name, &typed)?, *id)))
                    .collect();
                everyone.sort();
                for limit in [1, 5, 30] {
                    let found = ward.search(&typed, area, limit);
                    assert_eq!(found.len(), limit.min(everyone.len()), "{query} {area:?}");
                    for (at, id) in found.iter().enumerate() {
                        let quality = name_match::quality(ward.name(*id), &typed).unwrap();
                        let best = everyone[at].0;
                        assert_eq!(
                            (quality.tier, quality.partial),
                            (best.tier, best.partial),
                            "{query} {area:?} limit {limit}, rank {at}"
                        );
                        assert!(area.is_none_or(|a| ward.slot(*id).unwrap().area == a));
                    }
                }
            }
        }
    }
}
