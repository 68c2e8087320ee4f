//! Importing voter lists from the files offices really have (ssr only).

pub mod columns;
#[cfg(feature = "ssr")]
pub mod problems_csv;
pub mod progress;
pub mod rows;
#[cfg(feature = "ssr")]
mod sheet;
pub mod table;
pub mod texts;
#[cfg(feature = "ssr")]
pub mod xls;
#[cfg(feature = "ssr")]
pub mod xlsx;

#[cfg(feature = "ssr")]
use crate::domain::voter::{DateOrder, DateOrderVotes};
#[cfg(feature = "ssr")]
use table::{CsvLayout, CsvRecords, FileEncoding, FileProblem, SheetChoice};

/// How an uploaded file is read, decided by what its bytes are, not by its name: an .xlsx
/// workbook (a zip archive), an Excel 97–2003 .xls workbook (a Compound File) or CSV text.
/// Depends only on the bytes and the encoding the user forced, so it is worked out once per
/// staged file.
#[cfg(feature = "ssr")]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Csv(CsvLayout),
    Xlsx,
    Xls,
}

#[cfg(feature = "ssr")]
pub fn scan(bytes: &[u8], forced: Option<FileEncoding>) -> Result<FileKind, FileProblem> {
    if bytes.len() > table::MAX_FILE_BYTES {
        return Err(FileProblem::TooLarge { bytes: bytes.len() });
    }
    if xlsx::is_zip(bytes) {
        Ok(FileKind::Xlsx)
    } else if xls::is_compound_file(bytes) {
        Ok(FileKind::Xls)
    } else {
        table::scan_csv(bytes, forced).map(FileKind::Csv)
    }
}

/// A file opened for reading: its rows of NFC cells one at a time, each with the row number
/// the user sees in the file. CSV is read as a stream; a workbook is read whole (its shared
/// strings and styles are needed for every row), so its rows come from memory.
#[cfg(feature = "ssr")]
pub struct OpenedFile<'a> {
    pub encoding: FileEncoding,
    /// The CSV separator; None for a spreadsheet.
    pub separator: Option<char>,
    /// The workbook sheet read and the others that could be; None for CSV.
    pub sheet: Option<SheetChoice>,
    /// Rows with any text, title and header rows included.
    pub rows: usize,
    pub date_order: DateOrder,
    cells: Rows<'a>,
}

#[cfg(feature = "ssr")]
enum Rows<'a> {
    Csv(CsvRecords<'a>),
    Sheet(std::iter::Zip<std::vec::IntoIter<usize>, std::vec::IntoIter<Vec<String>>>),
}

/// `sheet` is the position of the workbook sheet the user chose (ignored for CSV).
#[cfg(feature = "ssr")]
pub fn open(
    bytes: &[u8],
    forced: Option<FileEncoding>,
    sheet: Option<usize>,
    kind: FileKind,
) -> Result<OpenedFile<'_>, FileProblem> {
    let table = match kind {
        FileKind::Csv(layout) => {
            return Ok(OpenedFile {
                encoding: layout.encoding,
                separator: Some(layout.separator),
                sheet: None,
                rows: layout.records,
                date_order: layout.date_order,
                cells: Rows::Csv(layout.records(bytes)?),
            })
        }
        FileKind::Xlsx => xlsx::read_xlsx(bytes, forced, sheet)?,
        FileKind::Xls => xls::read_xls(bytes, forced, sheet)?,
    };
    // Date cells come out day first; dates typed as text may be either way.
    let mut date_votes = DateOrderVotes::default();
    table
        .rows
        .iter()
        .flatten()
        .for_each(|cell| date_votes.add(cell));
    Ok(OpenedFile {
        encoding: table.encoding,
        separator: None,
        sheet: table.sheet,
        rows: table.rows.len(),
        date_order: date_votes.order(),
        cells: Rows::Sheet(table.row_numbers.into_iter().zip(table.rows)),
    })
}

#[cfg(feature = "ssr")]
impl OpenedFile<'_> {
    pub fn next_row(&mut self) -> Result<Option<(usize, Vec<String>)>, FileProblem> {
        match &mut self.cells {
            Rows::Csv(records) => records.next_record(),
            Rows::Sheet(rows) => Ok(rows.next()),
        }
    }
}
