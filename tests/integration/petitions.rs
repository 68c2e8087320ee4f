//! Petitions across meetings over HTTP on each engine: near-duplicates from two meetings are
//! suggested and merged (keeping both source opinions), routed, answered with an outcome,
//! flagged overdue after the deadline, carried to the next round; the summary report (PDF and
//! XLSX) and a deputy's iCalendar feed.

use app::domain::ids::DeputyId;
use app::meetings::model::{MeetingInput, OpinionInput};
use app::petitions::model::AnswerInput;
use serde_json::Value;

use crate::meetings::organizer_with_registry;
use crate::support::{
    have_pdftotext, on_each_engine, pdf_text, Client, TestApp, ADMIN_PASSWORD, ADMIN_USER,
};

const ROAD_A: &str = "Đề nghị sửa chữa đường Trần Hưng Đạo bị xuống cấp";
const ROAD_B: &str =
    "Cử tri kiến nghị sớm sửa chữa tuyến đường Trần Hưng Đạo xuống cấp nghiêm trọng";
const LIGHT: &str = "Đề nghị lắp đèn chiếu sáng hẻm 5 khóm Thới Hòa";
/// The round of meetings before the second session of the XVI term.
const TERM: &str = "XVI";
const SESSION: i64 = 2;

/// A meeting of `deputy` on `date` 08:00–10:00 (kỳ họp thứ 2 khóa XVI, before) with `opinions`
/// as (field, level, content); returns its id.
async fn meeting_with_opinions(
    app: &TestApp,
    organizer: &Client,
    (title, date): (&str, &str),
    deputy: i64,
    opinions: &[(&str, &str, &str)],
) -> i64 {
    let meeting = MeetingInput {
        title: title.to_string(),
        term: TERM.to_string(),
        session_number: SESSION.to_string(),
        timing: "before".to_string(),
        kind: "regular".to_string(),
        format: "in_person".to_string(),
        date: date.to_string(),
        starts_at: "08:00".to_string(),
        ends_at: "10:00".to_string(),
        areas: title.to_string(),
        deputy_ids: vec![DeputyId::new(deputy)],
        ..MeetingInput::default()
    };
    let created = organizer.meetings_create(&meeting).await;
    assert_eq!(created.status, 200, "[{}] {:?}", app.engine, created.body);
    let id = created.body.as_i64().expect("meeting id");
    for (field, level, content) in opinions {
        let opinion = OpinionInput {
            speaker: "Huỳnh Thị Ngọc Hường".to_string(),
            address: "Tổ 5".to_string(),
            field: field.to_string(),
            content: content.to_string(),
            competent_level: level.to_string(),
            ..OpinionInput::default()
        };
        let added = organizer.meetings_opinions_add(id, &opinion).await;
        assert_eq!(added.status, 200, "[{}] {:?}", app.engine, added.body);
    }
    id
}

async fn round(organizer: &Client, timing: &str) -> Value {
    let reply = organizer.petitions_round(TERM, SESSION, timing).await;
    assert_eq!(reply.status, 200, "{:?}", reply.body);
    reply.body
}

fn petition<'a>(round: &'a Value, content: &str) -> &'a Value {
    round["petitions"]
        .as_array()
        .expect("petitions")
        .iter()
        .find(|p| p["content"] == content)
        .unwrap_or_else(|| panic!("{content:?} in {round}"))
}

/// Two meetings, three opinions, collected; returns the organizer and the first deputy.
async fn collected_round(app: &TestApp) -> (Client, i64) {
    let (organizer, [a, b], _) = organizer_with_registry(app).await;
    meeting_with_opinions(
        app,
        &organizer,
        ("Khóm Thới Hòa", "01/11/2026"),
        a,
        &[("giao_thong", "tinh", ROAD_A), ("moi_truong", "xa", LIGHT)],
    )
    .await;
    meeting_with_opinions(
        app,
        &organizer,
        ("Khóm Đông Thịnh", "02/11/2026"),
        b,
        &[("giao_thong", "tinh", ROAD_B)],
    )
    .await;
    let collected = organizer.petitions_collect(TERM, SESSION, "before").await;
    assert_eq!(
        collected.body.as_i64(),
        Some(3),
        "[{}] {:?}",
        app.engine,
        collected.body
    );
    let again = organizer.petitions_collect(TERM, SESSION, "before").await;
    assert_eq!(
        again.body.as_i64(),
        Some(0),
        "[{}] collecting twice adds nothing",
        app.engine
    );
    (organizer, a)
}

/// Road B merges into road A (once; never into itself), which then lists both sources and
/// their meetings.
async fn merge_road_petitions(app: &TestApp, organizer: &Client, road_a: i64, road_b: i64) {
    let merged = organizer.petitions_merge(road_a, road_b).await;
    assert_eq!(merged.status, 200, "[{}] {:?}", app.engine, merged.body);
    let again = organizer.petitions_merge(road_a, road_b).await;
    assert_eq!(
        again.error_code(),
        Some("PetitionNotOpen"),
        "[{}] merged once",
        app.engine
    );
    let itself = organizer.petitions_merge(road_a, road_a).await;
    assert_eq!(
        itself.error_code(),
        Some("PetitionMergeSelf"),
        "[{}]",
        app.engine
    );
    let after_merge = round(organizer, "before").await;
    assert_eq!(
        after_merge["petitions"]
            .as_array()
            .expect("petitions")
            .len(),
        2
    );
    assert!(after_merge["suggestions"]
        .as_array()
        .expect("petitions")
        .is_empty());
    let kept = petition(&after_merge, ROAD_A);
    let sources: Vec<&str> = kept["sources"]
        .as_array()
        .expect("petitions")
        .iter()
        .map(|s| s["content"].as_str().expect("petitions"))
        .collect();
    assert_eq!(
        sources,
        [ROAD_A, ROAD_B],
        "[{}] both source opinions",
        app.engine
    );
    let meetings: Vec<&str> = kept["sources"]
        .as_array()
        .expect("petitions")
        .iter()
        .map(|s| s["meeting_title"].as_str().expect("petitions"))
        .collect();
    assert_eq!(meetings, ["Khóm Thới Hòa", "Khóm Đông Thịnh"]);
}

/// Session dates in the wrong order or without a round are refused; a session long past
/// makes both open petitions overdue.
async fn set_session_dates_long_past(app: &TestApp, organizer: &Client) {
    let reversed = organizer
        .petitions_session_dates(TERM, SESSION, "10/12/2020", "01/12/2020")
        .await;
    assert_eq!(
        reversed.error_code(),
        Some("PetitionSessionDatesInvalid"),
        "[{}]",
        app.engine
    );
    let no_round = organizer
        .petitions_session_dates(" ", SESSION, "01/12/2020", "10/12/2020")
        .await;
    assert_eq!(
        no_round.error_code(),
        Some("PetitionRoundInvalid"),
        "[{}]",
        app.engine
    );

    // A session long past: both open petitions are overdue.
    let dates = organizer
        .petitions_session_dates(TERM, SESSION, "01/12/2020", "10/12/2020")
        .await;
    assert_eq!(dates.status, 200, "[{}] {:?}", app.engine, dates.body);
    let dated = round(organizer, "before").await;
    assert_eq!(
        dated["due"],
        serde_json::json!({"year": 2020, "month": 11, "day": 16})
    );
    assert_eq!(
        petition(&dated, ROAD_A)["overdue"],
        true,
        "[{}]",
        app.engine
    );
    assert_eq!(petition(&dated, LIGHT)["overdue"], true, "[{}]", app.engine);
}

/// Road A goes to the competent body, which must be named.
async fn route_road_petition(app: &TestApp, organizer: &Client, road_a: i64) {
    let nobody = organizer.petitions_route(road_a, "tinh", "").await;
    assert_eq!(
        nobody.error_code(),
        Some("PetitionBodyRequired"),
        "[{}]",
        app.engine
    );
    let routed = organizer
        .petitions_route(road_a, "tinh", "Sở Xây dựng tỉnh Vĩnh Long")
        .await;
    assert_eq!(routed.status, 200, "[{}] {:?}", app.engine, routed.body);
    let r = round(organizer, "before").await;
    assert_eq!(petition(&r, ROAD_A)["status"], "Routed");
    assert_eq!(
        petition(&r, ROAD_A)["competent_body"],
        "Sở Xây dựng tỉnh Vĩnh Long"
    );
}

/// Road A's answer: a roadmap answer needs its roadmap, every answer its signer; answered, it
/// is no longer overdue.
async fn answer_road_petition(app: &TestApp, organizer: &Client, road_a: i64) {
    let signed = |outcome: &str, content: &str| AnswerInput {
        outcome: outcome.to_string(),
        content: content.to_string(),
        document_number: "125/SXD-QLHT".to_string(),
        document_date: "20/12/2026".to_string(),
        signer: "Nguyễn Thành Đông, Giám đốc Sở".to_string(),
        ..AnswerInput::default()
    };
    let no_roadmap = organizer
        .petitions_answer(road_a, &signed("roadmap", "Sẽ sửa chữa"))
        .await;
    assert_eq!(
        no_roadmap.error_code(),
        Some("PetitionRoadmapRequired"),
        "[{}] roadmap needed",
        app.engine
    );
    let unsigned = AnswerInput {
        signer: " ".to_string(),
        ..signed("resolved", "Đã sửa chữa")
    };
    let unsigned = organizer.petitions_answer(road_a, &unsigned).await;
    assert_eq!(
        unsigned.error_code(),
        Some("PetitionAnswerIncomplete"),
        "[{}]",
        app.engine
    );
    let answered = AnswerInput {
        answering_body: "Sở Xây dựng".to_string(),
        ..signed(
            "resolved",
            "Đã thảm nhựa lại toàn tuyến trong tháng 12/2026",
        )
    };
    let answered = organizer.petitions_answer(road_a, &answered).await;
    assert_eq!(answered.status, 200, "[{}] {:?}", app.engine, answered.body);
    let r = round(organizer, "before").await;
    let road = petition(&r, ROAD_A);
    assert_eq!(road["status"], "Answered");
    assert_eq!(
        road["overdue"], false,
        "[{}] answered is not overdue",
        app.engine
    );
    assert_eq!(road["answers"][0]["outcome"], "Resolved");
    assert_eq!(road["answers"][0]["document_number"], "125/SXD-QLHT");
    assert_eq!(
        road["answers"][0]["signer"],
        "Nguyễn Thành Đông, Giám đốc Sở"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn duplicates_merge_and_answers_follow_the_lifecycle() {
    on_each_engine(|app| async move {
        let (organizer, _) = collected_round(&app).await;
        let before = round(&organizer, "before").await;
        let (road_a, road_b, light) = (
            petition(&before, ROAD_A)["id"].as_i64().unwrap(),
            petition(&before, ROAD_B)["id"].as_i64().unwrap(),
            petition(&before, LIGHT)["id"].as_i64().unwrap(),
        );
        let suggestions = before["suggestions"].as_array().expect("suggestions");
        assert_eq!(suggestions.len(), 1, "[{}] {suggestions:?}", app.engine);
        assert_eq!(
            (
                suggestions[0]["keep"].as_i64(),
                suggestions[0]["absorb"].as_i64()
            ),
            (Some(road_a), Some(road_b)),
            "[{}] the two road petitions of two meetings",
            app.engine
        );
        assert_eq!(
            before["due"],
            Value::Null,
            "[{}] no session dates yet",
            app.engine
        );

        merge_road_petitions(&app, &organizer, road_a, road_b).await;
        set_session_dates_long_past(&app, &organizer).await;
        route_road_petition(&app, &organizer, road_a).await;
        answer_road_petition(&app, &organizer, road_a).await;

        // The unanswered petition goes on to the meetings after the session.
        let carried = organizer.petitions_carry(TERM, SESSION, "before").await;
        assert_eq!(
            carried.body.as_i64(),
            Some(1),
            "[{}] {:?}",
            app.engine,
            carried.body
        );
        let next = round(&organizer, "after").await;
        let moved = petition(&next, LIGHT);
        assert_eq!(moved["carried_from_id"].as_i64(), Some(light));
        let left = round(&organizer, "before").await;
        assert_eq!(
            left["petitions"].as_array().unwrap().len(),
            1,
            "[{}]",
            app.engine
        );

        let actions: Vec<String> = sqlx::query_scalar(
            "select action from audit_log where action like 'petition.%' order by seq",
        )
        .fetch_all(app.db.pool())
        .await
        .expect("audit");
        assert_eq!(
            actions,
            [
                "petition.collect",
                "petition.merge",
                "petition.session_dates",
                "petition.route",
                "petition.answer",
                "petition.carry"
            ],
            "[{}] one audit record per change, none for refusals",
            app.engine
        );
        let verdict = app::storage::audit::verify(app.db.pool())
            .await
            .expect("verify");
        assert!(
            matches!(verdict, app::storage::audit::ChainVerdict::Intact { .. }),
            "[{}] {verdict:?}",
            app.engine
        );
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_summary_report_and_the_calendar_feed() {
    let have_pdftotext = have_pdftotext("summary PDF text check");
    on_each_engine(|app| async move {
        let (organizer, a) = collected_round(&app).await;
        let query = "term=XVI&session=2&timing=before";

        if have_pdftotext {
            let url = format!("{}/meetings/petitions/summary.pdf?{query}", app.base_url);
            let response = organizer.http.get(&url).send().await.expect("pdf");
            assert_eq!(response.status().as_u16(), 200, "[{}] summary PDF", app.engine);
            let text = pdf_text(&response.bytes().await.expect("bytes"), &[]);
            let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
            for expected in [
                "BÁO CÁO",
                "TỔNG HỢP Ý KIẾN, KIẾN NGHỊ CỦA CỬ TRI",
                "TRƯỚC KỲ HỌP THỨ 2, KHÓA XVI",
                "Tổng số: 3 kiến nghị, tổng hợp từ 3 ý kiến của cử tri",
                "Giao thông: 2 kiến nghị (cấp xã 0, cấp tỉnh 2, cấp trung ương 0)",
                "Môi trường: 1 kiến nghị (cấp xã 1, cấp tỉnh 0, cấp trung ương 0)",
                ROAD_A,
                ROAD_B,
                LIGHT,
                "Mã dữ liệu",
            ] {
                assert!(flat.contains(expected), "[{}] {expected:?} in:\n{text}", app.engine);
            }
        }

        let url = format!("{}/meetings/petitions/summary.xlsx?{query}", app.base_url);
        let response = organizer.http.get(&url).send().await.expect("xlsx");
        assert_eq!(response.status().as_u16(), 200, "[{}] summary XLSX", app.engine);
        let bytes = response.bytes().await.expect("bytes");
        let table = app::import::xlsx::read_xlsx(&bytes, None, None).expect("reads back");
        let contents: Vec<&str> = table.rows[3..].iter().map(|r| r[3].as_str()).collect();
        assert_eq!(contents, [ROAD_A, ROAD_B, LIGHT], "[{}] field order", app.engine);

        let anonymous = app.client().http.get(&url).send().await.expect("xlsx");
        assert_eq!(anonymous.status().as_u16(), 303, "[{}] sent to log in", app.engine);

        let (status, headers, body) = organizer.get(&format!("/meetings/deputies/{a}.ics")).await;
        assert_eq!(status, 200, "[{}] {body}", app.engine);
        assert_eq!(
            headers["content-type"].to_str().ok(),
            Some("text/calendar; charset=utf-8")
        );
        assert!(body.ends_with("END:VCALENDAR\r\n"), "[{}] {body:?}", app.engine);
        let lines: Vec<&str> = body.trim_end_matches("\r\n").split("\r\n").collect();
        assert!(
            lines.iter().all(|l| l.len() <= 75 && !l.contains('\n')),
            "[{}] CRLF lines of at most 75 octets: {lines:?}",
            app.engine
        );
        // Unfold (CRLF + space) to read whole properties.
        let unfolded = body.replace("\r\n ", "");
        for expected in [
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "BEGIN:VEVENT",
            "DTSTART:20261101T010000Z",
            "DTEND:20261101T030000Z",
            "SUMMARY:Tiếp xúc cử tri: Khóm Thới Hòa",
            "DESCRIPTION:Hội nghị tiếp xúc cử tri của đại biểu Quốc hội khóa XVI trước kỳ họp thứ 2\\nCử tri được mời: Khóm Thới Hòa",
        ] {
            assert!(
                unfolded.split("\r\n").any(|l| l == expected || (expected.starts_with("DESCRIPTION") && l.starts_with(expected))),
                "[{}] {expected:?} in {unfolded}",
                app.engine
            );
        }
        assert_eq!(unfolded.matches("BEGIN:VEVENT").count(), 1, "[{}] only deputy A's meeting", app.engine);
        assert!(unfolded.contains("UID:meeting-"));
        // The page renders on the server with the round's petitions and the suggested merge.
        let (status, _, html) = organizer
            .get(&format!("/meetings/petitions?{}", query.replace("session_number", "session")))
            .await;
        assert_eq!(status, 200, "[{}]", app.engine);
        for expected in ["Tổng hợp ý kiến, kiến nghị cử tri", ROAD_A, LIGHT, "Gộp", "Khóm Đông Thịnh"] {
            assert!(html.contains(expected), "[{}] {expected:?} on the page", app.engine);
        }
        let admin = app.client();
        admin.auth_login(ADMIN_USER, ADMIN_PASSWORD).await;
        let station = app.user_with_role(&admin, "tobaucu1", "station").await;
        assert_eq!(station.get("/meetings/petitions").await.0, 403, "[{}]", app.engine);
        assert_eq!(station.get(&format!("/meetings/deputies/{a}.ics")).await.0, 403);

        let unknown = organizer.get("/meetings/deputies/999999.ics").await;
        assert_eq!(unknown.0, 404, "[{}]", app.engine);
    })
    .await;
}
