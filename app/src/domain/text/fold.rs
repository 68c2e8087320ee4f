//! Keys for finding and matching names.
//!
//! `fold` is the search key: "nguyen van a" finds "Nguyễn Văn A". It cannot use the ICU `vi`
//! collator, which treats ă â đ ê ô ơ ư as letters of their own, and Unicode decomposition alone
//! leaves đ untouched (it has no decomposition), so đ is mapped by hand.
//!
//! `name_key` is the duplicate-detection key: it keeps every diacritic but forgets where the
//! tone was written, since "Thủy" (old style) and "Thuỷ" (new style) are the same name.

use unicode_normalization::UnicodeNormalization;

use super::normalize::{clean_cell, nfc};
use super::syllable;

/// The stroke letters have no Unicode decomposition. Besides đ itself, the look-alikes eth (ð)
/// and African d (ɖ) turn up in names typed with the wrong keyboard layout. Input is lower case.
fn is_d_with_stroke(c: char) -> bool {
    matches!(c, 'đ' | 'ð' | 'ɖ')
}

fn is_combining_mark(c: char) -> bool {
    ('\u{300}'..='\u{36F}').contains(&c)
}

/// Search key: lower case, every diacritic (tones and ă â ê ô ơ ư) dropped, đ → d, whitespace
/// collapsed to single spaces. Digits and other letters stay (lower-cased). NFC or NFD input.
/// "Nguyễn Văn An" → "nguyen van an".
pub fn fold(s: &str) -> String {
    // Lower-case first: then the stroke letters need only their lower-case forms, and any mark
    // that lower-casing itself produces (İ → i̇) is dropped below.
    let lowered = s.to_lowercase();
    let mut folded = String::with_capacity(lowered.len());
    for word in lowered.split_whitespace() {
        if !folded.is_empty() {
            folded.push(' ');
        }
        for c in word.nfd().filter(|&c| !is_combining_mark(c)) {
            folded.push(if is_d_with_stroke(c) { 'd' } else { c });
        }
    }
    folded
}

/// `fold`, split into words on whitespace and punctuation: "Nguyễn Văn-An, (Hà)" →
/// ["nguyen", "van", "an", "ha"].
pub fn fold_tokens(s: &str) -> Vec<String> {
    fold(s)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|token| !token.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Rewrites every Vietnamese syllable with its tone on the canonical vowel ("new style":
/// hoà, khoẻ, thuỷ), leaving case, spacing, punctuation and non-Vietnamese words as they are.
/// Output is NFC.
pub fn canonical_tone_placement(s: &str) -> String {
    let composed = nfc(s);
    let mut placed = String::with_capacity(composed.len());
    let mut word = String::new();
    for c in composed.chars() {
        if c.is_alphabetic() {
            word.push(c);
        } else {
            push_canonical_word(&mut placed, &word);
            word.clear();
            placed.push(c);
        }
    }
    push_canonical_word(&mut placed, &word);
    placed
}

fn push_canonical_word(out: &mut String, word: &str) {
    match syllable::parse(word) {
        Some(syllable) => out.push_str(&syllable.with_canonical_tone()),
        None => out.push_str(word),
    }
}

/// Duplicate-detection key: NFC, lower case, whitespace collapsed, tones in canonical position.
/// Unlike `fold` it keeps the diacritics: "Hòa" and "Hóa" are different names.
pub fn name_key(s: &str) -> String {
    canonical_tone_placement(&clean_cell(s).to_lowercase())
}

/// Whether two spellings are the same name up to case, spacing, normalisation form and tone
/// placement: "Nguyễn Thị Thủy" and "nguyễn  thị thuỷ" are.
pub fn same_name(a: &str, b: &str) -> bool {
    name_key(a) == name_key(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fold_strips_tones_and_vowel_marks() {
        assert_eq!(fold("Nguyễn Văn An"), "nguyen van an");
        assert_eq!(fold("ĐẶNG"), "dang");
        assert_eq!(fold("Ư"), "u");
        assert_eq!(fold("Trần Thị Hương"), "tran thi huong");
        assert_eq!(fold("Phạm Ngọc Ước"), "pham ngoc uoc");
        assert_eq!(fold("ăâêôơư ĂÂÊÔƠƯ"), "aaeoou aaeoou");
    }

    #[test]
    fn fold_maps_every_vietnamese_letter_to_its_ascii_base() {
        let groups = [
            ("aàảãáạăằẳẵắặâầẩẫấậ", 'a'),
            ("eèẻẽéẹêềểễếệ", 'e'),
            ("iìỉĩíị", 'i'),
            ("oòỏõóọôồổỗốộơờởỡớợ", 'o'),
            ("uùủũúụưừửữứự", 'u'),
            ("yỳỷỹýỵ", 'y'),
            ("đ", 'd'),
        ];
        for (letters, base) in groups {
            for letter in letters.chars() {
                for case in [letter.to_string(), letter.to_uppercase().to_string()] {
                    assert_eq!(fold(&case), base.to_string(), "{case}");
                }
            }
        }
    }

    #[test]
    fn fold_accepts_nfd_input() {
        let nfd: String = "Nguyễn Văn Đức".nfd().collect();
        assert_ne!(nfd, "Nguyễn Văn Đức");
        assert_eq!(fold(&nfd), "nguyen van duc");
        assert_eq!(fold(&nfd), fold("Nguyễn Văn Đức"));
    }

    #[test]
    fn fold_maps_d_look_alikes() {
        assert_eq!(fold("Ðức"), "duc");
        assert_eq!(fold("Ɖức"), "duc");
    }

    #[test]
    fn fold_collapses_whitespace_and_keeps_digits_and_other_letters() {
        assert_eq!(fold("  Tổ\u{A0}\u{A0}bầu cử\tsố 12 "), "to bau cu so 12");
        assert_eq!(fold("Müller"), "muller");
        assert_eq!(fold("ÆRØ"), "ærø");
        assert_eq!(fold(""), "");
    }

    #[test]
    fn fold_tokens_split_on_whitespace_and_punctuation() {
        assert_eq!(
            fold_tokens("Nguyễn Văn-An, (Hà) số 7/2"),
            ["nguyen", "van", "an", "ha", "so", "7", "2"]
        );
        assert!(fold_tokens(" , - ").is_empty());
    }

    #[test]
    fn canonical_tone_placement_keeps_everything_but_tone_position() {
        assert_eq!(
            canonical_tone_placement("Nguyễn Thị Thủy, Hòa-Khỏe (x2)"),
            "Nguyễn Thị Thuỷ, Hoà-Khoẻ (x2)"
        );
        assert_eq!(canonical_tone_placement("José Müller"), "José Müller");
        let nfd: String = "Hòa".nfd().collect();
        assert_eq!(canonical_tone_placement(&nfd), "Hoà");
    }

    #[test]
    fn same_name_ignores_tone_placement() {
        assert!(same_name("Nguyễn Thị Thủy", "Nguyễn Thị Thuỷ"));
        assert!(same_name("Hòa", "Hoà"));
        assert!(same_name("Khỏe", "Khoẻ"));
        assert!(same_name("Lê Thị Thùy", "LÊ THỊ THUỲ"));
    }

    #[test]
    fn same_name_ignores_normalisation_case_and_spacing() {
        let nfd: String = "Đặng Thùy Dương".nfd().collect();
        assert!(same_name(&nfd, "Đặng Thùy Dương"));
        assert!(same_name(" đặng\u{A0}thùy  dương ", "Đặng Thùy Dương"));
    }

    #[test]
    fn same_name_keeps_tones_and_vowel_marks_apart() {
        assert!(!same_name("Hòa", "Hóa"));
        assert!(!same_name("Hòa", "Hoa"));
        assert!(!same_name("Dương", "Dưỡng"));
        assert!(!same_name("Văn", "Vân"));
        assert!(!same_name("Đức", "Dức"));
        assert!(!same_name("Nguyễn Văn An", "Nguyễn Văn Ân"));
    }

    #[test]
    fn name_key_is_lower_case_nfc() {
        assert_eq!(name_key("  NGUYỄN  Thị THỦY "), "nguyễn thị thuỷ");
    }
}
