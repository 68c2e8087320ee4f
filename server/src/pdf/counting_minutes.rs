//! BIÊN BẢN KẾT QUẢ KIỂM PHIẾU of a Tổ bầu cử (Mẫu 18/HĐBC-QH, 23/HĐBC-HĐND): A4 portrait,
//! the form number top right, the two-column heading, the title, the identification lines and
//! narrative, the results block, the candidate table, the closing paragraphs and the
//! three-column signature table. Every page carries the generation time and the data hash;
//! a draft says "DỰ THẢO" on every page.

use super::canvas::{Align, Canvas, Style};
use super::heading::FormHeading;
use super::{Fonts, PdfError};

/// One block of the body, already worded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CountingBlock {
    /// A paragraph with a first-line indent.
    Paragraph(String),
    /// A line without indent (identification lines, members, the figures); wraps with a
    /// hanging indent.
    Line(String),
    /// The candidate table: STT | Họ và tên | Số phiếu bầu | Tỷ lệ % | Ghi chú.
    Candidates(Vec<[String; 5]>),
}

/// Everything printed on the minutes, already formatted.
#[derive(Debug, Clone, Default)]
pub struct CountingMinutesDoc {
    /// "Mẫu số 18/HĐBC-QH".
    pub form_number: String,
    /// Left heading cell: "TỈNH AN GIANG", "PHƯỜNG MỸ THỚI".
    pub body: [String; 2],
    pub title_lines: Vec<String>,
    pub blocks: Vec<CountingBlock>,
    /// (heading lines, name) per signature column, left to right; a column may hold several
    /// signers one under the other.
    pub signers: Vec<Vec<(String, String)>>,
    /// Until finalised the minutes are a draft, marked on every page.
    pub draft: bool,
    pub generated_at: String,
    pub data_hash: String,
}

// Page geometry in mm: the form's left margin (30) and Nghị định 30 elsewhere.
const PAGE_W: f32 = 210.0;
const PAGE_H: f32 = 297.0;
const LEFT: f32 = 30.0;
const RIGHT: f32 = 15.0;
const TOP: f32 = 20.0;
const BODY_BOTTOM: f32 = PAGE_H - 18.0;
const FOOTER_BASELINE: f32 = PAGE_H - 10.0;
const CONTENT_W: f32 = PAGE_W - LEFT - RIGHT;
const LEFT_COLUMN: (f32, f32) = (LEFT + 35.0, 70.0);
const RIGHT_COLUMN: (f32, f32) = (PAGE_W - RIGHT - 47.0, 94.0);
const INDENT: f32 = 10.0;
const GAP: f32 = 1.5;
const SIGNATURE_SPACE: f32 = 20.0;
/// Candidate table column widths, summing to the content width.
const COLUMNS: [f32; 5] = [12.0, 66.0, 27.0, 32.0, 28.0];
const CELL_PAD: f32 = 1.2;

const FORM_NUMBER: Style = Style::italic(12.0);
const BODY_NAME: Style = Style::bold(12.0);
const QUOC_HIEU: Style = Style::bold(12.0);
const TIEU_NGU: Style = Style::bold(13.0);
const TITLE: Style = Style::bold(13.0);
const DRAFT: Style = Style::bold(13.0);
const BODY: Style = Style::regular(13.0);
const TABLE: Style = Style::regular(12.0);
const TABLE_HEAD: Style = Style::bold(12.0);
const SIGNER: Style = Style::bold(12.0);
const SIGNER_NOTE: Style = Style::italic(12.0);
const FOOTER: Style = Style::regular(8.5);

const DRAFT_MARK: &str = "DỰ THẢO - BIÊN BẢN CHƯA CHỐT";

pub fn counting_minutes_pdf(doc: &CountingMinutesDoc, fonts: &Fonts) -> Result<Vec<u8>, PdfError> {
    let mut c = Canvas::new(&doc.title_lines.join(" "), fonts, PAGE_W, PAGE_H);
    c.add_page();
    let mut y = heading_block(&mut c, doc);
    for block in &doc.blocks {
        match block {
            CountingBlock::Paragraph(text) => {
                let first = c.wrap(BODY, text, CONTENT_W - INDENT);
                let head = first.first().cloned().unwrap_or_default();
                let used = head.split_whitespace().count();
                let rest: Vec<&str> = text.split_whitespace().skip(used).collect();
                y = line(&mut c, y, LEFT + INDENT, &head);
                if !rest.is_empty() {
                    for wrapped in c.wrap(BODY, &rest.join(" "), CONTENT_W) {
                        y = line(&mut c, y, LEFT, &wrapped);
                    }
                }
            }
            CountingBlock::Line(text) => {
                for (i, wrapped) in c.wrap(BODY, text, CONTENT_W - INDENT).iter().enumerate() {
                    let x = if i == 0 { LEFT } else { LEFT + INDENT };
                    y = line(&mut c, y, x, wrapped);
                }
            }
            CountingBlock::Candidates(rows) => y = candidate_table(&mut c, y, rows),
        }
        y += GAP;
    }
    signatures(&mut c, doc, y);
    decorate(&mut c, doc);
    c.finish()
}

/// Draws one body line at `y` (top of the line box), starting a page if needed; returns the
/// top of the next line.
fn line(c: &mut Canvas, mut y: f32, x: f32, text: &str) -> f32 {
    if y + BODY.pitch() > BODY_BOTTOM {
        c.add_page();
        y = TOP;
    }
    c.text(x, y + c.baseline_in_line(BODY), Align::Left, BODY, text);
    y + BODY.pitch()
}

fn heading_block(c: &mut Canvas, doc: &CountingMinutesDoc) -> f32 {
    c.text(
        PAGE_W - RIGHT,
        TOP - 8.0,
        Align::Right,
        FORM_NUMBER,
        &doc.form_number,
    );
    let heading = FormHeading {
        body: [&doc.body[0], &doc.body[1]],
        body_style: BODY_NAME,
        body_column: LEFT_COLUMN,
        quoc_hieu_style: QUOC_HIEU,
        tieu_ngu_style: TIEU_NGU,
        national_column: RIGHT_COLUMN,
        rule: 0.6,
    };
    let mut y = heading.draw(c, TOP) + 6.0;
    let centre = LEFT + CONTENT_W / 2.0;
    for title in &doc.title_lines {
        for wrapped in c.wrap(TITLE, title, CONTENT_W - 10.0) {
            y += TITLE.pitch();
            c.text(centre, y, Align::Center, TITLE, &wrapped);
        }
    }
    if doc.draft {
        y += DRAFT.pitch();
        c.text(centre, y, Align::Center, DRAFT, &format!("({DRAFT_MARK})"));
    }
    y + 4.0
}

/// Height of a table row whose cells wrap to `cells`.
fn row_height(cells: &[Vec<String>], style: Style) -> f32 {
    let lines = cells.iter().map(Vec::len).max().unwrap_or(1) as f32;
    lines * style.pitch() + 2.0 * CELL_PAD
}

fn draw_row(c: &mut Canvas, top: f32, cells: &[Vec<String>], style: Style, header: bool) -> f32 {
    let height = row_height(cells, style);
    let mut x = LEFT;
    for (i, (lines, width)) in cells.iter().zip(COLUMNS).enumerate() {
        // Numbers right-aligned, the name left-aligned, headings and STT centred.
        let (align, anchor) = match (header, i) {
            (true, _) | (false, 0) => (Align::Center, x + width / 2.0),
            (false, 2 | 3) => (Align::Right, x + width - 2.0),
            _ => (Align::Left, x + 2.0),
        };
        c.lines_in_band(lines, anchor, (top, height), align, style);
        c.line((x, top), (x, top + height), 0.5);
        x += width;
    }
    c.line((x, top), (x, top + height), 0.5);
    c.line((LEFT, top + height), (x, top + height), 0.5);
    top + height
}

fn wrap_cells(c: &Canvas, cells: &[String; 5], style: Style) -> Vec<Vec<String>> {
    cells
        .iter()
        .zip(COLUMNS)
        .map(|(text, width)| c.wrap(style, text, width - 2.0 * CELL_PAD - 1.0))
        .collect()
}

/// The candidate table; the header is repeated on each page it continues on.
fn candidate_table(c: &mut Canvas, mut y: f32, rows: &[[String; 5]]) -> f32 {
    let head = [
        "STT".to_string(),
        "Họ và tên người ứng cử".to_string(),
        "Số phiếu bầu".to_string(),
        "Tỷ lệ % so với tổng số phiếu hợp lệ".to_string(),
        "Ghi chú".to_string(),
    ];
    let head_cells = wrap_cells(c, &head, TABLE_HEAD);
    let head_height = row_height(&head_cells, TABLE_HEAD);
    let start = |c: &mut Canvas, y: &mut f32| {
        c.line((LEFT, *y), (LEFT + CONTENT_W, *y), 0.5);
        *y = draw_row(c, *y, &head_cells, TABLE_HEAD, true);
    };
    if y + head_height + TABLE.pitch() * 2.0 > BODY_BOTTOM {
        c.add_page();
        y = TOP;
    }
    start(c, &mut y);
    for row in rows {
        let cells = wrap_cells(c, row, TABLE);
        if y + row_height(&cells, TABLE) > BODY_BOTTOM {
            c.add_page();
            y = TOP;
            start(c, &mut y);
        }
        y = draw_row(c, y, &cells, TABLE, false);
    }
    y + 1.0
}

/// The signature table: each column's heading lines, room to sign, then the name; kept on one
/// page.
fn signatures(c: &mut Canvas, doc: &CountingMinutesDoc, mut y: f32) {
    let columns = doc.signers.len().max(1);
    let width = CONTENT_W / columns as f32;
    let block = |c: &Canvas, title: &str| c.wrap(SIGNER, title, width - 4.0);
    let heights: Vec<f32> = doc
        .signers
        .iter()
        .map(|column| {
            column
                .iter()
                .map(|(title, _)| {
                    (block(c, title).len() as f32 + 2.0) * SIGNER.pitch() + SIGNATURE_SPACE
                })
                .sum()
        })
        .collect();
    let height = heights.iter().cloned().fold(0.0, f32::max) + 4.0;
    if y + height > BODY_BOTTOM {
        c.add_page();
        y = TOP;
    }
    let top = y + 4.0;
    for (i, column) in doc.signers.iter().enumerate() {
        let centre = LEFT + width * (i as f32 + 0.5);
        let mut y = top;
        for (title, name) in column {
            for wrapped in block(c, title) {
                y += SIGNER.pitch();
                c.text(centre, y, Align::Center, SIGNER, &wrapped);
            }
            y += SIGNER_NOTE.pitch();
            c.text(
                centre,
                y,
                Align::Center,
                SIGNER_NOTE,
                "(Ký, ghi rõ họ và tên)",
            );
            y += SIGNATURE_SPACE;
            y += SIGNER.pitch();
            c.text(centre, y, Align::Center, SIGNER, name);
            y += 4.0;
        }
    }
}

/// The provenance footer (and the draft mark) on every page, with "page/total" from page 2.
fn decorate(c: &mut Canvas, doc: &CountingMinutesDoc) {
    let total = c.page_count();
    let provenance = format!(
        "Lập lúc {} · Mã dữ liệu {}",
        doc.generated_at, doc.data_hash
    );
    for page in 0..total {
        c.select_page(page);
        let mut footer = provenance.clone();
        if doc.draft {
            footer = format!("{DRAFT_MARK} · {footer}");
        }
        if total > 1 {
            footer = format!("{footer} · Trang {}/{total}", page + 1);
        }
        c.text(LEFT, FOOTER_BASELINE, Align::Left, FOOTER, &footer);
        if doc.draft && page > 0 {
            c.text(
                LEFT + CONTENT_W / 2.0,
                TOP - 8.0,
                Align::Center,
                DRAFT,
                DRAFT_MARK,
            );
        }
    }
}
