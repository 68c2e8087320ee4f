//! CSV and Excel copies of a polling area's official list, for offices that keep working in
//! spreadsheets: the rows, order and "Ghi chú" of the list PDF (built by the same
//! `voters::list_doc`), under the same access rules. After the form's columns come what the
//! form leaves out but a list needs to be imported again: the CCCD, the head of household, the
//! household, numbered in list order, and the start of a temporary residence (it decides the
//! ballot levels), each under the heading the import recognises.
//!
//! Removed voters ("Đã xóa") are left out: the PDF shows them struck through for the posted
//! list, but a spreadsheet copy is what an office edits and imports again, and an import has
//! no status column, so a removed voter would come back as an active one. Voters who vote
//! elsewhere stay, with their certificate in "Ghi chú", as on the PDF.
//!
//! Cells are data, never formulas. A spreadsheet program runs a CSV cell that starts with
//! `=`, `+`, `-`, `@`, a tab or a carriage return as a formula (`=HYPERLINK(…)` in a name can
//! leak the sheet or lure the reader to a site), so such cells get a leading `'`, which Excel
//! shows as text. In the .xlsx every text cell is written as a string cell, which Excel never
//! evaluates, so the text stays exactly as stored.

use app::domain::ids::{AreaId, HouseholdId};
use std::collections::HashMap;

use app::domain::role::Permission;
use app::domain::ward::{VoterStatus, VoterSummary};
use app::request::CurrentSession;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::get;
use axum::{Extension, Router};
use rust_xlsxwriter::{Format, Workbook, XlsxError};

use super::voters::{area_data, list_doc};
use super::{download, xlsx_download, DocState, Refusal};
use crate::pdf::VoterListDoc;

pub(super) fn routes(state: DocState) -> Router {
    Router::new()
        .route("/voters/areas/{id}/list.csv", get(list_csv))
        .route("/voters/areas/{id}/list.xlsx", get(list_xlsx))
        .with_state(state)
}

const HEADINGS: [&str; 17] = [
    "STT",
    "Họ và tên",
    "Ngày tháng năm sinh",
    "Nam",
    "Nữ",
    "Dân tộc",
    "Nghề nghiệp",
    "Nơi thường trú",
    "Nơi tạm trú",
    "Bầu cử ĐBQH",
    "Bầu cử HĐND tỉnh",
    "Bầu cử HĐND xã",
    "Ghi chú",
    "Số CCCD",
    "Chủ hộ",
    "Hộ gia đình",
    "Tạm trú từ ngày",
];

/// A list row: its STT (a number cell in the workbook) and its cells: the form's, then the
/// CCCD, the head-of-household tick, the household and the start of a temporary residence.
struct ExportRow {
    stt: i64,
    cells: [String; 17],
}

/// The rows of the list in its order, without the removed voters. `voters` are the ones
/// `list_doc` made `doc.rows` of, in the same order. Households are numbered by their first
/// member's place in the list. An import reads a row without a household as one more member
/// of the household above it, so a voter without one is numbered as a household of their own,
/// unless no voter of the list has one (then the column stays empty, and so do the households
/// after an import).
fn export_rows(doc: &VoterListDoc, voters: &[VoterSummary]) -> Vec<ExportRow> {
    let mut numbers: HashMap<HouseholdId, usize> = HashMap::new();
    let mut households = 0;
    let listed = |voter: &VoterSummary| voter.status != VoterStatus::Removed;
    let any_household = voters.iter().any(|v| listed(v) && v.household_id.is_some());
    doc.rows
        .iter()
        .zip(voters)
        .filter(|(_, voter)| listed(voter))
        .map(|(row, voter)| {
            let number = match voter.household_id {
                Some(id) => Some(*numbers.entry(id).or_insert_with(|| {
                    households += 1;
                    households
                })),
                None if any_household => {
                    households += 1;
                    Some(households)
                }
                None => None,
            };
            let household = number.map(|n| format!("Hộ {n}")).unwrap_or_default();
            let [a, b, c, d, e, f, g, h, i, j, k, l, m] = row.cells();
            let cells = [
                a,
                b,
                c,
                d,
                e,
                f,
                g,
                h,
                i,
                j,
                k,
                l,
                m,
                voter
                    .cccd
                    .as_ref()
                    .map(|cccd| cccd.as_str().to_string())
                    .unwrap_or_default(),
                if voter.is_head { "x" } else { "" }.to_string(),
                household,
                voter
                    .temporary_since
                    .map(|since| since.display())
                    .unwrap_or_default(),
            ];
            ExportRow {
                stt: row.stt,
                cells,
            }
        })
        .collect()
}

/// The lines above the table: title, election, area.
fn heading_lines(doc: &VoterListDoc) -> Vec<String> {
    let mut lines = doc.title_lines.clone();
    lines.push(doc.subtitle.clone());
    lines
}

/// The totals line under the table, worded as on the PDF.
fn totals_line(doc: &VoterListDoc) -> String {
    format!(
        "Tổng số cử tri của khu vực bỏ phiếu là: {} người; trong đó có: {} Nam; {} Nữ.",
        doc.totals.voters, doc.totals.men, doc.totals.women
    )
}

// Semicolon-separated because a Vietnamese Windows (vi-VN regional format) writes decimals
// with a comma, so Excel there splits CSV on ";", the list separator, and a comma file would
// open as one column. UTF-8 with a BOM, without which Excel reads the bytes as the local ANSI
// code page and garbles every diacritic. CRLF line ends, quoting as RFC 4180. One writer for
// every CSV the product makes: the import's problem list has it.
pub(super) use app::import::problems_csv::csv_record;

/// The byte-order mark that makes Excel read a CSV file as UTF-8.
pub(super) const CSV_BOM: &str = "\u{FEFF}";

fn list_csv_bytes(doc: &VoterListDoc, rows: &[ExportRow]) -> Vec<u8> {
    let record = csv_record;
    let mut out = String::from(CSV_BOM);
    for line in heading_lines(doc) {
        record(&mut out, &[&line]);
    }
    record(&mut out, &HEADINGS);
    for row in rows {
        record(&mut out, &row.cells.each_ref().map(String::as_str));
    }
    record(&mut out, &[&totals_line(doc)]);
    out.into_bytes()
}

/// The same table as an Excel workbook: STT as numbers, everything else as string cells (a
/// CCCD keeps its leading zero).
fn list_xlsx_bytes((doc, rows): &(VoterListDoc, Vec<ExportRow>)) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("Danh sách cử tri")?;
    let text = Format::new().set_font_name("Times New Roman");
    let bold = text.clone().set_bold();
    let mut row: u32 = 0;
    for line in heading_lines(doc) {
        sheet.write_string_with_format(row, 0, &line, &bold)?;
        row += 1;
    }
    for (column, heading) in (0u16..).zip(HEADINGS) {
        sheet.write_string_with_format(row, column, heading, &bold)?;
    }
    sheet.set_freeze_panes(row + 1, 2)?;
    row += 1;
    for export in rows {
        sheet.write_number_with_format(row, 0, export.stt as f64, &text)?;
        for (column, value) in (1u16..).zip(export.cells.iter().skip(1)) {
            if !value.is_empty() {
                sheet.write_string_with_format(row, column, value, &text)?;
            }
        }
        row += 1;
    }
    sheet.write_string_with_format(row, 0, totals_line(doc), &text)?;
    for (column, width) in
        (0u16..).zip([6, 28, 12, 5, 5, 10, 14, 36, 30, 8, 8, 8, 30, 14, 6, 10, 12])
    {
        sheet.set_column_width(column, width)?;
    }
    workbook.save_to_buffer()
}

async fn list_csv(
    State(state): State<DocState>,
    session: Option<Extension<CurrentSession>>,
    Path(area_id): Path<AreaId>,
) -> Result<Response, Refusal> {
    let data = area_data(&state, &session, area_id, Permission::ManageVoterLists).await?;
    let doc = list_doc(&data, |_| None);
    let rows = export_rows(&doc, &data.voters);
    Ok(download(
        list_csv_bytes(&doc, &rows),
        "text/csv; charset=utf-8",
        format!("danh-sach-cu-tri-kvbp-{}.csv", data.area.number),
    ))
}

async fn list_xlsx(
    State(state): State<DocState>,
    session: Option<Extension<CurrentSession>>,
    Path(area_id): Path<AreaId>,
) -> Result<Response, Refusal> {
    let data = area_data(&state, &session, area_id, Permission::ManageVoterLists).await?;
    let file_name = format!("danh-sach-cu-tri-kvbp-{}.xlsx", data.area.number);
    let doc = list_doc(&data, |_| None);
    let rows = export_rows(&doc, &data.voters);
    xlsx_download((doc, rows), list_xlsx_bytes, file_name).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pdf::{ListTotals, VoterListRow};

    fn doc(names: &[&str]) -> VoterListDoc {
        VoterListDoc {
            committee: "ỦY BAN NHÂN DÂN".into(),
            ward_line: "PHƯỜNG MỸ THỚI".into(),
            place_date_line: String::new(),
            title_lines: vec!["DANH SÁCH CỬ TRI".into(), "BẦU CỬ".into()],
            subtitle: "Khu vực bỏ phiếu số 1: Khóm Thới An".into(),
            rows: names
                .iter()
                .zip(1..)
                .map(|(name, stt)| VoterListRow {
                    stt,
                    full_name: name.to_string(),
                    birth_date: "05/07/1960".into(),
                    male: true,
                    female: false,
                    ethnicity: "Kinh".into(),
                    occupation: String::new(),
                    permanent_address: "Số 1; khóm \"Thới An\"".into(),
                    temporary_address: String::new(),
                    na: true,
                    province: true,
                    commune: false,
                    notes: "@chú ý".into(),
                    household_start: true,
                })
                .collect(),
            totals: ListTotals {
                voters: i64::try_from(names.len()).unwrap(),
                men: i64::try_from(names.len()).unwrap(),
                women: 0,
                national_assembly: 0,
                province_council: 0,
                commune_council: 0,
            },
            signer_title_lines: Vec::new(),
            signer_name: String::new(),
            generated_at: String::new(),
            data_hash: String::new(),
            page_note: String::new(),
        }
    }

    /// Export rows for voters without CCCD, household or temporary residence.
    fn rows(doc: &VoterListDoc) -> Vec<ExportRow> {
        doc.rows
            .iter()
            .map(|row| {
                let mut cells: Vec<String> = row.cells().to_vec();
                cells.resize(HEADINGS.len(), String::new());
                ExportRow {
                    stt: row.stt,
                    cells: cells.try_into().expect("17 cells"),
                }
            })
            .collect()
    }

    #[test]
    fn formula_looking_cells_are_text_in_csv() {
        for (value, expected) in [
            ("=1+1", "'=1+1"),
            ("+84", "'+84"),
            ("-x", "'-x"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
            ("Nguyễn Văn An", "Nguyễn Văn An"),
            ("", ""),
        ] {
            assert_eq!(app::import::problems_csv::neutralize(value), expected);
        }
        let doc = doc(&["=HYPERLINK(\"http://x.example\",\"Bấm\")"]);
        let csv = list_csv_bytes(&doc, &rows(&doc));
        let text = String::from_utf8(csv).expect("UTF-8");
        assert!(text.starts_with("\u{FEFF}DANH SÁCH CỬ TRI\r\n"));
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[3], HEADINGS.join(";"));
        assert_eq!(
            lines[4],
            "1;\"'=HYPERLINK(\"\"http://x.example\"\",\"\"Bấm\"\")\";05/07/1960;x;;Kinh;;\
             \"Số 1; khóm \"\"Thới An\"\"\";;x;x;;'@chú ý;;;;"
        );
    }

    #[test]
    fn the_workbook_reads_back_as_the_same_text() {
        let hostile = "=HYPERLINK(\"http://x.example\",\"Bấm\")";
        let doc = doc(&[hostile, "Trần Thị Hương"]);
        let rows = rows(&doc);
        let bytes = list_xlsx_bytes(&(doc, rows)).expect("writes");
        let table = app::import::xlsx::read_xlsx(&bytes, None, None).expect("reads back");
        assert_eq!(table.rows[3], HEADINGS.map(String::from).to_vec());
        // A formula would read back as its cached value; a string cell reads back as itself.
        assert_eq!(table.rows[4][1], hostile);
        assert_eq!(table.rows[4][0], "1");
        assert_eq!(table.rows[5][1], "Trần Thị Hương");
        assert_eq!(table.rows[4][12], "@chú ý");
        let sheet = {
            use std::io::Read;
            let mut archive =
                zip::ZipArchive::new(std::io::Cursor::new(bytes.as_slice())).expect("zip");
            let mut xml = String::new();
            archive
                .by_name("xl/worksheets/sheet1.xml")
                .expect("sheet")
                .read_to_string(&mut xml)
                .expect("xml");
            xml
        };
        assert!(!sheet.contains("<f>"), "no formula cells");
    }
}
