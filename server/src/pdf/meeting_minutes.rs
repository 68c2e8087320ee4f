//! BIÊN BẢN HỘI NGHỊ TIẾP XÚC CỬ TRI: the minutes of a deputy–voter meeting, A4 portrait in
//! the Nghị định 30/2020 layout (margins, Quốc hiệu and Tiêu ngữ with drawn rules, italic place
//! and date, page numbers centred in the top margin from page 2). The invitation (GIẤY MỜI) is
//! the same page with a number line under the body and "Nơi nhận" beside one signer.

use super::canvas::{Align, Canvas, Style};
use super::heading::FormHeading;
use super::page::{
    provenance, Page, A4_PORTRAIT, BODY, DOC_TYPE, FOOTER, PLACE_DATE, SIGNER, TITLE,
};
use super::{Fonts, PdfError};

/// One block of the body, already worded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MinutesBlock {
    /// A section heading in bold ("I. THÀNH PHẦN THAM DỰ").
    Heading(String),
    /// A paragraph with a first-line indent.
    Paragraph(String),
    /// A numbered or dashed item: the label hangs left of the wrapped text.
    Item { label: String, text: String },
}

/// Everything printed on the minutes, already formatted.
#[derive(Debug, Clone, Default)]
pub struct MeetingMinutesDoc {
    /// Issuing body, two lines: "ỦY BAN MTTQ VIỆT NAM", "PHƯỜNG MỸ THỚI".
    pub body: [String; 2],
    /// "Số: ……/GM-MTTQ" under the body name; empty for none (minutes carry no number).
    pub number_line: String,
    /// "Mỹ Thới, ngày 05 tháng 12 năm 2026".
    pub place_date_line: String,
    /// "BIÊN BẢN" (drawn larger), then the title lines under it.
    pub title_lines: Vec<String>,
    pub blocks: Vec<MinutesBlock>,
    /// (title, name) of the signers, left then right: the secretary and the chair. A title may
    /// hold several lines separated by '\n'; a signer with an empty title is left out.
    pub signers: [(String, String); 2],
    /// "Nơi nhận" lines, printed in the left column beside the signature; empty for none.
    pub recipients: Vec<String>,
    /// "05/12/2026 14:05", printed in every page footer.
    pub generated_at: String,
    /// Short fingerprint of the data the minutes were made from, printed in every page footer.
    pub data_hash: String,
}

const PAGE: Page = A4_PORTRAIT;
/// Nghị định 30's bottom margin of 20 mm: the page number sits in the top margin, so the
/// foot holds only the footer.
const BODY_BOTTOM: f32 = PAGE.height - 20.0;
/// Page numbers sit centred in the top margin.
const PAGE_NUMBER_BASELINE: f32 = 13.0;
const LEFT_COLUMN: (f32, f32) = (PAGE.left + 35.0, 75.0);
const RIGHT_COLUMN: (f32, f32) = (PAGE.width - PAGE.right - 47.0, 94.0);
/// First-line indent of body paragraphs (1–1,27 cm in practice) and the hanging indent of items.
const INDENT: f32 = 10.0;
/// Space after each paragraph: Nghị định 30 asks for at least 6 pt.
const PARAGRAPH_GAP: f32 = 6.0 / (72.0 / 25.4);
const SIGNATURE_SPACE: f32 = 22.0;

const HEADING: Style = Style::bold(13.0);
const PAGE_NUMBER: Style = Style::regular(13.0);
const NUMBER_LINE: Style = Style::regular(13.0);
const RECIPIENTS_TITLE: Style = Style::bold_italic(12.0);
const RECIPIENT: Style = Style::regular(11.0);

/// Renders the minutes.
pub fn meeting_minutes_pdf(doc: &MeetingMinutesDoc, fonts: &Fonts) -> Result<Vec<u8>, PdfError> {
    let title = doc.title_lines.join(" ");
    let mut c = Canvas::new(&title, fonts, PAGE.width, PAGE.height);
    c.add_page();
    let mut body = Body {
        y: heading_block(&mut c, doc),
    };
    for block in &doc.blocks {
        match block {
            MinutesBlock::Heading(text) => {
                let lines = c.wrap(HEADING, text, PAGE.content_width());
                // A heading never ends a page: keep it with the first line after it.
                body.reserve(&mut c, (lines.len() + 1) as f32 * BODY.pitch());
                body.lines(&mut c, &lines, PAGE.left, HEADING);
            }
            MinutesBlock::Paragraph(text) => {
                let lines = wrap_indented(&c, text);
                for (i, line) in lines.iter().enumerate() {
                    let x = if i == 0 {
                        PAGE.left + INDENT
                    } else {
                        PAGE.left
                    };
                    body.lines(&mut c, std::slice::from_ref(line), x, BODY);
                }
            }
            MinutesBlock::Item { label, text } => {
                let lines = c.wrap(BODY, text, PAGE.content_width() - INDENT);
                body.reserve(&mut c, BODY.pitch());
                let baseline = body.y + c.baseline_in_line(BODY);
                c.text(
                    PAGE.left + INDENT - 1.5,
                    baseline,
                    Align::Right,
                    BODY,
                    label,
                );
                body.lines(&mut c, &lines, PAGE.left + INDENT, BODY);
            }
        }
        body.y += PARAGRAPH_GAP;
    }
    signatures(&mut c, doc, &mut body);
    decorate(&mut c, &doc.generated_at, &doc.data_hash);
    c.finish()
}

/// Where the next line goes; starts new pages as needed.
struct Body {
    /// Bottom of the last line drawn.
    y: f32,
}

impl Body {
    /// Starts a new page unless `height` mm still fit on this one.
    fn reserve(&mut self, c: &mut Canvas, height: f32) {
        if self.y + height > BODY_BOTTOM {
            c.add_page();
            self.y = PAGE.top;
        }
    }

    fn lines(&mut self, c: &mut Canvas, lines: &[String], x: f32, style: Style) {
        for line in lines {
            self.reserve(c, style.pitch());
            c.text(
                x,
                self.y + c.baseline_in_line(style),
                Align::Left,
                style,
                line,
            );
            self.y += style.pitch();
        }
    }
}

/// Wraps a paragraph whose first line is indented: the first line is narrower.
fn wrap_indented(c: &Canvas, text: &str) -> Vec<String> {
    let first = c.wrap(BODY, text, PAGE.content_width() - INDENT);
    let Some(head) = first.first() else {
        return first;
    };
    let used = head.split_whitespace().count();
    let rest: Vec<&str> = text.split_whitespace().skip(used).collect();
    let mut lines = vec![head.clone()];
    if !rest.is_empty() {
        lines.extend(c.wrap(BODY, &rest.join(" "), PAGE.content_width()));
    }
    lines
}

/// Heading columns, place and date, and the title on page 1; returns where the body starts.
fn heading_block(c: &mut Canvas, doc: &MeetingMinutesDoc) -> f32 {
    let heading = FormHeading::full_page([&doc.body[0], &doc.body[1]], LEFT_COLUMN, RIGHT_COLUMN);
    let rule_y = heading.draw(c, PAGE.top);
    let mut y = rule_y + 3.0 + PLACE_DATE.pitch();
    if !doc.number_line.is_empty() {
        c.text(
            LEFT_COLUMN.0,
            y,
            Align::Center,
            NUMBER_LINE,
            &doc.number_line,
        );
    }
    c.text(
        RIGHT_COLUMN.0,
        y,
        Align::Center,
        PLACE_DATE,
        &doc.place_date_line,
    );
    let centre = PAGE.left + PAGE.content_width() / 2.0;
    y += 6.0;
    for (i, line) in doc.title_lines.iter().enumerate() {
        let style = if i == 0 { DOC_TYPE } else { TITLE };
        for wrapped in c.wrap(style, line, PAGE.content_width()) {
            y += style.pitch();
            c.text(centre, y, Align::Center, style, &wrapped);
        }
    }
    // The short drawn rule under the title block, clear of the descenders.
    y += 3.0;
    c.line((centre - 15.0, y), (centre + 15.0, y), 0.6);
    y + 4.0
}

/// The signature columns (and "Nơi nhận" on the left when given), kept together on one page.
fn signatures(c: &mut Canvas, doc: &MeetingMinutesDoc, body: &mut Body) {
    let titles: Vec<Vec<String>> = doc
        .signers
        .iter()
        .map(|(title, _)| {
            title
                .lines()
                .flat_map(|line| c.wrap(SIGNER, line, RIGHT_COLUMN.1))
                .collect()
        })
        .collect();
    let tallest_title = titles.iter().map(Vec::len).max().unwrap_or(0).max(2);
    let signer_height = 4.0 + tallest_title as f32 * SIGNER.pitch() + SIGNATURE_SPACE;
    let recipient_lines: Vec<String> = doc
        .recipients
        .iter()
        .flat_map(|line| c.wrap(RECIPIENT, line, LEFT_COLUMN.1))
        .collect();
    let recipients_height = if recipient_lines.is_empty() {
        0.0
    } else {
        4.0 + RECIPIENTS_TITLE.pitch() + recipient_lines.len() as f32 * RECIPIENT.pitch()
    };
    let height = signer_height.max(recipients_height);
    body.reserve(c, height);
    let top = body.y + 4.0;
    for (((title, name), lines), (centre, _)) in doc
        .signers
        .iter()
        .zip(&titles)
        .zip([LEFT_COLUMN, RIGHT_COLUMN])
    {
        if title.is_empty() {
            continue;
        }
        let mut y = top;
        for line in lines {
            y += SIGNER.pitch();
            c.text(centre, y, Align::Center, SIGNER, line);
        }
        c.text(
            centre,
            top + SIGNER.pitch() * tallest_title as f32 + SIGNATURE_SPACE,
            Align::Center,
            SIGNER,
            name,
        );
    }
    if !recipient_lines.is_empty() {
        let mut y = top + RECIPIENTS_TITLE.pitch();
        c.text(PAGE.left, y, Align::Left, RECIPIENTS_TITLE, "Nơi nhận:");
        for line in &recipient_lines {
            y += RECIPIENT.pitch();
            c.text(PAGE.left, y, Align::Left, RECIPIENT, line);
        }
    }
    body.y = top + height;
}

/// Page numbers from page 2 (centred in the top margin) and the provenance footer on every page.
fn decorate(c: &mut Canvas, generated_at: &str, data_hash: &str) {
    let total = c.page_count();
    let provenance = provenance(generated_at, data_hash);
    for page in 0..total {
        c.select_page(page);
        if page > 0 {
            let number = (page + 1).to_string();
            c.text(
                PAGE.width / 2.0,
                PAGE_NUMBER_BASELINE,
                Align::Center,
                PAGE_NUMBER,
                &number,
            );
        }
        c.text(
            PAGE.left,
            PAGE.footer_baseline,
            Align::Left,
            FOOTER,
            &provenance,
        );
    }
}
