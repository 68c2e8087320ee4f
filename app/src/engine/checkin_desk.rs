//! The one writer of check-ins. Requests from every station queue here; the writer takes all
//! that are waiting (up to `MAX_BATCH`) into one write transaction, applies the rules to each in
//! turn, commits once, and only then answers each station. One fsync thus covers many
//! check-ins (group commit) while no station hears "recorded" before its check-in is on disk.
//! The rules still see the check-ins earlier in the same batch, and the database's unique index
//! refuses a second counting check-in of a voter whatever happens here.

use crate::domain::ids::{AreaId, CheckInId, ElectionId, VoterId};
use tokio::sync::{mpsc, oneshot};

use super::tally::{Movement, TallyBoard};
use crate::domain::checkin::UndoneCheckIn;
use crate::domain::checkin::{decide, DeskRequest, EarlierCheckIn};
use crate::domain::checkin::{CheckInOutcome, Receipt};
use crate::domain::format::VietnamTime;
use crate::domain::voter::Levels;
use crate::error::{AppError, ErrorCode};
use std::collections::HashMap;

use crate::domain::audit::{AuditAction, AuditSubject};
use crate::storage::audit::{Actor, AuditEntry};
use crate::storage::checkins::{self as store, AnsweredRequest, DeskContext, NewCheckIn};
use crate::storage::db::now_ms;
use crate::storage::db::{Db, Engine, WriteTx};

/// Check-ins per transaction at most: large enough to keep up with a full ward at one fsync per
/// batch, small enough that the first station in a batch does not wait long.
const MAX_BATCH: usize = 256;
/// Requests waiting for the writer at most; beyond that stations are told to retry.
const QUEUE_DEPTH: usize = 8192;

/// A check-in request that passed the access checks.
#[derive(Debug, Clone)]
pub struct DeskJob {
    pub request_id: String,
    pub station_area_id: AreaId,
    pub voter_id: VoterId,
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
    let mut statistics = StatisticsSchedule::default();
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
        let recorded = results.iter().filter(|w| w.movement.is_some()).count();
        if statistics.record(recorded) && db.engine() == Engine::Postgres {
            let pool = db.pool().clone();
            tokio::spawn(async move {
                if let Err(error) = store::refresh_statistics(&pool).await {
                    tracing::warn!(%error, "refreshing the check-in statistics failed");
                }
            });
        }
        for (queued, written) in batch.drain(..).zip(results) {
            let outcome = match written.outcome {
                Ok(CheckInOutcome::Recorded(mut receipt)) => {
                    let count = match written.election_id {
                        Some(election_id) => board
                            .area(election_id, queued.job.station_area_id)
                            .await
                            .ok(),
                        None => None,
                    };
                    if let Some(count) = count {
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

/// Check-ins written before the first refresh of PostgreSQL's statistics on them.
const FIRST_STATISTICS_REFRESH: usize = 1_000;

/// When the check-in writer asks PostgreSQL to refresh its statistics on check-ins: each time
/// the check-ins it has written double, from `FIRST_STATISTICS_REFRESH` on (a dozen times in a
/// day of a million check-ins). PostgreSQL plans from these statistics, and autovacuum
/// refreshes them a minute after a change at the earliest; on election morning `check_ins`
/// starts empty and can grow by tens of thousands of rows in that minute. Planned without
/// statistics, finding a batch's voters read every check-in of the day, a cost that grows with
/// the day (BENCHMARKS.md, check-in). SQLite plans these statements well without statistics.
#[derive(Debug)]
struct StatisticsSchedule {
    written: usize,
    next_refresh: usize,
}

impl Default for StatisticsSchedule {
    fn default() -> StatisticsSchedule {
        StatisticsSchedule {
            written: 0,
            next_refresh: FIRST_STATISTICS_REFRESH,
        }
    }
}

impl StatisticsSchedule {
    /// Counts `written` more check-ins; true when it is time for a refresh.
    fn record(&mut self, written: usize) -> bool {
        self.written += written;
        if self.written < self.next_refresh {
            return false;
        }
        self.next_refresh = self.written * 2;
        true
    }
}

struct Written {
    outcome: Result<CheckInOutcome, AppError>,
    /// The voter's election, where the batch got as far as reading the voter.
    election_id: Option<ElectionId>,
    movement: Option<Movement>,
}

impl Written {
    fn failed(error: sqlx::Error) -> Written {
        Written {
            outcome: Err(error.into()),
            election_id: None,
            movement: None,
        }
    }
}

/// A job's answer before the batch's check-ins are inserted: either final, or a receipt that
/// waits for the id of the check-in row (inserted with the whole batch).
enum Pending {
    Ready(Written),
    Inserted {
        request_id: String,
        receipt: Receipt,
        election_id: ElectionId,
        movement: Option<Movement>,
    },
}

fn ready(outcome: Result<CheckInOutcome, AppError>, election_id: Option<ElectionId>) -> Pending {
    Pending::Ready(Written {
        outcome,
        election_id,
        movement: None,
    })
}

/// Where a batch finds the earlier answers to its request ids.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum EarlierRequests {
    /// From the voters' counting check-ins only, which come with the voters' read: a retry
    /// after a lost response finds its check-in there. The common case, one round trip fewer.
    OfCountingCheckIns,
    /// Also looked up by request id, whenever a request is neither recorded nor a retry found
    /// above: a refusal, or an insert that found its request id taken. A request id reused for
    /// another voter, or a retry of a check-in undone since, is answered as a replay only from
    /// this lookup, so no answer depends on which way was taken.
    ByRequestId,
}

/// Writes the batch, reading the earlier requests by id only when some request is refused or
/// finds its id taken (the first attempt is then rolled back before anything is answered).
async fn write_batch(
    db: &Db,
    board: &TallyBoard,
    jobs: &[&DeskJob],
) -> Result<Vec<Written>, sqlx::Error> {
    if let Some(written) =
        write_batch_with(db, board, jobs, EarlierRequests::OfCountingCheckIns).await?
    {
        return Ok(written);
    }
    write_batch_with(db, board, jobs, EarlierRequests::ByRequestId)
        .await?
        .ok_or(sqlx::Error::RowNotFound)
}

/// One transaction for the whole batch, with a fixed number of statements whatever its size:
/// the voters with their counting check-ins, their areas' highest numbers and the audit chain's
/// head, then one insert of the new check-ins and one of their audit records. The rules see the
/// check-ins given earlier in the same batch through `counting`. `None` when the batch needs
/// `ByRequestId` after all: nothing is written then.
async fn write_batch_with(
    db: &Db,
    board: &TallyBoard,
    jobs: &[&DeskJob],
    earlier_requests: EarlierRequests,
) -> Result<Option<Vec<Written>>, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let now = now_ms();
    let local = VietnamTime::from_unix_ms(now);
    let voter_ids = distinct(jobs.iter().map(|job| job.voter_id));
    let store::DeskReads { contexts, chain } = store::desk_reads(&mut tx, &voter_ids).await?;
    let answered = answered_requests(&mut tx, &contexts, jobs, earlier_requests).await?;
    let mut counting: HashMap<VoterId, EarlierCheckIn> = contexts
        .iter()
        .filter_map(|(id, context)| Some((*id, context.counting.clone()?)))
        .collect();
    let mut next_numbers = next_numbers(&contexts);

    let mut pending: Vec<Pending> = Vec::with_capacity(jobs.len());
    let mut new_check_ins: Vec<NewCheckIn> = Vec::new();
    let mut audit_entries: Vec<AuditEntry> = Vec::new();
    // Request ids recorded in this batch: a retry that arrives in the same batch gets the same
    // receipt, as it would from the database in a later batch.
    let mut recorded: HashMap<&str, (VoterId, Receipt, ElectionId)> = HashMap::new();
    for job in jobs {
        if let Some(earlier) = answered.get(&job.request_id) {
            pending.push(replay(job, earlier, &contexts));
            continue;
        }
        if let Some((voter_id, receipt, election_id)) = recorded.get(job.request_id.as_str()) {
            pending.push(if *voter_id == job.voter_id {
                Pending::Inserted {
                    request_id: job.request_id.clone(),
                    receipt: receipt.clone(),
                    election_id: *election_id,
                    movement: None,
                }
            } else {
                ready(Err(ErrorCode::InvalidInput.into()), None)
            });
            continue;
        }
        let Some(context) = contexts.get(&job.voter_id) else {
            if earlier_requests == EarlierRequests::OfCountingCheckIns {
                return Ok(None);
            }
            pending.push(ready(Err(ErrorCode::NotFound.into()), None));
            continue;
        };
        let request = DeskRequest {
            station_area_id: job.station_area_id,
            hours_override: job.hours_override,
        };
        let levels = match decide(
            &context.voter,
            counting.get(&job.voter_id).cloned(),
            request,
            context.area_levels,
            context.window,
            &local,
        ) {
            Ok(levels) => levels,
            Err(_) if earlier_requests == EarlierRequests::OfCountingCheckIns => {
                return Ok(None);
            }
            Err(refusal) => {
                pending.push(ready(
                    Ok(CheckInOutcome::Refused(refusal)),
                    Some(context.election_id),
                ));
                continue;
            }
        };
        let next = next_numbers.entry(context.voter.area_id).or_insert(1);
        let number = *next;
        *next += 1;
        counting.insert(
            job.voter_id,
            EarlierCheckIn {
                number,
                at_ms: now,
                area_number: context.voter.area_number,
                by: job.by_name.clone(),
            },
        );
        new_check_ins.push(new_check_in(job, context.election_id, number, levels, now));
        audit_entries.push(check_in_audit(job, number, levels));
        let receipt = new_receipt(job, context, number, levels, now);
        recorded.insert(
            &job.request_id,
            (job.voter_id, receipt.clone(), context.election_id),
        );
        pending.push(Pending::Inserted {
            request_id: job.request_id.clone(),
            receipt,
            election_id: context.election_id,
            movement: Some(Movement {
                election_id: context.election_id,
                area_id: job.station_area_id,
                levels,
                delta: 1,
                latest: Some((number, now)),
            }),
        });
    }
    let ids = match chain {
        Some(mut chain) if !new_check_ins.is_empty() => {
            let ids = store::insert_all(&mut tx, &new_check_ins).await?;
            if ids.len() < new_check_ins.len()
                && earlier_requests == EarlierRequests::OfCountingCheckIns
            {
                return Ok(None);
            }
            chain.append_all(&mut tx, audit_entries, now).await?;
            ids
        }
        _ => HashMap::new(),
    };
    let written = answers(pending, &ids)?;
    let counts = board.hold().await;
    tx.commit().await?;
    let movements: Vec<Movement> = written.iter().filter_map(|w| w.movement).collect();
    counts.apply(&movements);
    Ok(Some(written))
}

/// The answers already given that a request of the batch may repeat, by request id: each
/// voter's counting check-in, and with `ByRequestId` every earlier request with one of the
/// batch's ids.
async fn answered_requests(
    tx: &mut WriteTx,
    contexts: &HashMap<VoterId, DeskContext>,
    jobs: &[&DeskJob],
    earlier_requests: EarlierRequests,
) -> Result<HashMap<String, AnsweredRequest>, sqlx::Error> {
    let mut answered: HashMap<String, AnsweredRequest> = contexts
        .values()
        .filter_map(|context| context.counting_request.clone())
        .map(|recorded| {
            let answer = AnsweredRequest {
                check_in: recorded.check_in,
                undo: None,
            };
            (recorded.request_id, answer)
        })
        .collect();
    if earlier_requests == EarlierRequests::ByRequestId {
        let request_ids: Vec<&str> = jobs.iter().map(|job| job.request_id.as_str()).collect();
        answered.extend(store::by_request_ids(tx, &request_ids).await?);
    }
    Ok(answered)
}

/// The next check-in number of each area the batch can give one in. The rules give a check-in
/// only at the voter's own area, so the voters' areas are all the areas that can need a number.
fn next_numbers(contexts: &HashMap<VoterId, DeskContext>) -> HashMap<AreaId, i64> {
    contexts
        .values()
        .map(|context| (context.voter.area_id, context.area_highest_number + 1))
        .collect()
}

/// The receipt of a new check-in; its id comes with the insert, the area's counts once
/// committed.
fn new_receipt(
    job: &DeskJob,
    context: &DeskContext,
    number: i64,
    levels: Levels,
    now: i64,
) -> Receipt {
    Receipt {
        // Replaced by the row's id once the batch is inserted (`answers`).
        check_in_id: CheckInId::new(0),
        voter_id: job.voter_id,
        full_name: context.full_name.clone(),
        stt: context.stt,
        number,
        levels,
        mobile_box: job.mobile_box,
        at_ms: now,
        area_voted: 0,
        area_on_list: 0,
    }
}

/// The check-in row a job adds, with its number in the area.
fn new_check_in(
    job: &DeskJob,
    election_id: ElectionId,
    number: i64,
    levels: Levels,
    now: i64,
) -> NewCheckIn<'_> {
    NewCheckIn {
        election_id,
        voter_id: job.voter_id,
        area_id: job.station_area_id,
        number,
        levels,
        mobile_box: job.mobile_box,
        hours_override: job.hours_override,
        request_id: &job.request_id,
        by_user_id: job.actor.user_id,
        by: &job.by_name,
        at_ms: now,
    }
}

/// The audit record of a new check-in: its number, area and levels, and whether the mobile box
/// or the hours override was used.
fn check_in_audit(job: &DeskJob, number: i64, levels: Levels) -> AuditEntry<'_> {
    let override_note = if job.hours_override { " ngoai_gio" } else { "" };
    let mobile_note = if job.mobile_box { " hom_phu" } else { "" };
    AuditEntry {
        actor: &job.actor,
        action: AuditAction::CheckinRecord,
        entity: AuditSubject::Voter(job.voter_id),
        before: String::new(),
        after: format!(
            "luot={number} khu_vuc={} cap={}{mobile_note}{override_note}",
            job.station_area_id, levels.0
        ),
    }
}

/// The answers in the batch's order, each inserted check-in's receipt with its new id.
fn answers(
    pending: Vec<Pending>,
    ids: &HashMap<String, CheckInId>,
) -> Result<Vec<Written>, sqlx::Error> {
    let mut written = Vec::with_capacity(pending.len());
    for answer in pending {
        written.push(match answer {
            Pending::Ready(done) => done,
            Pending::Inserted {
                request_id,
                mut receipt,
                election_id,
                movement,
            } => {
                receipt.check_in_id = *ids.get(&request_id).ok_or(sqlx::Error::RowNotFound)?;
                Written {
                    outcome: Ok(CheckInOutcome::Recorded(receipt)),
                    election_id: Some(election_id),
                    movement,
                }
            }
        });
    }
    Ok(written)
}

/// The values in first-seen order, each once.
fn distinct(values: impl Iterator<Item = VoterId>) -> Vec<VoterId> {
    let mut seen = std::collections::HashSet::new();
    values.filter(|value| seen.insert(*value)).collect()
}

/// The answer a request already got: the same receipt (a retry after a lost response), or, when
/// its check-in was undone since, who undid it and when; unless the request id was reused for
/// another voter.
fn replay(
    job: &DeskJob,
    answered: &AnsweredRequest,
    contexts: &HashMap<VoterId, DeskContext>,
) -> Pending {
    let earlier = &answered.check_in;
    let Some(context) = contexts.get(&earlier.voter_id) else {
        return ready(Err(ErrorCode::InvalidInput.into()), None);
    };
    if earlier.voter_id != job.voter_id {
        return ready(Err(ErrorCode::InvalidInput.into()), None);
    }
    if let Some(undo) = &answered.undo {
        return ready(
            Ok(CheckInOutcome::UndoneSince(UndoneCheckIn {
                full_name: context.full_name.clone(),
                number: earlier.number,
                checked_in_at_ms: earlier.at_ms,
                undone_by: undo.by.clone(),
                undone_at_ms: undo.at_ms,
                reason: undo.reason.clone(),
            })),
            Some(context.election_id),
        );
    }
    ready(
        Ok(CheckInOutcome::Recorded(Receipt {
            check_in_id: earlier.id,
            voter_id: earlier.voter_id,
            full_name: context.full_name.clone(),
            stt: context.stt,
            number: earlier.number,
            levels: earlier.levels,
            mobile_box: earlier.mobile_box,
            at_ms: earlier.at_ms,
            area_voted: 0,
            area_on_list: 0,
        })),
        Some(context.election_id),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statistics_are_refreshed_each_time_the_check_ins_double() {
        let mut schedule = StatisticsSchedule::default();
        let refreshed_after: Vec<usize> = (1..=10_000).filter(|_| schedule.record(1)).collect();
        assert_eq!(refreshed_after, vec![1_000, 2_000, 4_000, 8_000]);
    }

    #[test]
    fn a_large_batch_counts_whole() {
        let mut schedule = StatisticsSchedule::default();
        assert!(!schedule.record(999));
        assert!(schedule.record(256));
        assert!(!schedule.record(1_000));
        assert!(schedule.record(1_255));
    }
}
