//! The counting minutes PDF (biên bản kết quả kiểm phiếu, Mẫu 18/HĐBC-QH and 23/HĐBC-HĐND)
//! of one polling area and ballot level: the finalised tally, or a draft marked "DỰ THẢO"
//! from the first entry while the minutes are not finalised.

use app::counting::service::{minutes_data, MinutesData};
use app::domain::counting::{shares, BallotLevel};
use app::domain::format::{self, VietnamTime};
use app::domain::role::{Permission, Role};
use app::domain::voter::Date;
use app::domain::ward::Ward;
use app::error::ErrorCode;
use app::locale::Locale;
use app::request::CurrentSession;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use axum::{Extension, Router};

use crate::documents::{allowed, render, DocState, Refusal};
use crate::pdf::{self, CountingBlock, CountingMinutesDoc, Signer};

pub fn routes(state: DocState) -> Router {
    Router::new()
        .route(
            "/results/counting/{area_id}/{level}/minutes.pdf",
            get(minutes_pdf),
        )
        .with_state(state)
}

fn internal(error: &dyn std::fmt::Display) -> Refusal {
    let reference = app::token::short_reference();
    tracing::error!(%reference, "counting minutes data: {error}");
    Refusal::page(
        StatusCode::INTERNAL_SERVER_ERROR,
        &format!("Lỗi hệ thống (mã tham chiếu {reference})."),
    )
}

/// Station staff print the minutes of their own areas; managers of every area.
async fn minutes_pdf(
    State(state): State<DocState>,
    session: Option<Extension<CurrentSession>>,
    Path((area_id, level)): Path<(i64, String)>,
) -> Result<Response, Refusal> {
    let session = allowed(&session, Permission::CheckInVoters)?;
    let db = &state.app.db;
    if session.user.role == Role::Station {
        let assigned = app::storage::users::assigned_areas(db.pool(), session.user.id)
            .await
            .map_err(|e| internal(&e))?;
        if !assigned.contains(&area_id) {
            return Err(Refusal::page(
                StatusCode::FORBIDDEN,
                "Bạn không được phân công tại khu vực bỏ phiếu này.",
            ));
        }
    }
    let fonts = state
        .fonts
        .clone()
        .map_err(|message| Refusal::page(StatusCode::SERVICE_UNAVAILABLE, &message))?;
    let ward = app::storage::voters::ward(db.pool())
        .await
        .map_err(|e| internal(&e))?
        .unwrap_or(Ward {
            name: "……".into(),
            province: "……".into(),
        });
    let data = match minutes_data(db, area_id, &level).await {
        Ok(Some(data)) => data,
        Ok(None) => {
            return Err(Refusal::page(
                StatusCode::NOT_FOUND,
                "Chưa có kết quả kiểm phiếu nào được nhập cho khu vực và cấp bầu cử này.",
            ))
        }
        Err(error) if error.code == ErrorCode::NotFound => {
            return Err(Refusal::page(
                StatusCode::NOT_FOUND,
                "Không tìm thấy khu vực bỏ phiếu hoặc cấp bầu cử này.",
            ))
        }
        Err(error) => return Err(internal(&error)),
    };
    let file_name = format!("bien-ban-kiem-phieu-kvbp{}-{}.pdf", data.area.number, level);
    let doc = minutes_doc(&ward, &data, app::storage::db::now_ms());
    Ok(render(fonts, doc, pdf::counting_minutes_pdf, file_name).await)
}

/// "ngày 15 tháng 3 năm 2026".
pub(crate) fn date_words(date: Date) -> String {
    let (year, month, day) = (
        date.iso()[..4].to_string(),
        date.iso()[5..7].trim_start_matches('0').to_string(),
        date.iso()[8..10].to_string(),
    );
    format!("ngày {day} tháng {month} năm {year}")
}

/// "khóa XVI" from an election named "Bầu cử đại biểu Quốc hội khóa XVI và …"; the term is
/// not stored separately, so the name is the only source.
pub(crate) fn term(election_name: &str) -> Option<String> {
    let words: Vec<&str> = election_name.split_whitespace().collect();
    words
        .windows(2)
        .find(|pair| pair[0].to_lowercase() == "khóa" || pair[0].to_lowercase() == "khoá")
        .map(|pair| {
            pair[1]
                .trim_matches(|c: char| !c.is_alphanumeric())
                .to_uppercase()
        })
}

pub(crate) fn or_dots(text: &str) -> String {
    if text.trim().is_empty() {
        "……".to_string()
    } else {
        text.to_string()
    }
}

fn percent(hundredths: Option<i64>) -> String {
    hundredths.map_or("—".to_string(), |h| {
        format::percent(h, 10_000, Locale::Vi)
    })
}

/// The minutes' wording (domain-vn.md §1.6.1) from the tally.
fn minutes_doc(ward: &Ward, data: &MinutesData, now_ms: i64) -> CountingMinutesDoc {
    let t = &data.tally;
    let n = |v: i64| format::count(v, Locale::Vi);
    let area_no = data.area.number;
    let ward_name = or_dots(&ward.name);
    let day = date_words(data.election.election_day);
    let (form_number, body_council, title) = match data.level {
        BallotLevel::NationalAssembly => (
            "Mẫu số 18/HĐBC-QH",
            "đại biểu Quốc hội".to_string(),
            format!(
                "BIÊN BẢN KẾT QUẢ KIỂM PHIẾU BẦU CỬ ĐẠI BIỂU QUỐC HỘI KHÓA {} CỦA TỔ BẦU CỬ",
                term(&data.election.name).unwrap_or_else(|| "……".into())
            ),
        ),
        level => {
            let council = if level == BallotLevel::Province {
                ward.province.to_uppercase()
            } else {
                ward.name.to_uppercase()
            };
            let year: i64 = data.election.election_day.iso()[..4].parse().unwrap_or(0);
            (
                "Mẫu số 23/HĐBC-HĐND",
                format!(
                    "đại biểu Hội đồng nhân dân {}",
                    if level == BallotLevel::Province {
                        or_dots(&ward.province)
                    } else {
                        ward_name.clone()
                    }
                ),
                format!(
                    "BIÊN BẢN KẾT QUẢ KIỂM PHIẾU BẦU CỬ ĐẠI BIỂU HỘI ĐỒNG NHÂN DÂN {council} NHIỆM KỲ {year}-{} CỦA TỔ BẦU CỬ",
                    year + 5
                ),
            )
        }
    };
    let constituency_no = data
        .constituency
        .as_ref()
        .map_or("……".to_string(), |(number, _)| number.to_string());
    let mut blocks = vec![
        CountingBlock::Line(format!(
            "Khu vực bỏ phiếu số: {area_no} ({}). Xã/phường/đặc khu: {ward_name}.",
            data.area.name
        )),
        CountingBlock::Line(format!(
            "Đơn vị bầu cử {body_council} số: {constituency_no}"
        )),
    ];
    if let Some((_, name)) = &data.constituency {
        blocks.push(CountingBlock::Line(comprising(name)));
    }
    blocks.push(CountingBlock::Line(format!(
        "{}, Tổ bầu cử gồm có:",
        capitalise(&day)
    )));
    for member in &t.members {
        blocks.push(CountingBlock::Line(format!(
            "Ông/Bà {}, {}",
            member.name, member.role
        )));
    }
    let witnesses: Vec<String> = t
        .witnesses
        .iter()
        .map(|w| {
            format!(
                "Ông/Bà {}, nơi ở hiện tại: {}",
                or_dots(&w.name),
                or_dots(&w.address)
            )
        })
        .collect();
    blocks.push(CountingBlock::Paragraph(format!(
        "Đã họp tại phòng bỏ phiếu của khu vực bỏ phiếu số {area_no}, Xã/phường/đặc khu: {ward_name} thuộc đơn vị bầu cử {body_council} số {constituency_no} để tiến hành việc kiểm phiếu bầu cử {body_council}."
    )));
    blocks.push(CountingBlock::Paragraph(format!(
        "Đúng {} phút, {day}, trước khi thực hiện việc bỏ phiếu, đại diện Tổ bầu cử đã kiểm tra hòm phiếu với sự chứng kiến của hai cử tri là:",
        clock_words(&data.area.opens_at)
    )));
    blocks.extend(witnesses.iter().cloned().map(CountingBlock::Line));
    blocks.push(CountingBlock::Paragraph(
        "Sau đó, Tổ bầu cử đã khóa và niêm phong hòm phiếu lại, mời cử tri bắt đầu bỏ phiếu."
            .into(),
    ));
    blocks.push(CountingBlock::Paragraph(format!(
        "Đúng {} phút, {day}, Tổ trưởng Tổ bầu cử tuyên bố kết thúc cuộc bầu cử và tiến hành kiểm phiếu ngay tại phòng bỏ phiếu.",
        clock_words(&data.area.closes_at)
    )));
    blocks.push(CountingBlock::Paragraph(
        "Trước khi mở hòm phiếu, Tổ trưởng Tổ bầu cử đã mời hai cử tri không phải là người ứng cử chứng kiến việc kiểm phiếu gồm:".into(),
    ));
    blocks.extend(witnesses.into_iter().map(CountingBlock::Line));
    blocks.push(CountingBlock::Paragraph(format!(
        "Trước khi mở hòm phiếu, Tổ bầu cử đã tiến hành kiểm kê và lập biên bản về việc sử dụng phiếu bầu cử {body_council}."
    )));
    let s = shares(t);
    blocks.push(CountingBlock::Paragraph(
        "Kết quả cuộc bầu cử như sau:".into(),
    ));
    for line in [
        format!(
            "- Số {body_council} được ấn định cho đơn vị bầu cử: {} người",
            n(t.seats)
        ),
        format!("- Số người ứng cử: {} người", n(t.candidates.len() as i64)),
        format!(
            "- Tổng số cử tri của khu vực bỏ phiếu: {} người",
            n(t.voters_on_list)
        ),
        format!(
            "- Số cử tri đã tham gia bỏ phiếu: {} người",
            n(t.voters_voted)
        ),
        format!(
            "- Tỷ lệ cử tri đã tham gia bỏ phiếu so với tổng số cử tri: {}",
            percent(s.turnout)
        ),
        format!("- Số phiếu phát ra: {} phiếu", n(t.ballots_issued)),
        format!("- Số phiếu thu vào: {} phiếu", n(t.ballots_collected)),
        format!(
            "- Số phiếu hợp lệ: {} phiếu. Tỷ lệ so với tổng số phiếu thu vào: {}",
            n(t.ballots_valid),
            percent(s.valid)
        ),
        format!(
            "- Số phiếu không hợp lệ: {} phiếu. Tỷ lệ so với tổng số phiếu thu vào: {}",
            n(t.ballots_invalid),
            percent(s.invalid)
        ),
        "- Số phiếu bầu cho mỗi người ứng cử như sau:".to_string(),
    ] {
        blocks.push(CountingBlock::Line(line));
    }
    let rows = t
        .candidates
        .iter()
        .zip(&s.candidates)
        .enumerate()
        .map(|(i, (c, share))| {
            // Identical full names are told apart by the birth date, as on the ballot.
            let twin = t
                .candidates
                .iter()
                .filter(|o| app::domain::text::same_name(&o.full_name, &c.full_name))
                .count()
                > 1;
            [
                (i + 1).to_string(),
                c.full_name.clone(),
                n(c.votes),
                percent(*share),
                if twin {
                    format!("Sinh {}", c.birth_date)
                } else {
                    String::new()
                },
            ]
        })
        .collect();
    blocks.push(CountingBlock::Candidates(rows));
    blocks.push(CountingBlock::Paragraph(format!(
        "Trong ngày bầu cử và thời gian kiểm phiếu, đã xảy ra sự việc hoặc khiếu nại, tố cáo sau đây: {}",
        none_if_empty(&t.incidents)
    )));
    blocks.push(CountingBlock::Paragraph(format!(
        "Những vấn đề hoặc khiếu nại, tố cáo mà Tổ bầu cử chưa giải quyết được và kiến nghị: {}",
        none_if_empty(&t.complaints)
    )));
    let completed = match &data.finalised {
        Some(f) => {
            let v = VietnamTime::from_unix_ms(f.at_ms);
            format!(
                "{:02} giờ {:02} phút, ngày {:02} tháng {} năm {}",
                v.hour, v.minute, v.day, v.month, v.year
            )
        }
        None => "…… giờ …… phút, ngày …… tháng …… năm ……".to_string(),
    };
    blocks.push(CountingBlock::Paragraph(format!(
        "Biên bản này được hoàn thành vào hồi {completed}, được lập thành 03 bản và được gửi đến Ban bầu cử {body_council}, Ủy ban nhân dân, Ban thường trực Ủy ban Mặt trận Tổ quốc Việt Nam cấp xã."
    )));
    let member_named = |role: &str| {
        t.members
            .iter()
            .find(|m| app::domain::text::fold(&m.role) == app::domain::text::fold(role))
            .map(|m| m.name.clone())
            .unwrap_or_default()
    };
    CountingMinutesDoc {
        form_number: form_number.to_string(),
        body: [ward.province.to_uppercase(), ward.name.to_uppercase()],
        title_lines: vec![title],
        blocks,
        signers: vec![
            vec![
                signer(
                    "CỬ TRI THỨ NHẤT CHỨNG KIẾN VIỆC KIỂM PHIẾU",
                    SIGN,
                    &t.witnesses[0].name,
                ),
                signer(
                    "CỬ TRI THỨ HAI CHỨNG KIẾN VIỆC KIỂM PHIẾU",
                    SIGN,
                    &t.witnesses[1].name,
                ),
            ],
            vec![signer(
                "TM. TỔ BẦU CỬ\nTỔ TRƯỞNG",
                "(Ký, ghi rõ họ và tên, đóng dấu của Tổ bầu cử)",
                &member_named("Tổ trưởng"),
            )],
            vec![signer("THƯ KÝ TỔ BẦU CỬ", SIGN, &member_named("Thư ký"))],
        ],
        note: None,
        draft: data.finalised.is_none(),
        generated_at: format::date_time(now_ms),
        data_hash: data.data_hash[..12].to_string(),
    }
}

const SIGN: &str = "(Ký, ghi rõ họ và tên)";

fn signer(title: &str, note: &str, name: &str) -> Signer {
    Signer {
        title: title.to_string(),
        note: note.to_string(),
        name: name.to_string(),
    }
}

/// "07:00" → "07 giờ 00".
fn clock_words(hh_mm: &str) -> String {
    match hh_mm.split_once(':') {
        Some((h, m)) => format!("{h} giờ {m}"),
        None => "…… giờ ……".to_string(),
    }
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// The constituency's "Gồm: …" line; a name entered as "Gồm …" is printed as it is.
pub(crate) fn comprising(name: &str) -> String {
    if app::domain::text::fold(name).starts_with("gom ") {
        name.to_string()
    } else {
        format!("Gồm: {name}")
    }
}

pub(crate) fn none_if_empty(text: &str) -> String {
    if text.trim().is_empty() {
        "Không có.".to_string()
    } else {
        text.trim().to_string()
    }
}
