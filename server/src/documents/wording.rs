//! Wording shared by the documents: dates and times written out as Nghị định 30/2020 writes
//! them, the place line, blanks left for the clerk, and the short data hash in every footer.

use app::domain::counting::BallotLevel;
use app::domain::format;
use app::domain::meeting::vietnam_date;
use app::domain::meeting_record::Venue;
use app::domain::text::{clause, full_stop};
use app::domain::voter::Date;
use app::domain::ward::Ward;
use app::locale::Locale;
use sha2::{Digest, Sha256};

/// What a document prints where a value is not known yet, for the clerk to fill in by hand.
pub(super) const BLANK: &str = "……";

/// "ngày 05 tháng 02 năm 2026": Nghị định 30 pads days below 10 and the months 1 and 2
/// ("tháng 01", "tháng 02", then "tháng 3").
pub(super) fn date_words(date: Date) -> String {
    let month = if date.month <= 2 {
        format!("{:02}", date.month)
    } else {
        date.month.to_string()
    };
    format!("ngày {:02} tháng {month} năm {}", date.day, date.year)
}

/// The day of an instant in Vietnam, in words.
pub(super) fn day_words(unix_ms: i64) -> String {
    date_words(vietnam_date(unix_ms))
}

/// "08 giờ 00 phút", in Vietnam.
pub(super) fn time_words(unix_ms: i64) -> String {
    let t = format::VietnamTime::from_unix_ms(unix_ms);
    format!("{:02} giờ {:02} phút", t.hour, t.minute)
}

/// The ward's name, or the blank when none is set up.
pub(super) fn ward_name(ward: Option<&Ward>) -> &str {
    ward.map_or(BLANK, |w| or_blank(&w.name))
}

/// "phường Mỹ Thới", as the ward is named inside a sentence; the blank when none is set up.
pub(super) fn ward_in_sentence(ward: Option<&Ward>) -> String {
    ward.filter(|w| !w.name.trim().is_empty())
        .map_or(BLANK.to_string(), Ward::in_sentence)
}

/// The end of a sentence from typed text: the text with one full stop, or the blank for the
/// clerk followed by its full stop ("Chủ trì: …….").
pub(super) fn full_stop_or_blank(text: &str) -> String {
    if text.trim().is_empty() {
        format!("{BLANK}.")
    } else {
        full_stop(text)
    }
}

/// An item of a list that runs on as one sentence: ";" after each, "." after the last, and
/// never a second mark after the one the text ended with.
pub(super) fn list_item(text: &str, last: bool) -> String {
    if last {
        full_stop(text)
    } else {
        format!("{};", clause(text))
    }
}

/// The ward, with blanks for its names when none is set up.
pub(super) fn ward_or_blank(ward: Option<Ward>) -> Ward {
    ward.unwrap_or_else(|| Ward {
        name: BLANK.into(),
        province: BLANK.into(),
    })
}

/// "Mỹ Thới, ngày 05 tháng 02 năm 2026": the ward's place name without its kind ("Phường")
/// and the day the document is dated.
pub(super) fn place_date_line(ward_name: &str, date: Date) -> String {
    let place = match ward_name.split_whitespace().skip(1).collect::<Vec<_>>() {
        words if words.is_empty() => BLANK.to_string(),
        words => words.join(" "),
    };
    format!("{place}, {}", date_words(date))
}

/// The text, or the blank when there is none.
pub(super) fn or_blank(text: &str) -> &str {
    if text.trim().is_empty() {
        BLANK
    } else {
        text
    }
}

pub(super) fn none_if_empty(text: &str) -> String {
    if text.trim().is_empty() {
        "Không có.".to_string()
    } else {
        text.trim().to_string()
    }
}

/// 1234 → "1.234".
pub(super) fn thousands(n: i64) -> String {
    format::count(n, Locale::Vi)
}

/// How many things of a list in memory, as the `i64` every printed figure is; the list would
/// fill the memory long before reaching `i64::MAX`, so the ceiling is never printed.
pub(super) fn count_of(len: usize) -> i64 {
    i64::try_from(len).unwrap_or(i64::MAX)
}

/// "Hội trường khóm 3, 12 Trần Hưng Đạo".
pub(super) fn venue_line(venue: &Venue) -> String {
    if venue.address.is_empty() {
        venue.name.clone()
    } else {
        format!("{}, {}", venue.name, venue.address)
    }
}

/// "XVI" from an election named "Bầu cử đại biểu Quốc hội khóa XVI và …", the blank when the
/// name has none; the term is not stored separately, so the name is the only source.
pub(super) fn term(election_name: &str) -> String {
    let words: Vec<&str> = election_name.split_whitespace().collect();
    words
        .windows(2)
        .find(|pair| pair[0].to_lowercase() == "khóa" || pair[0].to_lowercase() == "khoá")
        .map_or(BLANK.to_string(), |pair| {
            pair[1]
                .trim_matches(|c: char| !c.is_alphanumeric())
                .to_uppercase()
        })
}

/// Where a people's council sits, as named inside a sentence: "tỉnh An Giang" for the
/// provincial one, "phường Mỹ Thới" for the ward's own.
pub(super) fn council_place(ward: &Ward, level: BallotLevel) -> String {
    if level == BallotLevel::Province {
        ward.province_in_sentence()
    } else {
        ward.in_sentence()
    }
}

/// "2026-2031": the five-year term of the councils elected on `election_day`.
pub(super) fn council_term(election_day: Date) -> String {
    format!("{}-{}", election_day.year, election_day.year + 5)
}

/// The constituency's "Gồm: …" line; a name entered as "Gồm …" is printed as it is.
pub(super) fn comprising(name: &str) -> String {
    if app::domain::text::fold(name).starts_with("gom ") {
        name.to_string()
    } else {
        format!("Gồm: {name}")
    }
}

/// The first 12 hex digits of the SHA-256 of what a document was made from, printed in its
/// footer so a paper copy can be matched to the data.
pub(super) fn data_hash(data: &impl serde::Serialize) -> String {
    short_hash(&serde_json::to_vec(data).unwrap_or_default())
}

/// The first 12 hex digits of the SHA-256 of `bytes`.
pub(super) fn short_hash(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))[..12].to_string()
}

/// The faults a sentence put together from typed text must not have, found in `text`: a
/// doubled stop or mark, a stray mark before a bracket, a title said twice.
#[cfg(test)]
pub(super) fn wording_faults(text: &str) -> Vec<&'static str> {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    [
        "..",
        ".;",
        ";.",
        ",.",
        ".,",
        " .",
        " ;",
        " ,",
        "(.",
        ".:",
        ":.",
        "( ",
        " )",
        "đại biểu đại biểu",
        "đại biểu ĐBQH",
        "Đại biểu đại biểu",
    ]
    .into_iter()
    .filter(|fault| flat.contains(fault))
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_below_ten_and_the_months_one_and_two_are_padded() {
        assert_eq!(
            date_words(Date {
                year: 2026,
                month: 1,
                day: 5
            }),
            "ngày 05 tháng 01 năm 2026"
        );
        assert_eq!(
            date_words(Date {
                year: 2026,
                month: 3,
                day: 15
            }),
            "ngày 15 tháng 3 năm 2026"
        );
    }

    #[test]
    fn the_place_line_drops_the_kind_of_ward() {
        let day = Date {
            year: 2026,
            month: 2,
            day: 3,
        };
        assert_eq!(
            place_date_line("Phường Mỹ Thới", day),
            "Mỹ Thới, ngày 03 tháng 02 năm 2026"
        );
        assert_eq!(place_date_line(BLANK, day), "……, ngày 03 tháng 02 năm 2026");
    }
}
