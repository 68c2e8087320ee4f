//! The result minutes PDF (biên bản xác định kết quả bầu cử, domain-vn.md §1.7) of one
//! constituency: the figures added up from its polling areas' counting minutes, the votes per
//! candidate by polling area, and the conclusions a)–g). A draft marked "DỰ THẢO" while any
//! area's minutes are not finalised; its conclusions then say what is still missing.

use app::constituencies::model::Determination;
use app::constituencies::service::{constituency_data, ConstituencyData};
use app::domain::counting::{shares, sum_tallies, BallotLevel, Shares, Tally};
use app::domain::format;
use app::domain::voter::Gender;
use app::domain::ward::Ward;
use app::error::ErrorCode;
use app::locale::Locale;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use axum::{Extension, Router};
use sha2::{Digest, Sha256};

use crate::counting_documents::{comprising, date_words, none_if_empty, or_dots, term};
use crate::documents::{allowed, render, DocState, Refusal};
use crate::pdf::{self, CountingBlock, CountingMinutesDoc, Signer};

pub fn routes(state: DocState) -> Router {
    Router::new()
        .route("/results/constituencies/{id}/minutes.pdf", get(minutes_pdf))
        .with_state(state)
}

fn internal(error: &dyn std::fmt::Display) -> Refusal {
    let reference = app::token::short_reference();
    tracing::error!(%reference, "result minutes data: {error}");
    Refusal::page(
        StatusCode::INTERNAL_SERVER_ERROR,
        &format!("Lỗi hệ thống (mã tham chiếu {reference})."),
    )
}

/// Everyone who may see the results may print them.
async fn minutes_pdf(
    State(state): State<DocState>,
    session: Option<Extension<app::request::CurrentSession>>,
    Path(id): Path<i64>,
) -> Result<Response, Refusal> {
    allowed(&session, app::domain::role::Permission::ViewTallies)?;
    let db = &state.app.db;
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
    let data = match constituency_data(db, id).await {
        Ok(data) => data,
        Err(error) if error.code == ErrorCode::NotFound => {
            return Err(Refusal::page(
                StatusCode::NOT_FOUND,
                "Không tìm thấy đơn vị bầu cử này.",
            ))
        }
        Err(error) => return Err(internal(&error)),
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
    let mut hasher = Sha256::new();
    hasher.update(format!(
        "{}|{}|{}|{}|{}\n",
        r.id,
        r.level.slug(),
        r.number,
        r.name,
        r.seats
    ));
    for c in &data.register {
        hasher.update(format!(
            "{}|{}|{}\n",
            c.full_name,
            c.birth_date,
            c.gender.code()
        ));
    }
    for source in &data.sources {
        hasher.update(source.as_bytes());
        hasher.update(b"\n");
    }
    hex::encode(hasher.finalize())[..12].to_string()
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

/// The wording of the result minutes from the constituency's data.
fn result_doc(ward: &Ward, data: &ConstituencyData, now_ms: i64) -> CountingMinutesDoc {
    let r = &data.result;
    let n = |v: i64| format::count(v, Locale::Vi);
    let no = r.number;
    let (board, council, title) = match r.level {
        BallotLevel::NationalAssembly => (
            "BAN BẦU CỬ ĐẠI BIỂU QUỐC HỘI".to_string(),
            "đại biểu Quốc hội".to_string(),
            format!(
                "XÁC ĐỊNH KẾT QUẢ BẦU CỬ ĐẠI BIỂU QUỐC HỘI KHÓA {}",
                term(&data.election.name).unwrap_or_else(|| "……".into())
            ),
        ),
        level => {
            let place = if level == BallotLevel::Province {
                or_dots(&ward.province)
            } else {
                or_dots(&ward.name)
            };
            let year: i64 = data.election.election_day.iso()[..4].parse().unwrap_or(0);
            (
                format!("BAN BẦU CỬ ĐẠI BIỂU HĐND {}", place.to_uppercase()),
                format!("đại biểu Hội đồng nhân dân {place}"),
                format!(
                    "XÁC ĐỊNH KẾT QUẢ BẦU CỬ ĐẠI BIỂU HỘI ĐỒNG NHÂN DÂN {} NHIỆM KỲ {year}-{}",
                    place.to_uppercase(),
                    year + 5
                ),
            )
        }
    };
    let gom = comprising(&r.name);
    let area_list = r
        .areas
        .iter()
        .map(|a| format!("số {} ({})", a.number, a.name))
        .collect::<Vec<_>>()
        .join(", ");
    // The figures: the determined total, or for a draft whatever has been entered so far.
    let available: Vec<Tally> = data
        .area_tallies
        .iter()
        .filter_map(|(_, t)| t.clone())
        .collect();
    let total: Option<Tally> = r.total.clone().or_else(|| sum_tallies(&available));
    let s: Option<Shares> = total.as_ref().map(shares);
    let figure =
        |get: fn(&Tally) -> i64| total.as_ref().map_or("……".to_string(), |t| n(get(t)));
    let share = |get: fn(&Shares) -> Option<i64>| pct(s.as_ref().and_then(get));
    let mut blocks = vec![
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
            if area_list.is_empty() { "……".to_string() } else { area_list },
            or_dots(&ward.name),
            or_dots(&ward.province)
        )),
        CountingBlock::Paragraph(format!(
            "Theo Nghị quyết số ……, đơn vị bầu cử số {no} được bầu {} đại biểu; số người ứng cử là {} người.",
            n(r.seats),
            n(data.register.len().max(total.as_ref().map_or(0, |t| t.candidates.len())) as i64)
        )),
        CountingBlock::Paragraph(format!(
            "Sau khi kiểm tra và tổng hợp kết quả từ Biên bản kết quả kiểm phiếu do các Tổ bầu cử chuyển đến, kết quả bầu cử {council} ở đơn vị bầu cử số {no} như sau:"
        )),
        CountingBlock::Line(format!(
            "- Tổng số cử tri của đơn vị bầu cử: {} người",
            figure(|t| t.voters_on_list)
        )),
        CountingBlock::Line(format!(
            "- Số cử tri đã tham gia bỏ phiếu: {} người",
            figure(|t| t.voters_voted)
        )),
        CountingBlock::Line(format!(
            "- Tỷ lệ cử tri đã tham gia bỏ phiếu so với tổng số cử tri: {}",
            share(|s| s.turnout)
        )),
        CountingBlock::Line(format!(
            "- Số phiếu phát ra: {} phiếu",
            figure(|t| t.ballots_issued)
        )),
        CountingBlock::Line(format!(
            "- Số phiếu thu vào: {} phiếu",
            figure(|t| t.ballots_collected)
        )),
        CountingBlock::Line(format!(
            "- Số phiếu hợp lệ: {} phiếu. Tỷ lệ so với tổng số phiếu thu vào: {}",
            figure(|t| t.ballots_valid),
            share(|s| s.valid)
        )),
        CountingBlock::Line(format!(
            "- Số phiếu không hợp lệ: {} phiếu. Tỷ lệ so với tổng số phiếu thu vào: {}",
            figure(|t| t.ballots_invalid),
            share(|s| s.invalid)
        )),
        CountingBlock::Heading("SỐ PHIẾU BẦU CHO MỖI NGƯỜI ỨNG CỬ".into()),
    ];
    // The matrix: the official list's columns (or the tallies' when there is no list).
    let names: Vec<(String, String)> = if data.register.is_empty() {
        total
            .as_ref()
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
    let votes_of = |t: &Tally, (name, birth): &(String, String)| {
        t.candidates
            .iter()
            .find(|c| app::domain::text::same_name(&c.full_name, name) && c.birth_date == *birth)
            .map(|c| n(c.votes))
            .unwrap_or_else(|| "—".to_string())
    };
    let mut head = vec!["Khu vực bỏ phiếu".to_string()];
    head.extend(names.iter().map(|(name, _)| name.clone()));
    head.push("Ghi chú".into());
    let mut rows = vec![head];
    for ((area, tally), result) in data.area_tallies.iter().zip(&r.areas) {
        let mut row = vec![format!("Số {} ({})", area.number, area.name)];
        match tally {
            Some(t) => row.extend(names.iter().map(|c| votes_of(t, c))),
            None => row.extend(names.iter().map(|_| "……".to_string())),
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
        let index = total.as_ref().and_then(|t| {
            t.candidates.iter().position(|k| {
                app::domain::text::same_name(&k.full_name, &c.0) && k.birth_date == c.1
            })
        });
        sum_row.push(match (&total, index) {
            (Some(t), Some(i)) => n(t.candidates[i].votes),
            _ => "……".into(),
        });
        pct_row.push(pct(
            index.and_then(|i| s.as_ref().and_then(|s| s.candidates[i]))
        ));
    }
    sum_row.push(String::new());
    pct_row.push(String::new());
    rows.push(sum_row);
    rows.push(pct_row);
    blocks.push(CountingBlock::Matrix(rows));
    blocks.push(CountingBlock::Paragraph(format!(
        "Căn cứ vào kết quả ghi trên đây, Ban bầu cử {council} kết luận:"
    )));
    conclusions(&mut blocks, data, total.as_ref(), &council);
    let incidents: Vec<String> = data
        .area_tallies
        .iter()
        .filter_map(|(area, t)| {
            let t = t.as_ref()?;
            (!t.incidents.trim().is_empty()).then(|| {
                format!(
                    "Khu vực bỏ phiếu số {}: {}",
                    area.number,
                    t.incidents.trim()
                )
            })
        })
        .collect();
    let forwarded: Vec<String> = data
        .area_tallies
        .iter()
        .filter_map(|(area, t)| {
            let t = t.as_ref()?;
            (!t.complaints.trim().is_empty()).then(|| {
                format!(
                    "Khu vực bỏ phiếu số {}: {}",
                    area.number,
                    t.complaints.trim()
                )
            })
        })
        .collect();
    blocks.push(CountingBlock::Line(format!(
        "d) Tóm tắt những việc xảy ra: {}",
        none_if_empty(&incidents.join("; "))
    )));
    blocks.push(CountingBlock::Line(
        "đ) Những khiếu nại, tố cáo do các Tổ bầu cử đã giải quyết: ghi trong biên bản kết quả kiểm phiếu của các Tổ bầu cử kèm theo.".into(),
    ));
    blocks.push(CountingBlock::Line(
        "e) Những khiếu nại, tố cáo do Ban bầu cử đã giải quyết, cách giải quyết: ……".into(),
    ));
    blocks.push(CountingBlock::Line(format!(
        "g) Những khiếu nại, tố cáo chuyển đến Ủy ban bầu cử: {}",
        none_if_empty(&forwarded.join("; "))
    )));
    let recipients = match r.level {
        BallotLevel::NationalAssembly => "Hội đồng bầu cử quốc gia, Ủy ban bầu cử ở tỉnh, Ban thường trực Ủy ban Mặt trận Tổ quốc Việt Nam cấp tỉnh",
        _ => "Ủy ban bầu cử, Thường trực Hội đồng nhân dân, Ủy ban nhân dân, Ban thường trực Ủy ban Mặt trận Tổ quốc Việt Nam cùng cấp",
    };
    blocks.push(CountingBlock::Paragraph(format!(
        "Biên bản xác định kết quả bầu cử này được lập thành 03 bản và được gửi đến {recipients}."
    )));
    blocks.push(CountingBlock::Paragraph(format!(
        "Các tài liệu kèm theo gồm: Biên bản kết quả kiểm phiếu của {} Tổ bầu cử.",
        r.areas.len()
    )));
    CountingMinutesDoc {
        form_number: String::new(),
        body: [board, format!("ĐƠN VỊ BẦU CỬ SỐ {no}")],
        title_lines: vec![
            "BIÊN BẢN".into(),
            title,
            format!("Ở ĐƠN VỊ BẦU CỬ SỐ {no}"),
            gom,
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

/// Conclusions a)–c): turnout and validity, the winners, the seats still empty.
fn conclusions(
    blocks: &mut Vec<CountingBlock>,
    data: &ConstituencyData,
    total: Option<&Tally>,
    council: &str,
) {
    let r = &data.result;
    let no = r.number;
    let n = |v: i64| format::count(v, Locale::Vi);
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
            id: 7,
            election_id: 1,
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
                id: 3,
                level,
                number: 4,
                name: "Phường Mỹ Thới".into(),
                seats: 1,
                areas: vec![AreaResult {
                    area_id: 7,
                    number: 5,
                    name: "Khóm Bình Đức".into(),
                    finalised,
                }],
                total: final_tally.clone(),
                determination,
            },
            election: ElectionSummary {
                id: 1,
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
                "b) Không có người ứng cử nào trúng cử đại biểu Hội đồng nhân dân Phường Mỹ Thới."
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
