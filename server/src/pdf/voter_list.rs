//! DANH SÁCH CỬ TRI (Mẫu 31/HĐBC): the voter list of one polling area, A4 landscape.

use super::canvas::{Align, Canvas, Style};
use super::page::{
    landscape_heading, Page, A4_LANDSCAPE, DOC_TYPE, LANDSCAPE_RIGHT_CENTRE, SIGNER, TITLE,
};
use super::{Fonts, PdfError};

/// Everything printed on a voter list, already formatted.
#[derive(Debug, Clone, Default)]
pub struct VoterListDoc {
    /// Issuing body, first heading line: "ỦY BAN NHÂN DÂN".
    pub committee: String,
    /// Issuing body, second heading line: "PHƯỜNG MỸ THỚI".
    pub ward_line: String,
    /// "Mỹ Thới, ngày 03 tháng 02 năm 2026".
    pub place_date_line: String,
    /// "DANH SÁCH CỬ TRI" then the election lines; the first is drawn larger.
    pub title_lines: Vec<String>,
    /// "Khu vực bỏ phiếu số 3, phường Mỹ Thới, tỉnh An Giang".
    pub subtitle: String,
    /// In list order (by household).
    pub rows: Vec<VoterListRow>,
    pub totals: ListTotals,
    /// "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH".
    pub signer_title_lines: Vec<String>,
    pub signer_name: String,
    /// "27/11/2026 14:05", printed in every page footer.
    pub generated_at: String,
    /// Short fingerprint of the data the list was made from, printed in every page footer.
    pub data_hash: String,
    /// A line above the table of every page; the election-day checklist says there how far
    /// the check-ins had gone when it was printed. Empty on the official list.
    pub page_note: String,
}

/// One voter, one table row.
#[derive(Debug, Clone, Default)]
pub struct VoterListRow {
    pub stt: i64,
    pub full_name: String,
    pub birth_date: String,
    pub male: bool,
    pub female: bool,
    pub ethnicity: String,
    pub occupation: String,
    /// Wrapped to fit; leaving out the ward and province, which the subtitle already names,
    /// keeps most rows on one line.
    pub permanent_address: String,
    /// Empty when the voter has none.
    pub temporary_address: String,
    /// Votes for the National Assembly.
    pub na: bool,
    /// Votes for the provincial People's Council.
    pub province: bool,
    /// Votes for the commune-level People's Council.
    pub commune: bool,
    pub notes: String,
    /// First member of a household: a heavier rule is drawn above the row.
    pub household_start: bool,
}

impl VoterListRow {
    /// The cell texts in column order (the printed list's and the spreadsheet copies'); ticks
    /// are "x", as offices mark them by hand.
    pub fn cells(&self) -> [String; 13] {
        let tick = |on: bool| if on { "x" } else { "" }.to_owned();
        [
            self.stt.to_string(),
            self.full_name.clone(),
            self.birth_date.clone(),
            tick(self.male),
            tick(self.female),
            self.ethnicity.clone(),
            self.occupation.clone(),
            self.permanent_address.clone(),
            self.temporary_address.clone(),
            tick(self.na),
            tick(self.province),
            tick(self.commune),
            self.notes.clone(),
        ]
    }
}

/// The counts printed under the table.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ListTotals {
    pub voters: i64,
    pub men: i64,
    pub women: i64,
    pub national_assembly: i64,
    pub province_council: i64,
    pub commune_council: i64,
}

const PAGE: Page = A4_LANDSCAPE;

// The table goes down to 10 pt, the floor the practice allows.
const SUBTITLE: Style = Style::regular(13.0);
const CELL: Style = Style::regular(10.0);
const HEAD: Style = Style::bold(9.5);
const NUMBERING: Style = Style::italic(9.0);
const TOTALS: Style = Style::regular(12.0);
const PAGE_NOTE: Style = Style::bold(10.0);

/// Horizontal and vertical padding inside table cells, mm.
const PAD_X: f32 = 1.0;
const PAD_Y: f32 = 0.7;
/// Rule widths in points.
const RULE: f32 = 0.4;
const HOUSEHOLD_RULE: f32 = 1.1;
const FRAME_RULE: f32 = 0.8;
/// Room left for the handwritten signature and seal, mm.
const SIGNATURE_SPACE: f32 = 24.0;

/// Leaf columns left to right: width in mm and alignment. The widths add up to the content width.
const COLUMNS: [(f32, Align); 13] = [
    (10.0, Align::Center), // STT
    (42.0, Align::Left),   // Họ và tên
    (19.0, Align::Center), // Ngày, tháng, năm sinh
    (9.0, Align::Center),  // Nam
    (9.0, Align::Center),  // Nữ
    (13.0, Align::Left),   // Dân tộc
    (22.0, Align::Left),   // Nghề nghiệp
    (56.0, Align::Left),   // Thường trú
    (30.0, Align::Left),   // Tạm trú
    (12.0, Align::Center), // Bầu cử ĐBQH
    (9.0, Align::Center),  // HĐND tỉnh
    (9.0, Align::Center),  // HĐND xã
    (22.0, Align::Left),   // Ghi chú
];

/// The two-level column header of Mẫu 31: a heading either spans both header rows over one
/// column or spans several columns with sub-headings below it.
enum ColumnHeading {
    Single(&'static str),
    Group(&'static str, &'static [&'static str]),
}

const HEADINGS: [ColumnHeading; 10] = [
    ColumnHeading::Single("STT"),
    ColumnHeading::Single("Họ và tên"),
    ColumnHeading::Single("Ngày, tháng, năm sinh"),
    ColumnHeading::Group("Giới tính", &["Nam", "Nữ"]),
    ColumnHeading::Single("Dân tộc"),
    ColumnHeading::Single("Nghề nghiệp"),
    ColumnHeading::Group("Nơi cư trú", &["Thường trú", "Tạm trú"]),
    ColumnHeading::Single("Bầu cử ĐBQH"),
    ColumnHeading::Group("Bầu cử đại biểu HĐND", &["Tỉnh", "Xã"]),
    ColumnHeading::Single("Ghi chú"),
];

/// Renders the voter list.
pub fn voter_list_pdf(doc: &VoterListDoc, fonts: &Fonts) -> Result<Vec<u8>, PdfError> {
    let title = format!(
        "{} - {}",
        doc.title_lines.first().map_or("", String::as_str),
        doc.subtitle
    );
    let mut c = Canvas::new(&title, fonts, PAGE.width, PAGE.height);
    c.add_page();
    let mut y = heading_block(&mut c, doc);
    let mut table = TablePage::start(&mut c, y);
    for row in &doc.rows {
        let cells = row.cells();
        let lines: Vec<Vec<String>> = cells
            .iter()
            .zip(COLUMNS)
            .map(|(text, (width, _))| c.wrap(CELL, text, width - 2.0 * PAD_X))
            .collect();
        let tallest = lines.iter().map(Vec::len).max().unwrap_or(1);
        let height = tallest as f32 * CELL.pitch() + 2.0 * PAD_Y;
        // A row is never split: when it does not fit, the page is closed and the header
        // repeated on the next one.
        if table.bottom + height > PAGE.body_bottom {
            table.close(&mut c);
            c.add_page();
            table = TablePage::start(&mut c, PAGE.top);
        }
        table.row(&mut c, &lines, height, row.household_start);
    }
    table.close(&mut c);
    y = table.bottom;

    // The totals and the signature stay together, on a new page if need be.
    let closing = closing_lines(&doc.totals);
    if y + closing_height(doc, &closing) > PAGE.body_bottom {
        c.add_page();
        y = PAGE.top;
    }
    closing_block(&mut c, doc, &closing, y);

    PAGE.numbered_footers(&mut c, &doc.generated_at, &doc.data_hash);
    if !doc.page_note.is_empty() {
        page_notes(&mut c, &doc.page_note);
    }
    c.finish()
}

/// Heading columns, title and subtitle on page 1; returns where the table starts.
fn heading_block(c: &mut Canvas, doc: &VoterListDoc) -> f32 {
    let mut y = landscape_heading(c, [&doc.committee, &doc.ward_line], &doc.place_date_line);
    let centre = PAGE.left + PAGE.content_width() / 2.0;
    y += 4.0;
    for (i, line) in doc.title_lines.iter().enumerate() {
        let style = if i == 0 { DOC_TYPE } else { TITLE };
        y += style.pitch();
        c.text(centre, y, Align::Center, style, line);
    }
    for line in c.wrap(SUBTITLE, &doc.subtitle, PAGE.content_width()) {
        y += SUBTITLE.pitch();
        c.text(centre, y, Align::Center, SUBTITLE, &line);
    }
    y + 4.0
}

/// The table on one page: its header has been drawn, rows are added until it is closed.
struct TablePage {
    /// Top of the numbering row, where the full-height column rules begin.
    rules_top: f32,
    /// Bottom of the last row drawn.
    bottom: f32,
}

impl TablePage {
    /// Draws the two-level header and the numbering row with its top at `top`.
    fn start(c: &mut Canvas, top: f32) -> TablePage {
        let lefts = column_lefts();
        let text_width = |width: f32| width - 2.0 * PAD_X;

        // Wrap everything first: the row heights depend on the tallest heading.
        let mut group_lines = 1;
        let mut sub_lines = 1;
        let mut single_lines = 1;
        let mut col = 0;
        for heading in &HEADINGS {
            match heading {
                ColumnHeading::Single(label) => {
                    let n = c.wrap(HEAD, label, text_width(COLUMNS[col].0)).len();
                    single_lines = single_lines.max(n);
                    col += 1;
                }
                ColumnHeading::Group(label, subs) => {
                    let width = span_width(col, subs.len());
                    group_lines = group_lines.max(c.wrap(HEAD, label, text_width(width)).len());
                    for (i, sub) in subs.iter().enumerate() {
                        let n = c.wrap(HEAD, sub, text_width(COLUMNS[col + i].0)).len();
                        sub_lines = sub_lines.max(n);
                    }
                    col += subs.len();
                }
            }
        }
        let band = |lines: usize| lines as f32 * HEAD.pitch() + 2.0 * PAD_Y;
        let group_h = band(group_lines);
        let sub_h = band(sub_lines).max(band(single_lines) - group_h);
        let head_h = group_h + sub_h;
        let sub_top = top + group_h;

        let mut col = 0;
        for heading in &HEADINGS {
            match heading {
                ColumnHeading::Single(label) => {
                    let (width, _) = COLUMNS[col];
                    let lines = c.wrap(HEAD, label, text_width(width));
                    let x = lefts[col] + width / 2.0;
                    c.lines_in_band(&lines, x, (top, head_h), Align::Center, HEAD);
                    col += 1;
                }
                ColumnHeading::Group(label, subs) => {
                    let width = span_width(col, subs.len());
                    let lines = c.wrap(HEAD, label, text_width(width));
                    let x = lefts[col] + width / 2.0;
                    c.lines_in_band(&lines, x, (top, group_h), Align::Center, HEAD);
                    let right = lefts[col] + width;
                    c.line((lefts[col], sub_top), (right, sub_top), RULE);
                    for (i, sub) in subs.iter().enumerate() {
                        let (sub_w, _) = COLUMNS[col + i];
                        let lines = c.wrap(HEAD, sub, text_width(sub_w));
                        let x = lefts[col + i] + sub_w / 2.0;
                        c.lines_in_band(&lines, x, (sub_top, sub_h), Align::Center, HEAD);
                        if i > 0 {
                            let x = lefts[col + i];
                            c.line((x, sub_top), (x, top + head_h), RULE);
                        }
                    }
                    col += subs.len();
                }
            }
            // The rule right of this heading spans both header rows.
            if let Some(&x) = lefts.get(col) {
                c.line((x, top), (x, top + head_h), RULE);
            }
        }
        c.line(
            (PAGE.left, top),
            (PAGE.left + PAGE.content_width(), top),
            FRAME_RULE,
        );
        c.line((PAGE.left, top), (PAGE.left, top + head_h), FRAME_RULE);
        let right = PAGE.left + PAGE.content_width();
        c.line((right, top), (right, top + head_h), FRAME_RULE);

        // The numbering row "(1) (2) …" that official forms carry under the header.
        let numbers_top = top + head_h;
        c.line((PAGE.left, numbers_top), (right, numbers_top), RULE);
        let numbers_h = NUMBERING.pitch() + 2.0 * PAD_Y;
        for (i, (width, _)) in COLUMNS.iter().enumerate() {
            let label = format!("({})", i + 1);
            let x = lefts[i] + width / 2.0;
            let lines = [label];
            c.lines_in_band(
                &lines,
                x,
                (numbers_top, numbers_h),
                Align::Center,
                NUMBERING,
            );
        }
        TablePage {
            rules_top: numbers_top,
            bottom: numbers_top + numbers_h,
        }
    }

    fn row(&mut self, c: &mut Canvas, lines: &[Vec<String>], height: f32, household: bool) {
        let top = self.bottom;
        let rule = if household { HOUSEHOLD_RULE } else { RULE };
        c.line(
            (PAGE.left, top),
            (PAGE.left + PAGE.content_width(), top),
            rule,
        );
        for ((cell, (width, align)), left) in lines.iter().zip(COLUMNS).zip(column_lefts()) {
            let x = match align {
                Align::Left => left + PAD_X,
                Align::Center => left + width / 2.0,
                Align::Right => left + width - PAD_X,
            };
            c.lines_in_band(cell, x, (top, height), align, CELL);
        }
        self.bottom = top + height;
    }

    /// Draws the bottom rule and the column rules down to it.
    fn close(&self, c: &mut Canvas) {
        let right = PAGE.left + PAGE.content_width();
        c.line((PAGE.left, self.bottom), (right, self.bottom), FRAME_RULE);
        for x in column_lefts().into_iter().skip(1) {
            c.line((x, self.rules_top), (x, self.bottom), RULE);
        }
        for x in [PAGE.left, right] {
            c.line((x, self.rules_top), (x, self.bottom), FRAME_RULE);
        }
    }
}

/// Left edge of every leaf column, mm.
fn column_lefts() -> [f32; 13] {
    let mut lefts = [PAGE.left; 13];
    for i in 1..lefts.len() {
        lefts[i] = lefts[i - 1] + COLUMNS[i - 1].0;
    }
    lefts
}

fn span_width(first: usize, count: usize) -> f32 {
    COLUMNS[first..first + count].iter().map(|(w, _)| w).sum()
}

/// The summary sentences of Mẫu 31 under the table.
fn closing_lines(totals: &ListTotals) -> [String; 4] {
    [
        format!(
            "Tổng số cử tri của khu vực bỏ phiếu là: {} người; trong đó có: {} Nam; {} Nữ.",
            thousands(totals.voters),
            thousands(totals.men),
            thousands(totals.women)
        ),
        format!(
            "Cử tri tham gia bầu cử đại biểu Quốc hội: {} người;",
            thousands(totals.national_assembly)
        ),
        format!(
            "Cử tri tham gia bầu cử đại biểu Hội đồng nhân dân cấp tỉnh: {} người;",
            thousands(totals.province_council)
        ),
        format!(
            "Cử tri tham gia bầu cử đại biểu Hội đồng nhân dân cấp xã: {} người.",
            thousands(totals.commune_council)
        ),
    ]
}

/// Space above the totals and between the totals and the signature block, mm.
const CLOSING_GAP: f32 = 5.0;

fn closing_height(doc: &VoterListDoc, lines: &[String]) -> f32 {
    2.0 * CLOSING_GAP
        + lines.len() as f32 * TOTALS.pitch()
        + (doc.signer_title_lines.len() + 1) as f32 * SIGNER.pitch()
        + SIGNATURE_SPACE
}

/// The totals sentences, then the signer's title, room to sign and the signer's name, below
/// `top`; [`closing_height`] tall.
fn closing_block(c: &mut Canvas, doc: &VoterListDoc, lines: &[String], top: f32) {
    let mut y = top + CLOSING_GAP;
    for line in lines {
        y += TOTALS.pitch();
        c.text(PAGE.left + 10.0, y, Align::Left, TOTALS, line);
    }
    y += CLOSING_GAP;
    let centre = LANDSCAPE_RIGHT_CENTRE;
    for line in &doc.signer_title_lines {
        y += SIGNER.pitch();
        c.text(centre, y, Align::Center, SIGNER, line);
    }
    y += SIGNATURE_SPACE + SIGNER.pitch();
    c.text(centre, y, Align::Center, SIGNER, &doc.signer_name);
}

/// `note` in the top margin of every page.
fn page_notes(c: &mut Canvas, note: &str) {
    for page in 0..c.page_count() {
        c.select_page(page);
        c.text(PAGE.left, PAGE.top - 7.0, Align::Left, PAGE_NOTE, note);
    }
}

/// Formats a count the Vietnamese way, with dots between thousands: 6688 → "6.688".
fn thousands(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(d);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_use_dots() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(6_688), "6.688");
        assert_eq!(thousands(76_188_970), "76.188.970");
        assert_eq!(thousands(-1_234), "-1.234");
    }

    #[test]
    fn columns_fill_the_content_width() {
        let total: f32 = COLUMNS.iter().map(|(w, _)| w).sum();
        assert!(
            (total - PAGE.content_width()).abs() < 0.01,
            "{total} ≠ {}",
            PAGE.content_width()
        );
        let leaves: usize = HEADINGS
            .iter()
            .map(|h| match h {
                ColumnHeading::Single(_) => 1,
                ColumnHeading::Group(_, subs) => subs.len(),
            })
            .sum();
        assert_eq!(leaves, COLUMNS.len());
    }
}
