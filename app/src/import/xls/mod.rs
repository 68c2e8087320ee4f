//! From the bytes of an Excel 97–2003 workbook (.xls) to the same `Table` the .xlsx reader
//! makes: the same fonts decide legacy text, the same number formats make dates and CCCDs, the
//! same sheet is chosen.
//!
//! An .xls is a Compound File (a small FAT file system in one file) holding a "Workbook"
//! stream of BIFF8 records: the workbook's globals (sheets, shared strings, fonts, formats),
//! then one substream of cell records per sheet. The container is read by the `cfb` crate
//! (`container`), the records by our own code (`biff`, and the workbook's meaning here), every
//! offset, size and chain checked against the file, since an upload can claim anything: a
//! damaged or hostile file is a `FileProblem`, never a panic or an allocation the file's size
//! does not cover. No crate reads BIFF8 the way the import needs it (the font of each cell and
//! of each rich-text run decides its legacy encoding).
//!
//! Excel keeps text in UTF-16, or "compressed" as one byte per character when every character
//! fits. Text typed under a legacy font (.VnTime, VNI-Times) was typed as the Windows-1252
//! letters of its bytes, so it is almost always compressed, ư (TCVN3 0xAD, the soft hyphen)
//! included; compressed bytes are read as Windows-1252, as the CSV reader reads "ANSI" bytes,
//! so the decoders see what they see from an .xlsx.

mod biff;
mod container;

use super::sheet::{
    checked_length, custom_number_kind, decode_rows, number_kind, number_text, push_row,
    read_chosen_sheet, string_cell, CellFormat, Extent, Hint, NumberKind, RawCell, RichText,
    SheetEntry, Styles,
};
use super::table::{FileEncoding, FileProblem, Table, MAX_COLUMNS};
use crate::domain::text;
use biff::{
    error_text, f64_at, font_hint, rk_number, short_string, u16_at, u32_at, Record, Records, BIFF5,
    BIFF8, BOF, BOOLERR, BOUNDSHEET, DATEMODE, EOF, FILEPASS, FONT, FORMAT, FORMULA, LABEL,
    LABELSST, MULRK, NUMBER, RK, RSTRING, SST, STRING, XF,
};
use container::workbook_stream;

/// The Compound File signature that every .xls (and every password-protected .xlsx) starts with.
const CFB_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Whether the bytes are a Compound File: an .xls workbook, or something claiming to be one.
pub fn is_compound_file(bytes: &[u8]) -> bool {
    bytes.starts_with(CFB_MAGIC)
}

/// Reads an .xls workbook: the sheet the user chose (its position among the workbook's
/// worksheets), else the one `read_chosen_sheet` picks. `forced` is the user's choice of
/// encoding for cells whose font does not say.
pub fn read_xls(
    bytes: &[u8],
    forced: Option<FileEncoding>,
    chosen_sheet: Option<usize>,
) -> Result<Table, FileProblem> {
    let stream = workbook_stream(bytes)?;
    let globals = read_globals(&stream)?;
    let entries: Vec<SheetEntry> = globals.sheets.iter().map(|(e, _)| e.clone()).collect();
    read_chosen_sheet(&entries, chosen_sheet, |position, extent| {
        read_sheet(
            &stream,
            &globals,
            globals.sheets[position].1,
            forced,
            extent,
        )
    })
}

struct Globals {
    /// Each worksheet and the offset of its BOF record in the stream, in workbook order.
    sheets: Vec<(SheetEntry, usize)>,
    strings: Vec<RichText>,
    styles: Styles,
    date1904: bool,
}

fn read_globals(stream: &[u8]) -> Result<Globals, FileProblem> {
    let mut records = Records { stream, at: 0 };
    let first = records.next()?.ok_or(FileProblem::NotSpreadsheet)?;
    match (first.kind, u16_at(first.data, 0)) {
        (BOF, Some(BIFF8)) => {}
        (BOF, Some(BIFF5)) => return Err(FileProblem::Excel95),
        _ => return Err(FileProblem::NotSpreadsheet),
    }
    let mut globals = Globals {
        sheets: Vec::new(),
        strings: Vec::new(),
        styles: Styles::default(),
        date1904: false,
    };
    let mut fonts: Vec<Option<Hint>> = Vec::new();
    let mut custom: Vec<(u32, NumberKind)> = Vec::new();
    let mut xfs: Vec<(u16, u16)> = Vec::new();
    while let Some(record) = records.next()? {
        let data = record.data;
        match record.kind {
            EOF => break,
            FILEPASS => return Err(FileProblem::Encrypted),
            DATEMODE => globals.date1904 = u16_at(data, 0) == Some(1),
            FONT => fonts.push(text::font_hint(&short_string(
                data.get(14..).unwrap_or_default(),
            )?)),
            FORMAT => {
                let id = u16_at(data, 0).ok_or(FileProblem::Truncated)?;
                let code = records
                    .with_continues(data.get(2..).unwrap_or_default())?
                    .string()?;
                custom.push((u32::from(id), custom_number_kind(&code)));
            }
            XF => xfs.push((
                u16_at(data, 0).ok_or(FileProblem::Truncated)?,
                u16_at(data, 2).ok_or(FileProblem::Truncated)?,
            )),
            BOUNDSHEET => {
                let offset = u32_at(data, 0).ok_or(FileProblem::Truncated)? as usize;
                let (state, kind) = (data.get(4).copied(), data.get(5).copied());
                let name = short_string(data.get(6..).unwrap_or_default())?;
                // Kind 0 is a worksheet; charts, macro sheets and modules hold no list.
                if kind == Some(0) {
                    let hidden = state.is_some_and(|s| s & 0x03 != 0);
                    globals.sheets.push((SheetEntry { name, hidden }, offset));
                }
            }
            SST => {
                let mut pieces = records.with_continues(data)?;
                pieces.skip(8)?;
                // The declared count is not trusted: each string takes at least 3 bytes.
                while !pieces.is_done() {
                    globals.strings.push(pieces.rich_string(&fonts)?);
                }
            }
            _ => {}
        }
    }
    globals.styles = Styles {
        formats: xfs
            .into_iter()
            .map(|(font, format)| CellFormat {
                hint: font_hint(&fonts, font),
                number: number_kind(u32::from(format), &custom),
            })
            .collect(),
    };
    Ok(globals)
}

fn boolean_text(value: u8) -> RawCell {
    RawCell::Done(if value != 0 { "TRUE" } else { "FALSE" }.into())
}

/// Reads the worksheet whose BOF is at `offset` into a table; None when it holds no data.
fn read_sheet(
    stream: &[u8],
    globals: &Globals,
    offset: usize,
    forced: Option<FileEncoding>,
    extent: Extent,
) -> Result<Option<Table>, FileProblem> {
    let mut records = Records { stream, at: offset };
    match records.next()? {
        Some(record) if record.kind == BOF => {}
        _ => return Err(FileProblem::Truncated),
    }
    // (row, column) from 1, as the user sees them.
    let mut cells: Vec<(usize, usize, RawCell)> = Vec::new();
    // A formula whose cached text comes in the STRING record after it.
    let mut awaiting_string: Option<(usize, usize, Option<Hint>)> = None;
    let mut depth = 1usize;
    while let Some(record) = records.next()? {
        match record.kind {
            // Charts embedded in the sheet bring their own BOF … EOF.
            BOF => depth += 1,
            EOF => {
                depth -= 1;
                if depth == 0 {
                    break;
                }
            }
            _ => {}
        }
        if depth > 1 {
            continue;
        }
        for (row, column, raw) in sheet_cells(&record, &mut records, globals, &mut awaiting_string)?
        {
            if raw.is_empty() {
                continue;
            }
            // Refused as soon as seen, before a sheet that wide fills memory.
            if column > MAX_COLUMNS {
                return Err(FileProblem::TooManyColumns {
                    row,
                    columns: column,
                });
            }
            cells.push((row, column, checked_length(raw, row, column)?));
        }
        if extent == Extent::FirstRow && !cells.is_empty() {
            break;
        }
    }
    // Excel writes cells in order; a file that does not is read in order all the same, the
    // later of two records for one cell winning.
    cells.sort_by_key(|(row, column, _)| (*row, *column));
    let mut rows: Vec<(usize, Vec<(usize, RawCell)>)> = Vec::new();
    let mut current: Option<(usize, Vec<(usize, RawCell)>)> = None;
    for (row, column, raw) in cells {
        match current.as_mut() {
            Some((number, row_cells)) if *number == row => {
                if row_cells.last().is_some_and(|(last, _)| *last == column) {
                    row_cells.pop();
                }
                row_cells.push((column, raw));
            }
            _ => {
                if let Some((number, row_cells)) = current.replace((row, vec![(column, raw)])) {
                    push_row(&mut rows, number, row_cells)?;
                }
            }
        }
    }
    if let Some((number, row_cells)) = current {
        push_row(&mut rows, number, row_cells)?;
    }
    if rows.is_empty() {
        return Ok(None);
    }
    Ok(Some(decode_rows(rows, forced)))
}

/// The cells one record of a sheet gives, as (row, column, cell) from 1.
fn sheet_cells<'a>(
    record: &Record<'a>,
    records: &mut Records<'a>,
    globals: &Globals,
    awaiting_string: &mut Option<(usize, usize, Option<Hint>)>,
) -> Result<Vec<(usize, usize, RawCell)>, FileProblem> {
    let data = record.data;
    if record.kind == STRING {
        let Some((row, column, hint)) = awaiting_string.take() else {
            return Ok(Vec::new());
        };
        let value = records.with_continues(data)?.string()?;
        return Ok(vec![(
            row,
            column,
            string_cell(&RichText::Plain(value), hint),
        )]);
    }
    // Every cell record starts with its row, column and format.
    let (Some(row), Some(column), Some(format)) =
        (u16_at(data, 0), u16_at(data, 2), u16_at(data, 4))
    else {
        return Ok(Vec::new());
    };
    let (row, column) = (usize::from(row) + 1, usize::from(column) + 1);
    let format = globals.styles.get(usize::from(format));
    let number = |value: f64, format: CellFormat| {
        RawCell::Done(number_text(value, format.number, globals.date1904))
    };
    let error = |code: u8| string_cell(&RichText::Plain(error_text(code).into()), format.hint);
    let cell = match record.kind {
        LABELSST => {
            let index = u32_at(data, 6).ok_or(FileProblem::Truncated)? as usize;
            match globals.strings.get(index) {
                Some(rich) => string_cell(rich, format.hint),
                None => RawCell::Done(String::new()),
            }
        }
        LABEL | RSTRING => {
            let value = records.with_continues(&data[6..])?.string()?;
            string_cell(&RichText::Plain(value), format.hint)
        }
        NUMBER => number(f64_at(data, 6).ok_or(FileProblem::Truncated)?, format),
        RK => number(
            rk_number(u32_at(data, 6).ok_or(FileProblem::Truncated)?),
            format,
        ),
        MULRK => {
            // (format, RK) six bytes each after the first column, then the last column.
            let items = data
                .get(4..data.len().saturating_sub(2))
                .unwrap_or_default();
            return Ok(items
                .chunks_exact(6)
                .enumerate()
                .map(|(index, item)| {
                    let format = globals
                        .styles
                        .get(usize::from(u16::from_le_bytes([item[0], item[1]])));
                    let rk = u32::from_le_bytes([item[2], item[3], item[4], item[5]]);
                    (row, column + index, number(rk_number(rk), format))
                })
                .collect());
        }
        FORMULA => {
            let value = data.get(6..14).ok_or(FileProblem::Truncated)?;
            // A cached value that is not a number is marked by 0xFFFF in its last two bytes.
            if value[6..8] != [0xFF, 0xFF] {
                number(f64_at(value, 0).unwrap_or_default(), format)
            } else {
                match value[0] {
                    0 => {
                        *awaiting_string = Some((row, column, format.hint));
                        return Ok(Vec::new());
                    }
                    1 => boolean_text(value[2]),
                    2 => error(value[2]),
                    _ => return Ok(Vec::new()),
                }
            }
        }
        BOOLERR => {
            let value = *data.get(6).ok_or(FileProblem::Truncated)?;
            if data.get(7) == Some(&1) {
                error(value)
            } else {
                boolean_text(value)
            }
        }
        _ => return Ok(Vec::new()),
    };
    Ok(vec![(row, column, cell)])
}

#[cfg(test)]
mod tests;
