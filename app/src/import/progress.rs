//! How far the dry run or the commit of a staged file has come, as the page polls it.

use serde::{Deserialize, Serialize};

/// Where a running commit is: a million-row file takes long enough that the user must see it
/// move.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ImportStage {
    /// The dry run: `done` of `total` rows (below the header) read and checked; nothing is
    /// written.
    Reading,
    /// Loading what the rows are checked against and reading the first rows.
    Checking,
    /// Reading, checking and writing rows; `done` of `total` (the rows below the header) are
    /// in the (still uncommitted) transaction.
    Writing,
    /// Every row is written; the database's indexes and then the in-memory search index take
    /// in the new names (the commit happens between the two).
    Indexing,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportProgress {
    pub stage: ImportStage,
    pub done: u64,
    pub total: u64,
}
