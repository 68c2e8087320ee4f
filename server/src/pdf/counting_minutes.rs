//! The election minutes: BIÊN BẢN KẾT QUẢ KIỂM PHIẾU of a Tổ bầu cử (Mẫu 18/HĐBC-QH,
//! 23/HĐBC-HĐND) and BIÊN BẢN XÁC ĐỊNH KẾT QUẢ BẦU CỬ of a constituency (docs/domain.md §1.7). A4 portrait,
//! the form number top right, the two-column heading, the title, the identification lines and
//! narrative, the figures, the candidate table or the matrix of votes by polling area, the
//! closing paragraphs, the signature table and the closing note. Every page carries the
//! generation time and the data hash; a draft says "DỰ THẢO" on every page.

use super::canvas::{Align, Canvas, Style};
use super::heading::FormHeading;
use super::page::{provenance, Page, A4_PORTRAIT, BODY, FOOTER, TITLE};
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
    /// A bold centred heading ("SỐ PHIẾU BẦU CHO MỖI NGƯỜI ỨNG CỬ").
    Heading(String),
    /// A table whose first row is its head: a label column, one column per candidate, a
    /// notes column (the result minutes' votes by polling area).
    Matrix(Vec<Vec<String>>),
}

/// One signature block.
#[derive(Debug, Clone, Default)]
pub struct Signer {
    /// Bold heading; "\n" starts a new line ("TM. TỔ BẦU CỬ\nTỔ TRƯỞNG").
    pub title: String,
    /// Italic note under it: "(Ký, ghi rõ họ và tên)".
    pub note: String,
    pub name: String,
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
    /// Signature columns, left to right; a column may hold several signers one under the other.
    pub signers: Vec<Vec<Signer>>,
    /// Bold italic line under the signatures ("Ghi chú: Nhất thiết không được tẩy xóa …").
    pub note: Option<String>,
    /// Until finalised the minutes are a draft, marked on every page.
    pub draft: bool,
    pub generated_at: String,
    pub data_hash: String,
}

/// The form's own left margin (30 mm) and Nghị định 30 elsewhere.
const PAGE: Page = A4_PORTRAIT;
const LEFT_COLUMN: (f32, f32) = (PAGE.left + 35.0, 70.0);
const RIGHT_COLUMN: (f32, f32) = (PAGE.width - PAGE.right - 47.0, 94.0);
const INDENT: f32 = 10.0;
const GAP: f32 = 1.5;
const SIGNATURE_SPACE: f32 = 20.0;
/// Candidate table column widths, summing to the content width.
const COLUMNS: [f32; 5] = [12.0, 66.0, 27.0, 32.0, 28.0];
const CELL_PAD: f32 = 1.2;
/// Room for a line, the table head and two rows.
const TABLE_KEEP: f32 = 40.0;

const FORM_NUMBER: Style = Style::italic(12.0);
const DRAFT: Style = Style::bold(13.0);
const TABLE: Style = Style::regular(12.0);
const TABLE_HEAD: Style = Style::bold(12.0);
const SIGNER: Style = Style::bold(12.0);
const SIGNER_NOTE: Style = Style::italic(12.0);
const NOTE: Style = Style::bold_italic(12.0);
const MATRIX: Style = Style::regular(11.0);
const MATRIX_HEAD: Style = Style::bold(11.0);
/// Matrix widths of the label and notes columns; the candidates share the rest.
const MATRIX_LABEL: f32 = 38.0;
const MATRIX_NOTE: f32 = 20.0;

const DRAFT_MARK: &str = "DỰ THẢO - BIÊN BẢN CHƯA CHỐT";

pub fn counting_minutes_pdf(doc: &CountingMinutesDoc, fonts: &Fonts) -> Result<Vec<u8>, PdfError> {
    let mut c = Canvas::new(&doc.title_lines.join(" "), fonts, PAGE.width, PAGE.height);
    c.add_page();
    let mut y = heading_block(&mut c, doc);
    for (i, block) in doc.blocks.iter().enumerate() {
        // The line introducing the candidate table stays with the table's head and first rows.
        if matches!(
            doc.blocks.get(i + 1),
            Some(CountingBlock::Candidates(_) | CountingBlock::Matrix(_))
        ) && y + TABLE_KEEP > PAGE.body_bottom
        {
            c.add_page();
            y = PAGE.top;
        }
        match block {
            CountingBlock::Paragraph(text) => {
                let first = c.wrap(BODY, text, PAGE.content_width() - INDENT);
                let head = first.first().cloned().unwrap_or_default();
                let used = head.split_whitespace().count();
                let rest: Vec<&str> = text.split_whitespace().skip(used).collect();
                y = line(&mut c, y, PAGE.left + INDENT, &head);
                if !rest.is_empty() {
                    for wrapped in c.wrap(BODY, &rest.join(" "), PAGE.content_width()) {
                        y = line(&mut c, y, PAGE.left, &wrapped);
                    }
                }
            }
            CountingBlock::Line(text) => {
                for (i, wrapped) in c
                    .wrap(BODY, text, PAGE.content_width() - INDENT)
                    .iter()
                    .enumerate()
                {
                    let x = if i == 0 {
                        PAGE.left
                    } else {
                        PAGE.left + INDENT
                    };
                    y = line(&mut c, y, x, wrapped);
                }
            }
            CountingBlock::Candidates(rows) => y = candidate_table(&mut c, y, rows),
            CountingBlock::Heading(text) => {
                for wrapped in c.wrap(TABLE_HEAD, text, PAGE.content_width()) {
                    if y + TABLE_HEAD.pitch() > PAGE.body_bottom {
                        c.add_page();
                        y = PAGE.top;
                    }
                    let baseline = y + c.baseline_in_line(TABLE_HEAD);
                    c.text(
                        PAGE.left + PAGE.content_width() / 2.0,
                        baseline,
                        Align::Center,
                        TABLE_HEAD,
                        &wrapped,
                    );
                    y += TABLE_HEAD.pitch();
                }
            }
            CountingBlock::Matrix(rows) => y = matrix(&mut c, y, rows),
        }
        y += GAP;
    }
    let mut y = signatures(&mut c, doc, y);
    if let Some(note) = &doc.note {
        for wrapped in c.wrap(NOTE, note, PAGE.content_width()) {
            if y + NOTE.pitch() > PAGE.body_bottom {
                c.add_page();
                y = PAGE.top;
            }
            c.text(
                PAGE.left,
                y + c.baseline_in_line(NOTE),
                Align::Left,
                NOTE,
                &wrapped,
            );
            y += NOTE.pitch();
        }
    }
    decorate(&mut c, doc);
    c.finish()
}

/// Draws one body line at `y` (top of the line box), starting a page if needed; returns the
/// top of the next line.
fn line(c: &mut Canvas, mut y: f32, x: f32, text: &str) -> f32 {
    if y + BODY.pitch() > PAGE.body_bottom {
        c.add_page();
        y = PAGE.top;
    }
    c.text(x, y + c.baseline_in_line(BODY), Align::Left, BODY, text);
    y + BODY.pitch()
}

fn heading_block(c: &mut Canvas, doc: &CountingMinutesDoc) -> f32 {
    c.text(
        PAGE.width - PAGE.right,
        PAGE.top - 8.0,
        Align::Right,
        FORM_NUMBER,
        &doc.form_number,
    );
    let heading = FormHeading::full_page([&doc.body[0], &doc.body[1]], LEFT_COLUMN, RIGHT_COLUMN);
    let mut y = heading.draw(c, PAGE.top) + 6.0;
    let centre = PAGE.left + PAGE.content_width() / 2.0;
    for title in &doc.title_lines {
        for wrapped in c.wrap(TITLE, title, PAGE.content_width() - 10.0) {
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
    let mut x = PAGE.left;
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
    c.line((PAGE.left, top + height), (x, top + height), 0.5);
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
        c.line((PAGE.left, *y), (PAGE.left + PAGE.content_width(), *y), 0.5);
        *y = draw_row(c, *y, &head_cells, TABLE_HEAD, true);
    };
    if y + head_height + TABLE.pitch() * 2.0 > PAGE.body_bottom {
        c.add_page();
        y = PAGE.top;
    }
    start(c, &mut y);
    for row in rows {
        let cells = wrap_cells(c, row, TABLE);
        if y + row_height(&cells, TABLE) > PAGE.body_bottom {
            c.add_page();
            y = PAGE.top;
            start(c, &mut y);
        }
        y = draw_row(c, y, &cells, TABLE, false);
    }
    y + 1.0
}

/// The votes by polling area: the head (wrapped candidate names) repeated on each page the
/// table continues on; figures right-aligned.
fn matrix(c: &mut Canvas, mut y: f32, rows: &[Vec<String>]) -> f32 {
    let Some((head, body)) = rows.split_first() else {
        return y;
    };
    let middle = head.len().saturating_sub(2).max(1) as f32;
    let widths: Vec<f32> = (0..head.len())
        .map(|i| match i {
            0 => MATRIX_LABEL,
            i if i + 1 == head.len() => MATRIX_NOTE,
            _ => (PAGE.content_width() - MATRIX_LABEL - MATRIX_NOTE) / middle,
        })
        .collect();
    let wrap = |c: &Canvas, row: &[String], style: Style| -> Vec<Vec<String>> {
        row.iter()
            .zip(&widths)
            .map(|(text, width)| c.wrap(style, text, width - 2.0 * CELL_PAD - 1.0))
            .collect()
    };
    let draw = |c: &mut Canvas, top: f32, cells: &[Vec<String>], style: Style, header: bool| {
        let height = row_height(cells, style);
        let mut x = PAGE.left;
        for (i, (lines, width)) in cells.iter().zip(&widths).enumerate() {
            let last = i + 1 == cells.len();
            let (align, anchor) = match (header, i) {
                (true, _) => (Align::Center, x + width / 2.0),
                (false, 0) => (Align::Left, x + 2.0),
                _ if last => (Align::Left, x + 2.0),
                _ => (Align::Right, x + width - 2.0),
            };
            c.lines_in_band(lines, anchor, (top, height), align, style);
            c.line((x, top), (x, top + height), 0.5);
            x += width;
        }
        c.line((x, top), (x, top + height), 0.5);
        c.line((PAGE.left, top + height), (x, top + height), 0.5);
        top + height
    };
    let head_cells = wrap(c, head, MATRIX_HEAD);
    let start = |c: &mut Canvas, y: &mut f32| {
        c.line((PAGE.left, *y), (PAGE.left + PAGE.content_width(), *y), 0.5);
        *y = draw(c, *y, &head_cells, MATRIX_HEAD, true);
    };
    if y + row_height(&head_cells, MATRIX_HEAD) + MATRIX.pitch() * 2.0 > PAGE.body_bottom {
        c.add_page();
        y = PAGE.top;
    }
    start(c, &mut y);
    for row in body {
        let cells = wrap(c, row, MATRIX);
        if y + row_height(&cells, MATRIX) > PAGE.body_bottom {
            c.add_page();
            y = PAGE.top;
            start(c, &mut y);
        }
        y = draw(c, y, &cells, MATRIX, false);
    }
    y + 1.0
}

/// The signature table, row by row: the headings of a row's signers, room to sign, then the
/// names on one line across the columns; kept on one page. Returns the top of what follows.
fn signatures(c: &mut Canvas, doc: &CountingMinutesDoc, mut y: f32) -> f32 {
    let columns = doc.signers.len().max(1);
    let width = PAGE.content_width() / columns as f32;
    let heading = |c: &Canvas, title: &str| -> Vec<String> {
        title
            .split('\n')
            .flat_map(|part| c.wrap(SIGNER, part, width - 4.0))
            .collect()
    };
    let note = |c: &Canvas, text: &str| c.wrap(SIGNER_NOTE, text, width - 4.0);
    let rows = doc.signers.iter().map(Vec::len).max().unwrap_or(0);
    for row in 0..rows {
        let in_row: Vec<(usize, &Signer)> = doc
            .signers
            .iter()
            .enumerate()
            .filter_map(|(i, column)| column.get(row).map(|s| (i, s)))
            .collect();
        let head_height = in_row
            .iter()
            .map(|(_, s)| {
                heading(c, &s.title).len() as f32 * SIGNER.pitch()
                    + note(c, &s.note).len() as f32 * SIGNER_NOTE.pitch()
            })
            .fold(0.0, f32::max);
        let height = 4.0 + head_height + SIGNATURE_SPACE + SIGNER.pitch();
        if y + height > PAGE.body_bottom {
            c.add_page();
            y = PAGE.top;
        }
        let top = y + 4.0;
        for (i, signer) in in_row {
            let centre = PAGE.left + width * (i as f32 + 0.5);
            let mut line_y = top;
            for text in heading(c, &signer.title) {
                line_y += SIGNER.pitch();
                c.text(centre, line_y, Align::Center, SIGNER, &text);
            }
            for text in note(c, &signer.note) {
                line_y += SIGNER_NOTE.pitch();
                c.text(centre, line_y, Align::Center, SIGNER_NOTE, &text);
            }
            // Names of one row share a line, whatever the length of their headings.
            let name_y = top + head_height + SIGNATURE_SPACE + SIGNER.pitch();
            c.text(centre, name_y, Align::Center, SIGNER, &signer.name);
        }
        y += height + 2.0;
    }
    y
}

/// The provenance footer (and the draft mark) on every page, with "page/total" from page 2.
fn decorate(c: &mut Canvas, doc: &CountingMinutesDoc) {
    let total = c.page_count();
    let provenance = provenance(&doc.generated_at, &doc.data_hash);
    for page in 0..total {
        c.select_page(page);
        let mut footer = provenance.clone();
        if doc.draft {
            footer = format!("{DRAFT_MARK} · {footer}");
        }
        if total > 1 {
            footer = format!("{footer} · Trang {}/{total}", page + 1);
        }
        c.text(
            PAGE.left,
            PAGE.footer_baseline,
            Align::Left,
            FOOTER,
            &footer,
        );
        if doc.draft && page > 0 {
            c.text(
                PAGE.left + PAGE.content_width() / 2.0,
                PAGE.top - 8.0,
                Align::Center,
                DRAFT,
                DRAFT_MARK,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signer(title: &str, name: &str) -> Signer {
        Signer {
            title: title.into(),
            note: "(Ký, ghi rõ họ và tên)".into(),
            name: name.into(),
        }
    }

    fn doc(candidates: usize, draft: bool) -> CountingMinutesDoc {
        let rows = (1..=candidates)
            .map(|i| {
                [
                    i.to_string(),
                    format!("Nguyễn Thị Ánh Dương {i}"),
                    "5.000".to_string(),
                    "76,27%".to_string(),
                    String::new(),
                ]
            })
            .collect();
        CountingMinutesDoc {
            form_number: "Mẫu số 18/HĐBC-QH".into(),
            body: ["TỈNH AN GIANG".into(), "PHƯỜNG MỸ THỚI".into()],
            title_lines: vec![
                "BIÊN BẢN KẾT QUẢ KIỂM PHIẾU BẦU CỬ ĐẠI BIỂU QUỐC HỘI KHÓA XVI CỦA TỔ BẦU CỬ"
                    .into(),
            ],
            blocks: vec![
                CountingBlock::Line("Khu vực bỏ phiếu số: 3 (Khóm Thới An).".into()),
                CountingBlock::Paragraph("Kết quả cuộc bầu cử như sau: ".repeat(8)),
                CountingBlock::Line(
                    "- Số phiếu hợp lệ: 6.556 phiếu. Tỷ lệ so với tổng số phiếu thu vào: 99,00%"
                        .into(),
                ),
                CountingBlock::Candidates(rows),
            ],
            signers: vec![
                vec![
                    signer("CỬ TRI THỨ NHẤT CHỨNG KIẾN VIỆC KIỂM PHIẾU", "Phạm Thị Lụa"),
                    signer("CỬ TRI THỨ HAI CHỨNG KIẾN VIỆC KIỂM PHIẾU", "Đỗ Văn Tường"),
                ],
                vec![signer("TM. TỔ BẦU CỬ\nTỔ TRƯỞNG", "Võ Thị Thu Hà")],
                vec![signer("THƯ KÝ TỔ BẦU CỬ", "Lê Quốc Bảo")],
            ],
            note: None,
            draft,
            generated_at: "15/03/2026 21:05".into(),
            data_hash: "0123456789ab".into(),
        }
    }

    fn pages_text(bytes: &[u8], name: &str) -> Option<Vec<String>> {
        let file = std::env::temp_dir().join(name);
        std::fs::write(&file, bytes).expect("write");
        let output = std::process::Command::new("pdftotext")
            .arg(&file)
            .arg("-")
            .output()
            .ok()?;
        let text = String::from_utf8(output.stdout).expect("utf-8");
        Some(
            text.split('\u{c}')
                .filter(|p| !p.trim().is_empty())
                .map(str::to_string)
                .collect(),
        )
    }

    #[test]
    fn every_page_of_a_long_draft_carries_the_mark_the_time_and_the_hash() {
        let fonts = super::super::Fonts::load(None).expect("Liberation Serif must be installed");
        let bytes = counting_minutes_pdf(&doc(40, true), &fonts).expect("pdf");
        let Some(pages) = pages_text(&bytes, "cutri-counting-minutes-test.pdf") else {
            eprintln!("NOTE: pdftotext not installed; page text check SKIPPED");
            return;
        };
        assert!(pages.len() >= 2, "40 candidates need a second page");
        for (i, page) in pages.iter().enumerate() {
            assert!(page.contains("DỰ THẢO"), "page {}: {page}", i + 1);
            assert!(page.contains("Lập lúc 15/03/2026 21:05"), "page {}", i + 1);
            assert!(page.contains("Mã dữ liệu 0123456789ab"), "page {}", i + 1);
            // The table header is repeated where the table continues.
            assert!(page.contains("STT"), "page {}", i + 1);
        }
        assert!(pages[0].contains("Mẫu số 18/HĐBC-QH"));
        assert!(pages.last().is_some_and(|p| p.contains("Lê Quốc Bảo")));
    }

    #[test]
    fn final_minutes_have_no_draft_mark() {
        let fonts = super::super::Fonts::load(None).expect("Liberation Serif must be installed");
        let bytes = counting_minutes_pdf(&doc(3, false), &fonts).expect("pdf");
        let Some(pages) = pages_text(&bytes, "cutri-counting-minutes-final.pdf") else {
            return;
        };
        assert_eq!(pages.len(), 1);
        assert!(!pages[0].contains("DỰ THẢO"));
    }
}
