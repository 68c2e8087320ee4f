//! A ward corrects its own setup: polling areas and elections are edited, and deleted only while
//! nothing refers to them; every change is audited.

use crate::checkin::{check_in, list_voters, open_desk, receipt};
use crate::support::{have_pdftotext, on_each_engine, pdf_text, Client, TestApp};
use crate::voter_lists::election_with_two_areas;

async fn audited(app: &TestApp, action: &str) -> i64 {
    sqlx::query_scalar("select count(*) from audit_log where action = $1")
        .bind(action)
        .fetch_one(app.db.pool())
        .await
        .expect("audit count")
}

async fn area_names(app: &TestApp, election_id: i64) -> Vec<(i64, String)> {
    sqlx::query_as("select number, name from polling_areas where election_id = $1 order by number")
        .bind(election_id)
        .fetch_all(app.db.pool())
        .await
        .expect("areas")
}

async fn list_pdf_text(app: &TestApp, admin: &Client, area_id: i64) -> String {
    let response = admin
        .http
        .get(format!("{}/voters/areas/{area_id}/list.pdf", app.base_url))
        .send()
        .await
        .expect("pdf");
    assert_eq!(response.status().as_u16(), 200, "[{}] list PDF", app.engine);
    pdf_text(&response.bytes().await.expect("bytes"), &[])
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_area_is_corrected_and_deleted_only_while_nothing_refers_to_it() {
    on_each_engine(|app| async move {
        let engine = app.engine;
        let admin = app.admin().await;
        let (election_id, areas) = election_with_two_areas(&admin).await;

        let corrected = admin
            .voters_areas_update(areas[0], 1, "Khóm Thới An A", "Nhà văn hóa khóm Thới An")
            .await;
        assert_eq!(corrected.status, 200, "[{engine}] {:?}", corrected.body);
        assert_eq!(
            area_names(&app, election_id).await,
            vec![
                (1, "Khóm Thới An A".to_string()),
                (2, "Khóm Đông Thịnh".to_string())
            ],
            "[{engine}]"
        );
        assert_eq!(audited(&app, "area.update").await, 1, "[{engine}]");
        if have_pdftotext("Mẫu 31 after an area correction") {
            let text = list_pdf_text(&app, &admin, areas[0]).await;
            assert!(text.contains("Khóm Thới An A"), "[{engine}] {text}");
        }

        let clash = admin
            .voters_areas_update(areas[1], 1, "Khóm Đông Thịnh", "")
            .await;
        assert_eq!(clash.status, 409, "[{engine}] {:?}", clash.body);
        assert_eq!(clash.error_code(), Some("AreaNumberTaken"), "[{engine}]");
        let blank = admin.voters_areas_update(areas[1], 2, "  ", "").await;
        assert_eq!(blank.status, 422, "[{engine}] {:?}", blank.body);

        let voter = crate::support::api::voter("Nguyễn Văn An", "05/07/1960", "nam");
        let listed = admin.voters_add(areas[0], &voter, "Bổ sung").await;
        assert_eq!(listed.status, 200, "[{engine}] {:?}", listed.body);
        let refused = admin.voters_areas_delete(areas[0]).await;
        assert_eq!(refused.status, 409, "[{engine}] {:?}", refused.body);
        assert_eq!(refused.error_code(), Some("AreaInUse"), "[{engine}]");

        let deleted = admin.voters_areas_delete(areas[1]).await;
        assert_eq!(deleted.status, 200, "[{engine}] {:?}", deleted.body);
        assert_eq!(
            area_names(&app, election_id).await,
            vec![(1, "Khóm Thới An A".to_string())],
            "[{engine}] only the empty area is gone"
        );
        assert_eq!(audited(&app, "area.delete").await, 1, "[{engine}]");
        let again = admin.voters_areas_delete(areas[1]).await;
        assert_eq!(again.status, 404, "[{engine}] {:?}", again.body);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_election_created_twice_is_deleted_and_its_day_holds_once_voting_began() {
    on_each_engine(|app| async move {
        let engine = app.engine;
        let desk = open_desk(&app).await;
        let admin = &desk.admin;

        let twice = admin
            .voters_elections_create(
                "Bầu cử ĐBQH khóa XVI và HĐND các cấp",
                "15/03/2026",
                Some("1"),
                Some("1"),
                Some("1"),
            )
            .await;
        let twice = twice.body.as_i64().expect("election id");
        let deleted = admin.voters_elections_delete(twice).await;
        assert_eq!(deleted.status, 200, "[{engine}] {:?}", deleted.body);
        assert_eq!(audited(&app, "election.delete").await, 1, "[{engine}]");

        let in_use = admin.voters_elections_delete(desk.election_id).await;
        assert_eq!(in_use.status, 409, "[{engine}] {:?}", in_use.body);
        assert_eq!(in_use.error_code(), Some("ElectionInUse"), "[{engine}]");

        let voters = list_voters(&app, &desk, 0, &["Lê Văn Cường"], "active").await;
        check_in(&desk.station, "setup-0001", desk.areas[0], voters[0].0).await;
        let moved = admin
            .voters_elections_update(
                desk.election_id,
                "Bầu cử ĐBQH khóa XVI và HĐND các cấp",
                "22/03/2030",
            )
            .await;
        assert_eq!(moved.status, 409, "[{engine}] {:?}", moved.body);
        assert_eq!(moved.error_code(), Some("ElectionDayLocked"), "[{engine}]");
        let today = crate::support::election_day_today().await.display();
        let renamed = admin
            .voters_elections_update(
                desk.election_id,
                "Bầu cử đại biểu Quốc hội khóa XVI",
                &today,
            )
            .await;
        assert_eq!(renamed.status, 200, "[{engine}] {:?}", renamed.body);
        let name: String = sqlx::query_scalar("select name from elections where id = $1")
            .bind(desk.election_id)
            .fetch_one(app.db.pool())
            .await
            .expect("name");
        assert_eq!(name, "Bầu cử đại biểu Quốc hội khóa XVI", "[{engine}]");
        assert_eq!(
            audited(&app, "election.update").await,
            1,
            "[{engine}] the refused move is not audited"
        );
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_voter_page_reads_the_voter_history_and_the_audit_log_filters_by_object() {
    on_each_engine(|app| async move {
        let engine = app.engine;
        let desk = open_desk(&app).await;
        let voters =
            list_voters(&app, &desk, 0, &["Lê Văn Cường", "Trần Thị Bình"], "active").await;
        let (voter, other) = (voters[0].0, voters[1].0);
        let recorded = check_in(&desk.station, "history-0001", desk.areas[0], voter).await;
        let check_in_id = receipt(&recorded)["check_in_id"]
            .as_i64()
            .expect("check-in id");
        let undone = desk.admin.checkin_undo(check_in_id, "Nhầm người").await;
        assert_eq!(undone.status, 200, "[{engine}] {:?}", undone.body);
        check_in(&desk.station, "history-0002", desk.areas[0], other).await;

        let history = desk.admin.voters_history(voter).await;
        assert_eq!(history.status, 200, "[{engine}] {:?}", history.body);
        let actions: Vec<&str> = history
            .body
            .as_array()
            .expect("lines")
            .iter()
            .map(|line| line["action"].as_str().expect("action"))
            .collect();
        assert_eq!(
            actions,
            ["checkin.undo", "checkin.record"],
            "[{engine}] newest first, only this voter's records"
        );
        let station = desk.station.voters_history(voter).await;
        assert_eq!(
            station.status, 403,
            "[{engine}] a station does not read histories"
        );

        let entity = format!("voter:{other}");
        let page = desk
            .admin
            .admin_audit_list("", "", None, Some(&entity))
            .await;
        assert_eq!(page.status, 200, "[{engine}] {:?}", page.body);
        let rows = page.body["rows"].as_array().expect("rows");
        assert_eq!(rows.len(), 1, "[{engine}] {rows:?}");
        assert_eq!(rows[0]["entity"], entity.as_str(), "[{engine}]");
    })
    .await;
}
