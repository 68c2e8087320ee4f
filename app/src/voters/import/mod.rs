//! Importing voter lists from the files offices really have (ssr only).

pub mod columns;
pub mod rows;
pub mod table;
#[cfg(feature = "ssr")]
pub mod xlsx;

#[cfg(feature = "ssr")]
use table::{FileEncoding, FileProblem, Table};

/// Reads an uploaded file by what its bytes are, not by its name: an .xlsx workbook (a zip
/// archive), an old .xls (refused with advice), otherwise CSV text.
#[cfg(feature = "ssr")]
pub fn read_table(bytes: &[u8], forced: Option<FileEncoding>) -> Result<Table, FileProblem> {
    if bytes.len() > table::MAX_FILE_BYTES {
        return Err(FileProblem::TooLarge { bytes: bytes.len() });
    }
    if xlsx::is_zip(bytes) {
        xlsx::read_xlsx(bytes, forced)
    } else if xlsx::is_old_excel(bytes) {
        Err(FileProblem::OldExcel)
    } else {
        table::read_csv(bytes, forced)
    }
}
