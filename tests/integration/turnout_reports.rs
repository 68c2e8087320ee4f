//! Official turnout reports on each engine: report times, the snapshot taken once per report
//! time (also when two processes race for it), its figures against the check-ins, the audit
//! record, access, and the report PDF.

use app::domain::ids::ElectionId;
use serde_json::{json, Value};

use crate::checkin::{open_desk, Desk};
use crate::support::{have_pdftotext, on_each_engine, pdf_text, Client, TestApp};

use app::domain::checkin::ClockTime;
use app::domain::turnout_report::report_instant;
use app::engine::tally::TallyBoard;
use app::storage::audit::Actor;
use app::turnout::service::take_due;

/// The ids of `count` voters newly listed in an area.
async fn list_voters(app: &TestApp, desk: &Desk, area_index: usize, count: usize) -> Vec<i64> {
    let names: Vec<String> = (1..=count)
        .map(|n| format!("Nguyễn Thị Hồng {area_index}-{n}"))
        .collect();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    crate::checkin::list_voters(app, desk, area_index, &names, "active")
        .await
        .into_iter()
        .map(|(id, _)| id)
        .collect()
}

/// A check-in that must be recorded.
async fn check_in(client: &Client, request_id: &str, area_id: i64, voter_id: i64) {
    let outcome = crate::checkin::check_in(client, request_id, area_id, voter_id).await;
    crate::checkin::receipt(&outcome);
}

async fn reports(client: &Client, election_id: i64) -> Value {
    let reply = client.turnout_reports(election_id).await;
    assert_eq!(reply.status, 200, "{:?}", reply.body);
    reply.body
}

async fn count(app: &TestApp, sql: &str, election_id: i64) -> i64 {
    sqlx::query_scalar(sql)
        .bind(election_id)
        .fetch_one(app.db.pool())
        .await
        .expect("count")
}

fn report_of<'a>(board: &'a Value, label: &str) -> &'a Value {
    board["reports"]
        .as_array()
        .expect("reports")
        .iter()
        .find(|r| r["label"] == label)
        .unwrap_or_else(|| panic!("no report for {label}: {board}"))
}

/// Until a manager sets them, the default report times are in force; then only managers set
/// them, and only valid ones.
async fn set_report_times(app: &TestApp, ward: &Desk) {
    let board = reports(&ward.station, ward.election_id).await;
    assert_eq!(board["custom_times"], false, "[{}] {board}", app.engine);
    assert_eq!(
        board["times"],
        json!(["09:00", "11:00", "14:00", "16:00", "19:00"]),
        "[{}]",
        app.engine
    );

    let refused = ward
        .station
        .turnout_report_times(ward.election_id, "05:00")
        .await;
    assert_eq!(refused.status, 403, "[{}]", app.engine);
    for bad in ["25:00", "9:00", "04:30", "05:00, 05:00", ""] {
        let reply = ward.admin.turnout_report_times(ward.election_id, bad).await;
        assert_eq!(
            reply.status, 422,
            "[{}] {bad:?}: {:?}",
            app.engine, reply.body
        );
        assert_eq!(
            reply.error_code(),
            Some("ReportTimesInvalid"),
            "[{}]",
            app.engine
        );
    }
    let saved = ward
        .admin
        .turnout_report_times(ward.election_id, "21:00, 05:00")
        .await;
    assert_eq!(saved.status, 200, "[{}] {:?}", app.engine, saved.body);
    let board = reports(&ward.station, ward.election_id).await;
    assert_eq!(
        board["times"],
        json!(["05:00", "21:00"]),
        "[{}]",
        app.engine
    );
    assert_eq!(board["custom_times"], true, "[{}]", app.engine);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_snapshot_of_a_report_time_is_taken_once_with_the_check_in_figures() {
    on_each_engine(|app| async move {
        let ward = open_desk(&app).await;
        let first = list_voters(&app, &ward, 0, 3).await;
        let second = list_voters(&app, &ward, 1, 2).await;
        check_in(&ward.admin, "rep-0001", ward.areas[0], first[0]).await;
        check_in(&ward.admin, "rep-0002", ward.areas[0], first[2]).await;
        check_in(&ward.admin, "rep-0003", ward.areas[1], second[1]).await;

        set_report_times(&app, &ward).await;

        // 05:00 has passed (a fixed instant, so the test does not depend on the hour it runs
        // at). Two "processes" race for it, then one tries again: one snapshot stays.
        let today = crate::support::election_day_today().await;
        let five = ClockTime::parse("05:00").expect("05:00");
        let now = report_instant(today, five) + 1_000;
        let (one, two) = (
            TallyBoard::new(app.db.clone()),
            TallyBoard::new(app.db.clone()),
        );
        let system = Actor::system();
        let election = ElectionId::new(ward.election_id);
        let (a, b) = tokio::join!(
            take_due(&app.db, &one, election, now, &system),
            take_due(&app.db, &two, election, now, &system),
        );
        let (a, b) = (a.expect("first"), b.expect("second"));
        // The server's own round may have taken it already: at most one of us did.
        assert!(a + b <= 1, "[{}] {a} + {b}", app.engine);
        let again = take_due(&app.db, &one, election, now, &system)
            .await
            .expect("again");
        assert_eq!(again, 0, "[{}]", app.engine);
        // "Chốt số liệu ngay" by a manager (21:00 may or may not have passed in real time).
        let now_reply = ward.admin.turnout_snapshot_now(ward.election_id).await;
        assert_eq!(
            now_reply.status, 200,
            "[{}] {:?}",
            app.engine, now_reply.body
        );
        let refused = ward.station.turnout_snapshot_now(ward.election_id).await;
        assert_eq!(refused.status, 403, "[{}]", app.engine);

        assert_eq!(
            count(
                &app,
                "select count(*) from turnout_snapshots where election_id = $1 and label = '05:00'",
                ward.election_id
            )
            .await,
            1,
            "[{}] one snapshot per report time",
            app.engine
        );
        let audited: i64 = sqlx::query_scalar(
            "select count(*) from audit_log where action = 'turnout.snapshot' and entity = $1",
        )
        .bind(format!("election:{}/report:05:00", ward.election_id))
        .fetch_one(app.db.pool())
        .await
        .expect("audit count");
        assert_eq!(audited, 1, "[{}] one audit record per snapshot", app.engine);

        // The figures are the check-ins: 2 of 3, 1 of 2, 3 of 5 for the ward, every level.
        let board = reports(&ward.station, ward.election_id).await;
        let report = report_of(&board, "05:00");
        assert_eq!(
            report["ward"],
            json!({"on_list": 5, "voted": 3}),
            "[{}]",
            app.engine
        );
        for level in 0..3 {
            assert_eq!(
                report["ward_per_level"][level],
                json!({"on_list": 5, "voted": 3}),
                "[{}]",
                app.engine
            );
        }
        let areas = report["areas"].as_array().expect("areas");
        assert_eq!(areas.len(), 2, "[{}]", app.engine);
        assert_eq!(areas[0]["name"], "Khóm Thới An", "[{}]", app.engine);
        assert_eq!(
            areas[0]["all"],
            json!({"on_list": 3, "voted": 2}),
            "[{}]",
            app.engine
        );
        assert_eq!(
            areas[1]["all"],
            json!({"on_list": 2, "voted": 1}),
            "[{}]",
            app.engine
        );

        // A later check-in does not move a snapshot already taken.
        check_in(&ward.admin, "rep-0004", ward.areas[1], second[0]).await;
        let board = reports(&ward.station, ward.election_id).await;
        assert_eq!(
            report_of(&board, "05:00")["ward"],
            json!({"on_list": 5, "voted": 3}),
            "[{}]",
            app.engine
        );

        results_page_shows_the_reports(&app, &ward).await;
        report_pdf_shows_the_figures(&app, &ward).await;
    })
    .await;
}

/// The server-rendered /results page: the report table, the chart, the manager's forms only
/// for managers, and the election selector once there are two elections.
async fn results_page_shows_the_reports(app: &TestApp, ward: &Desk) {
    let (status, _, page) = ward.admin.get("/results").await;
    assert_eq!(status, 200, "[{}]", app.engine);
    for expected in [
        "Báo cáo theo giờ",
        "id=\"report-table\"",
        "<svg",
        "<title id=\"turnout-chart-title\">",
        "Chốt số liệu ngay",
        "report-times-form",
        &format!("/results/{}/report.pdf", ward.election_id),
    ] {
        assert!(
            page.contains(expected),
            "[{}] {expected} missing",
            app.engine
        );
    }
    assert!(
        !page.contains("election-choice"),
        "[{}] one election",
        app.engine
    );
    let viewer = app.user_with_role(&ward.admin, "xemketqua", "viewer").await;
    let (status, _, page) = viewer.get("/results").await;
    assert_eq!(status, 200, "[{}]", app.engine);
    assert!(page.contains("report-table"), "[{}]", app.engine);
    assert!(
        !page.contains("snapshot-now-form"),
        "[{}] not a manager",
        app.engine
    );

    let other = ward
        .admin
        .voters_elections_create(
            "Bầu cử bổ sung HĐND xã",
            "2026-12-20",
            None,
            None,
            Some("1"),
        )
        .await;
    let other_id = other.body.as_i64().expect("second election");
    let areas = ward
        .admin
        .voters_areas_create(other_id, 1, "Khóm Bình Đức", "")
        .await;
    assert_eq!(areas.status, 200, "[{}] {:?}", app.engine, areas.body);
    let (_, _, page) = ward.admin.get("/results").await;
    assert!(
        page.contains("election-choice"),
        "[{}] two elections",
        app.engine
    );
    let (_, _, page) = ward
        .admin
        .get(&format!("/results?election={other_id}"))
        .await;
    assert!(page.contains("Bầu cử bổ sung HĐND xã"), "[{}]", app.engine);
}

async fn report_pdf_shows_the_figures(app: &TestApp, ward: &Desk) {
    let path = format!("/results/{}/report.pdf", ward.election_id);
    let anonymous = app
        .client()
        .http
        .get(format!("{}{path}", app.base_url))
        .send()
        .await
        .expect("anonymous");
    assert_eq!(
        anonymous.status().as_u16(),
        303,
        "[{}] sign in first",
        app.engine
    );
    let response = ward
        .station
        .http
        .get(format!("{}{path}", app.base_url))
        .send()
        .await
        .expect("report");
    assert_eq!(response.status().as_u16(), 200, "[{}]", app.engine);
    let bytes = response.bytes().await.expect("pdf");
    assert!(bytes.starts_with(b"%PDF"), "[{}]", app.engine);
    if !have_pdftotext("turnout report PDF text check") {
        return;
    }
    let text = pdf_text(&bytes, &["-layout"]);
    for expected in [
        "BÁO CÁO TÌNH HÌNH CỬ TRI ĐI BẦU",
        "Lúc 05:00",
        "Khóm Thới An",
        "Khóm Đông Thịnh",
        "Toàn phường/xã",
        "Trang 1/",
        "Mã dữ liệu",
    ] {
        assert!(
            text.contains(expected),
            "[{}] {expected} missing:\n{text}",
            app.engine
        );
    }
    let line_of = |name: &str| {
        text.lines()
            .find(|line| line.contains(name))
            .unwrap_or_else(|| panic!("{name} not in the report:\n{text}"))
            .to_string()
    };
    assert!(
        line_of("Khóm Thới An").contains("66,67%"),
        "[{}]\n{text}",
        app.engine
    );
    assert!(
        line_of("Khóm Đông Thịnh").contains("50,00%"),
        "[{}]\n{text}",
        app.engine
    );
    let total = line_of("Toàn phường/xã");
    assert!(total.contains("60,00%"), "[{}] {total}", app.engine);
}
