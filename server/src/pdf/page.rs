//! The page every official document is set on, defined once for all renderers: the A4 sheet
//! with the margins of Nghị định 30/2020 and the type sizes it prescribes for the heading, the
//! title, the body, the signature and the footer.

use super::canvas::{Align, Canvas, Style};
use super::heading::FormHeading;

/// A sheet and the frame of its text, mm from the top-left corner.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Page {
    pub width: f32,
    pub height: f32,
    pub left: f32,
    pub right: f32,
    pub top: f32,
    /// Lowest baseline of the body; below it only the footer.
    pub body_bottom: f32,
    /// Baseline of the footer (generation time, data hash).
    pub footer_baseline: f32,
}

impl Page {
    pub(crate) const fn content_width(self) -> f32 {
        self.width - self.left - self.right
    }

    /// The provenance on the left and "Trang X/Y" on the right of every page.
    pub(crate) fn numbered_footers(self, c: &mut Canvas, generated_at: &str, data_hash: &str) {
        let total = c.page_count();
        let provenance = provenance(generated_at, data_hash);
        for page in 0..total {
            c.select_page(page);
            c.text(
                self.left,
                self.footer_baseline,
                Align::Left,
                FOOTER,
                &provenance,
            );
            let number = format!("Trang {}/{}", page + 1, total);
            c.text(
                self.width - self.right,
                self.footer_baseline,
                Align::Right,
                FOOTER,
                &number,
            );
        }
    }
}

/// "Lập lúc … · Mã dữ liệu …": when a paper was made and from which data, so a copy can be
/// matched to the data it was printed from.
pub(crate) fn provenance(generated_at: &str, data_hash: &str) -> String {
    format!("Lập lúc {generated_at} · Mã dữ liệu {data_hash}")
}

/// A4 portrait: the binding margin of 30 mm on the left, 15 right, 20 top.
pub(crate) const A4_PORTRAIT: Page = Page {
    width: 210.0,
    height: 297.0,
    left: 30.0,
    right: 15.0,
    top: 20.0,
    body_bottom: 297.0 - 18.0,
    footer_baseline: 297.0 - 10.0,
};

/// A4 landscape. A landscape page bound with portrait ones is bound along its top edge, so the
/// wide binding margin goes to the top and the left one stays narrow to leave room for the
/// columns.
pub(crate) const A4_LANDSCAPE: Page = Page {
    width: 297.0,
    height: 210.0,
    left: 20.0,
    right: 15.0,
    top: 20.0,
    body_bottom: 210.0 - 18.0,
    footer_baseline: 210.0 - 9.0,
};

/// Centre of a landscape form's Quốc hiệu column, under which the place and date and the
/// signature also sit.
pub(crate) const LANDSCAPE_RIGHT_CENTRE: f32 = A4_LANDSCAPE.width - A4_LANDSCAPE.right - 70.0;

/// The heading of a landscape form and the place and date under its Quốc hiệu; returns the
/// baseline of the place and date.
pub(crate) fn landscape_heading(c: &mut Canvas, body: [&str; 2], place_date_line: &str) -> f32 {
    let heading = FormHeading::full_page(
        body,
        (A4_LANDSCAPE.left + 45.0, 90.0),
        (LANDSCAPE_RIGHT_CENTRE, 130.0),
    );
    let rule_y = heading.draw(c, A4_LANDSCAPE.top);
    let y = rule_y + 2.0 + PLACE_DATE.pitch();
    c.text(
        LANDSCAPE_RIGHT_CENTRE,
        y,
        Align::Center,
        PLACE_DATE,
        place_date_line,
    );
    y
}

// Type sizes of Nghị định 30: Quốc hiệu 12 pt and the Tiêu ngữ one step larger, the issuing
// body 12 pt, the document type 14 pt, its title and the body 13 pt.
pub(crate) const QUOC_HIEU: Style = Style::bold(12.0);
pub(crate) const TIEU_NGU: Style = Style::bold(13.0);
pub(crate) const BODY_NAME: Style = Style::bold(12.0);
pub(crate) const PLACE_DATE: Style = Style::italic(13.0);
pub(crate) const DOC_TYPE: Style = Style::bold(14.0);
pub(crate) const TITLE: Style = Style::bold(13.0);
pub(crate) const BODY: Style = Style::regular(13.0);
pub(crate) const SIGNER: Style = Style::bold(13.0);
/// The generation time and data hash at the foot of every page: small, out of the way.
pub(crate) const FOOTER: Style = Style::regular(8.5);
