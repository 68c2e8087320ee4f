//! From the bytes of an Excel 97–2003 workbook (.xls) to the same `Table` the .xlsx reader
//! makes: the same fonts decide legacy text, the same number formats make dates and CCCDs, the
//! same sheet is chosen.
//!
//! An .xls is a Compound File (a small FAT file system in one file) holding a "Workbook"
//! stream of BIFF8 records: the workbook's globals (sheets, shared strings, fonts, formats),
//! then one substream of cell records per sheet. Both layers are read here, every offset,
//! size and chain checked against the file, since an upload can claim anything: a damaged or
//! hostile file is a `FileProblem`, never a panic or an allocation the file's size does not
//! cover.
//!
//! Excel keeps text in UTF-16, or "compressed" as one byte per character when every character
//! fits. Text typed under a legacy font (.VnTime, VNI-Times) was typed as the Windows-1252
//! letters of its bytes, so it is almost always compressed, ư (TCVN3 0xAD, the soft hyphen)
//! included; compressed bytes are read as Windows-1252, as the CSV reader reads "ANSI" bytes,
//! so the decoders see what they see from an .xlsx.

use super::sheet::{
    checked_length, custom_number_kind, decode_rows, number_kind, number_text, push_row,
    read_chosen_sheet, string_cell, CellFormat, Extent, Hint, NumberKind, RawCell, RichText,
    RunFont, SheetEntry, Styles,
};
use super::table::{FileEncoding, FileProblem, Table, MAX_COLUMNS};
use crate::domain::text;

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

// --- Compound File ([MS-CFB]) ------------------------------------------------------------------

const END_OF_CHAIN: u32 = 0xFFFF_FFFE;
const NO_ENTRY: u32 = 0xFFFF_FFFF;
const HEADER_BYTES: usize = 512;
/// FAT sector numbers kept in the header; more are in a chain of DIFAT sectors.
const HEADER_DIFAT: usize = 109;
const MINI_SECTOR: usize = 64;
const DIRECTORY_ENTRY: usize = 128;
/// Streams shorter than this live in the mini stream (the only value the format allows).
const MINI_CUTOFF: u64 = 4096;
const STREAM_ENTRY: u8 = 2;

fn u16_at(bytes: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(bytes.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(bytes.get(at..at + 4)?.try_into().ok()?))
}

fn f64_at(bytes: &[u8], at: usize) -> Option<f64> {
    Some(f64::from_le_bytes(bytes.get(at..at + 8)?.try_into().ok()?))
}

/// A Compound File over the uploaded bytes: its sector size and its FAT (each sector's next).
struct Compound<'a> {
    bytes: &'a [u8],
    sector_size: usize,
    fat: Vec<u32>,
    version: u16,
}

struct DirectoryEntry {
    name: String,
    kind: u8,
    left: u32,
    right: u32,
    child: u32,
    start: u32,
    size: u64,
}

impl<'a> Compound<'a> {
    fn open(bytes: &'a [u8]) -> Result<Compound<'a>, FileProblem> {
        let header = bytes.get(..HEADER_BYTES).ok_or(FileProblem::Truncated)?;
        let field16 = |at| u16_at(header, at).unwrap_or_default();
        let field32 = |at| u32_at(header, at).unwrap_or_default();
        let version = field16(0x1A);
        let sector_size = match (version, field16(0x1E)) {
            (3, 9) => 512,
            (4, 12) => 4096,
            _ => return Err(FileProblem::NotSpreadsheet),
        };
        if field16(0x1C) != 0xFFFE || field16(0x20) != 6 || u64::from(field32(0x38)) != MINI_CUTOFF
        {
            return Err(FileProblem::NotSpreadsheet);
        }
        let mut compound = Compound {
            bytes,
            sector_size,
            fat: Vec::new(),
            version,
        };
        // No file holds more FAT sectors than sectors.
        let fat_sectors = field32(0x2C) as usize;
        if fat_sectors > compound.sectors() {
            return Err(FileProblem::Truncated);
        }
        let mut fat_sector_numbers: Vec<u32> = (0..HEADER_DIFAT.min(fat_sectors))
            .map(|i| field32(0x4C + 4 * i))
            .collect();
        let mut difat = field32(0x44);
        let mut difat_sectors_left = field32(0x48);
        while fat_sector_numbers.len() < fat_sectors {
            if difat_sectors_left == 0 {
                return Err(FileProblem::Truncated);
            }
            difat_sectors_left -= 1;
            let sector = compound.sector(difat)?;
            let per_sector = sector_size / 4 - 1;
            for i in 0..per_sector {
                if fat_sector_numbers.len() == fat_sectors {
                    break;
                }
                fat_sector_numbers.push(u32_at(sector, 4 * i).ok_or(FileProblem::Truncated)?);
            }
            difat = u32_at(sector, 4 * per_sector).ok_or(FileProblem::Truncated)?;
        }
        let mut fat = Vec::with_capacity(fat_sectors * sector_size / 4);
        for number in fat_sector_numbers {
            let sector = compound.sector(number)?;
            if sector.len() < sector_size {
                return Err(FileProblem::Truncated);
            }
            fat.extend(
                sector
                    .chunks_exact(4)
                    .map(|entry| u32::from_le_bytes([entry[0], entry[1], entry[2], entry[3]])),
            );
        }
        compound.fat = fat;
        Ok(compound)
    }

    /// Sectors in the file, the header's and a short last one included.
    fn sectors(&self) -> usize {
        self.bytes.len().div_ceil(self.sector_size)
    }

    /// A sector's bytes (the last one of the file may be short).
    fn sector(&self, number: u32) -> Result<&'a [u8], FileProblem> {
        let start = (number as usize)
            .checked_add(1)
            .and_then(|n| n.checked_mul(self.sector_size))
            .filter(|start| *start < self.bytes.len())
            .ok_or(FileProblem::Truncated)?;
        Ok(&self.bytes[start..self.bytes.len().min(start + self.sector_size)])
    }

    /// The bytes of a chain of sectors of `unit` bytes from `start`, `size` of them, or all of
    /// the chain when `size` is None. A chain that loops, leaves the table or ends early is a
    /// damaged file.
    fn chain<'s>(
        &self,
        table: &[u32],
        start: u32,
        size: Option<usize>,
        unit: usize,
        mut unit_bytes: impl FnMut(u32) -> Result<&'s [u8], FileProblem>,
    ) -> Result<Vec<u8>, FileProblem> {
        // Never more than the file itself could hold.
        let wanted = size.unwrap_or(usize::MAX);
        if size.is_some_and(|size| size > self.bytes.len()) {
            return Err(FileProblem::Truncated);
        }
        let mut out = Vec::with_capacity(size.unwrap_or(0));
        let mut seen = vec![false; table.len()];
        let mut sector = start;
        while out.len() < wanted {
            if sector == END_OF_CHAIN && size.is_none() {
                break;
            }
            let index = sector as usize;
            if index >= table.len() || std::mem::replace(&mut seen[index], true) {
                return Err(FileProblem::Truncated);
            }
            let data = unit_bytes(sector)?;
            let take = unit.min(wanted - out.len());
            out.extend_from_slice(data.get(..take).ok_or(FileProblem::Truncated)?);
            sector = table[index];
        }
        Ok(out)
    }

    fn stream(&self, start: u32, size: Option<usize>) -> Result<Vec<u8>, FileProblem> {
        self.chain(&self.fat, start, size, self.sector_size, |n| self.sector(n))
    }

    fn directory(&self) -> Result<Vec<DirectoryEntry>, FileProblem> {
        let first = u32_at(self.bytes, 0x30).ok_or(FileProblem::Truncated)?;
        let bytes = self.stream(first, None)?;
        Ok(bytes
            .chunks_exact(DIRECTORY_ENTRY)
            .map(|entry| {
                let field32 = |at| u32_at(entry, at).unwrap_or(NO_ENTRY);
                let name_bytes = usize::from(u16_at(entry, 64).unwrap_or_default()).min(64);
                let units = entry[..name_bytes]
                    .chunks_exact(2)
                    .map(|unit| u16::from_le_bytes([unit[0], unit[1]]))
                    .take_while(|unit| *unit != 0);
                let size = u64::from(field32(120));
                DirectoryEntry {
                    name: char::decode_utf16(units)
                        .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
                        .collect(),
                    kind: entry[66],
                    left: field32(68),
                    right: field32(72),
                    child: field32(76),
                    start: field32(116),
                    // Version 3 files may leave garbage in the high half.
                    size: if self.version == 3 {
                        size
                    } else {
                        size | (u64::from(field32(124)) << 32)
                    },
                }
            })
            .collect())
    }

    /// A stream of the root storage by name, case-insensitive; None when there is none.
    fn root_stream(
        &self,
        entries: &[DirectoryEntry],
        name: &str,
    ) -> Result<Option<Vec<u8>>, FileProblem> {
        let Some(root) = entries.first() else {
            return Err(FileProblem::NotSpreadsheet);
        };
        // The root's children are a tree through their left and right links; a damaged file
        // may link them in a loop, so each entry is visited once.
        let mut seen = vec![false; entries.len()];
        let mut pending = vec![root.child];
        let mut found = None;
        while let Some(id) = pending.pop() {
            let index = id as usize;
            if index >= entries.len() || std::mem::replace(&mut seen[index], true) {
                continue;
            }
            let entry = &entries[index];
            if entry.kind == STREAM_ENTRY && entry.name.eq_ignore_ascii_case(name) {
                found = Some(entry);
                break;
            }
            pending.extend([entry.left, entry.right]);
        }
        let Some(entry) = found else {
            return Ok(None);
        };
        let size = usize::try_from(entry.size).map_err(|_| FileProblem::Truncated)?;
        if entry.size >= MINI_CUTOFF {
            return self.stream(entry.start, Some(size)).map(Some);
        }
        // Small streams are kept in 64-byte sectors inside the root's own stream.
        let root_size = usize::try_from(root.size).map_err(|_| FileProblem::Truncated)?;
        let mini_stream = self.stream(root.start, Some(root_size))?;
        let header = &self.bytes[..HEADER_BYTES];
        let mini_fat_start = u32_at(header, 0x3C).unwrap_or(END_OF_CHAIN);
        let mini_fat_sectors = u32_at(header, 0x40).unwrap_or_default() as usize;
        let mini_fat_bytes = mini_fat_sectors
            .checked_mul(self.sector_size)
            .ok_or(FileProblem::Truncated)?;
        let mini_fat: Vec<u32> = self
            .stream(mini_fat_start, Some(mini_fat_bytes))?
            .chunks_exact(4)
            .map(|entry| u32::from_le_bytes([entry[0], entry[1], entry[2], entry[3]]))
            .collect();
        let mini_sector = |number: u32| {
            let start = number as usize * MINI_SECTOR;
            mini_stream
                .get(start..start + MINI_SECTOR)
                .ok_or(FileProblem::Truncated)
        };
        self.chain(&mini_fat, entry.start, Some(size), MINI_SECTOR, mini_sector)
            .map(Some)
    }
}

/// The BIFF record stream of an .xls: "Workbook" (BIFF8); an older "Book" (BIFF5) or a
/// password-protected .xlsx (an encrypted package in a Compound File) is refused with its
/// reason.
fn workbook_stream(bytes: &[u8]) -> Result<Vec<u8>, FileProblem> {
    let compound = Compound::open(bytes)?;
    let entries = compound.directory()?;
    if let Some(stream) = compound.root_stream(&entries, "Workbook")? {
        return Ok(stream);
    }
    if compound.root_stream(&entries, "Book")?.is_some() {
        return Err(FileProblem::Excel95);
    }
    if compound
        .root_stream(&entries, "EncryptedPackage")?
        .is_some()
    {
        return Err(FileProblem::Encrypted);
    }
    Err(FileProblem::NotSpreadsheet)
}

// --- BIFF8 records ([MS-XLS]) ------------------------------------------------------------------

const BOF: u16 = 0x0809;
const EOF: u16 = 0x000A;
const FILEPASS: u16 = 0x002F;
const DATEMODE: u16 = 0x0022;
const FONT: u16 = 0x0031;
const FORMAT: u16 = 0x041E;
const XF: u16 = 0x00E0;
const BOUNDSHEET: u16 = 0x0085;
const SST: u16 = 0x00FC;
const CONTINUE: u16 = 0x003C;
const LABELSST: u16 = 0x00FD;
const LABEL: u16 = 0x0204;
const RSTRING: u16 = 0x00D6;
const NUMBER: u16 = 0x0203;
const RK: u16 = 0x027E;
const MULRK: u16 = 0x00BD;
const FORMULA: u16 = 0x0006;
const STRING: u16 = 0x0207;
const BOOLERR: u16 = 0x0205;

const BIFF8: u16 = 0x0600;
const BIFF5: u16 = 0x0500;

struct Record<'a> {
    kind: u16,
    data: &'a [u8],
}

/// Records one after another from an offset in the stream.
struct Records<'a> {
    stream: &'a [u8],
    at: usize,
}

impl<'a> Records<'a> {
    /// The next record; None at the end of the stream (writers pad it with zeros past the
    /// last EOF).
    fn next(&mut self) -> Result<Option<Record<'a>>, FileProblem> {
        let (Some(kind), Some(length)) = (
            u16_at(self.stream, self.at),
            u16_at(self.stream, self.at + 2),
        ) else {
            return Ok(None);
        };
        let start = self.at + 4;
        let data = self
            .stream
            .get(start..start + usize::from(length))
            .ok_or(FileProblem::Truncated)?;
        self.at = start + data.len();
        Ok(Some(Record { kind, data }))
    }

    /// A record's data followed by the CONTINUE records that carry on its content.
    fn with_continues(&mut self, first: &'a [u8]) -> Result<Pieces<'a>, FileProblem> {
        let mut segments = vec![first];
        while u16_at(self.stream, self.at) == Some(CONTINUE) {
            match self.next()? {
                Some(record) => segments.push(record.data),
                None => break,
            }
        }
        Ok(Pieces {
            segments,
            index: 0,
            at: 0,
        })
    }
}

/// Content split over a record and its CONTINUE records, read as one. Characters of a string
/// split there carry on after a fresh flags byte saying whether they are one byte or two.
struct Pieces<'a> {
    segments: Vec<&'a [u8]>,
    index: usize,
    at: usize,
}

impl Pieces<'_> {
    fn is_done(&mut self) -> bool {
        while self.index < self.segments.len() && self.at >= self.segments[self.index].len() {
            self.index += 1;
            self.at = 0;
        }
        self.index >= self.segments.len()
    }

    fn byte(&mut self) -> Result<u8, FileProblem> {
        if self.is_done() {
            return Err(FileProblem::Truncated);
        }
        let byte = self.segments[self.index][self.at];
        self.at += 1;
        Ok(byte)
    }

    fn u16(&mut self) -> Result<u16, FileProblem> {
        Ok(u16::from_le_bytes([self.byte()?, self.byte()?]))
    }

    fn u32(&mut self) -> Result<u32, FileProblem> {
        Ok(u32::from_le_bytes([
            self.byte()?,
            self.byte()?,
            self.byte()?,
            self.byte()?,
        ]))
    }

    fn skip(&mut self, mut count: usize) -> Result<(), FileProblem> {
        while count > 0 {
            if self.is_done() {
                return Err(FileProblem::Truncated);
            }
            let step = count.min(self.segments[self.index].len() - self.at);
            self.at += step;
            count -= step;
        }
        Ok(())
    }

    /// `count` characters as UTF-16 code units; `wide` says whether they start as two bytes
    /// each (else one byte each, read as Windows-1252).
    fn units(&mut self, count: usize, mut wide: bool) -> Result<Vec<u16>, FileProblem> {
        let mut units = Vec::new();
        while units.len() < count {
            let segment = self
                .segments
                .get(self.index)
                .ok_or(FileProblem::Truncated)?;
            if self.at >= segment.len() {
                self.index += 1;
                self.at = 0;
                wide = self.byte()? & 1 != 0;
                continue;
            }
            let rest = &segment[self.at..];
            let wanted = count - units.len();
            if wide {
                let taken = (rest.len() / 2).min(wanted);
                if taken == 0 {
                    return Err(FileProblem::Truncated);
                }
                units.extend(
                    rest[..2 * taken]
                        .chunks_exact(2)
                        .map(|unit| u16::from_le_bytes([unit[0], unit[1]])),
                );
                self.at += 2 * taken;
            } else {
                let taken = rest.len().min(wanted);
                units.extend(text::windows_1252_to_string(&rest[..taken]).encode_utf16());
                self.at += taken;
            }
        }
        Ok(units)
    }

    /// An XLUnicodeString: 16-bit length, flags, characters.
    fn string(&mut self) -> Result<String, FileProblem> {
        let count = usize::from(self.u16()?);
        let wide = self.byte()? & 1 != 0;
        Ok(utf16_text(&self.units(count, wide)?))
    }

    /// An XLUnicodeRichExtendedString of the shared strings: the text, the fonts of its runs
    /// (each run from its first character to the next run), and phonetic data, skipped.
    fn rich_string(&mut self, fonts: &[Option<Hint>]) -> Result<RichText, FileProblem> {
        let count = usize::from(self.u16()?);
        let flags = self.byte()?;
        let runs = if flags & 0x08 != 0 { self.u16()? } else { 0 };
        let phonetic = if flags & 0x04 != 0 { self.u32()? } else { 0 };
        let units = self.units(count, flags & 1 != 0)?;
        let mut starts: Vec<(usize, RunFont)> = vec![(0, RunFont::Cell)];
        for _ in 0..runs {
            let (first, font) = (usize::from(self.u16()?), self.u16()?);
            // Runs come in order; anything else is ignored rather than trusted.
            if first < units.len() && starts.last().is_some_and(|(last, _)| first >= *last) {
                starts.retain(|(start, _)| *start < first);
                starts.push((first, RunFont::Own(font_hint(fonts, font))));
            }
        }
        self.skip(phonetic as usize)?;
        if starts == [(0, RunFont::Cell)] {
            return Ok(RichText::Plain(utf16_text(&units)));
        }
        let ends = starts
            .iter()
            .skip(1)
            .map(|(start, _)| *start)
            .chain([units.len()]);
        Ok(RichText::Runs(
            starts
                .iter()
                .zip(ends)
                .map(|(&(start, font), end)| (font, utf16_text(&units[start..end])))
                .collect(),
        ))
    }
}

fn utf16_text(units: &[u16]) -> String {
    char::decode_utf16(units.iter().copied())
        .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
        .collect()
}

/// A ShortXLUnicodeString (8-bit length), as sheet and font names are stored.
fn short_string(data: &[u8]) -> Result<String, FileProblem> {
    let count = usize::from(*data.first().ok_or(FileProblem::Truncated)?);
    let mut pieces = Pieces {
        segments: vec![data.get(2..).ok_or(FileProblem::Truncated)?],
        index: 0,
        at: 0,
    };
    Ok(utf16_text(&pieces.units(count, data[1] & 1 != 0)?))
}

/// The font of a FONT index: index 4 is never written, so the indexes past it are one ahead.
fn font_hint(fonts: &[Option<Hint>], index: u16) -> Option<Hint> {
    let index = match index {
        0..=3 => usize::from(index),
        4 => return None,
        _ => usize::from(index) - 1,
    };
    fonts.get(index).copied().flatten()
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

/// An RK number: 30 bits of an integer or of a double's high half, maybe hundredths.
fn rk_number(rk: u32) -> f64 {
    let number = if rk & 0x02 != 0 {
        f64::from((rk as i32) >> 2)
    } else {
        f64::from_bits(u64::from(rk & 0xFFFF_FFFC) << 32)
    };
    if rk & 0x01 != 0 {
        number / 100.0
    } else {
        number
    }
}

/// Excel's text for an error value, as the .xlsx reader finds it in the cell.
fn error_text(code: u8) -> &'static str {
    match code {
        0x00 => "#NULL!",
        0x07 => "#DIV/0!",
        0x0F => "#VALUE!",
        0x17 => "#REF!",
        0x1D => "#NAME?",
        0x24 => "#NUM!",
        _ => "#N/A",
    }
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
mod tests {
    use super::*;
    use crate::import::sheet::tests::as_tcvn3;
    use crate::import::table::SheetChoice;

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
        looping[fat_entry..fat_entry + 4]
            .copy_from_slice(&(first_stream_sector as u32).to_le_bytes());
        assert_eq!(read(&looping), Err(FileProblem::Truncated));
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
}
