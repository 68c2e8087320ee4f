//! Deputy–voter meetings over HTTP on each engine: conflict-free scheduling under concurrent
//! bookings, venue conflicts, touching meetings, the finalised record being locked and audited,
//! and the minutes PDF carrying the Vietnamese text as entered.

use app::domain::ids::DeputyId;
use app::domain::meeting_record::MeetingFilter;
use app::meetings::model::{
    AttendanceInput, AttendeeInput, DeputyInput, MeetingInput, OpinionInput, VenueInput,
};
use serde_json::Value;

use crate::support::{have_pdftotext, on_each_engine, pdf_text, Client, TestApp};

const DEPUTY_A: &str = "Nguyễn Văn Ánh";
const DEPUTY_B: &str = "Trần Thị Hồng Nhung";
const VENUE: &str = "Nhà văn hóa khóm Thới Hòa";

/// An organizer with two deputies and one venue; returns (organizer, [deputy ids], venue id).
pub(crate) async fn organizer_with_registry(app: &TestApp) -> (Client, [i64; 2], i64) {
    let admin = app.admin().await;
    organizer_of(app, &admin).await
}

/// An organizer created by `admin`, with two deputies and a venue.
pub(crate) async fn organizer_of(app: &TestApp, admin: &Client) -> (Client, [i64; 2], i64) {
    let organizer = app.user_with_role(admin, "mttq1", "organizer").await;
    let mut deputies = [0; 2];
    for (slot, (name, level)) in [(DEPUTY_A, "dbqh"), (DEPUTY_B, "hdnd_tinh")]
        .into_iter()
        .enumerate()
    {
        let deputy = DeputyInput {
            full_name: name.to_string(),
            level: level.to_string(),
            position: "Phó Trưởng Đoàn ĐBQH tỉnh".to_string(),
            constituency: "Đơn vị bầu cử số 2".to_string(),
            ..DeputyInput::default()
        };
        let reply = organizer.meetings_deputies_save(0, &deputy).await;
        assert_eq!(
            reply.status, 200,
            "[{}] deputy: {:?}",
            app.engine, reply.body
        );
        deputies[slot] = reply.body.as_i64().expect("deputy id");
    }
    let venue = VenueInput {
        name: VENUE.to_string(),
        address: "Số 12 đường Trần Hưng Đạo".to_string(),
        capacity: "120".to_string(),
    };
    let venue = organizer.meetings_venues_save(0, &venue).await;
    assert_eq!(
        venue.status, 200,
        "[{}] venue: {:?}",
        app.engine, venue.body
    );
    (organizer, deputies, venue.body.as_i64().expect("venue id"))
}

/// The plan of a meeting on 05/12/2026 from `start` to `end`.
fn meeting_plan(
    title: &str,
    (start, end): (&str, &str),
    deputies: &[i64],
    venue: Option<i64>,
) -> MeetingInput {
    MeetingInput {
        title: title.to_string(),
        term: "XVI".to_string(),
        session_number: "2".to_string(),
        timing: "before".to_string(),
        kind: "regular".to_string(),
        format: "in_person".to_string(),
        date: "05/12/2026".to_string(),
        starts_at: start.to_string(),
        ends_at: end.to_string(),
        venue_id: venue.map(|v| v.to_string()).unwrap_or_default(),
        areas: "Khóm Thới Hòa, khóm Đông Thịnh".to_string(),
        chair: "Lê Thị Mỹ Dung, Chủ tịch Ủy ban MTTQ phường".to_string(),
        secretary: "Phạm Quốc Việt".to_string(),
        invited_count: "150".to_string(),
        deputy_ids: deputies.iter().copied().map(DeputyId::new).collect(),
        ..MeetingInput::default()
    }
}

/// Schedules a meeting on 05/12/2026 from `start` to `end`.
async fn schedule(
    client: &Client,
    title: &str,
    times: (&str, &str),
    deputies: &[i64],
    venue: Option<i64>,
) -> crate::support::Reply {
    client
        .meetings_create(&meeting_plan(title, times, deputies, venue))
        .await
}

/// What was done at a meeting: only the number present.
fn present(count: &str) -> AttendanceInput {
    AttendanceInput {
        present_count: count.to_string(),
        ..AttendanceInput::default()
    }
}

fn clash_of(body: &Value) -> (&str, &str) {
    let clash = &body["detail"]["Clash"];
    (
        clash["with"].as_str().unwrap_or_default(),
        clash["meeting"].as_str().unwrap_or_default(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_bookings_of_one_deputy_let_exactly_one_through() {
    on_each_engine(|app| async move {
        let (organizer, [a, _], _) = organizer_with_registry(&app).await;
        // Eight requests at once, each 08:00–10:00 shifted by i×5 minutes: every pair overlaps.
        let mut tasks = Vec::new();
        for i in 0..8 {
            let client = Client {
                base_url: organizer.base_url.clone(),
                http: organizer.http.clone(),
            };
            tasks.push(tokio::spawn(async move {
                let start = format!("08:{:02}", i * 5);
                let end = format!("10:{:02}", i * 5);
                let title = format!("Khóm {i}");
                let reply = schedule(&client, &title, (&start, &end), &[a], None).await;
                (title, reply)
            }));
        }
        let mut won = Vec::new();
        let mut refused = Vec::new();
        for task in tasks {
            let (title, reply) = task.await.expect("task");
            match reply.status {
                200 => won.push(title),
                409 => refused.push(reply),
                other => panic!("[{}] unexpected {other}: {:?}", app.engine, reply.body),
            }
        }
        assert_eq!(
            won.len(),
            1,
            "[{}] exactly one booking succeeds",
            app.engine
        );
        assert_eq!(refused.len(), 7, "[{}]", app.engine);
        for reply in &refused {
            assert_eq!(
                reply.error_code(),
                Some("MeetingDeputyBusy"),
                "[{}]",
                app.engine
            );
            let (with, meeting) = clash_of(&reply.body);
            assert_eq!(
                with, DEPUTY_A,
                "[{}] the refusal names the deputy",
                app.engine
            );
            assert_eq!(meeting, won[0], "[{}] and the meeting that won", app.engine);
        }
        let stored: i64 = sqlx::query_scalar("select count(*) from meeting_deputies")
            .fetch_one(app.db.pool())
            .await
            .expect("count");
        assert_eq!(stored, 1, "[{}] one booking stored", app.engine);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn venue_conflicts_are_refused_and_touching_meetings_are_not() {
    on_each_engine(|app| async move {
        let (organizer, [a, b], venue) = organizer_with_registry(&app).await;
        let first = schedule(
            &organizer,
            "Khóm Thới Hòa",
            ("08:00", "10:00"),
            &[a],
            Some(venue),
        )
        .await;
        assert_eq!(first.status, 200, "[{}] {:?}", app.engine, first.body);

        // Another deputy, same venue, overlapping: the venue is taken.
        let venue_taken = schedule(
            &organizer,
            "Khóm Đông Thịnh",
            ("09:30", "11:00"),
            &[b],
            Some(venue),
        )
        .await;
        assert_eq!(
            venue_taken.status, 409,
            "[{}] {:?}",
            app.engine, venue_taken.body
        );
        assert_eq!(venue_taken.error_code(), Some("MeetingVenueBusy"));
        assert_eq!(clash_of(&venue_taken.body), (VENUE, "Khóm Thới Hòa"));

        // Back to back at the same venue with the same deputy: 10:00 is free again.
        let touching = schedule(&organizer, "Khóm 3", ("10:00", "11:30"), &[a], Some(venue)).await;
        assert_eq!(touching.status, 200, "[{}] {:?}", app.engine, touching.body);
        let before = schedule(
            &organizer,
            "Khóm 4",
            ("07:00", "08:00"),
            &[a, b],
            Some(venue),
        )
        .await;
        assert_eq!(before.status, 200, "[{}] {:?}", app.engine, before.body);

        // One of two deputies busy is enough to refuse.
        let busy = schedule(&organizer, "Khóm 5", ("11:00", "12:00"), &[b, a], None).await;
        assert_eq!(
            busy.error_code(),
            Some("MeetingDeputyBusy"),
            "[{}]",
            app.engine
        );
        assert_eq!(clash_of(&busy.body), (DEPUTY_A, "Khóm 3"));

        // Bad input is refused with its own codes.
        let reversed = schedule(&organizer, "Khóm 6", ("12:00", "11:00"), &[b], None).await;
        assert_eq!(reversed.error_code(), Some("MeetingTimeInvalid"));
        let nobody = schedule(&organizer, "Khóm 6", ("13:00", "14:00"), &[], None).await;
        assert_eq!(nobody.error_code(), Some("MeetingNeedsDeputy"));

        // The list filters by deputy and by area, without diacritics.
        let listed = organizer
            .meetings_list(&MeetingFilter {
                deputy_id: Some(DeputyId::new(b)),
                area: "dong thinh".to_string(),
                ..MeetingFilter::default()
            })
            .await;
        let titles: Vec<&str> = listed
            .body
            .as_array()
            .expect("list")
            .iter()
            .filter_map(|m| m["title"].as_str())
            .collect();
        assert_eq!(titles, ["Khóm 4"], "[{}] {:?}", app.engine, listed.body);
    })
    .await;
}

/// Records attendance, one opinion with the given content and one answer; returns the meeting id.
pub(crate) async fn held_meeting(
    app: &TestApp,
    organizer: &Client,
    deputy: i64,
    venue: i64,
) -> i64 {
    let created = schedule(
        organizer,
        "Khóm Thới Hòa",
        ("08:00", "10:00"),
        &[deputy],
        Some(venue),
    )
    .await;
    let id = created.body.as_i64().expect("meeting id");
    let early = organizer.meetings_finalise(id).await;
    assert_eq!(
        early.error_code(),
        Some("MeetingNotHeld"),
        "[{}]",
        app.engine
    );
    let attendance = AttendanceInput {
        present_count: "132".to_string(),
        other_attendees: "Đại diện UBND phường, Công an phường".to_string(),
        content_reported: CONTENT_REPORTED.to_string(),
        ended_at: "10:15".to_string(),
    };
    let attendance = organizer.meetings_attendance(id, &attendance).await;
    assert_eq!(
        attendance.status, 200,
        "[{}] {:?}",
        app.engine, attendance.body
    );
    let opinion = OpinionInput {
        speaker: "Huỳnh Thị Ngọc Hường".to_string(),
        address: "Tổ 5, khóm Thới Hòa".to_string(),
        field: "giao_thong".to_string(),
        content: OPINION.to_string(),
        competent_level: "tinh".to_string(),
        ..OpinionInput::default()
    };
    let opinion = organizer.meetings_opinions_add(id, &opinion).await;
    assert_eq!(
        opinion.body.as_i64(),
        Some(1),
        "[{}] item 1: {:?}",
        app.engine,
        opinion.body
    );
    let opinion_id: i64 = sqlx::query_scalar("select id from opinions where number = 1")
        .fetch_one(app.db.pool())
        .await
        .expect("opinion id");
    let answer = organizer
        .meetings_answers_add(opinion_id, DEPUTY_A, ANSWER)
        .await;
    assert_eq!(answer.status, 200, "[{}] {:?}", app.engine, answer.body);
    id
}

const CONTENT_REPORTED: &str =
    "Đại biểu Nguyễn Văn Ánh thông báo dự kiến chương trình kỳ họp thứ hai.";
const OPINION: &str =
    "Đề nghị sửa chữa đoạn đường Trần Hưng Đạo bị sụt lún, gây nguy hiểm cho người đi xe máy ở khu vực chợ Mỹ Thới.";
const ANSWER: &str =
    "Tiếp thu, chuyển Sở Xây dựng tỉnh xem xét, trả lời cử tri trước ngày 31/12/2026.";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn finalised_minutes_are_locked_and_every_change_is_audited() {
    on_each_engine(|app| async move {
        let (organizer, [a, _], venue) = organizer_with_registry(&app).await;
        let id = held_meeting(&app, &organizer, a, venue).await;
        let done = organizer.meetings_finalise(id).await;
        assert_eq!(done.status, 200, "[{}] {:?}", app.engine, done.body);

        let again = organizer.meetings_finalise(id).await;
        assert_eq!(again.error_code(), Some("MeetingFinalised"));
        let late_opinion = OpinionInput {
            speaker: "X".to_string(),
            field: "khac".to_string(),
            content: "Y".to_string(),
            competent_level: "xa".to_string(),
            ..OpinionInput::default()
        };
        let late_opinion = organizer.meetings_opinions_add(id, &late_opinion).await;
        assert_eq!(late_opinion.status, 409, "[{}]", app.engine);
        assert_eq!(late_opinion.error_code(), Some("MeetingFinalised"));
        let late_attendance = organizer.meetings_attendance(id, &present("1")).await;
        assert_eq!(late_attendance.error_code(), Some("MeetingFinalised"));
        let opinion_id: i64 = sqlx::query_scalar("select id from opinions where number = 1")
            .fetch_one(app.db.pool())
            .await
            .expect("opinion id");
        let late_answer = organizer.meetings_answers_add(opinion_id, "X", "Y").await;
        assert_eq!(late_answer.error_code(), Some("MeetingFinalised"));

        let detail = organizer.meetings_get(id).await;
        assert_eq!(
            detail.body["meeting"]["status"], "Finalised",
            "[{}]",
            app.engine
        );
        assert_eq!(detail.body["meeting"]["present_count"], 132);
        assert_eq!(detail.body["opinions"][0]["content"], OPINION);
        assert_eq!(detail.body["answers"][0]["content"], ANSWER);

        let actions: Vec<String> = sqlx::query_scalar(
            "select action from audit_log where action like 'meeting.%' or action like 'deputy.%' \
             or action like 'venue.%' order by seq",
        )
        .fetch_all(app.db.pool())
        .await
        .expect("audit");
        assert_eq!(
            actions,
            [
                "deputy.create",
                "deputy.create",
                "venue.create",
                "meeting.create",
                "meeting.attendance",
                "meeting.opinion.add",
                "meeting.answer.add",
                "meeting.finalise"
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
async fn the_minutes_pdf_carries_the_vietnamese_as_entered() {
    if !have_pdftotext("minutes PDF text check") {
        return;
    }
    on_each_engine(|app| async move {
        let (organizer, [a, _], venue) = organizer_with_registry(&app).await;
        let id = held_meeting(&app, &organizer, a, venue).await;
        let url = format!("{}/meetings/{id}/minutes.pdf", app.base_url);
        let draft = organizer.http.get(&url).send().await.expect("pdf");
        assert_eq!(draft.status().as_u16(), 200, "[{}] minutes PDF", app.engine);
        let draft_text = pdf_text(&draft.bytes().await.expect("bytes"), &[]);
        assert!(
            draft_text.contains("DỰ THẢO"),
            "[{}] unfinalised minutes say so",
            app.engine
        );

        organizer.meetings_finalise(id).await;
        let response = organizer.http.get(&url).send().await.expect("pdf");
        assert_eq!(
            response.headers()["content-type"].to_str().ok(),
            Some("application/pdf")
        );
        let text = pdf_text(&response.bytes().await.expect("bytes"), &[]);
        // pdftotext breaks lines where the PDF does; compare with whitespace collapsed.
        let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
        for expected in [
            "BIÊN BẢN",
            "HỘI NGHỊ TIẾP XÚC CỬ TRI",
            "TRƯỚC KỲ HỌP THỨ 2, QUỐC HỘI KHÓA XVI",
            "Hồi 08 giờ 00 phút, ngày 05 tháng 12 năm 2026",
            VENUE,
            DEPUTY_A,
            "số được mời 150 người; số có mặt 132 người",
            CONTENT_REPORTED,
            "Huỳnh Thị Ngọc Hường (Tổ 5, khóm Thới Hòa)",
            "Lĩnh vực: Giao thông. Cấp có thẩm quyền: Tỉnh.",
            OPINION,
            ANSWER,
            "Hội nghị kết thúc vào hồi 10 giờ 15 phút cùng ngày.",
            "THƯ KÝ",
            "CHỦ TRÌ HỘI NGHỊ",
            "Mã dữ liệu",
        ] {
            assert!(
                flat.contains(expected),
                "[{}] {expected:?} in:\n{text}",
                app.engine
            );
        }
        assert!(
            !flat.contains("DỰ THẢO"),
            "[{}] finalised minutes are not a draft",
            app.engine
        );

        let anonymous = app.client().http.get(&url).send().await.expect("pdf");
        assert_eq!(
            anonymous.status().as_u16(),
            303,
            "[{}] sent to log in",
            app.engine
        );
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_invitation_pdf_names_the_meeting_in_vietnamese() {
    if !have_pdftotext("invitation PDF text check") {
        return;
    }
    on_each_engine(|app| async move {
        sqlx::query(
            "insert into ward (id, name, province, updated_at_ms) values (1, 'Phường Mỹ Thới', 'An Giang', 0)",
        )
        .execute(app.db.pool())
        .await
        .expect("ward");
        let (organizer, [a, b], venue) = organizer_with_registry(&app).await;
        let created = schedule(
            &organizer,
            "Khóm Thới Hòa",
            ("14:00", "16:30"),
            &[a, b],
            Some(venue),
        )
        .await;
        let id = created.body.as_i64().expect("meeting id");
        let url = format!("{}/meetings/{id}/invitation.pdf", app.base_url);
        let response = organizer.http.get(&url).send().await.expect("pdf");
        assert_eq!(response.status().as_u16(), 200, "[{}] invitation", app.engine);
        assert_eq!(
            response.headers()["content-type"].to_str().ok(),
            Some("application/pdf")
        );
        let text = pdf_text(&response.bytes().await.expect("bytes"), &[]);
        let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
        for expected in [
            "ỦY BAN MTTQ VIỆT NAM",
            "PHƯỜNG MỸ THỚI",
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Độc lập - Tự do - Hạnh phúc",
            "Số: ……/GM-MTTQ",
            "GIẤY MỜI",
            "Dự hội nghị tiếp xúc cử tri của đại biểu Quốc hội khóa XVI và đại biểu HĐND tỉnh An Giang nhiệm kỳ 2026–2031 trước kỳ họp thứ 2",
            "Trân trọng kính mời: cử tri Khóm Thới Hòa, khóm Đông Thịnh.",
            "Nguyễn Văn Ánh, đại biểu Quốc hội, Phó Trưởng Đoàn ĐBQH tỉnh;",
            "Trần Thị Hồng Nhung, đại biểu HĐND tỉnh An Giang",
            "Thời gian: từ 14 giờ 00 phút đến 16 giờ 30 phút, thứ Bảy, ngày 05 tháng 12 năm 2026.",
            "Địa điểm: Nhà văn hóa khóm Thới Hòa, Số 12 đường Trần Hưng Đạo.",
            "Hình thức: trực tiếp.",
            "Đại biểu thông báo dự kiến nội dung, chương trình kỳ họp thứ 2;",
            "TM. BAN THƯỜNG TRỰC",
            "CHỦ TỊCH ỦY BAN MTTQ PHƯỜNG",
            "Lê Thị Mỹ Dung",
            "Nơi nhận:",
            "- Lưu: VT.",
            "Mã dữ liệu",
        ] {
            assert!(
                flat.contains(expected),
                "[{}] {expected:?} in:\n{text}",
                app.engine
            );
        }

        let missing = organizer
            .http
            .get(format!("{}/meetings/999999/invitation.pdf", app.base_url))
            .send()
            .await
            .expect("pdf");
        assert_eq!(missing.status().as_u16(), 404, "[{}]", app.engine);
        let anonymous = app.client().http.get(&url).send().await.expect("pdf");
        assert_eq!(anonymous.status().as_u16(), 303, "[{}] sent to log in", app.engine);
    })
    .await;
}

/// Schedules a meeting on 05/12/2026 from `start` to `end`, or with `meeting_id` set, changes
/// that meeting's plan to it.
async fn plan(
    client: &Client,
    meeting_id: Option<i64>,
    title: &str,
    (start, end): (&str, &str),
    deputies: &[i64],
    venue: Option<i64>,
) -> crate::support::Reply {
    let Some(id) = meeting_id else {
        return schedule(client, title, (start, end), deputies, venue).await;
    };
    let changed = MeetingInput {
        session_number: "3".to_string(),
        timing: "after".to_string(),
        kind: "thematic".to_string(),
        format: "hybrid".to_string(),
        areas: "Khóm Đông Thịnh 8".to_string(),
        chair: "Lê Thị Mỹ Dung".to_string(),
        secretary: String::new(),
        invited_count: "90".to_string(),
        ..meeting_plan(title, (start, end), deputies, venue)
    };
    client.meetings_update(id, &changed).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn editing_a_plan_is_checked_like_scheduling_and_cancelling_frees_the_slot() {
    on_each_engine(|app| async move {
        let (organizer, [a, b], venue) = organizer_with_registry(&app).await;
        let first = schedule(&organizer, "Khóm Thới Hòa", ("08:00", "10:00"), &[a], Some(venue)).await;
        let first = first.body.as_i64().expect("first id");
        let second = schedule(&organizer, "Khóm Đông Thịnh", ("13:00", "15:00"), &[b], None).await;
        let second = second.body.as_i64().expect("second id");

        // Moving a meeting within its own old slot does not clash with itself.
        let moved = plan(&organizer, Some(first), "Khóm Thới Hòa", ("08:30", "10:30"), &[a], Some(venue)).await;
        assert_eq!(moved.status, 200, "[{}] {:?}", app.engine, moved.body);

        // Editing into another meeting's deputy or venue slot is refused, naming it.
        let busy = plan(&organizer, Some(second), "Khóm Đông Thịnh", ("09:00", "11:00"), &[a, b], None).await;
        assert_eq!(busy.status, 409, "[{}] {:?}", app.engine, busy.body);
        assert_eq!(busy.error_code(), Some("MeetingDeputyBusy"));
        assert_eq!(clash_of(&busy.body), (DEPUTY_A, "Khóm Thới Hòa"));
        let venue_busy = plan(&organizer, Some(second), "Khóm Đông Thịnh", ("10:00", "11:00"), &[b], Some(venue)).await;
        assert_eq!(venue_busy.error_code(), Some("MeetingVenueBusy"), "[{}]", app.engine);
        assert_eq!(clash_of(&venue_busy.body), (VENUE, "Khóm Thới Hòa"));

        // A refused edit changed nothing; an accepted one changed every field.
        let detail = organizer.meetings_get(second).await;
        assert_eq!(detail.body["meeting"]["areas"], "Khóm Thới Hòa, khóm Đông Thịnh", "[{}]", app.engine);
        let detail = organizer.meetings_get(first).await;
        let m = &detail.body["meeting"];
        assert_eq!(
            (m["session_number"].as_i64(), m["timing"].as_str(), m["kind"].as_str(), m["format"].as_str(), m["areas"].as_str(), m["invited_count"].as_i64()),
            (Some(3), Some("After"), Some("Thematic"), Some("Hybrid"), Some("Khóm Đông Thịnh 8"), Some(90)),
            "[{}] {m}",
            app.engine
        );

        // Cancelling needs a reason, is kept and shown, and frees the deputy and the venue.
        let id = first;
        let no_reason = organizer.meetings_cancel(id, "  ").await;
        assert_eq!(no_reason.error_code(), Some("ReasonRequired"), "[{}]", app.engine);
        let cancelled = organizer
            .meetings_cancel(id, "Mưa bão, hoãn sang tuần sau")
            .await;
        assert_eq!(cancelled.status, 200, "[{}] {:?}", app.engine, cancelled.body);
        let detail = organizer.meetings_get(id).await;
        assert_eq!(detail.body["meeting"]["cancellation"]["reason"], "Mưa bão, hoãn sang tuần sau");
        assert_eq!(detail.body["meeting"]["cancellation"]["by"], "mttq1");
        let invitation = organizer
            .http
            .get(format!("{}/meetings/{id}/invitation.pdf", app.base_url))
            .send()
            .await
            .expect("pdf");
        assert_eq!(invitation.status().as_u16(), 409, "[{}] no invitation to a cancelled meeting", app.engine);
        let taken_over = schedule(&organizer, "Khóm 3", ("08:00", "10:00"), &[a], Some(venue)).await;
        assert_eq!(taken_over.status, 200, "[{}] the slot is free: {:?}", app.engine, taken_over.body);

        // A cancelled meeting no longer changes, and a held one cannot be cancelled.
        let again = organizer.meetings_cancel(id, "x").await;
        assert_eq!(again.error_code(), Some("MeetingCancelled"), "[{}]", app.engine);
        let edit_cancelled = plan(&organizer, Some(first), "Khóm Thới Hòa", ("16:00", "17:00"), &[a], None).await;
        assert_eq!(edit_cancelled.error_code(), Some("MeetingCancelled"), "[{}]", app.engine);
        let attendance = organizer.meetings_attendance(id, &present("5")).await;
        assert_eq!(attendance.error_code(), Some("MeetingCancelled"), "[{}]", app.engine);
        let held = organizer.meetings_attendance(second, &present("40")).await;
        assert_eq!(held.status, 200, "[{}] {:?}", app.engine, held.body);
        let cancel_held = organizer.meetings_cancel(second, "x").await;
        assert_eq!(cancel_held.error_code(), Some("MeetingAlreadyHeld"), "[{}]", app.engine);

        let listed = organizer.meetings_list(&MeetingFilter::default()).await;
        let cancelled_titles: Vec<&str> = listed.body.as_array().expect("list").iter()
            .filter(|m| !m["cancellation"].is_null())
            .filter_map(|m| m["title"].as_str())
            .collect();
        assert_eq!(cancelled_titles, ["Khóm Thới Hòa"], "[{}] kept in the list", app.engine);

        // The pages, server-rendered: the edit form filled in, the cancelled meeting marked.
        let (status, _, edit_page) = organizer.get(&format!("/meetings/{second}/edit")).await;
        assert_eq!(status, 200, "[{}]", app.engine);
        assert!(edit_page.contains(r#"value="Khóm Thới Hòa, khóm Đông Thịnh""#), "[{}] areas filled in", app.engine);
        assert!(edit_page.contains(r#"value="13:00""#), "[{}] start filled in", app.engine);
        let (_, _, cancelled_page) = organizer.get(&format!("/meetings/{first}")).await;
        assert!(cancelled_page.contains("meeting-cancelled") && cancelled_page.contains("Mưa bão, hoãn sang tuần sau"), "[{}]", app.engine);
        assert!(!cancelled_page.contains("cancel-form") && !cancelled_page.contains("invitation-pdf"), "[{}] nothing to do on a cancelled meeting", app.engine);
        let (_, _, held_page) = organizer.get(&format!("/meetings/{second}")).await;
        assert!(held_page.contains("edit-meeting") && !held_page.contains("cancel-form"), "[{}] a held meeting is edited, not cancelled", app.engine);

        let actions: Vec<String> = sqlx::query_scalar(
            "select action from audit_log where action in ('meeting.update', 'meeting.cancel') order by seq",
        )
        .fetch_all(app.db.pool())
        .await
        .expect("audit");
        assert_eq!(actions, ["meeting.update", "meeting.cancel"], "[{}] refusals are not audited", app.engine);
        let (before, after): (String, String) = sqlx::query_as(
            "select before_summary, after_summary from audit_log where action = 'meeting.update'",
        )
        .fetch_one(app.db.pool())
        .await
        .expect("update audit");
        assert!(before.contains("\"session_number\":2") && after.contains("\"session_number\":3"), "[{}] {before} → {after}", app.engine);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_month_view_lists_each_days_meetings_monday_first() {
    on_each_engine(|app| async move {
        let (organizer, [a, b], venue) = organizer_with_registry(&app).await;
        let first = schedule(
            &organizer,
            "Khóm Thới Hòa",
            ("08:00", "10:00"),
            &[a],
            Some(venue),
        )
        .await;
        assert_eq!(first.status, 200, "[{}] {:?}", app.engine, first.body);
        let second = schedule(
            &organizer,
            "Khóm Đông Thịnh",
            ("14:00", "16:00"),
            &[b],
            None,
        )
        .await;
        let second = second.body.as_i64().expect("id");

        let (status, _, page) = organizer.get("/meetings?view=month&month=2026-12-01").await;
        assert_eq!(status, 200, "[{}]", app.engine);
        assert!(
            page.contains(r#"id="month-view""#),
            "[{}] the grid is rendered",
            app.engine
        );
        // Monday first: the heading row starts with Thứ Hai and ends with Chủ nhật.
        let head =
            &page[page.find("<thead>").expect("thead")..page.find("</thead>").expect("thead end")];
        assert!(
            head.find("Thứ Hai") < head.find("Thứ Ba")
                && head.find("Thứ Bảy") < head.find("Chủ nhật"),
            "[{}] {head}",
            app.engine
        );
        // 01/12/2026 is a Tuesday, so the grid opens on Monday 30/11 and closes on Sunday 03/01.
        let cells: Vec<&str> = page
            .match_indices("data-date=\"")
            .map(|(i, _)| &page[i + 11..i + 21])
            .collect();
        assert_eq!(cells.first(), Some(&"2026-11-30"), "[{}]", app.engine);
        assert_eq!(cells.last(), Some(&"2027-01-03"), "[{}]", app.engine);
        assert_eq!(cells.len(), 35, "[{}] five weeks", app.engine);
        // The meetings sit in Saturday 05/12 with time, name and venue, linked.
        let day = &page[page.find(r#"data-date="2026-12-05""#).expect("05/12")..];
        let day = &day[..day.find("</td>").expect("cell end")];
        for expected in [
            "08:00–10:00",
            "Khóm Thới Hòa",
            VENUE,
            "14:00–16:00",
            "Khóm Đông Thịnh",
            &format!("/meetings/{second}"),
        ] {
            assert!(
                day.contains(expected),
                "[{}] {expected:?} in {day}",
                app.engine
            );
        }
        assert!(page.contains("Tháng 12/2026"), "[{}]", app.engine);
        assert!(
            page.contains("/meetings?view=month&amp;month=2026-11-01")
                || page.contains("/meetings?view=month&month=2026-11-01"),
            "[{}] previous month",
            app.engine
        );

        // Filters apply, and the previous/next links keep them.
        let (_, _, filtered) = organizer
            .get(&format!(
                "/meetings?view=month&month=2026-12-01&deputy={b}&area=dong%20thinh"
            ))
            .await;
        assert!(
            filtered.contains("Khóm Đông Thịnh") && !filtered.contains("08:00–10:00"),
            "[{}] deputy filter",
            app.engine
        );
        assert!(
            filtered.contains(&format!(
                "month=2027-01-01&amp;deputy={b}&amp;area=dong%20thinh"
            )),
            "[{}] next month keeps the filters",
            app.engine
        );
        let (_, _, other_month) = organizer.get("/meetings?view=month&month=2027-01-01").await;
        assert!(
            !other_month.contains("Khóm Thới Hòa"),
            "[{}] December's meetings stay in December",
            app.engine
        );

        // Without a month the current one is shown, with today marked.
        let today = app::domain::meeting::vietnam_date(app::storage::db::now_ms()).iso();
        let (_, _, current) = organizer.get("/meetings?view=month").await;
        let marked = current
            .find(r#"aria-current="date""#)
            .expect("today is marked");
        let cell_start = current[..marked].rfind("<td").expect("cell");
        assert!(
            current[cell_start..].starts_with("<td")
                && current[cell_start..marked + 60].contains(&today),
            "[{}] today {today}",
            app.engine
        );
    })
    .await;
}

/// Why the finalised minutes of the correction story are corrected.
const CORRECTION_REASON: &str = "Ghi nhầm số cử tri có mặt (đúng là 141 người)";

/// A correction of finalised minutes needs a reason, and one is open at a time.
async fn open_correction(app: &TestApp, organizer: &Client, id: i64) {
    let no_reason = organizer.meetings_correct(id, " ").await;
    assert_eq!(
        no_reason.error_code(),
        Some("ReasonRequired"),
        "[{}]",
        app.engine
    );
    let opened = organizer.meetings_correct(id, CORRECTION_REASON).await;
    assert_eq!(opened.status, 200, "[{}] {:?}", app.engine, opened.body);
    let twice = organizer.meetings_correct(id, CORRECTION_REASON).await;
    assert_eq!(
        twice.error_code(),
        Some("MeetingNotFinalised"),
        "[{}] one correction at a time",
        app.engine
    );
}

/// While the correction is open the record changes, but version 1 is still what prints;
/// finalised again, it is version 2 with its reason, and the record is locked again.
async fn correct_and_finalise_again(app: &TestApp, organizer: &Client, id: i64) {
    let corrected = AttendanceInput {
        content_reported: CONTENT_REPORTED.to_string(),
        ended_at: "10:15".to_string(),
        ..present("141")
    };
    let corrected = organizer.meetings_attendance(id, &corrected).await;
    assert_eq!(
        corrected.status, 200,
        "[{}] {:?}",
        app.engine, corrected.body
    );
    let detail = organizer.meetings_get(id).await;
    assert_eq!(
        detail.body["meeting"]["correction_reason"], CORRECTION_REASON,
        "[{}]",
        app.engine
    );
    assert_eq!(
        detail.body["versions"].as_array().map(Vec::len),
        Some(1),
        "[{}]",
        app.engine
    );
    let done = organizer.meetings_finalise(id).await;
    assert_eq!(done.status, 200, "[{}] {:?}", app.engine, done.body);

    let detail = organizer.meetings_get(id).await;
    let versions = detail.body["versions"]
        .as_array()
        .expect("versions")
        .clone();
    assert_eq!(versions.len(), 2, "[{}] {versions:?}", app.engine);
    assert_eq!(
        (
            versions[0]["version"].as_i64(),
            versions[0]["reason"].as_str()
        ),
        (Some(1), Some(""))
    );
    assert_eq!(
        (
            versions[1]["version"].as_i64(),
            versions[1]["reason"].as_str()
        ),
        (Some(2), Some(CORRECTION_REASON))
    );
    assert_eq!(versions[1]["created_by"], "mttq1");
    assert_eq!(
        detail.body["meeting"]["status"], "Finalised",
        "[{}]",
        app.engine
    );
    assert!(
        detail.body["meeting"]["correction_reason"].is_null(),
        "[{}] closed",
        app.engine
    );
    let locked = organizer.meetings_attendance(id, &present("1")).await;
    assert_eq!(
        locked.error_code(),
        Some("MeetingFinalised"),
        "[{}] locked again",
        app.engine
    );
}

/// Each version of the minutes prints as it was finalised; the latest names its correction.
async fn minutes_versions(app: &TestApp, organizer: &Client, id: i64, have_pdftotext: bool) {
    let base = format!("{}/meetings/{id}/minutes.pdf", app.base_url);
    let missing = organizer
        .http
        .get(format!("{base}?version=3"))
        .send()
        .await
        .expect("pdf");
    assert_eq!(missing.status().as_u16(), 404, "[{}]", app.engine);
    if !have_pdftotext {
        return;
    }
    let latest = organizer.http.get(&base).send().await.expect("pdf");
    assert_eq!(latest.status().as_u16(), 200, "[{}]", app.engine);
    let latest = pdf_text(&latest.bytes().await.expect("bytes"), &[]);
    let latest = latest.split_whitespace().collect::<Vec<_>>().join(" ");
    for expected in [
        "(Bản sửa đổi lần 1)",
        "số có mặt 141 người",
        CORRECTION_REASON,
    ] {
        assert!(
            latest.contains(expected),
            "[{}] {expected:?} in {latest}",
            app.engine
        );
    }
    let first = organizer
        .http
        .get(format!("{base}?version=1"))
        .send()
        .await
        .expect("pdf");
    let first = pdf_text(&first.bytes().await.expect("bytes"), &[]);
    let first = first.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        first.contains("số có mặt 132 người"),
        "[{}] version 1 as finalised: {first}",
        app.engine
    );
    assert!(
        !first.contains("Bản sửa đổi") && !first.contains("DỰ THẢO"),
        "[{}] {first}",
        app.engine
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn corrections_of_finalised_minutes_are_new_versions_and_keep_the_old_ones() {
    let have_pdftotext = have_pdftotext("corrected minutes PDF text check");
    on_each_engine(|app| async move {
        let (organizer, [a, _], venue) = organizer_with_registry(&app).await;
        let id = held_meeting(&app, &organizer, a, venue).await;
        let early = organizer.meetings_correct(id, "Sửa số liệu").await;
        assert_eq!(
            early.error_code(),
            Some("MeetingNotFinalised"),
            "[{}] edit it, do not correct it",
            app.engine
        );
        organizer.meetings_finalise(id).await;

        open_correction(&app, &organizer, id).await;
        correct_and_finalise_again(&app, &organizer, id).await;

        let actions: Vec<String> =
            sqlx::query_scalar("select action from audit_log where entity = $1 order by seq")
                .bind(format!("meeting:{id}"))
                .fetch_all(app.db.pool())
                .await
                .expect("audit");
        assert_eq!(
            actions,
            [
                "meeting.create",
                "meeting.attendance",
                "meeting.finalise",
                "meeting.correction.open",
                "meeting.attendance",
                "meeting.finalise"
            ],
            "[{}]",
            app.engine
        );

        minutes_versions(&app, &organizer, id, have_pdftotext).await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn voters_sign_in_by_name_once_and_the_minutes_list_them() {
    if !have_pdftotext("minutes PDF sign-in check") {
        return;
    }
    on_each_engine(|app| async move {
        let engine = app.engine;
        let (organizer, [a, _], venue) = organizer_with_registry(&app).await;
        let id = held_meeting(&app, &organizer, a, venue).await;
        let sign_in = |name: &str, address: &str, gender: &str| {
            let attendee = AttendeeInput {
                full_name: name.to_string(),
                address: address.to_string(),
                gender: gender.to_string(),
            };
            let organizer = &organizer;
            async move { organizer.meetings_attendees_add(id, &attendee).await }
        };
        for (name, address, gender) in [
            ("Trần Thị Bích Thủy", "Tổ 5, khóm Thới Hòa", "nu"),
            ("Lê Văn Đức", "Khóm Đông Thịnh", "nam"),
            ("Nguyễn Văn Đức", "tổ 5, khóm thới hòa", ""),
        ] {
            let added = sign_in(name, address, gender).await;
            assert_eq!(added.status, 200, "[{engine}] {name}: {:?}", added.body);
        }
        // The same person typed again, without diacritics and in other case: refused.
        let twice = sign_in("tran thi bich thuy", "TỔ 5, KHÓM THỚI HÒA", "nu").await;
        assert_eq!(twice.error_code(), Some("MeetingAttendeeTwice"), "[{engine}]");
        assert_eq!(sign_in("  ", "", "").await.error_code(), Some("InvalidInput"));
        assert_eq!(
            sign_in("Võ Văn Tám", "", "khac").await.error_code(),
            Some("InvalidInput"),
            "[{engine}] an unknown gender code"
        );

        // A mistaken name is removed, and the audit log keeps it.
        let mistaken = sign_in("Nhập Nhầm", "", "").await.body.as_i64().expect("id");
        let removed = organizer.meetings_attendees_remove(mistaken).await;
        assert_eq!(removed.status, 200, "[{engine}] {:?}", removed.body);
        let audited: i64 = sqlx::query_scalar(
            "select count(*) from audit_log where action in ('meeting.attendee.add', 'meeting.attendee.remove')",
        )
        .fetch_one(app.db.pool())
        .await
        .expect("audit");
        assert_eq!(audited, 5, "[{engine}] four sign-ins and one removal");

        // Fewer present than signed in is refused, when saved and when finalising.
        let too_few = organizer.meetings_attendance(id, &present("2")).await;
        assert_eq!(too_few.error_code(), Some("MeetingFewerPresentThanSigned"), "[{engine}]");
        sqlx::query("update meetings set present_count = 2 where id = $1")
            .bind(id)
            .execute(app.db.pool())
            .await
            .expect("count saved before the last sign-in");
        let finalise = organizer.meetings_finalise(id).await;
        assert_eq!(finalise.error_code(), Some("MeetingFewerPresentThanSigned"), "[{engine}]");
        let enough = organizer.meetings_attendance(id, &present("3")).await;
        assert_eq!(enough.status, 200, "[{engine}] {:?}", enough.body);
        let finalise = organizer.meetings_finalise(id).await;
        assert_eq!(finalise.status, 200, "[{engine}] {:?}", finalise.body);
        let locked = sign_in("Đến Muộn", "", "").await;
        assert_eq!(locked.error_code(), Some("MeetingFinalised"), "[{engine}]");

        let url = format!("{}/meetings/{id}/minutes.pdf", app.base_url);
        let pdf = organizer.http.get(&url).send().await.expect("pdf");
        let text = pdf_text(&pdf.bytes().await.expect("bytes"), &[]);
        let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
        for expected in [
            "số có mặt 3 người",
            "Cử tri ký tên tham dự: 3 người (nam 1, nữ 1); theo địa bàn: Tổ 5, khóm Thới Hòa: 2 người; Khóm Đông Thịnh: 1 người.",
            "1. Trần Thị Bích Thủy, Tổ 5, khóm Thới Hòa, nữ;",
            "2. Lê Văn Đức, Khóm Đông Thịnh, nam;",
            "3. Nguyễn Văn Đức, tổ 5, khóm thới hòa;",
        ] {
            assert!(flat.contains(expected), "[{engine}] {expected:?} in:\n{text}");
        }
        assert!(!flat.contains("Nhập Nhầm"), "[{engine}] the removed name is not printed");
    })
    .await;
}
