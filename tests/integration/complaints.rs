//! The complaints register over HTTP on each engine: entering complaints (about a voter or
//! not), the 5-day deadline and the overdue flag, answers, refusals that change nothing, and
//! the audit records written with each change.

use app::domain::complaint::answer_deadline;
use app::voters::service::today;
use serde_json::{json, Value};

use crate::support::api::voter;
use crate::support::{on_each_engine, Client, TestApp};

/// An election with one polling area and one voter; returns (election id, voter id).
async fn election_with_a_voter(admin: &Client, name: &str) -> (i64, i64) {
    let election = admin
        .voters_elections_create(name, "15/03/2026", Some("1"), None, None)
        .await;
    let election_id = election.body.as_i64().expect("election id");
    let area = admin
        .voters_areas_create(election_id, 1, "Khóm Thới An", "")
        .await;
    let area_id = area.body.as_i64().expect("area id");
    let added = admin
        .voters_add(
            area_id,
            &voter("Trần Thị Hương", "02/09/1975", "Nữ"),
            "Chuyển đến cư trú",
        )
        .await;
    let voter_id = added.body["id"].as_i64().expect("voter id");
    (election_id, voter_id)
}

/// A complaint as the form enters it: without a voter, the form's "no one voter" choice (0).
async fn record(
    admin: &Client,
    election_id: i64,
    voter_id: Option<i64>,
    complainant: &str,
    received_on: &str,
    content: &str,
) -> crate::support::Reply {
    admin
        .complaints_record(
            election_id,
            Some(voter_id.unwrap_or(0)),
            complainant,
            received_on,
            content,
        )
        .await
}

async fn audit_actions(app: &TestApp) -> Vec<(String, String, String, String)> {
    sqlx::query_as(
        "select action, entity, before_summary, after_summary from audit_log where action like 'complaint.%' order by seq",
    )
    .fetch_all(app.db.pool())
    .await
    .expect("audit")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn complaints_are_recorded_flagged_when_overdue_and_resolved_with_audit() {
    on_each_engine(|app| async move {
        let admin = app.admin().await;
        let (election_id, voter_id) = election_with_a_voter(&admin, "Bầu cử thử").await;
        let today = today();

        let fresh = record(
            &admin,
            election_id,
            Some(voter_id),
            "  Trần Thị Hương ",
            &today.display(),
            "Sai năm sinh trong danh sách niêm yết",
        )
        .await;
        assert_eq!(fresh.status, 200, "[{}] {:?}", app.engine, fresh.body);
        assert_eq!(fresh.body["complainant"], "Trần Thị Hương", "trimmed");
        assert_eq!(fresh.body["voter"]["full_name"], "Trần Thị Hương");
        assert_eq!(fresh.body["voter"]["stt"], 1);
        assert_eq!(fresh.body["deadline"], json!(answer_deadline(today)));
        assert_eq!(fresh.body["overdue"], false);

        // Received long ago and never answered: overdue.
        let old = record(
            &admin,
            election_id,
            None,
            "Lê Văn Tám",
            "03/02/2026",
            "Gia đình có 2 người chưa có tên",
        )
        .await;
        assert_eq!(old.status, 200, "[{}] {:?}", app.engine, old.body);
        assert_eq!(
            old.body["deadline"],
            json!({"year": 2026, "month": 2, "day": 8})
        );
        assert_eq!(old.body["overdue"], true, "[{}]", app.engine);
        assert!(old.body["voter"].is_null());
        let old_id = old.body["id"].as_i64().expect("id");

        let register = admin.complaints_overview(Some(election_id)).await;
        let rows = register.body["complaints"].as_array().expect("rows");
        assert_eq!(rows.len(), 2, "[{}] {:?}", app.engine, register.body);
        assert_eq!(
            rows.iter()
                .map(|c| c["overdue"].clone())
                .collect::<Vec<_>>(),
            [Value::Bool(false), Value::Bool(true)],
            "in the order entered"
        );
        let (status, _, html) = admin
            .get(&format!("/voters/complaints?election={election_id}"))
            .await;
        assert_eq!(status, 200);
        assert!(
            html.contains("⚠ Quá hạn") && html.contains("08/02/2026"),
            "[{}] the page marks the overdue row in words and shows the deadline",
            app.engine
        );

        let resolved = admin
            .complaints_resolve(old_id, "Đã bổ sung 2 người vào danh sách", &today.display())
            .await;
        assert_eq!(resolved.status, 200, "[{}] {:?}", app.engine, resolved.body);
        assert_eq!(resolved.body["resolved_on"], json!(today));
        assert_eq!(
            resolved.body["overdue"], false,
            "answered, no longer overdue"
        );
        let again = admin
            .complaints_resolve(old_id, "Lần hai", &today.display())
            .await;
        assert_eq!(again.status, 409);
        assert_eq!(again.error_code(), Some("ComplaintAlreadyResolved"));

        let audit = audit_actions(&app).await;
        assert_eq!(
            audit
                .iter()
                .map(|(action, entity, ..)| (action.as_str(), entity.clone()))
                .collect::<Vec<_>>(),
            [
                (
                    "complaint.record",
                    format!("complaint:{}", fresh.body["id"])
                ),
                ("complaint.record", format!("complaint:{old_id}")),
                ("complaint.resolve", format!("complaint:{old_id}")),
            ],
            "[{}]",
            app.engine
        );
        let recorded: Value = serde_json::from_str(&audit[1].3).expect("json");
        assert_eq!(recorded["content"], "Gia đình có 2 người chưa có tên");
        assert_eq!(recorded["deadline"], "2026-02-08");
        let answered: Value = serde_json::from_str(&audit[2].3).expect("json");
        assert_eq!(answered["resolution"], "Đã bổ sung 2 người vào danh sách");
        assert_eq!(answered["late"], true, "answered after the deadline");
        assert_eq!(audit[2].2, r#"{"resolution":"","resolved_on":null}"#);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invalid_complaints_and_answers_are_refused_and_change_nothing() {
    on_each_engine(|app| async move {
        let admin = app.admin().await;
        let (election_id, _) = election_with_a_voter(&admin, "Bầu cử thử").await;
        let (_, other_voter) = election_with_a_voter(&admin, "Bầu cử bổ sung").await;
        let today = today();
        let future = answer_deadline(today).display();
        let cases = [
            (None, " ", "01/02/2026", "Nội dung", "ComplainantRequired"),
            (
                None,
                "Lê Văn Tám",
                "01/02/2026",
                "  ",
                "ComplaintContentRequired",
            ),
            (None, "Lê Văn Tám", "31/02/2026", "Nội dung", "InvalidDate"),
            (
                None,
                "Lê Văn Tám",
                &future,
                "Nội dung",
                "ComplaintDateInFuture",
            ),
            (
                Some(other_voter),
                "Lê Văn Tám",
                "01/02/2026",
                "Nội dung",
                "ComplaintVoterNotInElection",
            ),
        ];
        for (voter, complainant, received_on, content, code) in cases {
            let reply = record(
                &admin,
                election_id,
                voter,
                complainant,
                received_on,
                content,
            )
            .await;
            assert_eq!(
                reply.status, 422,
                "[{}] {code}: {:?}",
                app.engine, reply.body
            );
            assert_eq!(reply.error_code(), Some(code), "[{}]", app.engine);
        }
        let unknown_election = record(&admin, 999_999, None, "Lê Văn Tám", "01/02/2026", "x").await;
        assert_eq!(unknown_election.error_code(), Some("NotFound"));

        let entry = record(
            &admin,
            election_id,
            None,
            "Lê Văn Tám",
            "05/02/2026",
            "Nội dung",
        )
        .await;
        let id = entry.body["id"].as_i64().expect("id");
        let answers = [
            ("", "06/02/2026", "ResolutionRequired"),
            ("Đã trả lời", "04/02/2026", "ResolvedBeforeReceived"),
            ("Đã trả lời", future.as_str(), "ComplaintDateInFuture"),
            ("Đã trả lời", "hôm qua", "InvalidDate"),
        ];
        for (resolution, resolved_on, code) in answers {
            let reply = admin.complaints_resolve(id, resolution, resolved_on).await;
            assert_eq!(
                reply.status, 422,
                "[{}] {code}: {:?}",
                app.engine, reply.body
            );
            assert_eq!(reply.error_code(), Some(code), "[{}]", app.engine);
        }
        let missing = admin
            .complaints_resolve(999_999, "Đã trả lời", "06/02/2026")
            .await;
        assert_eq!(missing.status, 404);

        let stored: Vec<(i64, Option<String>)> =
            sqlx::query_as("select id, resolved_on from complaints order by id")
                .fetch_all(app.db.pool())
                .await
                .expect("complaints");
        assert_eq!(
            stored,
            [(id, None)],
            "[{}] only the valid entry",
            app.engine
        );
        assert_eq!(
            audit_actions(&app).await.len(),
            1,
            "[{}] refusals are not audited as changes",
            app.engine
        );
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn complaints_after_thirty_days_from_posting_are_marked_late() {
    on_each_engine(|app| async move {
        let admin = app.admin().await;
        let (election_id, voter_id) = election_with_a_voter(&admin, "Bầu cử thử").await;
        let engine = app.engine;
        let post = |day: &'static str| {
            let admin = admin.clone();
            async move {
                admin.voters_elections_posted(election_id, day).await
            }
        };
        // Not on or after election day (15/03/2026), not a day still to come.
        for (day, code) in [
            ("15/03/2026", "PostingDateInvalid"),
            ("01/01/2099", "PostingDateInvalid"),
            ("31/02/2026", "InvalidDate"),
        ] {
            let refused = post(day).await;
            assert_eq!(refused.error_code(), Some(code), "[{engine}] {day}: {:?}", refused.body);
        }
        // Before any posting day is known, nothing is late.
        let early = record(&admin, election_id, None, "Lê Văn Tám", "10/03/2026", "Sai ngày sinh").await;
        assert_eq!(early.body["late"], false, "[{engine}] {:?}", early.body);

        assert_eq!(post("03/02/2026").await.status, 200, "[{engine}]");
        let last_day = record(&admin, election_id, Some(voter_id), "Trần Thị Hương", "05/03/2026", "Ghi sai tên đệm").await;
        assert_eq!(last_day.body["late"], false, "[{engine}] the 30th day is in time");
        let late = record(&admin, election_id, None, "Phạm Văn Chín", "06/03/2026", "Thiếu tên trong danh sách").await;
        assert_eq!(late.body["late"], true, "[{engine}] the 31st day is late");
        // Late complaints are still entered in the register, and the register says so.
        let register = admin.complaints_overview(Some(election_id)).await;
        let flags: Vec<bool> = register.body["complaints"]
            .as_array()
            .expect("complaints")
            .iter()
            .map(|c| c["late"].as_bool().expect("late flag"))
            .collect();
        assert_eq!(flags, [true, false, true], "[{engine}] the first one counts once the day is known");

        let posting: Vec<(String, String)> = sqlx::query_as(
            "select before_summary, after_summary from audit_log where action = 'election.post_list'",
        )
        .fetch_all(app.db.pool())
        .await
        .expect("audit");
        assert_eq!(posting, [(String::new(), json!({ "posted_on": "2026-02-03" }).to_string())], "[{engine}]");
    })
    .await;
}
