//! What the two workbook readers (.xlsx and .xls) share once a cell is read: fonts and number
//! formats, legacy-font decoding, numbers and dates as the text a person sees, and which sheet
//! of a workbook is read.

use super::table::{FileEncoding, FileProblem, SheetChoice, Table, MAX_CELL_CHARS, MAX_COLUMNS};
use crate::domain::text::{self, LegacyEncoding};

/// The encoding a font implies and whether it draws capitals only (`text::font_hint`).
pub(super) type Hint = (LegacyEncoding, bool);

/// The font of a run of rich text: the cell's, or one of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum RunFont {
    Cell,
    Own(Option<Hint>),
}

/// A string as stored: plain, or runs that name their own fonts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum RichText {
    Plain(String),
    Runs(Vec<(RunFont, String)>),
}

/// How a cell's number is shown, as far as a voter list cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum NumberKind {
    General,
    /// A date; partial formats ("mm/yyyy", "yyyy") keep a partial birth date partial.
    Date {
        day: bool,
        month: bool,
    },
    /// "000000000000": a CCCD typed as a number keeps its leading zeros.
    ZeroPadded(usize),
}

#[derive(Debug, Clone, Copy)]
pub(super) struct CellFormat {
    pub(super) hint: Option<Hint>,
    pub(super) number: NumberKind,
}

#[derive(Debug, Default)]
pub(super) struct Styles {
    pub(super) formats: Vec<CellFormat>,
}

impl Styles {
    pub(super) fn get(&self, index: usize) -> CellFormat {
        self.formats.get(index).copied().unwrap_or(CellFormat {
            hint: None,
            number: NumberKind::General,
        })
    }
}

/// How a number format shows numbers: one of the workbook's own formats (`custom`, by id, read
/// with `custom_number_kind`) or one of Excel's built-in ones.
pub(super) fn number_kind(id: u32, custom: &[(u32, NumberKind)]) -> NumberKind {
    custom
        .iter()
        .find(|(custom_id, _)| *custom_id == id)
        .map(|(_, kind)| *kind)
        .unwrap_or_else(|| builtin_number_kind(id))
}

/// Excel's built-in number formats that show dates (14–17, 22, and the East Asian 27–36, 50–58).
fn builtin_number_kind(id: u32) -> NumberKind {
    match id {
        17 => NumberKind::Date {
            day: false,
            month: true,
        },
        14..=16 | 22 | 27..=36 | 50..=58 => NumberKind::Date {
            day: true,
            month: true,
        },
        _ => NumberKind::General,
    }
}

/// Reads a custom format code: date parts outside quotes, brackets and escapes, or all zeros.
pub(super) fn custom_number_kind(code: &str) -> NumberKind {
    let mut plain = String::new();
    let mut chars = code.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                for q in chars.by_ref() {
                    if q == '"' {
                        break;
                    }
                }
            }
            '[' => {
                for q in chars.by_ref() {
                    if q == ']' {
                        break;
                    }
                }
            }
            '\\' => {
                chars.next();
            }
            ';' => break,
            _ => plain.push(c.to_ascii_lowercase()),
        }
    }
    if !plain.is_empty() && plain.chars().all(|c| c == '0') {
        return NumberKind::ZeroPadded(plain.len());
    }
    let (day, month, year) = (
        plain.contains('d'),
        plain.contains('m'),
        plain.contains('y'),
    );
    let time = plain.contains('h') || plain.contains('s');
    if day || year || (month && !time) {
        NumberKind::Date { day, month }
    } else {
        NumberKind::General
    }
}

/// A cell as read, before the encoding of font-less text is decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum RawCell {
    /// Final text: numbers, dates, booleans.
    Done(String),
    /// Text whose font names its legacy encoding.
    Hinted(String, Hint),
    /// Text without a font hint: detected like a CSV cell.
    Unhinted(String),
    /// Rich text whose runs name different fonts.
    Mixed(Vec<(Option<Hint>, String)>),
}

impl RawCell {
    pub(super) fn is_empty(&self) -> bool {
        match self {
            RawCell::Done(t) | RawCell::Hinted(t, _) | RawCell::Unhinted(t) => t.trim().is_empty(),
            RawCell::Mixed(runs) => runs.iter().all(|(_, t)| t.trim().is_empty()),
        }
    }

    pub(super) fn chars(&self) -> usize {
        match self {
            RawCell::Done(t) | RawCell::Hinted(t, _) | RawCell::Unhinted(t) => t.chars().count(),
            RawCell::Mixed(runs) => runs.iter().map(|(_, t)| t.chars().count()).sum(),
        }
    }
}

/// Decodes text drawn with a legacy font. Text that Windows-1252 cannot have produced (a real
/// "ễ") was typed in Unicode after all and is kept as it is.
fn decode_hinted(text_in: &str, (encoding, upper): Hint) -> String {
    if text::fits_windows_1252(text_in) {
        text::decode_str(text_in, encoding, upper)
    } else {
        text_in.to_string()
    }
}

/// A string cell's text with the cell's font applied to runs that do not name their own.
pub(super) fn string_cell(rich: &RichText, cell_hint: Option<Hint>) -> RawCell {
    match (rich, cell_hint) {
        (RichText::Plain(t), Some(hint)) => RawCell::Hinted(t.clone(), hint),
        (RichText::Plain(t), None) => RawCell::Unhinted(t.clone()),
        (RichText::Runs(runs), _) => {
            let resolved: Vec<(Option<Hint>, String)> = runs
                .iter()
                .map(|(font, t)| {
                    let hint = match font {
                        RunFont::Cell => cell_hint,
                        RunFont::Own(hint) => *hint,
                    };
                    (hint, t.clone())
                })
                .collect();
            if resolved.iter().all(|(hint, _)| hint.is_none()) {
                RawCell::Unhinted(resolved.into_iter().map(|(_, t)| t).collect())
            } else {
                RawCell::Mixed(resolved)
            }
        }
    }
}

/// Excel's serial day number → (year, month, day). Day 60 is Excel's fictional 29/02/1900.
#[expect(
    clippy::cast_possible_truncation,
    reason = "the serial is checked to lie between 1 and 2.958.466 (31/12/9999) first"
)]
fn serial_date(serial: f64, date1904: bool) -> Option<(i64, u32, u32)> {
    if !(1.0..2_958_466.0).contains(&serial) {
        return None;
    }
    let whole = serial.floor() as i64;
    let days_since_1970 = if date1904 {
        whole + 1462 - 25_569
    } else if whole >= 61 {
        whole - 25_569
    } else {
        whole - 25_568
    };
    Some(crate::domain::format::civil_from_days(days_since_1970))
}

/// A number cell as the text a person sees in it.
pub(super) fn number_text(number: f64, kind: NumberKind, date1904: bool) -> String {
    match kind {
        NumberKind::Date { day, month } => match serial_date(number, date1904) {
            Some((y, m, d)) if day => format!("{d:02}/{m:02}/{y}"),
            Some((y, m, _)) if month => format!("{m:02}/{y}"),
            Some((y, _, _)) => y.to_string(),
            None => plain_number(number),
        },
        NumberKind::ZeroPadded(width) if is_whole_below_1e15(number) && number >= 0.0 => {
            format!("{:0width$}", whole_number(number))
        }
        _ => plain_number(number),
    }
}

/// Whole numbers without ".0" or an exponent (a CCCD typed as a number); others as Rust prints
/// them (shortest round trip).
fn plain_number(number: f64) -> String {
    if is_whole_below_1e15(number) {
        format!("{}", whole_number(number))
    } else {
        number.to_string()
    }
}

/// Whole and small enough that every digit is exact in an f64 (below 2^53).
fn is_whole_below_1e15(number: f64) -> bool {
    number.fract() == 0.0 && number.abs() < 1e15
}

/// A number that `is_whole_below_1e15` accepted, as an integer.
#[expect(
    clippy::cast_possible_truncation,
    reason = "only called on whole numbers below 1e15, which an i64 holds exactly"
)]
fn whole_number(number: f64) -> i64 {
    number as i64
}

/// A cell refused when it holds more than any real cell does.
pub(super) fn checked_length(
    raw: RawCell,
    row: usize,
    column: usize,
) -> Result<RawCell, FileProblem> {
    let chars = raw.chars();
    if chars > MAX_CELL_CHARS {
        return Err(FileProblem::CellTooLong { row, column, chars });
    }
    Ok(raw)
}

/// Adds a row's cells with text (1-based columns) to `rows`; a row with none is left out.
pub(super) fn push_row(
    rows: &mut Vec<(usize, Vec<(usize, RawCell)>)>,
    row: usize,
    mut cells: Vec<(usize, RawCell)>,
) -> Result<(), FileProblem> {
    cells.retain(|(_, raw)| !raw.is_empty());
    if let Some(&(columns, _)) = cells.iter().max_by_key(|(column, _)| *column) {
        if columns > MAX_COLUMNS {
            return Err(FileProblem::TooManyColumns { row, columns });
        }
        rows.push((row, cells));
    }
    Ok(())
}

/// A merged range of one column over several rows: (column, first row, last row), 1-based.
pub(super) type MergedDown = (usize, usize, usize);

/// Gives every row of a merged range the value of its first cell. Lists merge one cell over a
/// household's rows for the shared address or area, and a spreadsheet stores the value only in
/// the first. Ranges over several columns (titles, group headings) are left alone: copying
/// those across would turn one heading into many cells.
pub(super) fn fill_merged_down(rows: &mut [(usize, Vec<(usize, RawCell)>)], merged: &[MergedDown]) {
    for &(column, first, last) in merged {
        let Some(value) = rows
            .iter()
            .find(|(row, _)| *row == first)
            .and_then(|(_, cells)| cells.iter().find(|(c, _)| *c == column))
            .map(|(_, raw)| raw.clone())
        else {
            continue;
        };
        for (_, cells) in rows
            .iter_mut()
            .filter(|(row, _)| *row > first && *row <= last)
        {
            if !cells.iter().any(|(c, _)| *c == column) {
                cells.push((column, value.clone()));
                cells.sort_by_key(|(c, _)| *c);
            }
        }
    }
}

/// The encoding for text cells without a font hint, and the table of final NFC cells. Rows are
/// padded to one width, as Excel's own CSV export writes them.
pub(super) fn decode_rows(
    rows: Vec<(usize, Vec<(usize, RawCell)>)>,
    forced: Option<FileEncoding>,
) -> Table {
    let unhinted = rows.iter().flat_map(|(_, cells)| {
        cells.iter().flat_map(|(_, raw)| -> Vec<&str> {
            match raw {
                RawCell::Unhinted(t) => vec![t.as_str()],
                RawCell::Mixed(runs) => runs
                    .iter()
                    .filter(|(hint, _)| hint.is_none())
                    .map(|(_, t)| t.as_str())
                    .collect(),
                RawCell::Done(_) | RawCell::Hinted(..) => Vec::new(),
            }
        })
    });
    let verdict = match forced {
        Some(FileEncoding::Tcvn3) => LegacyEncoding::Tcvn3,
        Some(FileEncoding::Vni) => LegacyEncoding::Vni,
        Some(FileEncoding::Windows1258) => LegacyEncoding::Windows1258,
        Some(FileEncoding::Utf8 | FileEncoding::Windows1252) => LegacyEncoding::Unicode,
        None => text::detect_many(unhinted).0,
    };
    // Font-less text under a legacy verdict (detected or chosen) is decoded only where it could
    // be legacy at all and the cell on its own does not read as Unicode: a workbook mixes
    // .VnTime cells with cells typed later in Unicode, which decoding would damage.
    let decode_unhinted = |t: &str| -> Option<String> {
        if verdict == LegacyEncoding::Unicode
            || t.is_ascii()
            || !text::fits_windows_1252(t)
            || text::detect_many([t]).1.unicode > 0
        {
            return None;
        }
        Some(text::decode_str(t, verdict, false))
    };
    // Cells decoded per encoding, for the encoding the preview reports.
    let (mut tcvn3_cells, mut vni_cells, mut windows_1258_cells) = (0usize, 0usize, 0usize);
    let mut count = |encoding: LegacyEncoding| match encoding {
        LegacyEncoding::Tcvn3 => tcvn3_cells += 1,
        LegacyEncoding::Vni => vni_cells += 1,
        LegacyEncoding::Windows1258 => windows_1258_cells += 1,
        LegacyEncoding::Unicode => {}
    };
    let width = rows
        .iter()
        .filter_map(|(_, cells)| cells.iter().map(|(c, _)| *c).max())
        .max()
        .unwrap_or(0);
    let mut table_rows = Vec::with_capacity(rows.len());
    let mut row_numbers = Vec::with_capacity(rows.len());
    for (number, cells) in rows {
        let mut out = vec![String::new(); width];
        for (column, raw) in cells {
            let decoded = match raw {
                RawCell::Done(t) => t,
                RawCell::Hinted(t, hint) => {
                    count(hint.0);
                    decode_hinted(&t, hint)
                }
                RawCell::Unhinted(t) => match decode_unhinted(&t) {
                    Some(d) => {
                        count(verdict);
                        d
                    }
                    None => t,
                },
                RawCell::Mixed(runs) => {
                    if let Some((_, (encoding, _))) =
                        runs.iter().find_map(|(h, t)| h.map(|h| (t, h)))
                    {
                        count(encoding);
                    }
                    runs.into_iter()
                        .map(|(hint, t)| match hint {
                            Some(h) => decode_hinted(&t, h),
                            None => decode_unhinted(&t).unwrap_or(t),
                        })
                        .collect()
                }
            };
            if let Some(slot) = out.get_mut(column - 1) {
                *slot = text::clean_cell(&decoded);
            }
        }
        table_rows.push(out);
        row_numbers.push(number);
    }
    let most = tcvn3_cells.max(vni_cells).max(windows_1258_cells);
    let encoding = forced.unwrap_or(if most == 0 {
        FileEncoding::Utf8
    } else if tcvn3_cells == most {
        FileEncoding::Tcvn3
    } else if vni_cells == most {
        FileEncoding::Vni
    } else {
        FileEncoding::Windows1258
    });
    Table {
        encoding,
        separator: None,
        rows: table_rows,
        row_numbers,
        sheet: None,
    }
}

/// A sheet of a workbook, in workbook order.
#[derive(Debug, Clone)]
pub(super) struct SheetEntry {
    pub(super) name: String,
    pub(super) hidden: bool,
}

/// How much of a sheet to read: all of it, or only as far as its first row with data (enough
/// to know whether it is worth offering).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Extent {
    Whole,
    FirstRow,
}

/// Reads the sheet the user chose (`chosen`, a position in `sheets`) or, without a choice, the
/// first visible sheet that has a voter-list header, else the first with any data; hidden
/// sheets (lookup lists, old copies) only when no visible one has data. `read` reads the sheet
/// at a position, None when it holds no data. The table says which sheets can be chosen
/// instead: the visible ones with data (a ward often keeps one polling area per sheet).
pub(super) fn read_chosen_sheet(
    sheets: &[SheetEntry],
    chosen: Option<usize>,
    mut read: impl FnMut(usize, Extent) -> Result<Option<Table>, FileProblem>,
) -> Result<Table, FileProblem> {
    if sheets.is_empty() {
        return Err(FileProblem::NotSpreadsheet);
    }
    // Whether each sheet has data, as far as known.
    let mut has_data: Vec<Option<bool>> = vec![None; sheets.len()];
    let (mut table, position) = match chosen.filter(|&position| position < sheets.len()) {
        Some(position) => (
            read(position, Extent::Whole)?.ok_or(FileProblem::Empty)?,
            position,
        ),
        None => {
            let visible_first = (0..sheets.len())
                .filter(|&p| !sheets[p].hidden)
                .chain((0..sheets.len()).filter(|&p| sheets[p].hidden));
            let mut fallback = None;
            let mut found = None;
            for position in visible_first {
                let Some(table) = read(position, Extent::Whole)? else {
                    has_data[position] = Some(false);
                    continue;
                };
                has_data[position] = Some(true);
                if super::columns::find_header(&table.rows).is_some() {
                    found = Some((table, position));
                    break;
                }
                fallback.get_or_insert((table, position));
            }
            found.or(fallback).ok_or(FileProblem::Empty)?
        }
    };
    let mut offered = Vec::new();
    for (index, sheet) in sheets.iter().enumerate() {
        let offer = index == position
            || (!sheet.hidden
                && match has_data[index] {
                    Some(known) => known,
                    // A sheet that fails to read is offered: choosing it shows what is wrong.
                    None => read(index, Extent::FirstRow).map_or(true, |t| t.is_some()),
                });
        if offer {
            offered.push((index, sheet.name.clone()));
        }
    }
    table.sheet = Some(SheetChoice {
        offered,
        read: position,
    });
    Ok(table)
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// TCVN3 text as a Windows-1252 reader shows it (the inverse of the unit-tested decoder).
    pub(in crate::import) fn as_tcvn3(unicode: &str) -> String {
        let table: Vec<(char, char)> = (0xA1u8..=0xFE)
            .filter_map(|byte| {
                let decoded = text::decode_tcvn3_bytes(&[byte], false);
                let mut chars = decoded.chars();
                match (chars.next(), chars.next()) {
                    (Some(c), None) if !c.is_ascii() => {
                        Some((c, text::windows_1252_to_string(&[byte]).chars().next()?))
                    }
                    _ => None,
                }
            })
            .collect();
        text::nfc(unicode)
            .chars()
            .map(|c| {
                table
                    .iter()
                    .find(|(u, _)| *u == c)
                    .map_or(c, |(_, legacy)| *legacy)
            })
            .collect()
    }

    #[test]
    fn number_formats_and_serial_dates() {
        assert_eq!(
            custom_number_kind("dd/mm/yyyy"),
            NumberKind::Date {
                day: true,
                month: true
            }
        );
        assert_eq!(
            custom_number_kind("[$-42A]mm/yyyy;@"),
            NumberKind::Date {
                day: false,
                month: true
            }
        );
        assert_eq!(
            custom_number_kind("yyyy"),
            NumberKind::Date {
                day: false,
                month: false
            }
        );
        assert_eq!(custom_number_kind("h:mm"), NumberKind::General);
        assert_eq!(custom_number_kind("\"Năm\" 0"), NumberKind::General);
        assert_eq!(
            custom_number_kind("000000000000"),
            NumberKind::ZeroPadded(12)
        );
        assert_eq!(serial_date(1.0, false), Some((1900, 1, 1)));
        assert_eq!(serial_date(61.0, false), Some((1900, 3, 1)));
        assert_eq!(serial_date(39_448.75, false), Some((2008, 1, 1)));
        assert_eq!(serial_date(0.0, true), None);
        assert_eq!(serial_date(1.0, true), Some((1904, 1, 2)));
        assert_eq!(plain_number(79_060_001_234.0), "79060001234");
        assert_eq!(plain_number(1.5), "1.5");
    }
}
