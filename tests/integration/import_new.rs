//! An updated list file imported for its new voters only: the same file again adds nobody, a
//! file with new and corrected people adds the new ones and lists the corrections without
//! writing them, and a second commit adds nothing more. Also a file with a header and no voter
//! rows, with or without a title row above it.

use serde_json::{json, Value};

use app::voters::model::ImportRequest;

use crate::support::api::import_request;
use crate::support::{on_each_engine, Client, Reply, TestApp};
use crate::voter_lists::{election_with_two_areas, upload};

const HEADER: &str =
    "STT;Họ và tên;Ngày sinh;Giới tính;Số CCCD;Nơi thường trú;Nghề nghiệp;Khu vực bỏ phiếu";
const LISTED: [&str; 4] = [
    "1;Nguyễn Văn An;05/07/1960;Nam;079060001234;Khóm Thới An;Làm ruộng;1",
    "2;Trần Thị Hương;03/1965;Nữ;;Khóm Thới An;Buôn bán;1",
    "3;Đặng Thùy Dương;12/12/2001;Nữ;079301009876;Khóm Đông Thịnh;Sinh viên;2",
    "4;Lê Thị Mừng;1948;Nữ;;Khóm Đông Thịnh;;2",
];

fn csv(rows: &[&str]) -> Vec<u8> {
    let mut lines = vec![HEADER];
    lines.extend_from_slice(rows);
    lines.join("\r\n").into_bytes()
}

/// The list as the ward keeps it in Excel a month later: written otherwise in ways that are
/// no change (capitals, another tone placement, decomposed Unicode), one real correction
/// (row 3's address), two new people.
fn updated() -> Vec<u8> {
    use unicode_normalization::UnicodeNormalization;
    let decomposed: String = "2;Trần Thị Hương;03/1965;Nữ;;khóm thới an;Buôn bán;1"
        .nfd()
        .collect();
    csv(&[
        "1;NGUYỄN VĂN AN;05/07/1960;Nam;079060001234;Khóm Thới An;Làm ruộng;1",
        &decomposed,
        "3;Đặng Thuỳ Dương;12/12/2001;Nữ;079301009876;Khóm Mỹ Phước;Sinh viên;2",
        "4;Lê Thị Mừng;1948;Nữ;;Khóm Đông Thịnh;;2",
        "5;Võ Văn Năm;20/10/1999;Nam;079099004321;Khóm Thới An;Thợ hồ;1",
        "6;Lê Thị Mừng;1948;Nữ;;Khóm Mỹ Phước;;2",
    ])
}

async fn call(client: &Client, endpoint: &str, request: &ImportRequest, mode: &str) -> Reply {
    let arguments = json!({ "request": request, "mode": mode });
    client
        .post_json(&format!("voters/import/{endpoint}"), &arguments.to_string())
        .await
}

async fn preview_new(client: &Client, request: &ImportRequest) -> Value {
    let reply = call(client, "preview", request, "OnlyNew").await;
    assert_eq!(reply.status, 200, "{:?}", reply.body);
    reply.body["Preview"].clone()
}

async fn commit_new(client: &Client, request: &ImportRequest) -> Reply {
    call(client, "commit", request, "OnlyNew").await
}

async fn voter_count(app: &TestApp, election_id: i64) -> i64 {
    sqlx::query_scalar("select count(*) from voters where election_id = $1")
        .bind(election_id)
        .fetch_one(app.db.pool())
        .await
        .expect("count")
}

/// The ward's first list, imported whole; returns (admin, election id).
async fn ward_with_first_list(app: &TestApp) -> (Client, i64) {
    let admin = app.admin().await;
    let (election_id, _) = election_with_two_areas(&admin).await;
    let token = upload(app, &admin, election_id, "ds.csv", csv(&LISTED)).await;
    let imported = admin
        .voters_import_commit(&import_request(&token, election_id))
        .await;
    assert_eq!(
        imported.body.as_i64(),
        Some(4),
        "[{}] {:?}",
        app.engine,
        imported.body
    );
    (admin, election_id)
}

fn counts(preview: &Value) -> (i64, i64, i64) {
    let update = &preview["update"];
    let count = |key: &str| update[key].as_i64().unwrap_or(-1);
    (count("added"), count("changed"), count("unchanged"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_same_file_again_adds_nobody_and_is_no_error() {
    on_each_engine(|app| async move {
        let engine = app.engine;
        let (admin, election_id) = ward_with_first_list(&app).await;
        let token = upload(&app, &admin, election_id, "ds.csv", csv(&LISTED)).await;
        let request = import_request(&token, election_id);
        // As a whole file it is refused: everyone would be listed twice.
        let whole = admin.voters_import_preview(&request).await;
        assert_eq!(whole.body["Preview"]["can_commit"], false, "[{engine}]");
        let preview = preview_new(&admin, &request).await;
        assert_eq!(counts(&preview), (0, 0, 4), "[{engine}] {preview}");
        assert_eq!(preview["problem_count"], 0, "[{engine}] {preview}");
        assert_eq!(preview["can_commit"], false, "[{engine}] nothing to write");
        let (status, html) = only_new_page(&admin, &request).await;
        assert_eq!(status, 200);
        assert!(html.contains("Không có cử tri mới"), "[{engine}] {html}");
        // The "download every problem" list follows the mode on screen: in this mode a person
        // already listed is not a problem.
        let (status, _, only_new) = admin
            .get(&format!(
                "/voters/import/problems.csv?{}&mode=new",
                request.query()
            ))
            .await;
        assert_eq!(status, 200);
        assert_eq!(
            only_new.lines().count(),
            1,
            "[{engine}] only the heading: {only_new}"
        );
        let (_, _, whole_file) = admin.voters_import_problems_csv(&request).await;
        assert!(whole_file.lines().count() > 1, "[{engine}] {whole_file}");
        let committed = commit_new(&admin, &request).await;
        assert_eq!(committed.status, 200, "[{engine}] {:?}", committed.body);
        assert_eq!(committed.body.as_i64(), Some(0), "[{engine}]");
        assert_eq!(voter_count(&app, election_id).await, 4, "[{engine}]");
        let imports: i64 = sqlx::query_scalar("select count(*) from imports")
            .fetch_one(app.db.pool())
            .await
            .expect("imports");
        assert_eq!(
            imports, 1,
            "[{engine}] an import that adds nobody is not recorded"
        );
    })
    .await;
}

/// The preview page in the only-new mode, as its mode selector reloads it: (status, HTML).
async fn only_new_page(client: &Client, request: &ImportRequest) -> (u16, String) {
    let (status, _, html) = client
        .get(&format!("/voters/import?{}&mode=new", request.query()))
        .await;
    (status, html)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_updated_file_adds_its_new_people_and_shows_the_corrections_unwritten() {
    on_each_engine(|app| async move {
        let engine = app.engine;
        let (admin, election_id) = ward_with_first_list(&app).await;
        let token = upload(&app, &admin, election_id, "ds-moi.csv", updated()).await;
        let request = import_request(&token, election_id);
        let preview = preview_new(&admin, &request).await;
        assert_eq!(counts(&preview), (2, 1, 3), "[{engine}] {preview}");
        assert_eq!(preview["can_commit"], true, "[{engine}] {preview}");
        let added: Vec<(i64, &str)> = preview["update"]["added_rows"]
            .as_array()
            .expect("added rows")
            .iter()
            .map(|row| (row["row"].as_i64().unwrap_or(0), row["full_name"].as_str().unwrap_or("")))
            .collect();
        assert_eq!(
            added,
            [(6, "Võ Văn Năm"), (7, "Lê Thị Mừng")],
            "[{engine}] the same name and birth at another address is another person"
        );
        let changed = &preview["update"]["changed_rows"][0];
        assert_eq!(changed["row"], 4, "[{engine}] {changed}");
        assert_eq!(
            changed["changes"],
            json!([{ "field": "PermanentAddress", "old": "Khóm Đông Thịnh", "new": "Khóm Mỹ Phước" }]),
            "[{engine}] only the address differs: the tone placement of Thùy/Thuỷ is no change"
        );
        let (status, html) = only_new_page(&admin, &request).await;
        assert_eq!(status, 200);
        for text in ["Thêm mới", "Có thông tin khác", "Giữ nguyên", "KHÔNG được ghi"] {
            assert!(html.contains(text), "[{engine}] {text}");
        }

        let committed = commit_new(&admin, &request).await;
        assert_eq!(committed.body.as_i64(), Some(2), "[{engine}] {:?}", committed.body);
        assert_eq!(voter_count(&app, election_id).await, 6, "[{engine}]");
        let address: String = sqlx::query_scalar(
            "select permanent_address from voters where cccd = '079301009876'",
        )
        .fetch_one(app.db.pool())
        .await
        .expect("listed voter");
        assert_eq!(address, "Khóm Đông Thịnh", "[{engine}] a correction is never written by the import");
        let audited: String = sqlx::query_scalar(
            "select after_summary from audit_log where action = 'voters.import' order by seq desc limit 1",
        )
        .fetch_one(app.db.pool())
        .await
        .expect("audit record");
        let audited: Value = serde_json::from_str(&audited).expect("json");
        assert_eq!(
            audited["only_new"],
            json!({ "added": 2, "changed": 1, "unchanged": 3 }),
            "[{engine}] {audited}"
        );

        // The same updated file committed a second time: everyone is listed now.
        let again = upload(&app, &admin, election_id, "ds-moi.csv", updated()).await;
        let request = import_request(&again, election_id);
        assert_eq!(counts(&preview_new(&admin, &request).await), (0, 1, 5), "[{engine}]");
        let committed = commit_new(&admin, &request).await;
        assert_eq!(committed.body.as_i64(), Some(0), "[{engine}] {:?}", committed.body);
        assert_eq!(voter_count(&app, election_id).await, 6, "[{engine}] nothing added twice");
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_header_without_voter_rows_says_so_with_or_without_a_title() {
    on_each_engine(|app| async move {
        let engine = app.engine;
        let admin = app.admin().await;
        let (election_id, _) = election_with_two_areas(&admin).await;
        let files = [
            (
                "tieu-de.csv",
                format!("DANH SÁCH CỬ TRI\r\n{HEADER}\r\n"),
                2,
            ),
            ("chi-tieu-de-cot.csv", format!("{HEADER}\r\n"), 1),
        ];
        for (name, text, header_row) in files {
            let token = upload(&app, &admin, election_id, name, text.into_bytes()).await;
            let request = import_request(&token, election_id);
            let reply = admin.voters_import_preview(&request).await;
            let preview = &reply.body["Preview"];
            assert_eq!(
                preview["header_row"], header_row,
                "[{engine}] {name}: {:?}",
                reply.body
            );
            assert_eq!(preview["voter_rows"], 0, "[{engine}] {name}");
            assert_eq!(preview["can_commit"], false, "[{engine}] {name}");
            let (_, html) = admin.voters_import_page(&request).await;
            let said =
                format!("Tệp có dòng tiêu đề (dòng {header_row}) nhưng không có dòng cử tri nào");
            assert!(html.contains(&said), "[{engine}] {name}");
        }
    })
    .await;
}
