//! From the bytes of an Excel workbook (.xlsx) to the same `Table` the CSV reader makes, so
//! header detection and row checks do not care where the cells came from.
//!
//! Why our own reader rather than calamine: calamine inflates zip entries without a limit,
//! holds the whole sheet plus a full `Style` per cell in memory (far past the 300 MB budget on a
//! 1.000.000-row list), and drops the font of rich-text runs. What we need is small: shared
//! strings with their run fonts, the cell formats' fonts and number formats, and one sheet's
//! cells, read as a stream from an inflater whose output is counted.
//!
//! Legacy Vietnamese text (TCVN3 under the ".VnTime" fonts, VNI under "VNI-Times") reaches us as
//! the Windows-1252 letters its bytes stand for. The cell's (or run's) font says which encoding
//! it is; cells without such a font go through the same detection as CSV cells. Formulas are
//! never evaluated: a formula cell is its cached value, as text.

mod inflate;

use std::io::{self, BufReader, Cursor, Read, Seek};

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;
use zip::ZipArchive;

pub use inflate::MAX_INFLATED_BYTES;
use inflate::{check_declared_sizes, Budget, Counted};

use super::sheet::{
    checked_length, custom_number_kind, decode_rows, fill_merged_down, number_kind, number_text,
    push_row, read_chosen_sheet, string_cell, CellFormat, Extent, Hint, MergedDown, NumberKind,
    RawCell, RichText, RunFont, SheetEntry, Styles,
};
use super::table::{FileEncoding, FileProblem, Table, MAX_CELL_CHARS};
use crate::domain::text;

/// Excel's own row limit.
pub const MAX_ROWS: usize = 1_048_576;
const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
const EMPTY_ZIP_MAGIC: &[u8] = b"PK\x05\x06";

/// Whether the bytes are a zip archive (an .xlsx, or something pretending to be one).
pub fn is_zip(bytes: &[u8]) -> bool {
    bytes.starts_with(ZIP_MAGIC) || bytes.starts_with(EMPTY_ZIP_MAGIC)
}

type Archive<'a> = ZipArchive<Cursor<&'a [u8]>>;
type XmlReader<'z, 'b> = Reader<BufReader<Counted<'b, Box<dyn Read + 'z>>>>;

/// Reads an .xlsx workbook: the sheet the user chose (its position in the workbook), else the
/// one `read_chosen_sheet` picks. `forced` is the user's choice of encoding for cells whose
/// font does not say (a legacy font always decides its own cells).
pub fn read_xlsx(
    bytes: &[u8],
    forced: Option<FileEncoding>,
    chosen_sheet: Option<usize>,
) -> Result<Table, FileProblem> {
    let mut archive = ZipArchive::new(Cursor::new(bytes)).map_err(|_| FileProblem::Truncated)?;
    check_declared_sizes(&mut archive)?;
    if archive.index_for_name("xl/workbook.xml").is_none() {
        return Err(FileProblem::NotSpreadsheet);
    }
    let budget = Budget::default();
    let workbook = read_workbook(&mut archive, &budget)?;
    let strings = match &workbook.shared_strings {
        Some(path) => read_shared_strings(&mut archive, path, &budget)?,
        None => Vec::new(),
    };
    let styles = match &workbook.styles {
        Some(path) => read_styles(&mut archive, path, &budget)?,
        None => Styles::default(),
    };
    let entries: Vec<SheetEntry> = workbook
        .sheets
        .iter()
        .map(|(entry, _)| entry.clone())
        .collect();
    let context = CellContext {
        strings: &strings,
        styles: &styles,
        date1904: workbook.date1904,
    };
    read_chosen_sheet(&entries, chosen_sheet, |position, extent| {
        let path = &workbook.sheets[position].1;
        read_sheet(&mut archive, path, &context, forced, &budget, extent)
    })
}

/// What a sheet's cells are read with, from the rest of the workbook.
struct CellContext<'a> {
    strings: &'a [RichText],
    styles: &'a Styles,
    date1904: bool,
}

/// An XML reader over one entry, inflated through the budget; None if the entry is missing.
fn open<'z, 'b, R: Read + Seek + 'z>(
    archive: &'z mut ZipArchive<R>,
    path: &str,
    budget: &'b Budget,
) -> Result<Option<XmlReader<'z, 'b>>, FileProblem> {
    Ok(inflate::open_entry(archive, path, budget)?
        .map(|entry| Reader::from_reader(BufReader::new(entry))))
}

/// The next event; a syntax error or a failed inflate is a damaged file (or a bomb).
fn next<'e, R: io::BufRead>(
    reader: &mut Reader<R>,
    buf: &'e mut Vec<u8>,
    budget: &Budget,
) -> Result<Event<'e>, FileProblem> {
    buf.clear();
    reader.read_event_into(buf).map_err(|_| budget.failure())
}

/// An attribute by local name (`r:id` is found as `id`), entities resolved.
fn attr(element: &BytesStart, name: &str) -> Option<String> {
    element
        .attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == name)
        .and_then(|a| {
            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .ok()
                .map(|v| v.into_owned())
        })
}

/// An element's name without its namespace prefix, borrowed (no allocation per event).
fn local<'a>(element: &'a BytesStart) -> &'a str {
    element.local_name().into_inner()
}

/// The text a general reference (`&amp;`, `&#x1EA1;`) stands for.
fn reference(name: &str) -> Option<char> {
    match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        _ => {
            let number = name.strip_prefix('#')?;
            let code = match number.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => number.parse().ok()?,
            };
            char::from_u32(code)
        }
    }
}

/// OOXML writes characters XML cannot hold as `_xHHHH_` (`_x000D_` for a carriage return).
/// Control characters other than line breaks and tabs are dropped; lists never mean them.
fn unescape_ooxml(text: String) -> String {
    if !text.contains("_x") {
        return text;
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text.as_str();
    while let Some(at) = rest.find("_x") {
        out.push_str(&rest[..at]);
        let candidate = &rest[at..];
        let code = candidate
            .get(2..6)
            .filter(|hex| hex.bytes().all(|b| b.is_ascii_hexdigit()))
            .filter(|_| candidate.as_bytes().get(6) == Some(&b'_'))
            .and_then(|hex| u32::from_str_radix(hex, 16).ok())
            .and_then(char::from_u32);
        match code {
            Some(c) => {
                if !c.is_control() || matches!(c, '\n' | '\r' | '\t') {
                    out.push(c);
                }
                rest = &candidate[7..];
            }
            None => {
                out.push_str("_x");
                rest = &candidate[2..];
            }
        }
    }
    out.push_str(rest);
    out
}

// --- workbook ------------------------------------------------------------------------------

struct Workbook {
    /// Each sheet and the zip path of its part, in workbook order.
    sheets: Vec<(SheetEntry, String)>,
    shared_strings: Option<String>,
    styles: Option<String>,
    date1904: bool,
}

/// A relationship target relative to `xl/` (or absolute from the package root) as a zip path.
fn part_path(target: &str) -> String {
    let joined = match target.strip_prefix('/') {
        Some(absolute) => absolute.to_string(),
        None => format!("xl/{target}"),
    };
    let mut parts: Vec<&str> = Vec::new();
    for part in joined.split('/') {
        match part {
            ".." => {
                parts.pop();
            }
            "." | "" => {}
            _ => parts.push(part),
        }
    }
    parts.join("/")
}

fn read_workbook(archive: &mut Archive, budget: &Budget) -> Result<Workbook, FileProblem> {
    // Relationship id → (type, target).
    let mut relationships: Vec<(String, String, String)> = Vec::new();
    if let Some(mut reader) = open(archive, "xl/_rels/workbook.xml.rels", budget)? {
        let mut buf = Vec::new();
        loop {
            match next(&mut reader, &mut buf, budget)? {
                Event::Start(e) | Event::Empty(e) if local(&e) == "Relationship" => {
                    let external = attr(&e, "TargetMode").is_some_and(|m| m == "External");
                    if let (Some(id), Some(kind), Some(target), false) = (
                        attr(&e, "Id"),
                        attr(&e, "Type"),
                        attr(&e, "Target"),
                        external,
                    ) {
                        relationships.push((id, kind, part_path(&target)));
                    }
                }
                Event::Eof => break,
                _ => {}
            }
        }
    }
    let of_type = |suffix: &str| {
        relationships
            .iter()
            .find(|(_, kind, _)| kind.ends_with(suffix))
            .map(|(_, _, target)| target.clone())
    };
    let shared_strings = of_type("/sharedStrings").or(Some("xl/sharedStrings.xml".into()));
    let styles = of_type("/styles").or(Some("xl/styles.xml".into()));

    let mut reader =
        open(archive, "xl/workbook.xml", budget)?.ok_or(FileProblem::NotSpreadsheet)?;
    let mut buf = Vec::new();
    let mut sheets = Vec::new();
    let mut date1904 = false;
    loop {
        match next(&mut reader, &mut buf, budget)? {
            Event::Start(e) | Event::Empty(e) => match local(&e) {
                "workbookPr" => {
                    date1904 = attr(&e, "date1904").is_some_and(|v| v == "1" || v == "true");
                }
                "sheet" => {
                    let position = sheets.len() + 1;
                    let path = attr(&e, "id")
                        .and_then(|id| {
                            relationships
                                .iter()
                                .find(|(rid, _, _)| *rid == id)
                                .map(|(_, _, target)| target.clone())
                        })
                        .unwrap_or_else(|| format!("xl/worksheets/sheet{position}.xml"));
                    let entry = SheetEntry {
                        name: attr(&e, "name").unwrap_or_else(|| format!("Sheet{position}")),
                        hidden: attr(&e, "state").is_some_and(|s| s != "visible"),
                    };
                    sheets.push((entry, path));
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    if sheets.is_empty() {
        return Err(FileProblem::NotSpreadsheet);
    }
    Ok(Workbook {
        sheets,
        shared_strings,
        styles,
        date1904,
    })
}

// --- rich text (shared strings and inline strings) ------------------------------------------

/// Reads the content of an `<si>` or `<is>` element (the start tag already read) up to its end
/// tag: `<t>` text, or `<r>` runs with `<rPr><rFont val=…/>`. Phonetic runs (`<rPh>`) are not
/// part of the text. `limit` stops a runaway cell early.
fn read_rich_text<R: io::BufRead>(
    reader: &mut Reader<R>,
    buf: &mut Vec<u8>,
    end: &str,
    budget: &Budget,
    limit: usize,
) -> Result<Result<RichText, usize>, FileProblem> {
    let mut runs: Vec<(RunFont, String)> = Vec::new();
    let mut font = RunFont::Cell;
    let (mut in_t, mut in_phonetic) = (false, 0usize);
    let mut current = String::new();
    let mut chars = 0usize;
    loop {
        match next(reader, buf, budget)? {
            Event::Start(e) => match local(&e) {
                "r" => font = RunFont::Cell,
                "rPh" => in_phonetic += 1,
                "t" => in_t = in_phonetic == 0,
                _ => {}
            },
            Event::Empty(e) if local(&e) == "rFont" && in_phonetic == 0 => {
                font = RunFont::Own(attr(&e, "val").and_then(|name| text::font_hint(&name)));
            }
            Event::Text(t) if in_t => current.push_str(&t.xml10_content()),
            Event::CData(t) if in_t => current.push_str(&t),
            Event::GeneralRef(r) if in_t => {
                if let Some(c) = reference(&r) {
                    current.push(c);
                }
            }
            Event::End(e) => match e.local_name().as_ref() {
                "t" if in_t => {
                    in_t = false;
                    let piece = unescape_ooxml(std::mem::take(&mut current));
                    chars += piece.chars().count();
                    if chars > limit {
                        return Ok(Err(chars));
                    }
                    match runs.last_mut() {
                        Some((last_font, text)) if *last_font == font => text.push_str(&piece),
                        _ => runs.push((font, piece)),
                    }
                }
                "r" => font = RunFont::Cell,
                "rPh" => in_phonetic = in_phonetic.saturating_sub(1),
                name if name == end => break,
                _ => {}
            },
            Event::Eof => return Err(FileProblem::Truncated),
            _ => {}
        }
    }
    Ok(Ok(if runs.iter().all(|(font, _)| *font == RunFont::Cell) {
        RichText::Plain(runs.into_iter().map(|(_, text)| text).collect())
    } else {
        RichText::Runs(runs)
    }))
}

fn read_shared_strings(
    archive: &mut Archive,
    path: &str,
    budget: &Budget,
) -> Result<Vec<RichText>, FileProblem> {
    let Some(mut reader) = open(archive, path, budget)? else {
        return Ok(Vec::new());
    };
    let mut strings = Vec::new();
    let mut buf = Vec::new();
    loop {
        match next(&mut reader, &mut buf, budget)? {
            Event::Start(e) if local(&e) == "si" => {
                // An over-long string is kept whole here (the inflate budget bounds it) and
                // refused with its row and column when a cell uses it.
                let text = read_rich_text(&mut reader, &mut buf, "si", budget, usize::MAX)?
                    .unwrap_or_else(|_| RichText::Plain(String::new()));
                strings.push(text);
            }
            Event::Empty(e) if local(&e) == "si" => strings.push(RichText::Plain(String::new())),
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(strings)
}

// --- styles ---------------------------------------------------------------------------------

fn read_styles(archive: &mut Archive, path: &str, budget: &Budget) -> Result<Styles, FileProblem> {
    let Some(mut reader) = open(archive, path, budget)? else {
        return Ok(Styles::default());
    };
    let mut custom: Vec<(u32, NumberKind)> = Vec::new();
    let mut fonts: Vec<Option<Hint>> = Vec::new();
    let mut xfs: Vec<(usize, u32)> = Vec::new();
    let (mut in_fonts, mut in_cell_xfs) = (false, false);
    let mut buf = Vec::new();
    loop {
        match next(&mut reader, &mut buf, budget)? {
            Event::Start(e) | Event::Empty(e) => match local(&e) {
                "numFmt" => {
                    if let (Some(id), Some(code)) = (
                        attr(&e, "numFmtId").and_then(|v| v.parse().ok()),
                        attr(&e, "formatCode"),
                    ) {
                        custom.push((id, custom_number_kind(&code)));
                    }
                }
                "fonts" => in_fonts = true,
                "font" if in_fonts => fonts.push(None),
                "name" if in_fonts => {
                    if let Some(last) = fonts.last_mut() {
                        *last = attr(&e, "val").and_then(|name| text::font_hint(&name));
                    }
                }
                "cellXfs" => in_cell_xfs = true,
                "xf" if in_cell_xfs => xfs.push((
                    attr(&e, "fontId").and_then(|v| v.parse().ok()).unwrap_or(0),
                    attr(&e, "numFmtId")
                        .and_then(|v| v.parse().ok())
                        .unwrap_or(0),
                )),
                _ => {}
            },
            Event::End(e) => match e.local_name().as_ref() {
                "fonts" => in_fonts = false,
                "cellXfs" => in_cell_xfs = false,
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    let formats = xfs
        .into_iter()
        .map(|(font, number_format)| CellFormat {
            hint: fonts.get(font).copied().flatten(),
            number: number_kind(number_format, &custom),
        })
        .collect();
    Ok(Styles { formats })
}

// --- cells ----------------------------------------------------------------------------------

/// "BC12" → column 55 (1-based), or None.
fn column_of(reference: &str) -> Option<usize> {
    let letters: String = reference
        .chars()
        .take_while(|c| c.is_ascii_alphabetic())
        .collect();
    if letters.is_empty() || letters.len() > 3 {
        return None;
    }
    Some(letters.bytes().fold(0, |n, b| {
        n * 26 + usize::from(b.to_ascii_uppercase() - b'A') + 1
    }))
}

/// The cell being read between `<c>` and `</c>`.
struct PendingCell {
    column: usize,
    format: CellFormat,
    kind: String,
    value: Option<String>,
    inline: Option<RichText>,
}

/// Reads one sheet into a table; None when it holds no data.
fn read_sheet(
    archive: &mut Archive,
    path: &str,
    context: &CellContext,
    forced: Option<FileEncoding>,
    budget: &Budget,
    extent: Extent,
) -> Result<Option<Table>, FileProblem> {
    let Some(mut reader) = open(archive, path, budget)? else {
        return Ok(None);
    };
    let mut rows: Vec<(usize, Vec<(usize, RawCell)>)> = Vec::new();
    let mut buf = Vec::new();
    let mut row_number = 0usize;
    let mut row: Vec<(usize, RawCell)> = Vec::new();
    let mut cell: Option<PendingCell> = None;
    let mut in_value = false;
    let mut in_sheet_data = false;
    let mut merged: Vec<MergedDown> = Vec::new();
    let too_long =
        |row: usize, column: usize, chars: usize| FileProblem::CellTooLong { row, column, chars };
    loop {
        match next(&mut reader, &mut buf, budget)? {
            Event::Start(e) => match local(&e) {
                "sheetData" => in_sheet_data = true,
                "row" if in_sheet_data => {
                    row_number = start_row(&e, row_number)?;
                    row.clear();
                }
                "c" if in_sheet_data => {
                    cell = Some(start_cell(&e, &row, context.styles));
                }
                "v" if cell.is_some() => in_value = true,
                "is" => {
                    if let Some(pending) = cell.as_mut() {
                        match read_rich_text(&mut reader, &mut buf, "is", budget, MAX_CELL_CHARS)? {
                            Ok(rich) => pending.inline = Some(rich),
                            Err(chars) => return Err(too_long(row_number, pending.column, chars)),
                        }
                    }
                }
                _ => {}
            },
            Event::Empty(e) => match local(&e) {
                "row" if in_sheet_data => {
                    row_number = start_row(&e, row_number)?;
                    row.clear();
                }
                // A cell with a style and no value: nothing to read, but it moves the column.
                "c" if in_sheet_data => {
                    let pending = start_cell(&e, &row, context.styles);
                    row.push((pending.column, RawCell::Done(String::new())));
                }
                "mergeCell" => merged.extend(attr(&e, "ref").as_deref().and_then(merged_down)),
                _ => {}
            },
            Event::Text(t) if in_value => {
                if let Some(pending) = cell.as_mut() {
                    let value = pending.value.get_or_insert_with(String::new);
                    value.push_str(&t.xml10_content());
                    if value.len() > MAX_CELL_CHARS * 4 {
                        let chars = value.chars().count();
                        return Err(too_long(row_number, pending.column, chars));
                    }
                }
            }
            Event::GeneralRef(r) if in_value => {
                if let (Some(pending), Some(c)) = (cell.as_mut(), reference(&r)) {
                    pending.value.get_or_insert_with(String::new).push(c);
                }
            }
            Event::End(e) => match e.local_name().as_ref() {
                "v" => in_value = false,
                "c" => {
                    if let Some(pending) = cell.take() {
                        let column = pending.column;
                        let raw = finish_cell(pending, context.strings, context.date1904);
                        row.push((column, checked_length(raw, row_number, column)?));
                    }
                }
                "row" => {
                    push_row(&mut rows, row_number, std::mem::take(&mut row))?;
                    if extent == Extent::FirstRow && !rows.is_empty() {
                        break;
                    }
                }
                "sheetData" => in_sheet_data = false,
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    if rows.is_empty() {
        return Ok(None);
    }
    fill_merged_down(&mut rows, &merged);
    Ok(Some(decode_rows(rows, forced)))
}

/// "F5:F7" → (6, 5, 7); None for a range over several columns or a single cell.
fn merged_down(range: &str) -> Option<MergedDown> {
    let (from, to) = range.split_once(':')?;
    let row_of = |cell: &str| -> Option<usize> {
        cell.trim_start_matches(|c: char| c.is_ascii_alphabetic())
            .parse()
            .ok()
    };
    let column = column_of(from)?;
    let (first, last) = (row_of(from)?, row_of(to)?);
    (column_of(to)? == column && last > first).then_some((column, first, last))
}

fn start_row(element: &BytesStart, previous: usize) -> Result<usize, FileProblem> {
    let number = attr(element, "r")
        .and_then(|r| r.parse().ok())
        .unwrap_or(previous + 1);
    if number > MAX_ROWS {
        return Err(FileProblem::TooManyRows { rows: number });
    }
    Ok(number)
}

fn start_cell(element: &BytesStart, row: &[(usize, RawCell)], styles: &Styles) -> PendingCell {
    let after_previous = row.last().map_or(1, |(c, _)| c + 1);
    PendingCell {
        column: attr(element, "r")
            .and_then(|r| column_of(&r))
            .unwrap_or(after_previous),
        format: styles.get(attr(element, "s").and_then(|s| s.parse().ok()).unwrap_or(0)),
        kind: attr(element, "t").unwrap_or_else(|| "n".into()),
        value: None,
        inline: None,
    }
}

/// The cell's text by its type. A formula cell (`<f>`) is its cached `<v>`, never evaluated.
fn finish_cell(pending: PendingCell, strings: &[RichText], date1904: bool) -> RawCell {
    let value = pending.value.map(unescape_ooxml).unwrap_or_default();
    let hint = pending.format.hint;
    match pending.kind.as_str() {
        "s" => match value
            .trim()
            .parse::<usize>()
            .ok()
            .and_then(|i| strings.get(i))
        {
            Some(rich) => string_cell(rich, hint),
            None => RawCell::Done(String::new()),
        },
        "inlineStr" => match &pending.inline {
            Some(rich) => string_cell(rich, hint),
            None => string_cell(&RichText::Plain(value), hint),
        },
        "str" | "e" => string_cell(&RichText::Plain(value), hint),
        "b" => RawCell::Done(if value.trim() == "1" { "TRUE" } else { "FALSE" }.into()),
        // ISO 8601 ("2001-12-12T00:00:00"): the date part is what a birth date needs.
        "d" => RawCell::Done(value.split('T').next().unwrap_or_default().to_string()),
        _ if value.is_empty() => RawCell::Done(String::new()),
        _ => RawCell::Done(match value.trim().parse::<f64>() {
            Ok(number) => number_text(number, pending.format.number, date1904),
            Err(_) => value.trim().to_string(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use zip::write::SimpleFileOptions;
    use zip::CompressionMethod;
    use zip::ZipWriter;

    use super::*;
    use crate::import::sheet::tests::as_tcvn3;
    use crate::import::table::SheetChoice;

    const WORKBOOK: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="DS" sheetId="1" r:id="rId1"/></sheets></workbook>"#;
    const RELS: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="/xl/styles.xml"/></Relationships>"#;
    /// Fonts: 0 Arial, 1 .VnTime, 2 .VnTimeH, 3 VNI-Times. Formats (s=): 0 general, 1 .VnTime,
    /// 2 .VnTimeH, 3 dd/mm/yyyy (built-in 14), 4 mm/yyyy, 5 twelve zeros, 6 VNI-Times.
    const STYLES: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="2"><numFmt numFmtId="164" formatCode="mm/yyyy"/><numFmt numFmtId="165" formatCode="000000000000"/></numFmts><fonts count="4"><font><sz val="11"/><name val="Arial"/></font><font><sz val="12"/><name val=".VnTime"/></font><font><b/><name val=".VnTimeH"/></font><font><name val="VNI-Times"/></font></fonts><cellXfs count="7"><xf fontId="0" numFmtId="0"/><xf fontId="1" numFmtId="0"/><xf fontId="2" numFmtId="0"/><xf fontId="0" numFmtId="14"/><xf fontId="0" numFmtId="164"/><xf fontId="0" numFmtId="165"/><xf fontId="3" numFmtId="0"/></cellXfs><dxfs><dxf><font><name val=".VnTime"/></font></dxf></dxfs></styleSheet>"#;

    fn sheet(rows: &str) -> String {
        format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{rows}</sheetData></worksheet>"#
        )
    }

    fn zip_of(parts: &[(&str, &[u8])]) -> Vec<u8> {
        let mut writer = ZipWriter::new(Cursor::new(Vec::new()));
        for (name, bytes) in parts {
            writer
                .start_file(*name, SimpleFileOptions::default())
                .expect("entry");
            writer.write_all(bytes).expect("write");
        }
        writer.finish().expect("finish").into_inner()
    }

    fn workbook(sheet_xml: &str, shared: &str) -> Vec<u8> {
        let sst = format!(
            r#"<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{shared}</sst>"#
        );
        zip_of(&[
            ("[Content_Types].xml", b"<Types/>"),
            ("xl/workbook.xml", WORKBOOK.as_bytes()),
            ("xl/_rels/workbook.xml.rels", RELS.as_bytes()),
            ("xl/styles.xml", STYLES.as_bytes()),
            ("xl/sharedStrings.xml", sst.as_bytes()),
            ("xl/worksheets/sheet1.xml", sheet_xml.as_bytes()),
        ])
    }

    fn xml_escape(s: &str) -> String {
        s.replace('&', "&amp;").replace('<', "&lt;")
    }

    #[test]
    fn cells_of_every_type_become_the_text_a_person_sees() {
        let rows = r#"
<row r="1"><c r="A1" t="s"><v>0</v></c></row>
<row r="3"><c r="A3" t="s"><v>1</v></c><c r="B3" t="s"><v>2</v></c><c r="C3" t="inlineStr"><is><t>Ngày sinh</t></is></c><c r="D3" t="s"><v>3</v></c><c r="F3" t="s"><v>4</v></c></row>
<row r="4"><c r="A4"><v>1</v></c><c r="B4" t="s"><v>5</v></c><c r="C4" s="3"><v>22102</v></c><c r="D4" s="5"><v>79060001234</v></c><c r="E4" t="b"><v>1</v></c><c r="F4" t="str"><f>HYPERLINK("http://x","bấm")</f><v>=bấm &amp; xem</v></c></row>
<row r="5" spans="1:6"><c r="A5"><v>2</v></c><c r="B5" t="inlineStr"><is><r><t>Trần Thị </t></r><r><rPr><b/></rPr><t>Hương</t></r></is></c><c r="C5" s="4"><v>23774</v></c><c s="0"/><c r="D5" s="5"/></row>
<row r="6"><c r="A6" t="s"><v>6</v></c></row>
"#;
        let shared = "<si><t>DANH SÁCH CỬ TRI</t></si><si><t>STT</t></si><si><t xml:space=\"preserve\"> Họ và tên </t></si><si><t>Số CCCD</t></si><si><t>Ghi chú</t><rPh sb=\"0\" eb=\"1\"><t>phonetic</t></rPh></si><si><t>Nguye\u{302}\u{303}n Văn An</t></si><si><t>line_x000D_\nbreak_x005F_x</t></si>";
        let table = read_xlsx(&workbook(&sheet(rows), shared), None, None).expect("reads");
        assert_eq!(table.separator, None);
        assert_eq!(table.encoding, FileEncoding::Utf8);
        assert_eq!(table.row_numbers, vec![1, 3, 4, 5, 6]);
        assert_eq!(
            table.rows,
            vec![
                vec!["DANH SÁCH CỬ TRI", "", "", "", "", ""],
                vec!["STT", "Họ và tên", "Ngày sinh", "Số CCCD", "", "Ghi chú"],
                // A formula is its cached value, as text; it is never evaluated.
                vec![
                    "1",
                    "Nguyễn Văn An",
                    "05/07/1960",
                    "079060001234",
                    "TRUE",
                    "=bấm & xem"
                ],
                vec!["2", "Trần Thị Hương", "02/1965", "", "", ""],
                vec!["line break_x", "", "", "", "", ""],
            ]
        );
    }

    #[test]
    fn legacy_font_cells_are_decoded_and_h_fonts_are_capitals() {
        let name = xml_escape(&as_tcvn3("Nguyễn Thị Hương"));
        let title = xml_escape(&as_tcvn3("danh sách cử tri"));
        let rich = xml_escape(&as_tcvn3("Đặng Thùy"));
        assert!(name.contains('\u{AD}'), "ư is the soft hyphen in TCVN3");
        let rows = format!(
            r#"<row r="1"><c r="A1" s="2" t="inlineStr"><is><t>{title}</t></is></c></row>
<row r="2"><c r="A2" t="inlineStr"><is><t>Họ và tên</t></is></c><c r="B2" s="1" t="inlineStr"><is><t>Nơi thường trú</t></is></c></row>
<row r="3"><c r="A3" s="1" t="inlineStr"><is><t>{name}</t></is></c><c r="B3" s="6" t="inlineStr"><is><t>Nguyeãn Vaên An</t></is></c></row>
<row r="4"><c r="A4" t="s"><v>0</v></c><c r="B4" s="1" t="str"><f>A4</f><v>{name}</v></c></row>"#
        );
        let shared = format!(
            r#"<si><r><rPr><rFont val=".VnTime"/></rPr><t>{rich}</t></r><r><rPr><rFont val="Arial"/></rPr><t xml:space="preserve"> Dương</t></r></si>"#
        );
        let table = read_xlsx(&workbook(&sheet(&rows), &shared), None, None).expect("reads");
        assert_eq!(table.rows[0][0], "DANH SÁCH CỬ TRI");
        // A .VnTime cell typed in Unicode after all is left as it is.
        assert_eq!(table.rows[1], vec!["Họ và tên", "Nơi thường trú"]);
        assert_eq!(table.rows[2], vec!["Nguyễn Thị Hương", "Nguyễn Văn An"]);
        assert_eq!(table.rows[3], vec!["Đặng Thùy Dương", "Nguyễn Thị Hương"]);
        assert_eq!(table.encoding, FileEncoding::Tcvn3);
    }

    #[test]
    fn a_cell_merged_over_a_households_rows_fills_each_of_them() {
        let text = |cell: &str, value: &str| {
            format!(r#"<c r="{cell}" t="inlineStr"><is><t>{value}</t></is></c>"#)
        };
        let rows = [
            format!("<row r=\"1\">{}</row>", text("A1", "DANH SÁCH CỬ TRI")),
            format!(
                "<row r=\"2\">{}{}</row>",
                text("A2", "Họ và tên"),
                text("B2", "Nơi thường trú")
            ),
            format!(
                "<row r=\"3\">{}{}</row>",
                text("A3", "Nguyễn Văn An"),
                text("B3", "Số 12, khóm 3")
            ),
            format!(
                r#"<row r="4">{}<c r="B4" s="0"/></row>"#,
                text("A4", "Nguyễn Thị Bình")
            ),
            format!("<row r=\"5\">{}</row>", text("A5", "Nguyễn Văn Cường")),
            format!("<row r=\"6\">{}</row>", text("A6", "Lê Thị Dung")),
        ]
        .concat();
        let xml = sheet(&rows).replace(
            "</sheetData>",
            r#"</sheetData><mergeCells count="2"><mergeCell ref="A1:B1"/><mergeCell ref="B3:B5"/></mergeCells>"#,
        );
        let table = read_xlsx(&workbook(&xml, ""), None, None).expect("reads");
        let addresses: Vec<&str> = table.rows.iter().map(|row| row[1].as_str()).collect();
        // The title's merge over two columns is not copied across.
        assert_eq!(
            addresses,
            vec![
                "",
                "Nơi thường trú",
                "Số 12, khóm 3",
                "Số 12, khóm 3",
                "Số 12, khóm 3",
                ""
            ]
        );
    }

    #[test]
    fn cells_without_a_legacy_font_are_detected_like_csv_cells() {
        let names = ["Nguyễn Văn An", "Trần Thị Hương", "Lê Văn Đức"];
        let mut rows = String::from(
            r#"<row r="1"><c r="A1" t="inlineStr"><is><t>Họ và tên</t></is></c></row>"#,
        );
        for (index, name) in names.iter().enumerate() {
            rows.push_str(&format!(
                r#"<row r="{0}"><c r="A{0}" t="inlineStr"><is><t>{1}</t></is></c></row>"#,
                index + 2,
                xml_escape(&as_tcvn3(name))
            ));
        }
        let table = read_xlsx(&workbook(&sheet(&rows), ""), None, None).expect("reads");
        assert_eq!(table.encoding, FileEncoding::Tcvn3);
        let read: Vec<&str> = table.rows.iter().map(|r| r[0].as_str()).collect();
        assert_eq!(read, ["Họ và tên", names[0], names[1], names[2]]);
        // Choosing Unicode by hand leaves font-less cells as they are.
        let forced =
            read_xlsx(&workbook(&sheet(&rows), ""), Some(FileEncoding::Utf8), None).expect("reads");
        assert_eq!(forced.rows[1][0], as_tcvn3(names[0]));
    }

    #[test]
    fn the_sheet_that_looks_like_a_voter_list_is_chosen() {
        let workbook_xml = r#"<workbook xmlns:r="r"><sheets><sheet name="Ghi chú" r:id="rId1"/><sheet name="Ẩn" r:id="rId3" state="hidden"/><sheet name="DS" r:id="rId2"/></sheets></workbook>"#;
        let rels = r#"<Relationships><Relationship Id="rId1" Type="x/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="x/worksheet" Target="worksheets/sheet2.xml"/><Relationship Id="rId3" Type="x/worksheet" Target="worksheets/sheet3.xml"/></Relationships>"#;
        let notes =
            sheet(r#"<row r="1"><c r="A1" t="inlineStr"><is><t>Xem trang sau</t></is></c></row>"#);
        let list = sheet(
            r#"<row r="2"><c r="B2" t="inlineStr"><is><t>Họ và tên</t></is></c><c r="C2" t="inlineStr"><is><t>Ngày sinh</t></is></c></row>"#,
        );
        let bytes = zip_of(&[
            ("xl/workbook.xml", workbook_xml.as_bytes()),
            ("xl/_rels/workbook.xml.rels", rels.as_bytes()),
            ("xl/worksheets/sheet1.xml", notes.as_bytes()),
            ("xl/worksheets/sheet2.xml", list.as_bytes()),
            ("xl/worksheets/sheet3.xml", notes.as_bytes()),
        ]);
        let table = read_xlsx(&bytes, None, None).expect("reads");
        assert_eq!(table.rows, vec![vec!["", "Họ và tên", "Ngày sinh"]]);
        assert_eq!(table.row_numbers, vec![2]);
        // The hidden sheet is not offered; the notes are, and can be chosen.
        let offered = vec![(0, "Ghi chú".to_string()), (2, "DS".to_string())];
        assert_eq!(
            table.sheet,
            Some(SheetChoice {
                offered: offered.clone(),
                read: 2
            })
        );
        let notes = read_xlsx(&bytes, None, Some(0)).expect("reads");
        assert_eq!(notes.rows, vec![vec!["Xem trang sau"]]);
        assert_eq!(notes.sheet, Some(SheetChoice { offered, read: 0 }));
    }

    #[test]
    fn broken_and_hostile_workbooks_are_refused_with_a_reason() {
        let good = workbook(
            &sheet(r#"<row r="1"><c r="A1" t="inlineStr"><is><t>Họ và tên</t></is></c></row>"#),
            "",
        );
        assert!(read_xlsx(&good, None, None).is_ok());
        assert_eq!(
            read_xlsx(&good[..good.len() / 2], None, None),
            Err(FileProblem::Truncated)
        );
        assert_eq!(
            read_xlsx(&zip_of(&[("word/document.xml", b"<w/>")]), None, None),
            Err(FileProblem::NotSpreadsheet)
        );
        let damaged_xml = workbook(&sheet("<row r=\"1\"><c r=\"A1\"><v>1</x></c></row>"), "");
        assert_eq!(
            read_xlsx(&damaged_xml, None, None),
            Err(FileProblem::Truncated)
        );
        // Well-formed XML whose bytes no longer match the entry's CRC: damaged in transit.
        let stored = SimpleFileOptions::default().compression_method(CompressionMethod::Stored);
        let mut writer = ZipWriter::new(Cursor::new(Vec::new()));
        for (name, xml) in [
            ("xl/workbook.xml", WORKBOOK.to_string()),
            (
                "xl/worksheets/sheet1.xml",
                sheet(
                    r#"<row r="1"><c r="A1" t="inlineStr"><is><t>Nguyễn Văn An</t></is></c></row>"#,
                ),
            ),
        ] {
            writer.start_file(name, stored).expect("entry");
            writer.write_all(xml.as_bytes()).expect("write");
        }
        let mut flipped = writer.finish().expect("finish").into_inner();
        let at = flipped
            .windows(6)
            .position(|w| w == b"Nguy\xE1\xBB")
            .expect("stored text");
        flipped[at] = b'M';
        assert_eq!(read_xlsx(&flipped, None, None), Err(FileProblem::Truncated));
        let far_column = sheet(r#"<row r="7"><c r="A7"><v>1</v></c><c r="HZ7"><v>2</v></c></row>"#);
        assert_eq!(
            read_xlsx(&workbook(&far_column, ""), None, None),
            Err(FileProblem::TooManyColumns {
                row: 7,
                columns: 234
            })
        );
        // A styled but empty far cell is not data.
        let styled = sheet(r#"<row r="1"><c r="A1"><v>1</v></c><c r="XFD1" s="1"/></row>"#);
        assert!(read_xlsx(&workbook(&styled, ""), None, None).is_ok());
        let far_row = sheet(r#"<row r="1048577"><c r="A1048577"><v>1</v></c></row>"#);
        assert_eq!(
            read_xlsx(&workbook(&far_row, ""), None, None),
            Err(FileProblem::TooManyRows { rows: 1_048_577 })
        );
        let huge = format!(
            r#"<row r="3"><c r="B3" t="inlineStr"><is><t>{}</t></is></c></row>"#,
            "A".repeat(5 * 1024 * 1024)
        );
        assert!(matches!(
            read_xlsx(&workbook(&sheet(&huge), ""), None, None),
            Err(FileProblem::CellTooLong {
                row: 3,
                column: 2,
                ..
            })
        ));
        let huge_shared = format!("<si><t>{}</t></si>", "A".repeat(5 * 1024 * 1024));
        let uses_it = sheet(r#"<row r="4"><c r="C4" t="s"><v>0</v></c></row>"#);
        assert!(matches!(
            read_xlsx(&workbook(&uses_it, &huge_shared), None, None),
            Err(FileProblem::CellTooLong {
                row: 4,
                column: 3,
                ..
            })
        ));
    }

    /// A zip holding `size` spaces inside a sheet, deflated (about 1 KB per MB).
    fn bomb(size: u64) -> Vec<u8> {
        let mut writer = ZipWriter::new(Cursor::new(Vec::new()));
        writer
            .start_file("xl/workbook.xml", SimpleFileOptions::default())
            .expect("entry");
        writer.write_all(WORKBOOK.as_bytes()).expect("write");
        writer
            .start_file("xl/worksheets/sheet1.xml", SimpleFileOptions::default())
            .expect("entry");
        writer.write_all(b"<worksheet><sheetData>").expect("write");
        io::copy(&mut io::repeat(b' ').take(size), &mut writer).expect("fill");
        writer
            .write_all(b"</sheetData></worksheet>")
            .expect("write");
        writer.finish().expect("finish").into_inner()
    }

    #[test]
    fn zip_bombs_are_refused_by_declared_and_by_counted_size() {
        let honest = bomb(MAX_INFLATED_BYTES + 1);
        assert!(honest.len() < 512 * 1024, "{}", honest.len());
        assert_eq!(read_xlsx(&honest, None, None), Err(FileProblem::ZipBomb));
        // The same kind of entry declaring 1 KB in both headers: caught while inflating.
        let mut lying = bomb(64 * 1024 * 1024);
        let declared_size = (64 * 1024 * 1024 + 46u32).to_le_bytes();
        let mut patched = 0;
        for at in 0..lying.len().saturating_sub(30) {
            let (local, central) = (
                lying[at..].starts_with(ZIP_MAGIC),
                lying[at..].starts_with(b"PK\x01\x02"),
            );
            let field = if local {
                at + 22
            } else if central {
                at + 24
            } else {
                continue;
            };
            if lying[field..field + 4] == declared_size {
                lying[field..field + 4].copy_from_slice(&1024u32.to_le_bytes());
                patched += 1;
            }
        }
        assert_eq!(patched, 2, "local and central headers");
        assert_eq!(read_xlsx(&lying, None, None), Err(FileProblem::ZipBomb));
    }

    #[test]
    fn columns_and_escapes() {
        assert_eq!(column_of("A1"), Some(1));
        assert_eq!(column_of("XFD1048576"), Some(16_384));
        assert_eq!(column_of("12"), None);
        assert_eq!(unescape_ooxml("a_x0000_b_x00_c".into()), "ab_x00_c");
        assert_eq!(part_path("../xl/./worksheets/s.xml"), "xl/worksheets/s.xml");
    }
}
