//! THẺ CỬ TRI (Mẫu 10/HĐBC): voter cards, A6 landscape, four to an A4 sheet.

use qrcode::{Color as Module, QrCode};

use super::canvas::{Align, Canvas, Style};
use super::heading::FormHeading;
use super::page::{provenance, Page, A4_LANDSCAPE};
use super::{Fonts, PdfError};

/// Everything shared by the cards of one print run, already formatted.
#[derive(Debug, Clone, Default)]
pub struct VoterCardsDoc {
    /// "ỦY BAN NHÂN DÂN".
    pub committee: String,
    /// "PHƯỜNG MỸ THỚI".
    pub ward_line: String,
    /// "THẺ CỬ TRI" then the election lines; the first is drawn larger.
    pub title_lines: Vec<String>,
    /// "Phường Mỹ Thới, tỉnh An Giang", printed under the polling area.
    pub province_line: String,
    /// "27/11/2026 14:05", printed on every sheet.
    pub generated_at: String,
    /// Short fingerprint of the data, printed on every sheet.
    pub data_hash: String,
    pub cards: Vec<VoterCard>,
}

/// One voter's card.
#[derive(Debug, Clone, Default)]
pub struct VoterCard {
    pub full_name: String,
    pub birth_date: String,
    /// "Nam" or "Nữ".
    pub gender: String,
    /// The address the voter votes at (permanent or temporary).
    pub residence: String,
    /// The voter's STT in the list.
    pub card_number: String,
    /// "Khu vực bỏ phiếu số 3".
    pub polling_area: String,
    /// "Mỹ Thới, ngày 03 tháng 02 năm 2026".
    pub place_date_line: String,
    /// "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH".
    pub signer_title_lines: Vec<String>,
    pub signer_name: String,
    /// Encoded in the QR code printed on the card.
    pub qr_payload: String,
}

// An A4 sheet in landscape holds exactly 2 × 2 A6 landscape cards (A-series sizes halve), so
// the page is landscape and the cards tile it; the cut lines run through the middle.
const SHEET: Page = A4_LANDSCAPE;
const CARD_W: f32 = 148.0;
const CARD_H: f32 = 105.0;
/// Inner margin of a card, mm; also keeps text out of printers' unprintable border.
const MARGIN: f32 = 7.0;
/// The "Đã bỏ phiếu" stamp goes on the top-left corner of the front: nothing is printed in
/// this box (width, height) from the card's corner.
const STAMP_ZONE: (f32, f32) = (36.0, 22.0);
const QR_SIZE: f32 = 22.0;
/// White space right of the QR code (part of its quiet zone), mm.
const QR_GAP: f32 = 3.5;
/// Width of the signature block at the bottom right, mm.
const SIGN_W: f32 = 58.0;

const BODY_NAME: Style = Style::bold(8.5);
const QUOC_HIEU: Style = Style::bold(8.0);
const TIEU_NGU: Style = Style::bold(9.0);
const DOC_TYPE: Style = Style::bold(16.0);
const TITLE: Style = Style::bold(8.5);
const LABEL: Style = Style::regular(11.0);
const VALUE: Style = Style::bold(11.0);
const CARD_NUMBER: Style = Style::bold(13.0);
const AREA: Style = Style::bold(10.5);
const PROVINCE: Style = Style::regular(9.5);
const PLACE_DATE: Style = Style::italic(9.5);
const SIGNER: Style = Style::bold(9.5);
const FOOTER: Style = Style::regular(6.0);

/// Renders the cards, four per sheet, in the order given.
pub fn voter_cards_pdf(doc: &VoterCardsDoc, fonts: &Fonts) -> Result<Vec<u8>, PdfError> {
    let title = doc.title_lines.first().map_or("THẺ CỬ TRI", String::as_str);
    let mut c = Canvas::new(title, fonts, SHEET.width, SHEET.height);
    // An empty run still yields one (blank) sheet: a PDF needs a page.
    let sheets = doc.cards.chunks(4).len().max(1);
    let mut cards = doc.cards.chunks(4);
    for sheet in 0..sheets {
        c.add_page();
        cut_lines(&mut c);
        for (slot, card) in cards.next().unwrap_or_default().iter().enumerate() {
            let origin = (
                (SHEET.width - 2.0 * CARD_W) / 2.0 + (slot % 2) as f32 * CARD_W,
                (slot / 2) as f32 * CARD_H,
            );
            draw_card(&mut c, doc, card, origin)?;
        }
        let footer = format!(
            "Tờ {}/{} · {}",
            sheet + 1,
            sheets,
            provenance(&doc.generated_at, &doc.data_hash)
        );
        c.text(MARGIN, SHEET.height - 4.5, Align::Left, FOOTER, &footer);
    }
    c.finish()
}

/// Dashed guides along the middle of the sheet, where the guillotine cuts.
fn cut_lines(c: &mut Canvas) {
    let (w, h) = (c.width(), c.height());
    c.dashed_line((w / 2.0, 0.0), (w / 2.0, h));
    c.dashed_line((0.0, h / 2.0), (w, h / 2.0));
}

/// Draws one card with its top-left corner at `origin` (mm on the sheet).
fn draw_card(
    c: &mut Canvas,
    doc: &VoterCardsDoc,
    card: &VoterCard,
    (ox, oy): (f32, f32),
) -> Result<(), PdfError> {
    // Heading: the body name starts right of the stamp zone, the Quốc hiệu on the right.
    let body_w = 38.0;
    let body_left = ox + STAMP_ZONE.0;
    let national_left = body_left + body_w + 2.0;
    let national_w = ox + CARD_W - MARGIN - national_left;
    FormHeading {
        body: [&doc.committee, &doc.ward_line],
        body_style: BODY_NAME,
        body_column: (body_left + body_w / 2.0, body_w),
        quoc_hieu_style: QUOC_HIEU,
        tieu_ngu_style: TIEU_NGU,
        national_column: (national_left + national_w / 2.0, national_w),
        rule: 0.5,
    }
    .draw(c, oy + MARGIN);

    // Title, centred on the card below the stamp zone's height.
    let centre = ox + CARD_W / 2.0;
    let inner_w = CARD_W - 2.0 * MARGIN;
    let mut y = oy + STAMP_ZONE.1 + 1.0;
    for (i, line) in doc.title_lines.iter().enumerate() {
        let style = c.fit(if i == 0 { DOC_TYPE } else { TITLE }, line, inner_w, 6.0);
        y += style.pitch();
        c.text(centre, y, Align::Center, style, line);
    }

    // Fields: label in regular, value in bold, the value shrunk rather than cut when long.
    let left = ox + MARGIN;
    let right = ox + CARD_W - MARGIN;
    y += 2.5 + LABEL.pitch();
    labelled(c, (left, right), y, "Họ và tên: ", &card.full_name);
    y += LABEL.pitch();
    let gender_x = ox + 92.0;
    labelled(
        c,
        (left, gender_x),
        y,
        "Ngày, tháng, năm sinh: ",
        &card.birth_date,
    );
    labelled(c, (gender_x, right), y, "Giới tính: ", &card.gender);
    y += LABEL.pitch();
    let label = "Nơi cư trú: ";
    c.text(left, y, Align::Left, LABEL, label);
    let indent = c.measure(LABEL, label);
    let residence = residence_lines(c, &card.residence, inner_w - indent);
    for (i, (line, style)) in residence.iter().enumerate() {
        if i > 0 {
            y += style.pitch();
        }
        c.text(left + indent, y, Align::Left, *style, line);
    }

    // Bottom band: the QR code in the bottom-left corner with the card number and polling
    // area beside it, bottom-aligned; the signature block on the right.
    let qr_top = oy + CARD_H - MARGIN - QR_SIZE;
    qr_code(c, &card.qr_payload, (left, qr_top))?;
    let text_x = left + QR_SIZE + QR_GAP;
    let sign_left = ox + CARD_W - MARGIN - SIGN_W;
    let text_w = sign_left - text_x - 1.0;
    let bottom = oy + CARD_H - MARGIN - 0.5;
    let province = c.fit(PROVINCE, &doc.province_line, text_w, 6.5);
    c.text(text_x, bottom, Align::Left, province, &doc.province_line);
    let area_y = bottom - province.pitch();
    let area = card.polling_area.to_uppercase();
    let style = c.fit(AREA, &area, text_w, 7.0);
    c.text(text_x, area_y, Align::Left, style, &area);
    let number = format!("SỐ THẺ CỬ TRI: {}", card.card_number);
    let style = c.fit(CARD_NUMBER, &number, text_w, 8.0);
    c.text(
        text_x,
        area_y - style.pitch() - 0.5,
        Align::Left,
        style,
        &number,
    );

    let sign_centre = sign_left + SIGN_W / 2.0;
    let mut y = y + 2.5 + PLACE_DATE.pitch();
    let style = c.fit(PLACE_DATE, &card.place_date_line, SIGN_W, 7.0);
    c.text(sign_centre, y, Align::Center, style, &card.place_date_line);
    for line in &card.signer_title_lines {
        y += SIGNER.pitch();
        let style = c.fit(SIGNER, line, SIGN_W, 7.0);
        c.text(sign_centre, y, Align::Center, style, line);
    }
    let style = c.fit(SIGNER, &card.signer_name, SIGN_W, 7.0);
    c.text(sign_centre, bottom, Align::Center, style, &card.signer_name);
    Ok(())
}

/// "Label: value" on one line between `left` and `right`, the value bold and shrunk to fit.
fn labelled(c: &mut Canvas, (left, right): (f32, f32), y: f32, label: &str, value: &str) {
    c.text(left, y, Align::Left, LABEL, label);
    let x = left + c.measure(LABEL, label);
    let style = c.fit(VALUE, value, right - x - 1.0, 7.0);
    c.text(x, y, Align::Left, style, value);
}

/// The residence in at most two lines, stepping the size down until it fits; a very long
/// address keeps all its lines at the smallest size rather than losing words.
fn residence_lines(c: &Canvas, residence: &str, width: f32) -> Vec<(String, Style)> {
    let sizes = [VALUE.size, 10.0, 9.0, 8.0];
    let mut lines = Vec::new();
    for size in sizes {
        let style = Style { size, ..VALUE };
        lines = c
            .wrap(style, residence, width)
            .into_iter()
            .map(|line| (line, style))
            .collect();
        if lines.len() <= 2 {
            break;
        }
    }
    lines
}

/// Draws the QR code of `payload` as vector squares, `QR_SIZE` wide, top-left at `origin`.
/// Dark modules in a row are merged into one rectangle and all go into a single path.
fn qr_code(c: &mut Canvas, payload: &str, (x, y): (f32, f32)) -> Result<(), PdfError> {
    let code = QrCode::new(payload.as_bytes())?;
    let width = code.width();
    let module = QR_SIZE / width as f32;
    let colors = code.to_colors();
    let mut rects = Vec::new();
    for (row, modules) in colors.chunks(width).enumerate() {
        let mut col = 0;
        while col < width {
            if modules[col] == Module::Dark {
                let start = col;
                while col < width && modules[col] == Module::Dark {
                    col += 1;
                }
                rects.push((
                    x + start as f32 * module,
                    y + row as f32 * module,
                    (col - start) as f32 * module,
                    module,
                ));
            } else {
                col += 1;
            }
        }
    }
    c.fill_rects(&rects);
    Ok(())
}
