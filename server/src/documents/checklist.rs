//! The paper fallback of election day: the official list of a polling area with every counting
//! check-in marked with its number ("ĐÃ BẦU #N", one line in the notes column) and, on every page, the number and time of the latest
//! check-in, so staff can go on with pen and paper if the network fails and reconcile later by
//! check-in number.

use app::domain::format;
use app::domain::ids::AreaId;
use app::domain::role::Permission;
use app::request::CurrentSession;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::get;
use axum::{Extension, Router};

use super::voters::{area_request, list_doc};
use super::wording::{count_of, thousands};
use super::{internal, render, DocState, Refusal};
use crate::pdf;

pub(super) fn routes(state: DocState) -> Router {
    Router::new()
        .route("/election-day/areas/{id}/checklist.pdf", get(checklist_pdf))
        .with_state(state)
}

async fn checklist_pdf(
    State(state): State<DocState>,
    session: Option<Extension<CurrentSession>>,
    Path(area_id): Path<AreaId>,
) -> Result<Response, Refusal> {
    let (fonts, data) = area_request(&state, &session, area_id, Permission::CheckInVoters).await?;
    let checked_in = app::storage::checkins::counting_by_voter(state.app.db.pool(), area_id)
        .await
        .map_err(|error| internal("checklist data", &error))?;
    let latest = checked_in.values().max_by_key(|c| c.number);
    let mut doc = list_doc(&data, |voter| {
        checked_in
            .get(&voter.id)
            .map(|c| format!("ĐÃ BẦU #{}", c.number))
    });
    doc.title_lines[0] = "DANH SÁCH CỬ TRI — BẢN ĐÁNH DẤU NGÀY BẦU CỬ".into();
    doc.page_note = match latest {
        Some(last) => format!(
            "Đã bỏ phiếu: {} cử tri · Lượt ghi nhận cuối: #{} lúc {} · In lúc {}",
            thousands(count_of(checked_in.len())),
            last.number,
            format::date_time(last.at_ms),
            data.generated_at
        ),
        None => format!("Chưa có lượt ghi nhận nào · In lúc {}", data.generated_at),
    };
    let file_name = format!("danh-sach-danh-dau-kvbp-{}.pdf", data.area.number);
    Ok(render(fonts, doc, pdf::voter_list_pdf, file_name).await)
}
