//! The bounded inflater of .xlsx entries, the zip-bomb defence: the sizes the archive declares
//! are checked before anything is inflated, and what comes out is counted while inflating,
//! against one budget for the whole workbook, a ratio to the compressed size and the size the
//! entry declared. The zip crate finds the entries; the inflating and every limit are ours.

use std::cell::Cell;
use std::io::{self, Read, Seek};

use zip::{CompressionMethod, ZipArchive};

use super::super::table::FileProblem;

/// Everything inflated from one workbook together, declared or counted. A real voter list of a
/// million rows inflates to about 150 MB.
pub const MAX_INFLATED_BYTES: u64 = 200 * 1024 * 1024;
/// Spreadsheet XML compresses 5–30 times; deflate tops out near 1000. Past this ratio a large
/// entry is a bomb. Small entries (a few repeated style records) may legitimately exceed it.
const MAX_RATIO: u64 = 200;
const RATIO_APPLIES_FROM: u64 = 16 * 1024 * 1024;
/// A workbook has a dozen parts; thousands of entries is not a spreadsheet.
const MAX_ENTRIES: usize = 10_000;

/// The inflation counter shared by every entry read from one workbook.
#[derive(Default)]
pub(super) struct Budget {
    used: Cell<u64>,
    exceeded: Cell<bool>,
}

impl Budget {
    /// What a failed read means: a bomb if the budget ran out, otherwise a damaged file.
    pub(super) fn failure(&self) -> FileProblem {
        if self.exceeded.get() {
            FileProblem::ZipBomb
        } else {
            FileProblem::Truncated
        }
    }
}

/// Inflates one entry, counting what comes out: stops at the budget, at the ratio limit and at
/// the first byte past the size the archive declared (a lying header is a bomb too), and checks
/// the CRC at the end (a damaged file).
pub(super) struct Counted<'b, R> {
    inner: R,
    budget: &'b Budget,
    inflated: u64,
    compressed: u64,
    declared: u64,
    crc: crc32fast::Hasher,
    expected_crc: u32,
}

impl<R: Read> Read for Counted<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if n == 0 && !buf.is_empty() {
            let complete =
                self.inflated == self.declared && self.crc.clone().finalize() == self.expected_crc;
            return if complete {
                Ok(0)
            } else {
                Err(io::Error::other("entry damaged"))
            };
        }
        self.crc.update(&buf[..n]);
        self.inflated += n as u64;
        let total = self.budget.used.get() + n as u64;
        self.budget.used.set(total);
        let ratio_exceeded = self.inflated > RATIO_APPLIES_FROM
            && self.inflated > self.compressed.max(1).saturating_mul(MAX_RATIO);
        if total > MAX_INFLATED_BYTES || ratio_exceeded || self.inflated > self.declared {
            self.budget.exceeded.set(true);
            return Err(io::Error::other("inflation limit reached"));
        }
        Ok(n)
    }
}

/// Refuses a bomb before inflating anything: the sizes the central directory declares.
pub(super) fn check_declared_sizes<R: Read + Seek>(
    archive: &mut ZipArchive<R>,
) -> Result<(), FileProblem> {
    if archive.len() > MAX_ENTRIES {
        return Err(FileProblem::NotSpreadsheet);
    }
    let mut total: u64 = 0;
    for index in 0..archive.len() {
        let entry = archive
            .by_index_raw(index)
            .map_err(|_| FileProblem::Truncated)?;
        if entry.encrypted() {
            return Err(FileProblem::NotSpreadsheet);
        }
        let size = entry.size();
        total = total.saturating_add(size);
        let ratio_exceeded = size > RATIO_APPLIES_FROM
            && size > entry.compressed_size().max(1).saturating_mul(MAX_RATIO);
        if total > MAX_INFLATED_BYTES || ratio_exceeded {
            return Err(FileProblem::ZipBomb);
        }
    }
    Ok(())
}

/// One entry, inflated through the budget; None if the entry is missing.
///
/// The entry is read raw and inflated here rather than by the zip crate, so that every limit
/// is ours and a header that under-declares its size is reported as the bomb it is.
pub(super) fn open_entry<'z, 'b, R: Read + Seek + 'z>(
    archive: &'z mut ZipArchive<R>,
    path: &str,
    budget: &'b Budget,
) -> Result<Option<Counted<'b, Box<dyn Read + 'z>>>, FileProblem> {
    let Some(index) = archive.index_for_name(path) else {
        return Ok(None);
    };
    let entry = archive
        .by_index_raw(index)
        .map_err(|_| FileProblem::Truncated)?;
    let (compressed, declared, expected_crc) =
        (entry.compressed_size(), entry.size(), entry.crc32());
    let inner: Box<dyn Read + 'z> = match entry.compression() {
        CompressionMethod::Stored => Box::new(entry),
        CompressionMethod::Deflated => Box::new(flate2::read::DeflateDecoder::new(entry)),
        // Excel writes only these two; anything else is not a workbook we read.
        _ => return Err(FileProblem::NotSpreadsheet),
    };
    let counted = Counted {
        inner,
        budget,
        inflated: 0,
        compressed,
        declared,
        crc: crc32fast::Hasher::new(),
        expected_crc,
    };
    Ok(Some(counted))
}
