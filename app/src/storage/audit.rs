//! The append-only, hash-chained audit log. Each record is written in the transaction of the
//! change it describes and stores the hash of the record before it, so editing, deleting or
//! reordering any record breaks the chain from that record on.

use crate::domain::ids::UserId;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use sqlx::any::AnyRow;
use sqlx::{AnyPool, Row};

use super::db::{Engine, WriteTx};
use super::json_rows::{self, JsonRows};
use crate::domain::audit::{AuditAction, AuditSubject};

pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Who did something.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    pub user_id: Option<UserId>,
    pub username: String,
}

impl Actor {
    pub fn system() -> Actor {
        Actor {
            user_id: None,
            username: "system".to_string(),
        }
    }
}

/// One change to record.
pub struct AuditEntry<'a> {
    pub actor: &'a Actor,
    pub action: AuditAction,
    pub entity: AuditSubject,
    pub before: String,
    pub after: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRecord {
    pub seq: i64,
    pub at_ms: i64,
    pub actor_user_id: Option<UserId>,
    pub actor: String,
    pub action: String,
    pub entity: String,
    pub before: String,
    pub after: String,
    pub prev_hash: String,
    pub hash: String,
}

impl AuditRecord {
    /// SHA-256 over every field but `hash`, each length-prefixed so no two different records
    /// can produce the same byte stream.
    pub fn compute_hash(&self) -> String {
        let mut hasher = Sha256::new();
        let actor_id = self
            .actor_user_id
            .map(|id| id.to_string())
            .unwrap_or_default();
        let fields: [&[u8]; 9] = [
            &self.seq.to_be_bytes(),
            &self.at_ms.to_be_bytes(),
            actor_id.as_bytes(),
            self.actor.as_bytes(),
            self.action.as_bytes(),
            self.entity.as_bytes(),
            self.before.as_bytes(),
            self.after.as_bytes(),
            self.prev_hash.as_bytes(),
        ];
        for field in fields {
            hasher.update((field.len() as u64).to_be_bytes());
            hasher.update(field);
        }
        hex::encode(hasher.finalize())
    }
}

/// Appends `entry` in the caller's write transaction, which serialises appenders so the chain
/// never forks.
pub async fn append(
    tx: &mut WriteTx,
    entry: AuditEntry<'_>,
    now_ms: i64,
) -> Result<i64, sqlx::Error> {
    ChainHead::read(tx).await?.append(tx, entry, now_ms).await
}

/// The newest record of the chain, held while one write transaction appends several records
/// (the check-in writer appends one per check-in of a batch) so the head is read only once.
pub struct ChainHead {
    seq: i64,
    hash: String,
}

impl ChainHead {
    pub async fn read(tx: &mut WriteTx) -> Result<ChainHead, sqlx::Error> {
        let last = sqlx::query("select seq, hash from audit_log order by seq desc limit 1")
            .fetch_optional(&mut **tx)
            .await?;
        let newest = match last {
            Some(row) => Some((row.try_get(0)?, row.try_get(1)?)),
            None => None,
        };
        Ok(ChainHead::after(newest))
    }

    /// The head after the newest record's sequence number and hash, read in the write
    /// transaction that appends; the genesis head when the log is empty.
    pub(super) fn after(newest: Option<(i64, String)>) -> ChainHead {
        match newest {
            Some((seq, hash)) => ChainHead { seq, hash },
            None => ChainHead {
                seq: 0,
                hash: GENESIS_HASH.to_string(),
            },
        }
    }

    /// Appends `entry` after this head and moves the head to it.
    pub async fn append(
        &mut self,
        tx: &mut WriteTx,
        entry: AuditEntry<'_>,
        now_ms: i64,
    ) -> Result<i64, sqlx::Error> {
        self.append_all(tx, vec![entry], now_ms).await?;
        Ok(self.seq)
    }

    /// Appends `entries` in order, in as few statements as the engine allows (a check-in batch
    /// writes hundreds at once).
    pub async fn append_all(
        &mut self,
        tx: &mut WriteTx,
        entries: Vec<AuditEntry<'_>>,
        now_ms: i64,
    ) -> Result<(), sqlx::Error> {
        let records: Vec<AuditRecord> = entries
            .into_iter()
            .map(|entry| {
                let mut record = AuditRecord {
                    seq: self.seq + 1,
                    at_ms: now_ms,
                    actor_user_id: entry.actor.user_id,
                    actor: entry.actor.username.clone(),
                    action: entry.action.as_str().to_string(),
                    entity: entry.entity.to_string(),
                    before: entry.before,
                    after: entry.after,
                    prev_hash: std::mem::take(&mut self.hash),
                    hash: String::new(),
                };
                record.hash = record.compute_hash();
                self.seq = record.seq;
                self.hash = record.hash.clone();
                record
            })
            .collect();
        let engine = Engine::of(tx);
        if engine == Engine::Postgres {
            return insert_as_json(tx, &records).await;
        }
        for chunk in records.chunks(engine.rows_per_statement(ARITY)) {
            let sql = format!(
                "insert into audit_log ({COLUMNS}) values {}",
                engine.rows_of_parameters(chunk.len(), ARITY)
            );
            let mut query = sqlx::query(&sql);
            for record in chunk {
                query = query
                    .bind(record.seq)
                    .bind(record.at_ms)
                    .bind(record.actor_user_id)
                    .bind(&record.actor)
                    .bind(&record.action)
                    .bind(&record.entity)
                    .bind(&record.before)
                    .bind(&record.after)
                    .bind(&record.prev_hash)
                    .bind(&record.hash);
            }
            query.execute(&mut **tx).await?;
        }
        Ok(())
    }
}

const COLUMNS: &str =
    "seq, at_ms, actor_user_id, actor, action, entity, before_summary, after_summary, prev_hash, hash";
const ARITY: usize = 10;
/// The PostgreSQL types of `COLUMNS`, in order.
const TYPES: [&str; ARITY] = [
    "bigint", "bigint", "bigint", "text", "text", "text", "text", "text", "text", "text",
];

/// PostgreSQL: the records in one statement, however many (see `json_rows`).
async fn insert_as_json(tx: &mut WriteTx, records: &[AuditRecord]) -> Result<(), sqlx::Error> {
    let mut rows = JsonRows::with_capacity(records.len(), 300);
    for record in records {
        rows.row()
            .number(Some(record.seq))
            .number(Some(record.at_ms))
            .number(record.actor_user_id)
            .text(Some(&record.actor))
            .text(Some(&record.action))
            .text(Some(&record.entity))
            .text(Some(&record.before))
            .text(Some(&record.after))
            .text(Some(&record.prev_hash))
            .text(Some(&record.hash));
    }
    sqlx::query(&json_rows::insert_statement("audit_log", COLUMNS, &TYPES))
        .bind(rows.finish())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

fn from_row(row: &AnyRow) -> Result<AuditRecord, sqlx::Error> {
    Ok(AuditRecord {
        seq: row.try_get("seq")?,
        at_ms: row.try_get("at_ms")?,
        actor_user_id: row.try_get("actor_user_id")?,
        actor: row.try_get("actor")?,
        action: row.try_get("action")?,
        entity: row.try_get("entity")?,
        before: row.try_get("before_summary")?,
        after: row.try_get("after_summary")?,
        prev_hash: row.try_get("prev_hash")?,
        hash: row.try_get("hash")?,
    })
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditFilter {
    /// Exact action code, e.g. `user.create`.
    pub action: Option<String>,
    /// Username of the actor.
    pub actor: Option<String>,
    /// The object, as recorded: `voter:1675`.
    pub entity: Option<String>,
    /// Only records with a smaller sequence number (paging backwards from the newest).
    pub before_seq: Option<i64>,
}

/// Newest first, at most `limit` records.
pub async fn list(
    pool: &AnyPool,
    filter: &AuditFilter,
    limit: i64,
) -> Result<Vec<AuditRecord>, sqlx::Error> {
    let sql = format!(
        "select {COLUMNS} from audit_log \
         where ($1 = '' or action = $1) and ($2 = '' or actor = $2) and ($3 = 0 or seq < $3) \
         and ($5 = '' or entity = $5) \
         order by seq desc limit $4"
    );
    let rows = sqlx::query(&sql)
        .bind(filter.action.clone().unwrap_or_default())
        .bind(filter.actor.clone().unwrap_or_default())
        .bind(filter.before_seq.unwrap_or(0))
        .bind(limit)
        .bind(filter.entity.clone().unwrap_or_default())
        .fetch_all(pool)
        .await?;
    rows.iter().map(from_row).collect()
}

/// One object's records (`voter:1675`), newest first, at most `limit`.
pub async fn history(
    pool: &AnyPool,
    entity: &str,
    limit: i64,
) -> Result<Vec<AuditRecord>, sqlx::Error> {
    let sql =
        format!("select {COLUMNS} from audit_log where entity = $1 order by seq desc limit $2");
    let rows = sqlx::query(&sql)
        .bind(entity)
        .bind(limit)
        .fetch_all(pool)
        .await?;
    rows.iter().map(from_row).collect()
}

pub async fn distinct_actions(pool: &AnyPool) -> Result<Vec<String>, sqlx::Error> {
    let rows = sqlx::query("select distinct action from audit_log order by action")
        .fetch_all(pool)
        .await?;
    rows.iter().map(|row| row.try_get(0)).collect()
}

/// What verification found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ChainVerdict {
    /// Every record links to the one before and matches its own hash.
    Intact { records: i64, head_hash: String },
    /// The first record at which the chain breaks, and how.
    Broken { seq: i64, problem: ChainProblem },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ChainProblem {
    /// Its content no longer matches its hash.
    Edited,
    /// One or more records before it are missing (sequence gap).
    Deleted,
    /// It does not follow the record before it: records were swapped or moved.
    Reordered,
}

/// Walks the whole log in sequence order, in pages so memory stays flat on long logs.
pub async fn verify(pool: &AnyPool) -> Result<ChainVerdict, sqlx::Error> {
    const PAGE: i64 = 1000;
    let mut expected_seq = 1;
    let mut prev_hash = GENESIS_HASH.to_string();
    let sql = format!("select {COLUMNS} from audit_log where seq >= $1 order by seq limit $2");
    loop {
        let rows = sqlx::query(&sql)
            .bind(expected_seq)
            .bind(PAGE)
            .fetch_all(pool)
            .await?;
        if rows.is_empty() {
            return Ok(ChainVerdict::Intact {
                records: expected_seq - 1,
                head_hash: prev_hash,
            });
        }
        for row in &rows {
            let record = from_row(row)?;
            let links = record.prev_hash == prev_hash;
            let self_consistent = record.compute_hash() == record.hash;
            let problem = if record.seq != expected_seq {
                Some(ChainProblem::Deleted)
            } else if !self_consistent && links {
                Some(ChainProblem::Edited)
            } else if !links {
                Some(ChainProblem::Reordered)
            } else {
                None
            };
            if let Some(problem) = problem {
                return Ok(ChainVerdict::Broken {
                    seq: record.seq,
                    problem,
                });
            }
            prev_hash = record.hash;
            expected_seq += 1;
        }
    }
}
