//! From the bytes of an uploaded CSV file to a grid of text cells: encoding (UTF-8 with or
//! without BOM, UTF-16, NFC or NFD; "ANSI" Windows-1252 carrying TCVN3 or VNI), separator,
//! quoting.
//! Hostile input is refused here, before anything else looks at it.

use serde::{Deserialize, Serialize};

use crate::domain::text::{self, LegacyEncoding};

/// Files larger than this are refused by the upload route before they are read.
pub const MAX_FILE_BYTES: usize = 64 * 1024 * 1024;
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
    /// An Excel 97–2003 binary workbook (.xls): the user saves it as .xlsx or CSV.
    OldExcel,
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
    /// Plain Windows-1252 (Western text, no Vietnamese font).
    Windows1252,
}

impl FileEncoding {
    pub fn code(self) -> &'static str {
        match self {
            FileEncoding::Utf8 => "utf-8",
            FileEncoding::Tcvn3 => "tcvn3",
            FileEncoding::Vni => "vni",
            FileEncoding::Windows1252 => "windows-1252",
        }
    }

    pub fn parse(code: &str) -> Option<FileEncoding> {
        [
            FileEncoding::Utf8,
            FileEncoding::Tcvn3,
            FileEncoding::Vni,
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
}

/// Reads a CSV file. `forced` overrides the detected encoding (the user's choice).
pub fn read_csv(bytes: &[u8], forced: Option<FileEncoding>) -> Result<Table, FileProblem> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(FileProblem::Empty);
    }
    if bytes.len() > MAX_FILE_BYTES {
        return Err(FileProblem::TooLarge { bytes: bytes.len() });
    }
    let (raw_text, unicode) = file_text(bytes)?;
    if looks_binary(&raw_text) {
        return Err(FileProblem::NotText);
    }
    let separator = detect_separator(&raw_text);
    let raw_rows = split_records(&raw_text, separator)?;
    let encoding = forced.unwrap_or_else(|| detect_encoding(&raw_rows, unicode));
    let legacy = match encoding {
        FileEncoding::Tcvn3 => Some(LegacyEncoding::Tcvn3),
        FileEncoding::Vni => Some(LegacyEncoding::Vni),
        FileEncoding::Utf8 | FileEncoding::Windows1252 => None,
    };
    let mut rows = Vec::with_capacity(raw_rows.len());
    let mut row_numbers = Vec::with_capacity(raw_rows.len());
    for (number, cells) in raw_rows {
        let cells = cells
            .into_iter()
            .map(|cell| {
                let decoded = match legacy {
                    Some(encoding) => text::decode_str(&cell, encoding, false),
                    None => cell,
                };
                text::clean_cell(&decoded)
            })
            .collect();
        rows.push(cells);
        row_numbers.push(number);
    }
    Ok(Table {
        encoding,
        separator: Some(separator),
        rows,
        row_numbers,
    })
}

/// The file's text, and whether its bytes were Unicode: UTF-8 (with or without a BOM) or UTF-16
/// (Excel's "Unicode Text" export writes UTF-16 little-endian with a BOM, tab-separated). Other
/// bytes are read as Windows-1252, for the legacy detection to look at.
fn file_text(bytes: &[u8]) -> Result<(String, bool), FileProblem> {
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
        return Ok((text, true));
    }
    if let Some(offset) = bytes.iter().position(|b| *b == 0) {
        return Err(FileProblem::NulBytes { offset });
    }
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    Ok(match std::str::from_utf8(body) {
        Ok(text) => (text.to_string(), true),
        Err(_) => (text::windows_1252_to_string(body), false),
    })
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

/// The separator whose count per line is the most consistent over the first lines.
fn detect_separator(text: &str) -> char {
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(50)
        .collect();
    let mut best = (',', 0usize);
    for candidate in [';', ',', '\t'] {
        let counts: Vec<usize> = lines.iter().map(|l| l.matches(candidate).count()).collect();
        let most_common = mode(&counts);
        let consistent = counts
            .iter()
            .filter(|c| **c == most_common && most_common > 0)
            .count();
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

/// RFC 4180 records: quoted fields may hold separators, quotes ("") and line breaks.
fn split_records(text: &str, separator: char) -> Result<Vec<(usize, Vec<String>)>, FileProblem> {
    let mut records = Vec::new();
    let mut record = Vec::new();
    let mut field = String::new();
    let mut field_chars = 0usize;
    let mut in_quotes = false;
    let mut line = 1usize;
    let mut record_line = 1usize;
    let mut chars = text.chars().peekable();
    let push_char = |field: &mut String, count: &mut usize, c: char, row: usize, column: usize| {
        *count += 1;
        if *count > MAX_CELL_CHARS {
            return Err(FileProblem::CellTooLong {
                row,
                column,
                chars: *count,
            });
        }
        field.push(c);
        Ok(())
    };
    while let Some(c) = chars.next() {
        if in_quotes {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    push_char(
                        &mut field,
                        &mut field_chars,
                        '"',
                        record_line,
                        record.len() + 1,
                    )?;
                }
                '"' => in_quotes = false,
                _ => {
                    if c == '\n' {
                        line += 1;
                    }
                    push_char(
                        &mut field,
                        &mut field_chars,
                        c,
                        record_line,
                        record.len() + 1,
                    )?;
                }
            }
            continue;
        }
        match c {
            '"' if field.trim().is_empty() => {
                field.clear();
                in_quotes = true;
            }
            '\r' | '\n' => {
                if c == '\r' && chars.peek() == Some(&'\n') {
                    chars.next();
                }
                record.push(std::mem::take(&mut field));
                field_chars = 0;
                if record.iter().any(|f| !f.trim().is_empty()) {
                    records.push((record_line, std::mem::take(&mut record)));
                } else {
                    record.clear();
                }
                line += 1;
                record_line = line;
            }
            c if c == separator => {
                record.push(std::mem::take(&mut field));
                field_chars = 0;
                if record.len() > MAX_COLUMNS {
                    return Err(FileProblem::TooManyColumns {
                        row: record_line,
                        columns: record.len(),
                    });
                }
            }
            _ => push_char(
                &mut field,
                &mut field_chars,
                c,
                record_line,
                record.len() + 1,
            )?,
        }
    }
    if in_quotes {
        return Err(FileProblem::UnterminatedQuote { row: record_line });
    }
    record.push(field);
    if record.iter().any(|f| !f.trim().is_empty()) {
        records.push((record_line, record));
    }
    Ok(records)
}

/// UTF-8 files are Unicode (NFC or NFD, normalised later). Windows-1252 files are voted on
/// cell by cell; without Vietnamese evidence they are plain Windows-1252.
fn detect_encoding(rows: &[(usize, Vec<String>)], utf8: bool) -> FileEncoding {
    let cells = rows
        .iter()
        .flat_map(|(_, cells)| cells.iter().map(String::as_str));
    let (verdict, _) = text::detect_many(cells);
    match (utf8, verdict) {
        (_, LegacyEncoding::Tcvn3) => FileEncoding::Tcvn3,
        (_, LegacyEncoding::Vni) => FileEncoding::Vni,
        (true, LegacyEncoding::Unicode) => FileEncoding::Utf8,
        (false, LegacyEncoding::Unicode) => FileEncoding::Windows1252,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn semicolon_files_with_quotes_and_crlf_are_split_right() {
        let csv = "STT;Họ và tên;Ghi chú\r\n1;\"Nguyễn Văn An\";\"có ; dấu \"\"chấm phẩy\"\"\"\r\n2;Trần Thị Bình;\r\n";
        let table = read_csv(csv.as_bytes(), None).expect("reads");
        assert_eq!(table.separator, Some(';'));
        assert_eq!(
            table.rows[1],
            vec!["1", "Nguyễn Văn An", "có ; dấu \"chấm phẩy\""]
        );
        assert_eq!(table.rows[2], vec!["2", "Trần Thị Bình", ""]);
        assert_eq!(table.row_numbers, vec![1, 2, 3]);
    }

    #[test]
    fn bom_and_nfd_become_plain_nfc() {
        let nfd = "Ho\u{323} va\u{300} te\u{302}n\nNguye\u{302}\u{303}n Va\u{306}n An\n";
        let mut bytes = b"\xEF\xBB\xBF".to_vec();
        bytes.extend_from_slice(nfd.as_bytes());
        let table = read_csv(&bytes, None).expect("reads");
        assert_eq!(table.encoding, FileEncoding::Utf8);
        assert_eq!(table.rows[0], vec!["Họ và tên"]);
        assert_eq!(table.rows[1], vec!["Nguyễn Văn An"]);
    }

    #[test]
    fn tab_separated_files_are_recognised() {
        let table = read_csv("a\tb\tc\n1\t2\t3\n".as_bytes(), None).expect("reads");
        assert_eq!(table.separator, Some('\t'));
        assert_eq!(table.rows[1], vec!["1", "2", "3"]);
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
            let table = read_csv(&utf16(list, big_endian, bom), None)
                .unwrap_or_else(|e| panic!("big endian {big_endian}, BOM {bom}: {e:?}"));
            assert_eq!(table.encoding, FileEncoding::Utf8);
            assert_eq!(table.separator, Some('\t'));
            assert_eq!(table.rows[0], vec!["STT", "Họ và tên", "Ngày sinh"]);
            assert_eq!(table.rows[2], vec!["2", "Đặng Thị Ửng", "1961"]);
        }
    }

    #[test]
    fn tcvn3_text_saved_as_unicode_text_is_still_decoded() {
        // A .VnTime sheet exported as "Unicode Text": each TCVN3 byte became the Latin-1 char.
        let tcvn3 = "STT\tHọ và tên\tĐịa chỉ\r\n1\tNguyÔn B¶o Th¾ng\tHµ Néi\r\n2\tNinh B×nh\tM\u{AD}êng Kh\u{AD}¬ng\r\n";
        let table = read_csv(&utf16(tcvn3, false, true), None).expect("reads");
        assert_eq!(table.encoding, FileEncoding::Tcvn3);
        assert_eq!(table.rows[1], vec!["1", "Nguyễn Bảo Thắng", "Hà Nội"]);
        assert_eq!(table.rows[2], vec!["2", "Ninh Bình", "Mường Khương"]);
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
