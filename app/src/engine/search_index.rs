//! In-memory name search, one index per election (server only).
//!
//! The database stays the source of truth: the index holds only what a name search needs
//! (voter id, polling area, folded name) and answers with voter ids; the rows are then read by
//! id. It is built from the database at start-up and refreshed from the database after every
//! committed change to a name or area (import, add, correction), so it never holds anything the
//! database does not. An election without an index (build or refresh failed) is searched in SQL.
//!
//! Why: in a Vietnamese ward every short prefix ("ng", "th", "v") starts a large share of all
//! names, so the SQL word step had to read tens of thousands of index entries per query. Here
//! the same step walks the posting list of the rarest typed word (or the polling area's voters,
//! when smaller) and checks each candidate's name directly, stopping at the result limit.

use crate::domain::ids::{ElectionId, VoterId};
use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use crate::domain::text::fold;
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
    /// Distinct name words in byte order; a typed prefix is a contiguous range of them.
    words: Vec<Box<str>>,
    /// Per word, the ids of the voters whose name has it, ascending.
    postings: Vec<Vec<u32>>,
    /// Every voter id, ordered by (folded name, id): the whole-name steps are a range of it.
    by_name: Vec<u32>,
    /// Per polling area, its voters' ids ascending.
    areas: HashMap<u32, Vec<u32>>,
}

/// Ids found by the index, in the order they are shown.
struct Hits {
    /// Exact name (by id), then names continuing what was typed (by name, id).
    whole_name: Vec<u32>,
    /// Names whose words start with the typed words in order; shown sorted by name, area, STT.
    by_words: Vec<u32>,
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

fn distinct_words(name: &str) -> Vec<&str> {
    let mut words: Vec<&str> = name.split(' ').filter(|w| !w.is_empty()).collect();
    words.sort_unstable();
    words.dedup();
    words
}

/// Whether the name's words start with the typed words in order, each on a later word than the
/// one before (the SQL `' ' || name like '% t1% t2%'`).
fn words_match(name: &str, tokens: &[String]) -> bool {
    let mut words = name.split(' ');
    tokens
        .iter()
        .all(|token| words.any(|word| word.starts_with(token.as_str())))
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
        let mut by_word: HashMap<String, Vec<u32>> = HashMap::new();
        for (id, area, name) in &rows {
            index.slots[(id - base) as usize] = index.place_name(*area, name);
            index.areas.entry(*area).or_default().push(*id);
            for word in distinct_words(name) {
                by_word.entry(word.to_string()).or_default().push(*id);
            }
        }
        let mut words: Vec<(String, Vec<u32>)> = by_word.into_iter().collect();
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
        for word in distinct_words(&name) {
            if let Ok(at) = self.words.binary_search_by(|w| (**w).cmp(word)) {
                remove_sorted(&mut self.postings[at], id);
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
        for word in distinct_words(name) {
            match self.words.binary_search_by(|w| (**w).cmp(word)) {
                Ok(found) => insert_sorted(&mut self.postings[found], id),
                Err(new) => {
                    self.words.insert(new, word.into());
                    self.postings.insert(new, vec![id]);
                }
            }
        }
        insert_sorted(self.areas.entry(area).or_default(), id);
        if let Err(position) = self.by_name_position(name, id) {
            self.by_name.insert(position, id);
        }
    }

    fn search(&self, tokens: &[String], area: Option<u32>, limit: usize) -> Hits {
        let empty = Vec::new();
        let area_voters = area.map(|a| self.areas.get(&a).unwrap_or(&empty));
        let in_area = |id: u32| area.is_none_or(|a| self.slot(id).is_some_and(|s| s.area == a));

        // Whole name: the range of `by_name` starting with what was typed holds the exact name
        // first (by id), then longer names (by name, id), as the SQL steps order them.
        let typed = tokens.join(" ");
        let start = self
            .by_name
            .partition_point(|id| self.name(*id) < typed.as_str());
        let len = self.by_name[start..].partition_point(|id| self.name(*id).starts_with(&typed));
        let range = &self.by_name[start..start + len];
        let whole_name: Vec<u32> = match area_voters {
            // A common start ("nguyen") in one small area: walk the area's voters instead.
            Some(voters) if voters.len() < range.len() => {
                let mut ids: Vec<u32> = voters
                    .iter()
                    .copied()
                    .filter(|id| self.name(*id).starts_with(&typed))
                    .collect();
                ids.sort_by(|a, b| self.name(*a).cmp(self.name(*b)).then(a.cmp(b)));
                ids.truncate(limit);
                ids
            }
            _ => range
                .iter()
                .copied()
                .filter(|id| in_area(*id))
                .take(limit)
                .collect(),
        };

        // Words in order: candidates come from the smallest set (the typed word whose prefix
        // covers the fewest voters, or the area), each checked against its name, which both
        // intersects with the other words and checks their order. Stops at the limit.
        let mut by_words = Vec::new();
        let ranges: Vec<std::ops::Range<usize>> =
            tokens.iter().map(|t| self.word_range(t)).collect();
        let sizes: Vec<usize> = ranges
            .iter()
            .map(|r| self.postings[r.clone()].iter().map(Vec::len).sum())
            .collect();
        let Some((rarest, &fewest)) = sizes.iter().enumerate().min_by_key(|(_, size)| **size)
        else {
            return Hits {
                whole_name,
                by_words,
            };
        };
        let wanted = limit.saturating_sub(whole_name.len());
        if fewest == 0 || wanted == 0 {
            return Hits {
                whole_name,
                by_words,
            };
        }
        let mut consider = |id: u32| {
            if in_area(id)
                && !whole_name.contains(&id)
                && !by_words.contains(&id)
                && words_match(self.name(id), tokens)
            {
                by_words.push(id);
            }
            by_words.len() < wanted
        };
        match area_voters {
            Some(voters) if voters.len() < fewest => {
                for id in voters {
                    if !consider(*id) {
                        break;
                    }
                }
            }
            _ => {
                'words: for list in &self.postings[ranges[rarest].clone()] {
                    for id in list {
                        if !consider(*id) {
                            break 'words;
                        }
                    }
                }
            }
        }
        Hits {
            whole_name,
            by_words,
        }
    }

    /// Bytes held, roughly (for the start-up log).
    fn heap_bytes(&self) -> usize {
        self.slots.capacity() * std::mem::size_of::<Slot>()
            + self.names.capacity()
            + self.words.iter().map(|w| w.len() + 16).sum::<usize>()
            + self
                .postings
                .iter()
                .map(|p| p.capacity() * 4 + 24)
                .sum::<usize>()
            + self.by_name.capacity() * 4
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
        let voter_id = |posting: &u32| VoterId::new(i64::from(*posting));
        let ids: Vec<VoterId> = hits
            .whole_name
            .iter()
            .chain(&hits.by_words)
            .map(voter_id)
            .collect();
        let mut rows: HashMap<VoterId, VoterSummary> = store::voters_by_ids(db.pool(), &ids)
            .await?
            .into_iter()
            .map(|v| (v.id, v))
            .collect();
        let mut found: Vec<VoterSummary> = hits
            .whole_name
            .iter()
            .filter_map(|id| rows.remove(&voter_id(id)))
            .collect();
        let mut more: Vec<VoterSummary> = hits
            .by_words
            .iter()
            .filter_map(|id| rows.remove(&voter_id(id)))
            .collect();
        more.sort_by_cached_key(|v| (fold(&v.full_name), v.area_number, v.stt));
        found.extend(more);
        Ok(Some(found))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn exact_name_first_then_longer_names_then_words_in_order() {
        let ward = ward();
        let hits = ward.search(&tokens("nguyen van an"), None, 30);
        assert_eq!(hits.whole_name, [10, 15, 11]);
        assert!(hits.by_words.is_empty());
        let hits = ward.search(&tokens("ng v an"), None, 30);
        assert!(hits.whole_name.is_empty());
        assert_eq!(hits.by_words, [10, 11, 15]);
        assert!(ward
            .search(&tokens("an nguyen"), None, 30)
            .by_words
            .is_empty());
        let hits = ward.search(&tokens("d"), None, 30);
        assert_eq!(
            (hits.whole_name, hits.by_words),
            (vec![13], vec![]),
            "listed once"
        );
        assert_eq!(ward.search(&tokens("thi"), None, 30).by_words, [12, 14]);
    }

    #[test]
    fn area_filter_and_limit() {
        let ward = ward();
        assert!(ward
            .search(&tokens("nguyen"), Some(2), 30)
            .whole_name
            .is_empty());
        assert_eq!(ward.search(&tokens("thi"), Some(2), 30).by_words, [14]);
        let hits = ward.search(&tokens("nguyen"), Some(1), 2);
        assert_eq!(hits.whole_name, [10, 15], "stops at the limit");
        assert_eq!(ward.search(&tokens("v"), None, 2).by_words.len(), 2);
    }

    #[test]
    fn corrections_and_additions_are_searchable_at_once() {
        let mut ward = ward();
        ward.upsert(12, 1, &fold("Ngô Thị Thu Hằng"));
        assert!(ward.search(&tokens("tran"), None, 30).whole_name.is_empty());
        assert_eq!(ward.search(&tokens("thu hang"), None, 30).by_words, [12]);
        ward.upsert(30, 2, &fold("Trần Văn Ba"));
        ward.upsert(5, 2, &fold("Trần Thị Bé"));
        assert_eq!(ward.search(&tokens("tran"), None, 30).whole_name, [5, 30]);
        assert_eq!(ward.search(&tokens("thi"), Some(2), 30).by_words, [5, 14]);
        assert_eq!(ward.name(12), "ngo thi thu hang");
    }
}
