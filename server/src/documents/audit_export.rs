//! The audit log as a CSV file, for an inspection or the archive: every record the audit page's
//! filter selects, newest first, in words (the action, what it is about, each field of the
//! before and after by its name) beside the stored codes and the record's hash, so a copy can
//! be checked against the chain later.
//!
//! Streamed a page of records at a time: an election day leaves a record per check-in, and a
//! million of them must not sit in memory to be sent.

use app::domain::role::Permission;
use app::i18n::audit_words::{action_words, change_text, entity_words};
use app::locale::Locale;
use app::request::CurrentSession;
use app::storage::audit::{self, AuditFilter, AuditRecord};
use axum::body::{Body, Bytes};
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Extension, Router};
use serde::Deserialize;

use super::list_export::{csv_record, CSV_BOM};
use super::{allowed, DocState, Refusal};

pub(super) fn routes(state: DocState) -> Router {
    Router::new()
        .route("/admin/audit.csv", get(audit_csv))
        .with_state(state)
}

/// The audit page's filter, as its address carries it.
#[derive(Debug, Default, Deserialize)]
struct FilterQuery {
    #[serde(default)]
    action: String,
    #[serde(default)]
    actor: String,
    #[serde(default)]
    entity: String,
}

const HEADINGS: [&str; 10] = [
    "Số thứ tự",
    "Thời gian",
    "Người thực hiện",
    "Thao tác",
    "Mã thao tác",
    "Đối tượng",
    "Mã đối tượng",
    "Trước",
    "Sau",
    "Mã kiểm tra (SHA-256)",
];

/// Records per database read.
const PAGE: i64 = 2_000;

fn rows_csv(records: &[AuditRecord], with_headings: bool) -> Bytes {
    let mut out = String::new();
    if with_headings {
        out.push_str(CSV_BOM);
        csv_record(&mut out, &HEADINGS);
    }
    for record in records {
        let (about, _) = entity_words(&record.entity, Locale::Vi);
        csv_record(
            &mut out,
            &[
                &record.seq.to_string(),
                &app::domain::format::date_time(record.at_ms),
                &record.actor,
                &action_words(&record.action, Locale::Vi),
                &record.action,
                &about,
                &record.entity,
                &change_text(&record.before, Locale::Vi),
                &change_text(&record.after, Locale::Vi),
                &record.hash,
            ],
        );
    }
    Bytes::from(out)
}

fn non_empty(text: String) -> Option<String> {
    let text = text.trim().to_string();
    (!text.is_empty()).then_some(text)
}

async fn audit_csv(
    State(state): State<DocState>,
    session: Option<Extension<CurrentSession>>,
    Query(query): Query<FilterQuery>,
) -> Result<Response, Refusal> {
    allowed(&session, Permission::ReadAudit)?;
    let pool = state.app.db.pool().clone();
    let filter = AuditFilter {
        action: non_empty(query.action),
        actor: non_empty(query.actor),
        entity: non_empty(query.entity),
        before_seq: None,
    };
    // (next filter, first page?) until a page comes back short.
    let pages = futures::stream::unfold(Some((filter, true)), move |next| {
        let pool = pool.clone();
        async move {
            let (mut filter, first) = next?;
            match audit::list(&pool, &filter, PAGE).await {
                Ok(records) => {
                    let bytes = rows_csv(&records, first);
                    let more = i64::try_from(records.len()).is_ok_and(|n| n == PAGE);
                    let following = records.last().filter(|_| more).map(|last| {
                        filter.before_seq = Some(last.seq);
                        (filter, false)
                    });
                    Some((Ok::<Bytes, std::io::Error>(bytes), following))
                }
                Err(error) => {
                    // The download ends short rather than pretending to be whole.
                    tracing::error!(%error, "audit export failed mid-way");
                    Some((Err(std::io::Error::other("audit export failed")), None))
                }
            }
        }
    });
    let file_name = format!(
        "nhat-ky-thao-tac-{}.csv",
        app::domain::format::date_time(app::storage::db::now_ms())
            .replace(['/', ':'], "-")
            .replace(' ', "_")
    );
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file_name}\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        Body::from_stream(pages),
    )
        .into_response())
}
