//! Reading and taking the snapshots (server only).

use crate::domain::ids::{AreaId, ElectionId};
use std::collections::HashMap;

use super::model::{ReportArea, ReportBoard, TurnoutReport};
use crate::domain::audit::{AuditAction, AuditSubject};
use crate::domain::checkin::ClockTime;
use crate::domain::turnout::{Count, Turnout, LEVELS_IN_ORDER};
use crate::domain::turnout_report::{
    default_report_times, due_times, next_time, parse_report_times, report_instant,
};
use crate::domain::ward::ElectionSummary;
use crate::engine::tally::TallyBoard;
use crate::error::{AppError, ErrorCode};
use crate::storage::audit::{self, Actor, AuditEntry};
use crate::storage::db::now_ms;
use crate::storage::db::Db;
use crate::storage::turnout_reports::{self as store, SnapshotRow, StoredSnapshot};

async fn election(db: &Db, election_id: ElectionId) -> Result<ElectionSummary, AppError> {
    Ok(crate::storage::voters::election(db.pool(), election_id)
        .await?
        .ok_or(ErrorCode::NotFound)?)
}

/// The report times in force: the ones set for the election, else the defaults.
async fn times(db: &Db, election_id: ElectionId) -> Result<(Vec<ClockTime>, bool), AppError> {
    let set = store::report_times(db.pool(), election_id).await?;
    if set.is_empty() {
        return Ok((default_report_times(), false));
    }
    Ok((
        set.iter().filter_map(|t| ClockTime::parse(t)).collect(),
        true,
    ))
}

#[tracing::instrument(skip_all)]
pub async fn board(db: &Db, election_id: ElectionId) -> Result<ReportBoard, AppError> {
    let election = election(db, election_id).await?;
    let (times, custom_times) = times(db, election_id).await?;
    let areas = crate::storage::voters::areas(db.pool(), election_id).await?;
    let names: HashMap<AreaId, (i64, String)> = areas
        .into_iter()
        .map(|a| (a.id, (a.number, a.name)))
        .collect();
    let reports = store::snapshots(db.pool(), election_id)
        .await?
        .into_iter()
        .map(|snapshot| report_of(snapshot, &names))
        .collect();
    Ok(ReportBoard {
        election_id,
        election_name: election.name,
        levels: election.levels,
        voting_day: election.election_day.display(),
        next: next_time(&times, election.election_day, now_ms()).map(ClockTime::display),
        times: times.into_iter().map(ClockTime::display).collect(),
        custom_times,
        reports,
    })
}

fn level_slot(level: i64) -> Option<usize> {
    LEVELS_IN_ORDER.iter().position(|l| l.0 == level)
}

fn report_of(snapshot: StoredSnapshot, names: &HashMap<AreaId, (i64, String)>) -> TurnoutReport {
    let mut areas: Vec<ReportArea> = Vec::new();
    for row in &snapshot.rows {
        let index = match areas.iter().position(|a| a.area_id == row.area_id) {
            Some(index) => index,
            None => {
                let (number, name) = names.get(&row.area_id).cloned().unwrap_or_default();
                areas.push(ReportArea {
                    area_id: row.area_id,
                    number,
                    name,
                    all: Count::default(),
                    per_level: [Count::default(); 3],
                });
                areas.len() - 1
            }
        };
        let count = Count {
            on_list: row.on_list,
            voted: row.voted,
        };
        match level_slot(row.level) {
            Some(slot) => areas[index].per_level[slot] = count,
            None => areas[index].all = count,
        }
    }
    areas.sort_by_key(|a| a.number);
    let mut ward = Count::default();
    let mut ward_per_level = [Count::default(); 3];
    for area in &areas {
        ward.add(area.all);
        for (total, count) in ward_per_level.iter_mut().zip(area.per_level) {
            total.add(count);
        }
    }
    TurnoutReport {
        label: snapshot.label,
        taken_at_ms: snapshot.taken_at_ms,
        taken_by: snapshot.taken_by,
        areas,
        ward,
        ward_per_level,
    }
}

#[tracing::instrument(skip_all)]
pub async fn set_times(
    db: &Db,
    actor: &Actor,
    election_id: ElectionId,
    text: &str,
) -> Result<(), AppError> {
    let times = parse_report_times(text).map_err(|problem| {
        tracing::info!(?problem, "report times refused");
        AppError::new(ErrorCode::ReportTimesInvalid)
    })?;
    election(db, election_id).await?;
    let labels: Vec<String> = times.into_iter().map(ClockTime::display).collect();
    let before = store::report_times(db.pool(), election_id).await?;
    let mut tx = db.begin_write().await?;
    store::set_report_times(&mut tx, election_id, &labels).await?;
    audit::append(
        &mut tx,
        AuditEntry {
            actor,
            action: AuditAction::TurnoutReportTimes,
            entity: AuditSubject::Election(election_id),
            before: before.join(", "),
            after: labels.join(", "),
        },
        now_ms(),
    )
    .await?;
    tx.commit().await?;
    tracing::info!(%election_id, times = %labels.join(", "), "report times set");
    Ok(())
}

/// The figures of the live turnout as snapshot rows: every voter (level 0) and each ballot
/// level of the election, per polling area.
fn rows_of(turnout: &Turnout) -> Vec<SnapshotRow> {
    let mut rows = Vec::new();
    for area in &turnout.areas {
        rows.push(SnapshotRow {
            area_id: area.area_id,
            level: 0,
            on_list: area.all.on_list,
            voted: area.all.voted,
        });
        for (level, count) in LEVELS_IN_ORDER.iter().zip(area.per_level) {
            if turnout.levels.contains(*level) {
                rows.push(SnapshotRow {
                    area_id: area.area_id,
                    level: level.0,
                    on_list: count.on_list,
                    voted: count.voted,
                });
            }
        }
    }
    rows
}

/// Takes the snapshot of every report time that has passed at `now` and has none yet;
/// returns how many were taken. Safe to run at any moment from any number of processes.
#[tracing::instrument(skip_all)]
pub async fn take_due(
    db: &Db,
    tallies: &TallyBoard,
    election_id: ElectionId,
    now: i64,
    actor: &Actor,
) -> Result<i64, AppError> {
    let election = election(db, election_id).await?;
    let (times, _) = times(db, election_id).await?;
    let due = due_times(&times, election.election_day, now);
    if due.is_empty() {
        return Ok(0);
    }
    // A cheap read first: this runs every few seconds all day and must not reload the
    // counts when every due snapshot exists.
    let taken = store::taken_labels(db.pool(), election_id).await?;
    if due.iter().all(|t| taken.contains(&t.display())) {
        return Ok(0);
    }
    // The in-memory counts: exact for this process's check-ins, at most 30 s behind another
    // process's. Forcing a reload here could count a check-in twice (a commit whose count
    // is applied to the board after the reload already read it).
    let turnout = tallies
        .turnout(election_id)
        .await?
        .ok_or(ErrorCode::NotFound)?;
    let rows = rows_of(&turnout);
    let taken_at_ms = now_ms();
    let mut tx = db.begin_write().await?;
    let taken = store::snapshot_labels(&mut tx, election_id).await?;
    let mut count = 0;
    for time in due {
        let label = time.display();
        if taken.contains(&label) {
            continue;
        }
        let snapshot = StoredSnapshot {
            label: label.clone(),
            due_at_ms: report_instant(election.election_day, time),
            taken_at_ms,
            taken_by: actor.username.clone(),
            rows: rows.clone(),
        };
        if !store::insert_snapshot_if_absent(&mut tx, election_id, &snapshot).await? {
            continue;
        }
        audit::append(
            &mut tx,
            AuditEntry {
                actor,
                action: AuditAction::TurnoutSnapshot,
                entity: AuditSubject::TurnoutReport {
                    election_id,
                    label: label.clone(),
                },
                before: String::new(),
                after: format!(
                    "{}/{} at {}",
                    turnout.ward.voted,
                    turnout.ward.on_list,
                    crate::domain::format::date_time(taken_at_ms)
                ),
            },
            taken_at_ms,
        )
        .await?;
        count += 1;
    }
    tx.commit().await?;
    if count > 0 {
        tracing::info!(%election_id, count, by = %actor.username, "turnout snapshots taken");
    }
    Ok(count)
}

/// One round of the automatic snapshots: every election whose voting day is today.
#[tracing::instrument(skip_all)]
pub async fn snapshot_today(db: &Db, tallies: &TallyBoard) -> Result<i64, AppError> {
    let today = crate::voters::service::today();
    let now = now_ms();
    let mut count = 0;
    for election in crate::storage::voters::elections(db.pool()).await? {
        if election.election_day == today {
            count += take_due(db, tallies, election.id, now, &Actor::system()).await?;
        }
    }
    Ok(count)
}
