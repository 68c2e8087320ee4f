//! BÁO CÁO TÌNH HÌNH CỬ TRI ĐI BẦU: the ward's turnout at each official report time, one table
//! per report time (polling areas and the ward total; per ballot level: voters on the list,
//! voters who voted, percentage). A4 landscape: up to nine figure columns do not fit portrait.

use super::canvas::{Align, Canvas, Style};
use super::page::{
    landscape_heading, Page, A4_LANDSCAPE, DOC_TYPE, LANDSCAPE_RIGHT_CENTRE, SIGNER, TITLE,
};
use super::{Fonts, PdfError};

/// Everything printed on the report, already formatted.
#[derive(Debug, Clone, Default)]
pub struct TurnoutReportDoc {
    /// Issuing body, two lines: "ỦY BAN NHÂN DÂN", "PHƯỜNG MỸ THỚI".
    pub body: [String; 2],
    /// "Mỹ Thới, ngày 15 tháng 3 năm 2026".
    pub place_date_line: String,
    /// "BÁO CÁO TÌNH HÌNH CỬ TRI ĐI BẦU" (drawn larger), then the election.
    pub title_lines: Vec<String>,
    /// "Ngày bầu cử: 15/03/2026 · Giờ báo cáo: 09:00, 11:00, …".
    pub subtitle: String,
    /// Ballot levels of the election, in form order: "Bầu cử ĐBQH", …
    pub levels: Vec<String>,
    /// One per report time with figures, in time order.
    pub sections: Vec<ReportSection>,
    /// Printed instead of the tables when no report time has figures yet.
    pub empty_note: String,
    /// The ward's turnout at each report time with figures, for the chart under the tables:
    /// (time "09:00", share in hundredths of a percent, the share as printed "16,67%").
    pub chart: Vec<(String, i64, String)>,
    /// The chart's caption: "Tỷ lệ cử tri đi bầu toàn phường theo giờ báo cáo".
    pub chart_title: String,
    /// "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH".
    pub signer_title_lines: Vec<String>,
    /// "15/03/2026 14:05", printed in every page footer.
    pub generated_at: String,
    /// Short fingerprint of the figures, printed in every page footer.
    pub data_hash: String,
}

#[derive(Debug, Clone, Default)]
pub struct ReportSection {
    /// "1. Lúc 09:00 (số liệu chốt lúc 09:00 15/03/2026)".
    pub heading: String,
    pub rows: Vec<ReportRow>,
}

#[derive(Debug, Clone, Default)]
pub struct ReportRow {
    /// "KVBP số 1 — Khóm Thới An", or "Toàn phường/xã".
    pub name: String,
    /// Per level: [số cử tri, đã bỏ phiếu, tỷ lệ].
    pub cells: Vec<[String; 3]>,
    /// The ward total: set in bold under a heavier rule.
    pub total: bool,
}

const PAGE: Page = A4_LANDSCAPE;

const SUBTITLE: Style = Style::regular(13.0);
const SECTION: Style = Style::bold(13.0);
const CELL: Style = Style::regular(11.0);
const CELL_TOTAL: Style = Style::bold(11.0);
const HEAD: Style = Style::bold(10.0);

const PAD_X: f32 = 1.2;
const PAD_Y: f32 = 0.8;
const RULE: f32 = 0.4;
const FRAME_RULE: f32 = 0.8;
const SIGNATURE_SPACE: f32 = 24.0;
const SUB_HEADS: [&str; 3] = ["Số cử tri", "Đã bỏ phiếu", "Tỷ lệ"];

/// Column widths: the area name, then three figures per level.
fn columns(levels: usize) -> (f32, f32) {
    let figures = 3 * levels.max(1);
    let figure_w = ((PAGE.content_width() - 70.0) / figures as f32).min(32.0);
    (PAGE.content_width() - figure_w * figures as f32, figure_w)
}

/// Renders the report.
pub fn turnout_report_pdf(doc: &TurnoutReportDoc, fonts: &Fonts) -> Result<Vec<u8>, PdfError> {
    let mut c = Canvas::new(&doc.title_lines.join(" - "), fonts, PAGE.width, PAGE.height);
    c.add_page();
    let mut y = heading_block(&mut c, doc);
    if doc.sections.is_empty() {
        y += SUBTITLE.pitch();
        c.text(PAGE.left, y, Align::Left, SUBTITLE, &doc.empty_note);
        y += 2.0;
    }
    for section in &doc.sections {
        let head_h = table_head_height(&c, doc.levels.len());
        let first_row = row_height(&c, doc.levels.len(), section.rows.first());
        // The section heading stays with the table header and its first row.
        if y + 3.0 + SECTION.pitch() + head_h + first_row > PAGE.body_bottom {
            c.add_page();
            y = PAGE.top;
        }
        y += 3.0 + SECTION.pitch();
        c.text(PAGE.left, y - 1.5, Align::Left, SECTION, &section.heading);
        let mut top = y;
        y = table_head(&mut c, &doc.levels, top);
        for row in &section.rows {
            let height = row_height(&c, doc.levels.len(), Some(row));
            if y + height > PAGE.body_bottom {
                close_table(&mut c, doc.levels.len(), top, y);
                c.add_page();
                top = PAGE.top;
                y = table_head(&mut c, &doc.levels, top);
            }
            draw_row(&mut c, doc.levels.len(), row, y, height);
            y += height;
        }
        close_table(&mut c, doc.levels.len(), top, y);
    }
    let mut signer_y = if doc.chart.is_empty() {
        let signer_h =
            4.0 + (doc.signer_title_lines.len() + 1) as f32 * SIGNER.pitch() + SIGNATURE_SPACE;
        if y + signer_h > PAGE.body_bottom {
            c.add_page();
            y = PAGE.top;
        }
        y
    } else {
        if y + CHART_BLOCK > PAGE.body_bottom {
            c.add_page();
            y = PAGE.top;
        }
        // The signature sits beside the chart, in the right column the chart leaves free,
        // rather than alone on a page of its own.
        let beside = y;
        chart(&mut c, &doc.chart_title, &doc.chart, y + 4.0);
        beside
    };
    signer_y += 4.0;
    for line in &doc.signer_title_lines {
        signer_y += SIGNER.pitch();
        c.text(
            LANDSCAPE_RIGHT_CENTRE,
            signer_y,
            Align::Center,
            SIGNER,
            line,
        );
    }
    PAGE.numbered_footers(&mut c, &doc.generated_at, &doc.data_hash);
    c.finish()
}

/// The chart's plot: height and width (mm), and the room it takes with caption and labels.
const CHART_H: f32 = 55.0;
/// Ends left of the signature column (`LANDSCAPE_RIGHT_CENTRE`).
const CHART_W: f32 = 140.0;
const CHART_BLOCK: f32 = CHART_H + 22.0;
const CHART_LABEL: Style = Style::regular(10.0);

/// The ward's turnout over the report times as a line on a 0–100 % scale, each point with its
/// share, as the results page draws it.
fn chart(c: &mut Canvas, title: &str, points: &[(String, i64, String)], top: f32) {
    let caption_y = top + SECTION.pitch();
    c.text(PAGE.left, caption_y, Align::Left, SECTION, title);
    let plot_top = caption_y + 4.0;
    let left = PAGE.left + 14.0;
    let bottom = plot_top + CHART_H;
    let y_of = |hundredths: i64| bottom - CHART_H * (hundredths.clamp(0, 10_000) as f32 / 10_000.0);
    let x_of = |index: usize| {
        if points.len() <= 1 {
            left + CHART_W / 2.0
        } else {
            left + CHART_W * index as f32 / (points.len() - 1) as f32
        }
    };
    for percent in [0, 25, 50, 75, 100] {
        let y = y_of(percent * 100);
        if percent == 0 {
            c.line((left, y), (left + CHART_W, y), RULE);
        } else {
            c.dashed_line((left, y), (left + CHART_W, y));
        }
        c.text(
            left - 2.0,
            y + 1.2,
            Align::Right,
            CHART_LABEL,
            &format!("{percent}%"),
        );
    }
    c.line((left, plot_top), (left, bottom), RULE);
    let at: Vec<(f32, f32)> = points
        .iter()
        .enumerate()
        .map(|(i, (_, hundredths, _))| (x_of(i), y_of(*hundredths)))
        .collect();
    for pair in at.windows(2) {
        c.line(pair[0], pair[1], FRAME_RULE);
    }
    let marks: Vec<(f32, f32, f32, f32)> = at
        .iter()
        .map(|(x, y)| (x - 0.9, y - 0.9, 1.8, 1.8))
        .collect();
    c.fill_rects(&marks);
    for ((label, _, share), (x, y)) in points.iter().zip(&at) {
        c.text(*x, y - 2.0, Align::Center, CHART_LABEL, share);
        c.text(*x, bottom + 4.5, Align::Center, CHART_LABEL, label);
    }
}

fn heading_block(c: &mut Canvas, doc: &TurnoutReportDoc) -> f32 {
    let mut y = landscape_heading(c, [&doc.body[0], &doc.body[1]], &doc.place_date_line);
    let centre = PAGE.left + PAGE.content_width() / 2.0;
    y += 4.0;
    for (i, line) in doc.title_lines.iter().enumerate() {
        let style = if i == 0 { DOC_TYPE } else { TITLE };
        for line in c.wrap(style, line, PAGE.content_width()) {
            y += style.pitch();
            c.text(centre, y, Align::Center, style, &line);
        }
    }
    for line in c.wrap(SUBTITLE, &doc.subtitle, PAGE.content_width()) {
        y += SUBTITLE.pitch();
        c.text(centre, y, Align::Center, SUBTITLE, &line);
    }
    y + 2.0
}

fn band(lines: usize, style: Style) -> f32 {
    lines as f32 * style.pitch() + 2.0 * PAD_Y
}

fn table_head_height(c: &Canvas, levels: usize) -> f32 {
    let (_, figure_w) = columns(levels);
    let sub_lines = SUB_HEADS
        .iter()
        .map(|h| c.wrap(HEAD, h, figure_w - 2.0 * PAD_X).len())
        .max()
        .unwrap_or(1);
    band(1, HEAD) + band(sub_lines, HEAD)
}

/// The two-row header: "Khu vực bỏ phiếu" over both rows, each level over its three figures.
/// Returns the y under it.
fn table_head(c: &mut Canvas, levels: &[String], top: f32) -> f32 {
    let (name_w, figure_w) = columns(levels.len());
    let head_h = table_head_height(c, levels.len());
    let group_h = band(1, HEAD);
    let right = PAGE.left + PAGE.content_width();
    c.line((PAGE.left, top), (right, top), FRAME_RULE);
    let lines = c.wrap(HEAD, "Khu vực bỏ phiếu", name_w - 2.0 * PAD_X);
    c.lines_in_band(
        &lines,
        PAGE.left + name_w / 2.0,
        (top, head_h),
        Align::Center,
        HEAD,
    );
    for (i, level) in levels.iter().enumerate() {
        let left = PAGE.left + name_w + 3.0 * figure_w * i as f32;
        let style = c.fit(HEAD, level, 3.0 * figure_w - 2.0 * PAD_X, 7.0);
        c.lines_in_band(
            std::slice::from_ref(level),
            left + 1.5 * figure_w,
            (top, group_h),
            Align::Center,
            style,
        );
        c.line(
            (left, top + group_h),
            (left + 3.0 * figure_w, top + group_h),
            RULE,
        );
        for (j, sub) in SUB_HEADS.iter().enumerate() {
            let x = left + figure_w * j as f32;
            let lines = c.wrap(HEAD, sub, figure_w - 2.0 * PAD_X);
            c.lines_in_band(
                &lines,
                x + figure_w / 2.0,
                (top + group_h, head_h - group_h),
                Align::Center,
                HEAD,
            );
        }
    }
    top + head_h
}

fn row_height(c: &Canvas, levels: usize, row: Option<&ReportRow>) -> f32 {
    let (name_w, _) = columns(levels);
    let lines = row.map_or(1, |r| c.wrap(CELL, &r.name, name_w - 2.0 * PAD_X).len());
    band(lines, CELL)
}

fn draw_row(c: &mut Canvas, levels: usize, row: &ReportRow, top: f32, height: f32) {
    let (name_w, figure_w) = columns(levels);
    let style = if row.total { CELL_TOTAL } else { CELL };
    let rule = if row.total { FRAME_RULE } else { RULE };
    c.line(
        (PAGE.left, top),
        (PAGE.left + PAGE.content_width(), top),
        rule,
    );
    let lines = c.wrap(style, &row.name, name_w - 2.0 * PAD_X);
    c.lines_in_band(&lines, PAGE.left + PAD_X, (top, height), Align::Left, style);
    for (i, cells) in row.cells.iter().enumerate().take(levels) {
        for (j, text) in cells.iter().enumerate() {
            let right = PAGE.left + name_w + figure_w * (3 * i + j + 1) as f32 - PAD_X;
            c.lines_in_band(
                std::slice::from_ref(text),
                right,
                (top, height),
                Align::Right,
                style,
            );
        }
    }
}

/// The bottom rule and the column rules of a table from `top` to `bottom`.
fn close_table(c: &mut Canvas, levels: usize, top: f32, bottom: f32) {
    let (name_w, figure_w) = columns(levels);
    let right = PAGE.left + PAGE.content_width();
    c.line((PAGE.left, bottom), (right, bottom), FRAME_RULE);
    let group_h = band(1, HEAD);
    for k in 0..=(3 * levels.max(1)) {
        let x = PAGE.left + name_w + figure_w * k as f32;
        // Inside a level group the rules start under the level's name.
        let from = if k % 3 == 0 { top } else { top + group_h };
        c.line((x, from), (x, bottom), RULE);
    }
    for x in [PAGE.left, right] {
        c.line((x, top), (x, bottom), FRAME_RULE);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn long_report() -> TurnoutReportDoc {
        let row = |name: String, total: bool| ReportRow {
            name,
            cells: vec![["6.688".into(), "6.622".into(), "99,01%".into()]; 3],
            total,
        };
        TurnoutReportDoc {
            body: ["ỦY BAN NHÂN DÂN".into(), "PHƯỜNG MỸ THỚI".into()],
            place_date_line: "Mỹ Thới, ngày 15 tháng 3 năm 2026".into(),
            title_lines: vec![
                "BÁO CÁO TÌNH HÌNH CỬ TRI ĐI BẦU".into(),
                "Bầu cử ĐBQH khóa XVI và HĐND các cấp".into(),
            ],
            subtitle: "Ngày bầu cử: 15/03/2026".into(),
            levels: vec!["Quốc hội".into(), "HĐND tỉnh".into(), "HĐND xã".into()],
            sections: ["09:00", "11:00", "14:00", "16:00", "19:00"]
                .iter()
                .enumerate()
                .map(|(i, time)| ReportSection {
                    heading: format!("{}. Lúc {time}", i + 1),
                    rows: (1..=18)
                        .map(|n| row(format!("KVBP số {n} — Khóm Bình Đức {n}"), false))
                        .chain([row("Toàn phường/xã".into(), true)])
                        .collect(),
                })
                .collect(),
            empty_note: String::new(),
            chart: [
                ("09:00", 2_150),
                ("11:00", 5_840),
                ("14:00", 8_125),
                ("16:00", 9_530),
                ("19:00", 9_877),
            ]
            .iter()
            .map(|(time, share)| {
                let printed = format!("{},{:02}%", share / 100, share % 100);
                (time.to_string(), *share, printed)
            })
            .collect(),
            chart_title: "Biểu đồ tỷ lệ cử tri đi bầu toàn phường theo giờ báo cáo".into(),
            signer_title_lines: vec!["TM. ỦY BAN NHÂN DÂN".into(), "CHỦ TỊCH".into()],
            generated_at: "15/03/2026 19:05".into(),
            data_hash: "0123456789ab".into(),
        }
    }

    /// Every page carries the provenance footer and its number; a table that continues on a
    /// new page repeats its header.
    #[test]
    fn a_long_report_breaks_into_numbered_pages() {
        let fonts = Fonts::load(None).expect("Liberation Serif must be installed for tests");
        let bytes = turnout_report_pdf(&long_report(), &fonts).expect("rendered");
        assert!(bytes.starts_with(b"%PDF"));
        let dir = std::env::temp_dir().join(format!("cutri-turnout-pdf-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        let file = dir.join("report.pdf");
        std::fs::write(&file, &bytes).expect("write");
        let output = std::process::Command::new("pdftotext")
            .arg("-layout")
            .arg(&file)
            .arg("-")
            .output();
        let _ = std::fs::remove_dir_all(&dir);
        let Ok(output) = output else {
            eprintln!("NOTE: pdftotext not installed; page check SKIPPED");
            return;
        };
        let text = String::from_utf8(output.stdout).expect("utf-8");
        let pages: Vec<&str> = text
            .split('\u{c}')
            .filter(|p| !p.trim().is_empty())
            .collect();
        assert!(pages.len() >= 3, "{} pages", pages.len());
        for (i, page) in pages.iter().enumerate() {
            assert!(
                page.contains(&format!("Trang {}/{}", i + 1, pages.len())),
                "page {}:\n{page}",
                i + 1
            );
            assert!(page.contains("Mã dữ liệu 0123456789ab"), "page {}", i + 1);
            if page.contains("KVBP số") {
                assert!(
                    page.contains("Khu vực bỏ phiếu"),
                    "page {} lacks the header",
                    i + 1
                );
            }
        }
        assert_eq!(text.matches("Toàn phường/xã").count(), 5);
        assert_eq!(text.matches("99,01%").count(), 5 * 19 * 3);
        // The chart after the tables: its caption, every point's share, the scale.
        let last = pages.last().expect("a page");
        assert!(
            last.contains("Biểu đồ tỷ lệ cử tri đi bầu toàn phường theo giờ báo cáo"),
            "{last}"
        );
        for share in [
            "21,50%", "58,40%", "81,25%", "95,30%", "98,77%", "100%", "75%",
        ] {
            assert_eq!(last.matches(share).count(), 1, "{share} once on:\n{last}");
        }
    }

    #[test]
    fn columns_fill_the_content_width() {
        for levels in 1..=3 {
            let (name_w, figure_w) = columns(levels);
            let total = name_w + figure_w * (3 * levels) as f32;
            assert!(
                (total - PAGE.content_width()).abs() < 0.01,
                "{levels}: {total}"
            );
            assert!(
                name_w >= 70.0 && figure_w >= 20.0,
                "{levels}: {name_w} {figure_w}"
            );
        }
    }
}
