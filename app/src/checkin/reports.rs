//! Official turnout reports: the report times of an election, the snapshots of the live turnout
//! frozen at each of them (automatically by the server, or at once by a manager), and their
//! server functions.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::model::Count;
#[cfg(feature = "ssr")]
use crate::auth::context::{app_state, require, respond};
#[cfg(feature = "ssr")]
use crate::domain::role::Permission;
use crate::domain::voter::Levels;
use crate::error::AppError;

/// The figures of one polling area at a report time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportArea {
    pub area_id: i64,
    pub number: i64,
    pub name: String,
    pub all: Count,
    /// Per ballot level, in `LEVELS_IN_ORDER`.
    pub per_level: [Count; 3],
}

/// The turnout frozen at one report time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TurnoutReport {
    /// The report time, "HH:MM".
    pub label: String,
    pub taken_at_ms: i64,
    /// "system" for the automatic snapshots, else the manager's username.
    pub taken_by: String,
    pub areas: Vec<ReportArea>,
    pub ward: Count,
    pub ward_per_level: [Count; 3],
}

/// Everything the report section of `/results` and the report PDF show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportBoard {
    pub election_id: i64,
    pub election_name: String,
    pub levels: Levels,
    /// "15/03/2026".
    pub voting_day: String,
    /// The report times in force, "HH:MM", in order.
    pub times: Vec<String>,
    /// The times were set by a manager (otherwise they are the defaults).
    pub custom_times: bool,
    /// The next report time still to come today.
    pub next: Option<String>,
    /// The snapshots taken, in report-time order (a snapshot stays when its time is removed).
    pub reports: Vec<TurnoutReport>,
}

#[server(prefix = "/api", endpoint = "turnout/reports")]
pub async fn load_reports(election_id: i64) -> Result<ReportBoard, AppError> {
    respond(
        async {
            require(Permission::ViewTallies)?;
            service::board(&app_state()?.db, election_id).await
        }
        .await,
    )
}

/// Sets the report times, written "09:00, 11:00, …".
#[server(prefix = "/api", endpoint = "turnout/report-times")]
pub async fn set_report_times(election_id: i64, times: String) -> Result<(), AppError> {
    respond(
        async {
            let session = require(Permission::ManageElectionDay)?;
            let actor = crate::storage::audit::Actor {
                user_id: Some(session.user.id),
                username: session.user.username.clone(),
            };
            service::set_times(&app_state()?.db, &actor, election_id, &times).await
        }
        .await,
    )
}

/// "Chốt số liệu ngay": takes the snapshots of the report times that have passed and have none
/// yet, without waiting for the server's next round; returns how many were taken.
#[server(prefix = "/api", endpoint = "turnout/snapshot-now")]
pub async fn snapshot_now(election_id: i64) -> Result<i64, AppError> {
    respond(
        async {
            let session = require(Permission::ManageElectionDay)?;
            let actor = crate::storage::audit::Actor {
                user_id: Some(session.user.id),
                username: session.user.username.clone(),
            };
            let state = app_state()?;
            let now = crate::storage::db::now_ms();
            service::take_due(&state.db, &state.tallies, election_id, now, &actor).await
        }
        .await,
    )
}

// --- the "Báo cáo theo giờ" section of /results ------------------------------------------------

/// One row of the report table: a report time and its snapshot, when taken.
fn report_rows(board: &ReportBoard) -> Vec<(String, Option<TurnoutReport>)> {
    let mut labels: Vec<String> = board.times.clone();
    for report in &board.reports {
        if !labels.contains(&report.label) {
            labels.push(report.label.clone());
        }
    }
    labels.sort();
    labels
        .into_iter()
        .map(|label| {
            let report = board.reports.iter().find(|r| r.label == label).cloned();
            (label, report)
        })
        .collect()
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The timeline chart as SVG markup: x = report times, y = ward turnout in %, one line through
/// the times already taken. The table beside it is its text alternative.
pub fn turnout_chart_svg(
    title: &str,
    points: &[(String, Option<Count>)],
    locale: crate::i18n::Locale,
) -> String {
    const W: f64 = 640.0;
    const H: f64 = 260.0;
    const LEFT: f64 = 48.0;
    const RIGHT: f64 = 16.0;
    const TOP: f64 = 14.0;
    const BOTTOM: f64 = 32.0;
    let plot_w = W - LEFT - RIGHT;
    let plot_h = H - TOP - BOTTOM;
    let y_of = |percent: f64| TOP + plot_h * (1.0 - percent / 100.0);
    let x_of = |index: usize| {
        if points.len() <= 1 {
            LEFT + plot_w / 2.0
        } else {
            LEFT + plot_w * index as f64 / (points.len() - 1) as f64
        }
    };
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {W} {H}\" width=\"100%\" \
         role=\"img\" aria-labelledby=\"turnout-chart-title\" class=\"turnout-chart\">\
         <title id=\"turnout-chart-title\">{}</title>",
        escape(title)
    );
    for percent in [0.0, 25.0, 50.0, 75.0, 100.0] {
        let y = y_of(percent);
        svg.push_str(&format!(
            "<line x1=\"{LEFT}\" y1=\"{y:.1}\" x2=\"{:.1}\" y2=\"{y:.1}\" stroke=\"#ccc\" stroke-width=\"1\"/>\
             <text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\" text-anchor=\"end\" fill=\"#444\">{percent}%</text>",
            W - RIGHT,
            LEFT - 6.0,
            y + 4.0
        ));
    }
    let mut line = Vec::new();
    for (index, (label, count)) in points.iter().enumerate() {
        let x = x_of(index);
        svg.push_str(&format!(
            "<text x=\"{x:.1}\" y=\"{:.1}\" font-size=\"11\" text-anchor=\"middle\" fill=\"#444\">{}</text>",
            H - BOTTOM + 18.0,
            escape(label)
        ));
        if let Some(count) = count.filter(|c| c.on_list > 0) {
            let percent = count.voted as f64 * 100.0 / count.on_list as f64;
            line.push((x, y_of(percent), label, count));
        }
    }
    if line.len() > 1 {
        let path = line
            .iter()
            .map(|(x, y, _, _)| format!("{x:.1},{y:.1}"))
            .collect::<Vec<_>>()
            .join(" ");
        svg.push_str(&format!(
            "<polyline points=\"{path}\" fill=\"none\" stroke=\"#b3261e\" stroke-width=\"2.5\"/>"
        ));
    }
    for (x, y, label, count) in &line {
        svg.push_str(&format!(
            "<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"4\" fill=\"#b3261e\"><title>{} — {}</title></circle>",
            escape(label),
            crate::domain::format::percent(count.voted, count.on_list, locale)
        ));
    }
    svg.push_str("</svg>");
    svg
}

/// Report times, the figures taken at each, the chart, and for managers the report times form
/// and "Chốt số liệu ngay".
#[component]
pub fn TurnoutReports(initial: ReportBoard, is_manager: bool) -> impl IntoView {
    use crate::domain::format;
    use crate::i18n::{error_message, Msg};
    use crate::ui::widgets::{t, use_locale};

    let locale = use_locale();
    let save_times = ServerAction::<SetReportTimes>::new();
    let take_now = ServerAction::<SnapshotNow>::new();
    let election_id = initial.election_id;
    // A signal, not a resource: a resource created under the page's `<Transition>` is not found
    // again when the browser hydrates and breaks hydration. The first data comes with the page;
    // after a manager's change the browser fetches it again.
    let (board, set_board) = signal(initial);
    Effect::new(move |_| {
        let changes = save_times.version().get() + take_now.version().get();
        if changes > 0 {
            leptos::task::spawn_local(async move {
                if let Ok(fresh) = load_reports(election_id).await {
                    set_board.try_set(fresh);
                }
            });
        }
    });
    let pdf = format!("/results/{election_id}/report.pdf");
    let body = move |board: ReportBoard| {
        let rows = report_rows(&board);
        let chart = turnout_chart_svg(
            t(Msg::ReportChartTitle),
            &rows
                .iter()
                .map(|(label, report)| (label.clone(), report.as_ref().map(|r| r.ward)))
                .collect::<Vec<_>>(),
            locale,
        );
        let next = board.next.clone();
        let ward_rows = rows
            .iter()
            .map(|(label, report)| match report {
                Some(r) => view! {
                    <tr>
                        <th scope="row">{label.clone()}</th>
                        <td class="num">{format::count(r.ward.voted, locale)}</td>
                        <td class="num">{format::count(r.ward.on_list, locale)}</td>
                        <td class="num strong">{format::percent(r.ward.voted, r.ward.on_list, locale)}</td>
                        <td>{format::date_time(r.taken_at_ms)}" · "{if r.taken_by == "system" { t(Msg::ReportAutomatic).to_string() } else { r.taken_by.clone() }}</td>
                    </tr>
                }
                .into_any(),
                None => {
                    let pending = next.as_ref().is_none_or(|n| label < n);
                    view! {
                        <tr class="pending">
                            <th scope="row">{label.clone()}</th>
                            <td class="num">"—"</td><td class="num">"—"</td><td class="num">"—"</td>
                            <td>{if pending { t(Msg::ReportPending) } else { t(Msg::ReportNotDue) }}</td>
                        </tr>
                    }
                    .into_any()
                }
            })
            .collect_view();
        // Per area: the areas of the latest snapshot, one column each.
        let areas: Vec<(i64, String)> = board
            .reports
            .last()
            .map(|r| {
                r.areas
                    .iter()
                    .map(|a| (a.area_id, format!("{} {}", t(Msg::AreaShort), a.number)))
                    .collect()
            })
            .unwrap_or_default();
        let area_heads = areas
            .iter()
            .map(|(_, name)| view! { <th scope="col">{name.clone()}</th> })
            .collect_view();
        let area_rows = rows
            .iter()
            .filter_map(|(label, report)| report.as_ref().map(|r| (label.clone(), r.clone())))
            .map(|(label, report)| {
                let cells = areas
                    .iter()
                    .map(|(id, _)| {
                        let count = report.areas.iter().find(|a| a.area_id == *id).map(|a| a.all).unwrap_or_default();
                        view! {
                            <td class="num">
                                {format::percent(count.voted, count.on_list, locale)}<br/>
                                <small>{format!("{}/{}", format::count(count.voted, locale), format::count(count.on_list, locale))}</small>
                            </td>
                        }
                    })
                    .collect_view();
                view! { <tr><th scope="row">{label}</th>{cells}</tr> }
            })
            .collect_view();
        let times_text = board.times.join(", ");
        view! {
            <p class="hint">
                {board.next.clone().map(|n| format!("{} {n}. ", t(Msg::ReportNext)))}
                {(!board.custom_times).then(|| t(Msg::ReportDefaultTimes))}
            </p>
            <div class="table-wrap">
                <table id="report-table">
                    <caption>{t(Msg::WardTotal)}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{t(Msg::ReportTime)}</th>
                            <th scope="col">{t(Msg::Voted)}</th>
                            <th scope="col">{t(Msg::OnList)}</th>
                            <th scope="col">"%"</th>
                            <th scope="col">{t(Msg::ReportTakenAt)}</th>
                        </tr>
                    </thead>
                    <tbody>{ward_rows}</tbody>
                </table>
            </div>
            <details id="report-areas">
                <summary>{t(Msg::ReportByArea)}</summary>
                <div class="table-wrap">
                    <table>
                        <thead><tr><th scope="col">{t(Msg::ReportTime)}</th>{area_heads}</tr></thead>
                        <tbody>{area_rows}</tbody>
                    </table>
                </div>
            </details>
            // Markup built as text: SVG elements created by the browser bundle would land in
            // the HTML namespace when the section is re-rendered, and not be drawn.
            <figure class="turnout-chart" id="turnout-chart" inner_html=chart></figure>
            {is_manager.then(|| view! {
                <ActionForm action=save_times attr:id="report-times-form" attr:class="grid-form">
                    <input type="hidden" name="election_id" value=election_id.to_string()/>
                    <label>{t(Msg::ReportTimesField)}
                        <input name="times" value=times_text.clone() required=true autocomplete="off"/>
                    </label>
                    <button type="submit">{t(Msg::SaveReportTimes)}</button>
                </ActionForm>
                <ActionForm action=take_now attr:id="snapshot-now-form">
                    <input type="hidden" name="election_id" value=election_id.to_string()/>
                    <button type="submit" class="secondary">{t(Msg::SnapshotNow)}</button>
                </ActionForm>
            })}
        }
    };
    view! {
        <section class="turnout-reports" id="turnout-reports">
            <h2>{t(Msg::ReportsTitle)}</h2>
            {move || body(board.get()).into_any()}
            <p role="status">
                {move || save_times.value().get().map(|result| match result {
                    Ok(()) => t(Msg::ReportTimesSaved).to_string(),
                    Err(error) => error_message(&error, locale),
                })}
            </p>
            <p role="status">
                {move || take_now.value().get().map(|result| match result {
                    Ok(0) => t(Msg::NothingToSnapshot).to_string(),
                    Ok(n) => format!("{} {n}", t(Msg::SnapshotsTaken)),
                    Err(error) => error_message(&error, locale),
                })}
            </p>
            <p><a class="button secondary" href=pdf rel="external">{t(Msg::ReportPdf)}</a></p>
        </section>
    }
}

#[cfg(feature = "ssr")]
pub mod service {
    //! Reading and taking the snapshots (server only).

    use std::collections::HashMap;

    use super::{ReportArea, ReportBoard, TurnoutReport};
    use crate::checkin::model::{Count, Turnout, LEVELS_IN_ORDER};
    use crate::checkin::tally::TallyBoard;
    use crate::domain::checkin::ClockTime;
    use crate::domain::turnout_report::{
        default_report_times, due_times, next_time, parse_report_times, report_instant,
    };
    use crate::error::{AppError, ErrorCode};
    use crate::storage::audit::{self, Actor, AuditEntry};
    use crate::storage::db::now_ms;
    use crate::storage::turnout_reports::{self as store, SnapshotRow, StoredSnapshot};
    use crate::storage::Db;
    use crate::voters::model::ElectionSummary;

    async fn election(db: &Db, election_id: i64) -> Result<ElectionSummary, AppError> {
        Ok(crate::storage::voters::election(db.pool(), election_id)
            .await?
            .ok_or(ErrorCode::NotFound)?)
    }

    /// The report times in force: the ones set for the election, else the defaults.
    async fn times(db: &Db, election_id: i64) -> Result<(Vec<ClockTime>, bool), AppError> {
        let set = store::report_times(db.pool(), election_id).await?;
        if set.is_empty() {
            return Ok((default_report_times(), false));
        }
        Ok((
            set.iter().filter_map(|t| ClockTime::parse(t)).collect(),
            true,
        ))
    }

    pub async fn board(db: &Db, election_id: i64) -> Result<ReportBoard, AppError> {
        let election = election(db, election_id).await?;
        let (times, custom_times) = times(db, election_id).await?;
        let areas = crate::storage::voters::areas(db.pool(), election_id).await?;
        let names: HashMap<i64, (i64, String)> = areas
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

    fn report_of(snapshot: StoredSnapshot, names: &HashMap<i64, (i64, String)>) -> TurnoutReport {
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

    pub async fn set_times(
        db: &Db,
        actor: &Actor,
        election_id: i64,
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
                action: "turnout.report_times",
                entity: format!("election:{election_id}"),
                before: before.join(", "),
                after: labels.join(", "),
            },
            now_ms(),
        )
        .await?;
        tx.commit().await?;
        tracing::info!(election_id, times = %labels.join(", "), "report times set");
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
    pub async fn take_due(
        db: &Db,
        tallies: &TallyBoard,
        election_id: i64,
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
                    action: "turnout.snapshot",
                    entity: format!("election:{election_id}/report:{label}"),
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
            tracing::info!(election_id, count, by = %actor.username, "turnout snapshots taken");
        }
        Ok(count)
    }

    /// One round of the automatic snapshots: every election whose voting day is today.
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
}
