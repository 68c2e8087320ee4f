//! BÁO CÁO TỔNG HỢP Ý KIẾN, KIẾN NGHỊ CỦA CỬ TRI: one round's petitions, counted by field and
//! competent level, then listed by field. The page is the same Nghị định 30 document as the
//! meeting minutes (body and national headings, italic place and date, title, numbered body,
//! two signature columns, page numbers from page 2, generation time and data hash in every
//! footer), so it is drawn by that renderer rather than a second copy of the layout.

use super::meeting_minutes::{meeting_minutes_pdf, MeetingMinutesDoc, MinutesBlock};
use super::{Fonts, PdfError};

/// Everything printed on the summary, already formatted.
#[derive(Debug, Clone, Default)]
pub struct PetitionSummaryDoc {
    /// Issuing body, two lines: "ỦY BAN MTTQ VIỆT NAM", "PHƯỜNG MỸ THỚI".
    pub body: [String; 2],
    /// "Mỹ Thới, ngày 05 tháng 12 năm 2026".
    pub place_date_line: String,
    /// "BÁO CÁO" (drawn larger), then the title lines under it.
    pub title_lines: Vec<String>,
    /// Totals in sentences ("Tổng số: 3 kiến nghị …").
    pub overview: Vec<String>,
    /// One line per field: "Giao thông: 2 kiến nghị (cấp xã 0, cấp tỉnh 2, cấp trung ương 0)".
    pub counts: Vec<String>,
    /// (field heading, numbered petition texts) in field order.
    pub sections: Vec<(String, Vec<String>)>,
    /// (title, name) of the signers, left then right.
    pub signers: [(String, String); 2],
    pub generated_at: String,
    pub data_hash: String,
}

/// Renders the summary.
pub fn petition_summary_pdf(doc: &PetitionSummaryDoc, fonts: &Fonts) -> Result<Vec<u8>, PdfError> {
    let mut blocks: Vec<MinutesBlock> = doc
        .overview
        .iter()
        .cloned()
        .map(MinutesBlock::Paragraph)
        .collect();
    blocks.push(MinutesBlock::Heading(
        "I. SỐ LƯỢNG THEO LĨNH VỰC VÀ CẤP CÓ THẨM QUYỀN".into(),
    ));
    blocks.extend(doc.counts.iter().map(|line| MinutesBlock::Item {
        label: "-".into(),
        text: line.clone(),
    }));
    blocks.push(MinutesBlock::Heading(
        "II. NỘI DUNG Ý KIẾN, KIẾN NGHỊ".into(),
    ));
    for (i, (field, items)) in doc.sections.iter().enumerate() {
        blocks.push(MinutesBlock::Heading(format!("{}. {field}", i + 1)));
        blocks.extend(
            items
                .iter()
                .enumerate()
                .map(|(n, text)| MinutesBlock::Item {
                    label: format!("{}.{}.", i + 1, n + 1),
                    text: text.clone(),
                }),
        );
    }
    let page = MeetingMinutesDoc {
        body: doc.body.clone(),
        number_line: String::new(),
        place_date_line: doc.place_date_line.clone(),
        title_lines: doc.title_lines.clone(),
        blocks,
        signers: doc.signers.clone(),
        recipients: Vec::new(),
        generated_at: doc.generated_at.clone(),
        data_hash: doc.data_hash.clone(),
    };
    meeting_minutes_pdf(&page, fonts)
}
