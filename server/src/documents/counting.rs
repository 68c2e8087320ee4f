//! The counting minutes PDF (biên bản kết quả kiểm phiếu, Mẫu 18/HĐBC-QH and 23/HĐBC-HĐND)
//! of one polling area and ballot level: the finalised tally, or a draft marked "DỰ THẢO"
//! from the first entry while the minutes are not finalised.

use app::counting::service::{minutes_data, MinutesData};
use app::domain::checkin::ClockTime;
use app::domain::counting::{shares, BallotLevel, Shares, Tally};
use app::domain::format;
use app::domain::ids::AreaId;
use app::domain::role::Permission;
use app::domain::text::capitalise;
use app::domain::ward::Ward;
use app::error::ErrorCode;
use app::locale::Locale;
use app::request::CurrentSession;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use axum::{Extension, Router};

use super::wording::{
    comprising, council_place, council_term, count_of, date_words, day_words, none_if_empty,
    or_blank, term, thousands, time_words, ward_or_blank, BLANK,
};
use super::{allowed_for_area, internal, render, DocState, Refusal};
use crate::pdf::{self, CountingBlock, CountingMinutesDoc, Signer};

pub(super) fn routes(state: DocState) -> Router {
    Router::new()
        .route(
            "/results/counting/{area_id}/{level}/minutes.pdf",
            get(minutes_pdf),
        )
        .with_state(state)
}

/// Station staff print the minutes of their own areas; managers of every area.
async fn minutes_pdf(
    State(state): State<DocState>,
    session: Option<Extension<CurrentSession>>,
    Path((area_id, level)): Path<(AreaId, String)>,
) -> Result<Response, Refusal> {
    allowed_for_area(&session, Permission::CheckInVoters, area_id)?;
    let fonts = state.fonts()?;
    let ward = ward_or_blank(state.ward().await?);
    let data = match minutes_data(&state.app.db, area_id, &level).await {
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
        Err(error) => return Err(internal("counting minutes data", &error)),
    };
    let file_name = format!("bien-ban-kiem-phieu-kvbp{}-{}.pdf", data.area.number, level);
    let doc = minutes_doc(&ward, &data, app::storage::db::now_ms());
    Ok(render(fonts, doc, pdf::counting_minutes_pdf, file_name).await)
}

/// A share of hundredths of a percent, "—" when there is nothing to divide by.
fn percent(hundredths: Option<i64>) -> String {
    hundredths.map_or("—".to_string(), |h| {
        format::percent(h, 10_000, Locale::Vi)
    })
}

/// The form's own words for the level: its number, the body elected ("đại biểu Quốc hội",
/// "đại biểu Hội đồng nhân dân phường Mỹ Thới") and the title.
struct FormWords {
    form_number: &'static str,
    body_council: String,
    title: String,
}

fn form_words(ward: &Ward, data: &MinutesData) -> FormWords {
    match data.level {
        BallotLevel::NationalAssembly => FormWords {
            form_number: "Mẫu số 18/HĐBC-QH",
            body_council: "đại biểu Quốc hội".to_string(),
            title: format!(
                "BIÊN BẢN KẾT QUẢ KIỂM PHIẾU BẦU CỬ ĐẠI BIỂU QUỐC HỘI KHÓA {} CỦA TỔ BẦU CỬ",
                term(&data.election.name)
            ),
        },
        level => {
            let council = council_place(ward, level);
            FormWords {
                form_number: "Mẫu số 23/HĐBC-HĐND",
                body_council: format!("đại biểu Hội đồng nhân dân {council}"),
                title: format!(
                    "BIÊN BẢN KẾT QUẢ KIỂM PHIẾU BẦU CỬ ĐẠI BIỂU HỘI ĐỒNG NHÂN DÂN {} NHIỆM KỲ {} CỦA TỔ BẦU CỬ",
                    council.to_uppercase(),
                    council_term(data.election.election_day)
                ),
            }
        }
    }
}

/// The minutes' wording (docs/domain.md §1.6.1) from the tally.
fn minutes_doc(ward: &Ward, data: &MinutesData, now_ms: i64) -> CountingMinutesDoc {
    let t = &data.tally;
    let words = form_words(ward, data);
    let s = shares(t);
    let mut blocks = how_the_day_went(ward, data, &words.body_council);
    blocks.push(CountingBlock::Paragraph(
        "Kết quả cuộc bầu cử như sau:".into(),
    ));
    blocks.extend(figures(t, &s, &words.body_council));
    blocks.push(CountingBlock::Candidates(candidate_rows(t, &s)));
    blocks.extend(closing(data, &words.body_council));
    CountingMinutesDoc {
        form_number: words.form_number.to_string(),
        body: [ward.province.to_uppercase(), ward.name.to_uppercase()],
        title_lines: vec![words.title],
        blocks,
        signers: signers(t),
        note: None,
        draft: data.finalised.is_none(),
        generated_at: format::date_time(now_ms),
        data_hash: data.data_hash[..12].to_string(),
    }
}

/// Who met where, the ballot box checked before voting with two voters as witnesses, the close
/// of voting and the counting witnessed by the same two.
fn how_the_day_went(ward: &Ward, data: &MinutesData, body_council: &str) -> Vec<CountingBlock> {
    let t = &data.tally;
    let area_no = data.area.number;
    let ward_name = or_blank(&ward.name);
    let day = date_words(data.election.election_day);
    let constituency_no = data
        .constituency
        .as_ref()
        .map_or(BLANK.to_string(), |(number, _)| number.to_string());
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
                or_blank(&w.name),
                or_blank(&w.address)
            )
        })
        .collect();
    blocks.push(CountingBlock::Paragraph(format!(
        "Đã họp tại phòng bỏ phiếu của khu vực bỏ phiếu số {area_no}, Xã/phường/đặc khu: {ward_name} thuộc đơn vị bầu cử {body_council} số {constituency_no} để tiến hành việc kiểm phiếu bầu cử {body_council}."
    )));
    blocks.push(CountingBlock::Paragraph(format!(
        "Đúng {} phút, {day}, trước khi thực hiện việc bỏ phiếu, đại diện Tổ bầu cử đã kiểm tra hòm phiếu với sự chứng kiến của hai cử tri là:",
        clock_words(t.ballot_box_checked_at)
    )));
    blocks.extend(witnesses.iter().cloned().map(CountingBlock::Line));
    blocks.push(CountingBlock::Paragraph(
        "Sau đó, Tổ bầu cử đã khóa và niêm phong hòm phiếu lại, mời cử tri bắt đầu bỏ phiếu."
            .into(),
    ));
    blocks.push(CountingBlock::Paragraph(format!(
        "Đúng {} phút, {day}, Tổ trưởng Tổ bầu cử tuyên bố kết thúc cuộc bầu cử và tiến hành kiểm phiếu ngay tại phòng bỏ phiếu.",
        clock_words(t.voting_closed_at)
    )));
    blocks.push(CountingBlock::Paragraph(
        "Trước khi mở hòm phiếu, Tổ trưởng Tổ bầu cử đã mời hai cử tri không phải là người ứng cử chứng kiến việc kiểm phiếu gồm:".into(),
    ));
    blocks.extend(witnesses.into_iter().map(CountingBlock::Line));
    blocks.push(CountingBlock::Paragraph(format!(
        "Trước khi mở hòm phiếu, Tổ bầu cử đã tiến hành kiểm kê và lập biên bản về việc sử dụng phiếu bầu cử {body_council}."
    )));
    blocks
}

/// The figures of the count, one line each.
fn figures(t: &Tally, s: &Shares, body_council: &str) -> Vec<CountingBlock> {
    let n = thousands;
    [
        format!(
            "- Số {body_council} được ấn định cho đơn vị bầu cử: {} người",
            n(t.seats)
        ),
        format!(
            "- Số người ứng cử: {} người",
            n(count_of(t.candidates.len()))
        ),
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
    ]
    .into_iter()
    .map(CountingBlock::Line)
    .collect()
}

/// STT | name | votes | share | note, the note telling identical names apart.
fn candidate_rows(t: &Tally, s: &Shares) -> Vec<[String; 5]> {
    t.candidates
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
                thousands(c.votes),
                percent(*share),
                if twin {
                    format!("Sinh {}", c.birth_date)
                } else {
                    String::new()
                },
            ]
        })
        .collect()
}

/// Incidents, complaints, and when the minutes were completed and where they go.
fn closing(data: &MinutesData, body_council: &str) -> Vec<CountingBlock> {
    let t = &data.tally;
    let completed = match &data.finalised {
        Some(f) => format!("{}, {}", time_words(f.at_ms), day_words(f.at_ms)),
        None => "…… giờ …… phút, ngày …… tháng …… năm ……".to_string(),
    };
    vec![
        CountingBlock::Paragraph(format!(
            "Trong ngày bầu cử và thời gian kiểm phiếu, đã xảy ra sự việc hoặc khiếu nại, tố cáo sau đây: {}",
            none_if_empty(&t.incidents)
        )),
        CountingBlock::Paragraph(format!(
            "Những vấn đề hoặc khiếu nại, tố cáo mà Tổ bầu cử chưa giải quyết được và kiến nghị: {}",
            none_if_empty(&t.complaints)
        )),
        CountingBlock::Paragraph(format!(
            "Biên bản này được hoàn thành vào hồi {completed}, được lập thành 03 bản và được gửi đến Ban bầu cử {body_council}, Ủy ban nhân dân, Ban thường trực Ủy ban Mặt trận Tổ quốc Việt Nam cấp xã."
        )),
    ]
}

const SIGN: &str = "(Ký, ghi rõ họ và tên)";

/// The two witnesses, the head of the Tổ bầu cử and its secretary.
fn signers(t: &Tally) -> Vec<Vec<Signer>> {
    let member_named = |role: &str| {
        t.members
            .iter()
            .find(|m| app::domain::text::fold(&m.role) == app::domain::text::fold(role))
            .map(|m| m.name.clone())
            .unwrap_or_default()
    };
    vec![
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
    ]
}

fn signer(title: &str, note: &str, name: &str) -> Signer {
    Signer {
        title: title.to_string(),
        note: note.to_string(),
        name: name.to_string(),
    }
}

/// 06:45 → "06 giờ 45". A time the Tổ has not entered stays blank for the pen: the area's
/// planned hours are not what happened.
fn clock_words(time: Option<ClockTime>) -> String {
    match time.map(ClockTime::display) {
        Some(hh_mm) => hh_mm.replacen(':', " giờ ", 1),
        None => "…… giờ ……".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use app::domain::counting::{Candidate, Member, Witness};
    use app::domain::ids::ElectionId;
    use app::domain::voter::{Date, Levels};
    use app::domain::ward::{AreaSummary, ElectionSummary};

    /// Minutes of an election held on 5 January 2026, not finalised yet.
    fn january_minutes() -> MinutesData {
        MinutesData {
            area: AreaSummary {
                id: AreaId::new(7),
                election_id: ElectionId::new(1),
                number: 5,
                name: "Khóm Bình Đức".into(),
                address: String::new(),
                opens_at: "07:00".into(),
                closes_at: "19:00".into(),
                levels: Levels(7),
                voters: 100,
            },
            election: ElectionSummary {
                id: ElectionId::new(1),
                name: "Bầu cử đại biểu Quốc hội khóa XVI".into(),
                election_day: Date {
                    year: 2026,
                    month: 1,
                    day: 5,
                },
                levels: Levels(7),
                posted_on: None,
            },
            level: BallotLevel::NationalAssembly,
            tally: Tally {
                seats: 1,
                voters_on_list: 100,
                voters_voted: 60,
                ballots_issued: 60,
                ballots_collected: 60,
                ballots_valid: 60,
                members: vec![Member {
                    name: "Lê Văn Tổ".into(),
                    role: "Tổ trưởng".into(),
                }],
                witnesses: [
                    Witness {
                        name: "Trần Thị Một".into(),
                        address: "Khóm 1".into(),
                    },
                    Witness {
                        name: "Phạm Văn Hai".into(),
                        address: "Khóm 2".into(),
                    },
                ],
                candidates: vec![Candidate {
                    full_name: "Lê An".into(),
                    birth_date: "1970".into(),
                    votes: 60,
                }],
                ballot_box_checked_at: ClockTime::new(6, 45),
                ..Tally::default()
            },
            data_hash: "0123456789abcdef".into(),
            finalised: None,
            constituency: None,
        }
    }

    #[test]
    fn the_minutes_pad_the_month_of_a_january_election() {
        let ward = Ward {
            name: "Phường Mỹ Thới".into(),
            province: "Tỉnh An Giang".into(),
        };
        let doc = minutes_doc(&ward, &january_minutes(), 0);
        if !crate::pdf::tests::poppler_available() {
            return;
        }
        let pdf = pdf::counting_minutes_pdf(&doc, &crate::pdf::tests::fonts()).expect("renders");
        let text = crate::pdf::tests::text_pages(&pdf, "counting-minutes-january").join("\n");
        let words = text.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            words.contains("Ngày 05 tháng 01 năm 2026, Tổ bầu cử gồm có:"),
            "{words}"
        );
        assert!(
            words.contains("Đúng 06 giờ 45 phút, ngày 05 tháng 01 năm 2026, trước khi"),
            "the ballot box check as entered, not the area's opening: {words}"
        );
        assert!(
            words.contains("Đúng …… giờ …… phút, ngày 05 tháng 01 năm 2026, Tổ trưởng"),
            "the close of voting, not entered, is left for the pen: {words}"
        );
        assert!(!words.contains("tháng 1 năm"), "{words}");
    }
}
