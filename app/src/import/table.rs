//! From the bytes of an uploaded CSV file to a grid of text cells: encoding (UTF-8 with or
//! without BOM, UTF-16, NFC or NFD; "ANSI" Windows-1252 carrying TCVN3 or VNI), separator,
//! quoting.
//! Hostile input is refused here, before anything else looks at it.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use crate::domain::text::{self, LegacyEncoding};
use crate::domain::voter::{DateOrder, DateOrderVotes};

/// Files larger than this are refused by the upload route before they are read.
pub const MAX_FILE_BYTES: usize = 256 * 1024 * 1024;
/// No real cell (a name, an address, a note) comes near this.
pub const MAX_CELL_CHARS: usize = 4096;
pub const MAX_COLUMNS: usize = 200;

/// What is wrong with a file as a whole. Stable codes; the UI words them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum FileProblem {
    Empty,
    TooLarge {
        bytes: usize,
    },
    NulBytes {
        offset: usize,
    },
    NotText,
    CellTooLong {
        row: usize,
        column: usize,
        chars: usize,
    },
    TooManyColumns {
        row: usize,
        columns: usize,
    },
    UnterminatedQuote {
        row: usize,
    },
    NoHeader,
    NotSpreadsheet,
    Truncated,
    ZipBomb,
    /// A workbook protected by a password to open: it cannot be read without it.
    Encrypted,
    /// An Excel 5.0/95 workbook (BIFF5), older than the .xls format read here.
    Excel95,
    TooManyRows {
        rows: usize,
    },
}

/// The text encoding of the file's bytes, as detected or as chosen by the user.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum FileEncoding {
    Utf8,
    /// Windows-1252 bytes holding TCVN3 (ABC) letters.
    Tcvn3,
    /// Windows-1252 bytes holding VNI-Windows letters.
    Vni,
    /// Windows-1258, the "ANSI" code page of a Vietnamese Windows.
    Windows1258,
    /// Plain Windows-1252 (Western text, no Vietnamese font).
    Windows1252,
}

impl FileEncoding {
    pub fn code(self) -> &'static str {
        match self {
            FileEncoding::Utf8 => "utf-8",
            FileEncoding::Tcvn3 => "tcvn3",
            FileEncoding::Vni => "vni",
            FileEncoding::Windows1258 => "windows-1258",
            FileEncoding::Windows1252 => "windows-1252",
        }
    }

    pub fn parse(code: &str) -> Option<FileEncoding> {
        [
            FileEncoding::Utf8,
            FileEncoding::Tcvn3,
            FileEncoding::Vni,
            FileEncoding::Windows1258,
            FileEncoding::Windows1252,
        ]
        .into_iter()
        .find(|e| e.code() == code)
    }
}

/// The decoded grid: rows of NFC cells, with the 1-based line (or spreadsheet row) each row
/// started on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub encoding: FileEncoding,
    /// The CSV separator; None for a spreadsheet.
    pub separator: Option<char>,
    pub rows: Vec<Vec<String>>,
    /// File row number (1-based, counting physical records) of each entry of `rows`.
    pub row_numbers: Vec<usize>,
    /// The sheet read and the others that could be; None for a CSV file.
    pub sheet: Option<SheetChoice>,
}

/// The sheets of a workbook a user can choose to import, and the one read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SheetChoice {
    /// (position in the workbook from 0, name) of the visible sheets with data, and of the
    /// sheet read, in workbook order.
    pub offered: Vec<(usize, String)>,
    /// The position of the sheet read.
    pub read: usize,
}

/// How a CSV file is read. Found by one pass over the whole file (the encoding vote needs every
/// cell, and a damaged record anywhere refuses the file), then reused for every later pass over
/// the same bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CsvLayout {
    pub encoding: FileEncoding,
    pub separator: char,
    /// The bytes are UTF-8; otherwise they are read as Windows-1252.
    utf8: bool,
    /// Records with any text, the header and title rows included.
    pub records: usize,
    /// How the file writes "a/b/yyyy", from all its cells.
    pub date_order: DateOrder,
}

/// The first bytes looked at for binary content and the separator.
const HEAD_BYTES: usize = 1024 * 1024;

/// Checks a CSV file and finds how to read it. `forced` overrides the detected encoding (the
/// user's choice).
pub fn scan_csv(bytes: &[u8], forced: Option<FileEncoding>) -> Result<CsvLayout, FileProblem> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(FileProblem::Empty);
    }
    if bytes.len() > MAX_FILE_BYTES {
        return Err(FileProblem::TooLarge { bytes: bytes.len() });
    }
    let (body, utf8) = file_body(bytes)?;
    let head = head_text(&body, utf8);
    if looks_binary(&head) {
        return Err(FileProblem::NotText);
    }
    let mut layout = CsvLayout {
        encoding: FileEncoding::Utf8,
        separator: detect_separator(&head),
        utf8,
        records: 0,
        date_order: DateOrder::DayFirst,
    };
    let mut votes = text::EncodingVotes::default();
    let mut date_votes = DateOrderVotes::default();
    let mut records = CsvRecords::new(body, layout, false);
    while let Some((_, cells)) = records.next_record()? {
        layout.records += 1;
        for cell in &cells {
            if forced.is_none() {
                votes.add(cell);
            }
            date_votes.add(cell);
        }
    }
    layout.date_order = date_votes.order();
    layout.encoding = forced.unwrap_or(match (utf8, votes.winner()) {
        (_, LegacyEncoding::Tcvn3) => FileEncoding::Tcvn3,
        (_, LegacyEncoding::Vni) => FileEncoding::Vni,
        (_, LegacyEncoding::Windows1258) => FileEncoding::Windows1258,
        (true, LegacyEncoding::Unicode) => FileEncoding::Utf8,
        (false, LegacyEncoding::Unicode) => FileEncoding::Windows1252,
    });
    Ok(layout)
}

impl CsvLayout {
    /// The file's records as NFC cells, one at a time, with the line each started on.
    pub fn records(self, bytes: &[u8]) -> Result<CsvRecords<'_>, FileProblem> {
        Ok(CsvRecords::new(file_body(bytes)?.0, self, true))
    }
}

/// The file's first whole lines as text (at most `HEAD_BYTES`).
fn head_text(body: &[u8], utf8: bool) -> String {
    let mut head = &body[..body.len().min(HEAD_BYTES)];
    if head.len() < body.len() {
        if let Some(end) = head.iter().rposition(|b| *b == b'\n') {
            head = &head[..end];
        }
    }
    if utf8 {
        let valid = std::str::from_utf8(head).map_or_else(|e| e.valid_up_to(), str::len);
        String::from_utf8_lossy(&head[..valid]).into_owned()
    } else {
        text::windows_1252_to_string(head)
    }
}

/// RFC 4180 records read one at a time by `csv_core` (quoted fields may hold separators,
/// doubled quotes and line breaks; CRLF, LF and CR all end a record). Every byte that shapes a
/// record is ASCII, which is never part of a longer UTF-8 character, so each field is decoded
/// on its own. `csv_core` rather than the `csv` crate: its reader hands over one field at a
/// time into a buffer we size, so a field past any cell's size or a line of endless separators
/// is refused before it takes memory, where `csv::Reader` gathers the whole record first.
pub struct CsvRecords<'a> {
    body: Cow<'a, [u8]>,
    layout: CsvLayout,
    /// Decode legacy text and clean each cell (the scan votes on the raw cells).
    clean: bool,
    /// Boxed: its tables take half a kilobyte, and an opened file is moved about.
    parser: Box<csv_core::Reader>,
    position: usize,
    /// The row the next record is on, as a spreadsheet shows the file: a line break inside a
    /// quoted cell stays in that cell's row, a blank line is a row of its own.
    row: usize,
    /// Room for the longest field allowed (4 bytes per char at most); kept between fields, as
    /// a million-row import reads tens of millions of them.
    field: Vec<u8>,
}

/// What one field read ends: the record, or only the field.
enum FieldEnd {
    Field,
    Record,
}

impl<'a> CsvRecords<'a> {
    fn new(body: Cow<'a, [u8]>, layout: CsvLayout, clean: bool) -> CsvRecords<'a> {
        CsvRecords {
            body,
            layout,
            clean,
            parser: Box::new(
                csv_core::ReaderBuilder::new()
                    .delimiter(layout.separator as u8)
                    .build(),
            ),
            position: 0,
            row: 1,
            field: vec![0; MAX_CELL_CHARS * 4],
        }
    }

    /// The next record that has any text, with the (1-based) row it is on.
    pub fn next_record(&mut self) -> Result<Option<(usize, Vec<String>)>, FileProblem> {
        loop {
            self.skip_blank_lines();
            if self.position >= self.body.len() {
                return Ok(None);
            }
            let row = self.row;
            let record = self.read_record(row)?;
            self.row += 1;
            if record.iter().any(|f| !f.trim().is_empty()) {
                return Ok(Some((row, record)));
            }
        }
    }

    /// Counts the empty lines before a record (the parser would pass over them unseen), and
    /// the LF of a CRLF that ended the last record if the parser has not taken it yet.
    fn skip_blank_lines(&mut self) {
        let body = &self.body;
        if self.position > 0
            && body[self.position - 1] == b'\r'
            && body.get(self.position) == Some(&b'\n')
        {
            self.position += 1;
        }
        loop {
            match body.get(self.position) {
                Some(b'\n') => self.position += 1,
                Some(b'\r') if body.get(self.position + 1) == Some(&b'\n') => self.position += 2,
                Some(b'\r') => self.position += 1,
                _ => return,
            }
            self.row += 1;
        }
    }

    fn read_record(&mut self, row: usize) -> Result<Vec<String>, FileProblem> {
        let mut record = Vec::new();
        loop {
            let column = record.len() + 1;
            let (length, end) = self.read_field(row, column)?;
            record.push(self.field_as_cell(length, row, column)?);
            match end {
                FieldEnd::Record => return Ok(record),
                FieldEnd::Field if record.len() > MAX_COLUMNS => {
                    return Err(FileProblem::TooManyColumns {
                        row,
                        columns: record.len(),
                    })
                }
                FieldEnd::Field => {}
            }
        }
    }

    /// Reads one field into `self.field`: its length and what it ended.
    fn read_field(&mut self, row: usize, column: usize) -> Result<(usize, FieldEnd), FileProblem> {
        let (start, mut length) = (self.position, 0);
        loop {
            let input = &self.body[self.position..];
            let (result, read, written) = self.parser.read_field(input, &mut self.field[length..]);
            self.position += read;
            length += written;
            match result {
                csv_core::ReadFieldResult::Field { record_end: false } => {
                    return Ok((length, FieldEnd::Field))
                }
                csv_core::ReadFieldResult::Field { record_end: true }
                | csv_core::ReadFieldResult::End => return Ok((length, FieldEnd::Record)),
                csv_core::ReadFieldResult::OutputFull => return Err(too_long(row, column)),
                // The whole rest of the file was given: the file ends inside this field, and
                // the next call (with no input) ends it, unless a quote is still open.
                csv_core::ReadFieldResult::InputEmpty => {
                    if quote_left_open(&self.body[start..]) {
                        return Err(FileProblem::UnterminatedQuote { row });
                    }
                }
            }
        }
    }

    fn field_as_cell(
        &self,
        length: usize,
        row: usize,
        column: usize,
    ) -> Result<String, FileProblem> {
        let field = &self.field[..length];
        let raw: Cow<'_, str> = if self.layout.utf8 {
            // Cut at ASCII bytes out of valid UTF-8, so every field is valid on its own.
            Cow::Borrowed(std::str::from_utf8(field).map_err(|_| FileProblem::NotText)?)
        } else {
            Cow::Owned(text::windows_1252_to_string(field))
        };
        if raw.len() > MAX_CELL_CHARS && raw.chars().count() > MAX_CELL_CHARS {
            return Err(too_long(row, column));
        }
        if !self.clean {
            return Ok(raw.into_owned());
        }
        let legacy = match self.layout.encoding {
            FileEncoding::Tcvn3 => Some(LegacyEncoding::Tcvn3),
            FileEncoding::Vni => Some(LegacyEncoding::Vni),
            FileEncoding::Windows1258 => Some(LegacyEncoding::Windows1258),
            FileEncoding::Utf8 | FileEncoding::Windows1252 => None,
        };
        Ok(match legacy {
            Some(encoding) => text::clean_cell(&text::decode_str(&raw, encoding, false)),
            None => text::clean_cell(&raw),
        })
    }
}

/// Whether the last field of a file, as written, opens a quote it never closes. The parser
/// cannot say (it reads a field cut short as it stands), so the rule it quotes by is applied
/// once more here: a quote opens only as a field's first byte, and a doubled quote inside is
/// a quote character.
fn quote_left_open(field: &[u8]) -> bool {
    let Some(quoted) = field.strip_prefix(b"\"") else {
        return false;
    };
    let mut bytes = quoted.iter();
    while let Some(byte) = bytes.next() {
        if *byte == b'"' && bytes.next() != Some(&b'"') {
            return false;
        }
    }
    true
}

fn too_long(row: usize, column: usize) -> FileProblem {
    FileProblem::CellTooLong {
        row,
        column,
        chars: MAX_CELL_CHARS + 1,
    }
}

/// The bytes records are split from, and whether they are UTF-8: UTF-8 with its BOM dropped,
/// UTF-16 (Excel's "Unicode Text" export writes UTF-16 little-endian with a BOM,
/// tab-separated) converted to UTF-8, other bytes as they are, to be read as Windows-1252 for
/// the legacy detection to look at.
fn file_body(bytes: &[u8]) -> Result<(Cow<'_, [u8]>, bool), FileProblem> {
    if let Some(order) = utf16_order(bytes) {
        let text = decode_utf16(bytes, order).ok_or(FileProblem::NotText)?;
        if let Some(position) = text.chars().position(|c| c == '\0') {
            return Err(FileProblem::NulBytes {
                offset: order.bom_bytes() + 2 * position,
            });
        }
        if text.trim().is_empty() {
            return Err(FileProblem::Empty);
        }
        return Ok((Cow::Owned(text.into_bytes()), true));
    }
    if let Some(offset) = bytes.iter().position(|b| *b == 0) {
        return Err(FileProblem::NulBytes { offset });
    }
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    Ok((Cow::Borrowed(body), std::str::from_utf8(body).is_ok()))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Utf16Order {
    LittleEndian { bom: bool },
    BigEndian { bom: bool },
}

impl Utf16Order {
    fn bom_bytes(self) -> usize {
        match self {
            Utf16Order::LittleEndian { bom } | Utf16Order::BigEndian { bom } => {
                2 * usize::from(bom)
            }
        }
    }
}

/// UTF-16 by its byte-order mark, or, without one, by its zero bytes: a list's text is mostly
/// ASCII digits, separators and Latin letters, whose UTF-16 code units have one zero byte each,
/// always on the same side. Binary garbage and 8-bit text show no such pattern.
fn utf16_order(bytes: &[u8]) -> Option<Utf16Order> {
    if bytes.starts_with(&[0xFF, 0xFE]) {
        return Some(Utf16Order::LittleEndian { bom: true });
    }
    if bytes.starts_with(&[0xFE, 0xFF]) {
        return Some(Utf16Order::BigEndian { bom: true });
    }
    let sample = &bytes[..bytes.len().min(4096) & !1];
    let units = sample.len() / 2;
    if units < 8 {
        return None;
    }
    let zero_high_at = |high: usize| {
        sample
            .chunks_exact(2)
            .filter(|unit| unit[high] == 0 && unit[1 - high] != 0)
            .count()
    };
    // Three units in four: Vietnamese letters with diacritics (U+01xx, U+1Exx) are the rest.
    let mostly = |count: usize| count * 4 >= units * 3;
    if mostly(zero_high_at(1)) {
        Some(Utf16Order::LittleEndian { bom: false })
    } else if mostly(zero_high_at(0)) {
        Some(Utf16Order::BigEndian { bom: false })
    } else {
        None
    }
}

/// None when the bytes are not well-formed UTF-16 (an odd length, an unpaired surrogate).
fn decode_utf16(bytes: &[u8], order: Utf16Order) -> Option<String> {
    let body = &bytes[order.bom_bytes()..];
    if !body.len().is_multiple_of(2) {
        return None;
    }
    let units = body.chunks_exact(2).map(|unit| match order {
        Utf16Order::LittleEndian { .. } => u16::from_le_bytes([unit[0], unit[1]]),
        Utf16Order::BigEndian { .. } => u16::from_be_bytes([unit[0], unit[1]]),
    });
    char::decode_utf16(units)
        .collect::<Result<String, _>>()
        .ok()
}

/// Control characters other than line breaks and tabs do not occur in real lists.
fn looks_binary(text: &str) -> bool {
    let sample: Vec<char> = text.chars().take(64 * 1024).collect();
    let controls = sample
        .iter()
        .filter(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
        .count();
    controls * 100 > sample.len().max(1)
}

/// The separator whose count per line is the most consistent over the first lines. Lines
/// without it do not vote: a title line ("DANH SÁCH CỬ TRI") above a header with no data rows
/// below would otherwise tie 0 with the header's count, and the header would be read as one
/// cell, a file "without a header".
fn detect_separator(text: &str) -> char {
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(50)
        .collect();
    let mut best = (',', 0usize);
    for candidate in [';', ',', '\t'] {
        let counts: Vec<usize> = lines
            .iter()
            .map(|l| l.matches(candidate).count())
            .filter(|count| *count > 0)
            .collect();
        let most_common = mode(&counts);
        let consistent = counts.iter().filter(|c| **c == most_common).count();
        if consistent > best.1 {
            best = (candidate, consistent);
        }
    }
    best.0
}

fn mode(values: &[usize]) -> usize {
    let mut sorted = values.to_vec();
    sorted.sort_unstable();
    let mut best = (0, 0);
    let mut index = 0;
    while index < sorted.len() {
        let run = sorted[index..]
            .iter()
            .take_while(|v| **v == sorted[index])
            .count();
        if run > best.1 {
            best = (sorted[index], run);
        }
        index += run;
    }
    best.0
}

#[cfg(test)]
mod tests {
    use super::*;

    type Rows = Vec<(usize, Vec<String>)>;

    fn read_csv(
        bytes: &[u8],
        forced: Option<FileEncoding>,
    ) -> Result<(CsvLayout, Rows), FileProblem> {
        let layout = scan_csv(bytes, forced)?;
        let mut records = layout.records(bytes)?;
        let mut rows = Vec::new();
        while let Some(record) = records.next_record()? {
            rows.push(record);
        }
        Ok((layout, rows))
    }

    fn cells(rows: &Rows, index: usize) -> &[String] {
        &rows[index].1
    }

    #[test]
    fn semicolon_files_with_quotes_and_crlf_are_split_right() {
        let csv = "STT;Họ và tên;Ghi chú\r\n1;\"Nguyễn Văn An\";\"có ; dấu \"\"chấm phẩy\"\"\"\r\n2;Trần Thị Bình;\r\n";
        let (layout, rows) = read_csv(csv.as_bytes(), None).expect("reads");
        assert_eq!(layout.separator, ';');
        assert_eq!(
            cells(&rows, 1),
            vec!["1", "Nguyễn Văn An", "có ; dấu \"chấm phẩy\""]
        );
        assert_eq!(cells(&rows, 2), vec!["2", "Trần Thị Bình", ""]);
        assert_eq!(rows.iter().map(|r| r.0).collect::<Vec<_>>(), vec![1, 2, 3]);
    }

    #[test]
    fn a_header_without_data_rows_is_found_with_or_without_a_title_above() {
        let header = "STT;Họ và tên;Ngày sinh;Giới tính;Khu vực bỏ phiếu";
        for (csv, header_index) in [
            (format!("DANH SÁCH CỬ TRI\r\n{header}\r\n"), 1),
            (format!("{header}\r\n"), 0),
        ] {
            let (layout, rows) = read_csv(csv.as_bytes(), None).expect("reads");
            assert_eq!(layout.separator, ';', "{csv}");
            let cells: Vec<Vec<String>> = rows.into_iter().map(|(_, cells)| cells).collect();
            let found = crate::import::columns::find_header(&cells).map(|(index, _)| index);
            assert_eq!(found, Some(header_index), "{csv}");
            assert_eq!(cells.len(), header_index + 1, "no data rows: {csv}");
        }
    }

    #[test]
    fn rows_are_numbered_as_a_spreadsheet_shows_the_file() {
        // A line break inside a quoted cell keeps that cell in its row; a blank line is a row.
        let csv =
            "STT;Họ và tên;Địa chỉ\r\n1;An;\"Tổ 5\r\nkhóm 2\"\r\n\r\n2;Bình;\"a\nb\nc\"\n3;Chi;x\n";
        let (_, rows) = read_csv(csv.as_bytes(), None).expect("reads");
        assert_eq!(
            rows.iter().map(|r| r.0).collect::<Vec<_>>(),
            vec![1, 2, 4, 5]
        );
        assert_eq!(cells(&rows, 3), vec!["3", "Chi", "x"]);
        // A problem after a multi-line cell names the row it is on.
        let long = format!("a;b\n1;\"x\ny\"\n2;{}\n", "z".repeat(MAX_CELL_CHARS + 1));
        assert!(matches!(
            read_csv(long.as_bytes(), None),
            Err(FileProblem::CellTooLong {
                row: 3,
                column: 2,
                ..
            })
        ));
        assert_eq!(
            read_csv(b"a;b\n1;\"x\ny\"\n2;\"open\n", None),
            Err(FileProblem::UnterminatedQuote { row: 3 })
        );
    }

    #[test]
    fn bom_and_nfd_become_plain_nfc() {
        let nfd = "Ho\u{323} va\u{300} te\u{302}n\nNguye\u{302}\u{303}n Va\u{306}n An\n";
        let mut bytes = b"\xEF\xBB\xBF".to_vec();
        bytes.extend_from_slice(nfd.as_bytes());
        let (layout, rows) = read_csv(&bytes, None).expect("reads");
        assert_eq!(layout.encoding, FileEncoding::Utf8);
        assert_eq!(cells(&rows, 0), vec!["Họ và tên"]);
        assert_eq!(cells(&rows, 1), vec!["Nguyễn Văn An"]);
    }

    #[test]
    fn vietnamese_windows_ansi_files_are_windows_1258() {
        // Excel's "CSV (Comma delimited)" on a Vietnamese Windows: ă â ê ô ơ ư đ are letters of
        // the code page, the tones combining marks after the vowel, á é í ó ú ý precomposed.
        let csv = b"STT,Ho\xF2 va\xCC t\xEAn,\xD0i\xF2a chi\xD2\r\n\
            1,Nguy\xEA\xDEn V\xE3n \xD0\xFD\xECc,T\xF4\xD2 5 kh\xF3m Th\xF5\xECi Ho\xCCa\r\n\
            2,Tr\xE2\xCCn Thi\xF2 B\xEDch Thu\xD2y,\"S\xF4\xEC 12, \xD0\xFD\xF5\xCCng 3/2\"\r\n";
        let (layout, rows) = read_csv(csv, None).expect("reads");
        assert_eq!(layout.encoding, FileEncoding::Windows1258);
        assert_eq!(cells(&rows, 0), vec!["STT", "Họ và tên", "Địa chỉ"]);
        assert_eq!(
            cells(&rows, 1),
            vec!["1", "Nguyễn Văn Đức", "Tổ 5 khóm Thới Hòa"]
        );
        assert_eq!(
            cells(&rows, 2),
            vec!["2", "Trần Thị Bích Thủy", "Số 12, Đường 3/2"]
        );
    }

    #[test]
    fn tab_separated_files_are_recognised() {
        let (layout, rows) = read_csv("a\tb\tc\n1\t2\t3\n".as_bytes(), None).expect("reads");
        assert_eq!(layout.separator, '\t');
        assert_eq!(cells(&rows, 1), vec!["1", "2", "3"]);
    }

    fn utf16(text: &str, big_endian: bool, bom: bool) -> Vec<u8> {
        let mut bytes = Vec::new();
        let units = bom.then_some(0xFEFF).into_iter().chain(text.encode_utf16());
        for unit in units {
            bytes.extend(if big_endian {
                unit.to_be_bytes()
            } else {
                unit.to_le_bytes()
            });
        }
        bytes
    }

    #[test]
    fn excel_unicode_text_exports_are_utf16_and_read_like_utf8() {
        let list = "STT\tHọ và tên\tNgày sinh\r\n1\tNguyễn Văn An\t12/05/1980\r\n2\tĐặng Thị Ửng\t1961\r\n";
        for (big_endian, bom) in [(false, true), (true, true), (false, false), (true, false)] {
            let (layout, rows) = read_csv(&utf16(list, big_endian, bom), None)
                .unwrap_or_else(|e| panic!("big endian {big_endian}, BOM {bom}: {e:?}"));
            assert_eq!(layout.encoding, FileEncoding::Utf8);
            assert_eq!(layout.separator, '\t');
            assert_eq!(cells(&rows, 0), vec!["STT", "Họ và tên", "Ngày sinh"]);
            assert_eq!(cells(&rows, 2), vec!["2", "Đặng Thị Ửng", "1961"]);
        }
    }

    #[test]
    fn tcvn3_text_saved_as_unicode_text_is_still_decoded() {
        // A .VnTime sheet exported as "Unicode Text": each TCVN3 byte became the Latin-1 char.
        let tcvn3 = "STT\tHọ và tên\tĐịa chỉ\r\n1\tNguyÔn B¶o Th¾ng\tHµ Néi\r\n2\tNinh B×nh\tM\u{AD}êng Kh\u{AD}¬ng\r\n";
        let (layout, rows) = read_csv(&utf16(tcvn3, false, true), None).expect("reads");
        assert_eq!(layout.encoding, FileEncoding::Tcvn3);
        assert_eq!(cells(&rows, 1), vec!["1", "Nguyễn Bảo Thắng", "Hà Nội"]);
        assert_eq!(cells(&rows, 2), vec!["2", "Ninh Bình", "Mường Khương"]);
    }

    #[test]
    fn damaged_utf16_is_refused() {
        let mut odd = utf16("Họ và tên\r\nAn\r\n", false, true);
        odd.pop();
        assert_eq!(read_csv(&odd, None), Err(FileProblem::NotText));
        let mut unpaired = utf16("Họ và tên\r\n", false, true);
        unpaired.extend(0xD800u16.to_le_bytes());
        assert_eq!(read_csv(&unpaired, None), Err(FileProblem::NotText));
        assert_eq!(
            read_csv(&utf16("  \r\n", false, true), None),
            Err(FileProblem::Empty)
        );
        assert_eq!(
            read_csv(&utf16("a\tb\r\n1\t\u{0}\r\n", false, true), None),
            Err(FileProblem::NulBytes { offset: 2 + 2 * 7 })
        );
    }

    #[test]
    fn hostile_files_are_refused_with_a_reason() {
        assert_eq!(read_csv(b"", None), Err(FileProblem::Empty));
        assert_eq!(read_csv(b"  \r\n ", None), Err(FileProblem::Empty));
        assert_eq!(
            read_csv(b"a,b\n1,\x002\n", None),
            Err(FileProblem::NulBytes { offset: 6 })
        );
        let garbage: Vec<u8> = (0..4000u32).map(|i| (i * 7 % 32) as u8 + 1).collect();
        assert_eq!(read_csv(&garbage, None), Err(FileProblem::NotText));
        // A damaged record far down the file refuses the file at the scan, before any row is
        // checked or written.
        let mut late = String::from("a;b\n");
        for i in 0..50_000 {
            late.push_str(&format!("{i};x\n"));
        }
        late.push_str("1;\"open\n");
        assert_eq!(
            scan_csv(late.as_bytes(), None),
            Err(FileProblem::UnterminatedQuote { row: 50_002 })
        );
        let huge = format!("a,b\n1,{}\n", "x".repeat(5 * 1024 * 1024));
        assert!(matches!(
            read_csv(huge.as_bytes(), None),
            Err(FileProblem::CellTooLong {
                row: 2,
                column: 2,
                ..
            })
        ));
        assert_eq!(
            read_csv(b"a,b\n1,\"open\n", None),
            Err(FileProblem::UnterminatedQuote { row: 2 })
        );
    }
}
