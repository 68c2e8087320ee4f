//! Files of the petition workflow: a round's summary report (tổng hợp ý kiến, kiến nghị cử tri)
//! as PDF and XLSX.

use app::domain::meeting::{session_line, vietnam_date, CompetentLevel, OpinionField};
use app::domain::role::Permission;
use app::domain::ward::Ward;
use app::petitions::model::{Petition, PetitionRound};
use app::request::CurrentSession;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use axum::{Extension, Router};
use rust_xlsxwriter::{Format, Workbook, XlsxError};
use serde::Deserialize;

use super::wording::{data_hash, place_date_line, ward_name};
use super::{allowed, internal, render, xlsx_download, DocState, Refusal};
use crate::pdf::{self, PetitionSummaryDoc};
use app::domain::text::{clause, full_stop};

pub(super) fn routes(state: DocState) -> Router {
    Router::new()
        .route("/meetings/petitions/summary.pdf", get(summary_pdf))
        .route("/meetings/petitions/summary.xlsx", get(summary_xlsx))
        .with_state(state)
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
        ward: state.ward().await?,
        round: app::petitions::service::round(db, &round)
            .await
            .map_err(|e| internal("petition summary data", &format!("{e:?}")))?,
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

/// "Đã trả lời (Đã giải quyết), văn bản số 125/SXD ngày 20/12/2026, Nguyễn Văn A ký: ….
/// Lộ trình: …. QUÁ HẠN.": sentences, each ending with one full stop whatever the answer's
/// text ended with.
fn status_text(p: &Petition) -> String {
    let mut sentences = vec![p.status.vi().to_string()];
    if let Some(a) = p.answers.last() {
        sentences[0].push_str(&format!(
            " ({}), văn bản số {} ngày {}, {} ký: {}",
            a.outcome.vi(),
            a.document_number,
            a.document_date.display(),
            a.signer,
            a.content
        ));
        if !a.roadmap.is_empty() {
            sentences.push(format!("Lộ trình: {}", a.roadmap));
        }
    }
    if p.overdue {
        sentences.push("QUÁ HẠN".to_string());
    }
    sentences
        .iter()
        .map(|sentence| full_stop(sentence))
        .collect::<Vec<_>>()
        .join(" ")
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

fn summary_doc(data: &SummaryData) -> PetitionSummaryDoc {
    let r = &data.round;
    let ward_name = ward_name(data.ward.as_ref());
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
                    let mut notes = vec![
                        format!("Cấp có thẩm quyền: {}", p.competent_level.vi()),
                        format!("Nguồn: {}", sources_text(p)),
                    ];
                    if !p.competent_body.is_empty() {
                        notes.push(format!("Chuyển: {}", p.competent_body));
                    }
                    notes.push(format!("Tình trạng: {}", status_text(p)));
                    let notes: Vec<String> = notes.iter().map(|note| full_stop(note)).collect();
                    format!("{} ({})", clause(&p.content), notes.join(" "))
                })
                .collect();
            (field.vi().to_string(), items)
        })
        .collect();
    PetitionSummaryDoc {
        body: ["ỦY BAN MTTQ VIỆT NAM".into(), ward_name.to_uppercase()],
        place_date_line: place_date_line(ward_name, vietnam_date(data.now_ms)),
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
        data_hash: data_hash(&(&data.ward, &data.round)),
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
    let fonts = state.fonts()?;
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
    for (line_row, line) in (row + 1..).zip(&doc.overview) {
        counts.write_string_with_format(line_row, 0, line, &text)?;
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
    xlsx_download(data, summary_xlsx_bytes, file_name).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use app::domain::ids::PetitionId;
    use app::domain::ids::{MeetingId, OpinionId};
    use app::domain::petition::PetitionStatus;

    fn petition(field: OpinionField, level: CompetentLevel) -> Petition {
        Petition {
            id: PetitionId::new(1),
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

    /// A round whose one petition was answered with a roadmap, each typed text ending with a
    /// full stop, and is overdue.
    fn answered_round() -> SummaryData {
        let mut answered = petition(OpinionField::Traffic, CompetentLevel::Province);
        answered.content = "Đề nghị sửa chữa đường Trần Hưng Đạo bị xuống cấp.".into();
        answered.competent_body = "Sở Xây dựng tỉnh An Giang.".into();
        answered.status = PetitionStatus::Answered;
        answered.overdue = true;
        answered.sources = vec![app::domain::petition::PetitionSource {
            opinion_id: OpinionId::new(1),
            meeting_id: MeetingId::new(1),
            meeting_title: "Khóm Thới Hòa".into(),
            meeting_start_ms: 1_796_439_600_000,
            number: 1,
            speaker: "Huỳnh Thị Ngọc Hường".into(),
            address: String::new(),
            content: String::new(),
        }];
        answered.answers = vec![app::domain::petition::OfficialAnswer {
            id: 1,
            outcome: app::domain::petition::AnswerOutcome::Roadmap,
            content: "Sở đã bố trí vốn sửa chữa đường Trần Hưng Đạo.".into(),
            roadmap: "Hoàn thành trong quý I/2027.".into(),
            document_number: "125/SXD-QLHT".into(),
            document_date: app::domain::voter::Date::new(2026, 12, 20).expect("date"),
            signer: "Nguyễn Thành Đông, Giám đốc Sở".into(),
            answering_body: "Sở Xây dựng".into(),
        }];
        SummaryData {
            ward: Some(Ward {
                name: "Phường Mỹ Thới".into(),
                province: "Tỉnh An Giang".into(),
            }),
            round: PetitionRound {
                round: app::domain::petition::Round {
                    term: "XVI".into(),
                    session_number: 2,
                    timing: app::domain::meeting::SessionTiming::Before,
                },
                session: None,
                due: None,
                petitions: vec![answered],
                suggestions: Vec::new(),
                uncollected: 0,
            },
            now_ms: 0,
        }
    }

    #[test]
    fn the_summary_ends_each_sentence_once_whatever_the_typed_text_ended_with() {
        let doc = summary_doc(&answered_round());
        assert_eq!(
            doc.sections[0].1,
            [
                "Đề nghị sửa chữa đường Trần Hưng Đạo bị xuống cấp (Cấp có thẩm quyền: Tỉnh. \
              Nguồn: cử tri Huỳnh Thị Ngọc Hường tại hội nghị \"Khóm Thới Hòa\" ngày 05/12/2026. \
              Chuyển: Sở Xây dựng tỉnh An Giang. Tình trạng: Đã trả lời (Có lộ trình giải quyết), \
              văn bản số 125/SXD-QLHT ngày 20/12/2026, Nguyễn Thành Đông, Giám đốc Sở ký: Sở đã \
              bố trí vốn sửa chữa đường Trần Hưng Đạo. Lộ trình: Hoàn thành trong quý I/2027. \
              QUÁ HẠN.)"
            ]
        );
        if !crate::pdf::tests::poppler_available() {
            return;
        }
        let pdf = pdf::petition_summary_pdf(&doc, &crate::pdf::tests::fonts()).expect("renders");
        let text = crate::pdf::tests::text_pages(&pdf, "petition-summary-wording").join("\n");
        let words = text.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            words.contains("Lộ trình: Hoàn thành trong quý I/2027. QUÁ HẠN.)"),
            "{words}"
        );
        assert_eq!(
            super::super::wording::wording_faults(&words),
            Vec::<&str>::new(),
            "{words}"
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
