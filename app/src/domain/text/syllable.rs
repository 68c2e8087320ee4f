//! The shape of one Vietnamese syllable: initial consonant, vowel nucleus (with its glides), final
//! consonant and at most one tone. Tone-placement canonicalisation uses it to find the vowel the
//! tone belongs on; legacy-encoding detection uses it to judge whether a decoded word reads as
//! Vietnamese. The rules are deliberately permissive (a few rare or loan rhymes are accepted):
//! they only need to tell Vietnamese from mojibake and from other languages.

use unicode_normalization::UnicodeNormalization;

/// Combining marks of the five written tones: huyền, sắc, ngã, hỏi, nặng. Ngang has no mark.
const TONE_MARKS: [char; 5] = ['\u{300}', '\u{301}', '\u{303}', '\u{309}', '\u{323}'];

const VOWELS: &str = "aăâeêioôơuưy";

/// Vowels whose shape mark attracts the tone in every spelling convention.
const SHAPED_VOWELS: &str = "ăâêôơư";

/// Longest spellings first, so "ngh" wins over "ng" and "n"; "gi" and "qu" count as initials
/// (giá, quý), and a failed parse falls back to the shorter ones (gìn = g + ìn). "" is last:
/// a syllable may start with its vowel (ước).
const INITIALS: [&str; 28] = [
    "ngh", "ng", "nh", "gh", "gi", "kh", "ph", "th", "tr", "ch", "qu", "b", "c", "d", "đ", "g",
    "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x", "",
];

const FINALS: [&str; 9] = ["", "c", "ch", "m", "n", "ng", "nh", "p", "t"];

/// Vowel sequences that form a nucleus, glides included (ai, oai, ươu).
const NUCLEI: [&str; 55] = [
    "a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y", //
    "ai", "ao", "au", "ay", "âu", "ây", "eo", "êu", "ia", "iê", "iu", "oa", "oă", "oe", "oi", "oo",
    "ôi", "ơi", "ua", "uâ", "uê", "ui", "uô", "uơ", "uy", "ưa", "ưi", "ươ", "ưu", "yê", //
    "iêu", "yêu", "oai", "oay", "oao", "oeo", "uây", "uôi", "uya", "uyê", "uyu", "ươi", "ươu",
];

/// Splits a letter into its base, vowel marks kept (ă â ê ô ơ ư), and its tone mark:
/// 'ậ' → ('â', Some(U+0323)), 'd' → ('d', None). None for a letter carrying two tone marks or
/// marks that leave no single base letter, neither of which Vietnamese has.
pub(crate) fn split_tone(letter: char) -> Option<(char, Option<char>)> {
    if letter.is_ascii() {
        return Some((letter, None));
    }
    let mut tone = None;
    let mut rest = String::new();
    for part in std::iter::once(letter).nfd() {
        if TONE_MARKS.contains(&part) {
            if tone.replace(part).is_some() {
                return None;
            }
        } else {
            rest.push(part);
        }
    }
    let mut base = rest.nfc();
    match (base.next(), base.next()) {
        (Some(base), None) => Some((base, tone)),
        _ => None,
    }
}

/// A word recognised as one Vietnamese syllable.
pub(crate) struct Syllable {
    /// The letters without their tone, in their original case.
    bases: Vec<char>,
    tone: Option<char>,
    /// Index into `bases` of the vowel the tone belongs on (see `tone_slot`).
    slot: usize,
}

impl Syllable {
    /// The syllable spelled with its tone on the canonical vowel, NFC.
    pub(crate) fn with_canonical_tone(&self) -> String {
        let mut spelled = String::with_capacity(self.bases.len() * 3);
        for (index, &base) in self.bases.iter().enumerate() {
            spelled.push(base);
            if index == self.slot {
                spelled.extend(self.tone);
            }
        }
        spelled.nfc().collect()
    }
}

/// Parses an NFC word (letters only) as one Vietnamese syllable.
pub(crate) fn parse(word: &str) -> Option<Syllable> {
    let mut bases = Vec::new();
    let mut lower = String::new();
    let mut tone = None;
    let mut toned_letter = None;
    for (index, letter) in word.chars().enumerate() {
        let (base, mark) = split_tone(letter)?;
        if let Some(mark) = mark {
            if tone.replace(mark).is_some() {
                return None;
            }
            toned_letter = Some(index);
        }
        bases.push(base);
        lower.push(single_lowercase(base)?);
    }
    let (nucleus_start, nucleus_len, closed) = split_rhyme(&lower)?;
    let lower: Vec<char> = lower.chars().collect();
    // Tones sit on vowels; a "tone" on a consonant (the tilde of ñ) is another language.
    if toned_letter.is_some_and(|index| !VOWELS.contains(lower[index])) {
        return None;
    }
    let nucleus = &lower[nucleus_start..nucleus_start + nucleus_len];
    Some(Syllable {
        bases,
        tone,
        slot: nucleus_start + tone_slot(nucleus, closed),
    })
}

/// Whether an NFC word is one well-formed Vietnamese syllable (any case, any tone placement).
pub(crate) fn is_syllable(word: &str) -> bool {
    parse(word).is_some()
}

/// A word of a name that Vietnamese does not write, and a reading of it that is a syllable
/// when exactly one is at hand.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StrangeWord {
    pub word: String,
    pub suggestion: Option<String>,
}

/// The words of a name that carry letters beyond ASCII and still make no Vietnamese syllable:
/// "Thuë", "Ë", "Nguyeãn". Such a name is usually a legacy font decoded the wrong way, and
/// search cannot find it by what is typed. Words of plain ASCII letters are left alone: names
/// typed without diacritics ("Nguyen") and names of other languages ("Ksor", "H'Hen") are
/// common, and are found as typed. Hyphens and apostrophes separate words here.
pub fn strange_words(name: &str) -> Vec<StrangeWord> {
    let name: String = name.nfc().collect();
    name.split(|c: char| !c.is_alphabetic())
        .filter(|word| !word.is_ascii() && !is_syllable(word))
        .map(|word| StrangeWord {
            word: word.to_string(),
            suggestion: suggestion(word),
        })
        .collect()
}

/// The one syllable a strange word most plainly stands for: the word read again as VNI or
/// TCVN3 (its letters taken as the Windows-1252 bytes they would be: a cell in a legacy font
/// read as Unicode), else its foreign letter ("ë") replaced by the Vietnamese letter of the
/// same base that makes a syllable. None when no reading, or more than one, is a syllable.
fn suggestion(word: &str) -> Option<String> {
    let only_syllable = |mut readings: Vec<String>| {
        readings.retain(|reading| reading != word && is_syllable(reading));
        readings.sort();
        readings.dedup();
        match readings.as_slice() {
            [one] => Some(one.clone()),
            _ => None,
        }
    };
    let legacy = if super::fits_windows_1252(word) {
        vec![
            super::decode_vni_str(word),
            super::decode_tcvn3_str(word, false),
        ]
    } else {
        Vec::new()
    };
    let reading =
        only_syllable(legacy).or_else(|| only_syllable(vietnamese_letter_readings(word)))?;
    // TCVN3 has no capital toned letters, so a name's first letter may decode small ("Ë" → ậ):
    // the reading keeps the word's own first-letter case.
    let mut letters = reading.chars();
    let first = letters.next()?;
    if word.starts_with(char::is_uppercase) && first.is_lowercase() {
        Some(first.to_uppercase().chain(letters).collect())
    } else {
        Some(reading)
    }
}

/// The word with its one foreign letter replaced by each Vietnamese letter of the same base
/// (ë → e, ê), its tone kept. Nothing for a word with no foreign letter or more than one.
fn vietnamese_letter_readings(word: &str) -> Vec<String> {
    let letters: Vec<char> = word.chars().collect();
    let foreign: Vec<usize> = (0..letters.len())
        .filter(|&index| !is_vietnamese_letter(letters[index]))
        .collect();
    let [index] = foreign.as_slice() else {
        return Vec::new();
    };
    let mut parts = std::iter::once(letters[*index]).nfd();
    let Some(base) = parts.next().filter(char::is_ascii_alphabetic) else {
        return Vec::new();
    };
    // A tone mark on a consonant (the tilde of ñ) is no tone: only vowels keep theirs.
    let tone = parts
        .find(|mark| TONE_MARKS.contains(mark))
        .filter(|_| VOWELS.contains(base.to_ascii_lowercase()));
    let shapes: &[&str] = match base.to_ascii_lowercase() {
        'a' => &["", "\u{306}", "\u{302}"],
        'e' => &["", "\u{302}"],
        'o' => &["", "\u{302}", "\u{31B}"],
        'u' => &["", "\u{31B}"],
        'd' => &["", "đ"],
        _ => &[""],
    };
    shapes
        .iter()
        .map(|shape| {
            let letter: String = match *shape {
                "đ" if base.is_uppercase() => "Đ".into(),
                "đ" => "đ".into(),
                shape => std::iter::once(base)
                    .chain(shape.chars())
                    .chain(tone)
                    .nfc()
                    .collect(),
            };
            let mut reading: String = letters[..*index].iter().collect();
            reading.push_str(&letter);
            reading.extend(&letters[*index + 1..]);
            reading
        })
        .collect()
}

/// A letter of the Vietnamese alphabet, with or without its tone, in either case.
fn is_vietnamese_letter(letter: char) -> bool {
    split_tone(letter).is_some_and(|(base, tone)| {
        single_lowercase(base).is_some_and(|base| {
            (base.is_ascii_lowercase() || "ăâđêôơư".contains(base))
                && (tone.is_none() || VOWELS.contains(base))
        })
    })
}

fn single_lowercase(letter: char) -> Option<char> {
    let mut lower = letter.to_lowercase();
    let first = lower.next()?;
    lower.next().is_none().then_some(first)
}

/// Finds initial + nucleus + final in a lower-case toneless word; returns the nucleus as
/// (start, length) in chars and whether a final consonant closes the syllable.
fn split_rhyme(lower: &str) -> Option<(usize, usize, bool)> {
    INITIALS.iter().find_map(|initial| {
        let rest = lower.strip_prefix(initial)?;
        let nucleus_end = rest.find(|c| !VOWELS.contains(c)).unwrap_or(rest.len());
        let (nucleus, last) = rest.split_at(nucleus_end);
        (NUCLEI.contains(&nucleus) && FINALS.contains(&last)).then(|| {
            (
                initial.chars().count(),
                nucleus.chars().count(),
                !last.is_empty(),
            )
        })
    })
}

/// Index within the nucleus of the vowel that carries the tone, by the "new style" rule (the
/// one Unicode-era keyboards default to). Old style differs only for open oa, oe, uy, where it
/// writes the tone on the first vowel (hòa, khỏe, thủy); both styles map here to the same slot.
fn tone_slot(nucleus: &[char], closed: bool) -> usize {
    // A shaped vowel always takes the tone; in ươ it is the second one (người, được).
    if let Some(index) = nucleus.iter().rposition(|&c| SHAPED_VOWELS.contains(c)) {
        return index;
    }
    match nucleus {
        [_] => 0,
        // Before a final consonant the last vowel carries it: toán, hoàng, huých.
        _ if closed => nucleus.len() - 1,
        ['o', 'a'] | ['o', 'e'] | ['u', 'y'] => 1,
        // Other open pairs end in a glide that never carries the tone: mái, màu, mía, mùa.
        [_, _] => 0,
        // Open triples carry it in the middle: ngoài, xoáy, khuỷu, ngoẹo.
        _ => 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn canonical(word: &str) -> String {
        parse(word).expect(word).with_canonical_tone()
    }

    #[test]
    fn split_tone_keeps_vowel_marks_and_separates_the_tone() {
        assert_eq!(split_tone('ậ'), Some(('â', Some('\u{323}'))));
        assert_eq!(split_tone('Ở'), Some(('Ơ', Some('\u{309}'))));
        assert_eq!(split_tone('ư'), Some(('ư', None)));
        assert_eq!(split_tone('đ'), Some(('đ', None)));
        assert_eq!(split_tone('d'), Some(('d', None)));
        // ṍ (o + tilde + acute) carries two tone marks: not a Vietnamese letter.
        assert_eq!(split_tone('ṍ'), None);
    }

    #[test]
    fn recognises_vietnamese_syllables() {
        for word in [
            "a", "ước", "Nguyễn", "nghiêng", "người", "rượu", "khuỷu", "ngoẹo", "quốc", "giữa",
            "gìn", "Văn", "Thị", "Hương", "Đặng", "thuở", "xoong", "hoặc", "NGUYỄN", "Ửng", "oái",
        ] {
            assert!(is_syllable(word), "{word}");
        }
    }

    #[test]
    fn rejects_foreign_words_and_mojibake() {
        for word in [
            "José", "Müller", "Ærø", "Hµ", "Néi", "Vaên", "Nguyeãn", "Mỹller", "Josộ", "ñinh",
            "Sẫo", "tháí", "", "x1",
        ] {
            assert!(!is_syllable(word), "{word}");
        }
    }

    #[test]
    fn strange_words_of_a_name_are_found_with_the_obvious_reading() {
        let found = |name: &str| {
            strange_words(name)
                .into_iter()
                .map(|w| (w.word, w.suggestion))
                .collect::<Vec<_>>()
        };
        // "ở" is byte 0xEB in TCVN3, "ë" in Windows-1252.
        assert_eq!(
            found("Nguyễn Thị Thuë"),
            [("Thuë".to_string(), Some("Thuở".to_string()))]
        );
        // Not a legacy reading: the one Vietnamese letter of its base that makes a syllable.
        assert_eq!(
            found("Trần Ngọc Hưñg"),
            [("Hưñg".to_string(), Some("Hưng".to_string()))]
        );
        // "ậ" is byte 0xCB in TCVN3, "Ë" in Windows-1252; the capital stays a capital.
        assert_eq!(
            found("Lê Văn Ë"),
            [("Ë".to_string(), Some("Ậ".to_string()))]
        );
        // Neither legacy reading is a syllable, and both E and Ê are: nothing is obvious.
        assert_eq!(found("Lê Văn Ȩ"), [("Ȩ".to_string(), None)]);
        // VNI read as Windows-1252.
        assert_eq!(
            found("Nguyeãn Vaên An"),
            [
                ("Nguyeãn".to_string(), Some("Nguyễn".to_string())),
                ("Vaên".to_string(), Some("Văn".to_string())),
            ]
        );
        // Names typed without diacritics and names of other languages pass.
        for name in [
            "Nguyen Van An",
            "Ksor H'Hen",
            "Nguyễn Thị Thủy",
            "NGUYỄN VĂN ĐỨC",
            "Lê Thị Mai-Anh",
        ] {
            assert!(strange_words(name).is_empty(), "{name}");
        }
    }

    #[test]
    fn places_the_tone_by_the_new_style_rule() {
        assert_eq!(canonical("Thủy"), "Thuỷ");
        assert_eq!(canonical("Thuỷ"), "Thuỷ");
        assert_eq!(canonical("hòa"), "hoà");
        assert_eq!(canonical("khỏe"), "khoẻ");
        assert_eq!(canonical("THỦY"), "THUỶ");
        // Closed syllables and shaped vowels are the same in both styles.
        assert_eq!(canonical("hòang"), "hoàng");
        assert_eq!(canonical("toán"), "toán");
        assert_eq!(canonical("ngừơi"), "người");
        assert_eq!(canonical("mùa"), "mùa");
        assert_eq!(canonical("quý"), "quý");
        // The tone written on the i of "gi" or the u of "qu" belongs on the vowel after it.
        assert_eq!(canonical("gìa"), "già");
        assert_eq!(canonical("qúa"), "quá");
        assert_eq!(canonical("ngoài"), "ngoài");
        assert_eq!(canonical("khuỷu"), "khuỷu");
        assert_eq!(canonical("An"), "An");
    }
}
