//! The one normal form stored and compared everywhere: NFC. macOS, some web forms and some
//! spreadsheets hand over NFD ("Nguyễn" as 8 code points instead of 6), which looks identical
//! but never matches an NFC key.

use unicode_normalization::UnicodeNormalization;

/// Canonical composition (NFC).
pub fn nfc(s: &str) -> String {
    s.nfc().collect()
}

/// Invisible characters that creep in from copy-and-paste out of web pages and Word documents:
/// zero-width space, non-joiner and joiner, and the byte-order mark / zero-width no-break space.
fn is_zero_width(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200D}' | '\u{FEFF}')
}

/// A spreadsheet or form cell made ready to store: NFC, zero-width characters removed,
/// trimmed, and every run of whitespace (tabs, newlines, NBSP U+00A0 included) made one space.
///
/// U+00AD (soft hyphen) is left alone on purpose: in TCVN3 text it is the letter "ư", so legacy
/// decoding must run before this, and after it a soft hyphen is rare enough to keep.
pub fn clean_cell(s: &str) -> String {
    // Almost every cell of a real list is already clean; an import checks millions of them.
    if is_clean(s) {
        return s.to_owned();
    }
    // Zero-width characters go first so that the marks either side of one can compose.
    let visible: String = s.chars().filter(|&c| !is_zero_width(c)).collect();
    let composed = nfc(&visible);
    let mut cleaned = String::with_capacity(composed.len());
    for word in composed.split_whitespace() {
        if !cleaned.is_empty() {
            cleaned.push(' ');
        }
        cleaned.push_str(word);
    }
    cleaned
}

/// Whether `clean_cell` would return `s` unchanged: NFC for sure, no zero-width character,
/// single plain spaces between words only.
fn is_clean(s: &str) -> bool {
    let mut after_space = true;
    for c in s.chars() {
        if c.is_whitespace() {
            if c != ' ' || after_space {
                return false;
            }
            after_space = true;
        } else if is_zero_width(c) {
            return false;
        } else {
            after_space = false;
        }
    }
    (s.is_empty() || !after_space)
        && (s.is_ascii()
            || unicode_normalization::is_nfc_quick(s.chars())
                == unicode_normalization::IsNormalized::Yes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nfc_composes_decomposed_vietnamese() {
        let decomposed = "Nguye\u{302}\u{303}n";
        assert_eq!(decomposed.chars().count(), 8);
        assert_eq!(nfc(decomposed), "Nguyễn");
        assert_eq!(nfc("Nguyễn").chars().count(), 6);
        // Dot below and circumflex in either order compose to the same letter.
        assert_eq!(nfc("e\u{323}\u{302}"), "ệ");
        assert_eq!(nfc("e\u{302}\u{323}"), "ệ");
    }

    #[test]
    fn clean_cell_trims_and_collapses_every_kind_of_whitespace() {
        assert_eq!(
            clean_cell("  Nguyễn\u{A0}\u{A0}Văn\tAn \r\n"),
            "Nguyễn Văn An"
        );
        assert_eq!(clean_cell("\u{A0}\t \n"), "");
        assert_eq!(clean_cell(""), "");
    }

    #[test]
    fn clean_cell_removes_zero_width_characters() {
        assert_eq!(
            clean_cell("\u{FEFF}Trần\u{200B} Thị\u{200C}\u{200D} Hương"),
            "Trần Thị Hương"
        );
        // A zero-width space between a letter and its mark no longer blocks composition.
        assert_eq!(clean_cell("Le\u{200B}\u{302}"), "Lê");
    }

    #[test]
    fn clean_cell_outputs_nfc() {
        assert_eq!(clean_cell("Đă\u{323}ng  Thu\u{300}y"), "Đặng Thùy");
        // Single-spaced words take the quick path, which must still compose.
        assert_eq!(clean_cell("Nguye\u{302}\u{303}n Văn"), "Nguyễn Văn");
        assert_eq!(clean_cell("Nguyễn Văn An"), "Nguyễn Văn An");
    }

    #[test]
    fn clean_cell_keeps_the_soft_hyphen() {
        assert_eq!(clean_cell("H\u{AD}¬ng"), "H\u{AD}¬ng");
    }
}
