//! The one writer of check-ins. Requests from every station queue here; the writer takes all
//! that are waiting (up to `MAX_BATCH`) into one write transaction, applies the rules to each in
//! turn, commits once, and only then answers each station. One fsync thus covers many
//! check-ins (group commit) while no station hears "recorded" before its check-in is on disk.
//! The rules still see the check-ins earlier in the same batch, and the database's unique index
//! refuses a second counting check-in of a voter whatever happens here.

use tokio::sync::{mpsc, oneshot};

use super::model::{CheckInOutcome, Receipt};
use super::tally::{Movement, TallyBoard};
use crate::domain::checkin::{decide, DeskRequest};
use crate::domain::format::VietnamTime;
use crate::error::{AppError, ErrorCode};
use std::collections::HashMap;

use crate::storage::audit::{Actor, AuditEntry, ChainHead};
use crate::storage::checkins::{self as store, NewCheckIn, StoredCheckIn};
use crate::storage::db::now_ms;
use crate::storage::{Db, WriteTx};

/// Check-ins per transaction at most: large enough to keep up with a full ward at one fsync per
/// batch, small enough that the first station in a batch does not wait long.
const MAX_BATCH: usize = 256;
/// Requests waiting for the writer at most; beyond that stations are told to retry.
const QUEUE_DEPTH: usize = 8192;

/// A check-in request that passed the access checks.
#[derive(Debug, Clone)]
pub struct DeskJob {
    pub request_id: String,
    pub station_area_id: i64,
    pub voter_id: i64,
    pub mobile_box: bool,
    pub hours_override: bool,
    pub actor: Actor,
    /// The staff member's display name, shown at the desks ("Tổ bầu cử số 1"); the audit log
    /// keeps the username.
    pub by_name: String,
}

struct Queued {
    job: DeskJob,
    reply: oneshot::Sender<Result<CheckInOutcome, AppError>>,
}

#[derive(Clone)]
pub struct CheckInDesk {
    queue: mpsc::Sender<Queued>,
}

impl CheckInDesk {
    /// Starts the writer task on the current runtime.
    pub fn start(db: Db, board: TallyBoard) -> CheckInDesk {
        let (queue, waiting) = mpsc::channel(QUEUE_DEPTH);
        tokio::spawn(write_loop(db, board, waiting));
        CheckInDesk { queue }
    }

    pub async fn check_in(&self, job: DeskJob) -> Result<CheckInOutcome, AppError> {
        let (reply, answer) = oneshot::channel();
        self.queue
            .send(Queued { job, reply })
            .await
            .map_err(|_| AppError::internal("check-in writer stopped"))?;
        answer
            .await
            .map_err(|_| AppError::internal("check-in writer dropped a request"))?
    }
}

async fn write_loop(db: Db, board: TallyBoard, mut waiting: mpsc::Receiver<Queued>) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    while waiting.recv_many(&mut batch, MAX_BATCH).await > 0 {
        let jobs: Vec<&DeskJob> = batch.iter().map(|q| &q.job).collect();
        let results = match write_batch(&db, &board, &jobs).await {
            Ok(done) => done,
            // One bad request must not fail the others: retry them one transaction each.
            Err(error) if batch.len() > 1 => {
                tracing::warn!(%error, size = batch.len(), "check-in batch failed; retrying one by one");
                let mut one_by_one = Vec::with_capacity(batch.len());
                for job in &jobs {
                    match write_batch(&db, &board, &[job]).await {
                        Ok(mut done) => one_by_one.push(done.remove(0)),
                        Err(error) => one_by_one.push(Written::failed(error)),
                    }
                }
                one_by_one
            }
            Err(error) => vec![Written::failed(error)],
        };
        for (queued, written) in batch.drain(..).zip(results) {
            let outcome = match written.outcome {
                Ok(CheckInOutcome::Recorded(mut receipt)) => {
                    if let Ok(count) = board
                        .area(written.election_id, queued.job.station_area_id)
                        .await
                    {
                        receipt.area_voted = count.voted;
                        receipt.area_on_list = count.on_list;
                    }
                    Ok(CheckInOutcome::Recorded(receipt))
                }
                other => other,
            };
            // The station may have gone away; its check-in stands either way.
            let _ = queued.reply.send(outcome);
        }
    }
}

struct Written {
    outcome: Result<CheckInOutcome, AppError>,
    election_id: i64,
    movement: Option<Movement>,
}

impl Written {
    fn failed(error: sqlx::Error) -> Written {
        Written {
            outcome: Err(error.into()),
            election_id: 0,
            movement: None,
        }
    }
}

/// What one batch's transaction keeps between its check-ins: the audit chain's head and each
/// area's next number, each read once per batch.
struct BatchState {
    now: i64,
    local: VietnamTime,
    audit_head: ChainHead,
    next_numbers: HashMap<i64, i64>,
}

async fn write_batch(
    db: &Db,
    board: &TallyBoard,
    jobs: &[&DeskJob],
) -> Result<Vec<Written>, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let now = now_ms();
    let mut batch = BatchState {
        now,
        local: VietnamTime::from_unix_ms(now),
        audit_head: ChainHead::read(&mut tx).await?,
        next_numbers: HashMap::new(),
    };
    let mut written = Vec::with_capacity(jobs.len());
    for job in jobs {
        written.push(write_one(&mut tx, job, &mut batch).await?);
    }
    let counts = board.hold().await;
    tx.commit().await?;
    let movements: Vec<Movement> = written.iter().filter_map(|w| w.movement).collect();
    counts.apply(&movements);
    Ok(written)
}

async fn write_one(
    tx: &mut WriteTx,
    job: &DeskJob,
    batch: &mut BatchState,
) -> Result<Written, sqlx::Error> {
    let now = batch.now;
    if let Some(earlier) = store::by_request_id(tx, &job.request_id).await? {
        return replay(tx, job, earlier).await;
    }
    let Some(context) = store::desk_context(tx, job.voter_id).await? else {
        return Ok(Written {
            outcome: Err(ErrorCode::NotFound.into()),
            election_id: 0,
            movement: None,
        });
    };
    let earlier = store::counting_check_in(tx, context.election_id, job.voter_id).await?;
    let request = DeskRequest {
        station_area_id: job.station_area_id,
        hours_override: job.hours_override,
    };
    let levels = match decide(
        &context.voter,
        earlier,
        request,
        context.area_levels,
        context.window,
        &batch.local,
    ) {
        Ok(levels) => levels,
        Err(refusal) => {
            return Ok(Written {
                outcome: Ok(CheckInOutcome::Refused(refusal)),
                election_id: context.election_id,
                movement: None,
            })
        }
    };
    let number = match batch.next_numbers.get(&job.station_area_id) {
        Some(&number) => number,
        None => store::next_number(tx, job.station_area_id).await?,
    };
    batch.next_numbers.insert(job.station_area_id, number + 1);
    let check_in_id = store::insert(
        tx,
        &NewCheckIn {
            election_id: context.election_id,
            voter_id: job.voter_id,
            area_id: job.station_area_id,
            number,
            levels,
            mobile_box: job.mobile_box,
            hours_override: job.hours_override,
            request_id: &job.request_id,
            by_user_id: job.actor.user_id.unwrap_or_default(),
            by: &job.by_name,
            at_ms: now,
        },
    )
    .await?;
    let override_note = if job.hours_override { " ngoai_gio" } else { "" };
    let mobile_note = if job.mobile_box { " hom_phu" } else { "" };
    batch
        .audit_head
        .append(
            tx,
            AuditEntry {
                actor: &job.actor,
                action: "checkin.record",
                entity: format!("voter:{}", job.voter_id),
                before: String::new(),
                after: format!(
                    "luot={number} khu_vuc={} cap={}{mobile_note}{override_note}",
                    job.station_area_id, levels.0
                ),
            },
            now,
        )
        .await?;
    Ok(Written {
        outcome: Ok(CheckInOutcome::Recorded(Receipt {
            check_in_id,
            voter_id: job.voter_id,
            full_name: context.full_name,
            stt: context.stt,
            number,
            levels,
            mobile_box: job.mobile_box,
            at_ms: now,
            area_voted: 0,
            area_on_list: 0,
        })),
        election_id: context.election_id,
        movement: Some(Movement {
            election_id: context.election_id,
            area_id: job.station_area_id,
            levels,
            delta: 1,
            latest: Some((number, now)),
        }),
    })
}

/// The answer a request already got: the same receipt (a retry after a lost response), unless
/// the request id was reused for another voter.
async fn replay(
    tx: &mut WriteTx,
    job: &DeskJob,
    earlier: StoredCheckIn,
) -> Result<Written, sqlx::Error> {
    if earlier.voter_id != job.voter_id {
        return Ok(Written {
            outcome: Err(ErrorCode::InvalidInput.into()),
            election_id: 0,
            movement: None,
        });
    }
    let context = store::desk_context(tx, earlier.voter_id)
        .await?
        .ok_or(sqlx::Error::RowNotFound)?;
    Ok(Written {
        outcome: Ok(CheckInOutcome::Recorded(Receipt {
            check_in_id: earlier.id,
            voter_id: earlier.voter_id,
            full_name: context.full_name,
            stt: context.stt,
            number: earlier.number,
            levels: earlier.levels,
            mobile_box: earlier.mobile_box,
            at_ms: earlier.at_ms,
            area_voted: 0,
            area_on_list: 0,
        })),
        election_id: context.election_id,
        movement: None,
    })
}
