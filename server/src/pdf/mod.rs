//! Official election documents as PDF, drawing only: each renderer is a pure function from an
//! input struct of already worded and formatted strings (made by the document routes) to PDF
//! bytes.
//!
//! - `voter_list`: DANH SÁCH CỬ TRI (Mẫu 31/HĐBC), A4 landscape; also the election-day
//!   checklist, the same list with every check-in marked.
//! - `voter_cards`: THẺ CỬ TRI (Mẫu 10/HĐBC), A6 cards four to an A4 sheet.
//! - `counting_minutes`: BIÊN BẢN KẾT QUẢ KIỂM PHIẾU of a Tổ bầu cử (Mẫu 18/HĐBC-QH,
//!   23/HĐBC-HĐND) and BIÊN BẢN XÁC ĐỊNH KẾT QUẢ BẦU CỬ of a constituency, A4 portrait.
//! - `turnout_report`: BÁO CÁO TÌNH HÌNH CỬ TRI ĐI BẦU at the official report times, A4
//!   landscape.
//! - `meeting_minutes`: BIÊN BẢN HỘI NGHỊ TIẾP XÚC CỬ TRI and the GIẤY MỜI to a meeting, A4
//!   portrait.
//! - `petition_summary`: BÁO CÁO TỔNG HỢP Ý KIẾN, KIẾN NGHỊ CỦA CỬ TRI, drawn by the meeting
//!   minutes renderer.
//!
//! `page` holds the sheet sizes, margins and type sizes they share, `heading` the two-column
//! heading every form opens with, `canvas` the drawing surface. Text is set in Liberation Serif
//! (or Tinos), both metric-compatible with the Times New Roman that Nghị định 30/2020
//! prescribes, embedded and subset so the file prints the same everywhere.

mod canvas;
mod counting_minutes;
mod fonts;
mod heading;
mod meeting_minutes;
mod page;
mod petition_summary;
mod turnout_report;
mod voter_cards;
mod voter_list;

#[cfg(test)]
pub(crate) mod tests;

use std::path::PathBuf;

pub use counting_minutes::{counting_minutes_pdf, CountingBlock, CountingMinutesDoc, Signer};
pub use fonts::{Fonts, FONT_DIR_ENV};
pub use meeting_minutes::{meeting_minutes_pdf, MeetingMinutesDoc, MinutesBlock};
pub use petition_summary::{petition_summary_pdf, PetitionSummaryDoc};
pub use turnout_report::{turnout_report_pdf, ReportRow, ReportSection, TurnoutReportDoc};
pub use voter_cards::{voter_cards_pdf, VoterCard, VoterCardsDoc};
pub use voter_list::{voter_list_pdf, ListTotals, VoterListDoc, VoterListRow};

/// Why a PDF could not be produced. Messages are in Vietnamese, then English, because they can
/// reach an operator's screen.
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error(
        "Không tìm thấy phông chữ Liberation Serif hoặc Tinos (đã tìm: {}); hãy cài gói \
         fonts-liberation2 hoặc đặt biến CUTRI_FONT_DIR. / No Liberation Serif or Tinos fonts \
         found (searched: {}); install fonts-liberation2 or set CUTRI_FONT_DIR.",
        paths(.tried),
        paths(.tried)
    )]
    FontNotFound { tried: Vec<PathBuf> },

    #[error(
        "Không đọc được phông chữ {}: {reason} / Cannot read font {}: {reason}",
        .path.display(),
        .path.display()
    )]
    FontParse { path: PathBuf, reason: String },

    #[error(
        "Phông chữ {} thiếu chữ tiếng Việt ({missing}); hãy dùng fonts-liberation2. / Font {} \
         lacks Vietnamese letters ({missing}); use fonts-liberation2.",
        .path.display(),
        .path.display()
    )]
    FontCoverage { path: PathBuf, missing: String },

    #[error("Không tạo được mã QR: {0} / Cannot build the QR code: {0}")]
    Qr(#[from] qrcode::types::QrError),

    #[error("Không ghi được tệp PDF: {0} / Cannot write the PDF: {0}")]
    Write(String),
}

fn paths(paths: &[PathBuf]) -> String {
    paths
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}
