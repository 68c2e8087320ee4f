#![expect(
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    reason = "fixtures write small, known lengths, offsets and bytes into the fixed-width \
              fields of BIFF8 and Compound File records"
)]

use super::biff::*;
use super::*;
use crate::import::sheet::tests::as_tcvn3;
use crate::import::table::SheetChoice;

const END_OF_CHAIN: u32 = 0xFFFF_FFFE;
const NO_ENTRY: u32 = 0xFFFF_FFFF;
const HEADER_BYTES: usize = 512;
/// FAT sector numbers kept in the header.
const HEADER_DIFAT: usize = 109;
const MINI_SECTOR: usize = 64;
const DIRECTORY_ENTRY: usize = 128;
/// Streams shorter than this live in the mini stream.
const MINI_CUTOFF: u64 = 4096;
const STREAM_ENTRY: u8 = 2;

// --- a small writer of BIFF8 records and Compound Files, for the tests only ---------------

fn record(kind: u16, data: &[u8]) -> Vec<u8> {
    let mut out = kind.to_le_bytes().to_vec();
    out.extend((data.len() as u16).to_le_bytes());
    out.extend(data);
    out
}

/// Flags and characters: one byte each when every character fits, as Excel writes them.
fn characters(text: &str) -> Vec<u8> {
    if text.chars().all(|c| u32::from(c) <= 0xFF) {
        let mut out = vec![0];
        out.extend(text.chars().map(|c| u32::from(c) as u8));
        out
    } else {
        let mut out = vec![1];
        out.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        out
    }
}

fn xl_string(text: &str) -> Vec<u8> {
    let mut out = (text.encode_utf16().count() as u16).to_le_bytes().to_vec();
    out.extend(characters(text));
    out
}

fn short(text: &str) -> Vec<u8> {
    let mut out = vec![text.encode_utf16().count() as u8];
    out.extend(characters(text));
    out
}

fn at(row: u16, column: u16, format: u16) -> Vec<u8> {
    [row, column, format]
        .iter()
        .flat_map(|v| v.to_le_bytes())
        .collect()
}

fn label(row: u16, column: u16, format: u16, text: &str) -> Vec<u8> {
    record(LABEL, &[at(row, column, format), xl_string(text)].concat())
}

fn shared(row: u16, column: u16, format: u16, index: u32) -> Vec<u8> {
    record(
        LABELSST,
        &[at(row, column, format), index.to_le_bytes().to_vec()].concat(),
    )
}

fn number(row: u16, column: u16, format: u16, value: f64) -> Vec<u8> {
    record(
        NUMBER,
        &[at(row, column, format), value.to_le_bytes().to_vec()].concat(),
    )
}

fn rk_integer(value: i32) -> u32 {
    ((value << 2) | 2) as u32
}

fn formula(row: u16, column: u16, format: u16, value: [u8; 8]) -> Vec<u8> {
    // Cached value, flags, cache id, then an empty formula.
    let rest = [value.to_vec(), vec![0; 2 + 4 + 2]].concat();
    record(FORMULA, &[at(row, column, format), rest].concat())
}

fn boolerr(row: u16, column: u16, value: u8, is_error: bool) -> Vec<u8> {
    record(
        BOOLERR,
        &[at(row, column, 0), vec![value, u8::from(is_error)]].concat(),
    )
}

/// A plain string of the shared strings table.
fn sst_item(text: &str) -> Vec<u8> {
    xl_string(text)
}

/// Fonts 0–3 Arial (index 4 is never used), 5 .VnTime, 6 .VnTimeH, 7 VNI-Times. Formats:
/// 0 general, 1 .VnTime, 2 .VnTimeH, 3 VNI-Times, 4 dd/mm/yyyy (built-in 14), 5 mm/yyyy,
/// 6 twelve zeros.
fn styles() -> Vec<u8> {
    let font = |name: &str| record(FONT, &[vec![0; 14], short(name)].concat());
    let format = |id: u16, code: &str| {
        record(
            FORMAT,
            &[id.to_le_bytes().to_vec(), xl_string(code)].concat(),
        )
    };
    let xf = |font: u16, format: u16| {
        record(
            XF,
            &[
                font.to_le_bytes().to_vec(),
                format.to_le_bytes().to_vec(),
                vec![0; 16],
            ]
            .concat(),
        )
    };
    [
        font("Arial"),
        font("Arial"),
        font("Arial"),
        font("Arial"),
        font(".VnTime"),
        font(".VnTimeH"),
        font("VNI-Times"),
        format(164, "mm/yyyy"),
        format(165, "000000000000"),
        xf(0, 0),
        xf(5, 0),
        xf(6, 0),
        xf(7, 0),
        xf(0, 14),
        xf(0, 164),
        xf(0, 165),
    ]
    .concat()
}

struct Sheet<'a> {
    name: &'a str,
    hidden: bool,
    cells: Vec<u8>,
}

fn sheet<'a>(name: &'a str, cells: &[Vec<u8>]) -> Sheet<'a> {
    Sheet {
        name,
        hidden: false,
        cells: cells.concat(),
    }
}

fn bof(kind: u16) -> Vec<u8> {
    record(
        BOF,
        &[
            BIFF8.to_le_bytes().to_vec(),
            kind.to_le_bytes().to_vec(),
            vec![0; 12],
        ]
        .concat(),
    )
}

/// The Workbook stream: globals (with `globals` records after the BOF), then the sheets.
fn biff(globals: &[Vec<u8>], sheets: &[Sheet]) -> Vec<u8> {
    let mut out = [bof(0x0005), globals.concat()].concat();
    let mut offset_fields = Vec::new();
    for sheet in sheets {
        offset_fields.push(out.len() + 4);
        let data = [
            vec![0; 4],
            vec![u8::from(sheet.hidden), 0],
            short(sheet.name),
        ]
        .concat();
        out.extend(record(BOUNDSHEET, &data));
    }
    out.extend(record(EOF, &[]));
    for (sheet, field) in sheets.iter().zip(offset_fields) {
        let offset = (out.len() as u32).to_le_bytes();
        out[field..field + 4].copy_from_slice(&offset);
        out.extend(bof(0x0010));
        out.extend(&sheet.cells);
        out.extend(record(EOF, &[]));
    }
    out
}

/// A version 3 Compound File holding `stream` as "Workbook", padded to 4096 bytes as Excel
/// does, so that it lives in 512-byte sectors of its own.
fn compound(stream: &[u8]) -> Vec<u8> {
    let mut padded = stream.to_vec();
    padded.resize(stream.len().max(MINI_CUTOFF as usize), 0);
    compound_file(&padded, "Workbook")
}

/// A version 3 Compound File: FAT sectors first, then the directory, then the sector chains
/// of the stream, or, for a stream under 4096 bytes, of the mini FAT and the mini stream
/// that holds it in 64-byte sectors.
fn compound_file(stream: &[u8], name: &str) -> Vec<u8> {
    let mini = (stream.len() as u64) < MINI_CUTOFF;
    let chain_of = |units: usize| -> Vec<u32> {
        (1..=units as u32)
            .map(|next| {
                if next == units as u32 {
                    END_OF_CHAIN
                } else {
                    next
                }
            })
            .collect()
    };
    let (chains, root_size) = if mini {
        let mini_sectors = stream.len().div_ceil(MINI_SECTOR);
        let mut mini_fat = vec![NO_ENTRY; 128];
        mini_fat[..mini_sectors].copy_from_slice(&chain_of(mini_sectors));
        let mini_fat: Vec<u8> = mini_fat.iter().flat_map(|e| e.to_le_bytes()).collect();
        let mut container = stream.to_vec();
        container.resize(mini_sectors * MINI_SECTOR, 0);
        let size = container.len();
        (vec![mini_fat, container], size)
    } else {
        (vec![stream.to_vec()], 0)
    };
    let data_sectors: usize = chains.iter().map(|c| c.len().div_ceil(512)).sum();
    let fat_sectors = (data_sectors + 1).div_ceil(127);
    assert!(fat_sectors <= HEADER_DIFAT);
    let directory = fat_sectors as u32;
    let mut fat = vec![NO_ENTRY; fat_sectors * 128];
    fat[..fat_sectors].fill(0xFFFF_FFFD);
    fat[fat_sectors] = END_OF_CHAIN;
    let mut chain_starts = Vec::new();
    let mut next_sector = directory + 1;
    for chain in &chains {
        chain_starts.push(next_sector);
        for link in chain_of(chain.len().div_ceil(512)) {
            fat[next_sector as usize] = if link == END_OF_CHAIN {
                END_OF_CHAIN
            } else {
                chain_starts[chain_starts.len() - 1] + link
            };
            next_sector += 1;
        }
    }
    let mut header = CFB_MAGIC.to_vec();
    header.resize(HEADER_BYTES, 0);
    let mut put = |at: usize, bytes: &[u8]| header[at..at + bytes.len()].copy_from_slice(bytes);
    put(0x18, &0x3Eu16.to_le_bytes());
    put(0x1A, &3u16.to_le_bytes());
    put(0x1C, &0xFFFEu16.to_le_bytes());
    put(0x1E, &9u16.to_le_bytes());
    put(0x20, &6u16.to_le_bytes());
    put(0x2C, &(fat_sectors as u32).to_le_bytes());
    put(0x30, &directory.to_le_bytes());
    put(0x38, &4096u32.to_le_bytes());
    let (mini_fat_start, mini_fat_sectors) = if mini {
        (chain_starts[0], 1u32)
    } else {
        (END_OF_CHAIN, 0)
    };
    put(0x3C, &mini_fat_start.to_le_bytes());
    put(0x40, &mini_fat_sectors.to_le_bytes());
    put(0x44, &END_OF_CHAIN.to_le_bytes());
    for i in 0..HEADER_DIFAT {
        let sector = if i < fat_sectors { i as u32 } else { NO_ENTRY };
        put(0x4C + 4 * i, &sector.to_le_bytes());
    }
    let entry = |name: &str, kind: u8, child: u32, start: u32, size: usize| {
        let mut out = vec![0u8; DIRECTORY_ENTRY];
        let units: Vec<u8> = name
            .encode_utf16()
            .chain([0])
            .flat_map(u16::to_le_bytes)
            .collect();
        out[..units.len()].copy_from_slice(&units);
        out[64..66].copy_from_slice(&(units.len() as u16).to_le_bytes());
        out[66] = kind;
        for (at, link) in [(68, NO_ENTRY), (72, NO_ENTRY), (76, child)] {
            out[at..at + 4].copy_from_slice(&link.to_le_bytes());
        }
        out[116..120].copy_from_slice(&start.to_le_bytes());
        out[120..124].copy_from_slice(&(size as u32).to_le_bytes());
        out
    };
    let (root_start, stream_start) = if mini {
        (chain_starts[1], 0)
    } else {
        (END_OF_CHAIN, chain_starts[0])
    };
    let mut file = header;
    file.extend(fat.iter().flat_map(|e| e.to_le_bytes()));
    file.extend(entry("Root Entry", 5, 1, root_start, root_size));
    file.extend(entry(
        name,
        STREAM_ENTRY,
        NO_ENTRY,
        stream_start,
        stream.len(),
    ));
    file.extend(entry("", 0, NO_ENTRY, 0, 0));
    file.extend(entry("", 0, NO_ENTRY, 0, 0));
    for mut chain in chains {
        chain.resize(chain.len().div_ceil(512) * 512, 0);
        file.extend(chain);
    }
    file
}

fn xls(globals: &[Vec<u8>], sheets: &[Sheet]) -> Vec<u8> {
    compound(&biff(globals, sheets))
}

fn read(bytes: &[u8]) -> Result<Table, FileProblem> {
    read_xls(bytes, None, None)
}

// --- the tests ----------------------------------------------------------------------------

#[test]
fn cells_of_every_type_become_the_text_a_person_sees() {
    // "Nguyễn Văn An" starts one byte per character and goes on in UTF-16 in a CONTINUE
    // record, which starts with its own flags byte.
    let mut sst = [2u32.to_le_bytes(), 3u32.to_le_bytes()].concat();
    sst.extend(sst_item("STT"));
    sst.extend(13u16.to_le_bytes());
    sst.extend(b"\x00Nguy");
    let mut continued = vec![1];
    continued.extend("ễn Văn An".encode_utf16().flat_map(u16::to_le_bytes));
    continued.extend(sst_item("Họ và tên"));
    let cells = [
        label(0, 0, 0, "DANH SÁCH CỬ TRI"),
        shared(2, 0, 0, 0),
        shared(2, 1, 0, 2),
        label(2, 2, 0, "Ngày sinh"),
        label(2, 3, 0, "Số CCCD"),
        label(2, 5, 0, "Ghi chú"),
        record(
            RK,
            &[at(3, 0, 0), rk_integer(1).to_le_bytes().to_vec()].concat(),
        ),
        shared(3, 1, 0, 1),
        number(3, 2, 4, 22102.0),
        number(3, 3, 6, 79_060_001_234.0),
        boolerr(3, 4, 1, false),
        formula(3, 5, 0, [0, 0, 0, 0, 0, 0, 0xFF, 0xFF]),
        record(STRING, &xl_string("=bấm & xem")),
        record(
            RK,
            &[at(4, 0, 0), rk_integer(2).to_le_bytes().to_vec()].concat(),
        ),
        label(4, 1, 0, "Trần Thị Hương"),
        record(
            MULRK,
            &[
                at(4, 2, 5),
                rk_integer(23774).to_le_bytes().to_vec(),
                0u16.to_le_bytes().to_vec(),
                rk_integer(42).to_le_bytes().to_vec(),
                3u16.to_le_bytes().to_vec(),
            ]
            .concat(),
        ),
        formula(4, 4, 0, 3.5f64.to_le_bytes()),
        boolerr(4, 5, 0x2A, true),
        // Hundredths, and a double's high half.
        record(
            MULRK,
            &[
                at(5, 0, 0),
                ((1250 << 2) | 3u32).to_le_bytes().to_vec(),
                0u16.to_le_bytes().to_vec(),
                0x3FF8_0000u32.to_le_bytes().to_vec(),
                1u16.to_le_bytes().to_vec(),
            ]
            .concat(),
        ),
        formula(5, 2, 0, [1, 0, 1, 0, 0, 0, 0xFF, 0xFF]),
        // A CCCD typed as a plain number keeps all twelve digits.
        number(5, 3, 0, 123_456_789_012.0),
        // A styled empty cell (BLANK) far out is not data.
        record(0x0201, &at(5, 7, 0)),
    ];
    let globals = [styles(), record(SST, &sst), record(CONTINUE, &continued)];
    let table = read(&xls(&globals, &[sheet("DS", &cells)])).expect("reads");
    assert_eq!(table.encoding, FileEncoding::Utf8);
    assert_eq!(table.separator, None);
    assert_eq!(table.row_numbers, vec![1, 3, 4, 5, 6]);
    assert_eq!(
        table.rows,
        vec![
            vec!["DANH SÁCH CỬ TRI", "", "", "", "", ""],
            vec!["STT", "Họ và tên", "Ngày sinh", "Số CCCD", "", "Ghi chú"],
            vec![
                "1",
                "Nguyễn Văn An",
                "05/07/1960",
                "079060001234",
                "TRUE",
                "=bấm & xem"
            ],
            vec!["2", "Trần Thị Hương", "02/1965", "42", "3.5", "#N/A"],
            vec!["12.5", "1.5", "TRUE", "123456789012", "", ""],
        ]
    );
    assert_eq!(
        table.sheet,
        Some(SheetChoice {
            offered: vec![(0, "DS".into())],
            read: 0
        })
    );
}

#[test]
fn a_workbook_under_4096_bytes_is_read_from_the_mini_stream() {
    let stream = biff(
        &[styles()],
        &[sheet(
            "DS",
            &[label(0, 0, 0, "Họ và tên"), label(1, 0, 0, "Lê Văn Đức")],
        )],
    );
    assert!(stream.len() < MINI_CUTOFF as usize);
    let table = read(&compound_file(&stream, "Workbook")).expect("reads");
    assert_eq!(table.rows, vec![vec!["Họ và tên"], vec!["Lê Văn Đức"]]);
}

#[test]
fn dates_follow_the_format_and_the_1904_system() {
    let cells = [
        label(0, 0, 0, "Họ và tên"),
        label(0, 1, 0, "Ngày sinh"),
        number(1, 1, 4, 1.0),
        record(
            RK,
            &[at(2, 1, 5), rk_integer(23774).to_le_bytes().to_vec()].concat(),
        ),
    ];
    let table = read(&xls(&[styles()], &[sheet("DS", &cells)])).expect("reads");
    assert_eq!(table.rows[1][1], "01/01/1900");
    assert_eq!(table.rows[2][1], "02/1965");
    let in_1904 = xls(
        &[styles(), record(DATEMODE, &1u16.to_le_bytes())],
        &[sheet("DS", &cells)],
    );
    assert_eq!(read(&in_1904).expect("reads").rows[1][1], "02/01/1904");
}

#[test]
fn legacy_font_cells_are_decoded_and_h_fonts_are_capitals() {
    let name = as_tcvn3("Nguyễn Thị Hương");
    assert!(name.contains('\u{AD}'), "ư is the soft hyphen in TCVN3");
    let mut sst = [2u32.to_le_bytes(), 2u32.to_le_bytes()].concat();
    sst.extend(sst_item(&name));
    // Rich text: TCVN3 in a .VnTime run, then Unicode in an Arial run.
    let first = as_tcvn3("Đặng Thùy");
    let whole = format!("{first} Dương");
    sst.extend((whole.encode_utf16().count() as u16).to_le_bytes());
    sst.push(0x08 | 1);
    sst.extend(2u16.to_le_bytes());
    sst.extend(whole.encode_utf16().flat_map(u16::to_le_bytes));
    for (start, font) in [(0u16, 5u16), (first.chars().count() as u16, 0)] {
        sst.extend(start.to_le_bytes());
        sst.extend(font.to_le_bytes());
    }
    let cells = [
        label(0, 0, 2, &as_tcvn3("danh sách cử tri")),
        label(1, 0, 0, "Họ và tên"),
        label(1, 1, 1, "Nơi thường trú"),
        shared(2, 0, 1, 0),
        label(2, 1, 3, "Nguyeãn Vaên An"),
        shared(3, 0, 0, 1),
        formula(3, 1, 1, [0, 0, 0, 0, 0, 0, 0xFF, 0xFF]),
        record(STRING, &xl_string(&name)),
    ];
    let bytes = xls(&[styles(), record(SST, &sst)], &[sheet("DS", &cells)]);
    let table = read(&bytes).expect("reads");
    assert_eq!(table.rows[0][0], "DANH SÁCH CỬ TRI");
    // A .VnTime cell typed in Unicode after all is left as it is.
    assert_eq!(table.rows[1], vec!["Họ và tên", "Nơi thường trú"]);
    assert_eq!(table.rows[2], vec!["Nguyễn Thị Hương", "Nguyễn Văn An"]);
    assert_eq!(table.rows[3], vec!["Đặng Thùy Dương", "Nguyễn Thị Hương"]);
    assert_eq!(table.encoding, FileEncoding::Tcvn3);
    for cell in table.rows.iter().flatten() {
        assert_eq!(text::nfc(cell), *cell);
    }
}

#[test]
fn cells_without_a_legacy_font_are_detected_like_csv_cells() {
    let names = ["Nguyễn Văn An", "Trần Thị Hương", "Lê Văn Đức"];
    let mut cells = vec![label(0, 0, 0, "Họ và tên")];
    for (row, name) in names.iter().enumerate() {
        cells.push(label(row as u16 + 1, 0, 0, &as_tcvn3(name)));
    }
    let bytes = xls(&[styles()], &[sheet("DS", &cells)]);
    let table = read(&bytes).expect("reads");
    assert_eq!(table.encoding, FileEncoding::Tcvn3);
    let read_names: Vec<&str> = table.rows.iter().map(|r| r[0].as_str()).collect();
    assert_eq!(read_names, ["Họ và tên", names[0], names[1], names[2]]);
    let forced = read_xls(&bytes, Some(FileEncoding::Utf8), None).expect("reads");
    assert_eq!(forced.rows[1][0], as_tcvn3(names[0]));
}

#[test]
fn the_sheet_that_looks_like_a_voter_list_is_chosen_and_another_can_be() {
    let list = |name: &str| {
        [
            label(1, 1, 0, "Họ và tên"),
            label(1, 2, 0, "Ngày sinh"),
            label(2, 1, 0, name),
        ]
    };
    let hidden = Sheet {
        hidden: true,
        ..sheet("Ẩn", &list("Ẩn Danh"))
    };
    let sheets = [
        sheet("Ghi chú", &[label(0, 0, 0, "Xem trang sau")]),
        hidden,
        sheet("KV1", &list("Nguyễn Văn An")),
        sheet("Trống", &[]),
        sheet("KV2", &list("Trần Thị Bình")),
    ];
    let bytes = xls(&[styles()], &sheets);
    let table = read(&bytes).expect("reads");
    assert_eq!(table.rows[1], vec!["", "Nguyễn Văn An", ""]);
    assert_eq!(table.row_numbers, vec![2, 3]);
    let offered: Vec<(usize, String)> = [(0, "Ghi chú"), (2, "KV1"), (4, "KV2")]
        .map(|(p, n)| (p, n.to_string()))
        .to_vec();
    assert_eq!(
        table.sheet,
        Some(SheetChoice {
            offered: offered.clone(),
            read: 2
        })
    );
    let second = read_xls(&bytes, None, Some(4)).expect("reads");
    assert_eq!(second.rows[1], vec!["", "Trần Thị Bình", ""]);
    assert_eq!(second.sheet, Some(SheetChoice { offered, read: 4 }));
    assert_eq!(read_xls(&bytes, None, Some(3)), Err(FileProblem::Empty));
    // Only hidden sheets have data: the hidden one is read.
    let only_hidden = xls(
        &[styles()],
        &[
            sheet("Trống", &[]),
            Sheet {
                hidden: true,
                ..sheet("Ẩn", &list("Ẩn Danh"))
            },
        ],
    );
    assert_eq!(read(&only_hidden).expect("reads").rows[1][1], "Ẩn Danh");
}

fn good_file() -> Vec<u8> {
    xls(
        &[styles()],
        &[sheet(
            "DS",
            &[
                label(0, 0, 0, "Họ và tên"),
                label(0, 1, 0, "Ngày sinh"),
                label(1, 0, 1, &as_tcvn3("Nguyễn Thị Hương")),
                number(1, 1, 4, 22102.0),
            ],
        )],
    )
}

#[test]
fn broken_and_hostile_files_are_refused_with_a_reason() {
    let good = good_file();
    assert_eq!(read(&good).expect("reads").rows[1][0], "Nguyễn Thị Hương");
    assert_eq!(
        super::super::scan(&good, None),
        Ok(super::super::FileKind::Xls)
    );
    assert_eq!(
        read(&good[..good.len() * 6 / 10]),
        Err(FileProblem::Truncated)
    );
    assert_eq!(read(&good[..300]), Err(FileProblem::Truncated));
    // The stream's chain of sectors loops back on itself.
    let mut looping = good.clone();
    let first_stream_sector = 2usize;
    let fat_entry = HEADER_BYTES + 4 * (first_stream_sector + 1);
    looping[fat_entry..fat_entry + 4].copy_from_slice(&(first_stream_sector as u32).to_le_bytes());
    assert_eq!(read(&looping), Err(FileProblem::Truncated));
    // A loop that does not pass the first sector again: 2 → 3 → 4 → 3.
    let mut inner_loop = good.clone();
    let fat_entry = HEADER_BYTES + 4 * (first_stream_sector + 2);
    inner_loop[fat_entry..fat_entry + 4]
        .copy_from_slice(&(first_stream_sector as u32 + 1).to_le_bytes());
    assert_eq!(read(&inner_loop), Err(FileProblem::Truncated));
    // Absurd counts and sizes are refused before anything is allocated for them.
    let mut many_fat_sectors = good.clone();
    many_fat_sectors[0x2C..0x30].copy_from_slice(&u32::MAX.to_le_bytes());
    assert_eq!(read(&many_fat_sectors), Err(FileProblem::Truncated));
    let mut huge_stream = good.clone();
    let size_field = HEADER_BYTES + 512 + DIRECTORY_ENTRY + 120;
    huge_stream[size_field..size_field + 4].copy_from_slice(&u32::MAX.to_le_bytes());
    assert_eq!(read(&huge_stream), Err(FileProblem::Truncated));
    let mut wrong_order = good.clone();
    wrong_order[0x1C] = 0xFF;
    assert_eq!(read(&wrong_order), Err(FileProblem::NotSpreadsheet));
    // A Word document, an Excel 95 workbook, a password-protected .xlsx.
    let stream = biff(&[styles()], &[sheet("DS", &[label(0, 0, 0, "Họ và tên")])]);
    let mut padded = stream.clone();
    padded.resize(MINI_CUTOFF as usize, 0);
    assert_eq!(
        read(&compound_file(&padded, "WordDocument")),
        Err(FileProblem::NotSpreadsheet)
    );
    assert_eq!(
        read(&compound_file(&padded, "Book")),
        Err(FileProblem::Excel95)
    );
    assert_eq!(
        read(&compound_file(&padded, "EncryptedPackage")),
        Err(FileProblem::Encrypted)
    );
    let mut biff5 = stream.clone();
    biff5[4..6].copy_from_slice(&BIFF5.to_le_bytes());
    assert_eq!(read(&compound(&biff5)), Err(FileProblem::Excel95));
    let encrypted = xls(&[record(FILEPASS, &[0; 54]), styles()], &[sheet("DS", &[])]);
    assert_eq!(read(&encrypted), Err(FileProblem::Encrypted));
    // A sheet said to start past the end of the stream.
    let mut far_sheet = stream.clone();
    let boundsheet = far_sheet
        .windows(2)
        .position(|w| w == BOUNDSHEET.to_le_bytes())
        .expect("BOUNDSHEET");
    far_sheet[boundsheet + 4..boundsheet + 8].copy_from_slice(&u32::MAX.to_le_bytes());
    assert_eq!(read(&compound(&far_sheet)), Err(FileProblem::Truncated));
    let far_column = xls(
        &[styles()],
        &[sheet("DS", &[label(6, 0, 0, "a"), label(6, 233, 0, "b")])],
    );
    assert_eq!(
        read(&far_column),
        Err(FileProblem::TooManyColumns {
            row: 7,
            columns: 234
        })
    );
    let huge_cell = xls(
        &[styles()],
        &[sheet("DS", &[label(2, 1, 0, &"A".repeat(5000))])],
    );
    assert!(matches!(
        read(&huge_cell),
        Err(FileProblem::CellTooLong {
            row: 3,
            column: 2,
            ..
        })
    ));
}

#[test]
fn damaged_bytes_never_panic() {
    let good = good_file();
    // xorshift: the same bytes on every run.
    let mut state = 0x2545_F491_4F6C_DD1Du64;
    let mut random = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for _ in 0..4000 {
        let mut bytes = good.clone();
        for _ in 0..=random() % 8 {
            // Mostly where the structure is: header, FAT, directory, records.
            let span = if random() % 4 == 0 {
                bytes.len()
            } else {
                3 * 512 + 600
            };
            let at = (random() as usize) % span;
            bytes[at] = random() as u8;
        }
        let _ = read(&bytes);
    }
    for length in [512, 600, 2048, 5000, 9000] {
        let mut bytes = good[..HEADER_BYTES].to_vec();
        bytes.extend((0..length).map(|_| random() as u8));
        let _ = read(&bytes);
    }
}
