//! Counting results over real HTTP on each engine: double entry by two station users with a
//! field-by-field mismatch, the refusals (same person twice, someone else's entry, finalising
//! while entries differ or are missing, changes after finalising), the audit chain, and the
//! minutes PDF's text.

use app::domain::ids::AreaId;
use serde_json::{json, Value};

use app::counting::model::TallyForm;

use crate::checkin::check_in_request;
use crate::support::{have_pdftotext, on_each_engine, pdf_text, Client, TestApp};

pub(crate) struct Ward {
    pub(crate) admin: Client,
    pub(crate) first: Client,
    pub(crate) second: Client,
    pub(crate) area_id: i64,
}

/// A ward with one polling area whose election is today, three voters, two of them checked in,
/// and two station users assigned to the area.
pub(crate) async fn ward_with_check_ins(app: &TestApp) -> Ward {
    let admin = app.admin().await;
    let saved = admin
        .voters_ward_save("Phường Mỹ Thới", "Tỉnh An Giang")
        .await;
    assert_eq!(saved.status, 200, "{:?}", saved.body);
    let today = crate::support::election_day_today().await.display();
    let election = admin
        .voters_elections_create(
            "Bầu cử đại biểu Quốc hội khóa XVI và HĐND các cấp",
            &today,
            Some("1"),
            Some("1"),
            Some("1"),
        )
        .await;
    let election_id = election.body.as_i64().expect("election id");
    let area = admin
        .voters_areas_create(election_id, 3, "Khóm Thới An", "")
        .await;
    let area_id = area.body.as_i64().expect("area id");
    sqlx::query("update polling_areas set opens_at = '00:00', closes_at = '23:59'")
        .execute(app.db.pool())
        .await
        .expect("open all day");
    let first = app.user_with_role(&admin, "tobaucu1", "station").await;
    let second = app.user_with_role(&admin, "tobaucu2", "station").await;
    for username in ["tobaucu1", "tobaucu2"] {
        let id: i64 = sqlx::query_scalar("select id from users where username = $1")
            .bind(username)
            .fetch_one(app.db.pool())
            .await
            .expect("station id");
        let assigned = admin.admin_users_set_areas(id, &[area_id]).await;
        assert_eq!(assigned.status, 200, "{:?}", assigned.body);
    }
    for (stt, name) in (0_i64..).zip(["Nguyễn Văn An", "Trần Thị Hương", "Đặng Thùy Dương"])
    {
        let voter_id: i64 = sqlx::query_scalar(
            "insert into voters (election_id, polling_area_id, stt, full_name, name_folded, birth_year, \
             gender, levels, status, card_code, created_at_ms, updated_at_ms) \
             values ($1, $2, $3, $4, $5, 1980, 'nam', 7, 'active', $6, 0, 0) returning id",
        )
        .bind(election_id)
        .bind(area_id)
        .bind(stt + 1)
        .bind(name)
        .bind(app::domain::text::fold(name))
        .bind(format!("card-counting-{stt}"))
        .fetch_one(app.db.pool())
        .await
        .expect("voter");
        if stt < 2 {
            let request_id = format!("req-counting-{stt:04}");
            let reply = first
                .checkin_record(&check_in_request(&request_id, area_id, voter_id, false))
                .await;
            assert!(reply.body.get("Recorded").is_some(), "{:?}", reply.body);
        }
    }
    Ward {
        admin,
        first,
        second,
        area_id,
    }
}

/// The paper minutes of the National Assembly ballot as both people read them; a struct
/// update changes one person's reading.
pub(crate) fn tally(area_id: i64, slot: i64) -> TallyForm {
    TallyForm {
        area_id: AreaId::new(area_id),
        level: "quoc-hoi".to_string(),
        slot,
        seats: 2,
        voters_on_list: 6688,
        voters_voted: 6622,
        ballots_issued: 6622,
        ballots_collected: 6622,
        ballots_valid: 6556,
        ballots_invalid: 66,
        members: "Võ Thị Thu Hà; Tổ trưởng\nLê Quốc Bảo; Thư ký\nHuỳnh Ngọc Ẩn; Ủy viên".into(),
        witness1_name: "Phạm Thị Lụa".into(),
        witness1_address: "Khóm Thới An, phường Mỹ Thới".into(),
        witness2_name: "Đỗ Văn Tường".into(),
        witness2_address: "Khóm Đông Thịnh, phường Mỹ Thới".into(),
        candidates:
            "Trần Thị Ấu; 1968; 3.000\nLê Văn Đức; 12/05/1975; 4000\nNguyễn Thị Ánh; 03/1980; 5000"
                .into(),
        votes: Vec::new(),
        incidents: String::new(),
        complaints: String::new(),
        ballot_box_checked_at: "06:45".into(),
        voting_closed_at: "17:10".into(),
    }
}

/// Who entered and who finalised are named as the users page names them (their names now),
/// not by their logins.
async fn entries_name_people(app: &TestApp, ward: &Ward, area: i64) {
    let engine = app.engine;
    sqlx::query("update users set display_name = 'Huỳnh Ngọc Ẩn' where username = 'tobaucu1'")
        .execute(app.db.pool())
        .await
        .expect("rename");
    let page = view(&ward.second, area).await;
    assert_eq!(page["entries"][0]["by"], "Huỳnh Ngọc Ẩn", "[{engine}]");
    assert_eq!(page["entries"][1]["by"], "tobaucu2", "[{engine}]");
    assert_eq!(page["finalised"][0], "Quản trị viên", "[{engine}] {page}");
}

pub(crate) async fn view(client: &Client, area_id: i64) -> Value {
    let reply = client.counting_view(area_id, "quoc-hoi").await;
    assert_eq!(reply.status, 200, "{:?}", reply.body);
    reply.body
}

pub(crate) async fn finalise(client: &Client, area_id: i64) -> crate::support::Reply {
    client.counting_finalise(area_id, "quoc-hoi").await
}

pub(crate) async fn minutes_text(app: &TestApp, client: &Client, area_id: i64) -> Option<String> {
    let url = format!(
        "{}/results/counting/{area_id}/quoc-hoi/minutes.pdf",
        app.base_url
    );
    let response = client.http.get(url).send().await.expect("minutes");
    assert_eq!(response.status().as_u16(), 200, "[{}]", app.engine);
    let bytes = response.bytes().await.expect("pdf");
    assert!(bytes.starts_with(b"%PDF"), "[{}]", app.engine);
    have_pdftotext("counting minutes text check").then(|| pdf_text(&bytes, &[]))
}

/// The first entry: the check-ins (2) and the list (3) differ from the paper, which gives
/// warnings only; the pages show them, and a draft of the minutes can be printed already.
async fn first_entry_with_warnings(app: &TestApp, ward: &Ward) {
    let (area, engine) = (ward.area_id, app.engine);
    let reply = ward.first.counting_save(&tally(area, 1)).await;
    assert_eq!(reply.status, 200, "[{engine}] {:?}", reply.body);
    assert_eq!(reply.body["state"], "FirstEntry");
    let rules: Vec<&str> = reply.body["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| f["rule"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(
        rules,
        vec!["W01VotedDiffersFromCheckIns", "W03OnListDiffersFromList"],
        "[{engine}]"
    );
    let page = view(&ward.first, area).await;
    assert_eq!(page["known"], json!({"on_list": 3, "checked_in": 2}));

    // The pages render on the server: the overview with the state, the entry page with the
    // findings' codes and the check-in count beside the entered number.
    let (status, _, html) = ward.first.get("/results/counting").await;
    assert_eq!(status, 200, "[{engine}]");
    assert!(
        html.contains("Khóm Thới An") && html.contains("Đã nhập lần 1"),
        "[{engine}] {html}"
    );
    let (status, _, html) = ward
        .first
        .get(&format!("/results/counting/{area}/quoc-hoi"))
        .await;
    assert_eq!(status, 200, "[{engine}]");
    for expected in [
        "W01",
        "W03",
        "Theo ghi nhận đi bầu:",
        "Võ Thị Thu Hà; Tổ trưởng",
    ] {
        assert!(
            html.contains(expected),
            "[{engine}] {expected:?} not in {html}"
        );
    }

    // A draft can be printed already.
    if let Some(text) = minutes_text(app, &ward.first, area).await {
        assert!(text.contains("DỰ THẢO"), "[{engine}] {text}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn double_entry_mismatch_resolution_finalising_and_minutes() {
    on_each_engine(|app| async move {
        let ward = ward_with_check_ins(&app).await;
        let area = ward.area_id;
        let engine = app.engine;

        first_entry_with_warnings(&app, &ward).await;

        // The same person cannot make the second entry.
        let reply = ward.first.counting_save(&tally(area, 2)).await;
        assert_eq!(reply.status, 409, "[{engine}] {:?}", reply.body);
        assert_eq!(reply.error_code(), Some("CountingSameUser"));

        // The second person does not see the first entry before making their own.
        let page = view(&ward.second, area).await;
        assert_eq!(page["entries"][0]["tally"], Value::Null, "[{engine}]");

        // Finalising needs both entries.
        let reply = finalise(&ward.admin, area).await;
        assert_eq!(reply.error_code(), Some("CountingEntriesMissing"));

        // The second entry misreads two figures.
        let misread = TallyForm {
            ballots_valid: 6557,
            ballots_invalid: 65,
            candidates:
                "Trần Thị Ấu; 1968; 3000\nLê Văn Đức; 12/05/1975; 4001\nNguyễn Thị Ánh; 03/1980; 5000"
                    .into(),
            ..tally(area, 2)
        };
        let reply = ward.second.counting_save(&misread).await;
        assert_eq!(reply.status, 200, "[{engine}] {:?}", reply.body);
        assert_eq!(reply.body["state"], "EntriesDiffer");
        // Candidates in the official order: Nguyễn Thị Ánh, Trần Thị Ấu, Lê Văn Đức.
        assert_eq!(
            reply.body["differences"],
            json!([
                {"field": "BallotsValid", "first": "6556", "second": "6557"},
                {"field": "BallotsInvalid", "first": "66", "second": "65"},
                {"field": {"CandidateVotes": 2}, "first": "4000", "second": "4001"},
            ]),
            "[{engine}]"
        );
        let page = view(&ward.first, area).await;
        assert_eq!(page["state"], "EntriesDiffer");
        assert_eq!(page["differences"].as_array().map(Vec::len), Some(3));

        // Nobody takes over someone else's entry; finalising waits for agreement.
        let reply = ward.second.counting_save(&tally(area, 1)).await;
        assert_eq!(reply.error_code(), Some("CountingEntryTaken"));
        let reply = finalise(&ward.admin, area).await;
        assert_eq!(reply.status, 409, "[{engine}]");
        assert_eq!(reply.error_code(), Some("CountingEntriesDiffer"));

        // Re-entering from the paper resolves it.
        let reply = ward.second.counting_save(&tally(area, 2)).await;
        assert_eq!(reply.body["state"], "Agreed", "[{engine}] {:?}", reply.body);
        assert_eq!(reply.body["differences"], json!([]));

        // Station staff cannot finalise; the manager can.
        let reply = finalise(&ward.first, area).await;
        assert_eq!(reply.status, 403, "[{engine}]");
        let reply = finalise(&ward.admin, area).await;
        assert_eq!(reply.status, 200, "[{engine}] {:?}", reply.body);
        let page = view(&ward.second, area).await;
        assert_eq!(page["state"], "Finalised");
        entries_name_people(&app, &ward, area).await;

        // Locked.
        let reply = ward
            .first
            .counting_save(&TallyForm {
                seats: 3,
                ..tally(area, 1)
            })
            .await;
        assert_eq!(reply.status, 409, "[{engine}]");
        assert_eq!(reply.error_code(), Some("CountingFinalised"));
        let reply = finalise(&ward.admin, area).await;
        assert_eq!(reply.error_code(), Some("CountingFinalised"));

        // Every write is in the chain, and the chain holds.
        let actions: Vec<String> = sqlx::query_scalar(
            "select action from audit_log where action like 'counting.%' order by seq",
        )
        .fetch_all(app.db.pool())
        .await
        .expect("audit");
        assert_eq!(
            actions,
            vec![
                "counting.enter",
                "counting.enter",
                "counting.enter",
                "counting.finalise"
            ],
            "[{engine}]"
        );
        assert!(matches!(
            app::storage::audit::verify(app.db.pool())
                .await
                .expect("verify"),
            app::storage::audit::ChainVerdict::Intact { .. }
        ));

        // The minutes carry the names and figures exactly as the forms write them.
        if let Some(text) = minutes_text(&app, &ward.first, area).await {
            let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
            for expected in [
                "Mẫu số 18/HĐBC-QH",
                "BIÊN BẢN KẾT QUẢ KIỂM PHIẾU BẦU CỬ ĐẠI BIỂU QUỐC HỘI KHÓA XVI CỦA TỔ BẦU CỬ",
                "PHƯỜNG MỸ THỚI",
                "Khu vực bỏ phiếu số: 3 (Khóm Thới An)",
                "Ông/Bà Võ Thị Thu Hà, Tổ trưởng",
                "Phạm Thị Lụa, nơi ở hiện tại: Khóm Thới An, phường Mỹ Thới",
                "Tổng số cử tri của khu vực bỏ phiếu: 6.688 người",
                "Số cử tri đã tham gia bỏ phiếu: 6.622 người",
                "so với tổng số cử tri: 99,01%",
                "Số phiếu hợp lệ: 6.556 phiếu. Tỷ lệ so với tổng số phiếu thu vào: 99,00%",
                "Số phiếu không hợp lệ: 66 phiếu. Tỷ lệ so với tổng số phiếu thu vào: 1,00%",
                "Nguyễn Thị Ánh",
                "Trần Thị Ấu",
                "Lê Văn Đức",
                "5.000",
                "76,27%",
                "Đỗ Văn Tường",
                "Lê Quốc Bảo",
                "Mã dữ liệu",
                "Đúng 06 giờ 45 phút, ngày",
                "Đúng 17 giờ 10 phút, ngày",
            ] {
                assert!(flat.contains(expected), "[{engine}] {expected:?} not in:\n{text}");
            }
            assert!(!flat.contains("DỰ THẢO"), "[{engine}] still a draft");
            // Official order: Ánh, Ấu, Đức.
            let at = |name: &str| flat.find(name).expect(name);
            assert!(at("Nguyễn Thị Ánh") < at("Trần Thị Ấu"));
            assert!(at("Trần Thị Ấu") < at("Lê Văn Đức"));
        }
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tally_that_breaks_a_rule_is_not_finalised() {
    on_each_engine(|app| async move {
        let ward = ward_with_check_ins(&app).await;
        let area = ward.area_id;
        // Both read the same wrong figures: collected ≠ valid + invalid.
        let wrong = |slot| TallyForm {
            ballots_invalid: 60,
            ..tally(area, slot)
        };
        let reply = ward.first.counting_save(&wrong(1)).await;
        assert_eq!(
            reply.body["findings"][0]["rule"],
            "C01CollectedIsValidPlusInvalid"
        );
        assert_eq!(reply.body["findings"][0]["detail"], "6622 ≠ 6556 + 60");
        ward.second.counting_save(&wrong(2)).await;
        let reply = finalise(&ward.admin, area).await;
        assert_eq!(reply.status, 422, "[{}]", app.engine);
        assert_eq!(reply.error_code(), Some("CountingHasErrors"));
        // An unreadable candidate line is refused before anything is stored.
        let reply = ward
            .first
            .counting_save(&TallyForm {
                candidates: "Lê Văn Đức; 1975; nhiều".into(),
                ..tally(area, 1)
            })
            .await;
        assert_eq!(reply.error_code(), Some("CountingInputInvalid"));
    })
    .await;
}
