//! Wording of the meeting documents and screens of a phường, on each engine: each deputy
//! titled once by the ward's own council, each body with its own term; and the rule that a
//! meeting is recorded as held, and its minutes finalised, only from its day in Vietnam on.

use app::domain::meeting::{add_days, vietnam_date};
use app::domain::voter::Date;

use crate::support::{have_pdftotext, on_each_engine, pdf_text, Client, TestApp};

const NATIONAL_DEPUTY: &str = "Nguyễn Văn Ánh";
const WARD_DEPUTY: &str = "Trần Thị Hồng Nhung";

/// The ward is Phường Mỹ Thới; an organizer with a National Assembly deputy and a deputy of the
/// ward's council. Returns (organizer, [national, ward deputy]).
async fn phuong_with_deputies(app: &TestApp) -> (Client, [i64; 2]) {
    let admin = app.admin().await;
    let ward = admin
        .post(
            "voters/ward/save",
            &[("name", "Phường Mỹ Thới"), ("province", "Tỉnh An Giang")],
        )
        .await;
    assert_eq!(ward.status, 200, "[{}] ward: {:?}", app.engine, ward.body);
    let organizer = app.user_with_role(&admin, "mttq1", "organizer").await;
    let mut ids = [0; 2];
    for (slot, (name, level, position)) in [
        (NATIONAL_DEPUTY, "dbqh", "Phó Trưởng Đoàn ĐBQH tỉnh"),
        (WARD_DEPUTY, "hdnd_xa", ""),
    ]
    .into_iter()
    .enumerate()
    {
        let saved = organizer
            .post(
                "meetings/deputies/save",
                &[
                    ("deputy_id", "0"),
                    ("deputy[full_name]", name),
                    ("deputy[level]", level),
                    ("deputy[position]", position),
                ],
            )
            .await;
        assert_eq!(saved.status, 200, "[{}] {:?}", app.engine, saved.body);
        ids[slot] = saved.body.as_i64().expect("deputy id");
    }
    (organizer, ids)
}

/// The plan of a meeting of `deputies` on `date`, 08:00–10:00, before session 2 of term XVI.
fn plan_fields(date: Date, deputies: &[i64]) -> Vec<(String, String)> {
    let mut fields: Vec<(String, String)> = [
        ("meeting[title]", "Khóm Thới Hòa"),
        ("meeting[term]", "XVI"),
        ("meeting[session_number]", "2"),
        ("meeting[timing]", "before"),
        ("meeting[kind]", "regular"),
        ("meeting[format]", "in_person"),
        ("meeting[starts_at]", "08:00"),
        ("meeting[ends_at]", "10:00"),
        ("meeting[areas]", "Khóm Thới Hòa, khóm Đông Thịnh"),
        (
            "meeting[chair]",
            "Lê Thị Mỹ Dung, Chủ tịch Ủy ban MTTQ phường",
        ),
        ("meeting[secretary]", "Phạm Quốc Việt"),
        ("meeting[invited_count]", "150"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    fields.push(("meeting[date]".into(), date.display()));
    for (i, id) in deputies.iter().enumerate() {
        fields.push((format!("meeting[deputy_ids][{i}]"), id.to_string()));
    }
    fields
}

fn pairs(fields: &[(String, String)]) -> Vec<(&str, &str)> {
    fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect()
}

async fn schedule(app: &TestApp, organizer: &Client, date: Date, deputies: &[i64]) -> String {
    let created = organizer
        .post("meetings/create", &pairs(&plan_fields(date, deputies)))
        .await;
    assert_eq!(created.status, 200, "[{}] {:?}", app.engine, created.body);
    created.body.as_i64().expect("meeting id").to_string()
}

async fn record_attendance(organizer: &Client, id: &str) -> crate::support::Reply {
    organizer
        .post(
            "meetings/attendance",
            &[
                ("meeting_id", id),
                ("attendance[present_count]", "132"),
                ("attendance[ended_at]", "10:15"),
            ],
        )
        .await
}

fn today_in_vietnam() -> Date {
    vietnam_date(app::storage::db::now_ms())
}

/// Refused with MeetingNotYetHeld (409), naming the meeting's day.
fn assert_not_yet_held(app: &TestApp, reply: &crate::support::Reply, day: Date, what: &str) {
    assert_eq!(
        reply.status, 409,
        "[{}] {what}: {:?}",
        app.engine, reply.body
    );
    assert_eq!(
        reply.error_code(),
        Some("MeetingNotYetHeld"),
        "[{}] {what}",
        app.engine
    );
    assert_eq!(
        reply.body["detail"]["Subject"].as_str(),
        Some(day.display().as_str()),
        "[{}] {what} names the meeting's day",
        app.engine
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_meeting_is_recorded_and_finalised_only_from_its_day_in_vietnam() {
    on_each_engine(|app| async move {
        let (organizer, [national, _]) = phuong_with_deputies(&app).await;
        // Three days ahead stays ahead even if the day turns while the test runs.
        let ahead = add_days(today_in_vietnam(), 3);
        let future = schedule(&app, &organizer, ahead, &[national]).await;

        let attendance = record_attendance(&organizer, &future).await;
        assert_not_yet_held(&app, &attendance, ahead, "attendance");
        let sign_in = organizer
            .post(
                "meetings/attendees/add",
                &[
                    ("meeting_id", &future),
                    ("attendee[full_name]", "Lê Văn Đức"),
                ],
            )
            .await;
        assert_not_yet_held(&app, &sign_in, ahead, "sign-in");

        // A record kept as held before its day (as the check allowed until now) is not
        // finalised either.
        sqlx::query("update meetings set status = 'held', present_count = 132 where id = $1")
            .bind(future.parse::<i64>().expect("id"))
            .execute(app.db.pool())
            .await
            .expect("held too early");
        let finalise = organizer
            .post("meetings/finalise", &[("meeting_id", &future)])
            .await;
        assert_not_yet_held(&app, &finalise, ahead, "finalising");

        // Today's meeting is recorded and finalised, whatever the hour.
        let today = today_in_vietnam();
        let current = schedule(&app, &organizer, today, &[national]).await;
        let attendance = record_attendance(&organizer, &current).await;
        assert_eq!(
            attendance.status, 200,
            "[{}] {:?}",
            app.engine, attendance.body
        );
        let finalise = organizer
            .post("meetings/finalise", &[("meeting_id", &current)])
            .await;
        assert_eq!(finalise.status, 200, "[{}] {:?}", app.engine, finalise.body);

        // A meeting held yesterday cannot be moved to a day still to come.
        let yesterday = add_days(today, -1);
        let held = schedule(&app, &organizer, yesterday, &[national]).await;
        let attendance = record_attendance(&organizer, &held).await;
        assert_eq!(
            attendance.status, 200,
            "[{}] {:?}",
            app.engine, attendance.body
        );
        let mut moved = plan_fields(ahead, &[national]);
        moved.push(("meeting_id".into(), held.clone()));
        let update = organizer.post("meetings/update", &pairs(&moved)).await;
        assert_not_yet_held(&app, &update, ahead, "moving a held meeting ahead");

        // The message says what is wrong and names the day, in Vietnamese.
        let message = app::i18n::error_message(
            &serde_json::from_value(update.body.clone()).expect("an AppError"),
            app::locale::Locale::Vi,
        );
        assert!(
            message.starts_with("Chưa đến ngày tổ chức hội nghị")
                && message.ends_with(&format!("({}).", ahead.display())),
            "[{}] {message}",
            app.engine
        );

        // Refusals leave no trace; what was done is audited.
        let actions: Vec<String> = sqlx::query_scalar(
            "select action from audit_log where action like 'meeting.%' order by seq",
        )
        .fetch_all(app.db.pool())
        .await
        .expect("audit");
        assert_eq!(
            actions,
            [
                "meeting.create",
                "meeting.create",
                "meeting.attendance",
                "meeting.finalise",
                "meeting.create",
                "meeting.attendance"
            ],
            "[{}]",
            app.engine
        );
    })
    .await;
}

/// Holds a joint meeting on 05/12/2026 with an opinion and an answer, finalised.
async fn finalised_joint_meeting(app: &TestApp, organizer: &Client, deputies: &[i64]) -> String {
    let day = Date::new(2026, 12, 5).expect("date");
    let id = schedule(app, organizer, day, deputies).await;
    let attendance = record_attendance(organizer, &id).await;
    assert_eq!(
        attendance.status, 200,
        "[{}] {:?}",
        app.engine, attendance.body
    );
    let opinion = organizer
        .post(
            "meetings/opinions/add",
            &[
                ("meeting_id", &id),
                ("opinion[speaker]", "Huỳnh Thị Ngọc Hường"),
                ("opinion[address]", "Tổ 5, khóm Thới Hòa"),
                ("opinion[field]", "giao_thong"),
                (
                    "opinion[content]",
                    "Đề nghị sửa chữa đường Trần Hưng Đạo bị sụt lún.",
                ),
                ("opinion[competent_level]", "tinh"),
            ],
        )
        .await;
    assert_eq!(opinion.status, 200, "[{}] {:?}", app.engine, opinion.body);
    let finalised = organizer
        .post("meetings/finalise", &[("meeting_id", &id)])
        .await;
    assert_eq!(
        finalised.status, 200,
        "[{}] {:?}",
        app.engine, finalised.body
    );
    id
}

async fn pdf_words(app: &TestApp, organizer: &Client, path: &str) -> String {
    let response = organizer
        .http
        .get(format!("{}{path}", app.base_url))
        .send()
        .await
        .expect("pdf");
    assert_eq!(response.status().as_u16(), 200, "[{}] {path}", app.engine);
    let text = pdf_text(&response.bytes().await.expect("bytes"), &[]);
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// What no meeting document of a phường may say.
fn assert_no_wrong_wording(app: &TestApp, words: &str) {
    for wrong in [
        "đại biểu ĐBQH",
        "đại biểu đại biểu",
        "HĐND xã",
        "HĐND XÃ",
        "HĐND PHƯỜNG MỸ THỚI KHÓA",
        "..",
    ] {
        assert!(
            !words.contains(wrong),
            "[{}] {wrong:?} in {words}",
            app.engine
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_phuongs_meeting_documents_name_its_council_and_each_body_with_its_own_term() {
    if !have_pdftotext("meeting wording PDF text check") {
        return;
    }
    on_each_engine(|app| async move {
        let (organizer, deputies) = phuong_with_deputies(&app).await;
        let id = finalised_joint_meeting(&app, &organizer, &deputies).await;

        let minutes = pdf_words(&app, &organizer, &format!("/meetings/{id}/minutes.pdf")).await;
        for expected in [
            "TRƯỚC KỲ HỌP THỨ 2, QUỐC HỘI KHÓA XVI VÀ HĐND PHƯỜNG MỸ THỚI NHIỆM KỲ 2026–2031",
            "- Nguyễn Văn Ánh, đại biểu Quốc hội, Phó Trưởng Đoàn ĐBQH tỉnh;",
            "- Trần Thị Hồng Nhung, đại biểu HĐND phường Mỹ Thới;",
            "Nội dung: Đề nghị sửa chữa đường Trần Hưng Đạo bị sụt lún.",
        ] {
            assert!(minutes.contains(expected), "[{}] {expected:?} in {minutes}", app.engine);
        }
        assert_no_wrong_wording(&app, &minutes);

        let invitation =
            pdf_words(&app, &organizer, &format!("/meetings/{id}/invitation.pdf")).await;
        for expected in [
            "Dự hội nghị tiếp xúc cử tri của đại biểu Quốc hội khóa XVI và đại biểu HĐND phường Mỹ Thới nhiệm kỳ 2026–2031 trước kỳ họp thứ 2",
            "- Trần Thị Hồng Nhung, đại biểu HĐND phường Mỹ Thới.",
            "- UBND phường Mỹ Thới (để phối hợp);",
        ] {
            assert!(
                invitation.contains(expected),
                "[{}] {expected:?} in {invitation}",
                app.engine
            );
        }
        assert_no_wrong_wording(&app, &invitation);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_phuongs_meeting_screens_name_its_council_and_each_body_with_its_own_term() {
    on_each_engine(|app| async move {
        let (organizer, deputies) = phuong_with_deputies(&app).await;
        let id = finalised_joint_meeting(&app, &organizer, &deputies).await;

        let (status, _, page) = organizer.get(&format!("/meetings/{id}")).await;
        assert_eq!(status, 200, "[{}]", app.engine);
        for expected in [
            "Trước kỳ họp thứ 2, Quốc hội khóa XVI và HĐND phường Mỹ Thới nhiệm kỳ 2026–2031",
            "Nguyễn Văn Ánh (ĐBQH, Phó Trưởng Đoàn ĐBQH tỉnh); Trần Thị Hồng Nhung (HĐND phường)",
        ] {
            assert!(
                page.contains(expected),
                "[{}] {expected:?} in {page}",
                app.engine
            );
        }
        assert!(!page.contains("HĐND xã"), "[{}] {page}", app.engine);

        let (_, _, registry) = organizer.get("/meetings/registry").await;
        let table = &registry[registry.find("deputies-table").expect("deputies table")..];
        let table = &table[..table.find("</table>").expect("table end")];
        assert!(table.contains("HĐND phường"), "[{}] {table}", app.engine);
        assert!(!table.contains("HĐND xã"), "[{}] {table}", app.engine);

        let (_, _, form) = organizer.get("/meetings/new").await;
        // The server marks where one piece of text ends and the next begins ("<!>").
        let form = form.replace("<!>", "");
        assert!(
            form.contains(&format!("{WARD_DEPUTY} (HĐND phường)")),
            "[{}] the deputies to choose from: {form}",
            app.engine
        );
    })
    .await;
}
