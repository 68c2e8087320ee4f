//! The 8-bit Vietnamese encodings that old Excel voter lists still use, as they reach us: bytes
//! of an "ANSI" (Windows-1252) CSV file, or spreadsheet cells already read as Windows-1252 /
//! Latin-1 text whose font (.VnTime, VNI-Times) drew Vietnamese over those code points.
//!
//! * TCVN3 (TCVN 5712:1993 VN3, the "ABC" fonts .VnTime, .VnArial…): one byte per letter.
//!   Lower-case letters with diacritics live in 0xA8–0xFE, plus the seven marked capitals
//!   Ă Â Ê Ô Ơ Ư Đ at 0xA1–0xA7. Capital *toned* letters do not exist: capitals were typed as
//!   lower-case codes in the ".VnTimeH"-style fonts, whose glyphs are all capitals. "ư" is 0xAD,
//!   the Latin-1 soft hyphen, which many tools hide or delete.
//! * VNI-Windows (VNI-Times, VNI-Helve…): an ASCII base letter followed by one diacritic byte
//!   ("aù" = á, "aá" = ấ). ơ, ư, đ and the toned i, plus ỵ, are single bytes.
//! * Windows-1258, the "ANSI" code page of a Vietnamese Windows (what Excel's "CSV (Comma
//!   delimited)" writes there): Windows-1252 with ă â ê ô ơ ư đ (and capitals) in place of some
//!   Latin letters, and the five tones as combining marks after the vowel (0xCC grave,
//!   0xEC acute, 0xD2 hook, 0xDE tilde, 0xF2 dot below), so "ệ" is "ê" + 0xF2.
//!
//! Input mapping. `*_bytes` functions read bytes as Windows-1252 (`windows_1252_to_string`).
//! `*_str` functions take each char that Windows-1252 or Latin-1 can encode as that byte
//! (U+0000–U+00FF as themselves, U+20AC € → 0x80, U+2019 ’ → 0x92 and the other
//! Windows-1252 punctuation → its byte); everything else passes through unchanged. Neither
//! encoding puts a letter in 0x80–0x9F, so a reader's choice of Latin-1 or Windows-1252 for
//! that range does not change the result. Output is always NFC.

use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;

use super::syllable;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum LegacyEncoding {
    Unicode,
    Tcvn3,
    Vni,
    Windows1258,
}

/// Windows-1252 bytes 0x80–0x9F, for the way back from a char to its byte (decoding is
/// `encoding_rs`'s). The five bytes Windows-1252 leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D)
/// map to the C1 control of the same number, as browsers (WHATWG Encoding) and `encoding_rs` do.
const WINDOWS_1252_HIGH: [char; 32] = [
    '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', // 0x80
    'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8D}', 'Ž', '\u{8F}', // 0x88
    '\u{90}', '‘', '’', '“', '”', '•', '–', '—', // 0x90
    '˜', '™', 'š', '›', 'œ', '\u{9D}', 'ž', 'Ÿ', // 0x98
];

/// Whether every char could come from reading Windows-1252 / Latin-1 bytes: only such text can
/// be a legacy encoding read the wrong way ("ễ" cannot).
pub fn fits_windows_1252(text: &str) -> bool {
    text.chars().all(|c| windows_1252_byte(c).is_some())
}

/// Decodes Windows-1252 ("ANSI" on a Vietnamese or Western Windows) bytes.
pub fn windows_1252_to_string(bytes: &[u8]) -> String {
    encoding_rs::WINDOWS_1252
        .decode_without_bom_handling(bytes)
        .0
        .into_owned()
}

/// The byte a char stands for in text read as Windows-1252 or Latin-1; None for chars neither
/// can produce.
fn windows_1252_byte(c: char) -> Option<u8> {
    match u8::try_from(u32::from(c)) {
        Ok(byte) => Some(byte),
        Err(_) => WINDOWS_1252_HIGH
            .iter()
            .zip(0x80..=u8::MAX)
            .find(|&(&high, _)| high == c)
            .map(|(_, byte)| byte),
    }
}

/// TCVN3 (VN3) byte → letter, from the TCVN 5712:1993 chart. Within each vowel the tones run
/// huyền, hỏi, ngã, sắc, nặng. The holes (0xAF, 0xB0–0xB4, 0xBA, 0xBF–0xC5, 0xCD, 0xD9–0xDB,
/// 0xE0, 0xF0, 0xFF) carry capital toned letters and combining tones only in the full VN1 set,
/// not in VN3, the subset the ABC fonts implement; there they keep their Latin-1 meaning (a ° in
/// "25°C" stays a degree sign).
fn tcvn3_letter(byte: u8) -> Option<char> {
    Some(match byte {
        0xA1 => 'Ă',
        0xA2 => 'Â',
        0xA3 => 'Ê',
        0xA4 => 'Ô',
        0xA5 => 'Ơ',
        0xA6 => 'Ư',
        0xA7 => 'Đ',
        0xA8 => 'ă',
        0xA9 => 'â',
        0xAA => 'ê',
        0xAB => 'ô',
        0xAC => 'ơ',
        0xAD => 'ư',
        0xAE => 'đ',
        0xB5 => 'à',
        0xB6 => 'ả',
        0xB7 => 'ã',
        0xB8 => 'á',
        0xB9 => 'ạ',
        0xBB => 'ằ',
        0xBC => 'ẳ',
        0xBD => 'ẵ',
        0xBE => 'ắ',
        0xC6 => 'ặ',
        0xC7 => 'ầ',
        0xC8 => 'ẩ',
        0xC9 => 'ẫ',
        0xCA => 'ấ',
        0xCB => 'ậ',
        0xCC => 'è',
        0xCE => 'ẻ',
        0xCF => 'ẽ',
        0xD0 => 'é',
        0xD1 => 'ẹ',
        0xD2 => 'ề',
        0xD3 => 'ể',
        0xD4 => 'ễ',
        0xD5 => 'ế',
        0xD6 => 'ệ',
        0xD7 => 'ì',
        0xD8 => 'ỉ',
        0xDC => 'ĩ',
        0xDD => 'í',
        0xDE => 'ị',
        0xDF => 'ò',
        0xE1 => 'ỏ',
        0xE2 => 'õ',
        0xE3 => 'ó',
        0xE4 => 'ọ',
        0xE5 => 'ồ',
        0xE6 => 'ổ',
        0xE7 => 'ỗ',
        0xE8 => 'ố',
        0xE9 => 'ộ',
        0xEA => 'ờ',
        0xEB => 'ở',
        0xEC => 'ỡ',
        0xED => 'ớ',
        0xEE => 'ợ',
        0xEF => 'ù',
        0xF1 => 'ủ',
        0xF2 => 'ũ',
        0xF3 => 'ú',
        0xF4 => 'ụ',
        0xF5 => 'ừ',
        0xF6 => 'ử',
        0xF7 => 'ữ',
        0xF8 => 'ứ',
        0xF9 => 'ự',
        0xFA => 'ỳ',
        0xFB => 'ỷ',
        0xFC => 'ỹ',
        0xFD => 'ý',
        0xFE => 'ỵ',
        _ => return None,
    })
}

/// TCVN3 text read as Windows-1252 / Latin-1 → Unicode. `upper` is for the "H" fonts
/// (.VnTimeH…), which draw every code as a capital: the decoded text is then upper-cased.
pub fn decode_tcvn3_str(text: &str, upper: bool) -> String {
    let decoded: String = text
        .chars()
        .map(|c| windows_1252_byte(c).and_then(tcvn3_letter).unwrap_or(c))
        .collect();
    finish(decoded, upper)
}

/// TCVN3 bytes (an "ANSI" CSV file) → Unicode; see `decode_tcvn3_str`.
pub fn decode_tcvn3_bytes(bytes: &[u8], upper: bool) -> String {
    decode_tcvn3_str(&windows_1252_to_string(bytes), upper)
}

fn finish(decoded: String, upper: bool) -> String {
    let cased = if upper {
        decoded.to_uppercase()
    } else {
        decoded
    };
    cased.nfc().collect()
}

const CIRCUMFLEX: char = '\u{302}';
const BREVE: char = '\u{306}';
const GRAVE: char = '\u{300}';
const ACUTE: char = '\u{301}';
const TILDE: char = '\u{303}';
const HOOK: char = '\u{309}';
const DOT_BELOW: char = '\u{323}';

/// A VNI diacritic byte, as read in Windows-1252 (lower-case form; the capital form is used
/// after capitals): the vowel shape mark and/or the tone it adds to the letter before it.
fn vni_diacritic(c: char) -> Option<(Option<char>, Option<char>)> {
    let lower = c.to_lowercase().next()?;
    Some(match lower {
        'ù' => (None, Some(ACUTE)),                 // 0xF9
        'ø' => (None, Some(GRAVE)),                 // 0xF8
        'û' => (None, Some(HOOK)),                  // 0xFB
        'õ' => (None, Some(TILDE)),                 // 0xF5
        'ï' => (None, Some(DOT_BELOW)),             // 0xEF
        'â' => (Some(CIRCUMFLEX), None),            // 0xE2
        'á' => (Some(CIRCUMFLEX), Some(ACUTE)),     // 0xE1
        'à' => (Some(CIRCUMFLEX), Some(GRAVE)),     // 0xE0
        'å' => (Some(CIRCUMFLEX), Some(HOOK)),      // 0xE5
        'ã' => (Some(CIRCUMFLEX), Some(TILDE)),     // 0xE3
        'ä' => (Some(CIRCUMFLEX), Some(DOT_BELOW)), // 0xE4
        'ê' => (Some(BREVE), None),                 // 0xEA
        'é' => (Some(BREVE), Some(ACUTE)),          // 0xE9
        'è' => (Some(BREVE), Some(GRAVE)),          // 0xE8
        'ú' => (Some(BREVE), Some(HOOK)),           // 0xFA
        'ü' => (Some(BREVE), Some(TILDE)),          // 0xFC
        'ë' => (Some(BREVE), Some(DOT_BELOW)),      // 0xEB
        _ => return None,
    })
}

/// Letters that take a VNI diacritic byte after them. ơ and ư are single bytes that still take
/// a tone byte ("ôù" = ớ).
fn vni_base(c: char) -> Option<char> {
    match c {
        'a' | 'e' | 'o' | 'u' | 'y' | 'A' | 'E' | 'O' | 'U' | 'Y' => Some(c),
        'ô' => Some('ơ'), // 0xF4
        'Ô' => Some('Ơ'), // 0xD4
        'ö' => Some('ư'), // 0xF6
        'Ö' => Some('Ư'), // 0xD6
        _ => None,
    }
}

/// Whether a base can carry a shape mark: circumflex on a e o, breve on a only.
fn takes_shape(base: char, shape: char) -> bool {
    match shape {
        CIRCUMFLEX => matches!(base, 'a' | 'e' | 'o' | 'A' | 'E' | 'O'),
        _ => matches!(base, 'a' | 'A'),
    }
}

/// VNI letters that are one byte on their own: đ, and i and ỵ with tones (i has no room for a
/// separate tone glyph). Bytes í ì (0xED, 0xEC) happen to be í ì themselves.
fn vni_single(c: char) -> Option<char> {
    Some(match c {
        'ñ' => 'đ', // 0xF1
        'Ñ' => 'Đ', // 0xD1
        'æ' => 'ỉ', // 0xE6
        'Æ' => 'Ỉ', // 0xC6
        'ó' => 'ĩ', // 0xF3
        'Ó' => 'Ĩ', // 0xD3
        'ò' => 'ị', // 0xF2
        'Ò' => 'Ị', // 0xD2
        'î' => 'ỵ', // 0xEE
        'Î' => 'Ỵ', // 0xCE
        _ => return None,
    })
}

/// VNI-Windows text read as Windows-1252 / Latin-1 → Unicode. Each letter is read greedily: a
/// base, then the one diacritic byte that fits it if there is one ("aù" = á, "öù" = ứ). The base
/// decides the case, so a capital diacritic after a small letter (or the reverse) still decodes.
pub fn decode_vni_str(text: &str) -> String {
    let mut decoded = String::with_capacity(text.len() + text.len() / 2);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let Some(base) = vni_base(c) else {
            decoded.push(vni_single(c).unwrap_or(c));
            continue;
        };
        decoded.push(base);
        let fitting = chars
            .peek()
            .and_then(|&next| vni_diacritic(next))
            .filter(|&(shape, _)| shape.is_none_or(|shape| takes_shape(base, shape)));
        if let Some((shape, tone)) = fitting {
            chars.next();
            decoded.extend(shape);
            decoded.extend(tone);
        }
    }
    // The base and its combining marks compose here into single letters.
    decoded.nfc().collect()
}

/// VNI-Windows bytes (an "ANSI" CSV file) → Unicode; see `decode_vni_str`.
pub fn decode_vni_bytes(bytes: &[u8]) -> String {
    decode_vni_str(&windows_1252_to_string(bytes))
}

/// Windows-1258 text read as Windows-1252 / Latin-1 → Unicode (NFC: Windows-1258 writes the
/// tones as combining marks after the vowel, composed here onto it). Chars no such reading
/// produces pass through.
pub fn decode_windows_1258_str(text: &str) -> String {
    let mut decoded = String::with_capacity(text.len());
    let mut bytes = Vec::with_capacity(text.len());
    let flush = |bytes: &mut Vec<u8>, decoded: &mut String| {
        decoded.push_str(
            &encoding_rs::WINDOWS_1258
                .decode_without_bom_handling(bytes)
                .0,
        );
        bytes.clear();
    };
    for c in text.chars() {
        match windows_1252_byte(c) {
            Some(byte) => bytes.push(byte),
            None => {
                flush(&mut bytes, &mut decoded);
                decoded.push(c);
            }
        }
    }
    flush(&mut bytes, &mut decoded);
    decoded.nfc().collect()
}

/// Decodes a cell in the given encoding; `upper` upper-cases the result (TCVN3 "H" fonts, see
/// `font_hint`). Unicode text is only normalised to NFC.
pub fn decode_str(text: &str, encoding: LegacyEncoding, upper: bool) -> String {
    match encoding {
        LegacyEncoding::Unicode => finish(text.to_owned(), upper),
        LegacyEncoding::Tcvn3 => decode_tcvn3_str(text, upper),
        LegacyEncoding::Vni => finish(decode_vni_str(text), upper),
        LegacyEncoding::Windows1258 => finish(decode_windows_1258_str(text), upper),
    }
}

/// The encoding a cell's font implies, and whether it is a TCVN3 all-capitals ("H") font:
/// ".VnTime" → (Tcvn3, false), ".VnTimeH" / ".VnArialH" → (Tcvn3, true), "VNI-Times" → Vni.
/// None for ordinary (Unicode) fonts.
pub fn font_hint(font_name: &str) -> Option<(LegacyEncoding, bool)> {
    let name = font_name.trim();
    let starts_with = |prefix: &str| {
        name.get(..prefix.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(prefix))
    };
    if starts_with(".vn") {
        // The capitals variant is the family name with a capital H appended.
        Some((LegacyEncoding::Tcvn3, name.ends_with('H')))
    } else if starts_with("vni-") || starts_with("vni ") {
        Some((LegacyEncoding::Vni, false))
    } else {
        None
    }
}

/// Cells per verdict, for an import preview ("412 cells look like TCVN3").
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EncodingVotes {
    pub unicode: usize,
    pub tcvn3: usize,
    pub vni: usize,
    #[serde(default)]
    pub windows_1258: usize,
}

/// Guesses one cell's encoding when no font says (`font_hint` wins when there is one).
/// Weak or ambiguous evidence answers Unicode: decoding good text as legacy would damage it.
pub fn detect(text: &str) -> LegacyEncoding {
    vote(text).unwrap_or(LegacyEncoding::Unicode)
}

/// Guesses the encoding of a whole file from its cells: the legacy encoding with the most
/// votes if it also outvotes Unicode, otherwise Unicode. Cells without evidence (plain ASCII,
/// ambiguous words) do not vote.
pub fn detect_many<'a>(
    cells: impl IntoIterator<Item = &'a str>,
) -> (LegacyEncoding, EncodingVotes) {
    let mut votes = EncodingVotes::default();
    for cell in cells {
        votes.add(cell);
    }
    (votes.winner(), votes)
}

impl EncodingVotes {
    /// Counts one cell's vote (`detect_many` one cell at a time, for files read as a stream).
    pub fn add(&mut self, cell: &str) {
        match vote(cell) {
            Some(LegacyEncoding::Unicode) => self.unicode += 1,
            Some(LegacyEncoding::Tcvn3) => self.tcvn3 += 1,
            Some(LegacyEncoding::Vni) => self.vni += 1,
            Some(LegacyEncoding::Windows1258) => self.windows_1258 += 1,
            None => {}
        }
    }

    /// The legacy encoding with the most votes if it also outvotes Unicode, else Unicode.
    pub fn winner(&self) -> LegacyEncoding {
        let legacy = [
            (LegacyEncoding::Tcvn3, self.tcvn3),
            (LegacyEncoding::Vni, self.vni),
            (LegacyEncoding::Windows1258, self.windows_1258),
        ];
        let best = legacy.iter().map(|&(_, votes)| votes).max().unwrap_or(0);
        let mut leaders = legacy.iter().filter(|&&(_, votes)| votes == best);
        match (leaders.next(), leaders.next()) {
            (Some(&(encoding, votes)), None) if votes > self.unicode => encoding,
            _ => LegacyEncoding::Unicode,
        }
    }
}

/// How well one reading of a cell reads as Vietnamese: words that are well-formed syllables
/// minus words that are not.
fn reading_score(words: impl Iterator<Item = String>) -> i32 {
    words
        .map(|word| if syllable::is_syllable(&word) { 1 } else { -1 })
        .sum()
}

/// One cell's verdict, None when it carries no evidence either way.
///
/// Every non-ASCII word is read three ways: as it stands, as TCVN3, as VNI. A reading earns a
/// point per word that is a Vietnamese syllable and loses one per word that is not (the legacy
/// readings count only the words they change). A legacy reading needs a positive score; the
/// single best reading wins and a tie is no evidence. "Hµ Néi" scores -2 as it stands and +2 as
/// TCVN3 ("Hà Nội"); "Lê Hà" scores +2 as it stands and +1 as TCVN3 ("Lờ Hà"); "José Müller"
/// reads as Vietnamese in no way, so it stays Unicode.
fn vote(text: &str) -> Option<LegacyEncoding> {
    if text.is_ascii() {
        return None;
    }
    // A char no Windows-1252 reading can produce (ư, ễ, a combining mark…) means real Unicode.
    if text.chars().any(|c| windows_1252_byte(c).is_none()) {
        return Some(LegacyEncoding::Unicode);
    }
    // Legacy letters are never ASCII punctuation or whitespace, so splitting there keeps each
    // encoded word whole.
    let words: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || c.is_ascii_punctuation())
        .filter(|word| !word.is_ascii())
        .collect();
    let changed_by = |decode: fn(&str) -> String| {
        reading_score(words.iter().filter_map(|&word| {
            let decoded = decode(word);
            (decoded != word).then_some(decoded)
        }))
    };
    let readings = [
        (
            LegacyEncoding::Unicode,
            reading_score(words.iter().map(|&word| word.to_owned())),
        ),
        (
            LegacyEncoding::Tcvn3,
            changed_by(|word| decode_tcvn3_str(word, false)),
        ),
        (LegacyEncoding::Vni, changed_by(decode_vni_str)),
        (
            LegacyEncoding::Windows1258,
            changed_by(decode_windows_1258_str),
        ),
    ];
    let eligible = || {
        readings
            .iter()
            .filter(|&&(encoding, score)| encoding == LegacyEncoding::Unicode || score > 0)
    };
    let best = eligible().map(|&(_, score)| score).max()?;
    let mut winners = eligible().filter(|&&(_, score)| score == best);
    match (winners.next(), winners.next()) {
        (Some(&(encoding, _)), None) => Some(encoding),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every Vietnamese vowel in every tone, and đ: 72 + 1 letters, 67 of them with diacritics.
    const LOWER_LETTERS: &str =
        "aàáảãạăằắẳẵặâầấẩẫậeèéẻẽẹêềếểễệiìíỉĩịoòóỏõọôồốổỗộơờớởỡợuùúủũụưừứửữựyỳýỷỹỵđ";

    const NAMES: [&str; 5] = [
        "Nguyễn Văn An",
        "Trần Thị Hương",
        "Đặng Thùy Dương",
        "Lý Thị Ửng",
        "Phạm Ngọc Ước",
    ];

    fn all_letters() -> impl Iterator<Item = char> {
        LOWER_LETTERS
            .chars()
            .chain(LOWER_LETTERS.chars().flat_map(char::to_uppercase))
    }

    fn latin1(bytes: &[u8]) -> String {
        bytes.iter().map(|&byte| char::from(byte)).collect()
    }

    fn latin1_bytes(text: &str) -> Vec<u8> {
        text.chars()
            .map(|c| u8::try_from(u32::from(c)).expect("Latin-1"))
            .collect()
    }

    // ---- TCVN3 encoder: the inverse table, written out by vowel and tone (ngang, huyền, hỏi,
    // ngã, sắc, nặng) from the TCVN 5712:1993 VN3 chart. The decoder's table is in byte order,
    // so a slip in either shows up against the other.

    const TCVN3_GRID: [(&str, [u8; 6]); 12] = [
        ("aàảãáạ", [b'a', 0xB5, 0xB6, 0xB7, 0xB8, 0xB9]),
        ("ăằẳẵắặ", [0xA8, 0xBB, 0xBC, 0xBD, 0xBE, 0xC6]),
        ("âầẩẫấậ", [0xA9, 0xC7, 0xC8, 0xC9, 0xCA, 0xCB]),
        ("eèẻẽéẹ", [b'e', 0xCC, 0xCE, 0xCF, 0xD0, 0xD1]),
        ("êềểễếệ", [0xAA, 0xD2, 0xD3, 0xD4, 0xD5, 0xD6]),
        ("iìỉĩíị", [b'i', 0xD7, 0xD8, 0xDC, 0xDD, 0xDE]),
        ("oòỏõóọ", [b'o', 0xDF, 0xE1, 0xE2, 0xE3, 0xE4]),
        ("ôồổỗốộ", [0xAB, 0xE5, 0xE6, 0xE7, 0xE8, 0xE9]),
        ("ơờởỡớợ", [0xAC, 0xEA, 0xEB, 0xEC, 0xED, 0xEE]),
        ("uùủũúụ", [b'u', 0xEF, 0xF1, 0xF2, 0xF3, 0xF4]),
        ("ưừửữứự", [0xAD, 0xF5, 0xF6, 0xF7, 0xF8, 0xF9]),
        ("yỳỷỹýỵ", [b'y', 0xFA, 0xFB, 0xFC, 0xFD, 0xFE]),
    ];

    const TCVN3_OTHERS: [(char, u8); 8] = [
        ('đ', 0xAE),
        ('Ă', 0xA1),
        ('Â', 0xA2),
        ('Ê', 0xA3),
        ('Ô', 0xA4),
        ('Ơ', 0xA5),
        ('Ư', 0xA6),
        ('Đ', 0xA7),
    ];

    fn tcvn3_code(letter: char) -> Option<u8> {
        if letter.is_ascii() {
            return Some(letter as u8);
        }
        TCVN3_GRID
            .iter()
            .find_map(|(letters, codes)| {
                letters.chars().position(|l| l == letter).map(|i| codes[i])
            })
            .or_else(|| {
                TCVN3_OTHERS
                    .iter()
                    .find(|(l, _)| *l == letter)
                    .map(|&(_, code)| code)
            })
    }

    /// Text as typed in a plain TCVN3 font; None if it needs a capital toned letter, which only
    /// the "H" fonts can show.
    fn encode_tcvn3(text: &str) -> Option<Vec<u8>> {
        text.chars().map(tcvn3_code).collect()
    }

    /// Text as typed in a TCVN3 "H" font: lower-case codes, drawn as capitals.
    fn encode_tcvn3_h(text: &str) -> Vec<u8> {
        encode_tcvn3(&text.to_lowercase()).expect("every lower-case letter has a code")
    }

    #[test]
    fn tcvn3_decoder_covers_exactly_the_chart() {
        let mut charted: Vec<u8> = TCVN3_GRID
            .iter()
            .flat_map(|(_, codes)| codes.iter().copied())
            .filter(|code| !code.is_ascii())
            .chain(TCVN3_OTHERS.iter().map(|&(_, code)| code))
            .collect();
        charted.sort_unstable();
        let decodable: Vec<u8> = (0..=u8::MAX)
            .filter(|&b| tcvn3_letter(b).is_some())
            .collect();
        assert_eq!(charted.len(), 67 + 7);
        assert_eq!(decodable, charted);
    }

    #[test]
    fn tcvn3_every_lower_case_letter_round_trips() {
        for letter in LOWER_LETTERS.chars() {
            let text = letter.to_string();
            let bytes = encode_tcvn3(&text).unwrap();
            assert_eq!(bytes.len(), 1, "{letter}");
            assert_eq!(decode_tcvn3_bytes(&bytes, false), text, "{letter}");
            assert_eq!(decode_tcvn3_str(&latin1(&bytes), false), text, "{letter}");
        }
    }

    #[test]
    fn tcvn3_every_capital_round_trips() {
        let mut plain = 0;
        for letter in LOWER_LETTERS.chars().flat_map(char::to_uppercase) {
            let text = letter.to_string();
            // The H fonts show any letter as a capital.
            assert_eq!(
                decode_tcvn3_bytes(&encode_tcvn3_h(&text), true),
                text,
                "{letter}"
            );
            assert_eq!(
                decode_tcvn3_str(&latin1(&encode_tcvn3_h(&text)), true),
                text
            );
            // The plain fonts have only the unmarked capitals and Ă Â Ê Ô Ơ Ư Đ.
            if let Some(bytes) = encode_tcvn3(&text) {
                assert_eq!(decode_tcvn3_bytes(&bytes, false), text, "{letter}");
                plain += 1;
            }
        }
        assert_eq!(plain, 6 + 7);
    }

    #[test]
    fn tcvn3_known_codes() {
        assert_eq!(decode_tcvn3_bytes(&[0xB8], false), "á");
        assert_eq!(decode_tcvn3_bytes(&[0xAD], false), "ư");
        assert_eq!(decode_tcvn3_bytes(&[0xAE], false), "đ");
        assert_eq!(decode_tcvn3_bytes(&[0xA7], false), "Đ");
        assert_eq!(
            decode_tcvn3_bytes(&[0xA1, 0xA2, 0xA3, 0xA4, 0xA5, 0xA6], false),
            "ĂÂÊÔƠƯ"
        );
        assert_eq!(
            decode_tcvn3_bytes(&[0xB5, 0xB6, 0xB7, 0xB8, 0xB9], false),
            "àảãáạ"
        );
        assert_eq!(
            decode_tcvn3_bytes(&[0xFA, 0xFB, 0xFC, 0xFD, 0xFE], false),
            "ỳỷỹýỵ"
        );
    }

    #[test]
    fn tcvn3_decodes_real_world_mojibake() {
        // As a Unicode font shows TCVN3 text (docs/domain.md §5.3 and converter READMEs).
        for (shown, meant) in [
            ("Ninh B×nh", "Ninh Bình"),
            ("Hµ Néi", "Hà Nội"),
            ("NguyÔn", "Nguyễn"),
            ("B¶o Th¾ng", "Bảo Thắng"),
            // ư is the invisible soft hyphen: "M­êng Kh­¬ng" as shown.
            ("M\u{AD}êng Kh\u{AD}¬ng", "Mường Khương"),
            ("B¸t X¸t", "Bát Xát"),
        ] {
            assert_eq!(decode_tcvn3_str(shown, false), meant);
            assert_eq!(decode_tcvn3_bytes(&latin1_bytes(shown), false), meant);
        }
    }

    #[test]
    fn tcvn3_names_round_trip() {
        for name in NAMES {
            // "Ửng" needs a capital toned letter, which a plain TCVN3 font cannot write.
            if let Some(bytes) = encode_tcvn3(name) {
                assert_eq!(decode_tcvn3_bytes(&bytes, false), name);
                assert_eq!(decode_tcvn3_str(&latin1(&bytes), false), name);
            } else {
                assert_eq!(name, "Lý Thị Ửng");
            }
            let upper = name.to_uppercase();
            assert_eq!(decode_tcvn3_bytes(&encode_tcvn3_h(name), true), upper);
            assert_eq!(
                decode_tcvn3_str(&latin1(&encode_tcvn3_h(name)), true),
                upper
            );
        }
    }

    #[test]
    fn tcvn3_u_horn_survives_as_soft_hyphen() {
        let bytes = encode_tcvn3("Trần Thị Hương").unwrap();
        assert!(bytes.contains(&0xAD));
        let as_text = windows_1252_to_string(&bytes);
        assert!(as_text.contains('\u{AD}'));
        assert_eq!(decode_tcvn3_str(&as_text, false), "Trần Thị Hương");
        assert_eq!(decode_tcvn3_bytes(&bytes, false), "Trần Thị Hương");
        // Decoding first, cleaning after: the ư is a letter by the time the cell is cleaned.
        assert_eq!(
            crate::domain::text::clean_cell(&decode_tcvn3_str(" H\u{AD}¬ng ", false)),
            "Hương"
        );
    }

    #[test]
    fn tcvn3_leaves_other_characters_alone() {
        assert_eq!(decode_tcvn3_str("Tæ 12 – ‘A’ €", false), "Tổ 12 – ‘A’ €");
        assert_eq!(
            decode_tcvn3_bytes(b"T\xe6 12 \x96 \x91A\x92", false),
            "Tổ 12 – ‘A’"
        );
        // Already-Unicode letters outside Latin-1 pass through.
        assert_eq!(decode_tcvn3_str("ư ễ", false), "ư ễ");
    }

    // ---- VNI encoder: the inverse table, written out by vowel and tone (ngang, sắc, huyền,
    // hỏi, ngã, nặng) from the VNI-Windows chart, as the Windows-1252 text it shows as.

    const VNI_GRID: [(&str, [&str; 6]); 12] = [
        ("aáàảãạ", ["a", "aù", "aø", "aû", "aõ", "aï"]),
        ("ăắằẳẵặ", ["aê", "aé", "aè", "aú", "aü", "aë"]),
        ("âấầẩẫậ", ["aâ", "aá", "aà", "aå", "aã", "aä"]),
        ("eéèẻẽẹ", ["e", "eù", "eø", "eû", "eõ", "eï"]),
        ("êếềểễệ", ["eâ", "eá", "eà", "eå", "eã", "eä"]),
        ("iíìỉĩị", ["i", "í", "ì", "æ", "ó", "ò"]),
        ("oóòỏõọ", ["o", "où", "oø", "oû", "oõ", "oï"]),
        ("ôốồổỗộ", ["oâ", "oá", "oà", "oå", "oã", "oä"]),
        ("ơớờởỡợ", ["ô", "ôù", "ôø", "ôû", "ôõ", "ôï"]),
        ("uúùủũụ", ["u", "uù", "uø", "uû", "uõ", "uï"]),
        ("ưứừửữự", ["ö", "öù", "öø", "öû", "öõ", "öï"]),
        ("yýỳỷỹỵ", ["y", "yù", "yø", "yû", "yõ", "î"]),
    ];

    /// Lower-case code of a lower-case letter; capitals use the Latin-1 capitals of the same
    /// bytes ("AÙ" = Á, "Ö" = Ư).
    fn vni_code(letter: char) -> String {
        if letter == 'đ' {
            return "ñ".to_owned();
        }
        VNI_GRID
            .iter()
            .find_map(|(letters, codes)| {
                letters.chars().position(|l| l == letter).map(|i| codes[i])
            })
            .map_or_else(|| letter.to_string(), str::to_owned)
    }

    fn encode_vni(text: &str) -> String {
        text.chars()
            .map(|letter| {
                let lower = letter.to_lowercase().next().unwrap();
                if lower == letter {
                    vni_code(letter)
                } else {
                    vni_code(lower).to_uppercase()
                }
            })
            .collect()
    }

    #[test]
    fn vni_every_letter_round_trips_in_both_cases() {
        for letter in all_letters() {
            let text = letter.to_string();
            let encoded = encode_vni(&text);
            assert_eq!(decode_vni_str(&encoded), text, "{letter} as {encoded}");
            assert_eq!(decode_vni_bytes(&latin1_bytes(&encoded)), text, "{letter}");
        }
    }

    #[test]
    fn vni_known_codes() {
        for (shown, meant) in [
            ("aù", "á"),
            ("aø", "à"),
            ("aû", "ả"),
            ("aõ", "ã"),
            ("aï", "ạ"),
            ("aâ", "â"),
            ("aê", "ă"),
            ("eâ", "ê"),
            ("oâ", "ô"),
            ("ô", "ơ"),
            ("ö", "ư"),
            ("aá", "ấ"),
            ("aà", "ầ"),
            ("aå", "ẩ"),
            ("aã", "ẫ"),
            ("aä", "ậ"),
            ("aé", "ắ"),
            ("aè", "ằ"),
            ("aú", "ẳ"),
            ("aü", "ẵ"),
            ("aë", "ặ"),
            ("ñ", "đ"),
            ("Ñ", "Đ"),
            ("î", "ỵ"),
            ("OÂ", "Ô"),
            ("Ô", "Ơ"),
            ("Ö", "Ư"),
        ] {
            assert_eq!(decode_vni_str(shown), meant, "{shown}");
        }
    }

    #[test]
    fn vni_decodes_real_world_mojibake() {
        assert_eq!(decode_vni_str("Nguyeãn Vaên A"), "Nguyễn Văn A");
        assert_eq!(decode_vni_str("Xin chaøo caùc baïn"), "Xin chào các bạn");
        assert_eq!(decode_vni_str("NGUYEÃN VAÊN A"), "NGUYỄN VĂN A");
        assert_eq!(decode_vni_str("Ñaëng Thò Höông"), "Đặng Thị Hương");
        // ư + ơ + tone: three letters in four bytes.
        assert_eq!(decode_vni_str("ÖÔÙc"), "ƯỚc");
        assert_eq!(decode_vni_str("Ngöôøi"), "Người");
    }

    #[test]
    fn vni_takes_a_diacritic_only_where_it_fits() {
        // Breve only on a, circumflex only on a e o, no tone after a consonant or i.
        assert_eq!(decode_vni_str("Zoë"), "Zoë");
        assert_eq!(decode_vni_str("eê"), "eê");
        assert_eq!(decode_vni_str("uâ"), "uâ");
        assert_eq!(decode_vni_str("bù iù"), "bù iù");
        // The base decides the case.
        assert_eq!(decode_vni_str("Aù aÙ"), "Á á");
    }

    #[test]
    fn vni_names_round_trip() {
        for name in NAMES {
            for text in [name.to_owned(), name.to_uppercase()] {
                let encoded = encode_vni(&text);
                assert_eq!(decode_vni_str(&encoded), text, "{encoded}");
                assert_eq!(decode_vni_bytes(&latin1_bytes(&encoded)), text);
            }
        }
        assert_eq!(encode_vni("Lý Thị Ửng"), "Lyù Thò ÖÛng");
        assert_eq!(encode_vni("Phạm Ngọc Ước"), "Phaïm Ngoïc Öôùc");
    }

    #[test]
    fn outputs_are_nfc() {
        let decomposed = "Thu\u{300}y";
        assert_eq!(decode_tcvn3_str(decomposed, false), "Thùy");
        assert_eq!(decode_vni_str(decomposed), "Thùy");
        assert_eq!(
            decode_str(decomposed, LegacyEncoding::Unicode, false),
            "Thùy"
        );
    }

    #[test]
    fn windows_1252_mapping() {
        assert_eq!(windows_1252_to_string(b"\x80\x92\x93\x94\x96"), "€’“”–");
        assert_eq!(
            windows_1252_to_string(b"\x81\x8d\x8f\x90\x9d"),
            "\u{81}\u{8D}\u{8F}\u{90}\u{9D}"
        );
        assert_eq!(windows_1252_to_string(b"A\xa0\xad\xff"), "A\u{A0}\u{AD}ÿ");
        for byte in 0..=u8::MAX {
            let c = windows_1252_to_string(&[byte]).chars().next().unwrap();
            assert_eq!(windows_1252_byte(c), Some(byte), "{byte:#x}");
        }
        // A Latin-1 reader's C1 controls stand for the same bytes.
        assert_eq!(windows_1252_byte('\u{92}'), Some(0x92));
        assert_eq!(windows_1252_byte('ư'), None);
    }

    #[test]
    fn windows_1258_tones_are_composed_and_other_chars_pass_through() {
        let read_as_1252 =
            windows_1252_to_string(b"Nguy\xEA\xDEn V\xE3n \xD0\xFD\xECc 50\xFE \x80");
        let decoded = decode_windows_1258_str(&read_as_1252);
        assert_eq!(decoded, "Nguyễn Văn Đức 50₫ €");
        assert_eq!(nfc_of(&decoded), decoded);
        // Undefined in Windows-1258: the C1 control of the same number.
        assert_eq!(decode_windows_1258_str("Šž"), "\u{8A}\u{9E}");
        // Text that is already Unicode keeps its letters, the tone after it still composed.
        assert_eq!(decode_windows_1258_str("ườ ê\u{F2}"), "ườ ệ");
    }

    fn nfc_of(text: &str) -> String {
        text.nfc().collect()
    }

    #[test]
    fn decode_str_dispatches() {
        let tcvn3 = latin1(&encode_tcvn3_h("Trần Thị Hương"));
        assert_eq!(
            decode_str(&tcvn3, LegacyEncoding::Tcvn3, true),
            "TRẦN THỊ HƯƠNG"
        );
        assert_eq!(
            decode_str(&tcvn3, LegacyEncoding::Tcvn3, false),
            "trần thị hương"
        );
        assert_eq!(decode_str("Nguyeãn", LegacyEncoding::Vni, false), "Nguyễn");
        assert_eq!(
            decode_str("Nguyễn", LegacyEncoding::Unicode, true),
            "NGUYỄN"
        );
    }

    #[test]
    fn font_hints() {
        assert_eq!(font_hint(".VnTime"), Some((LegacyEncoding::Tcvn3, false)));
        assert_eq!(font_hint(".VnTimeH"), Some((LegacyEncoding::Tcvn3, true)));
        assert_eq!(font_hint(".VnArial"), Some((LegacyEncoding::Tcvn3, false)));
        assert_eq!(font_hint(".VnArialH"), Some((LegacyEncoding::Tcvn3, true)));
        assert_eq!(
            font_hint(".VnArial NarrowH"),
            Some((LegacyEncoding::Tcvn3, true))
        );
        assert_eq!(font_hint(" .vntime "), Some((LegacyEncoding::Tcvn3, false)));
        assert_eq!(font_hint("VNI-Times"), Some((LegacyEncoding::Vni, false)));
        assert_eq!(
            font_hint("VNI-Helve-Condense"),
            Some((LegacyEncoding::Vni, false))
        );
        assert_eq!(font_hint("Times New Roman"), None);
        assert_eq!(font_hint("Arial"), None);
        assert_eq!(font_hint("VnTime"), None);
        assert_eq!(font_hint(""), None);
    }

    #[test]
    fn detects_unicode() {
        for cell in [
            "Nguyễn Văn An",
            "Trần Thị Hương",
            "Đặng Thùy Dương",
            "Lê Hà",
            "Tô Hoài",
            "Lê Thúy",
            "Nguyen Van An",
            "12/05/1980",
            "",
        ] {
            assert_eq!(detect(cell), LegacyEncoding::Unicode, "{cell}");
        }
        let nfd: String = "Nguyễn Văn An".nfd().collect();
        assert_eq!(detect(&nfd), LegacyEncoding::Unicode);
    }

    #[test]
    fn detects_western_names_as_unicode() {
        for cell in [
            "José Müller",
            "Ærø",
            "Hélène Dupont",
            "Zoë",
            "Peña",
            "Gödel",
            "São Paulo",
            "Crème brûlée",
            "François Noël",
            "25°C",
        ] {
            assert_eq!(detect(cell), LegacyEncoding::Unicode, "{cell}");
        }
    }

    #[test]
    fn detects_tcvn3() {
        for name in NAMES {
            let upper = latin1(&encode_tcvn3_h(name));
            assert_eq!(detect(&upper), LegacyEncoding::Tcvn3, "{name} as {upper}");
            if let Some(bytes) = encode_tcvn3(name) {
                let shown = latin1(&bytes);
                assert_eq!(detect(&shown), LegacyEncoding::Tcvn3, "{name} as {shown}");
            }
        }
        for cell in [
            "Hµ Néi",
            "Ninh B×nh",
            "NguyÔn V¨n An",
            "M\u{AD}êng Kh\u{AD}¬ng",
        ] {
            assert_eq!(detect(cell), LegacyEncoding::Tcvn3, "{cell}");
        }
    }

    #[test]
    fn detects_vni() {
        for name in NAMES {
            for text in [name.to_owned(), name.to_uppercase()] {
                let shown = encode_vni(&text);
                assert_eq!(detect(&shown), LegacyEncoding::Vni, "{text} as {shown}");
            }
        }
        for cell in ["Xin chaøo caùc baïn", "Nguyeãn Vaên A", "Ñinh"] {
            assert_eq!(detect(cell), LegacyEncoding::Vni, "{cell}");
        }
    }

    #[test]
    fn detect_many_takes_the_majority_with_evidence() {
        let tcvn3: Vec<String> = NAMES
            .iter()
            .map(|name| latin1(&encode_tcvn3_h(name)))
            .collect();
        let mut cells: Vec<&str> = tcvn3.iter().map(String::as_str).collect();
        cells.extend(["STT", "12/05/1980", "Tô", "Lê Hà"]);
        let (encoding, votes) = detect_many(cells);
        assert_eq!(encoding, LegacyEncoding::Tcvn3);
        // "Tô" reads as Vietnamese in all three ways and gives no vote; "Lê Hà" votes Unicode.
        assert_eq!(
            votes,
            EncodingVotes {
                unicode: 1,
                tcvn3: 5,
                vni: 0,
                windows_1258: 0
            }
        );

        let vni: Vec<String> = NAMES.iter().map(|name| encode_vni(name)).collect();
        let (encoding, votes) = detect_many(vni.iter().map(String::as_str));
        assert_eq!(encoding, LegacyEncoding::Vni);
        assert_eq!(votes.vni, 5);

        let (encoding, votes) = detect_many(NAMES);
        assert_eq!(encoding, LegacyEncoding::Unicode);
        assert_eq!(votes.unicode, 5);

        assert_eq!(
            detect_many(["STT", "Nguyen Van An"]),
            (LegacyEncoding::Unicode, EncodingVotes::default())
        );
        // A tie between a legacy encoding and Unicode keeps the text as it is.
        assert_eq!(detect_many(["Hµ Néi", "Lê Hà"]).0, LegacyEncoding::Unicode);
    }
}
