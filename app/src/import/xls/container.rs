//! The Compound File ([MS-CFB]) around an .xls: the `cfb` crate finds the "Workbook" stream
//! through the file's FAT, directory and mini stream, and checks their chains (loops, sectors
//! past the end). What is ours: a look at the header first, so that a file that is not a
//! Compound File at all is told apart from a damaged one, and a limit on the bytes `cfb` may
//! read, so that a header or DIFAT that lists the same sectors again and again cannot make it
//! build tables many times the file's size.

use std::cell::Cell;
use std::io::{self, Cursor, Read, Seek, SeekFrom};
use std::rc::Rc;

use super::super::table::FileProblem;

const HEADER_BYTES: usize = 512;

/// The BIFF record stream of an .xls: "Workbook" (BIFF8); an older "Book" (BIFF5) or a
/// password-protected .xlsx (an encrypted package in a Compound File) is refused with its
/// reason.
pub(super) fn workbook_stream(bytes: &[u8]) -> Result<Vec<u8>, FileProblem> {
    check_header(bytes)?;
    let allowance = Rc::new(Cell::new(read_allowance(bytes)));
    let source = Metered {
        bytes: Cursor::new(bytes),
        left: Rc::clone(&allowance),
    };
    let mut compound = cfb::CompoundFile::open(source).map_err(|_| FileProblem::Truncated)?;
    let stream_name = ["Workbook", "Book", "EncryptedPackage"]
        .into_iter()
        .find(|name| compound.is_stream(name));
    match stream_name {
        Some("Workbook") => {}
        Some("Book") => return Err(FileProblem::Excel95),
        Some(_) => return Err(FileProblem::Encrypted),
        None => return Err(FileProblem::NotSpreadsheet),
    }
    let mut stream = compound
        .open_stream("Workbook")
        .map_err(|_| FileProblem::Truncated)?;
    // No stream holds more than the file itself.
    let size = usize::try_from(stream.len())
        .ok()
        .filter(|size| *size <= bytes.len())
        .ok_or(FileProblem::Truncated)?;
    allowance.set(read_allowance(bytes));
    let mut workbook = Vec::with_capacity(size);
    stream
        .read_to_end(&mut workbook)
        .map_err(|_| FileProblem::Truncated)?;
    if workbook.len() != size {
        return Err(FileProblem::Truncated);
    }
    Ok(workbook)
}

/// The header's fixed fields ([MS-CFB] 2.2): a file whose byte order, version or sector size
/// is none a Compound File can have is not a spreadsheet; one that claims more FAT sectors
/// than it has sectors is damaged.
fn check_header(bytes: &[u8]) -> Result<(), FileProblem> {
    let header = bytes.get(..HEADER_BYTES).ok_or(FileProblem::Truncated)?;
    let field16 = |at: usize| u16::from_le_bytes([header[at], header[at + 1]]);
    let sector_size: usize = match (field16(0x1A), field16(0x1E)) {
        (3, 9) => 512,
        (4, 12) => 4096,
        _ => return Err(FileProblem::NotSpreadsheet),
    };
    if field16(0x1C) != 0xFFFE || field16(0x20) != 6 {
        return Err(FileProblem::NotSpreadsheet);
    }
    let fat_sectors = u32::from_le_bytes([header[0x2C], header[0x2D], header[0x2E], header[0x2F]]);
    if fat_sectors as usize > bytes.len().div_ceil(sector_size) {
        return Err(FileProblem::Truncated);
    }
    Ok(())
}

/// What `cfb` may read for one task (opening the file, reading the stream): each sector of the
/// file once, and a sector more for a header of 4096 bytes.
fn read_allowance(bytes: &[u8]) -> u64 {
    bytes.len() as u64 + 4096
}

/// The uploaded bytes, read through an allowance shared with `workbook_stream`: past it, every
/// read fails.
struct Metered<'a> {
    bytes: Cursor<&'a [u8]>,
    left: Rc<Cell<u64>>,
}

impl Read for Metered<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let left = self.left.get();
        if left == 0 && !buf.is_empty() {
            return Err(io::Error::other("read allowance spent"));
        }
        let wanted = buf.len().min(usize::try_from(left).unwrap_or(usize::MAX));
        let read = self.bytes.read(&mut buf[..wanted])?;
        self.left.set(left - read as u64);
        Ok(read)
    }
}

impl Seek for Metered<'_> {
    fn seek(&mut self, position: SeekFrom) -> io::Result<u64> {
        self.bytes.seek(position)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A version 3 header whose DIFAT chain runs through `difat_sectors` sectors, each listing
    /// sector 0 as a FAT sector 127 times: without a limit, `cfb` would read 127 sectors of
    /// FAT for every sector of the file.
    fn repeating_difat(difat_sectors: u32) -> Vec<u8> {
        let mut file = vec![0u8; HEADER_BYTES];
        file[..8].copy_from_slice(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]);
        let mut put = |at: usize, bytes: &[u8]| file[at..at + bytes.len()].copy_from_slice(bytes);
        put(0x1A, &3u16.to_le_bytes());
        put(0x1C, &0xFFFEu16.to_le_bytes());
        put(0x1E, &9u16.to_le_bytes());
        put(0x20, &6u16.to_le_bytes());
        put(0x2C, &1u32.to_le_bytes());
        put(0x30, &0u32.to_le_bytes());
        put(0x38, &4096u32.to_le_bytes());
        put(0x3C, &0xFFFF_FFFEu32.to_le_bytes());
        put(0x44, &1u32.to_le_bytes());
        put(0x48, &difat_sectors.to_le_bytes());
        for i in 0..109 {
            put(0x4C + 4 * i, &0u32.to_le_bytes());
        }
        // Sector 0: a FAT sector; sectors 1…: the DIFAT chain.
        file.extend(vec![0xFF; 512]);
        for sector in 1..=difat_sectors {
            let mut difat = vec![0u8; 127 * 4];
            let next = if sector == difat_sectors {
                0xFFFF_FFFE
            } else {
                sector + 1
            };
            difat.extend(next.to_le_bytes());
            file.extend(difat);
        }
        file
    }

    #[test]
    fn a_difat_that_repeats_sectors_is_read_no_further_than_the_file() {
        let file = repeating_difat(256);
        let allowance = Rc::new(Cell::new(read_allowance(&file)));
        let source = Metered {
            bytes: Cursor::new(&file[..]),
            left: Rc::clone(&allowance),
        };
        assert!(cfb::CompoundFile::open(source).is_err());
        assert_eq!(
            allowance.get(),
            0,
            "stopped by the allowance, not before it"
        );
        assert_eq!(workbook_stream(&file), Err(FileProblem::Truncated));
    }

    #[test]
    fn headers_that_no_compound_file_has_are_not_spreadsheets() {
        let mut file = repeating_difat(1);
        assert_eq!(check_header(&file[..300]), Err(FileProblem::Truncated));
        file[0x1E] = 10;
        assert_eq!(check_header(&file), Err(FileProblem::NotSpreadsheet));
    }
}
