//! Voter lists end to end over HTTP: set-up, upload, dry run, all-or-nothing commit, search and
//! the list PDF, on each engine.

use app::domain::ids::{AreaId, ElectionId};
use std::collections::HashMap;

use app::domain::text;
use serde_json::{json, Value};

use app::voters::model::{ImportRequest, VoterInput};

use crate::support::api::{import_request, voter};
use crate::support::{have_pdftotext, on_each_engine, pdf_text, Client, TestApp};

/// Ward, one election (15/03/2026) and two polling areas; returns (election id, area ids).
pub(crate) async fn election_with_two_areas(admin: &Client) -> (i64, [i64; 2]) {
    let ward = admin
        .voters_ward_save("Phường Mỹ Thới", "Tỉnh An Giang")
        .await;
    assert_eq!(ward.status, 200, "{:?}", ward.body);
    let election = admin
        .voters_elections_create(
            "Bầu cử ĐBQH khóa XVI và HĐND các cấp nhiệm kỳ 2026–2031",
            "15/03/2026",
            Some("1"),
            Some("1"),
            Some("1"),
        )
        .await;
    let election_id = election.body.as_i64().expect("election id");
    let mut areas = [0; 2];
    for (index, (number, name)) in [(1, "Khóm Thới An"), (2, "Khóm Đông Thịnh")]
        .into_iter()
        .enumerate()
    {
        let area = admin
            .voters_areas_create(election_id, number, name, "")
            .await;
        areas[index] = area
            .body
            .as_i64()
            .unwrap_or_else(|| panic!("area id: {:?}", area.body));
    }
    (election_id, areas)
}

/// The first administrator, an election with two areas, and `utf8_csv` imported into it.
async fn ward_with_six_voters(app: &TestApp) -> (Client, i64, [i64; 2]) {
    let admin = app.admin().await;
    let (election_id, areas) = election_with_two_areas(&admin).await;
    let token = upload(
        app,
        &admin,
        election_id,
        "ds.csv",
        utf8_csv(";").into_bytes(),
    )
    .await;
    assert_eq!(
        commit(&admin, &token, election_id).await.body.as_i64(),
        Some(6),
        "[{}]",
        app.engine
    );
    // Each "Chủ hộ" row starts a household; the rows after it join it.
    let households: Vec<(i64, i64)> = sqlx::query_as(
        "select count(distinct household_id), count(*) - count(household_id) from voters where election_id = $1",
    )
    .bind(election_id)
    .fetch_all(app.db.pool())
    .await
    .expect("households");
    assert_eq!(
        households,
        [(2, 0)],
        "[{}] two households, every voter in one",
        app.engine
    );
    (admin, election_id, areas)
}

/// Uploads like the browser's form; returns the staging token.
pub(crate) async fn upload(
    app: &TestApp,
    client: &Client,
    election_id: i64,
    file_name: &str,
    bytes: Vec<u8>,
) -> String {
    let form = reqwest::multipart::Form::new()
        .text("election_id", election_id.to_string())
        .text("default_area", "")
        .part(
            "file",
            reqwest::multipart::Part::bytes(bytes).file_name(file_name.to_string()),
        );
    let response = client
        .http
        .post(format!("{}/voters/import/upload", app.base_url))
        .multipart(form)
        .send()
        .await
        .expect("upload sent");
    assert_eq!(
        response.status().as_u16(),
        303,
        "[{}] upload answers with a redirect to the preview",
        app.engine
    );
    let location = response
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .expect("location")
        .to_string();
    location
        .split("token=")
        .nth(1)
        .and_then(|rest| rest.split('&').next())
        .expect("token")
        .to_string()
}

/// The staged file `token` as uploaded: no default area, the encoding, sheet and columns found.
fn request(token: &str, election_id: i64) -> ImportRequest {
    import_request(token, election_id)
}

async fn preview(client: &Client, token: &str, election_id: i64) -> Value {
    let reply = client
        .voters_import_preview(&request(token, election_id))
        .await;
    assert_eq!(reply.status, 200, "{:?}", reply.body);
    reply.body
}

async fn commit(client: &Client, token: &str, election_id: i64) -> crate::support::Reply {
    client
        .voters_import_commit(&request(token, election_id))
        .await
}

async fn voter_rows(
    app: &TestApp,
    election_id: i64,
) -> Vec<(String, i64, Option<i64>, String, i64, i64)> {
    sqlx::query_as(
        "select v.full_name, v.birth_year, v.birth_month, v.gender, a.number, v.stt from voters v \
         join polling_areas a on a.id = v.polling_area_id where a.election_id = $1 order by a.number, v.stt",
    )
    .bind(election_id)
    .fetch_all(app.db.pool())
    .await
    .expect("voters")
}

const HEADER: &str =
    "STT;Họ và tên;Ngày sinh;Giới tính;Số CCCD;Nơi thường trú;Khu vực bỏ phiếu;Chủ hộ";
const ROWS: [&str; 6] = [
    "1;Nguyễn Văn An;05/07/1960;Nam;079060001234;Khóm Thới An;1;x",
    "2;Trần Thị Hương;03/1965;Nữ;;Khóm Thới An;1;",
    "3;Nguyễn Văn Anh;1990;Nam;;Khóm Thới An;1;",
    "4;Đặng Thùy Dương;12/12/2001;Nữ;079301009876;Khóm Đông Thịnh;2;x",
    "5;Lê Thị Mừng;1948;Nữ;;Khóm Đông Thịnh;2;",
    "6;Phạm Ngọc Lược;15/03/2008;Nam;;Khóm Đông Thịnh;2;",
];

pub(crate) fn utf8_csv(separator: &str) -> String {
    let mut lines = vec![
        "ỦY BAN NHÂN DÂN PHƯỜNG MỸ THỚI".to_string(),
        "DANH SÁCH CỬ TRI".to_string(),
        HEADER.replace(';', separator),
    ];
    lines.extend(ROWS.iter().map(|r| r.replace(';', separator)));
    lines.join("\r\n") + "\r\n"
}

/// Encodes text in a legacy encoding by inverting the (separately unit-tested) decoders.
/// The test names avoid capital toned vowels: TCVN3's plain fonts cannot write them at all.
fn legacy_encode(text_in: &str, tcvn3: bool) -> Vec<u8> {
    let mut table: HashMap<char, Vec<u8>> = HashMap::new();
    for byte in 0x80u8..=0xFF {
        let decoded = if tcvn3 {
            text::decode_tcvn3_bytes(&[byte], false)
        } else {
            text::decode_vni_bytes(&[byte])
        };
        let mut chars = decoded.chars();
        if let (Some(c), None) = (chars.next(), chars.next()) {
            if !c.is_ascii() && !table.contains_key(&c) {
                table.insert(c, vec![byte]);
            }
        }
        if !tcvn3 {
            let bases = "aeiouyAEIOUY".bytes().chain(0x80u8..=0xFF);
            for base in bases {
                let decoded = text::decode_vni_bytes(&[base, byte]);
                let mut chars = decoded.chars();
                if let (Some(c), None) = (chars.next(), chars.next()) {
                    table.entry(c).or_insert_with(|| vec![base, byte]);
                }
            }
        }
    }
    text::nfc(text_in)
        .chars()
        .flat_map(|c| {
            if c.is_ascii() {
                vec![c as u8]
            } else if let Some(bytes) = table.get(&c) {
                bytes.clone()
            } else {
                panic!("no legacy code for {c:?}")
            }
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_real_world_format_imports_to_the_same_nfc_data() {
    on_each_engine(|app| async move {
        let admin = app.admin().await;
        let nfc = utf8_csv(";");
        let mut nfd_bom = b"\xEF\xBB\xBF".to_vec();
        nfd_bom.extend(unicode_nfd(&utf8_csv(",")).as_bytes());
        // Legacy files carry no capital toned letters in names here except those TCVN3 lacks.
        let legacy_source = utf8_csv("\t")
            .replace(
                "ỦY BAN NHÂN DÂN PHƯỜNG MỸ THỚI",
                "Ủy ban nhân dân phường Mỹ Thới".to_lowercase().as_str(),
            )
            .replace("DANH SÁCH CỬ TRI", "danh sách cử tri");
        // Exported by software set up for the United States: month before day.
        let us_dates =
            ["05/07/1960", "12/12/2001", "15/03/2008"]
                .iter()
                .fold(utf8_csv(","), |csv, date| {
                    let (day, rest) = date.split_once('/').expect("d/m/y");
                    let (month, year) = rest.split_once('/').expect("m/y");
                    csv.replace(date, &format!("{month}/{day}/{year}"))
                });
        assert!(us_dates.contains("03/15/2008") && us_dates.contains("07/05/1960"));
        let formats: Vec<(&str, Vec<u8>)> = vec![
            ("utf8-nfc-semicolon.csv", nfc.into_bytes()),
            ("us-dates.csv", us_dates.into_bytes()),
            ("utf8-bom-nfd-comma.csv", nfd_bom),
            ("tcvn3-tab.csv", legacy_encode(&legacy_source, true)),
            ("vni-tab.csv", legacy_encode(&legacy_source, false)),
            // Excel's "Unicode Text" export: UTF-16 little-endian with a BOM, tab-separated.
            (
                "unicode-text.txt",
                std::iter::once(0xFEFF)
                    .chain(utf8_csv("\t").encode_utf16())
                    .flat_map(u16::to_le_bytes)
                    .collect(),
            ),
        ];
        let mut imported = Vec::new();
        for (file_name, bytes) in formats {
            let (election_id, _) = election_with_two_areas(&admin).await;
            let token = upload(&app, &admin, election_id, file_name, bytes).await;
            let preview = preview(&admin, &token, election_id).await;
            let preview = &preview["Preview"];
            assert_eq!(
                preview["can_commit"], true,
                "[{}] {file_name}: {preview:#}",
                app.engine
            );
            assert_eq!(preview["totals"]["rows"], 6, "[{}] {file_name}", app.engine);
            assert_eq!(
                (
                    preview["totals"]["men"].as_i64(),
                    preview["totals"]["women"].as_i64()
                ),
                (Some(3), Some(3))
            );
            let done = commit(&admin, &token, election_id).await;
            assert_eq!(
                done.body.as_i64(),
                Some(6),
                "[{}] {file_name}: {:?}",
                app.engine,
                done.body
            );
            assert_eq!(
                preview["dates_month_first"],
                file_name == "us-dates.csv",
                "[{}] {file_name}: date order",
                app.engine
            );
            imported.push((
                file_name,
                preview["encoding"].as_str().unwrap_or_default().to_string(),
                voter_rows(&app, election_id).await,
            ));
        }
        let expected_encodings = ["utf-8", "utf-8", "utf-8", "tcvn3", "vni", "utf-8"];
        for ((file_name, encoding, _), expected) in imported.iter().zip(expected_encodings) {
            assert_eq!(
                encoding, expected,
                "[{}] {file_name} detected encoding",
                app.engine
            );
        }
        let reference = &imported[0].2;
        assert_eq!(reference[0].0, "Nguyễn Văn An");
        assert!(
            reference.iter().all(|row| text::nfc(&row.0) == row.0),
            "stored NFC"
        );
        // Card numbers follow the file order per area, starting at 1.
        let numbers: Vec<(i64, i64)> = reference.iter().map(|r| (r.4, r.5)).collect();
        assert_eq!(numbers, [(1, 1), (1, 2), (1, 3), (2, 1), (2, 2), (2, 3)]);
        for (file_name, _, rows) in &imported[1..] {
            assert_eq!(
                rows, reference,
                "[{}] {file_name} imports identical data",
                app.engine
            );
        }
    })
    .await;
}

fn unicode_nfd(text_in: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    text_in.nfd().collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_or_broken_files_are_refused_and_change_nothing() {
    on_each_engine(|app| async move {
        let admin = app.admin().await;
        let (election_id, _) = election_with_two_areas(&admin).await;
        let huge_field = format!(
            "{HEADER}\r\n1;{};1960;Nam;;;1;\r\n",
            "A".repeat(5 * 1024 * 1024)
        );
        let garbage: Vec<u8> = (0..20_000u32)
            .map(|i| ((i.wrapping_mul(2_654_435_761) >> 24) as u8).max(1))
            .collect();
        let cases: Vec<(&str, Vec<u8>, &str)> = vec![
            ("rong.csv", Vec::new(), "Empty"),
            (
                "nul.csv",
                format!("{HEADER}\r\n1;Nguyễn\0 Văn An;1960;Nam;;;1;\r\n").into_bytes(),
                "NulBytes",
            ),
            ("rac.csv", garbage, "NotText"),
            ("o-qua-dai.csv", huge_field.into_bytes(), "CellTooLong"),
            (
                "cat-cut.csv",
                format!("{HEADER}\r\n1;\"Nguyễn Văn An;1960").into_bytes(),
                "UnterminatedQuote",
            ),
            (
                "khong-tieu-de.csv",
                b"a;b;c\r\n1;2;3\r\n".to_vec(),
                "NoHeader",
            ),
        ];
        for (file_name, bytes, expected) in cases {
            let token = upload(&app, &admin, election_id, file_name, bytes).await;
            let outcome = preview(&admin, &token, election_id).await;
            let rejected = &outcome["Rejected"];
            let kind = rejected
                .as_str()
                .map(str::to_string)
                .or_else(|| rejected.as_object().and_then(|o| o.keys().next().cloned()));
            assert_eq!(
                kind.as_deref(),
                Some(expected),
                "[{}] {file_name}: {outcome}",
                app.engine
            );
            let refused = commit(&admin, &token, election_id).await;
            assert_eq!(
                refused.error_code(),
                Some("ImportHasErrors"),
                "[{}] {file_name}",
                app.engine
            );
        }
        assert!(
            voter_rows(&app, election_id).await.is_empty(),
            "[{}] nothing was written",
            app.engine
        );
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_file_with_row_errors_is_reported_row_by_row_and_not_written() {
    on_each_engine(|app| async move {
        let admin = app.admin().await;
        let (election_id, _) = election_with_two_areas(&admin).await;
        let csv = format!(
            "{HEADER}\n{}\n7;Võ Văn Bảy;31/02/1990;Nam;;;1;\n8;Hồ Thị Tám;1970;Nữ;079060001234;;1;\n9;Mai Văn Chín;1950;Nam;;;7;\n10;Trịnh Văn Mười;16/03/2008;Nam;;;1;\n",
            ROWS.join("\n")
        );
        let token = upload(&app, &admin, election_id, "loi.csv", csv.into_bytes()).await;
        let outcome = preview(&admin, &token, election_id).await;
        let problems = outcome["Preview"]["problems"].as_array().expect("problems").clone();
        let found: Vec<(i64, String)> = problems
            .iter()
            .map(|p| (p["row"].as_i64().unwrap_or(0), p["kind"].to_string()))
            .collect();
        let has = |row: i64, needle: &str| found.iter().any(|(r, kind)| *r == row && kind.contains(needle));
        // Row 7 (born 15/03/2008) turns 18 on election day and may vote; row 11 (16/03) may not.
        assert!(!found.iter().any(|(r, _)| *r == 7), "[{}] {found:?}", app.engine);
        assert!(has(8, "BadBirthDate"), "{found:?}");
        assert!(has(9, "DuplicateCccdInFile"), "{found:?}");
        assert!(has(10, "UnknownArea"), "{found:?}");
        assert!(has(11, "Under18"), "{found:?}");
        assert_eq!(outcome["Preview"]["can_commit"], false);
        let refused = commit(&admin, &token, election_id).await;
        assert_eq!(refused.error_code(), Some("ImportHasErrors"));
        assert!(voter_rows(&app, election_id).await.is_empty(), "[{}] all or nothing", app.engine);
    })
    .await;
}

/// Rows are numbered as a spreadsheet shows the file: an address written over two lines in a
/// quoted cell stays in its row, so the problems after it name the rows the user sees.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_line_break_inside_a_quoted_cell_does_not_shift_the_row_numbers() {
    on_each_engine(|app| async move {
        let admin = app.admin().await;
        let (election_id, _) = election_with_two_areas(&admin).await;
        let csv = format!(
            "{HEADER}\r\n1;Nguyễn Văn An;05/07/1960;Nam;;\"Số 12, đường 3/2\r\nKhóm Thới An\";1;x\r\n2;Trần Thị Hương;31/02/1965;Nữ;;Khóm Thới An;1;\r\n"
        );
        let token = upload(&app, &admin, election_id, "nhieu-dong.csv", csv.into_bytes()).await;
        let outcome = preview(&admin, &token, election_id).await;
        let problems = outcome["Preview"]["problems"].as_array().expect("problems").clone();
        let rows: Vec<i64> = problems
            .iter()
            .filter(|p| p["kind"].to_string().contains("BadBirthDate"))
            .map(|p| p["row"].as_i64().unwrap_or(0))
            .collect();
        assert_eq!(rows, vec![3], "[{}] {problems:?}", app.engine);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn search_finds_voters_typed_without_diacritics() {
    on_each_engine(|app| async move {
        let (admin, election_id, areas) = ward_with_six_voters(&app).await;
        let search = |query: &'static str, area: Option<i64>| {
            let admin = &admin;
            async move {
                let reply = admin.voters_search(election_id, area, query).await;
                assert_eq!(reply.status, 200, "{query}: {:?}", reply.body);
                reply
                    .body
                    .as_array()
                    .expect("results")
                    .iter()
                    .map(|v| v["full_name"].as_str().unwrap_or_default().to_string())
                    .collect::<Vec<_>>()
            }
        };
        assert_eq!(
            search("nguyen van an", None).await,
            ["Nguyễn Văn An", "Nguyễn Văn Anh"],
            "[{}] exact before prefix",
            app.engine
        );
        assert_eq!(search("nguyen van anh", None).await, ["Nguyễn Văn Anh"]);
        assert_eq!(
            search("nguyen van a", None).await,
            ["Nguyễn Văn An", "Nguyễn Văn Anh"]
        );
        assert_eq!(
            search("ng v an", None).await,
            ["Nguyễn Văn An", "Nguyễn Văn Anh"],
            "token prefixes in order"
        );
        assert_eq!(search("thi huong", None).await, ["Trần Thị Hương"]);
        assert_eq!(
            search("thị hương", None).await,
            ["Trần Thị Hương"],
            "with diacritics too"
        );
        assert_eq!(
            search("dang thuy", None).await,
            ["Đặng Thùy Dương"],
            "đ folds to d"
        );
        assert_eq!(
            search("D", None).await,
            ["Đặng Thùy Dương"],
            "a single letter matches the start of a word"
        );
        assert_eq!(search("mung", None).await, ["Lê Thị Mừng"]);
        assert_eq!(
            search("an nguyen", None).await,
            Vec::<String>::new(),
            "tokens must come in order"
        );
        assert_eq!(
            search("079301009876", None).await,
            ["Đặng Thùy Dương"],
            "by CCCD"
        );
        assert_eq!(search("1948", None).await, ["Lê Thị Mừng"], "by birth year");
        assert_eq!(
            search("nguyen", Some(areas[1])).await,
            Vec::<String>::new(),
            "area filter"
        );
        assert_eq!(
            search("3", Some(areas[0])).await,
            ["Nguyễn Văn Anh"],
            "by card number within an area"
        );
    })
    .await;
}

/// The indexes of the voters table, with their definitions. A large import on SQLite drops
/// some of them in its transaction and builds them again before it commits.
async fn voter_indexes(app: &TestApp) -> Vec<(String, String)> {
    let sql = if app.db.engine() == app::storage::Engine::Sqlite {
        "select name, coalesce(sql, '') from sqlite_master where type = 'index' and tbl_name = 'voters' order by name"
    } else {
        "select indexname::text, indexdef from pg_indexes where tablename = 'voters' order by indexname"
    };
    sqlx::query_as(sql)
        .fetch_all(app.db.pool())
        .await
        .expect("indexes")
}

/// What the server says of the dry run or commit of a staged file (null when neither runs).
async fn import_progress(client: &Client, token: &str) -> Value {
    let reply = client.voters_import_progress(token).await;
    assert_eq!(reply.status, 200, "{:?}", reply.body);
    reply.body
}

/// Asks for the progress of `token` until `task` ends: the task's result, and every progress
/// seen meanwhile.
async fn progress_while<T>(
    client: &Client,
    token: &str,
    task: tokio::task::JoinHandle<T>,
) -> (T, Vec<Value>) {
    let mut seen = Vec::new();
    while !task.is_finished() {
        let now = import_progress(client, token).await;
        if !now.is_null() {
            seen.push(now);
        }
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    (task.await.expect("task"), seen)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_running_import_shows_its_uploader_how_far_it_has_come() {
    const ROWS: u64 = 20_000;
    on_each_engine(|app| async move {
        let admin = app.admin().await;
        let (election_id, _) = election_with_two_areas(&admin).await;
        let mut csv = format!("{}\n", server::generator::CSV_HEADER);
        for (index, voter) in server::generator::voters(7, ROWS, 2).enumerate() {
            csv.push_str(&server::generator::csv_line(index as u64 + 1, &voter));
            csv.push('\n');
        }
        let token = upload(&app, &admin, election_id, "lon.csv", csv.into_bytes()).await;
        let engine = app.engine;
        let indexes_before = voter_indexes(&app).await;
        assert_eq!(
            import_progress(&admin, &token).await,
            Value::Null,
            "[{engine}] nothing before the dry run"
        );

        // The dry run tells how far it has read, too.
        let previewing = tokio::spawn({
            let admin = admin.clone();
            let token = token.clone();
            async move { preview(&admin, &token, election_id).await }
        });
        let (previewed, reading) = progress_while(&admin, &token, previewing).await;
        assert_eq!(
            previewed["Preview"]["totals"]["rows"],
            json!(ROWS),
            "[{engine}] {previewed}"
        );
        assert!(
            reading
                .iter()
                .any(|step| step["stage"] == "Reading" && step["total"] == json!(ROWS)),
            "[{engine}] the dry run was seen with its row count: {reading:?}"
        );
        for step in &reading {
            assert_eq!(step["stage"], "Reading", "[{engine}] {step}");
            assert!(
                step["done"].as_u64() <= step["total"].as_u64(),
                "[{engine}] {step}"
            );
        }
        assert_eq!(
            import_progress(&admin, &token).await,
            Value::Null,
            "[{engine}] nothing between the dry run and the commit"
        );

        let committing = tokio::spawn({
            let admin = admin.clone();
            let token = token.clone();
            async move { commit(&admin, &token, election_id).await }
        });
        let (committed, seen) = progress_while(&admin, &token, committing).await;
        assert_eq!(committed.status, 200, "[{engine}] {:?}", committed.body);
        assert_eq!(committed.body, json!(ROWS), "[{engine}]");
        assert!(
            !seen.is_empty(),
            "[{engine}] the commit was never seen running"
        );
        let mut last_done = 0;
        for step in &seen {
            let (done, total) = (
                step["done"].as_u64().unwrap(),
                step["total"].as_u64().unwrap(),
            );
            assert!(done <= total, "[{engine}] {step}");
            if step["stage"] == "Writing" {
                assert_eq!(total, ROWS, "[{engine}] {step}");
                assert!(
                    done >= last_done,
                    "[{engine}] progress never goes back: {seen:?}"
                );
                last_done = done;
            }
        }
        assert_eq!(
            import_progress(&admin, &token).await,
            Value::Null,
            "[{engine}] nothing after it"
        );
        assert_eq!(
            voter_indexes(&app).await,
            indexes_before,
            "[{engine}] every index of the voters is there again"
        );
        let cccd = server::generator::voters(7, ROWS, 2)
            .find_map(|v| v.cccd)
            .expect("a CCCD");
        let listed: i64 =
            sqlx::query_scalar("select count(*) from voters where election_id = $1 and cccd = $2")
                .bind(election_id)
                .bind(&cccd)
                .fetch_one(app.db.pool())
                .await
                .expect("count");
        assert_eq!(
            listed, 1,
            "[{engine}] the rebuilt CCCD index finds the voter"
        );
        // Four batches of 5.000 rows: households that straddle a batch stay one household, and
        // every household of the file is one in the list.
        let households_in_file = server::generator::voters(7, ROWS, 2)
            .map(|v| v.household)
            .collect::<std::collections::HashSet<_>>()
            .len();
        let (households, members): (i64, i64) = sqlx::query_as(
            "select count(distinct household_id), count(household_id) from voters where election_id = $1",
        )
        .bind(election_id)
        .fetch_one(app.db.pool())
        .await
        .expect("households");
        assert_eq!(
            (households, members),
            (
                i64::try_from(households_in_file).unwrap(),
                i64::try_from(ROWS).unwrap()
            ),
            "[{engine}] one household per household of the file, every voter in one"
        );
    })
    .await;
}

/// The import route takes files past the 64 MB it used to (a million-row CSV is ≈ 105 MB): the
/// upload is staged (`upload` checks the redirect to the dry run). Reading a file that large is
/// measured by `cutri-bench import`, not here: unoptimised, it takes minutes.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_import_upload_takes_files_larger_than_64_mb() {
    on_each_engine(|app| async move {
        let admin = app.admin().await;
        let (election_id, _) = election_with_two_areas(&admin).await;
        let row = format!(
            "1;Nguyễn Văn An;1960;Nam;;{};1;\n",
            "Khóm Thới An ".repeat(300)
        );
        let mut csv = format!("{HEADER}\n");
        while csv.len() <= 65 * 1024 * 1024 {
            csv.push_str(&row);
        }
        // Past the old limit the route answered 413 instead of this redirect to the dry run.
        let token = upload(&app, &admin, election_id, "lon.csv", csv.into_bytes()).await;
        assert!(!token.is_empty(), "[{}]", app.engine);
    })
    .await;
}

/// The commit writes batch after batch in one transaction while it reads; a problem found in a
/// late batch must still leave nothing behind. The dry run was clean: the duplicate CCCD
/// appears in the database only between the dry run and the commit.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_problem_in_a_late_batch_rolls_back_the_batches_already_written() {
    // Enough rows for SQLite to set its random-key indexes aside during the import.
    const ROWS: u64 = 20_000;
    on_each_engine(|app| async move {
        let engine = app.engine;
        let admin = app.admin().await;
        let (election_id, areas) = election_with_two_areas(&admin).await;
        let voters: Vec<_> = server::generator::voters(7, ROWS, 2).collect();
        let mut csv = format!("{}\n", server::generator::CSV_HEADER);
        for (index, voter) in voters.iter().enumerate() {
            csv.push_str(&server::generator::csv_line(index as u64 + 1, voter));
            csv.push('\n');
        }
        let token = upload(&app, &admin, election_id, "lon.csv", csv.into_bytes()).await;
        let dry_run = preview(&admin, &token, election_id).await;
        assert_eq!(dry_run["Preview"]["can_commit"], true, "[{engine}] {dry_run}");

        // Someone lists a voter whose CCCD is on one of the file's last rows, after two full
        // batches (of 5.000) would already be in the transaction.
        let late_cccd = voters
            .iter()
            .skip(19_000)
            .find_map(|v| v.cccd.clone())
            .expect("a late row with a CCCD");
        let mut tx = app.db.begin_write().await.expect("tx");
        let stt = app::storage::voters::highest_stt(&mut tx, AreaId::new(areas[0]))
            .await
            .expect("stt")
            .unwrap_or(0)
            + 1;
        app::storage::voters::insert_voters(
            &mut tx,
            &[app::storage::voters::NewVoter {
                election_id: ElectionId::new(election_id),
                area_id: AreaId::new(areas[0]),
                stt,
                household_id: None,
                is_head: false,
                full_name: "Người Khác",
                name_folded: "nguoi khac",
                birth: app::domain::voter::BirthDate::Year(1970),
                gender: app::domain::voter::Gender::Female,
                ethnicity: "Kinh",
                occupation: "",
                cccd: Some(&late_cccd),
                permanent_address: "",
                temporary_address: "",
                temporary_since: None,
                levels: app::domain::voter::Levels::ALL,
                notes: "",
                card_code: "khac-0000000001",
                import_id: None,
            }],
            0,
        )
        .await
        .expect("insert");
        tx.commit().await.expect("commit");

        let indexes_before = voter_indexes(&app).await;
        let refused = commit(&admin, &token, election_id).await;
        assert_eq!(refused.error_code(), Some("ImportHasErrors"), "[{engine}]");
        assert_eq!(
            voter_indexes(&app).await,
            indexes_before,
            "[{engine}] the failed import leaves every index of the voters in place"
        );
        let counts: (i64, i64, i64, i64) = sqlx::query_as(
            "select (select count(*) from voters), (select count(*) from households), \
             (select count(*) from imports), \
             (select count(*) from audit_log where action = 'voters.import')",
        )
        .fetch_one(app.db.pool())
        .await
        .expect("counts");
        assert_eq!(
            counts,
            (1, 0, 0, 0),
            "[{engine}] only the voter listed meanwhile: no voter, household, import or audit record of the file"
        );
        let dry_run = preview(&admin, &token, election_id).await;
        let problems = dry_run["Preview"]["problems"].to_string();
        assert!(
            problems.contains("CccdAlreadyListed"),
            "[{engine}] the dry run now names the row: {problems}"
        );
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn imports_are_audited_and_only_list_keepers_may_import() {
    on_each_engine(|app| async move {
        let admin = app.admin().await;
        let (election_id, areas) = election_with_two_areas(&admin).await;
        let station = app.user_with_role(&admin, "tobaucu1", "station").await;
        let form = reqwest::multipart::Form::new()
            .text("election_id", election_id.to_string())
            .part(
                "file",
                reqwest::multipart::Part::bytes(utf8_csv(";").into_bytes()).file_name("ds.csv"),
            );
        let refused = station
            .http
            .post(format!("{}/voters/import/upload", app.base_url))
            .multipart(form)
            .send()
            .await
            .expect("sent");
        assert_eq!(
            refused.status().as_u16(),
            403,
            "[{}] station may not upload lists",
            app.engine
        );
        let (status, _, _) = station
            .get(&format!("/voters/areas/{}/list.pdf", areas[0]))
            .await;
        assert_eq!(status, 403);

        let token = upload(
            &app,
            &admin,
            election_id,
            "ds.csv",
            utf8_csv(";").into_bytes(),
        )
        .await;
        // Another user cannot use someone else's upload.
        let other_admin = app.user_with_role(&admin, "quantri2", "admin").await;
        assert_eq!(
            commit(&other_admin, &token, election_id).await.error_code(),
            Some("ImportExpired")
        );
        assert_eq!(
            commit(&admin, &token, election_id).await.body.as_i64(),
            Some(6)
        );
        let import: (String, String) = sqlx::query_as(
            "select action, after_summary from audit_log where action = 'voters.import'",
        )
        .fetch_one(app.db.pool())
        .await
        .expect("audited");
        assert!(
            import.1.contains("\"rows\":6") && import.1.contains("ds.csv"),
            "{}",
            import.1
        );
        assert!(matches!(
            app::storage::audit::verify(app.db.pool())
                .await
                .expect("verify"),
            app::storage::audit::ChainVerdict::Intact { .. }
        ));
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_official_list_pdf_carries_the_exact_names() {
    if !have_pdftotext("list PDF text check") {
        return;
    }
    on_each_engine(|app| async move {
        let (admin, _, areas) = ward_with_six_voters(&app).await;
        let response = admin
            .http
            .get(format!(
                "{}/voters/areas/{}/list.pdf",
                app.base_url, areas[0]
            ))
            .send()
            .await
            .expect("pdf");
        assert_eq!(response.status().as_u16(), 200, "[{}] list PDF", app.engine);
        assert_eq!(
            response
                .headers()
                .get("content-type")
                .and_then(|v| v.to_str().ok()),
            Some("application/pdf")
        );
        let bytes = response.bytes().await.expect("bytes");
        let pdf_text = pdf_text(&bytes, &[]);
        for name in ["Nguyễn Văn An", "Trần Thị Hương", "Nguyễn Văn Anh"] {
            assert!(
                pdf_text.contains(name),
                "[{}] {name} in the list PDF",
                app.engine
            );
        }
        assert!(
            !pdf_text.contains("Đặng Thùy Dương"),
            "area 2 voters are not on area 1's list"
        );
        assert!(pdf_text.contains("DANH SÁCH CỬ TRI") && pdf_text.contains("PHƯỜNG MỸ THỚI"));
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn station_staff_reach_only_the_polling_areas_assigned_to_them() {
    on_each_engine(|app| async move {
        let (admin, election_id, areas) = ward_with_six_voters(&app).await;
        let station = app.user_with_role(&admin, "tobaucu1", "station").await;
        let users = admin.admin_users_list().await;
        let station_id = users
            .body
            .as_array()
            .expect("users")
            .iter()
            .find(|u| u["username"] == "tobaucu1")
            .expect("row")["id"]
            .as_i64()
            .expect("id");
        let search = |area: i64| {
            let station = &station;
            async move {
                station
                    .voters_search(election_id, Some(area), "nguyen")
                    .await
            }
        };
        assert_eq!(
            search(areas[0]).await.status,
            403,
            "[{}] no area assigned yet",
            app.engine
        );

        let assigned = admin.admin_users_set_areas(station_id, &[areas[0]]).await;
        assert_eq!(
            assigned.body,
            json!([areas[0]]),
            "[{}] {:?}",
            app.engine,
            assigned.body
        );
        let own = search(areas[0]).await;
        assert_eq!(own.status, 200, "{:?}", own.body);
        assert_eq!(
            own.body.as_array().map(Vec::len),
            Some(2),
            "both Nguyễn of area 1"
        );
        assert_eq!(
            search(areas[1]).await.error_code(),
            Some("Forbidden"),
            "[{}] another area",
            app.engine
        );
        let ward_wide = station.voters_search(election_id, None, "nguyen").await;
        assert_eq!(
            ward_wide.status, 403,
            "station staff cannot search the whole ward"
        );
        let other_voter: i64 =
            sqlx::query_scalar("select id from voters where polling_area_id = $1 limit 1")
                .bind(areas[1])
                .fetch_one(app.db.pool())
                .await
                .expect("voter");
        let refused = station.voters_get(other_voter).await;
        assert_eq!(refused.status, 403);
        let changes: i64 =
            sqlx::query_scalar("select count(*) from audit_log where action = 'user.set_areas'")
                .fetch_one(app.db.pool())
                .await
                .expect("count");
        assert_eq!(changes, 1);
        let viewer_only = admin.admin_users_set_areas(1, &[areas[0]]).await;
        assert_eq!(
            viewer_only.error_code(),
            Some("InvalidRole"),
            "only station users have areas"
        );
    })
    .await;
}

/// Area 1 has cards 1–3. Card 3 is removed, which needs a reason; its number stays taken.
async fn remove_card_three(app: &TestApp, admin: &Client, area_id: i64) {
    let third: i64 =
        sqlx::query_scalar("select id from voters where polling_area_id = $1 and stt = 3")
            .bind(area_id)
            .fetch_one(app.db.pool())
            .await
            .expect("card 3");
    let no_reason = admin.voters_set_status(third, "removed", " ", None).await;
    assert_eq!(
        no_reason.error_code(),
        Some("ReasonRequired"),
        "[{}]",
        app.engine
    );
    let removed = admin
        .voters_set_status(third, "removed", "Chuyển đi nơi khác", None)
        .await;
    assert_eq!(removed.body["status"], "Removed", "{:?}", removed.body);
}

/// A voter added to area 1 gets card 4, never the removed 3; a CCCD already listed and a voter
/// under 18 are refused. The new voter's id.
async fn add_voter_after_highest_card(app: &TestApp, admin: &Client, area_id: i64) -> i64 {
    let ha = VoterInput {
        cccd: "079175000321".to_string(),
        ..voter("Ngô Thị Thu Hà", "02/09/1975", "Nữ")
    };
    let added = admin.voters_add(area_id, &ha, "Chuyển đến cư trú").await;
    assert_eq!(
        added.body["stt"], 4,
        "[{}] continues after the highest card, never reuses 3: {:?}",
        app.engine, added.body
    );
    let same_cccd = VoterInput {
        cccd: "079175000321".to_string(),
        ..voter("Người Khác", "1980", "Nam")
    };
    let duplicate = admin.voters_add(area_id, &same_cccd, "x").await;
    assert_eq!(duplicate.error_code(), Some("CccdTaken"));
    let young = admin
        .voters_add(area_id, &voter("Trẻ Em", "16/03/2008", "Nam"), "x")
        .await;
    assert_eq!(young.error_code(), Some("VoterUnder18"));

    added.body["id"].as_i64().expect("id")
}

/// Voting elsewhere needs the certificate's number.
async fn vote_elsewhere_with_certificate(admin: &Client, voter_id: i64) {
    let elsewhere = admin
        .voters_set_status(voter_id, "elsewhere", "Đi công tác", None)
        .await;
    assert_eq!(elsewhere.error_code(), Some("CertificateRequired"));
    let elsewhere = admin
        .voters_set_status(voter_id, "elsewhere", "Đi công tác", Some("12/GCN"))
        .await;
    assert_eq!(elsewhere.body["certificate_no"], "12/GCN");
}

/// A correction renames the voter; search follows the new name at once.
async fn rename_and_find_by_new_name(
    app: &TestApp,
    admin: &Client,
    election_id: i64,
    voter_id: i64,
) {
    let renamed = VoterInput {
        cccd: "079175000321".to_string(),
        ..voter("Ngô Thị Thu Hằng", "02/09/1975", "Nữ")
    };
    let edited = admin
        .voters_edit(voter_id, &renamed, "Sai chính tả tên")
        .await;
    assert_eq!(
        edited.body["full_name"], "Ngô Thị Thu Hằng",
        "{:?}",
        edited.body
    );
    let found = admin.voters_search(election_id, None, "thu hang").await;
    assert_eq!(
        found.body.as_array().map(Vec::len),
        Some(1),
        "[{}] {:?}",
        app.engine,
        found.body
    );
    let stale = admin.voters_search(election_id, None, "thu ha ").await;
    assert!(stale
        .body
        .as_array()
        .is_some_and(|r| r.iter().all(|v| v["full_name"] != "Ngô Thị Thu Hà")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn amendments_continue_card_numbers_keep_removed_rows_and_are_audited() {
    on_each_engine(|app| async move {
        let (admin, election_id, areas) = ward_with_six_voters(&app).await;
        remove_card_three(&app, &admin, areas[0]).await;
        let first = add_voter_after_highest_card(&app, &admin, areas[0]).await;
        vote_elsewhere_with_certificate(&admin, first).await;
        rename_and_find_by_new_name(&app, &admin, election_id, first).await;

        let actions: Vec<String> = sqlx::query_scalar(
            "select action from audit_log where action like 'voter.%' order by seq",
        )
        .fetch_all(app.db.pool())
        .await
        .expect("audit");
        assert_eq!(
            actions,
            [
                "voter.remove",
                "voter.add",
                "voter.vote_elsewhere",
                "voter.edit"
            ],
            "[{}]",
            app.engine
        );
        let edit_record: (String, String) = sqlx::query_as(
            "select before_summary, after_summary from audit_log where action = 'voter.edit'",
        )
        .fetch_one(app.db.pool())
        .await
        .expect("edit");
        assert!(
            edit_record.0.contains("Ngô Thị Thu Hà\"")
                && edit_record.1.contains("Sai chính tả tên"),
            "{edit_record:?}"
        );
        assert!(matches!(
            app::storage::audit::verify(app.db.pool())
                .await
                .expect("verify"),
            app::storage::audit::ChainVerdict::Intact { .. }
        ));
    })
    .await;
}

/// Excel's "CSV (Comma delimited)" on a Vietnamese Windows: Windows-1258 bytes, the name split
/// into "Họ và chữ đệm" and "Tên", and the form's total and signature block under the list.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_vietnamese_windows_csv_with_split_names_and_a_footer_imports_whole() {
    on_each_engine(|app| async move {
        let admin = app.admin().await;
        let (election_id, areas) = election_with_two_areas(&admin).await;
        let csv: &[u8] = b"DANH S\xC1CH C\xD4\xCC TRI\r\n\
            STT;Ho\xF2 va\xCC ch\xFD\xDE \xF0\xEA\xF2m;T\xEAn;Nga\xCCy sinh;Gi\xF4\xECi ti\xECnh;Khu v\xFD\xF2c b\xF4\xD2 phi\xEA\xECu\r\n\
            (1);(2);(3);(4);(5);(6)\r\n\
            1;Nguy\xEA\xDEn V\xE3n;\xD0\xFD\xECc;05/03/1980;Nam;1\r\n\
            2;Tr\xE2\xCCn Thi\xF2 B\xEDch;Thu\xD2y;12/07/1975;N\xFD\xDE;2\r\n\
            ;T\xF4\xD2ng c\xF4\xF2ng: 2 c\xFD\xD2 tri;;;;\r\n\
            ;Ng\xFD\xF4\xCCi l\xE2\xF2p bi\xEA\xD2u;;;;CH\xD4\xD2 TI\xF2CH\r\n\
            ;Nguy\xEA\xDEn Thi\xF2 Lan;;;;Tr\xE2\xCCn V\xE3n B\xECnh\r\n";
        let token = upload(&app, &admin, election_id, "ds.csv", csv.to_vec()).await;
        let preview = preview(&admin, &token, election_id).await;
        let preview = &preview["Preview"];
        assert_eq!(preview["encoding"], "windows-1258", "[{}] {preview}", app.engine);
        assert_eq!(preview["can_commit"], true, "[{}] {preview}", app.engine);
        // The form's "(1) (2) (3)…" row is neither a voter nor a sample.
        let samples = preview["columns"][1]["samples"].as_array().expect("samples");
        assert_eq!(
            samples[..2],
            ["Nguyễn Văn", "Trần Thị Bích"],
            "[{}]",
            app.engine
        );
        let skipped = preview["problems"].as_array().map_or(0, Vec::len);
        assert_eq!(skipped, 3, "[{}] total, titles, names: {preview}", app.engine);
        let done = commit(&admin, &token, election_id).await;
        assert_eq!(done.body.as_i64(), Some(2), "[{}] {:?}", app.engine, done.body);
        let stored: Vec<(String, i64)> =
            sqlx::query_as("select full_name, polling_area_id from voters order by stt, polling_area_id")
                .fetch_all(app.db.pool())
                .await
                .expect("voters");
        assert_eq!(
            stored,
            vec![
                ("Nguyễn Văn Đức".to_string(), areas[0]),
                ("Trần Thị Bích Thủy".to_string(), areas[1]),
            ],
            "[{}]",
            app.engine
        );
        let found = admin
            .voters_search(election_id, None, "tran thi bich thuy")
            .await;
        assert_eq!(
            found.body.as_array().map(Vec::len),
            Some(1),
            "[{}] {:?}",
            app.engine,
            found.body
        );
    })
    .await;
}

/// A file without CCCDs imported a second time gives only "probably listed" warnings row by
/// row; most of the file being listed already refuses it, in the preview and at the commit.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_same_file_imported_twice_is_refused_the_second_time() {
    on_each_engine(|app| async move {
        let admin = app.admin().await;
        let (election_id, _) = election_with_two_areas(&admin).await;
        let csv = "STT;Họ và tên;Ngày sinh;Giới tính;Khu vực bỏ phiếu\r\n\
            1;Nguyễn Văn An;05/03/1980;Nam;1\r\n\
            2;Trần Thị Bình;1975;Nữ;1\r\n\
            3;Lê Văn Cường;03/1966;Nam;2\r\n\
            4;Phạm Thị Dung;1990;Nữ;2\r\n";
        let import = |bytes: Vec<u8>| {
            let (app, admin) = (&app, &admin);
            async move {
                let token = upload(app, admin, election_id, "ds.csv", bytes).await;
                let previewed = preview(admin, &token, election_id).await;
                let committed = commit(admin, &token, election_id).await;
                (previewed["Preview"].clone(), committed)
            }
        };
        let (first, done) = import(csv.as_bytes().to_vec()).await;
        assert_eq!(
            first["already_listed"],
            serde_json::Value::Null,
            "[{}]",
            app.engine
        );
        assert_eq!(
            done.body.as_i64(),
            Some(4),
            "[{}] {:?}",
            app.engine,
            done.body
        );

        let (again, refused) = import(csv.as_bytes().to_vec()).await;
        assert_eq!(again["already_listed"], 4, "[{}] {again}", app.engine);
        assert_eq!(again["can_commit"], false, "[{}]", app.engine);
        assert_eq!(
            refused.error_code(),
            Some("ImportHasErrors"),
            "[{}]",
            app.engine
        );

        // Two new voters with one already listed is a normal import with its warning.
        let partly = "STT;Họ và tên;Ngày sinh;Giới tính;Khu vực bỏ phiếu\r\n\
            5;Nguyễn Văn An;05/03/1980;Nam;1\r\n\
            6;Võ Văn Em;1985;Nam;1\r\n\
            7;Đỗ Thị Giang;1988;Nữ;2\r\n";
        let (mixed, added) = import(partly.as_bytes().to_vec()).await;
        assert_eq!(mixed["can_commit"], true, "[{}] {mixed}", app.engine);
        assert_eq!(
            added.body.as_i64(),
            Some(3),
            "[{}] {:?}",
            app.engine,
            added.body
        );
        let listed: i64 = sqlx::query_scalar("select count(*) from voters")
            .fetch_one(app.db.pool())
            .await
            .expect("count");
        assert_eq!(listed, 7, "[{}]", app.engine);
    })
    .await;
}
