//! Files of the petition workflow and the meeting calendar: a round's summary report (tổng hợp
//! ý kiến, kiến nghị cử tri) as PDF and XLSX, and a deputy's meetings as an iCalendar feed.

use app::domain::meeting::{session_line, CompetentLevel, OpinionField};
use app::domain::meeting_record::MeetingFilter;
use app::domain::role::Permission;
use app::domain::ward::Ward;
use app::petitions::model::{Petition, PetitionRound};
use app::request::CurrentSession;
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Extension, Router};
use rust_xlsxwriter::{Format, Workbook, XlsxError};
use serde::Deserialize;
use sha2::{Digest, Sha256};

use crate::documents::{allowed, render, DocState, Refusal};
use crate::pdf::{self, PetitionSummaryDoc};

pub fn routes(state: DocState) -> Router {
    Router::new()
        .route("/meetings/petitions/summary.pdf", get(summary_pdf))
        .route("/meetings/petitions/summary.xlsx", get(summary_xlsx))
        .route("/meetings/deputies/{file}", get(deputy_calendar))
        .with_state(state)
}

fn internal(error: &dyn std::fmt::Display) -> Refusal {
    let reference = app::token::short_reference();
    tracing::error!(%reference, "petition document: {error}");
    Refusal::page(
        StatusCode::INTERNAL_SERVER_ERROR,
        &format!("Lỗi hệ thống (mã tham chiếu {reference})."),
    )
}

fn download(bytes: Vec<u8>, content_type: &str, file_name: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file_name}\""),
            ),
            // Voters' names and addresses: not kept in shared or browser caches.
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        bytes,
    )
        .into_response()
}

/// `?term=XVI&session=2&timing=before`, as the petitions page links it.
#[derive(Debug, Deserialize)]
struct RoundQuery {
    term: String,
    session: i64,
    timing: String,
}

/// Everything a summary is made from, read under the `ManageMeetings` check.
struct SummaryData {
    ward: Option<Ward>,
    round: PetitionRound,
    now_ms: i64,
}

async fn summary_data(
    state: &DocState,
    session: &Option<Extension<CurrentSession>>,
    query: &RoundQuery,
) -> Result<SummaryData, Refusal> {
    allowed(session, Permission::ManageMeetings)?;
    let round = app::petitions::service::parse_round(&query.term, query.session, &query.timing)
        .map_err(|_| Refusal::page(StatusCode::BAD_REQUEST, "Kỳ họp không hợp lệ."))?;
    let db = &state.app.db;
    Ok(SummaryData {
        ward: app::storage::voters::ward(db.pool())
            .await
            .map_err(|e| internal(&e))?,
        round: app::petitions::service::round(db, &round)
            .await
            .map_err(|e| internal(&format!("{e:?}")))?,
        now_ms: app::storage::db::now_ms(),
    })
}

/// Petitions per field, split by competent level (xã, tỉnh, trung ương), in the order of
/// `OpinionField::ALL`; fields without petitions are left out.
fn field_level_counts(petitions: &[Petition]) -> Vec<(OpinionField, [i64; 3])> {
    OpinionField::ALL
        .iter()
        .filter_map(|field| {
            let mut counts = [0; 3];
            for p in petitions.iter().filter(|p| p.field == *field) {
                let level = CompetentLevel::ALL
                    .iter()
                    .position(|l| *l == p.competent_level)
                    .unwrap_or(0);
                counts[level] += 1;
            }
            (counts.iter().sum::<i64>() > 0).then_some((*field, counts))
        })
        .collect()
}

fn counts_line(field: OpinionField, counts: [i64; 3]) -> String {
    format!(
        "{}: {} kiến nghị (cấp xã {}, cấp tỉnh {}, cấp trung ương {})",
        field.vi(),
        counts.iter().sum::<i64>(),
        counts[0],
        counts[1],
        counts[2]
    )
}

/// "Đã trả lời (Đã giải quyết), văn bản số 125/SXD ngày 20/12/2026, Nguyễn Văn A ký: …".
fn status_text(p: &Petition) -> String {
    let mut text = p.status.vi().to_string();
    if let Some(a) = p.answers.last() {
        text.push_str(&format!(
            " ({}), văn bản số {} ngày {}, {} ký: {}",
            a.outcome.vi(),
            a.document_number,
            a.document_date.display(),
            a.signer,
            a.content
        ));
        if !a.roadmap.is_empty() {
            text.push_str(&format!(". Lộ trình: {}", a.roadmap));
        }
    }
    if p.overdue {
        text.push_str(" - QUÁ HẠN");
    }
    text
}

fn sources_text(p: &Petition) -> String {
    p.sources
        .iter()
        .map(|s| {
            format!(
                "cử tri {} tại hội nghị \"{}\" ngày {}",
                s.speaker,
                s.meeting_title,
                app::domain::meeting::vietnam_date(s.meeting_start_ms).display()
            )
        })
        .collect::<Vec<_>>()
        .join("; ")
}

fn data_hash(data: &SummaryData) -> String {
    let mut hasher = Sha256::new();
    hasher.update(serde_json::to_vec(&(&data.ward, &data.round)).unwrap_or_default());
    hex::encode(hasher.finalize())[..12].to_string()
}

fn summary_doc(data: &SummaryData) -> PetitionSummaryDoc {
    let r = &data.round;
    let ward_name = data.ward.as_ref().map_or("……", |w| w.name.as_str());
    let place = match ward_name.split_whitespace().skip(1).collect::<Vec<_>>() {
        words if words.is_empty() => "……".to_string(),
        words => words.join(" "),
    };
    let t = app::domain::format::VietnamTime::from_unix_ms(data.now_ms);
    let month = if t.month <= 2 {
        format!("{:02}", t.month)
    } else {
        t.month.to_string()
    };
    let answered = r.petitions.iter().filter(|p| !p.answers.is_empty()).count();
    let overdue = r.petitions.iter().filter(|p| p.overdue).count();
    let opinions: usize = r.petitions.iter().map(|p| p.sources.len()).sum();
    let mut overview = vec![format!(
        "Tổng số: {} kiến nghị, tổng hợp từ {opinions} ý kiến của cử tri; đã có văn bản trả lời {answered}; chưa trả lời {}, trong đó quá hạn {overdue}.",
        r.petitions.len(),
        r.petitions.len() - answered,
    )];
    if let Some(due) = r.due {
        overview.push(format!(
            "Hạn trả lời: {} (15 ngày {} kỳ họp).",
            due.display(),
            match r.round.timing {
                app::domain::meeting::SessionTiming::Before => "trước ngày khai mạc",
                app::domain::meeting::SessionTiming::After => "sau ngày bế mạc",
            }
        ));
    }
    let counts = field_level_counts(&r.petitions);
    let sections = counts
        .iter()
        .map(|(field, _)| {
            let items = r
                .petitions
                .iter()
                .filter(|p| p.field == *field)
                .map(|p| {
                    let body = if p.competent_body.is_empty() {
                        String::new()
                    } else {
                        format!(" Chuyển: {}.", p.competent_body)
                    };
                    format!(
                        "{} (Cấp có thẩm quyền: {}. Nguồn: {}.{body} Tình trạng: {}.)",
                        p.content,
                        p.competent_level.vi(),
                        sources_text(p),
                        status_text(p)
                    )
                })
                .collect();
            (field.vi().to_string(), items)
        })
        .collect();
    PetitionSummaryDoc {
        body: ["ỦY BAN MTTQ VIỆT NAM".into(), ward_name.to_uppercase()],
        place_date_line: format!("{place}, ngày {:02} tháng {month} năm {}", t.day, t.year),
        title_lines: vec![
            "BÁO CÁO".into(),
            "TỔNG HỢP Ý KIẾN, KIẾN NGHỊ CỦA CỬ TRI".into(),
            session_line(r.round.timing, r.round.session_number, &r.round.term).to_uppercase(),
        ],
        overview,
        counts: counts
            .iter()
            .map(|(field, c)| counts_line(*field, *c))
            .collect(),
        sections,
        signers: [
            ("NGƯỜI TỔNG HỢP".into(), String::new()),
            ("TM. BAN THƯỜNG TRỰC".into(), String::new()),
        ],
        generated_at: app::domain::format::date_time(data.now_ms),
        data_hash: data_hash(data),
    }
}

fn file_stem(r: &PetitionRound) -> String {
    format!(
        "tong-hop-kien-nghi-{}-ky-hop-{}-khoa-{}",
        match r.round.timing {
            app::domain::meeting::SessionTiming::Before => "truoc",
            app::domain::meeting::SessionTiming::After => "sau",
        },
        r.round.session_number,
        r.round
            .term
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .collect::<String>()
    )
}

async fn summary_pdf(
    State(state): State<DocState>,
    session: Option<Extension<CurrentSession>>,
    Query(query): Query<RoundQuery>,
) -> Result<Response, Refusal> {
    let data = summary_data(&state, &session, &query).await?;
    let fonts = state
        .fonts
        .clone()
        .map_err(|message| Refusal::page(StatusCode::SERVICE_UNAVAILABLE, &message))?;
    let file_name = format!("{}.pdf", file_stem(&data.round));
    Ok(render(
        fonts,
        summary_doc(&data),
        pdf::petition_summary_pdf,
        file_name,
    )
    .await)
}

const XLSX_HEADINGS: [&str; 9] = [
    "STT",
    "Lĩnh vực",
    "Cấp có thẩm quyền",
    "Nội dung kiến nghị",
    "Nguồn (cử tri, hội nghị)",
    "Cơ quan có thẩm quyền",
    "Tình trạng",
    "Quá hạn",
    "Trả lời",
];

/// The summary as a workbook: the petitions sheet and the counts sheet. Every text cell is a
/// string cell, so text that looks like a formula ("=…") stays text.
fn summary_xlsx_bytes(data: &SummaryData) -> Result<Vec<u8>, XlsxError> {
    let doc = summary_doc(data);
    let r = &data.round;
    let mut workbook = Workbook::new();
    let text = Format::new().set_font_name("Times New Roman");
    let bold = text.clone().set_bold();

    let sheet = workbook.add_worksheet();
    sheet.set_name("Kiến nghị")?;
    let mut row: u32 = 0;
    for line in doc.title_lines.iter().skip(1) {
        sheet.write_string_with_format(row, 0, line, &bold)?;
        row += 1;
    }
    for (column, heading) in (0u16..).zip(XLSX_HEADINGS) {
        sheet.write_string_with_format(row, column, heading, &bold)?;
    }
    sheet.set_freeze_panes(row + 1, 0)?;
    row += 1;
    for (n, p) in r.petitions.iter().enumerate() {
        sheet.write_number_with_format(row, 0, (n + 1) as f64, &text)?;
        let answer = p.answers.last().map(|a| {
            format!(
                "{}; văn bản số {} ngày {}, {} ký: {}",
                a.outcome.vi(),
                a.document_number,
                a.document_date.display(),
                a.signer,
                a.content
            )
        });
        let cells = [
            p.field.vi().to_string(),
            p.competent_level.vi().to_string(),
            p.content.clone(),
            sources_text(p),
            p.competent_body.clone(),
            p.status.vi().to_string(),
            if p.overdue { "Quá hạn" } else { "" }.to_string(),
            answer.unwrap_or_default(),
        ];
        for (column, value) in (1u16..).zip(cells.iter()) {
            if !value.is_empty() {
                sheet.write_string_with_format(row, column, value, &text)?;
            }
        }
        row += 1;
    }
    for (column, width) in (0u16..).zip([6, 16, 12, 50, 40, 28, 18, 9, 50]) {
        sheet.set_column_width(column, width)?;
    }

    let counts = workbook.add_worksheet();
    counts.set_name("Số lượng")?;
    for (column, heading) in (0u16..).zip(["Lĩnh vực", "Xã", "Tỉnh", "Trung ương", "Tổng"])
    {
        counts.write_string_with_format(0, column, heading, &bold)?;
    }
    let mut row: u32 = 1;
    for (field, c) in field_level_counts(&r.petitions) {
        counts.write_string_with_format(row, 0, field.vi(), &text)?;
        for (column, value) in (1u16..).zip(c.iter().chain([c.iter().sum::<i64>()].iter())) {
            counts.write_number_with_format(row, column, *value as f64, &text)?;
        }
        row += 1;
    }
    counts.set_column_width(0, 20)?;
    for (i, line) in doc.overview.iter().enumerate() {
        counts.write_string_with_format(row + 1 + i as u32, 0, line, &text)?;
    }
    workbook.save_to_buffer()
}

async fn summary_xlsx(
    State(state): State<DocState>,
    session: Option<Extension<CurrentSession>>,
    Query(query): Query<RoundQuery>,
) -> Result<Response, Refusal> {
    let data = summary_data(&state, &session, &query).await?;
    let file_name = format!("{}.xlsx", file_stem(&data.round));
    match tokio::task::spawn_blocking(move || summary_xlsx_bytes(&data)).await {
        Ok(Ok(bytes)) => Ok(download(
            bytes,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            file_name,
        )),
        Ok(Err(error)) => Err(internal(&error)),
        Err(error) => Err(internal(&error)),
    }
}

/// GET /meetings/deputies/{id}.ics: the deputy's meetings, for a calendar program.
async fn deputy_calendar(
    State(state): State<DocState>,
    session: Option<Extension<CurrentSession>>,
    Path(file): Path<String>,
) -> Result<Response, Refusal> {
    allowed(&session, Permission::ManageMeetings)?;
    let not_found = || Refusal::page(StatusCode::NOT_FOUND, "Không tìm thấy đại biểu.");
    let id: i64 = file
        .strip_suffix(".ics")
        .and_then(|id| id.parse().ok())
        .ok_or_else(not_found)?;
    let db = &state.app.db;
    let deputy = app::storage::meetings::deputy(db.pool(), id)
        .await
        .map_err(|e| internal(&e))?
        .ok_or_else(not_found)?;
    let filter = MeetingFilter {
        deputy_id: Some(id),
        ..MeetingFilter::default()
    };
    let meetings = app::meetings::service::list(db, &filter)
        .await
        .map_err(|e| internal(&format!("{e:?}")))?;
    let events: Vec<ics::Event> = meetings
        .iter()
        .map(|m| {
            let location = m.venue.as_ref().map(|v| {
                if v.address.is_empty() {
                    v.name.clone()
                } else {
                    format!("{}, {}", v.name, v.address)
                }
            });
            let mut description = vec![format!(
                "Hội nghị tiếp xúc cử tri {}",
                session_line(m.timing, m.session_number, &m.term)
            )];
            if !m.areas.is_empty() {
                description.push(format!("Cử tri được mời: {}", m.areas));
            }
            if !m.chair.is_empty() {
                description.push(format!("Chủ trì: {}", m.chair));
            }
            ics::Event {
                uid: format!("meeting-{}@cutri", m.id),
                span: m.span,
                summary: format!("Tiếp xúc cử tri: {}", m.title),
                location: location.unwrap_or_else(|| m.format.vi().to_string()),
                description: description.join("\n"),
            }
        })
        .collect();
    let body = ics::calendar(
        &format!("Lịch tiếp xúc cử tri - {}", deputy.full_name),
        &events,
        app::storage::db::now_ms(),
    );
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "text/calendar; charset=utf-8".to_string(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"dai-bieu-{id}.ics\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        body,
    )
        .into_response())
}

/// iCalendar (RFC 5545) writing: CRLF line ends, content lines folded at 75 octets, TEXT values
/// escaped, instants in UTC with "Z", UIDs from meeting ids so a re-import updates events.
mod ics {
    use app::domain::format::VietnamTime;
    use app::domain::meeting::Interval;

    pub struct Event {
        pub uid: String,
        pub span: Interval,
        pub summary: String,
        pub location: String,
        pub description: String,
    }

    /// TEXT escaping (RFC 5545 §3.3.11): backslash, semicolon and comma get a backslash, a line
    /// break becomes "\n"; a lone CR is dropped.
    pub fn escape(text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        for c in text.chars() {
            match c {
                '\\' => out.push_str("\\\\"),
                ';' => out.push_str("\\;"),
                ',' => out.push_str("\\,"),
                '\n' => out.push_str("\\n"),
                '\r' => {}
                c => out.push(c),
            }
        }
        out
    }

    /// One content line, folded (§3.1): no line longer than 75 octets without its CRLF, each
    /// continuation starting with a space, and never inside a UTF-8 character.
    pub fn fold(line: &str) -> String {
        let mut out = String::with_capacity(line.len() + line.len() / 70 * 3 + 2);
        let mut used = 0;
        for c in line.chars() {
            if used + c.len_utf8() > 75 {
                out.push_str("\r\n ");
                used = 1;
            }
            out.push(c);
            used += c.len_utf8();
        }
        out.push_str("\r\n");
        out
    }

    /// "20261205T010000Z".
    pub fn utc(unix_ms: i64) -> String {
        // VietnamTime is UTC+7; shifting the instant back 7 hours reads the UTC fields.
        let t = VietnamTime::from_unix_ms(unix_ms - 7 * 3_600_000);
        format!(
            "{:04}{:02}{:02}T{:02}{:02}{:02}Z",
            t.year, t.month, t.day, t.hour, t.minute, t.second
        )
    }

    pub fn calendar(name: &str, events: &[Event], now_ms: i64) -> String {
        let mut out = String::new();
        let mut line = |text: String| out.push_str(&fold(&text));
        line("BEGIN:VCALENDAR".into());
        line("VERSION:2.0".into());
        line("PRODID:-//cutri//Tiep xuc cu tri//VI".into());
        line("CALSCALE:GREGORIAN".into());
        line("METHOD:PUBLISH".into());
        line(format!("X-WR-CALNAME:{}", escape(name)));
        line("X-WR-TIMEZONE:Asia/Ho_Chi_Minh".into());
        for event in events {
            line("BEGIN:VEVENT".into());
            line(format!("UID:{}", event.uid));
            line(format!("DTSTAMP:{}", utc(now_ms)));
            line(format!("DTSTART:{}", utc(event.span.start_ms)));
            line(format!("DTEND:{}", utc(event.span.end_ms)));
            line(format!("SUMMARY:{}", escape(&event.summary)));
            line(format!("LOCATION:{}", escape(&event.location)));
            line(format!("DESCRIPTION:{}", escape(&event.description)));
            line("END:VEVENT".into());
        }
        line("END:VCALENDAR".into());
        out
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn text_escapes_backslash_semicolon_comma_and_newlines() {
            assert_eq!(
                escape("Khóm 3, Tổ 5; a\\b\r\nxong"),
                "Khóm 3\\, Tổ 5\\; a\\\\b\\nxong"
            );
        }

        #[test]
        fn short_lines_are_kept_whole_with_crlf() {
            assert_eq!(fold("VERSION:2.0"), "VERSION:2.0\r\n");
            let exactly = "X".repeat(75);
            assert_eq!(fold(&exactly), format!("{exactly}\r\n"));
        }

        #[test]
        fn long_lines_fold_at_75_octets_without_splitting_characters() {
            let line = format!("SUMMARY:{}", "Tiếp xúc cử tri khóm Thới Hòa, ".repeat(6));
            let folded = fold(&line);
            assert!(folded.ends_with("\r\n"));
            let parts: Vec<&str> = folded.trim_end_matches("\r\n").split("\r\n").collect();
            assert!(parts.len() > 2);
            for (i, part) in parts.iter().enumerate() {
                assert!(part.len() <= 75, "{part:?} is {} octets", part.len());
                assert_eq!(part.starts_with(' '), i > 0, "{part:?}");
            }
            // Unfolding (remove CRLF + one space) gives the line back.
            let unfolded: String = parts
                .iter()
                .enumerate()
                .map(|(i, p)| if i == 0 { *p } else { &p[1..] })
                .collect();
            assert_eq!(unfolded, line);
        }

        #[test]
        fn times_are_utc() {
            // 05/12/2026 08:00 in Vietnam is 01:00 UTC.
            let start = app::domain::meeting::vietnam_instant(
                app::domain::voter::Date::new(2026, 12, 5).unwrap(),
                8 * 60,
            );
            assert_eq!(utc(start), "20261205T010000Z");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use app::domain::petition::PetitionStatus;

    fn petition(field: OpinionField, level: CompetentLevel) -> Petition {
        Petition {
            id: 1,
            field,
            competent_level: level,
            content: "=HYPERLINK(\"x\")".into(),
            competent_body: String::new(),
            status: PetitionStatus::Collected,
            carried_from_id: None,
            overdue: false,
            sources: Vec::new(),
            answers: Vec::new(),
        }
    }

    #[test]
    fn counts_are_per_field_and_level_in_field_order() {
        let petitions = [
            petition(OpinionField::Welfare, CompetentLevel::Commune),
            petition(OpinionField::Traffic, CompetentLevel::Province),
            petition(OpinionField::Traffic, CompetentLevel::Province),
            petition(OpinionField::Traffic, CompetentLevel::Central),
        ];
        assert_eq!(
            field_level_counts(&petitions),
            [
                (OpinionField::Traffic, [0, 2, 1]),
                (OpinionField::Welfare, [1, 0, 0])
            ]
        );
        assert_eq!(
            counts_line(OpinionField::Traffic, [0, 2, 1]),
            "Giao thông: 3 kiến nghị (cấp xã 0, cấp tỉnh 2, cấp trung ương 1)"
        );
    }

    #[test]
    fn formula_looking_petitions_read_back_as_text() {
        let data = SummaryData {
            ward: None,
            round: PetitionRound {
                round: app::domain::petition::Round {
                    term: "XVI".into(),
                    session_number: 2,
                    timing: app::domain::meeting::SessionTiming::Before,
                },
                session: None,
                due: None,
                petitions: vec![petition(OpinionField::Traffic, CompetentLevel::Province)],
                suggestions: Vec::new(),
                uncollected: 0,
            },
            now_ms: 0,
        };
        let bytes = summary_xlsx_bytes(&data).expect("writes");
        let table = app::import::xlsx::read_xlsx(&bytes, None, None).expect("reads back");
        assert_eq!(table.rows[2], XLSX_HEADINGS.map(String::from).to_vec());
        // A formula would read back as its cached value; a string cell reads back as itself.
        assert_eq!(table.rows[3][3], "=HYPERLINK(\"x\")");
        assert_eq!(table.rows[3][1], "Giao thông");
    }
}
