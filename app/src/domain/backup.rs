//! A backup copy as the backup page lists it, and what a fresh one holds.

use serde::{Deserialize, Serialize};

/// A backup in the backup folder, as its name describes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BackupFile {
    pub name: String,
    /// When the copy was taken (Unix ms; the name carries the UTC time).
    pub at_ms: i64,
    pub size_bytes: u64,
    /// The first 12 hex digits of the audit log's head hash in the copy.
    pub head_hash_prefix: String,
}

/// A backup just made and checked, with what the copy holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BackupMade {
    pub file: BackupFile,
    pub audit_records: i64,
    /// The full head hash, to compare with `cutri audit verify` or written minutes.
    pub head_hash: String,
    pub voters: i64,
    /// Check-ins that count (undone ones excluded).
    pub check_ins: i64,
    pub took_ms: u64,
}
