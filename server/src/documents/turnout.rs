//! The turnout report PDF (báo cáo tình hình cử tri đi bầu): the figures frozen at every official
//! report time of an election.

use app::domain::counting::percent_hundredths;
use app::domain::format;
use app::domain::ids::ElectionId;
use app::domain::meeting::{vietnam_date, DeputyLevel};
use app::domain::role::Permission;
use app::domain::turnout::LEVELS_IN_ORDER;
use app::domain::voter::Levels;
use app::domain::ward::Ward;
use app::locale::Locale;
use app::request::CurrentSession;
use app::turnout::model::{ReportBoard, TurnoutReport};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use axum::{Extension, Router};

use super::wording::{data_hash, place_date_line, ward_name};
use super::{allowed, render, DocState, Refusal};
use crate::pdf::{self, ReportRow, ReportSection, TurnoutReportDoc};

pub(super) fn routes(state: DocState) -> Router {
    Router::new()
        .route("/results/{election_id}/report.pdf", get(report_pdf))
        .with_state(state)
}

async fn report_pdf(
    State(state): State<DocState>,
    session: Option<Extension<CurrentSession>>,
    Path(election_id): Path<ElectionId>,
) -> Result<Response, Refusal> {
    allowed(&session, Permission::ViewTallies)?;
    let fonts = state.fonts()?;
    let ward = state.ward().await?;
    let db = &state.app.db;
    let board = app::turnout::service::board(db, election_id)
        .await
        .map_err(|_| Refusal::page(StatusCode::NOT_FOUND, "Không tìm thấy cuộc bầu cử."))?;
    let doc = report_doc(ward.as_ref(), &board, app::storage::db::now_ms());
    let file_name = format!("bao-cao-cu-tri-di-bau-{election_id}.pdf");
    Ok(render(fonts, doc, pdf::turnout_report_pdf, file_name).await)
}

/// "Bầu cử đại biểu HĐND phường": the councils named by the ward's kind.
fn level_name(level: Levels, ward: Option<&Ward>) -> String {
    let council = match level {
        Levels::NATIONAL_ASSEMBLY => return "Bầu cử đại biểu Quốc hội".to_string(),
        Levels::PROVINCE => DeputyLevel::Province,
        _ => DeputyLevel::Commune,
    };
    format!(
        "Bầu cử đại biểu {}",
        council.council_label(ward, Locale::Vi)
    )
}

/// "Toàn phường": the whole ward, by its kind.
fn whole_ward(ward: Option<&Ward>) -> String {
    ward.and_then(Ward::unit_type)
        .map_or("Toàn phường/xã".to_string(), |unit| {
            format!("Toàn {}", unit.vi())
        })
}

/// The figures of one row: per level of the election, [on list, voted, percentage].
fn cells(levels: Levels, per_level: [app::domain::turnout::Count; 3]) -> Vec<[String; 3]> {
    LEVELS_IN_ORDER
        .iter()
        .zip(per_level)
        .filter(|(level, _)| levels.contains(**level))
        .map(|(_, count)| {
            [
                format::count(count.on_list, Locale::Vi),
                format::count(count.voted, Locale::Vi),
                format::percent(count.voted, count.on_list, Locale::Vi),
            ]
        })
        .collect()
}

fn section(
    number: usize,
    levels: Levels,
    report: &TurnoutReport,
    ward: Option<&Ward>,
) -> ReportSection {
    let mut rows: Vec<ReportRow> = report
        .areas
        .iter()
        .map(|area| ReportRow {
            name: format!("KVBP số {} — {}", area.number, area.name),
            cells: cells(levels, area.per_level),
            total: false,
        })
        .collect();
    rows.push(ReportRow {
        name: whole_ward(ward),
        cells: cells(levels, report.ward_per_level),
        total: true,
    });
    ReportSection {
        heading: format!(
            "{number}. Lúc {} (số liệu chốt lúc {})",
            report.label,
            format::date_time(report.taken_at_ms)
        ),
        rows,
    }
}

fn report_doc(ward: Option<&Ward>, board: &ReportBoard, now_ms: i64) -> TurnoutReportDoc {
    let ward_name = ward_name(ward);
    TurnoutReportDoc {
        body: ["ỦY BAN NHÂN DÂN".into(), ward_name.to_uppercase()],
        place_date_line: place_date_line(ward_name, vietnam_date(now_ms)),
        title_lines: vec![
            "BÁO CÁO TÌNH HÌNH CỬ TRI ĐI BẦU".into(),
            board.election_name.clone(),
        ],
        subtitle: format!(
            "Ngày bầu cử: {} · Giờ báo cáo: {}",
            board.voting_day,
            board.times.join(", ")
        ),
        levels: LEVELS_IN_ORDER
            .iter()
            .filter(|level| board.levels.contains(**level))
            .map(|level| level_name(*level, ward))
            .collect(),
        sections: board
            .reports
            .iter()
            .enumerate()
            .map(|(i, report)| section(i + 1, board.levels, report, ward))
            .collect(),
        empty_note: "Chưa có giờ báo cáo nào được chốt số liệu.".into(),
        chart: board
            .reports
            .iter()
            .map(|report| {
                let w = report.ward;
                (
                    report.label.clone(),
                    percent_hundredths(w.voted, w.on_list).unwrap_or(0),
                    format::percent(w.voted, w.on_list, Locale::Vi),
                )
            })
            .collect(),
        chart_title: format!(
            "Biểu đồ tỷ lệ cử tri đi bầu {} theo giờ báo cáo",
            whole_ward(ward).to_lowercase()
        ),
        signer_title_lines: vec!["TM. ỦY BAN NHÂN DÂN".into(), "CHỦ TỊCH".into()],
        generated_at: format::date_time(now_ms),
        // The hash covers every figure printed, so a paper copy can be matched to the data.
        data_hash: data_hash(&(ward_name, board)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_report_names_the_wards_council_and_the_whole_ward_by_its_kind() {
        let ward = Ward {
            name: "Phường Mỹ Thới".into(),
            province: "Tỉnh An Giang".into(),
        };
        let names: Vec<String> = LEVELS_IN_ORDER
            .iter()
            .map(|level| level_name(*level, Some(&ward)))
            .collect();
        assert_eq!(
            names,
            [
                "Bầu cử đại biểu Quốc hội",
                "Bầu cử đại biểu HĐND tỉnh",
                "Bầu cử đại biểu HĐND phường"
            ]
        );
        assert_eq!(whole_ward(Some(&ward)), "Toàn phường");
        assert_eq!(whole_ward(None), "Toàn phường/xã");
    }
}
