//! The serif faces every document is set in, read from a font directory at run time so no font
//! file ships in the repository.

use std::path::{Path, PathBuf};

use printpdf::ParsedFont;

use super::PdfError;

/// Environment variable naming a directory that holds the fonts.
pub const FONT_DIR_ENV: &str = "CUTRI_FONT_DIR";

/// Directories searched after the explicit one and [`FONT_DIR_ENV`]: Debian's
/// `fonts-liberation2` and `fonts-croscore`.
const SYSTEM_DIRS: [&str; 2] = [
    "/usr/share/fonts/truetype/liberation2",
    "/usr/share/fonts/truetype/croscore",
];

/// File names of the Times-compatible families that cover Vietnamese, regular/bold/italic/bold
/// italic (the last for "Nơi nhận:", which Nghị định 30 sets bold italic).
/// Liberation Serif 2.x and Tinos are metric-compatible with Times New Roman, the face
/// Nghị định 30/2020 prescribes.
const FAMILIES: [[&str; 4]; 2] = [
    [
        "LiberationSerif-Regular.ttf",
        "LiberationSerif-Bold.ttf",
        "LiberationSerif-Italic.ttf",
        "LiberationSerif-BoldItalic.ttf",
    ],
    [
        "Tinos-Regular.ttf",
        "Tinos-Bold.ttf",
        "Tinos-Italic.ttf",
        "Tinos-BoldItalic.ttf",
    ],
];

/// Letters a face must carry for Vietnamese. Liberation 1.x (Debian `fonts-liberation`) lacks
/// most of the precomposed ones and would print empty boxes, so such a face is refused.
const VIETNAMESE_PROBE: &str = "ĂÂĐÊÔƠƯăâđêôơư\
    ẠẢẤẦẨẪẬẮẰẲẴẶẸẺẼẾỀỂỄỆỈỊỌỎỐỒỔỖỘỚỜỞỠỢỤỦỨỪỬỮỰỲỴỶỸ\
    ạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ";

/// One of the four faces a document can use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Face {
    Regular,
    Bold,
    Italic,
    /// "Nơi nhận:" and election forms' closing note ("Ghi chú: Nhất thiết không được tẩy xóa
    /// trên biên bản.").
    BoldItalic,
}

impl Face {
    pub(crate) const ALL: [Face; 4] = [Face::Regular, Face::Bold, Face::Italic, Face::BoldItalic];
}

/// The parsed regular, bold, italic and bold italic faces. Parse once at start-up and share: every document
/// borrows them.
pub struct Fonts {
    faces: [ParsedFont; 4],
    dir: PathBuf,
}

impl std::fmt::Debug for Fonts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Fonts").field("dir", &self.dir).finish()
    }
}

impl Fonts {
    /// Finds and parses the fonts, trying in order `explicit`, `$CUTRI_FONT_DIR`,
    /// `/usr/share/fonts/truetype/liberation2` and `/usr/share/fonts/truetype/croscore`.
    /// A directory without a complete family is skipped; a family that is present but
    /// unreadable is an error, so a broken configuration is not silently replaced.
    pub fn load(explicit: Option<&Path>) -> Result<Fonts, PdfError> {
        let from_env = std::env::var_os(FONT_DIR_ENV).map(PathBuf::from);
        let candidates: Vec<PathBuf> = explicit
            .map(Path::to_path_buf)
            .into_iter()
            .chain(from_env)
            .chain(SYSTEM_DIRS.iter().map(PathBuf::from))
            .collect();
        for dir in &candidates {
            if let Some(files) = family_in(dir) {
                return Self::parse(dir, files);
            }
        }
        Err(PdfError::FontNotFound { tried: candidates })
    }

    /// Parses the fonts from exactly `dir`.
    pub fn from_dir(dir: &Path) -> Result<Fonts, PdfError> {
        match family_in(dir) {
            Some(files) => Self::parse(dir, files),
            None => Err(PdfError::FontNotFound {
                tried: vec![dir.to_path_buf()],
            }),
        }
    }

    /// The directory the faces were read from.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub(crate) fn face(&self, face: Face) -> &ParsedFont {
        &self.faces[face as usize]
    }

    /// Advance width of `text` (already NFC) in points. printpdf writes one glyph per char
    /// without kerning, so the sum of advances is exactly what a viewer draws.
    pub(crate) fn width_pt(&self, face: Face, size_pt: f32, text: &str) -> f32 {
        let font = self.face(face);
        let units: u32 = text
            .chars()
            .map(|c| {
                let gid = font.lookup_glyph_index(c as u32).unwrap_or(0);
                u32::from(font.get_horizontal_advance(gid))
            })
            .sum();
        units as f32 * size_pt / self.units_per_em(face)
    }

    /// Distance from the baseline to the top of the tallest letters (with Vietnamese marks on
    /// capitals), as a fraction of the font size.
    pub(crate) fn ascent(&self, face: Face) -> f32 {
        f32::from(self.face(face).pdf_font_metrics.ascender) / self.units_per_em(face)
    }

    /// Distance from the baseline to the bottom of descenders, as a positive fraction of the
    /// font size.
    pub(crate) fn descent(&self, face: Face) -> f32 {
        f32::from(self.face(face).pdf_font_metrics.descender).abs() / self.units_per_em(face)
    }

    fn units_per_em(&self, face: Face) -> f32 {
        f32::from(self.face(face).pdf_font_metrics.units_per_em.max(1))
    }

    fn parse(dir: &Path, files: [PathBuf; 4]) -> Result<Fonts, PdfError> {
        let [regular, bold, italic, bold_italic] = files.map(|path| parse_face(&path));
        Ok(Fonts {
            faces: [regular?, bold?, italic?, bold_italic?],
            dir: dir.to_path_buf(),
        })
    }
}

/// The first family whose four files all exist in `dir`.
fn family_in(dir: &Path) -> Option<[PathBuf; 4]> {
    FAMILIES.iter().find_map(|names| {
        let paths = names.map(|name| dir.join(name));
        paths.iter().all(|p| p.is_file()).then_some(paths)
    })
}

fn parse_face(path: &Path) -> Result<ParsedFont, PdfError> {
    let bytes = std::fs::read(path).map_err(|error| PdfError::FontParse {
        path: path.to_path_buf(),
        reason: error.to_string(),
    })?;
    let mut warnings = Vec::new();
    let font =
        ParsedFont::from_bytes(&bytes, 0, &mut warnings).ok_or_else(|| PdfError::FontParse {
            path: path.to_path_buf(),
            reason: format!("{warnings:?}"),
        })?;
    let missing: String = VIETNAMESE_PROBE
        .chars()
        .filter(|&c| font.lookup_glyph_index(c as u32).is_none_or(|gid| gid == 0))
        .collect();
    if !missing.is_empty() {
        return Err(PdfError::FontCoverage {
            path: path.to_path_buf(),
            missing,
        });
    }
    Ok(font)
}
