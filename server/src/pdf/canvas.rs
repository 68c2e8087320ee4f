//! A small drawing surface over printpdf's operation lists: millimetres measured from the
//! top-left corner of the page (as forms are specified), text measured with the embedded face,
//! NFC normalisation at the single point where text enters the PDF.

use std::borrow::Cow;

use printpdf::{
    Color, FontId, Greyscale, Line, LineDashPattern, LinePoint, Mm, Op, PaintMode, PdfDocument,
    PdfFontHandle, PdfPage, PdfParseErrorSeverity, PdfSaveOptions, Point, Polygon, PolygonRing, Pt,
    TextItem, TextMatrix, WindingOrder,
};
use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

use super::fonts::{Face, Fonts};
use super::PdfError;

/// Points per millimetre.
const PT_PER_MM: f32 = 72.0 / 25.4;

/// Line pitch as a multiple of the font size ("single" spacing in word processors).
const LINE_PITCH: f32 = 1.18;

/// A face at a size in points.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Style {
    pub face: Face,
    pub size: f32,
}

impl Style {
    pub(crate) const fn regular(size: f32) -> Style {
        Style {
            face: Face::Regular,
            size,
        }
    }

    pub(crate) const fn bold(size: f32) -> Style {
        Style {
            face: Face::Bold,
            size,
        }
    }

    pub(crate) const fn italic(size: f32) -> Style {
        Style {
            face: Face::Italic,
            size,
        }
    }

    pub(crate) const fn bold_italic(size: f32) -> Style {
        Style {
            face: Face::BoldItalic,
            size,
        }
    }

    /// Distance between baselines of consecutive lines, in mm.
    pub(crate) fn pitch(self) -> f32 {
        self.size * LINE_PITCH / PT_PER_MM
    }
}

/// Horizontal placement of a text run relative to the x coordinate given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Align {
    Left,
    Center,
    Right,
}

/// printpdf maps each `char` to one glyph and does no shaping, so a decomposed letter
/// (e + U+0302 + U+0301) would print its marks beside the base letter. NFC turns every
/// Vietnamese letter into one precomposed character that the font has a glyph for.
pub(crate) fn nfc(text: &str) -> Cow<'_, str> {
    match is_nfc_quick(text.chars()) {
        IsNormalized::Yes => Cow::Borrowed(text),
        _ => Cow::Owned(text.nfc().collect()),
    }
}

/// Pages of one size being drawn; becomes PDF bytes with [`Canvas::finish`].
pub(crate) struct Canvas<'f> {
    fonts: &'f Fonts,
    doc: PdfDocument,
    font_ids: [FontId; 4],
    width: f32,
    height: f32,
    pages: Vec<Vec<Op>>,
    current: usize,
}

impl<'f> Canvas<'f> {
    /// A document of `width` × `height` mm pages, with no page yet.
    pub(crate) fn new(title: &str, fonts: &'f Fonts, width: f32, height: f32) -> Canvas<'f> {
        let mut doc = PdfDocument::new(&nfc(title));
        doc.metadata.info.creator = "cutri".to_owned();
        let font_ids = Face::ALL.map(|face| doc.add_font(fonts.face(face)));
        Canvas {
            fonts,
            doc,
            font_ids,
            width,
            height,
            pages: Vec::new(),
            current: 0,
        }
    }

    pub(crate) fn width(&self) -> f32 {
        self.width
    }

    pub(crate) fn height(&self) -> f32 {
        self.height
    }

    /// Starts a new page and draws on it from now on.
    pub(crate) fn add_page(&mut self) {
        self.pages.push(Vec::new());
        self.current = self.pages.len() - 1;
    }

    pub(crate) fn page_count(&self) -> usize {
        self.pages.len()
    }

    /// Draws on the already created page `index` (0-based) from now on; used for footers that
    /// need the final page count.
    pub(crate) fn select_page(&mut self, index: usize) {
        assert!(index < self.pages.len(), "page {index} does not exist");
        self.current = index;
    }

    /// Width of `text` in mm.
    pub(crate) fn measure(&self, style: Style, text: &str) -> f32 {
        self.fonts.width_pt(style.face, style.size, &nfc(text)) / PT_PER_MM
    }

    /// Offset of the baseline below the top of a line box of [`Style::pitch`] height, so that
    /// the letters sit centred in the box.
    pub(crate) fn baseline_in_line(&self, style: Style) -> f32 {
        let ascent = self.fonts.ascent(style.face) * style.size / PT_PER_MM;
        let descent = self.fonts.descent(style.face) * style.size / PT_PER_MM;
        (style.pitch() + ascent - descent) / 2.0
    }

    /// The largest size, at most `style.size` and at least `min_size`, at which `text` fits in
    /// `max_width` mm.
    pub(crate) fn fit(&self, style: Style, text: &str, max_width: f32, min_size: f32) -> Style {
        let natural = self.measure(style, text);
        if natural <= max_width {
            return style;
        }
        Style {
            size: (style.size * max_width / natural).max(min_size),
            ..style
        }
    }

    /// Breaks `text` into lines no wider than `max_width` mm, at spaces where possible and
    /// inside a word only when the word alone is too wide. Always returns at least one line.
    pub(crate) fn wrap(&self, style: Style, text: &str, max_width: f32) -> Vec<String> {
        let text = nfc(text);
        // Widths add up exactly (no kerning is applied), so each word is measured once.
        let space = self.measure(style, " ");
        let mut lines = Vec::new();
        let mut line = String::new();
        let mut line_width = 0.0;
        for word in text.split_whitespace() {
            let word_width = self.measure(style, word);
            if line.is_empty() {
                if word_width <= max_width {
                    line.push_str(word);
                    line_width = word_width;
                } else {
                    (line, line_width) = self.break_word(style, word, max_width, &mut lines);
                }
            } else if line_width + space + word_width <= max_width {
                line.push(' ');
                line.push_str(word);
                line_width += space + word_width;
            } else {
                lines.push(std::mem::take(&mut line));
                if word_width <= max_width {
                    line.push_str(word);
                    line_width = word_width;
                } else {
                    (line, line_width) = self.break_word(style, word, max_width, &mut lines);
                }
            }
        }
        if !line.is_empty() || lines.is_empty() {
            lines.push(line);
        }
        lines
    }

    /// Pushes full-width pieces of an over-long `word` to `lines` and returns the remainder
    /// with its width.
    fn break_word(
        &self,
        style: Style,
        word: &str,
        max_width: f32,
        lines: &mut Vec<String>,
    ) -> (String, f32) {
        let mut piece = String::new();
        let mut width = 0.0;
        for c in word.chars() {
            let c_width = self.measure(style, c.encode_utf8(&mut [0; 4]));
            if !piece.is_empty() && width + c_width > max_width {
                lines.push(std::mem::take(&mut piece));
                width = 0.0;
            }
            piece.push(c);
            width += c_width;
        }
        (piece, width)
    }

    /// Draws one line of text with its baseline at `y` mm from the top.
    pub(crate) fn text(&mut self, x: f32, y: f32, align: Align, style: Style, text: &str) {
        let text = nfc(text);
        if text.is_empty() {
            return;
        }
        let left = match align {
            Align::Left => x,
            Align::Center => x - self.measure(style, &text) / 2.0,
            Align::Right => x - self.measure(style, &text),
        };
        let (px, py) = self.to_pt(left, y);
        let font = PdfFontHandle::External(self.font_ids[style.face as usize].clone());
        self.ops().extend([
            Op::StartTextSection,
            Op::SetFont {
                font,
                size: Pt(style.size),
            },
            Op::SetTextMatrix {
                matrix: TextMatrix::Translate(px, py),
            },
            Op::ShowText {
                items: vec![TextItem::Text(text.into_owned())],
            },
            Op::EndTextSection,
        ]);
    }

    /// Draws `lines` one under the other, the block centred vertically in the band from `top`
    /// to `top + height`.
    pub(crate) fn lines_in_band(
        &mut self,
        lines: &[String],
        x: f32,
        (top, height): (f32, f32),
        align: Align,
        style: Style,
    ) {
        let block = lines.len() as f32 * style.pitch();
        let first = top + (height - block) / 2.0 + self.baseline_in_line(style);
        for (i, line) in lines.iter().enumerate() {
            self.text(x, first + i as f32 * style.pitch(), align, style, line);
        }
    }

    /// Draws a straight line `thickness` points wide.
    pub(crate) fn line(&mut self, from: (f32, f32), to: (f32, f32), thickness: f32) {
        let line = Line {
            points: vec![self.point(from), self.point(to)],
            is_closed: false,
        };
        self.ops().extend([
            Op::SetOutlineThickness { pt: Pt(thickness) },
            Op::DrawLine { line },
        ]);
    }

    /// Draws a dashed grey line, for cutting guides.
    pub(crate) fn dashed_line(&mut self, from: (f32, f32), to: (f32, f32)) {
        let line = Line {
            points: vec![self.point(from), self.point(to)],
            is_closed: false,
        };
        self.ops().extend([
            Op::SaveGraphicsState,
            Op::SetOutlineColor {
                col: Color::Greyscale(Greyscale::new(0.45, None)),
            },
            Op::SetLineDashPattern {
                dash: LineDashPattern::new(0.0, &[4.0, 3.0]),
            },
            Op::SetOutlineThickness { pt: Pt(0.4) },
            Op::DrawLine { line },
            Op::RestoreGraphicsState,
        ]);
    }

    /// Fills rectangles given as (x, y, width, height) in mm as one path, so touching
    /// rectangles show no hairline seams between them when rendered.
    pub(crate) fn fill_rects(&mut self, rects: &[(f32, f32, f32, f32)]) {
        let rings = rects
            .iter()
            .map(|&(x, y, w, h)| PolygonRing {
                points: vec![
                    self.point((x, y)),
                    self.point((x + w, y)),
                    self.point((x + w, y + h)),
                    self.point((x, y + h)),
                ],
            })
            .collect();
        self.ops().push(Op::DrawPolygon {
            polygon: Polygon {
                rings,
                mode: PaintMode::Fill,
                winding_order: WindingOrder::NonZero,
            },
        });
    }

    /// Serialises the document, with fonts subset to the glyphs used.
    pub(crate) fn finish(mut self) -> Result<Vec<u8>, PdfError> {
        let (width, height) = (Mm(self.width), Mm(self.height));
        let pages = std::mem::take(&mut self.pages)
            .into_iter()
            .map(|ops| PdfPage::new(width, height, ops))
            .collect();
        self.doc.with_pages(pages);
        let mut warnings = Vec::new();
        let bytes = self.doc.save(&PdfSaveOptions::default(), &mut warnings);
        let errors: Vec<String> = warnings
            .into_iter()
            .filter(|w| w.severity == PdfParseErrorSeverity::Error)
            .map(|w| w.msg)
            .collect();
        if errors.is_empty() {
            Ok(bytes)
        } else {
            Err(PdfError::Write(errors.join("; ")))
        }
    }

    fn ops(&mut self) -> &mut Vec<Op> {
        &mut self.pages[self.current]
    }

    /// PDF user space starts at the bottom-left corner and counts in points.
    fn to_pt(&self, x: f32, y: f32) -> (Pt, Pt) {
        (Pt(x * PT_PER_MM), Pt((self.height - y) * PT_PER_MM))
    }

    fn point(&self, (x, y): (f32, f32)) -> LinePoint {
        let (x, y) = self.to_pt(x, y);
        LinePoint {
            p: Point { x, y },
            bezier: false,
        }
    }
}
