//! Routes that are files rather than pages: the voter-list upload and the official PDFs.

use std::sync::Arc;

use app::domain::format;
use app::domain::role::Permission;
use app::domain::voter::{Gender, Levels};
use app::domain::ward::{AreaSummary, VoterStatus, VoterSummary, Ward};
use app::request::CurrentSession;
use app::state::AppState;
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Extension, Router};
use sha2::{Digest, Sha256};

use crate::pdf::{self, Fonts, ListTotals, VoterCard, VoterCardsDoc, VoterListDoc, VoterListRow};

#[derive(Clone)]
pub struct DocState {
    pub app: AppState,
    /// The fonts, or why they could not be loaded (the rest of cutri works without them).
    pub fonts: Result<Arc<Fonts>, String>,
}

/// The import upload's body limit, the only large one: the file (a voter list of a million rows
/// is ≈ 105 MB of CSV) plus room for the form's other fields.
const UPLOAD_LIMIT: usize = app::import::table::MAX_FILE_BYTES + 1024 * 1024;

pub fn routes(state: DocState) -> Router {
    Router::new()
        .route(
            "/voters/import/upload",
            post(upload).layer(DefaultBodyLimit::max(UPLOAD_LIMIT)),
        )
        .route("/voters/areas/{id}/list.pdf", get(list_pdf))
        .route("/voters/areas/{id}/cards.pdf", get(cards_pdf))
        .with_state(state)
}

/// Why a file route answers with a page instead of the file.
pub enum Refusal {
    SignIn,
    Page(StatusCode, String),
}

impl Refusal {
    pub(crate) fn page(status: StatusCode, message: &str) -> Refusal {
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
    let body = format!(
        "<!DOCTYPE html><html lang=\"vi\"><meta charset=\"utf-8\"><title>cutri</title>\
         <link rel=\"stylesheet\" href=\"/pkg/cutri.css\"><main class=\"page\"><section class=\"status-page\">\
         <p role=\"alert\">{message}</p><a class=\"button\" href=\"javascript:history.back()\">Quay lại</a></section></main></html>"
    );
    (
        status,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        body,
    )
        .into_response()
}

pub(crate) fn allowed(
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

/// Sent by the upload form's script, which shows its own progress bar: it wants the answer as
/// plain text (the page to go to, or what went wrong) instead of a redirect or an HTML page.
const SCRIPTED_UPLOAD: &str = "x-cutri-upload";

/// Stores the uploaded file for review and sends the browser to its dry run.
async fn upload(
    State(state): State<DocState>,
    session: Option<Extension<CurrentSession>>,
    headers: HeaderMap,
    form: Multipart,
) -> Response {
    let scripted = headers.contains_key(SCRIPTED_UPLOAD);
    let length = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok()?.parse::<usize>().ok())
        .unwrap_or(0);
    match stage_upload(state, session, form, length).await {
        Ok(preview) if scripted => (StatusCode::OK, preview).into_response(),
        Ok(preview) => Redirect::to(&preview).into_response(),
        Err(Refusal::SignIn) if scripted => (
            StatusCode::UNAUTHORIZED,
            "Phiên đăng nhập đã hết. Hãy đăng nhập lại rồi tải tệp lên; dữ liệu chưa bị thay đổi.",
        )
            .into_response(),
        Err(Refusal::Page(status, message)) if scripted => (status, message).into_response(),
        Err(refusal) => refusal.into_response(),
    }
}

/// Reads the form, stages the file and returns the address of its dry run. `length` is the
/// request's declared size, to hold the file in one buffer of about its size (a growing buffer
/// would briefly need twice that).
async fn stage_upload(
    state: DocState,
    session: Option<Extension<CurrentSession>>,
    mut form: Multipart,
    length: usize,
) -> Result<String, Refusal> {
    let session = allowed(&session, Permission::ManageVoterLists)?;
    let (mut election, mut area, mut file) = (String::new(), String::new(), None);
    loop {
        match form.next_field().await {
            Ok(Some(mut field)) if field.name() == Some("file") => {
                let file_name = field.file_name().unwrap_or("tep.csv").to_string();
                let mut bytes = Vec::with_capacity(length.min(UPLOAD_LIMIT));
                loop {
                    match field.chunk().await {
                        Ok(Some(chunk)) => bytes.extend_from_slice(&chunk),
                        Ok(None) => break,
                        Err(error) => return Err(upload_failed(error)),
                    }
                }
                file = Some((file_name, bytes));
            }
            Ok(Some(field)) => {
                let name = field.name().unwrap_or_default().to_string();
                match field.bytes().await {
                    Ok(bytes) if name == "election_id" => {
                        election = String::from_utf8_lossy(&bytes).into_owned()
                    }
                    Ok(bytes) if name == "default_area" => {
                        area = String::from_utf8_lossy(&bytes).into_owned()
                    }
                    Ok(_) => {}
                    Err(error) => return Err(upload_failed(error)),
                }
            }
            Ok(None) => break,
            Err(error) => return Err(upload_failed(error)),
        }
    }
    let Some((file_name, bytes)) = file else {
        return Err(Refusal::page(
            StatusCode::BAD_REQUEST,
            "Chưa chọn tệp để tải lên.",
        ));
    };
    let election: i64 = election.trim().parse().unwrap_or(0);
    let area: Option<i64> = area.trim().parse().ok();
    tracing::info!(user = %session.user.username, file = %file_name, bytes = bytes.len(), "voter list uploaded for review");
    let token = state
        .app
        .import_staging
        .put(session.user.id, file_name, bytes);
    let area = area.map(|a| a.to_string()).unwrap_or_default();
    Ok(format!(
        "/voters/import?token={token}&election={election}&area={area}"
    ))
}

fn upload_failed(error: axum::extract::multipart::MultipartError) -> Refusal {
    if error.status() == StatusCode::PAYLOAD_TOO_LARGE {
        Refusal::page(
            StatusCode::PAYLOAD_TOO_LARGE,
            &format!(
                "Tệp quá lớn: giới hạn là {} MB. Dữ liệu chưa bị thay đổi.",
                app::import::table::MAX_FILE_BYTES / 1_048_576
            ),
        )
    } else {
        tracing::warn!(%error, "upload interrupted");
        Refusal::page(StatusCode::BAD_REQUEST, "Tải tệp lên không thành công (bị gián đoạn hoặc hỏng). Hãy thử lại; dữ liệu chưa bị thay đổi.")
    }
}

/// Everything a document of one polling area is made from.
pub(crate) struct AreaDocument {
    pub ward: Ward,
    pub election_name: String,
    pub area: AreaSummary,
    pub voters: Vec<VoterSummary>,
    pub data_hash: String,
    pub generated_at: String,
    pub date_line: String,
}

async fn load_area(state: &DocState, area_id: i64) -> Result<AreaDocument, Refusal> {
    let db = &state.app.db;
    let internal = |error: &dyn std::fmt::Display| {
        let reference = app::token::short_reference();
        tracing::error!(%reference, "document data: {error}");
        Refusal::page(
            StatusCode::INTERNAL_SERVER_ERROR,
            &format!("Lỗi hệ thống (mã tham chiếu {reference})."),
        )
    };
    let ward = app::storage::voters::ward(db.pool())
        .await
        .map_err(|e| internal(&e))?
        .unwrap_or(Ward {
            name: "……".into(),
            province: "……".into(),
        });
    let (area, voters) = app::voters::service::area_list(db, area_id)
        .await
        .map_err(|_| Refusal::page(StatusCode::NOT_FOUND, "Không tìm thấy khu vực bỏ phiếu."))?;
    let election = app::storage::voters::election(db.pool(), area.election_id)
        .await
        .map_err(|e| internal(&e))?
        .ok_or_else(|| Refusal::page(StatusCode::NOT_FOUND, "Không tìm thấy cuộc bầu cử."))?;
    // The hash covers everything printed, so a paper copy can be matched to the data.
    let mut hasher = Sha256::new();
    hasher.update(
        serde_json::to_vec(&(&ward, &election.name, &area.number, &area.name, &voters))
            .unwrap_or_default(),
    );
    let data_hash = hex::encode(hasher.finalize())[..12].to_string();
    let now = app::domain::format::VietnamTime::from_unix_ms(app::storage::db::now_ms());
    let place = ward
        .name
        .split_whitespace()
        .skip(1)
        .collect::<Vec<_>>()
        .join(" ");
    Ok(AreaDocument {
        date_line: format!(
            "{place}, ngày {} tháng {} năm {}",
            now.day, now.month, now.year
        ),
        generated_at: format::date_time(app::storage::db::now_ms()),
        ward,
        election_name: election.name,
        area,
        voters,
        data_hash,
    })
}

fn title_lines(election_name: &str) -> Vec<String> {
    vec!["DANH SÁCH CỬ TRI".to_string(), election_name.to_uppercase()]
}

fn pdf_response(
    result: Result<Result<Vec<u8>, pdf::PdfError>, tokio::task::JoinError>,
    file_name: String,
) -> Response {
    match result {
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

/// The common start of every polling-area document: access, fonts, the area's data.
pub(crate) async fn area_request(
    state: &DocState,
    session: &Option<Extension<CurrentSession>>,
    area_id: i64,
    permission: Permission,
) -> Result<(Arc<Fonts>, AreaDocument), Refusal> {
    area_access(state, session, area_id, permission).await?;
    let fonts = state
        .fonts
        .clone()
        .map_err(|message| Refusal::page(StatusCode::SERVICE_UNAVAILABLE, &message))?;
    Ok((fonts, load_area(state, area_id).await?))
}

/// The area's data for a document without fonts (the CSV and XLSX exports), same access rules.
pub(crate) async fn area_data(
    state: &DocState,
    session: &Option<Extension<CurrentSession>>,
    area_id: i64,
    permission: Permission,
) -> Result<AreaDocument, Refusal> {
    area_access(state, session, area_id, permission).await?;
    load_area(state, area_id).await
}

/// The permission, and for station users only the polling areas assigned to them.
async fn area_access(
    state: &DocState,
    session: &Option<Extension<CurrentSession>>,
    area_id: i64,
    permission: Permission,
) -> Result<(), Refusal> {
    let session = allowed(session, permission)?;
    if session.user.role == app::domain::role::Role::Station {
        let assigned = app::storage::users::assigned_areas(state.app.db.pool(), session.user.id)
            .await
            .unwrap_or_default();
        if !assigned.contains(&area_id) {
            return Err(Refusal::page(
                StatusCode::FORBIDDEN,
                "Bạn không được phân công tại khu vực bỏ phiếu này.",
            ));
        }
    }
    Ok(())
}

/// Draws a document on the blocking pool (thousands of rows take most of a second).
pub(crate) async fn render<D: Send + 'static>(
    fonts: Arc<Fonts>,
    doc: D,
    draw: fn(&D, &Fonts) -> Result<Vec<u8>, pdf::PdfError>,
    file_name: String,
) -> Response {
    let rendered = tokio::task::spawn_blocking(move || draw(&doc, &fonts)).await;
    pdf_response(rendered, file_name)
}

async fn list_pdf(
    State(state): State<DocState>,
    session: Option<Extension<CurrentSession>>,
    Path(area_id): Path<i64>,
) -> Result<Response, Refusal> {
    let (fonts, data) =
        area_request(&state, &session, area_id, Permission::ManageVoterLists).await?;
    let doc = list_doc(&data, |_| None);
    let file_name = format!("danh-sach-cu-tri-kvbp-{}.pdf", data.area.number);
    Ok(render(fonts, doc, pdf::voter_list_pdf, file_name).await)
}

/// The official list of an area; `mark` may put a note (e.g. "đã bầu") in a voter's
/// "Ghi chú" cell before the voter's own notes.
pub(crate) fn list_doc(
    data: &AreaDocument,
    mark: impl Fn(&VoterSummary) -> Option<String>,
) -> VoterListDoc {
    let listed: Vec<&VoterSummary> = data
        .voters
        .iter()
        .filter(|v| v.status != VoterStatus::Removed)
        .collect();
    let count = |level: Levels| {
        listed
            .iter()
            .filter(|v| v.status == VoterStatus::Active && v.levels.contains(level))
            .count() as i64
    };
    let totals = ListTotals {
        voters: listed
            .iter()
            .filter(|v| v.status == VoterStatus::Active)
            .count() as i64,
        men: listed
            .iter()
            .filter(|v| v.status == VoterStatus::Active && v.gender == Gender::Male)
            .count() as i64,
        women: listed
            .iter()
            .filter(|v| v.status == VoterStatus::Active && v.gender == Gender::Female)
            .count() as i64,
        national_assembly: count(Levels::NATIONAL_ASSEMBLY),
        province_council: count(Levels::PROVINCE),
        commune_council: count(Levels::COMMUNE),
    };
    let mut previous_household = None;
    let rows = data
        .voters
        .iter()
        .map(|v| {
            let household_start = v.household_id.is_none() || v.household_id != previous_household;
            previous_household = v.household_id;
            let status_note = match v.status {
                VoterStatus::Active => v.notes.clone(),
                VoterStatus::Removed => format!("Đã xóa: {}", v.status_reason),
                VoterStatus::Elsewhere => {
                    format!("Bỏ phiếu ở nơi khác (GCN số {})", v.certificate_no)
                }
            };
            let notes = match mark(v) {
                Some(mark) if status_note.is_empty() => mark,
                Some(mark) => format!("{mark}; {status_note}"),
                None => status_note,
            };
            VoterListRow {
                stt: v.stt,
                full_name: v.full_name.clone(),
                birth_date: v.birth.display(),
                male: v.gender == Gender::Male,
                female: v.gender == Gender::Female,
                ethnicity: v.ethnicity.clone(),
                occupation: v.occupation.clone(),
                permanent_address: v.permanent_address.clone(),
                temporary_address: v.temporary_address.clone(),
                na: v.levels.contains(Levels::NATIONAL_ASSEMBLY),
                province: v.levels.contains(Levels::PROVINCE),
                commune: v.levels.contains(Levels::COMMUNE),
                notes,
                household_start,
            }
        })
        .collect();
    VoterListDoc {
        committee: "ỦY BAN NHÂN DÂN".into(),
        ward_line: data.ward.name.to_uppercase(),
        place_date_line: data.date_line.clone(),
        title_lines: title_lines(&data.election_name),
        subtitle: format!(
            "Khu vực bỏ phiếu số {}: {}, {}, {}",
            data.area.number, data.area.name, data.ward.name, data.ward.province
        ),
        rows,
        totals,
        signer_title_lines: vec!["TM. ỦY BAN NHÂN DÂN".into(), "CHỦ TỊCH".into()],
        signer_name: String::new(),
        generated_at: data.generated_at.clone(),
        data_hash: data.data_hash.clone(),
        page_note: String::new(),
    }
}

async fn cards_pdf(
    State(state): State<DocState>,
    session: Option<Extension<CurrentSession>>,
    Path(area_id): Path<i64>,
) -> Result<Response, Refusal> {
    let (fonts, data) =
        area_request(&state, &session, area_id, Permission::ManageVoterLists).await?;
    let cards = data
        .voters
        .iter()
        .filter(|v| v.status == VoterStatus::Active)
        .map(|v| VoterCard {
            full_name: v.full_name.clone(),
            birth_date: v.birth.display(),
            gender: v.gender.label().to_string(),
            residence: v.address().to_string(),
            card_number: v.stt.to_string(),
            polling_area: format!("Khu vực bỏ phiếu số {}", data.area.number),
            place_date_line: data.date_line.clone(),
            signer_title_lines: vec!["TM. ỦY BAN NHÂN DÂN".into(), "CHỦ TỊCH".into()],
            signer_name: String::new(),
            qr_payload: format!("CUTRI:{}", v.card_code),
        })
        .collect();
    let mut titles = vec!["THẺ CỬ TRI".to_string()];
    titles.extend(title_lines(&data.election_name).into_iter().skip(1));
    let doc = VoterCardsDoc {
        committee: "ỦY BAN NHÂN DÂN".into(),
        ward_line: data.ward.name.to_uppercase(),
        title_lines: titles,
        province_line: data.ward.province.clone(),
        generated_at: data.generated_at.clone(),
        data_hash: data.data_hash.clone(),
        cards,
    };
    let file_name = format!("the-cu-tri-kvbp-{}.pdf", data.area.number);
    Ok(render(fonts, doc, pdf::voter_cards_pdf, file_name).await)
}
