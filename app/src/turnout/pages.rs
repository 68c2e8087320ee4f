//! The "Báo cáo theo giờ" section of the results page: the report times, the snapshots taken
//! at them and the timeline chart.

use crate::domain::ids::AreaId;
use leptos::prelude::*;

use super::api::{load_reports, SetReportTimes, SnapshotNow};
use super::model::{ReportBoard, TurnoutReport};
use crate::domain::turnout::Count;

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
    locale: crate::locale::Locale,
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

/// The ward's figures at each report time; a time without a snapshot says whether it is still
/// to come or was not due.
fn ward_total_rows(
    rows: &[(String, Option<TurnoutReport>)],
    next: Option<&String>,
    locale: crate::locale::Locale,
) -> AnyView {
    use crate::domain::format;
    use crate::i18n::Msg;
    use crate::ui::widgets::t;

    rows.iter()
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
                let pending = next.is_none_or(|n| label < n);
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
        .collect_view()
        .into_any()
}

/// Per area: the areas of the latest snapshot, one column each (the heads), and a row per
/// snapshot with each area's share and counts.
fn area_columns(
    board: &ReportBoard,
    rows: &[(String, Option<TurnoutReport>)],
    locale: crate::locale::Locale,
) -> (AnyView, AnyView) {
    use crate::domain::format;
    use crate::i18n::Msg;
    use crate::ui::widgets::t;

    let areas: Vec<(AreaId, String)> = board
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
        .collect_view()
        .into_any();
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
        .collect_view()
        .into_any();
    (area_heads, area_rows)
}

/// Report times, the figures taken at each, the chart, and for managers the report times form
/// and "Chốt số liệu ngay".
#[component]
pub fn TurnoutReports(initial: ReportBoard, is_manager: bool) -> impl IntoView {
    use crate::i18n::{error_message, Msg};
    use crate::ui::widgets::{t, use_locale, FormOutcome};

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
        let ward_rows = ward_total_rows(&rows, board.next.as_ref(), locale);
        let (area_heads, area_rows) = area_columns(&board, &rows, locale);
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
                    <label><span>{t(Msg::ReportTimesField)}</span>
                        <input name="times" value=times_text.clone() required=true autocomplete="off"/>
                    </label>
                    <div class="form-actions">
                        <button type="submit" class="button primary">{t(Msg::SaveReportTimes)}</button>
                    </div>
                </ActionForm>
                <ActionForm action=take_now attr:id="snapshot-now-form" attr:class="inline-form">
                    <input type="hidden" name="election_id" value=election_id.to_string()/>
                    <button type="submit" class="button secondary">{t(Msg::SnapshotNow)}</button>
                </ActionForm>
            })}
        }
    };
    view! {
        <section class="turnout-reports" id="turnout-reports">
            <h2>{t(Msg::ReportsTitle)}</h2>
            {move || body(board.get()).into_any()}
            <FormOutcome value=save_times.value() ok_text=Msg::ReportTimesSaved/>
            {move || take_now.value().get().map(|result| match result {
                Ok(0) => view! { <p class="form-ok" role="status">{t(Msg::NothingToSnapshot)}</p> }.into_any(),
                Ok(n) => view! { <p class="form-ok" role="status">{format!("{} {n}", t(Msg::SnapshotsTaken))}</p> }.into_any(),
                Err(error) => view! { <p class="form-error" role="alert">{error_message(&error, locale)}</p> }.into_any(),
            })}
            <p><a class="button secondary" href=pdf rel="external noopener" target="_blank">{t(Msg::ReportPdf)}</a></p>
        </section>
    }
}
