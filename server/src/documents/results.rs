//! The result minutes PDF (biên bản xác định kết quả bầu cử, docs/domain.md §1.7) of one
//! constituency: the figures added up from its polling areas' counting minutes, the votes per
//! candidate by polling area, and the conclusions a)–g). A draft marked "DỰ THẢO" while any
//! area's minutes are not finalised; its conclusions then say what is still missing.

use app::constituencies::model::Determination;
use app::constituencies::service::{constituency_data, ConstituencyData};
use app::domain::counting::{shares, sum_tallies, BallotLevel, Shares, Tally};
use app::domain::format;
use app::domain::ids::ConstituencyId;
use app::domain::text::{clause, full_stop};
use app::domain::voter::Gender;
use app::domain::ward::Ward;
use app::error::ErrorCode;
use app::locale::Locale;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use axum::{Extension, Router};

use super::wording::{
    comprising, council_place, council_term, count_of, date_words, none_if_empty, or_blank,
    short_hash, term, thousands, ward_or_blank, BLANK,
};
use super::{allowed, internal, render, DocState, Refusal};
use crate::pdf::{self, CountingBlock, CountingMinutesDoc, Signer};

pub(super) fn routes(state: DocState) -> Router {
    Router::new()
        .route("/results/constituencies/{id}/minutes.pdf", get(minutes_pdf))
        .with_state(state)
}

/// Everyone who may see the results may print them.
async fn minutes_pdf(
    State(state): State<DocState>,
    session: Option<Extension<app::request::CurrentSession>>,
    Path(id): Path<ConstituencyId>,
) -> Result<Response, Refusal> {
    allowed(&session, app::domain::role::Permission::ViewTallies)?;
    let fonts = state.fonts()?;
    let ward = ward_or_blank(state.ward().await?);
    let data = match constituency_data(&state.app.db, id).await {
        Ok(data) => data,
        Err(error) if error.code == ErrorCode::NotFound => {
            return Err(Refusal::page(
                StatusCode::NOT_FOUND,
                "Không tìm thấy đơn vị bầu cử này.",
            ))
        }
        Err(error) => return Err(internal("result minutes data", &error)),
    };
    let file_name = format!(
        "bien-ban-xac-dinh-ket-qua-dvbc{}-{}.pdf",
        data.result.number,
        data.result.level.slug()
    );
    let doc = result_doc(&ward, &data, app::storage::db::now_ms());
    Ok(render(fonts, doc, pdf::counting_minutes_pdf, file_name).await)
}

/// SHA-256 of what the minutes are made from: the constituency, its candidate list and every
/// area's stored tally, 12 hex digits as printed.
fn data_hash(data: &ConstituencyData) -> String {
    let r = &data.result;
    let mut hashed = format!(
        "{}|{}|{}|{}|{}\n",
        r.id,
        r.level.slug(),
        r.number,
        r.name,
        r.seats
    );
    for c in &data.register {
        hashed.push_str(&format!(
            "{}|{}|{}\n",
            c.full_name,
            c.birth_date,
            c.gender.code()
        ));
    }
    for source in &data.sources {
        hashed.push_str(source);
        hashed.push('\n');
    }
    short_hash(hashed.as_bytes())
}

fn pct(hundredths: Option<i64>) -> String {
    hundredths.map_or("—".to_string(), |h| format::hundredths(h, Locale::Vi))
}

/// "Ông" or "Bà" before a candidate's name, from the official list.
fn title_of(data: &ConstituencyData, name: &str, birth: &str) -> &'static str {
    data.register
        .iter()
        .find(|c| c.full_name == name && c.birth_date == birth)
        .map_or("Ông/Bà", |c| match c.gender {
            Gender::Male => "Ông",
            Gender::Female => "Bà",
        })
}

/// The level's own words: the board that signs ("BAN BẦU CỬ ĐẠI BIỂU QUỐC HỘI"), the body
/// elected inside a sentence ("đại biểu Quốc hội") and the title.
struct LevelWords {
    board: String,
    council: String,
    title: String,
}

fn level_words(ward: &Ward, data: &ConstituencyData) -> LevelWords {
    match data.result.level {
        BallotLevel::NationalAssembly => LevelWords {
            board: "BAN BẦU CỬ ĐẠI BIỂU QUỐC HỘI".to_string(),
            council: "đại biểu Quốc hội".to_string(),
            title: format!(
                "XÁC ĐỊNH KẾT QUẢ BẦU CỬ ĐẠI BIỂU QUỐC HỘI KHÓA {}",
                term(&data.election.name)
            ),
        },
        level => {
            let place = council_place(ward, level);
            LevelWords {
                board: format!("BAN BẦU CỬ ĐẠI BIỂU HĐND {}", place.to_uppercase()),
                council: format!("đại biểu Hội đồng nhân dân {place}"),
                title: format!(
                    "XÁC ĐỊNH KẾT QUẢ BẦU CỬ ĐẠI BIỂU HỘI ĐỒNG NHÂN DÂN {} NHIỆM KỲ {}",
                    place.to_uppercase(),
                    council_term(data.election.election_day)
                ),
            }
        }
    }
}

/// The figures: the determined total, or for a draft whatever has been entered so far.
fn total_so_far(data: &ConstituencyData) -> Option<Tally> {
    let available: Vec<Tally> = data
        .area_tallies
        .iter()
        .filter_map(|(_, t)| t.clone())
        .collect();
    data.result
        .total
        .clone()
        .or_else(|| sum_tallies(&available))
}

/// The wording of the result minutes from the constituency's data.
fn result_doc(ward: &Ward, data: &ConstituencyData, now_ms: i64) -> CountingMinutesDoc {
    let r = &data.result;
    let no = r.number;
    let words = level_words(ward, data);
    let total = total_so_far(data);
    let mut blocks = opening(ward, data, total.as_ref(), &words.council);
    blocks.extend(figures(total.as_ref()));
    blocks.push(CountingBlock::Heading(
        "SỐ PHIẾU BẦU CHO MỖI NGƯỜI ỨNG CỬ".into(),
    ));
    blocks.push(CountingBlock::Matrix(votes_by_area(data, total.as_ref())));
    blocks.push(CountingBlock::Paragraph(format!(
        "Căn cứ vào kết quả ghi trên đây, Ban bầu cử {} kết luận:",
        words.council
    )));
    conclusions(&mut blocks, data, total.as_ref(), &words.council);
    blocks.extend(complaints_and_closing(data));
    CountingMinutesDoc {
        form_number: String::new(),
        body: [words.board, format!("ĐƠN VỊ BẦU CỬ SỐ {no}")],
        title_lines: vec![
            "BIÊN BẢN".into(),
            words.title,
            format!("Ở ĐƠN VỊ BẦU CỬ SỐ {no}"),
            comprising(&r.name),
        ],
        blocks,
        signers: vec![
            vec![Signer {
                title: "TM. BAN BẦU CỬ\nTRƯỞNG BAN".into(),
                note: "(Ký, ghi rõ họ và tên, đóng dấu của Ban bầu cử)".into(),
                name: String::new(),
            }],
            vec![Signer {
                title: "CÁC PHÓ TRƯỞNG BAN BẦU CỬ".into(),
                note: "(Ký, ghi rõ họ và tên)".into(),
                name: String::new(),
            }],
        ],
        note: Some("Ghi chú: Nhất thiết không được tẩy xóa trên biên bản.".into()),
        draft: !data.all_final,
        generated_at: format::date_time(now_ms),
        data_hash: data_hash(data),
    }
}

/// The board's members (left for the clerk), where they met, the areas and the seats.
fn opening(
    ward: &Ward,
    data: &ConstituencyData,
    total: Option<&Tally>,
    council: &str,
) -> Vec<CountingBlock> {
    let r = &data.result;
    let no = r.number;
    let area_list = r
        .areas
        .iter()
        .map(|a| format!("số {} ({})", a.number, a.name))
        .collect::<Vec<_>>()
        .join(", ");
    let candidates = data
        .register
        .len()
        .max(total.map_or(0, |t| t.candidates.len()));
    vec![
        CountingBlock::Paragraph(format!(
            "Hồi …… giờ …… phút, {}, Ban bầu cử {council} đơn vị bầu cử số {no} gồm có:",
            date_words(data.election.election_day)
        )),
        CountingBlock::Line("1. Ông/Bà ……………………, Trưởng ban".into()),
        CountingBlock::Line("2. Ông/Bà ……………………, Phó Trưởng ban".into()),
        CountingBlock::Line("3. Ông/Bà ……………………, Phó Trưởng ban".into()),
        CountingBlock::Line("4. Ông/Bà ……………………, Ủy viên".into()),
        CountingBlock::Paragraph(format!(
            "Đã họp tại …… để lập biên bản xác định kết quả bầu cử {council} tại các khu vực bỏ phiếu của đơn vị bầu cử số {no} gồm khu vực bỏ phiếu {} thuộc {}, {}.",
            or_blank(&area_list),
            ward.in_sentence(),
            ward.province_in_sentence()
        )),
        CountingBlock::Paragraph(format!(
            "Theo Nghị quyết số ……, đơn vị bầu cử số {no} được bầu {} đại biểu; số người ứng cử là {} người.",
            thousands(r.seats),
            thousands(count_of(candidates))
        )),
        CountingBlock::Paragraph(format!(
            "Sau khi kiểm tra và tổng hợp kết quả từ Biên bản kết quả kiểm phiếu do các Tổ bầu cử chuyển đến, kết quả bầu cử {council} ở đơn vị bầu cử số {no} như sau:"
        )),
    ]
}

/// The constituency's figures, blanks where nothing has been entered yet.
fn figures(total: Option<&Tally>) -> Vec<CountingBlock> {
    let s: Option<Shares> = total.map(shares);
    let figure = |get: fn(&Tally) -> i64| total.map_or(BLANK.to_string(), |t| thousands(get(t)));
    let share = |get: fn(&Shares) -> Option<i64>| pct(s.as_ref().and_then(get));
    [
        format!(
            "- Tổng số cử tri của đơn vị bầu cử: {} người",
            figure(|t| t.voters_on_list)
        ),
        format!(
            "- Số cử tri đã tham gia bỏ phiếu: {} người",
            figure(|t| t.voters_voted)
        ),
        format!(
            "- Tỷ lệ cử tri đã tham gia bỏ phiếu so với tổng số cử tri: {}",
            share(|s| s.turnout)
        ),
        format!("- Số phiếu phát ra: {} phiếu", figure(|t| t.ballots_issued)),
        format!(
            "- Số phiếu thu vào: {} phiếu",
            figure(|t| t.ballots_collected)
        ),
        format!(
            "- Số phiếu hợp lệ: {} phiếu. Tỷ lệ so với tổng số phiếu thu vào: {}",
            figure(|t| t.ballots_valid),
            share(|s| s.valid)
        ),
        format!(
            "- Số phiếu không hợp lệ: {} phiếu. Tỷ lệ so với tổng số phiếu thu vào: {}",
            figure(|t| t.ballots_invalid),
            share(|s| s.invalid)
        ),
    ]
    .into_iter()
    .map(CountingBlock::Line)
    .collect()
}

/// The matrix of votes: a row per polling area, the total and the shares; the columns are the
/// official list's candidates (or the tallies' when there is no list).
fn votes_by_area(data: &ConstituencyData, total: Option<&Tally>) -> Vec<Vec<String>> {
    let s: Option<Shares> = total.map(shares);
    let names: Vec<(String, String)> = if data.register.is_empty() {
        total
            .map(|t| {
                t.candidates
                    .iter()
                    .map(|c| (c.full_name.clone(), c.birth_date.clone()))
                    .collect()
            })
            .unwrap_or_default()
    } else {
        data.register
            .iter()
            .map(|c| (c.full_name.clone(), c.birth_date.clone()))
            .collect()
    };
    let position = |t: &Tally, (name, birth): &(String, String)| {
        t.candidates.iter().position(|c| {
            app::domain::text::same_name(&c.full_name, name) && c.birth_date == *birth
        })
    };
    let mut head = vec!["Khu vực bỏ phiếu".to_string()];
    head.extend(names.iter().map(|(name, _)| name.clone()));
    head.push("Ghi chú".into());
    let mut rows = vec![head];
    for ((area, tally), result) in data.area_tallies.iter().zip(&data.result.areas) {
        let mut row = vec![format!("Số {} ({})", area.number, area.name)];
        match tally {
            Some(t) => row.extend(names.iter().map(|c| {
                position(t, c).map_or("—".to_string(), |i| thousands(t.candidates[i].votes))
            })),
            None => row.extend(names.iter().map(|_| BLANK.to_string())),
        }
        row.push(match (tally, result.finalised) {
            (_, true) => String::new(),
            (Some(_), false) => "Chưa chốt".into(),
            (None, false) => "Chưa nhập".into(),
        });
        rows.push(row);
    }
    let mut sum_row = vec!["Tổng cộng".to_string()];
    let mut pct_row = vec!["Tỷ lệ % so với tổng số phiếu hợp lệ".to_string()];
    for c in &names {
        let index = total.and_then(|t| position(t, c));
        sum_row.push(match (total, index) {
            (Some(t), Some(i)) => thousands(t.candidates[i].votes),
            _ => BLANK.into(),
        });
        pct_row.push(pct(
            index.and_then(|i| s.as_ref().and_then(|s| s.candidates[i]))
        ));
    }
    sum_row.push(String::new());
    pct_row.push(String::new());
    rows.push(sum_row);
    rows.push(pct_row);
    rows
}

/// Conclusions d)–g), where the minutes go and what is attached.
fn complaints_and_closing(data: &ConstituencyData) -> Vec<CountingBlock> {
    let r = &data.result;
    let listed = |text: fn(&Tally) -> &str| {
        data.area_tallies
            .iter()
            .filter_map(|(area, t)| {
                let said = clause(text(t.as_ref()?));
                (!said.is_empty()).then(|| format!("Khu vực bỏ phiếu số {}: {said}", area.number))
            })
            .collect::<Vec<_>>()
            .join("; ")
    };
    // Each area's words run on as one list, ended once.
    let by_area = |text: fn(&Tally) -> &str| full_stop(&listed(text));
    let recipients = match r.level {
        BallotLevel::NationalAssembly => "Hội đồng bầu cử quốc gia, Ủy ban bầu cử ở tỉnh, Ban thường trực Ủy ban Mặt trận Tổ quốc Việt Nam cấp tỉnh",
        _ => "Ủy ban bầu cử, Thường trực Hội đồng nhân dân, Ủy ban nhân dân, Ban thường trực Ủy ban Mặt trận Tổ quốc Việt Nam cùng cấp",
    };
    vec![
        CountingBlock::Line(format!(
            "d) Tóm tắt những việc xảy ra: {}",
            none_if_empty(&by_area(|t| &t.incidents))
        )),
        CountingBlock::Line(
            "đ) Những khiếu nại, tố cáo do các Tổ bầu cử đã giải quyết: ghi trong biên bản kết quả kiểm phiếu của các Tổ bầu cử kèm theo.".into(),
        ),
        CountingBlock::Line(
            "e) Những khiếu nại, tố cáo do Ban bầu cử đã giải quyết, cách giải quyết: ……".into(),
        ),
        CountingBlock::Line(format!(
            "g) Những khiếu nại, tố cáo chuyển đến Ủy ban bầu cử: {}",
            none_if_empty(&by_area(|t| &t.complaints))
        )),
        CountingBlock::Paragraph(format!(
            "Biên bản xác định kết quả bầu cử này được lập thành 03 bản và được gửi đến {recipients}."
        )),
        CountingBlock::Paragraph(format!(
            "Các tài liệu kèm theo gồm: Biên bản kết quả kiểm phiếu của {} Tổ bầu cử.",
            r.areas.len()
        )),
    ]
}

/// Conclusions a)–c): turnout and validity, the winners, the seats still empty.
fn conclusions(
    blocks: &mut Vec<CountingBlock>,
    data: &ConstituencyData,
    total: Option<&Tally>,
    council: &str,
) {
    let r = &data.result;
    let no = r.number;
    let n = thousands;
    let turnout = total.and_then(|t| shares(t).turnout);
    let Determination::Determined {
        outcome,
        shares: s,
        additional_election,
    } = &r.determination
    else {
        let missing: Vec<String> = r
            .missing()
            .iter()
            .map(|a| format!("số {} ({})", a.number, a.name))
            .collect();
        let why = match r.determination {
            Determination::CandidatesDiffer => "biên bản kiểm phiếu của các khu vực bỏ phiếu không cùng danh sách người ứng cử hoặc số đại biểu được bầu của đơn vị bầu cử".to_string(),
            Determination::NoAreas => "đơn vị bầu cử chưa có khu vực bỏ phiếu nào".to_string(),
            _ => format!(
                "còn {} khu vực bỏ phiếu chưa chốt biên bản kết quả kiểm phiếu: {}",
                missing.len(),
                missing.join(", ")
            ),
        };
        blocks.push(CountingBlock::Line(format!(
            "a) Số cử tri đã tham gia bỏ phiếu đạt {} so với tổng số cử tri.",
            pct(turnout)
        )));
        blocks.push(CountingBlock::Line(format!(
            "b), c) Chưa xác định được người trúng cử: {why}."
        )));
        return;
    };
    let Some(total) = total else {
        return;
    };
    let mut a = format!(
        "a) Số cử tri đã tham gia bỏ phiếu đạt {} so với tổng số cử tri.",
        pct(s.turnout)
    );
    if !outcome.valid {
        a.push_str(&format!(
            " Cuộc bầu cử ở đơn vị bầu cử số {no} không có giá trị, đề nghị bầu cử lại."
        ));
    }
    blocks.push(CountingBlock::Line(a));
    if outcome.winners.is_empty() {
        blocks.push(CountingBlock::Line(format!(
            "b) Không có người ứng cử nào trúng cử {council}."
        )));
    } else {
        blocks.push(CountingBlock::Line(format!(
            "b) Các Ông/Bà có tên sau đây nhận được quá nửa tổng số phiếu hợp lệ và có nhiều phiếu hơn, đã trúng cử {council}:"
        )));
        for (i, &w) in outcome.winners.iter().enumerate() {
            let c = &total.candidates[w];
            blocks.push(CountingBlock::Line(format!(
                "{}. {} {} – số phiếu: {} – đạt {} tổng số phiếu hợp lệ",
                i + 1,
                title_of(data, &c.full_name, &c.birth_date),
                c.full_name,
                n(c.votes),
                pct(s.candidates[w])
            )));
        }
    }
    let elected = r.seats - outcome.unfilled;
    let mut c = if outcome.unfilled > 0 {
        format!(
            "c) Theo ấn định, đơn vị bầu cử số {no} được bầu {} đại biểu, nay đã bầu được {} đại biểu, còn thiếu {} đại biểu.",
            n(r.seats),
            n(elected),
            n(outcome.unfilled)
        )
    } else {
        format!(
            "c) Theo ấn định, đơn vị bầu cử số {no} được bầu {} đại biểu, nay đã bầu đủ {} đại biểu.",
            n(r.seats),
            n(elected)
        )
    };
    if *additional_election {
        c.push_str(" Đề nghị xem xét, quyết định việc bầu cử thêm.");
    }
    blocks.push(CountingBlock::Line(c));
}

#[cfg(test)]
mod tests {
    use super::*;
    use app::constituencies::model::{AreaResult, ConstituencyResult};
    use app::domain::constituency::RegisterCandidate;
    use app::domain::counting::{determine, Candidate};
    use app::domain::ids::{AreaId, ElectionId};
    use app::domain::voter::{Date, Levels};
    use app::domain::ward::{AreaSummary, ElectionSummary};

    fn tally(on_list: i64, voted: i64) -> Tally {
        Tally {
            seats: 1,
            voters_on_list: on_list,
            voters_voted: voted,
            ballots_issued: voted,
            ballots_collected: voted,
            ballots_valid: voted,
            candidates: vec![
                Candidate {
                    full_name: "Lê An".into(),
                    birth_date: "1970".into(),
                    votes: voted - 1,
                },
                Candidate {
                    full_name: "Trần Bình".into(),
                    birth_date: "1975".into(),
                    votes: 1,
                },
            ],
            ..Tally::default()
        }
    }

    fn data(final_tally: Option<Tally>, level: BallotLevel) -> ConstituencyData {
        let area = AreaSummary {
            id: AreaId::new(7),
            election_id: ElectionId::new(1),
            number: 5,
            name: "Khóm Bình Đức".into(),
            address: String::new(),
            opens_at: "07:00".into(),
            closes_at: "19:00".into(),
            levels: Levels(7),
            voters: 0,
        };
        let finalised = final_tally.is_some();
        let determination = match &final_tally {
            Some(t) => {
                let outcome = determine(t);
                Determination::Determined {
                    additional_election: false,
                    shares: shares(t),
                    outcome,
                }
            }
            None => Determination::Waiting,
        };
        ConstituencyData {
            result: ConstituencyResult {
                id: ConstituencyId::new(3),
                level,
                number: 4,
                name: "Phường Mỹ Thới".into(),
                seats: 1,
                areas: vec![AreaResult {
                    area_id: AreaId::new(7),
                    number: 5,
                    name: "Khóm Bình Đức".into(),
                    finalised,
                }],
                total: final_tally.clone(),
                determination,
            },
            election: ElectionSummary {
                id: ElectionId::new(1),
                name: "Bầu cử khóa XVI".into(),
                election_day: Date {
                    year: 2026,
                    month: 3,
                    day: 15,
                },
                levels: Levels(7),
                posted_on: Date::new(2026, 2, 3),
            },
            register: vec![
                RegisterCandidate {
                    full_name: "Lê An".into(),
                    birth_date: "1970".into(),
                    gender: Gender::Male,
                },
                RegisterCandidate {
                    full_name: "Trần Bình".into(),
                    birth_date: "1975".into(),
                    gender: Gender::Female,
                },
            ],
            area_tallies: vec![(area, final_tally.or_else(|| Some(tally(100, 40))))],
            all_final: finalised,
            sources: vec!["{}".into()],
        }
    }

    fn text(doc: &CountingMinutesDoc) -> String {
        doc.blocks
            .iter()
            .map(|b| match b {
                CountingBlock::Paragraph(t)
                | CountingBlock::Line(t)
                | CountingBlock::Heading(t) => t.clone(),
                CountingBlock::Matrix(rows) => rows
                    .iter()
                    .map(|r| r.join(" | "))
                    .collect::<Vec<_>>()
                    .join("\n"),
                CountingBlock::Candidates(_) => String::new(),
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    fn ward() -> Ward {
        Ward {
            name: "Phường Mỹ Thới".into(),
            province: "Tỉnh An Giang".into(),
        }
    }

    #[test]
    fn half_the_voters_or_fewer_make_the_election_void_and_call_for_a_re_run() {
        let doc = result_doc(
            &ward(),
            &data(Some(tally(100, 50)), BallotLevel::Commune),
            0,
        );
        let text = text(&doc);
        assert!(!doc.draft);
        assert!(text.contains("a) Số cử tri đã tham gia bỏ phiếu đạt 50,00% so với tổng số cử tri. Cuộc bầu cử ở đơn vị bầu cử số 4 không có giá trị, đề nghị bầu cử lại."), "{text}");
        assert!(
            text.contains(
                "b) Không có người ứng cử nào trúng cử đại biểu Hội đồng nhân dân phường Mỹ Thới."
            ),
            "{text}"
        );
        assert!(
            text.contains("nay đã bầu được 0 đại biểu, còn thiếu 1 đại biểu."),
            "{text}"
        );
        assert_eq!(doc.body[0], "BAN BẦU CỬ ĐẠI BIỂU HĐND PHƯỜNG MỸ THỚI");
        assert!(doc.title_lines[1].ends_with("NHIỆM KỲ 2026-2031"));
        assert_eq!(
            doc.note.as_deref(),
            Some("Ghi chú: Nhất thiết không được tẩy xóa trên biên bản.")
        );
    }

    #[test]
    fn a_winner_is_named_with_votes_and_share() {
        let doc = result_doc(
            &ward(),
            &data(Some(tally(100, 60)), BallotLevel::NationalAssembly),
            0,
        );
        let text = text(&doc);
        assert!(
            text.contains("1. Ông Lê An – số phiếu: 59 – đạt 98,33% tổng số phiếu hợp lệ"),
            "{text}"
        );
        assert!(text.contains("nay đã bầu đủ 1 đại biểu."), "{text}");
        // One seat: the shares part the valid ballots and sum to 100,00%.
        assert!(
            text.contains("Tỷ lệ % so với tổng số phiếu hợp lệ | 98,33% | 1,67%"),
            "{text}"
        );
    }

    #[test]
    fn a_draft_says_which_areas_are_missing_and_determines_nothing() {
        let doc = result_doc(&ward(), &data(None, BallotLevel::NationalAssembly), 0);
        let text = text(&doc);
        assert!(doc.draft);
        assert!(text.contains("Chưa xác định được người trúng cử: còn 1 khu vực bỏ phiếu chưa chốt biên bản kết quả kiểm phiếu: số 5 (Khóm Bình Đức)."), "{text}");
        assert!(!text.contains("trúng cử đại biểu Quốc hội:"), "{text}");
        assert!(
            text.contains("Số 5 (Khóm Bình Đức) | 39 | 1 | Chưa chốt"),
            "{text}"
        );
    }
}
