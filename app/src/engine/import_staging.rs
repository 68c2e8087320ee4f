//! Uploaded files waiting for the user to review the dry run and commit. Stored in the
//! database (`storage/staged_imports.rs`), so a file previewed through one server can be
//! committed through another and a restart does not lose it; each server keeps the files it
//! worked on in memory too, with what it learned of them (the scan) and the progress of its
//! own dry run or commit. Nothing of an uncommitted import reaches the voter list.

use crate::domain::ids::UserId;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use sha2::{Digest, Sha256};

use crate::import::progress::{ImportProgress, ImportStage};
use crate::import::table::{FileEncoding, FileProblem};
use crate::import::{self, FileKind};
use crate::storage::db::{now_ms, Db};
use crate::storage::staged_imports::{self as store, StagedRow};
use crate::token::fingerprint;

const TTL_MS: i64 = 2 * 3600 * 1000;
const MAX_TOTAL_BYTES: usize = 256 * 1024 * 1024;

#[derive(Clone)]
pub struct StagedFile {
    pub owner_user_id: UserId,
    pub file_name: String,
    pub bytes: Arc<Vec<u8>>,
    pub staged_at_ms: i64,
    /// Set by a running dry run or commit, read by the uploader's page while it waits.
    pub progress: ProgressCell,
    /// What the bytes alone say about the file, worked out once (see `scanned`).
    scan: ScanCache,
}

/// The latest scan, with the encoding the user forced for it.
type ScanCache = Arc<Mutex<Option<(Option<FileEncoding>, Scanned)>>>;

/// Facts that depend only on the staged bytes (and the encoding the user forced), so a later
/// dry run or the commit need not read the whole file again to learn them. The staged bytes
/// never change; the checks against the database are never taken from here.
#[derive(Debug, Clone)]
pub struct Scanned {
    pub kind: FileKind,
    pub sha256: String,
}

impl StagedFile {
    pub fn new(
        owner_user_id: UserId,
        file_name: String,
        bytes: Vec<u8>,
        staged_at_ms: i64,
    ) -> Self {
        StagedFile {
            owner_user_id,
            file_name,
            bytes: Arc::new(bytes),
            staged_at_ms,
            progress: ProgressCell::default(),
            scan: Arc::default(),
        }
    }

    /// How to read the file, scanning it the first time: seconds of CPU for a large file, so
    /// call it on the blocking pool.
    pub fn scanned(&self, forced: Option<FileEncoding>) -> Result<Scanned, FileProblem> {
        let mut cache = self.scan.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((key, scanned)) = cache.as_ref() {
            if *key == forced {
                return Ok(scanned.clone());
            }
        }
        let kind = import::scan(&self.bytes, forced)?;
        let sha256 = match cache.as_ref() {
            Some((_, earlier)) => earlier.sha256.clone(),
            None => hex::encode(Sha256::digest(self.bytes.as_slice())),
        };
        let scanned = Scanned { kind, sha256 };
        *cache = Some((forced, scanned.clone()));
        Ok(scanned)
    }
}

#[derive(Clone, Default)]
pub struct ProgressCell(Arc<Mutex<Option<ImportProgress>>>);

impl ProgressCell {
    pub fn set(&self, stage: ImportStage, done: usize, total: usize) {
        *self.0.lock().unwrap_or_else(|p| p.into_inner()) = Some(ImportProgress {
            stage,
            done: done as u64,
            total: total as u64,
        });
    }

    pub fn clear(&self) {
        *self.0.lock().unwrap_or_else(|p| p.into_inner()) = None;
    }

    fn get(&self) -> Option<ImportProgress> {
        *self.0.lock().unwrap_or_else(|p| p.into_inner())
    }
}

#[derive(Clone, Default)]
pub struct ImportStaging(Arc<Mutex<HashMap<String, StagedFile>>>);

impl ImportStaging {
    fn files(&self) -> std::sync::MutexGuard<'_, HashMap<String, StagedFile>> {
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Stores the file under a new random token, in the database and in memory.
    pub async fn put(
        &self,
        db: &Db,
        owner_user_id: UserId,
        file_name: String,
        bytes: Vec<u8>,
    ) -> Result<String, sqlx::Error> {
        let token = crate::token::new_secret();
        let now = now_ms();
        let row = StagedRow {
            owner_user_id,
            file_name,
            bytes,
            staged_at_ms: now,
        };
        store::insert(db.pool(), &fingerprint(&token), &row, now - TTL_MS).await?;
        self.keep(
            token.clone(),
            StagedFile::new(owner_user_id, row.file_name, row.bytes, now),
        );
        Ok(token)
    }

    /// Keeps a file in memory; the oldest give way when memory is full (they stay in the
    /// database).
    fn keep(&self, token: String, file: StagedFile) {
        let now = now_ms();
        let mut files = self.files();
        files.retain(|_, f| now - f.staged_at_ms < TTL_MS);
        while files.values().map(|f| f.bytes.len()).sum::<usize>() + file.bytes.len()
            > MAX_TOTAL_BYTES
        {
            let Some(oldest) = files
                .iter()
                .min_by_key(|(_, f)| f.staged_at_ms)
                .map(|(k, _)| k.clone())
            else {
                break;
            };
            files.remove(&oldest);
        }
        files.insert(token, file);
    }

    /// The file, only for the user who uploaded it; read from the database when another server
    /// staged it (or this one has let it go from memory).
    pub async fn get(
        &self,
        db: &Db,
        token: &str,
        user_id: UserId,
    ) -> Result<Option<StagedFile>, sqlx::Error> {
        let current =
            |f: &StagedFile| f.owner_user_id == user_id && now_ms() - f.staged_at_ms < TTL_MS;
        let kept = self.files().get(token).cloned();
        if let Some(file) = kept {
            // Kept here, but another server may have committed it since.
            if store::exists(db.pool(), &fingerprint(token)).await? {
                return Ok(Some(file).filter(current));
            }
            self.files().remove(token);
            return Ok(None);
        }
        let Some(row) = store::find(db.pool(), &fingerprint(token)).await? else {
            return Ok(None);
        };
        let file = StagedFile::new(
            row.owner_user_id,
            row.file_name,
            row.bytes,
            row.staged_at_ms,
        );
        if !current(&file) {
            return Ok(None);
        }
        self.keep(token.to_string(), file.clone());
        Ok(Some(file))
    }

    /// The progress of the file's dry run or commit on this server, only for the user who
    /// uploaded it.
    pub fn progress(&self, token: &str, user_id: UserId) -> Option<ImportProgress> {
        self.files()
            .get(token)
            .filter(|f| f.owner_user_id == user_id)?
            .progress
            .get()
    }

    /// Forgets a committed file, everywhere.
    pub async fn remove(&self, db: &Db, token: &str) -> Result<(), sqlx::Error> {
        self.files().remove(token);
        store::delete(db.pool(), &fingerprint(token)).await
    }
}
