//! Routes that are files rather than pages: the voter-list upload, the official PDFs and the
//! spreadsheet and calendar copies. This module holds what every family shares (the state,
//! why a file is refused, the one rule of who may print a polling area's papers, drawing off
//! the async threads, the download answer); each family's data and wording is a file below,
//! and drawing is `crate::pdf`.

mod audit_export;
mod calendar;
mod checklist;
mod complaints;
mod counting;
mod list_export;
mod meetings;
mod petitions;
mod results;
mod turnout;
mod voters;
mod wording;

use app::domain::ids::AreaId;
use std::sync::Arc;

use app::domain::role::{Permission, Role};
use app::domain::ward::Ward;
use app::request::{works_at, CurrentSession};
use app::state::AppState;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Router};

use crate::pdf::{self, Fonts};

#[derive(Clone)]
pub struct DocState {
    pub app: AppState,
    /// The fonts, or why they could not be loaded (the rest of cutri works without them).
    pub fonts: Result<Arc<Fonts>, String>,
}

impl DocState {
    /// The fonts, or the page saying why documents cannot be drawn.
    fn fonts(&self) -> Result<Arc<Fonts>, Refusal> {
        self.fonts
            .clone()
            .map_err(|message| Refusal::page(StatusCode::SERVICE_UNAVAILABLE, &message))
    }

    /// The ward every document is issued by; `None` before it is set up.
    async fn ward(&self) -> Result<Option<Ward>, Refusal> {
        app::storage::voters::ward(self.app.db.pool())
            .await
            .map_err(|error| internal("document data: ward", &error))
    }
}

/// Every file route of every document family.
pub fn routes(state: DocState) -> Router {
    Router::new()
        .merge(voters::routes(state.clone()))
        .merge(audit_export::routes(state.clone()))
        .merge(list_export::routes(state.clone()))
        .merge(checklist::routes(state.clone()))
        .merge(complaints::routes(state.clone()))
        .merge(counting::routes(state.clone()))
        .merge(results::routes(state.clone()))
        .merge(turnout::routes(state.clone()))
        .merge(meetings::routes(state.clone()))
        .merge(petitions::routes(state.clone()))
        .merge(calendar::routes(state))
}

/// Why a file route answers with a page instead of the file.
pub enum Refusal {
    SignIn,
    Page(StatusCode, String),
}

impl Refusal {
    fn page(status: StatusCode, message: &str) -> Refusal {
        Refusal::Page(status, message.to_string())
    }
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        match self {
            Refusal::SignIn => Redirect::to("/login").into_response(),
            Refusal::Page(status, message) => text_page(status, &message),
        }
    }
}

fn text_page(status: StatusCode, message: &str) -> Response {
    let stylesheet = crate::site::stylesheet_href();
    let body = format!(
        "<!DOCTYPE html><html lang=\"vi\"><meta charset=\"utf-8\"><title>cutri</title>\
         <link rel=\"stylesheet\" href=\"{stylesheet}\"><main class=\"page\"><section class=\"status-page\">\
         <p role=\"alert\">{message}</p><a class=\"button\" href=\"javascript:history.back()\">Quay lại</a></section></main></html>"
    );
    (
        status,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        body,
    )
        .into_response()
}

/// A failure that is not the user's: logged under a reference the page shows, so support can
/// find it.
fn internal(what: &str, error: &dyn std::fmt::Display) -> Refusal {
    let reference = app::token::short_reference();
    tracing::error!(%reference, "{what}: {error}");
    Refusal::page(
        StatusCode::INTERNAL_SERVER_ERROR,
        &format!("Lỗi hệ thống (mã tham chiếu {reference})."),
    )
}

fn allowed(
    session: &Option<Extension<CurrentSession>>,
    permission: Permission,
) -> Result<CurrentSession, Refusal> {
    match session {
        None => Err(Refusal::SignIn),
        Some(Extension(session)) if session.user.role.can(permission) => Ok(session.clone()),
        Some(_) => Err(Refusal::page(
            StatusCode::FORBIDDEN,
            "Tài khoản của bạn không có quyền thực hiện thao tác này.",
        )),
    }
}

/// The permission, and whether this session may print the papers of this polling area:
/// station staff only those of the areas they work at (the rule of check-in and counting),
/// every other role holding the permission all of them.
fn allowed_for_area(
    session: &Option<Extension<CurrentSession>>,
    permission: Permission,
    area_id: AreaId,
) -> Result<CurrentSession, Refusal> {
    let session = allowed(session, permission)?;
    if session.user.role == Role::Station && !works_at(&session, area_id) {
        return Err(Refusal::page(
            StatusCode::FORBIDDEN,
            "Bạn không được phân công tại khu vực bỏ phiếu này.",
        ));
    }
    Ok(session)
}

/// Draws a document on the blocking pool (thousands of rows take most of a second).
async fn render<D: Send + 'static>(
    fonts: Arc<Fonts>,
    doc: D,
    draw: fn(&D, &Fonts) -> Result<Vec<u8>, pdf::PdfError>,
    file_name: String,
) -> Response {
    match tokio::task::spawn_blocking(move || draw(&doc, &fonts)).await {
        Ok(Ok(bytes)) => (
            [
                (header::CONTENT_TYPE, "application/pdf".to_string()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("inline; filename=\"{file_name}\""),
                ),
            ],
            bytes,
        )
            .into_response(),
        Ok(Err(error)) => {
            tracing::error!(%error, "PDF rendering failed");
            text_page(StatusCode::SERVICE_UNAVAILABLE, &error.to_string())
        }
        Err(error) => {
            tracing::error!(%error, "PDF task failed");
            text_page(
                StatusCode::INTERNAL_SERVER_ERROR,
                "Lỗi hệ thống khi tạo PDF.",
            )
        }
    }
}

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// Writes a workbook on the blocking pool (compressing thousands of rows takes a while) and
/// answers it as a download.
async fn xlsx_download<D: Send + 'static>(
    data: D,
    write: fn(&D) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError>,
    file_name: String,
) -> Result<Response, Refusal> {
    match tokio::task::spawn_blocking(move || write(&data)).await {
        Ok(Ok(bytes)) => Ok(download(bytes, XLSX, file_name)),
        Ok(Err(error)) => Err(internal("XLSX export failed", &error)),
        Err(error) => Err(internal("XLSX export task failed", &error)),
    }
}

fn download(bytes: Vec<u8>, content_type: &str, file_name: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file_name}\""),
            ),
            // Personal data: not kept in shared or browser caches.
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        bytes,
    )
        .into_response()
}
