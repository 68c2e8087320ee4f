//! The voter-list family: the import upload, and a polling area's official list (Mẫu 31) and
//! voter cards (Mẫu 10) as PDF; the area's data they, the checklist and the spreadsheet
//! copies are made from.

use app::domain::ids::{AreaId, VoterId};
use std::collections::HashMap;
use std::sync::Arc;

use app::domain::format;
use app::domain::meeting::vietnam_date;
use app::domain::role::Permission;
use app::domain::text::capitalise;
use app::domain::voter::{Gender, Levels};
use app::domain::ward::{AreaSummary, VoterStatus, VoterSummary, Ward};
use app::error::{AppError, ErrorCode};
use app::i18n::error_message;
use app::locale::Locale;
use app::request::CurrentSession;
use app::voters::model::ImportRequest;
use axum::extract::{DefaultBodyLimit, Multipart, Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Extension, Router};

use super::wording::{count_of, data_hash, place_date_line, ward_or_blank};
use super::{allowed, allowed_for_area, internal, render, DocState, Refusal};
use crate::pdf::{self, Fonts, ListTotals, VoterCard, VoterCardsDoc, VoterListDoc, VoterListRow};

/// The import upload's body limit, the only large one: the file (a voter list of a million rows
/// is ≈ 105 MB of CSV) plus room for the form's other fields.
const UPLOAD_LIMIT: usize = app::import::table::MAX_FILE_BYTES + 1024 * 1024;

pub(super) fn routes(state: DocState) -> Router {
    Router::new()
        .route(
            "/voters/import/upload",
            post(upload).layer(DefaultBodyLimit::max(UPLOAD_LIMIT)),
        )
        .route("/voters/import/problems.csv", get(import_problems_csv))
        .route("/voters/areas/{id}/list.pdf", get(list_pdf))
        .route("/voters/areas/{id}/cards.pdf", get(cards_pdf))
        .route("/voters/{id}/card.pdf", get(card_pdf))
        .with_state(state)
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
        .put(&state.app.db, session.user.id, file_name, bytes)
        .await
        .map_err(|error| internal("staging an upload", &error))?;
    let area = area.map(|a| a.to_string()).unwrap_or_default();
    Ok(format!(
        "/voters/import?token={token}&election={election}&area={area}"
    ))
}

/// Every problem of a staged file's dry run as CSV (the preview shows the first few hundred),
/// read with the choices the preview's query string carries. Streamed as it is read: a file
/// with a problem on every one of a million rows makes a large list.
async fn import_problems_csv(
    State(state): State<DocState>,
    session: Option<Extension<CurrentSession>>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, Refusal> {
    let session = allowed(&session, Permission::ManageVoterLists)?;
    let request = ImportRequest::from_query(|key| query.get(key).cloned());
    let locale = headers
        .get(header::COOKIE)
        .and_then(|v| v.to_str().ok())
        .map(Locale::from_cookie_header)
        .unwrap_or_default();
    let Some(file) = state
        .app
        .import_staging
        .get(&state.app.db, &request.token, session.user.id)
        .await
        .map_err(|error| internal("reading a staged upload", &error))?
    else {
        let expired = AppError::from(ErrorCode::ImportExpired);
        return Err(Refusal::page(
            StatusCode::GONE,
            &error_message(&expired, locale),
        ));
    };
    let mode = app::voters::model::ImportMode::from_query(query.get("mode").map(String::as_str));
    let chunks = app::voters::service::problems_csv(&state.app.db, &file, &request, mode, locale)
        .await
        .map_err(|error| internal("import problems CSV", &error))?;
    // Fused: the response layers may poll the body once more after its end, which a bare
    // `unfold` answers with a panic.
    let chunks = futures::stream::unfold(chunks, |mut chunks| async move {
        let chunk = chunks.recv().await?;
        Some((Ok::<_, std::convert::Infallible>(chunk), chunks))
    });
    let body = axum::body::Body::from_stream(futures::StreamExt::fuse(chunks));
    let stem = file
        .file_name
        .rsplit_once('.')
        .map_or(file.file_name.as_str(), |(stem, _)| stem);
    let ascii_stem: String = stem
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"van-de-{ascii_stem}.csv\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        body,
    )
        .into_response())
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
pub(super) struct AreaDocument {
    pub ward: Ward,
    pub election_name: String,
    pub area: AreaSummary,
    pub voters: Vec<VoterSummary>,
    pub data_hash: String,
    pub generated_at: String,
    pub date_line: String,
}

async fn load_area(state: &DocState, area_id: AreaId) -> Result<AreaDocument, Refusal> {
    let db = &state.app.db;
    let ward = ward_or_blank(state.ward().await?);
    let (area, voters) = app::voters::service::area_list(db, area_id)
        .await
        .map_err(|_| Refusal::page(StatusCode::NOT_FOUND, "Không tìm thấy khu vực bỏ phiếu."))?;
    let election = app::storage::voters::election(db.pool(), area.election_id)
        .await
        .map_err(|e| internal("document data: election", &e))?
        .ok_or_else(|| Refusal::page(StatusCode::NOT_FOUND, "Không tìm thấy cuộc bầu cử."))?;
    let data_hash = data_hash(&(&ward, &election.name, &area.number, &area.name, &voters));
    let now_ms = app::storage::db::now_ms();
    Ok(AreaDocument {
        date_line: place_date_line(&ward.name, vietnam_date(now_ms)),
        generated_at: format::date_time(now_ms),
        ward,
        election_name: election.name,
        area,
        voters,
        data_hash,
    })
}

/// "phường Mỹ Thới, tỉnh An Giang": where the voter votes, as the list and the card's stub
/// print it below the polling area.
fn ward_and_province(ward: &Ward) -> String {
    format!("{}, {}", ward.in_sentence(), ward.province_in_sentence())
}

fn title_lines(election_name: &str) -> Vec<String> {
    vec!["DANH SÁCH CỬ TRI".to_string(), election_name.to_uppercase()]
}

/// The common start of every polling-area document: access, fonts, the area's data.
pub(super) async fn area_request(
    state: &DocState,
    session: &Option<Extension<CurrentSession>>,
    area_id: AreaId,
    permission: Permission,
) -> Result<(Arc<Fonts>, AreaDocument), Refusal> {
    allowed_for_area(session, permission, area_id)?;
    let fonts = state.fonts()?;
    Ok((fonts, load_area(state, area_id).await?))
}

/// The area's data for a document without fonts (the CSV and XLSX exports), same access rules.
pub(super) async fn area_data(
    state: &DocState,
    session: &Option<Extension<CurrentSession>>,
    area_id: AreaId,
    permission: Permission,
) -> Result<AreaDocument, Refusal> {
    allowed_for_area(session, permission, area_id)?;
    load_area(state, area_id).await
}

async fn list_pdf(
    State(state): State<DocState>,
    session: Option<Extension<CurrentSession>>,
    Path(area_id): Path<AreaId>,
) -> Result<Response, Refusal> {
    let (fonts, data) =
        area_request(&state, &session, area_id, Permission::ManageVoterLists).await?;
    let doc = list_doc(&data, |_| None);
    let file_name = format!("danh-sach-cu-tri-kvbp-{}.pdf", data.area.number);
    Ok(render(fonts, doc, pdf::voter_list_pdf, file_name).await)
}

/// The official list of an area; `mark` may put a note (e.g. "đã bầu") in a voter's
/// "Ghi chú" cell before the voter's own notes.
pub(super) fn list_doc(
    data: &AreaDocument,
    mark: impl Fn(&VoterSummary) -> Option<String>,
) -> VoterListDoc {
    let listed: Vec<&VoterSummary> = data
        .voters
        .iter()
        .filter(|v| v.status != VoterStatus::Removed)
        .collect();
    let count = |counted: &dyn Fn(&VoterSummary) -> bool| {
        count_of(
            listed
                .iter()
                .filter(|v| v.status == VoterStatus::Active && counted(v))
                .count(),
        )
    };
    let totals = ListTotals {
        voters: count(&|_| true),
        men: count(&|v| v.gender == Gender::Male),
        women: count(&|v| v.gender == Gender::Female),
        national_assembly: count(&|v| v.levels.contains(Levels::NATIONAL_ASSEMBLY)),
        province_council: count(&|v| v.levels.contains(Levels::PROVINCE)),
        commune_council: count(&|v| v.levels.contains(Levels::COMMUNE)),
    };
    let mut previous_household = None;
    let rows = data
        .voters
        .iter()
        .map(|v| {
            let household_start = v.household_id.is_none() || v.household_id != previous_household;
            previous_household = v.household_id;
            let status_note = match v.status {
                VoterStatus::Active => None,
                VoterStatus::Removed => Some(format!("Đã xóa: {}", v.status_reason)),
                VoterStatus::Elsewhere => {
                    Some(format!("Bỏ phiếu ở nơi khác (GCN số {})", v.certificate_no))
                }
            };
            // The voter's own notes stay beside what the status says ("khiếm thị, cần người
            // giúp" matters as much to a voter who votes elsewhere).
            let notes = [mark(v), status_note, Some(v.notes.clone())]
                .into_iter()
                .flatten()
                .filter(|note| !note.is_empty())
                .collect::<Vec<_>>()
                .join("; ");
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
            "Khu vực bỏ phiếu số {}: {}, {}",
            data.area.number,
            data.area.name,
            ward_and_province(&data.ward)
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
    Path(area_id): Path<AreaId>,
) -> Result<Response, Refusal> {
    let (fonts, data) =
        area_request(&state, &session, area_id, Permission::ManageVoterLists).await?;
    let file_name = format!("the-cu-tri-kvbp-{}.pdf", data.area.number);
    Ok(render(
        fonts,
        cards_doc(&data, None),
        pdf::voter_cards_pdf,
        file_name,
    )
    .await)
}

/// One voter's card again (lost, torn, or listed after the cards were printed).
async fn card_pdf(
    State(state): State<DocState>,
    session: Option<Extension<CurrentSession>>,
    Path(voter_id): Path<VoterId>,
) -> Result<Response, Refusal> {
    allowed(&session, Permission::ManageVoterLists)?;
    let voter = match app::voters::service::voter(&state.app.db, voter_id).await {
        Ok(voter) => voter,
        Err(error) if error.code == app::error::ErrorCode::NotFound => {
            return Err(Refusal::page(
                StatusCode::NOT_FOUND,
                "Không tìm thấy cử tri này trong danh sách.",
            ))
        }
        Err(error) => return Err(internal("voter card: voter", &error)),
    };
    if voter.status != VoterStatus::Active {
        return Err(Refusal::page(
            StatusCode::CONFLICT,
            "Cử tri này không còn bỏ phiếu theo danh sách này (đã xóa tên hoặc bỏ phiếu ở nơi khác): không cấp thẻ cử tri.",
        ));
    }
    let (fonts, data) = area_request(
        &state,
        &session,
        voter.area_id,
        Permission::ManageVoterLists,
    )
    .await?;
    let file_name = format!("the-cu-tri-kvbp-{}-so-{}.pdf", data.area.number, voter.stt);
    Ok(render(
        fonts,
        cards_doc(&data, Some(voter_id)),
        pdf::voter_cards_pdf,
        file_name,
    )
    .await)
}

/// The cards of the area's active voters (Mẫu 10/HĐBC), or of `only` that one; the stub names
/// the polling area, the ward and the province (docs/domain.md §1.5).
fn cards_doc(data: &AreaDocument, only: Option<VoterId>) -> VoterCardsDoc {
    let cards = data
        .voters
        .iter()
        .filter(|v| v.status == VoterStatus::Active && only.is_none_or(|id| v.id == id))
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
    VoterCardsDoc {
        committee: "ỦY BAN NHÂN DÂN".into(),
        ward_line: data.ward.name.to_uppercase(),
        title_lines: titles,
        province_line: capitalise(&ward_and_province(&data.ward)),
        generated_at: data.generated_at.clone(),
        data_hash: data.data_hash.clone(),
        cards,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use app::domain::ids::{ElectionId, VoterId};
    use app::domain::voter::{BirthDate, Date};

    fn area_document() -> AreaDocument {
        let voter = VoterSummary {
            id: VoterId::new(1),
            area_id: AreaId::new(3),
            area_number: 3,
            stt: 125,
            full_name: "Huỳnh Thị Ngọc Hường".into(),
            birth: BirthDate::Full(Date::new(1975, 7, 5).expect("date")),
            gender: Gender::Female,
            cccd: None,
            permanent_address: "Số 12, đường Trần Hưng Đạo, khóm Thới Hòa".into(),
            temporary_address: String::new(),
            temporary_since: None,
            levels: Levels(7),
            status: VoterStatus::Active,
            status_reason: String::new(),
            certificate_no: String::new(),
            notes: String::new(),
            household_id: None,
            is_head: true,
            ethnicity: "Kinh".into(),
            occupation: String::new(),
            card_code: "AbCdEfGhIjKlMnOp".into(),
        };
        AreaDocument {
            ward: Ward {
                name: "Phường Mỹ Thới".into(),
                province: "Tỉnh An Giang".into(),
            },
            election_name: "Bầu cử ĐBQH khóa XVI và HĐND các cấp nhiệm kỳ 2026–2031".into(),
            area: AreaSummary {
                id: AreaId::new(3),
                election_id: ElectionId::new(1),
                number: 3,
                name: "Khóm Thới Hòa".into(),
                address: String::new(),
                opens_at: "07:00".into(),
                closes_at: "19:00".into(),
                levels: Levels(7),
                voters: 1,
            },
            voters: vec![voter],
            data_hash: "9f3a6c2e0000".into(),
            generated_at: "27/11/2026 14:05".into(),
            date_line: "Mỹ Thới, ngày 03 tháng 02 năm 2026".into(),
        }
    }

    /// The card's stub names the ward beside the polling area and the province; the preview
    /// is written to target/pdf-preview/voter-card-stub.png for a look at the layout.
    #[test]
    fn the_card_stub_names_the_ward() {
        let doc = cards_doc(&area_document(), None);
        if !crate::pdf::tests::poppler_available() {
            return;
        }
        let pdf = pdf::voter_cards_pdf(&doc, &crate::pdf::tests::fonts()).expect("renders");
        let text = crate::pdf::tests::text_pages(&pdf, "voter-card-stub").join("\n");
        let words = text.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(words.contains("KHU VỰC BỎ PHIẾU SỐ 3"), "{words}");
        assert!(words.contains("Phường Mỹ Thới, tỉnh An Giang"), "{words}");
        crate::pdf::tests::render_preview("voter-card-stub");
    }

    #[test]
    fn the_list_names_the_ward_and_province_as_inside_a_sentence() {
        let doc = list_doc(&area_document(), |_| None);
        assert_eq!(
            doc.subtitle,
            "Khu vực bỏ phiếu số 3: Khóm Thới Hòa, phường Mỹ Thới, tỉnh An Giang"
        );
    }
}
