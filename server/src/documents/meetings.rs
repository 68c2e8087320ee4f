//! Files of the deputy–voter meetings: the invitation (giấy mời) and the minutes (biên bản hội
//! nghị tiếp xúc cử tri), both PDF.

use app::domain::ids::MeetingId;
use app::domain::meeting::{
    composition, deputy_title, vietnam_date, weekday, MeetingStatus, SessionTiming,
};
use app::domain::meeting_record::{Attendee, Deputy, Meeting, MinutesRecord, MinutesVersion};
use app::domain::role::Permission;
use app::domain::text::{clause, full_stop};
use app::domain::ward::Ward;
use app::error::ErrorCode;
use app::request::CurrentSession;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use axum::{Extension, Router};

use super::wording::{
    count_of, data_hash, day_words, full_stop_or_blank, list_item, or_blank, place_date_line,
    thousands, time_words, venue_line, ward_in_sentence, ward_name, BLANK,
};
use super::{allowed, internal, render, DocState, Refusal};
use crate::pdf::{self, MeetingMinutesDoc, MinutesBlock};

pub(super) fn routes(state: DocState) -> Router {
    Router::new()
        .route("/meetings/{id}/minutes.pdf", get(minutes_pdf))
        .route("/meetings/{id}/invitation.pdf", get(invitation_pdf))
        .with_state(state)
}

/// `?version=N` picks a kept version of the minutes; without it the latest is printed.
#[derive(Debug, serde::Deserialize)]
struct VersionQuery {
    version: Option<i64>,
}

async fn minutes_pdf(
    State(state): State<DocState>,
    session: Option<Extension<CurrentSession>>,
    Path(meeting_id): Path<MeetingId>,
    Query(query): Query<VersionQuery>,
) -> Result<Response, Refusal> {
    allowed(&session, Permission::ManageMeetings)?;
    let fonts = state.fonts()?;
    let db = &state.app.db;
    let ward = state.ward().await?;
    let (version, record) = app::meetings::service::minutes(db, meeting_id, query.version)
        .await
        .map_err(|error| match error.code {
            ErrorCode::NotFound => Refusal::page(
                StatusCode::NOT_FOUND,
                "Không tìm thấy hội nghị hoặc bản biên bản này.",
            ),
            _ => internal("meeting minutes data", &error),
        })?;
    let now = app::storage::db::now_ms();
    let doc = minutes_doc(ward.as_ref(), &record, version.as_ref(), now);
    let file_name = match &version {
        Some(v) if v.version > 1 => {
            format!(
                "bien-ban-tiep-xuc-cu-tri-{meeting_id}-ban-{}.pdf",
                v.version
            )
        }
        _ => format!("bien-ban-tiep-xuc-cu-tri-{meeting_id}.pdf"),
    };
    Ok(render(fonts, doc, pdf::meeting_minutes_pdf, file_name).await)
}

async fn invitation_pdf(
    State(state): State<DocState>,
    session: Option<Extension<CurrentSession>>,
    Path(meeting_id): Path<MeetingId>,
) -> Result<Response, Refusal> {
    allowed(&session, Permission::ManageMeetings)?;
    let fonts = state.fonts()?;
    let db = &state.app.db;
    let ward = state.ward().await?;
    let detail = app::meetings::service::detail(db, meeting_id)
        .await
        .map_err(|_| Refusal::page(StatusCode::NOT_FOUND, "Không tìm thấy hội nghị."))?;
    if detail.meeting.cancellation.is_some() {
        return Err(Refusal::page(
            StatusCode::CONFLICT,
            "Hội nghị đã bị hủy nên không in giấy mời.",
        ));
    }
    let doc = invitation_doc(ward.as_ref(), &detail.meeting, app::storage::db::now_ms());
    let file_name = format!("giay-moi-tiep-xuc-cu-tri-{meeting_id}.pdf");
    Ok(render(fonts, doc, pdf::meeting_minutes_pdf, file_name).await)
}

const WEEKDAYS: [&str; 7] = [
    "thứ Hai",
    "thứ Ba",
    "thứ Tư",
    "thứ Năm",
    "thứ Sáu",
    "thứ Bảy",
    "Chủ nhật",
];

/// The invitation's wording (docs/domain.md §2.3: session, deputies, time, venue, areas, the
/// standard agenda), issued by the ward's Fatherland Front committee and dated the day it is
/// printed. The number is left for the clerk, who takes it from the outgoing register.
fn invitation_doc(ward: Option<&Ward>, m: &Meeting, now_ms: i64) -> MeetingMinutesDoc {
    let ward_name = ward_name(ward);
    let purpose = m.purpose(ward);
    let title_lines = vec![
        "GIẤY MỜI".to_string(),
        format!("Dự hội nghị tiếp xúc cử tri của {purpose}"),
    ];
    let mut blocks = vec![
        MinutesBlock::Paragraph(format!(
            "Ban Thường trực Ủy ban Mặt trận Tổ quốc Việt Nam {} phối hợp tổ chức hội nghị tiếp \
             xúc cử tri của {purpose}.",
            ward_in_sentence(ward)
        )),
        MinutesBlock::Paragraph(full_stop(&format!(
            "Trân trọng kính mời: cử tri {}",
            if m.areas.is_empty() {
                "trên địa bàn"
            } else {
                &m.areas
            }
        ))),
        MinutesBlock::Paragraph("Đến dự hội nghị tiếp xúc cử tri với các vị đại biểu:".into()),
    ];
    let last = m.deputies.len().saturating_sub(1);
    for (i, d) in m.deputies.iter().enumerate() {
        blocks.push(MinutesBlock::Item {
            label: "-".into(),
            text: list_item(&deputy_line(d, ward), i == last),
        });
    }
    when_where_and_what(&mut blocks, m);
    blocks.push(MinutesBlock::Paragraph(
        "Rất mong cử tri đến dự đầy đủ, đúng giờ để hội nghị đạt kết quả tốt./.".into(),
    ));
    MeetingMinutesDoc {
        body: ["ỦY BAN MTTQ VIỆT NAM".into(), ward_name.to_uppercase()],
        number_line: "Số: ……/GM-MTTQ".into(),
        place_date_line: place_date_line(ward_name, vietnam_date(now_ms)),
        title_lines,
        blocks,
        signers: [
            (String::new(), String::new()),
            (invitation_signer(&m.chair), signer_name(&m.chair)),
        ],
        recipients: invitation_recipients(m, ward),
        generated_at: app::domain::format::date_time(now_ms),
        data_hash: data_hash(&(ward, m)),
    }
}

/// The invitation's items: time, venue, form and the standard agenda.
fn when_where_and_what(blocks: &mut Vec<MinutesBlock>, m: &Meeting) {
    let day = vietnam_date(m.span.start_ms);
    blocks.push(MinutesBlock::Item {
        label: "-".into(),
        text: format!(
            "Thời gian: từ {} đến {}, {}, {}.",
            time_words(m.span.start_ms),
            time_words(m.span.end_ms),
            WEEKDAYS[weekday(day)],
            day_words(m.span.start_ms)
        ),
    });
    let venue = m.venue.as_ref().map(venue_line);
    blocks.push(MinutesBlock::Item {
        label: "-".into(),
        text: full_stop(&format!(
            "Địa điểm: {}",
            venue
                .as_deref()
                .unwrap_or("tổ chức trực tuyến, đường dẫn sẽ được thông báo sau")
        )),
    });
    blocks.push(MinutesBlock::Item {
        label: "-".into(),
        text: format!("Hình thức: {}.", m.format.vi()),
    });
    blocks.push(MinutesBlock::Item {
        label: "-".into(),
        text: "Nội dung:".into(),
    });
    let first_item = match m.timing {
        SessionTiming::Before => format!(
            "Đại biểu thông báo dự kiến nội dung, chương trình kỳ họp thứ {};",
            m.session_number
        ),
        SessionTiming::After => {
            format!("Đại biểu báo cáo kết quả kỳ họp thứ {};", m.session_number)
        }
    };
    for (label, text) in [
        ("+", first_item.as_str()),
        (
            "+",
            "Thông tin kết quả giải quyết, trả lời ý kiến, kiến nghị của cử tri kỳ trước;",
        ),
        (
            "+",
            "Cử tri phát biểu ý kiến, kiến nghị; đại biểu và đại diện cơ quan có thẩm quyền giải \
             trình, tiếp thu.",
        ),
    ] {
        blocks.push(MinutesBlock::Item {
            label: label.into(),
            text: text.into(),
        });
    }
}

/// "TM. BAN THƯỜNG TRỰC" and the chair's title ("PHÓ CHỦ TỊCH" from "Nguyễn Văn A, Phó Chủ
/// tịch").
fn invitation_signer(chair: &str) -> String {
    let chair_title = chair
        .split_once(',')
        .map(|(_, title)| title.trim().to_uppercase())
        .unwrap_or_default();
    if chair_title.is_empty() {
        "TM. BAN THƯỜNG TRỰC".to_string()
    } else {
        format!("TM. BAN THƯỜNG TRỰC\n{chair_title}")
    }
}

/// "Nơi nhận": the voters invited, the deputies, the ward's committee, the archive.
fn invitation_recipients(m: &Meeting, ward: Option<&Ward>) -> Vec<String> {
    let mut recipients = Vec::new();
    if !m.areas.is_empty() {
        recipients.push(format!("- Cử tri {}", list_item(&m.areas, false)));
    }
    recipients.extend([
        "- Các vị đại biểu (để phối hợp);".to_string(),
        format!("- UBND {} (để phối hợp);", ward_in_sentence(ward)),
        "- Lưu: VT.".to_string(),
    ]);
    recipients
}

/// "Nguyễn Văn Ánh, đại biểu Quốc hội, Phó Trưởng Đoàn ĐBQH tỉnh": a deputy named with the
/// council they sit in, written once, and their position.
fn deputy_line(d: &Deputy, ward: Option<&Ward>) -> String {
    let mut text = format!("{}, {}", d.full_name, deputy_title(d.level, ward));
    if !d.position.is_empty() {
        text.push_str(&format!(", {}", d.position));
    }
    text
}

/// The minutes' wording (docs/domain.md §2.4) from the meeting's record, as kept in `version`
/// (the live record when none).
fn minutes_doc(
    ward: Option<&Ward>,
    detail: &MinutesRecord,
    version: Option<&MinutesVersion>,
    now_ms: i64,
) -> MeetingMinutesDoc {
    let m = &detail.meeting;
    let ward_name = ward_name(ward);
    let mut title_lines = vec![
        "BIÊN BẢN".to_string(),
        "HỘI NGHỊ TIẾP XÚC CỬ TRI".to_string(),
        m.session_title(ward).to_uppercase(),
    ];
    if m.status != MeetingStatus::Finalised {
        title_lines.push("(DỰ THẢO - BIÊN BẢN CHƯA CHỐT)".to_string());
    }
    let correction = version.filter(|v| v.version > 1);
    if let Some(v) = correction {
        title_lines.push(format!("(Bản sửa đổi lần {})", v.version - 1));
    }

    let mut blocks = Vec::new();
    let venue = m.venue.as_ref().map_or(BLANK.to_string(), venue_line);
    blocks.push(MinutesBlock::Paragraph(format!(
        "Hồi {}, {}, tại {venue}, hội nghị tiếp xúc cử tri \"{}\" được tổ chức theo hình thức {} ({}).",
        time_words(m.span.start_ms),
        day_words(m.span.start_ms),
        m.title,
        m.format.vi(),
        m.kind.vi().to_lowercase(),
    )));
    if !m.areas.is_empty() {
        blocks.push(MinutesBlock::Paragraph(full_stop(&format!(
            "Cử tri được mời: {}",
            m.areas
        ))));
    }
    blocks.push(MinutesBlock::Paragraph(format!(
        "Chủ trì: {} Thư ký: {}",
        full_stop_or_blank(&m.chair),
        full_stop_or_blank(&m.secretary)
    )));

    attendance(&mut blocks, ward, detail);
    blocks.push(MinutesBlock::Heading("II. NỘI DUNG BÁO CÁO".into()));
    blocks.push(MinutesBlock::Paragraph(
        or_blank(&m.content_reported).to_string(),
    ));

    opinions(&mut blocks, detail);
    answers(&mut blocks, detail);
    let ended = m.ended_at_ms.unwrap_or(m.span.end_ms);
    blocks.push(MinutesBlock::Paragraph(format!(
        "Hội nghị kết thúc vào hồi {} cùng ngày.",
        time_words(ended)
    )));
    if let Some(v) = correction {
        blocks.push(MinutesBlock::Paragraph(format!(
            "Biên bản này là bản sửa đổi lần {}, thay thế các bản trước; lý do sửa đổi: {} \
             (chốt lúc {}, người chốt: {}).",
            v.version - 1,
            clause(&v.reason),
            app::domain::format::date_time(v.created_at_ms),
            v.created_by
        )));
    }

    MeetingMinutesDoc {
        body: ["ỦY BAN MTTQ VIỆT NAM".into(), ward_name.to_uppercase()],
        number_line: String::new(),
        place_date_line: place_date_line(ward_name, vietnam_date(m.span.start_ms)),
        title_lines,
        blocks,
        signers: [
            ("THƯ KÝ".into(), signer_name(&m.secretary)),
            ("CHỦ TRÌ HỘI NGHỊ".into(), signer_name(&m.chair)),
        ],
        recipients: Vec::new(),
        generated_at: app::domain::format::date_time(now_ms),
        // The hash covers everything printed, so a paper copy can be matched to the record.
        data_hash: data_hash(&(
            ward,
            &detail.meeting,
            &detail.opinions,
            &detail.answers,
            &detail.attendees,
            version,
        )),
    }
}

/// I. Who attended: the deputies, the guests, the voters invited and present, those who
/// signed in.
fn attendance(blocks: &mut Vec<MinutesBlock>, ward: Option<&Ward>, detail: &MinutesRecord) {
    let m = &detail.meeting;
    blocks.push(MinutesBlock::Heading("I. THÀNH PHẦN THAM DỰ".into()));
    blocks.push(MinutesBlock::Paragraph("Đại biểu tham dự:".into()));
    for d in &m.deputies {
        blocks.push(MinutesBlock::Item {
            label: "-".into(),
            text: list_item(&deputy_line(d, ward), false),
        });
    }
    if !m.other_attendees.is_empty() {
        blocks.push(MinutesBlock::Paragraph(full_stop(&format!(
            "Đại biểu khách mời, đại diện cơ quan: {}",
            m.other_attendees
        ))));
    }
    let present = m
        .present_count
        .map(thousands)
        .unwrap_or_else(|| BLANK.to_string());
    blocks.push(MinutesBlock::Paragraph(format!(
        "Cử tri: số được mời {} người; số có mặt {present} người.",
        thousands(m.invited_count)
    )));
    signed_in(blocks, &detail.attendees);
}

/// III. The voters' opinions, each with a note when it repeats an earlier petition.
fn opinions(blocks: &mut Vec<MinutesBlock>, detail: &MinutesRecord) {
    blocks.push(MinutesBlock::Heading(
        "III. Ý KIẾN, KIẾN NGHỊ CỦA CỬ TRI".into(),
    ));
    if detail.opinions.is_empty() {
        blocks.push(MinutesBlock::Paragraph(
            "Không có ý kiến, kiến nghị.".into(),
        ));
    }
    for o in &detail.opinions {
        let who = if o.address.is_empty() {
            format!("Cử tri {}", o.speaker)
        } else {
            format!("Cử tri {} ({})", o.speaker, o.address)
        };
        let mut text = format!(
            "{} Lĩnh vực: {}. Cấp có thẩm quyền: {}. {}",
            full_stop(&who),
            o.field.vi(),
            o.competent_level.vi(),
            full_stop(&format!("Nội dung: {}", o.content))
        );
        if let Some(r) = &o.repeats {
            text.push_str(&format!(
                " Trùng kiến nghị số {} tại hội nghị \"{}\" {}.",
                r.number,
                r.meeting_title,
                day_words(r.meeting_start_ms)
            ));
        }
        blocks.push(MinutesBlock::Item {
            label: format!("{}.", o.number),
            text,
        });
    }
}

/// IV. The answers given at the meeting, each naming the opinion it answers.
fn answers(blocks: &mut Vec<MinutesBlock>, detail: &MinutesRecord) {
    blocks.push(MinutesBlock::Heading(
        "IV. Ý KIẾN GIẢI TRÌNH, TIẾP THU".into(),
    ));
    if detail.answers.is_empty() {
        blocks.push(MinutesBlock::Paragraph(BLANK.into()));
    }
    for a in &detail.answers {
        let number = detail
            .opinions
            .iter()
            .find(|o| o.id == a.opinion_id)
            .map_or(0, |o| o.number);
        blocks.push(MinutesBlock::Item {
            label: "-".into(),
            text: full_stop(&format!(
                "{} trả lời ý kiến số {number}: {}",
                a.answered_by, a.content
            )),
        });
    }
}

/// The voters who signed in by name: their composition, then each name.
fn signed_in(blocks: &mut Vec<MinutesBlock>, attendees: &[Attendee]) {
    if attendees.is_empty() {
        return;
    }
    let counted = composition(attendees.iter().map(|a| (a.address.as_str(), a.gender)));
    let places: Vec<String> = counted
        .by_address
        .iter()
        .map(|(address, n)| {
            let place = if address.is_empty() {
                "không ghi địa chỉ"
            } else {
                address
            };
            format!("{place}: {} người", thousands(count_of(*n)))
        })
        .collect();
    blocks.push(MinutesBlock::Paragraph(format!(
        "Cử tri ký tên tham dự: {} người (nam {}, nữ {}); theo địa bàn: {}. Danh sách:",
        thousands(count_of(counted.total)),
        thousands(count_of(counted.men)),
        thousands(count_of(counted.women)),
        places.join("; ")
    )));
    for (index, a) in attendees.iter().enumerate() {
        let mut text = a.full_name.clone();
        let gender = a
            .gender
            .map(|g| g.label().to_lowercase())
            .unwrap_or_default();
        for part in [a.address.as_str(), gender.as_str()] {
            if !part.is_empty() {
                text.push_str(", ");
                text.push_str(part);
            }
        }
        text.push(';');
        blocks.push(MinutesBlock::Item {
            label: format!("{}.", index + 1),
            text,
        });
    }
}

/// The name under a signature: the chair and secretary are written "name, title".
fn signer_name(name_and_title: &str) -> String {
    name_and_title
        .split(',')
        .next()
        .unwrap_or_default()
        .trim()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::super::wording::wording_faults;
    use super::*;
    use app::domain::ids::{DeputyId, OpinionId, VenueId};
    use app::domain::meeting::{
        vietnam_instant, CompetentLevel, DeputyLevel, Interval, MeetingFormat, MeetingKind,
        OpinionField,
    };
    use app::domain::meeting_record::{Answer, Opinion, OpinionRef, Venue};
    use app::domain::voter::Date;

    fn ward() -> Ward {
        Ward {
            name: "Phường Mỹ Thới".into(),
            province: "Tỉnh An Giang".into(),
        }
    }

    fn deputy(id: i64, full_name: &str, level: DeputyLevel, position: &str) -> Deputy {
        Deputy {
            id: DeputyId::new(id),
            full_name: full_name.into(),
            level,
            position: position.into(),
            constituency: String::new(),
            deputy_group: String::new(),
            contact: String::new(),
        }
    }

    /// A joint meeting of a National Assembly deputy and a deputy of the ward's council, held
    /// on 12/12/2026, its typed texts ending with full stops as staff type them.
    fn joint_meeting() -> Meeting {
        let day = Date::new(2026, 12, 12).expect("date");
        Meeting {
            id: MeetingId::new(4),
            title: "Khóm Thới Hòa".into(),
            term: "XVI".into(),
            session_number: 2,
            timing: SessionTiming::Before,
            kind: MeetingKind::Regular,
            format: MeetingFormat::InPerson,
            span: Interval::new(vietnam_instant(day, 8 * 60), vietnam_instant(day, 10 * 60))
                .expect("span"),
            venue: Some(Venue {
                id: VenueId::new(1),
                name: "Nhà văn hóa khóm Thới Hòa".into(),
                address: "Số 12 đường Trần Hưng Đạo".into(),
                capacity: 120,
            }),
            areas: "Khóm Thới Hòa, khóm Đông Thịnh.".into(),
            chair: "Lê Thị Mỹ Dung, Chủ tịch Ủy ban MTTQ phường.".into(),
            secretary: String::new(),
            invited_count: 150,
            present_count: Some(132),
            other_attendees: "Đại diện UBND phường, Công an phường.".into(),
            content_reported: "Đại biểu thông báo dự kiến chương trình kỳ họp.".into(),
            ended_at_ms: None,
            notes: String::new(),
            status: MeetingStatus::Held,
            finalised_at_ms: None,
            finalised_by: None,
            cancellation: None,
            correction_reason: None,
            deputies: vec![
                deputy(
                    1,
                    "Nguyễn Văn Ánh",
                    DeputyLevel::NationalAssembly,
                    "Phó Trưởng Đoàn ĐBQH tỉnh.",
                ),
                deputy(2, "Trần Thị Hồng Nhung", DeputyLevel::Commune, ""),
            ],
        }
    }

    fn record() -> MinutesRecord {
        let earlier = vietnam_instant(Date::new(2026, 6, 20).expect("date"), 8 * 60);
        MinutesRecord {
            meeting: joint_meeting(),
            opinions: vec![Opinion {
                id: OpinionId::new(9),
                number: 1,
                speaker: "Huỳnh Thị Ngọc Hường".into(),
                address: "Tổ 5, khóm Thới Hòa".into(),
                field: OpinionField::Traffic,
                content: "Đề nghị sửa chữa đường Trần Hưng Đạo bị sụt lún.".into(),
                competent_level: CompetentLevel::Province,
                repeats: Some(OpinionRef {
                    opinion_id: OpinionId::new(3),
                    meeting_id: MeetingId::new(1),
                    meeting_title: "Khóm Đông Thịnh".into(),
                    meeting_start_ms: earlier,
                    number: 2,
                    content: String::new(),
                }),
            }],
            answers: vec![Answer {
                id: 1,
                opinion_id: OpinionId::new(9),
                answered_by: "Nguyễn Văn Ánh".into(),
                content: "Tiếp thu, chuyển Sở Xây dựng tỉnh xem xét.".into(),
            }],
            attendees: Vec::new(),
        }
    }

    /// The PDF's text, whitespace collapsed; `None` without poppler.
    fn pdf_words(doc: &MeetingMinutesDoc, name: &str) -> Option<String> {
        if !crate::pdf::tests::poppler_available() {
            return None;
        }
        let pdf = pdf::meeting_minutes_pdf(doc, &crate::pdf::tests::fonts()).expect("renders");
        let text = crate::pdf::tests::text_pages(&pdf, name).join("\n");
        Some(text.split_whitespace().collect::<Vec<_>>().join(" "))
    }

    #[test]
    fn the_minutes_name_each_body_with_its_own_term_and_each_deputy_once() {
        let ward = ward();
        let doc = minutes_doc(Some(&ward), &record(), None, 0);
        let Some(words) = pdf_words(&doc, "meeting-minutes-wording") else {
            return;
        };
        for expected in [
            "TRƯỚC KỲ HỌP THỨ 2, QUỐC HỘI KHÓA XVI VÀ HĐND PHƯỜNG MỸ THỚI NHIỆM KỲ 2026–2031",
            "- Nguyễn Văn Ánh, đại biểu Quốc hội, Phó Trưởng Đoàn ĐBQH tỉnh;",
            "- Trần Thị Hồng Nhung, đại biểu HĐND phường Mỹ Thới;",
            "Cử tri được mời: Khóm Thới Hòa, khóm Đông Thịnh.",
            "Chủ trì: Lê Thị Mỹ Dung, Chủ tịch Ủy ban MTTQ phường. Thư ký: …….",
            "Đại biểu khách mời, đại diện cơ quan: Đại diện UBND phường, Công an phường.",
            "Nội dung: Đề nghị sửa chữa đường Trần Hưng Đạo bị sụt lún. Trùng kiến nghị số 2 tại hội nghị \"Khóm Đông Thịnh\" ngày 20 tháng 6 năm 2026.",
            "Nguyễn Văn Ánh trả lời ý kiến số 1: Tiếp thu, chuyển Sở Xây dựng tỉnh xem xét.",
        ] {
            assert!(words.contains(expected), "{expected:?} in {words}");
        }
        assert!(!words.contains("HĐND XÃ"), "{words}");
        assert!(!words.contains("HĐND xã"), "{words}");
        assert_eq!(wording_faults(&words), Vec::<&str>::new(), "{words}");
    }

    #[test]
    fn the_invitation_names_each_body_with_its_own_term_and_each_deputy_once() {
        let ward = ward();
        let doc = invitation_doc(Some(&ward), &joint_meeting(), 0);
        let Some(words) = pdf_words(&doc, "meeting-invitation-wording") else {
            return;
        };
        for expected in [
            "Dự hội nghị tiếp xúc cử tri của đại biểu Quốc hội khóa XVI và đại biểu HĐND phường Mỹ Thới nhiệm kỳ 2026–2031 trước kỳ họp thứ 2",
            "Ban Thường trực Ủy ban Mặt trận Tổ quốc Việt Nam phường Mỹ Thới phối hợp tổ chức",
            "Trân trọng kính mời: cử tri Khóm Thới Hòa, khóm Đông Thịnh.",
            "- Nguyễn Văn Ánh, đại biểu Quốc hội, Phó Trưởng Đoàn ĐBQH tỉnh;",
            "- Trần Thị Hồng Nhung, đại biểu HĐND phường Mỹ Thới.",
            "- Cử tri Khóm Thới Hòa, khóm Đông Thịnh;",
            "- UBND phường Mỹ Thới (để phối hợp);",
        ] {
            assert!(words.contains(expected), "{expected:?} in {words}");
        }
        assert!(!words.contains("HĐND xã"), "{words}");
        assert_eq!(wording_faults(&words), Vec::<&str>::new(), "{words}");
    }

    #[test]
    fn a_provincial_deputy_is_named_by_the_province() {
        let ward = Ward {
            name: "Xã Mỹ Hòa Hưng".into(),
            province: "An Giang".into(),
        };
        let mut meeting = joint_meeting();
        meeting.deputies[0].level = DeputyLevel::Province;
        let doc = invitation_doc(Some(&ward), &meeting, 0);
        let paragraph = match &doc.blocks[0] {
            MinutesBlock::Paragraph(text) => text.clone(),
            other => panic!("{other:?}"),
        };
        assert!(
            paragraph.contains(
                "của đại biểu HĐND tỉnh An Giang nhiệm kỳ 2026–2031 và đại biểu HĐND xã Mỹ Hòa Hưng nhiệm kỳ 2026–2031 trước kỳ họp thứ 2."
            ),
            "{paragraph}"
        );
    }
}
