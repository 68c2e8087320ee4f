//! Excel (.xlsx and .xls) imports over HTTP on each engine: each workbook imports to exactly the
//! NFC data its CSV twin does, another sheet of a workbook can be chosen, and broken or hostile
//! workbooks are refused and change nothing. The fixtures are tests/fixtures/voters/*.xlsx and
//! *.xls, written by make_fixtures.py and make_xls_fixtures.py there.

use std::path::PathBuf;

use crate::support::api::import_request;
use app::domain::ids::AreaId;
use app::domain::text;
use app::voters::model::ImportRequest;
use serde_json::{json, Value};

use crate::support::{on_each_engine, Client, TestApp};
use crate::voter_lists::{election_with_two_areas, upload};

fn fixture(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/voters")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The staged file `token` with the encoding, sheet and columns found.
fn request(token: &str, election_id: i64, default_area: Option<i64>) -> ImportRequest {
    ImportRequest {
        default_area: default_area.map(AreaId::new),
        ..import_request(token, election_id)
    }
}

/// The same request for the workbook sheet at `sheet`.
fn sheet_request(token: &str, election_id: i64, sheet: usize) -> ImportRequest {
    ImportRequest {
        sheet: Some(sheet),
        ..request(token, election_id, None)
    }
}

/// Uploads a file and runs its dry run; returns the token and the preview outcome.
async fn dry_run(
    app: &TestApp,
    admin: &Client,
    election_id: i64,
    file_name: &str,
    default_area: Option<i64>,
) -> (String, Value) {
    let token = upload(app, admin, election_id, file_name, fixture(file_name)).await;
    let reply = admin
        .voters_import_preview(&request(&token, election_id, default_area))
        .await;
    assert_eq!(
        reply.status, 200,
        "[{}] {file_name}: {:?}",
        app.engine, reply.body
    );
    (token, reply.body)
}

/// A file to import: name, whether the first area is chosen because the file has no area
/// column, and what the dry run should report (encoding, separator, header row).
type Case = (&'static str, bool, &'static str, Value, i64);

type VoterRow = (
    String,
    i64,
    Option<i64>,
    Option<i64>,
    String,
    String,
    Option<String>,
    String,
    i64,
    i64,
);

/// Everything an import writes about each voter, in list order.
async fn voters(app: &TestApp, election_id: i64) -> Vec<VoterRow> {
    sqlx::query_as(
        "select v.full_name, v.birth_year, v.birth_month, v.birth_day, v.gender, v.ethnicity, \
         v.cccd, v.permanent_address, a.number, v.stt from voters v \
         join polling_areas a on a.id = v.polling_area_id where v.election_id = $1 \
         order by a.number, v.stt",
    )
    .bind(election_id)
    .fetch_all(app.db.pool())
    .await
    .expect("voters")
}

/// Rows in the tables an import writes to, ward-wide.
async fn written(app: &TestApp) -> Vec<i64> {
    let mut counts = Vec::new();
    for table in ["voters", "households", "imports"] {
        let (count,): (i64,) = sqlx::query_as(&format!("select count(*) from {table}"))
            .fetch_one(app.db.pool())
            .await
            .expect("count");
        counts.push(count);
    }
    counts
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn workbooks_import_to_the_same_nfc_data_as_their_csv_twins() {
    on_each_engine(|app| async move {
        let admin = app.admin().await;
        let groups: [&[Case]; 2] = [
            &[
                ("sach.csv", false, "utf-8", json!(","), 3),
                ("sach.xlsx", false, "utf-8", Value::Null, 1),
                ("tieu-de.xlsx", false, "utf-8", Value::Null, 4),
                ("sach.xls", false, "utf-8", Value::Null, 4),
            ],
            &[
                ("tcvn3.csv", true, "tcvn3", json!(";"), 2),
                ("tcvn3.xlsx", true, "tcvn3", Value::Null, 2),
                ("tcvn3.xls", true, "tcvn3", Value::Null, 2),
            ],
        ];
        for group in groups {
            let mut imported: Vec<(&str, Vec<VoterRow>)> = Vec::new();
            for &(file_name, chosen_area, encoding, ref separator, header_row) in group {
                let (election_id, areas) = election_with_two_areas(&admin).await;
                let default_area = chosen_area.then_some(areas[0]);
                let (token, outcome) =
                    dry_run(&app, &admin, election_id, file_name, default_area).await;
                let preview = &outcome["Preview"];
                assert_eq!(
                    preview["can_commit"], true,
                    "[{}] {file_name}: {outcome:#}",
                    app.engine
                );
                assert_eq!(
                    preview["encoding"], encoding,
                    "[{}] {file_name}",
                    app.engine
                );
                assert_eq!(
                    &preview["separator"], separator,
                    "[{}] {file_name}",
                    app.engine
                );
                assert_eq!(
                    preview["header_row"], header_row,
                    "[{}] {file_name}",
                    app.engine
                );
                let done = admin
                    .voters_import_commit(&request(&token, election_id, default_area))
                    .await;
                assert_eq!(
                    done.body.as_i64(),
                    preview["totals"]["rows"].as_i64(),
                    "[{}] {file_name}: {:?}",
                    app.engine,
                    done.body
                );
                imported.push((file_name, voters(&app, election_id).await));
            }
            let (reference_name, reference) = &imported[0];
            assert!(reference.len() >= 4, "[{}] {reference_name}", app.engine);
            for row in reference {
                assert_eq!(text::nfc(&row.0), row.0, "stored NFC");
                assert_eq!(text::nfc(&row.7), row.7, "stored NFC");
            }
            for (file_name, rows) in &imported[1..] {
                assert_eq!(
                    rows, reference,
                    "[{}] {file_name} imports what {reference_name} does",
                    app.engine
                );
            }
        }
    })
    .await;
}

/// The name samples of a dry run's preview.
fn name_samples(outcome: &Value) -> Vec<&str> {
    let columns = outcome["Preview"]["columns"].as_array().expect("columns");
    columns[1]["samples"]
        .as_array()
        .expect("samples")
        .iter()
        .filter_map(Value::as_str)
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn legacy_font_cells_keep_every_letter() {
    on_each_engine(|app| async move {
        let admin = app.admin().await;
        let (election_id, areas) = election_with_two_areas(&admin).await;
        for file_name in ["tcvn3.xlsx", "tcvn3.xls"] {
            let (_, outcome) = dry_run(&app, &admin, election_id, file_name, Some(areas[0])).await;
            // "ư" is byte 0xAD in TCVN3, the soft hyphen that many tools drop.
            assert_eq!(
                name_samples(&outcome),
                ["Trần Thị Hương", "Nguyễn Văn Phước", "Đỗ Thị Lụa"],
                "[{}] {file_name}",
                app.engine
            );
        }
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_second_sheet_of_a_workbook_can_be_chosen_and_is_what_is_committed() {
    on_each_engine(|app| async move {
        let admin = app.admin().await;
        let (election_id, _) = election_with_two_areas(&admin).await;
        let (token, first) = dry_run(&app, &admin, election_id, "hai-trang.xls", None).await;
        // The hidden sheet of notes is neither read nor offered.
        let offered = json!({ "offered": [[0, "Khu vực 1"], [1, "Khu vực 2"]], "read": 0 });
        assert_eq!(first["Preview"]["sheet"], offered, "[{}]", app.engine);
        assert_eq!(first["Preview"]["totals"]["rows"], 7, "[{}]", app.engine);
        let second = admin
            .voters_import_preview(&sheet_request(&token, election_id, 1))
            .await;
        assert_eq!(second.status, 200, "[{}] {:?}", app.engine, second.body);
        assert_eq!(
            second.body["Preview"]["sheet"]["read"], 1,
            "[{}]",
            app.engine
        );
        assert_eq!(
            second.body["Preview"]["totals"]["rows"], 6,
            "[{}]",
            app.engine
        );
        assert_eq!(
            &name_samples(&second.body)[..1],
            ["Đặng Thùy Dương"],
            "[{}]",
            app.engine
        );
        let done = admin
            .voters_import_commit(&sheet_request(&token, election_id, 1))
            .await;
        assert_eq!(
            done.body.as_i64(),
            Some(6),
            "[{}] {:?}",
            app.engine,
            done.body
        );
        let imported = voters(&app, election_id).await;
        assert!(
            imported.iter().all(|voter| voter.8 == 2),
            "[{}] only the second sheet's voters, all of area 2: {imported:?}",
            app.engine
        );
        assert_eq!(imported[0].0, "Đặng Thùy Dương", "[{}]", app.engine);
        let (audit,): (String,) =
            sqlx::query_as("select after_summary from audit_log where action = 'voters.import'")
                .fetch_one(app.db.pool())
                .await
                .expect("audit record");
        assert!(
            audit.contains(r#""sheet":"Khu vực 2""#),
            "[{}] the audit record names the sheet: {audit}",
            app.engine
        );
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn broken_and_hostile_workbooks_are_refused_and_change_nothing() {
    on_each_engine(|app| async move {
        let admin = app.admin().await;
        let (election_id, _) = election_with_two_areas(&admin).await;
        let before = written(&app).await;
        let cut_xls = {
            let whole = fixture("sach.xls");
            whole[..whole.len() * 6 / 10].to_vec()
        };
        let cases: Vec<(&str, Vec<u8>, &str)> = vec![
            ("cat-cut.xlsx", fixture("cat-cut.xlsx"), "Truncated"),
            ("bom.xlsx", fixture("bom.xlsx"), "ZipBomb"),
            ("bom-noi-doi.xlsx", fixture("bom-noi-doi.xlsx"), "ZipBomb"),
            // Named .xlsx, but an Excel 97–2003 workbook cut short: recognised by its bytes.
            ("ds.xlsx", cut_xls, "Truncated"),
            // Named .csv, but a workbook cut short: recognised by its bytes too.
            ("ds.csv", fixture("cat-cut.xlsx"), "Truncated"),
        ];
        for (file_name, bytes, expected) in cases {
            let token = upload(&app, &admin, election_id, file_name, bytes).await;
            let reply = admin
                .voters_import_preview(&request(&token, election_id, None))
                .await;
            let rejected = &reply.body["Rejected"];
            let kind = rejected
                .as_str()
                .map(str::to_string)
                .or_else(|| rejected.as_object().and_then(|o| o.keys().next().cloned()));
            assert_eq!(
                kind.as_deref(),
                Some(expected),
                "[{}] {file_name}: {:?}",
                app.engine,
                reply.body
            );
            let refused = admin
                .voters_import_commit(&request(&token, election_id, None))
                .await;
            assert_eq!(
                refused.error_code(),
                Some("ImportHasErrors"),
                "[{}] {file_name}",
                app.engine
            );
        }
        assert_eq!(
            written(&app).await,
            before,
            "[{}] nothing was written",
            app.engine
        );
        // The import page words the refusal in Vietnamese.
        let token = upload(&app, &admin, election_id, "bom.xlsx", fixture("bom.xlsx")).await;
        let (status, _, page) = admin
            .get(&format!(
                "/voters/import?token={token}&election={election_id}&area="
            ))
            .await;
        assert_eq!(status, 200);
        assert!(
            page.contains("giải nén ra dung lượng bất thường"),
            "[{}] the page explains the refusal",
            app.engine
        );
    })
    .await;
}
