//! BIFF8 records ([MS-XLS]), the content of an .xls workbook's "Workbook" stream: records one
//! after another, content carried on in CONTINUE records, and Excel's strings (UTF-16 or one
//! byte per character, rich text with the fonts of its runs). Every offset and length is
//! checked against the record: a damaged file is a `FileProblem`, never a panic.

use super::super::sheet::{Hint, RichText, RunFont};
use super::super::table::FileProblem;
use crate::domain::text;

pub(super) fn u16_at(bytes: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(bytes.get(at..at + 2)?.try_into().ok()?))
}

pub(super) fn u32_at(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(bytes.get(at..at + 4)?.try_into().ok()?))
}

pub(super) fn f64_at(bytes: &[u8], at: usize) -> Option<f64> {
    Some(f64::from_le_bytes(bytes.get(at..at + 8)?.try_into().ok()?))
}

pub(super) const BOF: u16 = 0x0809;
pub(super) const EOF: u16 = 0x000A;
pub(super) const FILEPASS: u16 = 0x002F;
pub(super) const DATEMODE: u16 = 0x0022;
pub(super) const FONT: u16 = 0x0031;
pub(super) const FORMAT: u16 = 0x041E;
pub(super) const XF: u16 = 0x00E0;
pub(super) const BOUNDSHEET: u16 = 0x0085;
pub(super) const SST: u16 = 0x00FC;
pub(super) const CONTINUE: u16 = 0x003C;
pub(super) const LABELSST: u16 = 0x00FD;
pub(super) const LABEL: u16 = 0x0204;
pub(super) const RSTRING: u16 = 0x00D6;
pub(super) const NUMBER: u16 = 0x0203;
pub(super) const RK: u16 = 0x027E;
pub(super) const MULRK: u16 = 0x00BD;
pub(super) const FORMULA: u16 = 0x0006;
pub(super) const STRING: u16 = 0x0207;
pub(super) const BOOLERR: u16 = 0x0205;

pub(super) const BIFF8: u16 = 0x0600;
pub(super) const BIFF5: u16 = 0x0500;

pub(super) struct Record<'a> {
    pub(super) kind: u16,
    pub(super) data: &'a [u8],
}

/// Records one after another from an offset in the stream.
pub(super) struct Records<'a> {
    pub(super) stream: &'a [u8],
    pub(super) at: usize,
}

impl<'a> Records<'a> {
    /// The next record; None at the end of the stream (writers pad it with zeros past the
    /// last EOF).
    pub(super) fn next(&mut self) -> Result<Option<Record<'a>>, FileProblem> {
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
    pub(super) fn with_continues(&mut self, first: &'a [u8]) -> Result<Pieces<'a>, FileProblem> {
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
pub(super) struct Pieces<'a> {
    segments: Vec<&'a [u8]>,
    index: usize,
    at: usize,
}

impl Pieces<'_> {
    pub(super) fn is_done(&mut self) -> bool {
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

    pub(super) fn skip(&mut self, mut count: usize) -> Result<(), FileProblem> {
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
    pub(super) fn string(&mut self) -> Result<String, FileProblem> {
        let count = usize::from(self.u16()?);
        let wide = self.byte()? & 1 != 0;
        Ok(utf16_text(&self.units(count, wide)?))
    }

    /// An XLUnicodeRichExtendedString of the shared strings: the text, the fonts of its runs
    /// (each run from its first character to the next run), and phonetic data, skipped.
    pub(super) fn rich_string(&mut self, fonts: &[Option<Hint>]) -> Result<RichText, FileProblem> {
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
pub(super) fn short_string(data: &[u8]) -> Result<String, FileProblem> {
    let count = usize::from(*data.first().ok_or(FileProblem::Truncated)?);
    let mut pieces = Pieces {
        segments: vec![data.get(2..).ok_or(FileProblem::Truncated)?],
        index: 0,
        at: 0,
    };
    Ok(utf16_text(&pieces.units(count, data[1] & 1 != 0)?))
}

/// The font of a FONT index: index 4 is never written, so the indexes past it are one ahead.
pub(super) fn font_hint(fonts: &[Option<Hint>], index: u16) -> Option<Hint> {
    let index = match index {
        0..=3 => usize::from(index),
        4 => return None,
        _ => usize::from(index) - 1,
    };
    fonts.get(index).copied().flatten()
}

/// An RK number: 30 bits of an integer or of a double's high half, maybe hundredths.
pub(super) fn rk_number(rk: u32) -> f64 {
    let number = if rk & 0x02 != 0 {
        f64::from(rk.cast_signed() >> 2)
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
pub(super) fn error_text(code: u8) -> &'static str {
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
