//! The constituency register and result determination over real HTTP on each engine: setting
//! up a constituency (one constituency per area and level, unique numbers), its candidate list
//! (read, ordered, refused line by line, locked once counting began), counting entry against
//! the register, the result refused while an area is not finalised, then determined from the
//! finalised tallies, and the audit trail.

use serde_json::{json, Value};

use app::counting::model::TallyForm;

use crate::counting::{finalise, minutes_text, tally, view, ward_with_check_ins, Ward};
use crate::support::{have_pdftotext, on_each_engine, pdf_text, Client, TestApp};

async fn election_of(app: &TestApp, area_id: i64) -> i64 {
    sqlx::query_scalar("select election_id from polling_areas where id = $1")
        .bind(area_id)
        .fetch_one(app.db.pool())
        .await
        .expect("election")
}

/// The National Assembly constituency numbered `number`, with `seats` and `areas`.
async fn save_constituency(
    client: &Client,
    election_id: i64,
    id: Option<i64>,
    number: i64,
    seats: i64,
    areas: &[i64],
) -> crate::support::Reply {
    client
        .constituencies_save(
            election_id,
            id,
            "quoc-hoi",
            number,
            "Gồm phường Mỹ Thới và xã Mỹ Hòa Hưng",
            seats,
            areas,
        )
        .await
}

/// An entry made against the register: the figures of `tally` and the votes typed beside the
/// official list (Nguyễn Thị Ánh, Trần Thị Ấu, Lê Văn Đức); the register gives the seats and
/// the candidates.
fn register_entry(area_id: i64, slot: i64, votes: [&str; 3]) -> TallyForm {
    TallyForm {
        seats: 0,
        candidates: String::new(),
        votes: votes.map(str::to_string).to_vec(),
        ..tally(area_id, slot)
    }
}

/// The text of a constituency's result minutes (None when pdftotext is missing).
async fn result_minutes_text(app: &TestApp, client: &Client, id: i64) -> Option<String> {
    let url = format!("{}/results/constituencies/{id}/minutes.pdf", app.base_url);
    let response = client.http.get(url).send().await.expect("minutes");
    assert_eq!(response.status().as_u16(), 200, "[{}]", app.engine);
    let bytes = response.bytes().await.expect("pdf");
    assert!(bytes.starts_with(b"%PDF"), "[{}]", app.engine);
    have_pdftotext("result minutes text check").then(|| pdf_text(&bytes, &["-layout"]))
}

fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

async fn results(client: &Client, election_id: i64) -> Value {
    let reply = client.results_constituencies(Some(election_id)).await;
    assert_eq!(reply.status, 200, "{:?}", reply.body);
    reply.body
}

/// A second polling area in the ward (number 2, Khóm Đông Thịnh), the first station user
/// assigned to both.
async fn add_second_area(app: &TestApp, ward: &Ward, election_id: i64) -> i64 {
    let engine = app.engine;
    let admin = &ward.admin;
    let area3 = ward.area_id;
    let area2 = admin
        .voters_areas_create(election_id, 2, "Khóm Đông Thịnh", "")
        .await
        .body
        .as_i64()
        .expect("area id");
    let first_id: i64 = sqlx::query_scalar("select id from users where username = 'tobaucu1'")
        .fetch_one(app.db.pool())
        .await
        .expect("user");
    let reply = admin.admin_users_set_areas(first_id, &[area3, area2]).await;
    assert_eq!(reply.status, 200, "[{engine}] {:?}", reply.body);

    area2
}

/// The constituency: 3 seats, both areas; numbers and areas stay unique, and station staff
/// cannot set it up.
async fn register_constituency(app: &TestApp, ward: &Ward, election_id: i64, area2: i64) -> i64 {
    let engine = app.engine;
    let admin = &ward.admin;
    let area3 = ward.area_id;
    // The constituency: 3 seats, both areas.
    let reply = save_constituency(admin, election_id, None, 1, 3, &[area3, area2]).await;
    assert_eq!(reply.status, 200, "[{engine}] {:?}", reply.body);
    let constituency = reply.body.as_i64().expect("id");
    // A second one cannot take the same number, nor an area of the first.
    let reply = save_constituency(admin, election_id, None, 1, 2, &[]).await;
    assert_eq!(
        reply.error_code(),
        Some("ConstituencyNumberTaken"),
        "[{engine}]"
    );
    let reply = save_constituency(admin, election_id, None, 2, 2, &[area2]).await;
    assert_eq!(reply.status, 409, "[{engine}]");
    assert_eq!(reply.error_code(), Some("ConstituencyAreaTaken"));
    assert_eq!(
        reply.body["detail"],
        json!({"Subject": "KVBP số 2"}),
        "[{engine}]"
    );
    let reply = save_constituency(admin, election_id, None, 2, 0, &[]).await;
    assert_eq!(reply.error_code(), Some("ConstituencyInputInvalid"));
    // Station staff do not set up constituencies.
    let reply = save_constituency(&ward.first, election_id, None, 5, 1, &[]).await;
    assert_eq!(reply.status, 403, "[{engine}]");
    let (status, _, _) = ward.first.get("/results/constituencies").await;
    assert_eq!(
        status, 403,
        "[{engine}] the register page is refused on the server"
    );

    constituency
}

/// The candidate list: a bad line is named; a good one is put in the official order.
async fn register_candidates(
    app: &TestApp,
    ward: &Ward,
    election_id: i64,
    constituency: i64,
    area2: i64,
) {
    let engine = app.engine;
    let admin = &ward.admin;
    let area3 = ward.area_id;
    // The candidate list: a bad line is named; a good one is put in the official order.
    let reply = admin
        .constituencies_candidates(constituency, "Trần Thị Ấu; 1968; Nữ\nLê Văn Đức; 1975")
        .await;
    assert_eq!(
        reply.error_code(),
        Some("CandidateListInvalid"),
        "[{engine}]"
    );
    assert_eq!(reply.body["detail"], json!({"Subject": "dòng 2"}));
    let reply = admin
        .constituencies_candidates(
            constituency,
            "Trần Thị Ấu; 1968; Nữ\nLê Văn Đức; 12/05/1975; Nam\nNguyễn Thị Ánh; 03/1980; Nữ",
        )
        .await;
    assert_eq!(reply.status, 200, "[{engine}] {:?}", reply.body);
    let register = admin.constituencies_list(Some(election_id)).await;
    let row = &register.body["constituencies"][0];
    assert_eq!(row["area_ids"], json!([area3, area2]), "[{engine}]");
    let names: Vec<&str> = row["candidates"]
        .as_array()
        .expect("candidates")
        .iter()
        .map(|c| c["full_name"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(
        names,
        vec!["Nguyễn Thị Ánh", "Trần Thị Ấu", "Lê Văn Đức"],
        "[{engine}]"
    );
    let (status, _, html) = admin
        .get(&format!("/results/constituencies?election={election_id}"))
        .await;
    assert_eq!(status, 200, "[{engine}]");
    assert!(
        html.contains("Đơn vị bầu cử số") && html.contains("Lê Văn Đức; 12/05/1975; Nam"),
        "[{engine}] {html}"
    );
}

/// Counting entry in area 3 against the register, which it then locks; area 3 is finalised.
async fn count_first_area(
    app: &TestApp,
    ward: &Ward,
    election_id: i64,
    constituency: i64,
    area2: i64,
) {
    let engine = app.engine;
    let admin = &ward.admin;
    let area3 = ward.area_id;
    // Counting entry takes the register's seats and candidates; only votes are typed.
    let page = view(&ward.first, area3).await;
    assert_eq!(page["register"]["seats"], 3, "[{engine}]");
    assert_eq!(
        page["register"]["candidates"][0],
        json!(["Nguyễn Thị Ánh", "03/1980"])
    );
    let (_, _, html) = ward
        .first
        .get(&format!("/results/counting/{area3}/quoc-hoi"))
        .await;
    assert!(html.contains("form[votes][2]"), "[{engine}] {html}");
    let votes3 = ["5.000", "3000", "4000"];
    let reply = ward
        .first
        .counting_save(&register_entry(area3, 1, votes3))
        .await;
    assert_eq!(reply.status, 200, "[{engine}] {:?}", reply.body);
    let reply = ward
        .second
        .counting_save(&register_entry(area3, 2, ["5000", "3000", "4001"]))
        .await;
    assert_eq!(
        reply.body["differences"],
        json!([{"field": {"CandidateVotes": 2}, "first": "4000", "second": "4001"}]),
        "[{engine}]"
    );
    // Counting has begun: the seats and candidates are locked now.
    let reply = admin
        .constituencies_candidates(constituency, "Lê An; 1965; Nữ")
        .await;
    assert_eq!(reply.error_code(), Some("ConstituencyLocked"), "[{engine}]");
    let reply = save_constituency(
        admin,
        election_id,
        Some(constituency),
        1,
        2,
        &[area3, area2],
    )
    .await;
    assert_eq!(reply.error_code(), Some("ConstituencyLocked"), "[{engine}]");
    ward.second
        .counting_save(&register_entry(area3, 2, votes3))
        .await;
    let reply = finalise(admin, area3).await;
    assert_eq!(reply.status, 200, "[{engine}] {:?}", reply.body);

    // The area's counting minutes name its constituency from the register.
    if let Some(text) = minutes_text(app, &ward.first, area3).await {
        let text = flat(&text);
        for expected in [
            "Đơn vị bầu cử đại biểu Quốc hội số: 1",
            "Gồm phường Mỹ Thới và xã Mỹ Hòa Hưng",
            "thuộc đơn vị bầu cử đại biểu Quốc hội số 1 để tiến hành",
        ] {
            assert!(
                text.contains(expected),
                "[{engine}] {expected:?} not in:\n{text}"
            );
        }
    }
}

/// One area finalised, one not: no result yet, and the missing area is named.
async fn result_waits_for_second_area(
    app: &TestApp,
    ward: &Ward,
    election_id: i64,
    constituency: i64,
) {
    let engine = app.engine;
    // One area finalised, one not: no result yet, and the missing area is named.
    let body = results(&ward.first, election_id).await;
    let result = &body["constituencies"][0];
    assert_eq!(result["determination"], "Waiting", "[{engine}]");
    assert_eq!(result["total"], Value::Null);
    let missing: Vec<i64> = result["areas"]
        .as_array()
        .expect("areas")
        .iter()
        .filter(|a| a["finalised"] == false)
        .map(|a| a["number"].as_i64().unwrap_or_default())
        .collect();
    assert_eq!(missing, vec![2], "[{engine}]");
    if let Some(text) = result_minutes_text(app, &ward.first, constituency).await {
        let pages: Vec<&str> = text
            .split('\u{c}')
            .filter(|p| !p.trim().is_empty())
            .collect();
        for page in &pages {
            assert!(
                page.contains("DỰ THẢO"),
                "[{engine}] every page of a draft: {page}"
            );
        }
        let text = flat(&text);
        assert!(
            text.contains("Chưa xác định được người trúng cử: còn 1 khu vực bỏ phiếu chưa chốt biên bản kết quả kiểm phiếu: số 2 (Khóm Đông Thịnh)"),
            "[{engine}] {text}"
        );
    }
    let (status, _, html) = ward.first.get("/results/outcome").await;
    assert_eq!(status, 200, "[{engine}]");
    assert!(
        html.contains("còn 1 khu vực bỏ phiếu chưa chốt")
            && html.contains("KVBP số 2 (Khóm Đông Thịnh)"),
        "[{engine}] {html}"
    );
}

/// Area 2 entered twice and finalised: the result is determined.
async fn count_second_area_and_determine(app: &TestApp, ward: &Ward, election_id: i64, area2: i64) {
    let engine = app.engine;
    let admin = &ward.admin;
    // Area 2 entered twice and finalised: the result is determined.
    let votes2 = ["600", "500", "450"];
    for (client, slot) in [(&ward.first, 1), (admin, 2)] {
        let entry = TallyForm {
            voters_on_list: 1000,
            voters_voted: 900,
            ballots_issued: 900,
            ballots_collected: 900,
            ballots_valid: 890,
            ballots_invalid: 10,
            ..register_entry(area2, slot, votes2)
        };
        let reply = client.counting_save(&entry).await;
        assert_eq!(reply.status, 200, "[{engine}] {:?}", reply.body);
    }
    let reply = finalise(admin, area2).await;
    assert_eq!(reply.status, 200, "[{engine}] {:?}", reply.body);
    let body = results(&ward.first, election_id).await;
    let result = &body["constituencies"][0];
    assert_eq!(result["total"]["voters_on_list"], 7688, "[{engine}]");
    assert_eq!(result["total"]["ballots_valid"], 7446);
    let determined = &result["determination"]["Determined"];
    // Ánh 5.600 and Đức 4.450 have more than half of 7.446; Ấu's 3.500 is not: one seat
    // of three stays empty, and the National Assembly then holds an additional election.
    assert_eq!(
        determined["outcome"],
        json!({"valid": true, "winners": [0, 2], "unfilled": 1}),
        "[{engine}]"
    );
    assert_eq!(determined["additional_election"], true);
    assert_eq!(
        determined["shares"],
        json!({"turnout": 9784, "valid": 9899, "invalid": 101,
               "candidates": [7521, 4701, 5976]}),
        "[{engine}]"
    );
    let (_, _, html) = ward
        .first
        .get(&format!("/results/outcome?election={election_id}"))
        .await;
    for expected in [
        "Tổng số cử tri của đơn vị bầu cử",
        "7.688",
        "97,84%",
        "98,99%",
        "1,01%",
        "75,21%",
        "59,76%",
        "Trúng cử",
        "còn thiếu 1 đại biểu",
        "Đề nghị bầu cử thêm.",
    ] {
        assert!(
            html.contains(expected),
            "[{engine}] {expected:?} not in {html}"
        );
    }
}

/// The result minutes, final now: the form's text with the figures and conclusions.
async fn final_result_minutes(app: &TestApp, ward: &Ward, constituency: i64) {
    let engine = app.engine;
    // The result minutes, final now: the form's text with the figures and conclusions.
    if let Some(text) = result_minutes_text(app, &ward.first, constituency).await {
        let pages = text.split('\u{c}').filter(|p| !p.trim().is_empty()).count();
        let text = flat(&text);
        for expected in [
            "BAN BẦU CỬ ĐẠI BIỂU QUỐC HỘI",
            "ĐƠN VỊ BẦU CỬ SỐ 1",
            "XÁC ĐỊNH KẾT QUẢ BẦU CỬ ĐẠI BIỂU QUỐC HỘI KHÓA XVI",
            "Ở ĐƠN VỊ BẦU CỬ SỐ 1",
            "Gồm phường Mỹ Thới và xã Mỹ Hòa Hưng",
            "Tổng số cử tri của đơn vị bầu cử: 7.688 người",
            "Tỷ lệ cử tri đã tham gia bỏ phiếu so với tổng số cử tri: 97,84%",
            "Số phiếu hợp lệ: 7.446 phiếu. Tỷ lệ so với tổng số phiếu thu vào: 98,99%",
            "Số phiếu không hợp lệ: 76 phiếu. Tỷ lệ so với tổng số phiếu thu vào: 1,01%",
            "SỐ PHIẾU BẦU CHO MỖI NGƯỜI ỨNG CỬ",
            "Số 3 (Khóm Thới An)",
            "Tổng cộng",
            "5.600",
            "75,21%",
            "1. Bà Nguyễn Thị Ánh – số phiếu: 5.600 – đạt 75,21% tổng số phiếu hợp lệ",
            "2. Ông Lê Văn Đức – số phiếu: 4.450 – đạt 59,76% tổng số phiếu hợp lệ",
            "nay đã bầu được 2 đại biểu, còn thiếu 1 đại biểu.",
            "TM. BAN BẦU CỬ",
            "CÁC PHÓ TRƯỞNG BAN BẦU CỬ",
            "Ghi chú: Nhất thiết không được tẩy xóa trên biên bản.",
            "Mã dữ liệu",
        ] {
            assert!(
                text.contains(expected),
                "[{engine}] {expected:?} not in:\n{text}"
            );
        }
        assert!(
            !text.contains("DỰ THẢO"),
            "[{engine}] final minutes are no draft"
        );
        assert!(
            text.matches("Mã dữ liệu").count() == pages,
            "[{engine}] the data hash on each of {pages} pages"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn register_counting_against_it_and_result_determination() {
    on_each_engine(|app| async move {
        let engine = app.engine;
        let ward = ward_with_check_ins(&app).await;
        let area3 = ward.area_id;
        let election_id = election_of(&app, area3).await;
        let area2 = add_second_area(&app, &ward, election_id).await;
        let constituency = register_constituency(&app, &ward, election_id, area2).await;
        register_candidates(&app, &ward, election_id, constituency, area2).await;
        count_first_area(&app, &ward, election_id, constituency, area2).await;
        result_waits_for_second_area(&app, &ward, election_id, constituency).await;
        count_second_area_and_determine(&app, &ward, election_id, area2).await;
        final_result_minutes(&app, &ward, constituency).await;

        let actions: Vec<String> = sqlx::query_scalar(
            "select action from audit_log where action like 'constituency.%' order by seq",
        )
        .fetch_all(app.db.pool())
        .await
        .expect("audit");
        assert_eq!(
            actions,
            vec!["constituency.save", "constituency.candidates"],
            "[{engine}]"
        );
        assert!(matches!(
            app::storage::audit::verify(app.db.pool())
                .await
                .expect("verify"),
            app::storage::audit::ChainVerdict::Intact { .. }
        ));
    })
    .await;
}
