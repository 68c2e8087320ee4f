//! The register of complaints about the voter list (Điều 33 Luật Bầu cử) as a PDF the ward
//! keeps with the election's papers: every complaint in the order it was received, what it
//! asked, the 5-day deadline, and how and when it was settled or that it is still open.

use app::complaints::model::{Complaint, ComplaintRegister};
use app::domain::ids::ElectionId;
use app::domain::meeting::vietnam_date;
use app::domain::role::Permission;
use app::domain::text::{clause, full_stop};
use app::domain::ward::Ward;
use app::request::CurrentSession;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use axum::{Extension, Router};
use serde::Deserialize;

use super::wording::{data_hash, place_date_line, ward_name};
use super::{allowed, internal, render, DocState, Refusal};
use crate::pdf::{self, MeetingMinutesDoc, MinutesBlock};

pub(super) fn routes(state: DocState) -> Router {
    Router::new()
        .route("/voters/complaints/register.pdf", get(register_pdf))
        .with_state(state)
}

/// `?election=3`, as the complaints page links it.
#[derive(Debug, Deserialize)]
struct RegisterQuery {
    election: ElectionId,
}

/// One complaint as a register line: received, who, about whom, what, the deadline, the
/// outcome.
fn entry_text(c: &Complaint) -> String {
    let mut sentences = vec![format!(
        "Nhận ngày {}, người khiếu nại: {}",
        c.received_on.display(),
        clause(&c.complainant)
    )];
    if let Some(voter) = &c.voter {
        sentences.push(format!(
            "Về cử tri {} (khu vực bỏ phiếu số {}, số thứ tự {})",
            voter.full_name, voter.area_number, voter.stt
        ));
    }
    sentences.push(format!("Nội dung: {}", clause(&c.content)));
    sentences.push(format!("Hạn giải quyết: {}", c.deadline.display()));
    match c.resolved_on {
        Some(day) => sentences.push(format!(
            "Đã giải quyết ngày {}: {}",
            day.display(),
            clause(&c.resolution)
        )),
        None if c.overdue => sentences.push("Chưa giải quyết, QUÁ HẠN".to_string()),
        None => sentences.push("Chưa giải quyết".to_string()),
    }
    if c.late {
        sentences.push("Nhận sau thời hạn niêm yết 30 ngày".to_string());
    }
    sentences
        .iter()
        .map(|s| full_stop(s))
        .collect::<Vec<_>>()
        .join(" ")
}

fn register_doc(
    ward: Option<&Ward>,
    register: &ComplaintRegister,
    now_ms: i64,
) -> MeetingMinutesDoc {
    let name = ward_name(ward);
    let election = register
        .elections
        .iter()
        .find(|e| Some(e.id) == register.selected);
    let complaints = &register.complaints;
    let settled = complaints
        .iter()
        .filter(|c| c.resolved_on.is_some())
        .count();
    let overdue = complaints.iter().filter(|c| c.overdue).count();
    let mut blocks = vec![MinutesBlock::Paragraph(format!(
        "Tổng số: {} khiếu nại; đã giải quyết {settled}; chưa giải quyết {}, trong đó quá hạn {overdue}.",
        complaints.len(),
        complaints.len() - settled,
    ))];
    if let Some(posted) = election.and_then(|e| e.posted_on) {
        blocks.push(MinutesBlock::Paragraph(format!(
            "Danh sách cử tri niêm yết ngày {}; nhận khiếu nại đến hết ngày {}.",
            posted.display(),
            app::domain::complaint::filing_closes(posted).display()
        )));
    }
    blocks.extend(
        complaints
            .iter()
            .enumerate()
            .map(|(i, c)| MinutesBlock::Item {
                label: format!("{}.", i + 1),
                text: entry_text(c),
            }),
    );
    MeetingMinutesDoc {
        body: ["ỦY BAN NHÂN DÂN".into(), name.to_uppercase()],
        number_line: String::new(),
        place_date_line: place_date_line(name, vietnam_date(now_ms)),
        title_lines: [
            "SỔ THEO DÕI".to_string(),
            "KHIẾU NẠI VỀ DANH SÁCH CỬ TRI".to_string(),
        ]
        .into_iter()
        .chain(election.map(|e| e.name.to_uppercase()))
        .collect(),
        blocks,
        signers: [
            ("NGƯỜI LẬP SỔ".into(), String::new()),
            ("TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH".into(), String::new()),
        ],
        recipients: Vec::new(),
        generated_at: app::domain::format::date_time(now_ms),
        data_hash: data_hash(&(ward, complaints)),
    }
}

async fn register_pdf(
    State(state): State<DocState>,
    session: Option<Extension<CurrentSession>>,
    Query(query): Query<RegisterQuery>,
) -> Result<Response, Refusal> {
    allowed(&session, Permission::ManageVoterLists)?;
    let fonts = state.fonts()?;
    let register = app::complaints::service::overview(&state.app.db, Some(query.election))
        .await
        .map_err(|error| internal("complaints register data", &error))?;
    if register.selected != Some(query.election) {
        return Err(Refusal::page(
            StatusCode::NOT_FOUND,
            "Không có cuộc bầu cử này.",
        ));
    }
    let ward = state.ward().await?;
    let doc = register_doc(ward.as_ref(), &register, app::storage::db::now_ms());
    Ok(render(
        fonts,
        doc,
        pdf::meeting_minutes_pdf,
        format!("so-khieu-nai-danh-sach-cu-tri-{}.pdf", query.election),
    )
    .await)
}
