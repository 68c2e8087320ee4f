//! The two-column heading every official form opens with: the issuing body on the left, the
//! Quốc hiệu and Tiêu ngữ on the right, each with the drawn rule Nghị định 30/2020 requires.

use super::canvas::{Align, Canvas, Style};
use super::page;

const QUOC_HIEU: &str = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM";
const TIEU_NGU: &str = "Độc lập - Tự do - Hạnh phúc";

/// Smallest size a heading line may shrink to when its column is narrow, in points.
const MIN_SIZE: f32 = 6.0;

/// Where and how large the heading is drawn.
pub(crate) struct FormHeading<'a> {
    /// The issuing body in two lines ("ỦY BAN NHÂN DÂN", "PHƯỜNG MỸ THỚI"), both bold.
    pub body: [&'a str; 2],
    pub body_style: Style,
    /// Centre and width of the left column, mm.
    pub body_column: (f32, f32),
    pub quoc_hieu_style: Style,
    /// One step larger than the Quốc hiệu.
    pub tieu_ngu_style: Style,
    /// Centre and width of the right column, mm.
    pub national_column: (f32, f32),
    /// Thickness of the rules, points.
    pub rule: f32,
}

impl<'a> FormHeading<'a> {
    /// The heading of a full-page form, in the type sizes of Nghị định 30.
    pub(crate) fn full_page(
        body: [&'a str; 2],
        body_column: (f32, f32),
        national_column: (f32, f32),
    ) -> FormHeading<'a> {
        FormHeading {
            body,
            body_style: page::BODY_NAME,
            body_column,
            quoc_hieu_style: page::QUOC_HIEU,
            tieu_ngu_style: page::TIEU_NGU,
            national_column,
            rule: 0.6,
        }
    }

    /// Draws the heading with its top at `top` and returns the y of the rules below it.
    pub(crate) fn draw(&self, c: &mut Canvas, top: f32) -> f32 {
        let (body_centre, body_w) = self.body_column;
        let (national_centre, national_w) = self.national_column;
        let first = top + c.baseline_in_line(self.tieu_ngu_style);
        let second = first + self.tieu_ngu_style.pitch();

        let mut widest_body: f32 = 0.0;
        for (y, text) in [first, second].into_iter().zip(self.body) {
            let style = c.fit(self.body_style, text, body_w, MIN_SIZE);
            widest_body = widest_body.max(c.measure(style, text));
            c.text(body_centre, y, Align::Center, style, text);
        }
        let quoc_hieu = c.fit(self.quoc_hieu_style, QUOC_HIEU, national_w, MIN_SIZE);
        c.text(national_centre, first, Align::Center, quoc_hieu, QUOC_HIEU);
        let tieu_ngu = c.fit(self.tieu_ngu_style, TIEU_NGU, national_w, MIN_SIZE);
        c.text(national_centre, second, Align::Center, tieu_ngu, TIEU_NGU);

        // The Tiêu ngữ rule is as long as its text; the body rule 1/3 to 1/2 of the body
        // name (0.4 here), both centred. They are drawn, never typed as underscores.
        let rule_y = second + tieu_ngu.size * 0.14;
        let half_motto = c.measure(tieu_ngu, TIEU_NGU) / 2.0;
        c.line(
            (national_centre - half_motto, rule_y),
            (national_centre + half_motto, rule_y),
            self.rule,
        );
        let half_body = widest_body * 0.4 / 2.0;
        c.line(
            (body_centre - half_body, rule_y),
            (body_centre + half_body, rule_y),
            self.rule,
        );
        rule_y
    }
}
