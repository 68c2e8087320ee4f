//! What the import preview says about a file, on each engine: errors before warnings with
//! counts by kind, every problem as a CSV download, a file imported twice, a header without
//! voters, repeated people by name, names that are not Vietnamese, renumbered STTs.

use serde_json::{json, Value};

use app::voters::model::ImportRequest;

use crate::support::api::import_request;
use crate::support::{on_each_engine, Client, TestApp};
use crate::voter_lists::{election_with_two_areas, upload};

/// Uploads `csv` and returns its request and dry run (`Preview` taken apart).
async fn dry_run(
    app: &TestApp,
    admin: &Client,
    election_id: i64,
    csv: &str,
) -> (ImportRequest, Value) {
    let token = upload(app, admin, election_id, "ds.csv", csv.as_bytes().to_vec()).await;
    let request = import_request(&token, election_id);
    let reply = admin.voters_import_preview(&request).await;
    assert_eq!(reply.status, 200, "[{}] {:?}", app.engine, reply.body);
    let preview = reply.body["Preview"].clone();
    assert!(preview.is_object(), "[{}] {:?}", app.engine, reply.body);
    (request, preview)
}

const HEADER: &str = "STT;Họ và tên;Ngày sinh;Giới tính;Số CCCD;Khu vực bỏ phiếu";

/// 2.001 rows of one person (2.000 "probably the same person" warnings) and, last, one row
/// with an impossible birth date.
fn one_error_among_warnings() -> String {
    let mut lines = vec![HEADER.to_string()];
    for stt in 1..=2001 {
        lines.push(format!("{stt};Lê Văn Tư;05/03/1980;Nam;;1"));
    }
    lines.push("2002;Trần Thị Bình;31/02/1990;Nữ;;1".to_string());
    lines.join("\r\n")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_error_among_two_thousand_warnings_comes_first_and_every_problem_downloads() {
    on_each_engine(|app| async move {
        let admin = app.admin().await;
        let (election_id, _) = election_with_two_areas(&admin).await;
        let (request, preview) =
            dry_run(&app, &admin, election_id, &one_error_among_warnings()).await;
        let engine = &app.engine;
        assert_eq!(preview["problem_count"], 2001, "[{engine}]");
        assert_eq!(preview["can_commit"], false, "[{engine}]");
        let problems = preview["problems"].as_array().expect("problems");
        assert_eq!(problems.len(), 500, "[{engine}] the first 500 kept");
        assert_eq!(
            (&problems[0]["row"], &problems[0]["name"]),
            (&json!(2003), &json!("Trần Thị Bình")),
            "[{engine}] the one error first: {}",
            problems[0]
        );
        assert!(
            problems[0]["kind"]["BadBirthDate"].is_object(),
            "[{engine}]"
        );
        assert_eq!(
            problems[1]["kind"]["ProbableDuplicateInFile"],
            json!({ "first_row": 2, "first_name": "Lê Văn Tư" }),
            "[{engine}]"
        );
        assert_eq!(
            preview["problems_by_kind"],
            json!([
                { "code": "BadBirthDate", "count": 1 },
                { "code": "ProbableDuplicateInFile", "count": 2000 },
            ]),
            "[{engine}]"
        );

        // The page shows the counts by kind above the rows, the error row first.
        let (status, html) = admin.voters_import_page(&request).await;
        assert_eq!(status, 200, "[{engine}]");
        let by_kind = html
            .find("id=\"problems-by-kind\"")
            .expect("counts by kind");
        let rows = html.find("id=\"problems-table\"").expect("problem rows");
        assert!(by_kind < rows, "[{engine}] counts above the rows");
        assert!(html.contains("Có thể trùng người trong tệp"), "[{engine}]");
        assert!(
            html.contains("2.000"),
            "[{engine}] counts grouped as Vietnamese write them"
        );
        let first_row = &html[rows..];
        let error_at = first_row.find("31/02/1990").expect("error row");
        let warning_at = first_row
            .find("trùng người với dòng 2")
            .expect("warning row");
        assert!(error_at < warning_at, "[{engine}] the error row first");
        assert!(
            html.contains("/voters/import/problems.csv?token="),
            "[{engine}]"
        );

        let (status, headers, csv) = admin.voters_import_problems_csv(&request).await;
        assert_eq!(status, 200, "[{engine}] {csv}");
        assert_eq!(headers["content-type"], "text/csv; charset=utf-8");
        assert!(headers["content-disposition"]
            .to_str()
            .unwrap_or_default()
            .starts_with("attachment;"));
        assert!(csv.starts_with('\u{FEFF}'), "[{engine}] a BOM for Excel");
        let lines: Vec<&str> = csv.trim_end().split("\r\n").collect();
        assert_eq!(
            lines[0], "\u{FEFF}Dòng;Cột;Mức độ;Loại;Mã loại;Nội dung;Họ và tên",
            "[{engine}]"
        );
        assert_eq!(lines.len(), 1 + 2001, "[{engine}] every problem, not 500");
        assert_eq!(
            lines[1],
            "3;Họ và tên;Lưu ý;Có thể trùng người trong tệp;ProbableDuplicateInFile;\
             Có thể trùng người với dòng 2: Lê Văn Tư (cùng họ tên và ngày sinh).;Lê Văn Tư",
            "[{engine}]"
        );
        assert!(
            lines[2001].starts_with("2003;Ngày sinh;Lỗi;Ngày sinh không hợp lệ;BadBirthDate;"),
            "[{engine}] {}",
            lines[2001]
        );

        // Someone else's staged file is not theirs to read.
        let other = app.user_with_role(&admin, "quantri2", "admin").await;
        let (status, _, _) = other.voters_import_problems_csv(&request).await;
        assert_eq!(status, 410, "[{engine}]");
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_file_with_a_header_and_no_voters_says_so_instead_of_errors() {
    on_each_engine(|app| async move {
        let admin = app.admin().await;
        let (election_id, _) = election_with_two_areas(&admin).await;
        let csv = format!("{HEADER}\r\n");
        let (request, preview) = dry_run(&app, &admin, election_id, &csv).await;
        let engine = &app.engine;
        assert_eq!(preview["voter_rows"], 0, "[{engine}]");
        assert_eq!(preview["problem_count"], 0, "[{engine}]");
        assert_eq!(preview["can_commit"], false, "[{engine}]");
        let (_, html) = admin.voters_import_page(&request).await;
        assert!(
            html.contains("Tệp có dòng tiêu đề (dòng 1) nhưng không có dòng cử tri nào bên dưới"),
            "[{engine}]"
        );
        assert!(
            !html.contains("Còn lỗi"),
            "[{engine}] no errors to speak of"
        );
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn repeated_people_are_named_not_only_numbered() {
    on_each_engine(|app| async move {
        let admin = app.admin().await;
        let (election_id, _) = election_with_two_areas(&admin).await;
        let csv = format!(
            "{HEADER}\r\n\
             1;Nguyễn Văn An;05/03/1980;Nam;079080001234;1\r\n\
             2;Nguyễn văn An;05/03/1980;Nam;;1\r\n\
             3;Võ Văn Em;1980;Nam;079080001234;1\r\n"
        );
        let (request, preview) = dry_run(&app, &admin, election_id, &csv).await;
        let engine = &app.engine;
        let kinds: Vec<&Value> = preview["problems"]
            .as_array()
            .expect("problems")
            .iter()
            .map(|p| &p["kind"])
            .collect();
        assert_eq!(
            kinds,
            [
                &json!({ "DuplicateCccdInFile": { "first_row": 2, "first_name": "Nguyễn Văn An" } }),
                &json!({ "ProbableDuplicateInFile": { "first_row": 2, "first_name": "Nguyễn Văn An" } }),
            ],
            "[{engine}] the error first, each naming the first row's person"
        );
        let (_, html) = admin.voters_import_page(&request).await;
        assert!(
            html.contains("Số CCCD trùng với dòng 2: Nguyễn Văn An."),
            "[{engine}]"
        );
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_name_that_is_not_vietnamese_is_questioned_with_a_reading() {
    on_each_engine(|app| async move {
        let admin = app.admin().await;
        let (election_id, _) = election_with_two_areas(&admin).await;
        let csv = format!(
            "{HEADER}\r\n\
             1;Nguyễn Thị Thuë;05/03/1980;Nữ;;1\r\n\
             2;Ksor H'Hen;1985;Nữ;;1\r\n\
             3;Nguyen Van Binh;1985;Nam;;1\r\n"
        );
        let (request, preview) = dry_run(&app, &admin, election_id, &csv).await;
        let engine = &app.engine;
        assert_eq!(
            preview["problems"],
            json!([{
                "row": 2,
                "column": "FullName",
                "kind": { "NotVietnameseWord": { "word": "Thuë", "suggestion": "Thuở" } },
                "name": "Nguyễn Thị Thuë",
            }]),
            "[{engine}] minority names and names without diacritics pass"
        );
        assert_eq!(preview["can_commit"], true, "[{engine}] a warning only");
        let committed = admin.voters_import_commit(&request).await;
        assert_eq!(committed.body, 3, "[{engine}]");
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stt_repeated_or_out_of_order_within_an_area_is_announced() {
    on_each_engine(|app| async move {
        let admin = app.admin().await;
        let (election_id, areas) = election_with_two_areas(&admin).await;
        let csv = format!(
            "{HEADER}\r\n\
             1;Lê Văn An;1980;Nam;;1\r\n\
             1;Lê Văn Bình;1980;Nam;;2\r\n\
             2;Lê Văn Cường;1980;Nam;;1\r\n\
             2;Lê Văn Dũng;1980;Nam;;1\r\n\
             4;Lê Văn Em;1980;Nam;;1\r\n\
             3;Lê Văn Giang;1980;Nam;;1\r\n"
        );
        let (request, preview) = dry_run(&app, &admin, election_id, &csv).await;
        let engine = &app.engine;
        assert_eq!(
            preview["renumbered"],
            json!({
                "rows": 2,
                "examples": [
                    { "row": 5, "area_id": areas[0], "stt": 2, "previous": 2 },
                    { "row": 7, "area_id": areas[0], "stt": 3, "previous": 4 },
                ],
            }),
            "[{engine}]"
        );
        assert_eq!(preview["can_commit"], true, "[{engine}]");
        let (_, html) = admin.voters_import_page(&request).await;
        assert!(
            html.contains("2 dòng có STT trùng hoặc nhỏ hơn dòng trước trong cùng khu vực bỏ phiếu, ví dụ dòng 5 (khu vực 1): STT 2 sau STT 2; dòng 7 (khu vực 1): STT 3 sau STT 4."),
            "[{engine}]"
        );
        assert_eq!(admin.voters_import_commit(&request).await.body, 6);
        let numbered: Vec<(String, i64)> = sqlx::query_as(
            "select full_name, stt from voters where polling_area_id = $1 order by stt",
        )
        .bind(areas[0])
        .fetch_all(app.db.pool())
        .await
        .expect("voters");
        let names: Vec<(&str, i64)> = numbered.iter().map(|(n, s)| (n.as_str(), *s)).collect();
        assert_eq!(
            names,
            [
                ("Lê Văn An", 1),
                ("Lê Văn Cường", 2),
                ("Lê Văn Dũng", 3),
                ("Lê Văn Em", 4),
                ("Lê Văn Giang", 5),
            ],
            "[{engine}] numbered in file order, as the notice said"
        );
    })
    .await;
}

/// A file with CCCDs imported again: every row is an error (CCCD listed) and a warning
/// (probably listed); the notice counts the file's rows, not the rows without errors, and
/// comes before the problems.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_imported_twice_notice_counts_the_files_rows_above_the_problems() {
    on_each_engine(|app| async move {
        let admin = app.admin().await;
        let (election_id, _) = election_with_two_areas(&admin).await;
        let csv = format!(
            "{HEADER}\r\n\
             1;Nguyễn Văn An;05/03/1980;Nam;079080001234;1\r\n\
             2;Trần Thị Bình;1975;Nữ;;1\r\n\
             3;Lê Văn Cường;03/1966;Nam;079066001235;2\r\n\
             4;Phạm Thị Dung;1990;Nữ;079190001236;2\r\n"
        );
        let (first, _) = dry_run(&app, &admin, election_id, &csv).await;
        assert_eq!(admin.voters_import_commit(&first).await.body, 4);
        let (again, preview) = dry_run(&app, &admin, election_id, &csv).await;
        let engine = &app.engine;
        assert_eq!(preview["already_listed"], 4, "[{engine}]");
        assert_eq!(preview["voter_rows"], 4, "[{engine}]");
        assert_eq!(
            preview["totals"]["rows"], 1,
            "[{engine}] only row 2 has no error"
        );
        let (_, html) = admin.voters_import_page(&again).await;
        let notice = html
            .find("Có vẻ tệp này đã được nhập trước đây: 4 / 4 dòng cử tri")
            .expect("the notice, with the file's rows");
        let problems = html.find("id=\"import-problems\"").expect("problems");
        assert!(
            notice < problems,
            "[{engine}] the notice above the problems"
        );
    })
    .await;
}
