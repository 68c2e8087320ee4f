//! Deputy–voter meetings (hội nghị tiếp xúc cử tri, NQLT 72/2025): the closed lists a meeting is
//! described with, local times in Vietnam, and the scheduling rule that one deputy or one venue
//! is never in two meetings at once.

use serde::{Deserialize, Serialize};

use super::text::{capitalise, fold};
use super::voter::{Date, Gender};
use super::ward::Ward;
use crate::locale::Locale;

/// Vietnam is UTC+7 all year.
const VIETNAM_OFFSET_MS: i64 = 7 * 3600 * 1000;
const DAY_MS: i64 = 86_400_000;

/// A time span `[start_ms, end_ms)`: the end instant is not part of it, so a meeting ending at
/// 10:00 and another starting at 10:00 are back to back, not overlapping.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Interval {
    pub start_ms: i64,
    pub end_ms: i64,
}

impl Interval {
    /// `None` unless the span is non-empty (the end after the start).
    pub fn new(start_ms: i64, end_ms: i64) -> Option<Interval> {
        (end_ms > start_ms).then_some(Interval { start_ms, end_ms })
    }

    /// Whether the two spans share at least one instant.
    pub fn overlaps(self, other: Interval) -> bool {
        self.start_ms < other.end_ms && other.start_ms < self.end_ms
    }
}

/// Days since 1970-01-01 of a civil date (inverse of the calendar in `format`).
fn days_from_civil(date: Date) -> i64 {
    let (year, month, day) = (
        i64::from(date.year),
        i64::from(date.month),
        i64::from(date.day),
    );
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month_from_march = (month + 9) % 12;
    let day_of_year = (153 * month_from_march + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// "08:00" or "8h30" → minutes after midnight.
pub fn parse_clock(text: &str) -> Option<u32> {
    let text = text.trim();
    let (hour, minute) = text.split_once([':', 'h', 'g']).unwrap_or((text, "0"));
    let minute = if minute.trim().is_empty() {
        "0"
    } else {
        minute
    };
    let (hour, minute): (u32, u32) = (hour.trim().parse().ok()?, minute.trim().parse().ok()?);
    (hour < 24 && minute < 60).then_some(hour * 60 + minute)
}

/// The Unix instant of a local date and clock time in Vietnam.
pub fn vietnam_instant(date: Date, minutes: u32) -> i64 {
    days_from_civil(date) * DAY_MS + i64::from(minutes) * 60_000 - VIETNAM_OFFSET_MS
}

/// Monday of the week that contains `date`.
pub fn week_start(date: Date) -> Date {
    let days = days_from_civil(date);
    // 1970-01-01 was a Thursday: day 0 is weekday 3 counting from Monday = 0.
    let monday = days - (days + 3).rem_euclid(7);
    date_of_days(monday)
}

/// The day of the week of `date`, Monday = 0 … Sunday = 6.
#[expect(clippy::cast_possible_truncation, reason = "rem_euclid(7) is in 0..7")]
pub fn weekday(date: Date) -> usize {
    // 1970-01-01 was a Thursday (3).
    (days_from_civil(date) + 3).rem_euclid(7) as usize
}

/// The first day of the month `months` after the month of `date` (negative: before).
#[expect(clippy::cast_possible_wrap, reason = "a month is 1..=12")]
pub fn month_start(date: Date, months: i32) -> Date {
    let index = date.year * 12 + date.month as i32 - 1 + months;
    Date {
        year: index.div_euclid(12),
        month: index.rem_euclid(12) as u32 + 1,
        day: 1,
    }
}

/// The date `days` after `date` (negative: before).
pub fn add_days(date: Date, days: i64) -> Date {
    date_of_days(days_from_civil(date) + days)
}

fn date_of_days(days: i64) -> Date {
    let t = super::format::VietnamTime::from_unix_ms(days * DAY_MS);
    Date {
        year: t.year,
        month: t.month,
        day: t.day,
    }
}

/// The Vietnam date of an instant.
pub fn vietnam_date(unix_ms: i64) -> Date {
    let t = super::format::VietnamTime::from_unix_ms(unix_ms);
    Date {
        year: t.year,
        month: t.month,
        day: t.day,
    }
}

/// Whether a meeting starting at `start_ms` may be recorded as held at `now_ms`: its day in
/// Vietnam has come (the hour does not matter: staff may write the record during the morning of
/// an afternoon meeting's day, never days before).
pub fn day_has_come(start_ms: i64, now_ms: i64) -> bool {
    vietnam_date(start_ms) <= vietnam_date(now_ms)
}

/// "08:00" in Vietnam time.
pub fn clock(unix_ms: i64) -> String {
    let t = super::format::VietnamTime::from_unix_ms(unix_ms);
    format!("{:02}:{:02}", t.hour, t.minute)
}

/// "từ 08:00 đến 10:00 ngày 05/12/2026", or with both dates when the span crosses midnight.
pub fn span_text(span: Interval, vi: bool) -> String {
    let (start_day, end_day) = (vietnam_date(span.start_ms), vietnam_date(span.end_ms - 1));
    let (from, to, on) = if vi {
        ("từ", "đến", "ngày")
    } else {
        ("from", "to", "on")
    };
    if start_day == end_day {
        format!(
            "{from} {} {to} {} {on} {}",
            clock(span.start_ms),
            clock(span.end_ms),
            start_day.display()
        )
    } else {
        format!(
            "{from} {} {on} {} {to} {} {on} {}",
            clock(span.start_ms),
            start_day.display(),
            clock(span.end_ms),
            vietnam_date(span.end_ms).display()
        )
    }
}

macro_rules! code_enum {
    ($(#[$doc:meta])* $name:ident { $($variant:ident => $code:literal, $vi:literal, $en:literal;)* }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum $name { $($variant),* }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),*];

            /// Stable code stored in the database and sent by forms.
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),* }
            }

            pub fn from_code(code: &str) -> Option<$name> {
                Self::ALL.iter().copied().find(|v| v.code() == code)
            }

            /// Vietnamese text, as printed on documents.
            pub fn vi(self) -> &'static str {
                match self { $($name::$variant => $vi),* }
            }

            pub fn label(self, locale: crate::locale::Locale) -> &'static str {
                match (self, locale) {
                    $(($name::$variant, crate::locale::Locale::Vi) => $vi,
                      ($name::$variant, crate::locale::Locale::En) => $en,)*
                }
            }
        }
    };
}
// Also describes the petition lists of `domain::petition`.
pub(crate) use code_enum;

code_enum!(
    /// Which council a deputy sits in (three levels since the 2025 reform). The labels name the
    /// level, true of any ward; `council_label` and `body_name` name the ward's own council.
    DeputyLevel {
        NationalAssembly => "dbqh", "ĐBQH", "National Assembly";
        Province => "hdnd_tinh", "HĐND cấp tỉnh", "Provincial council";
        Commune => "hdnd_xa", "HĐND cấp xã", "Commune-level council";
    }
);

impl DeputyLevel {
    /// The level as a short label, by the ward's kind: "ĐBQH", "HĐND tỉnh", "HĐND phường";
    /// the level's own label while the ward or its kind is not known.
    pub fn council_label(self, ward: Option<&Ward>, locale: Locale) -> String {
        let Some(ward) = ward else {
            return self.label(locale).to_string();
        };
        match (self, locale) {
            (DeputyLevel::NationalAssembly, _) => self.label(locale).to_string(),
            (DeputyLevel::Province, Locale::Vi) => format!("HĐND {}", ward.province_type().vi()),
            (DeputyLevel::Province, Locale::En) => self.label(locale).to_string(),
            (DeputyLevel::Commune, _) => match (ward.unit_type(), locale) {
                (None, _) => self.label(locale).to_string(),
                (Some(unit), Locale::Vi) => format!("HĐND {}", unit.vi()),
                (Some(unit), Locale::En) => format!("{} council", capitalise(unit.en())),
            },
        }
    }
}

/// The body a deputy sits in, as named inside a sentence: "Quốc hội", "HĐND tỉnh An Giang",
/// "HĐND phường Mỹ Thới"; the level's label while the ward is not set up.
pub fn body_name(level: DeputyLevel, ward: Option<&Ward>) -> String {
    match (level, ward) {
        (DeputyLevel::NationalAssembly, _) => "Quốc hội".to_string(),
        (_, None) => level.vi().to_string(),
        (DeputyLevel::Province, Some(ward)) => format!("HĐND {}", ward.province_in_sentence()),
        (DeputyLevel::Commune, Some(ward)) => format!("HĐND {}", ward.in_sentence()),
    }
}

/// "đại biểu Quốc hội", "đại biểu HĐND phường Mỹ Thới": how a deputy is named after their
/// name, the title written once.
pub fn deputy_title(level: DeputyLevel, ward: Option<&Ward>) -> String {
    format!("đại biểu {}", body_name(level, ward))
}

/// The body with its own term: the National Assembly by its khóa ("Quốc hội khóa XVI"), a
/// council by its five years ("HĐND phường Mỹ Thới nhiệm kỳ 2026–2031"). A meeting's term is
/// the National Assembly's khóa; councils are elected with it for the same five years, so the
/// khóa gives their nhiệm kỳ. A term that is no khóa from XIII on names no council years, and
/// the council is then named without any.
pub fn body_with_term(level: DeputyLevel, ward: Option<&Ward>, term: &str) -> String {
    let body = body_name(level, ward);
    match (level, term_years(term)) {
        (DeputyLevel::NationalAssembly, _) => format!("{body} khóa {term}"),
        (_, Some((first, last))) => format!("{body} nhiệm kỳ {first}–{last}"),
        (_, None) => body,
    }
}

/// The five years of the National Assembly's khóa `term` ("XVI" → 2026–2031), shared by the
/// councils elected with it since khóa XIII (2011–2016, docs/domain.md §1.1).
pub fn term_years(term: &str) -> Option<(i32, i32)> {
    const FIRST_SHARED: i32 = 13;
    let khoa = roman_value(term.trim())?;
    (khoa >= FIRST_SHARED).then(|| {
        let first = 2011 + 5 * (khoa - FIRST_SHARED);
        (first, first + 5)
    })
}

const ROMAN_DIGITS: [(&str, i32); 13] = [
    ("M", 1000),
    ("CM", 900),
    ("D", 500),
    ("CD", 400),
    ("C", 100),
    ("XC", 90),
    ("L", 50),
    ("XL", 40),
    ("X", 10),
    ("IX", 9),
    ("V", 5),
    ("IV", 4),
    ("I", 1),
];

/// "XVI" → 16, for numerals written the standard way ("XIIII" is not one).
fn roman_value(numeral: &str) -> Option<i32> {
    let numeral = numeral.to_ascii_uppercase();
    let mut rest = numeral.as_str();
    let mut value = 0;
    for (digits, digit_value) in ROMAN_DIGITS {
        while let Some(after) = rest.strip_prefix(digits) {
            value += digit_value;
            rest = after;
        }
    }
    (rest.is_empty() && value > 0 && roman(value) == numeral).then_some(value)
}

fn roman(mut value: i32) -> String {
    let mut numeral = String::new();
    for (digits, digit_value) in ROMAN_DIGITS {
        while value >= digit_value {
            numeral.push_str(digits);
            value -= digit_value;
        }
    }
    numeral
}

code_enum!(
    /// Regular meetings are held before and after each session.
    SessionTiming {
        Before => "before", "trước", "before";
        After => "after", "sau", "after";
    }
);

code_enum!(
    MeetingKind {
        Regular => "regular", "Thường lệ", "Regular";
        Thematic => "thematic", "Chuyên đề", "Thematic";
        VoterGroup => "group", "Theo nhóm cử tri", "With a group of voters";
    }
);

code_enum!(
    /// Online and hybrid meetings are allowed since Luật 83/2025.
    MeetingFormat {
        InPerson => "in_person", "trực tiếp", "in person";
        Online => "online", "trực tuyến", "online";
        Hybrid => "hybrid", "trực tiếp kết hợp trực tuyến", "hybrid";
    }
);

code_enum!(
    /// Draft: planned; held: attendance recorded; finalised: the minutes are locked.
    MeetingStatus {
        Draft => "draft", "Kế hoạch", "Planned";
        Held => "held", "Đã tổ chức", "Held";
        Finalised => "finalised", "Đã chốt biên bản", "Minutes finalised";
    }
);

code_enum!(
    /// Cấp có thẩm quyền: who must answer a petition.
    CompetentLevel {
        Commune => "xa", "Xã", "Commune";
        Province => "tinh", "Tỉnh", "Province";
        Central => "trung_uong", "Trung ương", "Central";
    }
);

code_enum!(
    /// Lĩnh vực of an opinion, the grouping of the petition summary reports.
    OpinionField {
        Land => "dat_dai", "Đất đai", "Land";
        Traffic => "giao_thong", "Giao thông", "Traffic";
        Environment => "moi_truong", "Môi trường", "Environment";
        Welfare => "an_sinh", "An sinh xã hội", "Social welfare";
        Health => "y_te", "Y tế", "Health";
        Education => "giao_duc", "Giáo dục", "Education";
        Economy => "kinh_te", "Kinh tế", "Economy";
        Security => "an_ninh", "An ninh, trật tự", "Public order";
        Other => "khac", "Khác", "Other";
    }
);

/// "trước kỳ họp thứ 2, khóa XVI": the round of meetings a petition summary covers, named by
/// the meetings' term as entered, whatever bodies they were held for.
pub fn session_line(timing: SessionTiming, session_number: i64, term: &str) -> String {
    format!("{} kỳ họp thứ {session_number}, khóa {term}", timing.vi())
}

/// Who signed in by name at a meeting, counted for the minutes ("thành phần"): in total, by
/// gender, and by address (khóm/tổ), the addresses in the order they first signed. Addresses
/// that differ only in case or diacritics ("Tổ 5", "to 5") are one address, shown as first
/// written.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Composition {
    pub total: usize,
    pub men: usize,
    pub women: usize,
    /// Address as first written (empty when not given) and how many signed from it.
    pub by_address: Vec<(String, usize)>,
}

pub fn composition<'a>(
    attendees: impl IntoIterator<Item = (&'a str, Option<Gender>)>,
) -> Composition {
    let mut counted = Composition::default();
    let mut places: Vec<String> = Vec::new();
    for (address, gender) in attendees {
        counted.total += 1;
        match gender {
            Some(Gender::Male) => counted.men += 1,
            Some(Gender::Female) => counted.women += 1,
            None => {}
        }
        let place = fold(address);
        match places.iter().position(|known| *known == place) {
            Some(index) => counted.by_address[index].1 += 1,
            None => {
                places.push(place);
                counted.by_address.push((address.to_string(), 1));
            }
        }
    }
    counted
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn composition_counts_by_gender_and_by_address_written_either_way() {
        let counted = composition([
            ("Tổ 5, khóm 3", Some(Gender::Female)),
            ("Khóm 1", Some(Gender::Male)),
            ("to 5, khom 3", None),
            ("", Some(Gender::Female)),
            ("TỔ 5, KHÓM 3", Some(Gender::Male)),
        ]);
        assert_eq!((counted.total, counted.men, counted.women), (5, 2, 2));
        assert_eq!(
            counted.by_address,
            vec![
                ("Tổ 5, khóm 3".to_string(), 3),
                ("Khóm 1".to_string(), 1),
                (String::new(), 1)
            ]
        );
        assert_eq!(composition([]), Composition::default());
    }

    fn span(start: i64, end: i64) -> Interval {
        Interval::new(start, end).expect("non-empty")
    }

    #[test]
    fn touching_intervals_do_not_conflict() {
        assert!(!span(8, 10).overlaps(span(10, 12)));
        assert!(!span(10, 12).overlaps(span(8, 10)));
    }

    #[test]
    fn any_overlap_conflicts() {
        assert!(span(8, 10).overlaps(span(9, 11)));
        assert!(span(8, 12).overlaps(span(9, 10)), "containment");
        assert!(span(9, 10).overlaps(span(8, 12)), "contained");
        assert!(span(8, 10).overlaps(span(8, 10)), "identical");
        assert!(span(8, 10).overlaps(span(9, 10)), "same end");
        assert!(!span(8, 9).overlaps(span(11, 12)), "apart");
    }

    #[test]
    fn empty_or_reversed_spans_are_refused() {
        assert_eq!(Interval::new(10, 10), None);
        assert_eq!(Interval::new(10, 8), None);
    }

    /// Property, checked exhaustively on a small grid: two spans overlap exactly when some
    /// whole minute lies in both, and the relation is symmetric.
    #[test]
    fn overlap_means_a_shared_instant_for_every_pair_on_a_grid() {
        let spans: Vec<Interval> = (0..10)
            .flat_map(|s| (s + 1..=10).map(move |e| span(s, e)))
            .collect();
        for &a in &spans {
            for &b in &spans {
                let shared = (0..10).any(|t| {
                    (a.start_ms..a.end_ms).contains(&t) && (b.start_ms..b.end_ms).contains(&t)
                });
                assert_eq!(a.overlaps(b), shared, "{a:?} {b:?}");
                assert_eq!(a.overlaps(b), b.overlaps(a), "symmetric {a:?} {b:?}");
            }
        }
    }

    #[test]
    fn local_times_are_vietnam_time() {
        let day = Date::new(2026, 12, 5).expect("date");
        let eight = vietnam_instant(day, 8 * 60);
        assert_eq!(crate::domain::format::date_time(eight), "05/12/2026 08:00");
        assert_eq!(clock(eight), "08:00");
        assert_eq!(vietnam_date(eight), day);
        let ten = vietnam_instant(day, 10 * 60);
        assert_eq!(
            span_text(span(eight, ten), true),
            "từ 08:00 đến 10:00 ngày 05/12/2026"
        );
        let next_morning = vietnam_instant(add_days(day, 1), 60);
        assert_eq!(
            span_text(span(eight, next_morning), true),
            "từ 08:00 ngày 05/12/2026 đến 01:00 ngày 06/12/2026"
        );
        // Ending at midnight is still the same day.
        let midnight = vietnam_instant(add_days(day, 1), 0);
        assert_eq!(
            span_text(span(eight, midnight), true),
            "từ 08:00 đến 00:00 ngày 05/12/2026"
        );
    }

    #[test]
    fn civil_days_round_trip_and_weeks_start_on_monday() {
        for (y, m, d) in [(1970, 1, 1), (2000, 2, 29), (2026, 12, 5), (1969, 12, 31)] {
            let date = Date::new(y, m, d).expect("date");
            assert_eq!(date_of_days(days_from_civil(date)), date);
        }
        // 05/12/2026 is a Saturday.
        let saturday = Date::new(2026, 12, 5).expect("date");
        assert_eq!(week_start(saturday), Date::new(2026, 11, 30).expect("date"));
        let monday = Date::new(2026, 11, 30).expect("date");
        assert_eq!(week_start(monday), monday);
        assert_eq!(weekday(saturday), 5);
        assert_eq!(
            month_start(saturday, 0),
            Date::new(2026, 12, 1).expect("date")
        );
        assert_eq!(
            month_start(saturday, 1),
            Date::new(2027, 1, 1).expect("date")
        );
        assert_eq!(
            month_start(saturday, -12),
            Date::new(2025, 12, 1).expect("date")
        );
        assert_eq!(
            month_start(monday, -11),
            Date::new(2025, 12, 1).expect("date")
        );
        assert_eq!(weekday(monday), 0);
        assert_eq!(weekday(Date::new(2026, 12, 6).expect("date")), 6);
    }

    #[test]
    fn clock_times_parse_the_ways_staff_write_them() {
        assert_eq!(parse_clock("08:00"), Some(480));
        assert_eq!(parse_clock("8h30"), Some(510));
        assert_eq!(parse_clock("14g"), Some(840));
        assert_eq!(parse_clock("7"), Some(420));
        assert_eq!(parse_clock("24:00"), None);
        assert_eq!(parse_clock("8:60"), None);
        assert_eq!(parse_clock("sáng"), None);
    }

    #[test]
    fn a_meeting_is_held_from_its_day_in_vietnam_on() {
        let day = Date::new(2026, 12, 12).expect("date");
        let meeting = vietnam_instant(day, 8 * 60);
        // 11/12 at 17:30 UTC is already 00:30 on 12/12 in Vietnam: the day has come, though
        // in UTC it is still the day before.
        let just_after_midnight = vietnam_instant(day, 30);
        assert!(day_has_come(meeting, just_after_midnight));
        assert!(day_has_come(meeting, vietnam_instant(day, 23 * 60 + 59)));
        assert!(day_has_come(meeting, vietnam_instant(add_days(day, 5), 0)));
        // The last minute of the day before is not the meeting's day.
        assert!(!day_has_come(
            meeting,
            vietnam_instant(add_days(day, -1), 23 * 60 + 59)
        ));
        // The case of issue 16: a 12/12 meeting recorded on 07/12.
        assert!(!day_has_come(
            meeting,
            vietnam_instant(Date::new(2026, 12, 7).expect("date"), 9 * 60)
        ));
    }

    fn my_thoi(province: &str) -> Ward {
        Ward {
            name: "Phường Mỹ Thới".into(),
            province: province.into(),
        }
    }

    #[test]
    fn each_body_is_named_with_its_own_term() {
        let ward = my_thoi("Tỉnh An Giang");
        let w = Some(&ward);
        assert_eq!(
            body_with_term(DeputyLevel::NationalAssembly, w, "XVI"),
            "Quốc hội khóa XVI"
        );
        assert_eq!(
            body_with_term(DeputyLevel::Province, w, "XVI"),
            "HĐND tỉnh An Giang nhiệm kỳ 2026–2031"
        );
        assert_eq!(
            body_with_term(DeputyLevel::Commune, w, "XVI"),
            "HĐND phường Mỹ Thới nhiệm kỳ 2026–2031"
        );
        assert_eq!(
            body_with_term(DeputyLevel::Commune, w, "XV"),
            "HĐND phường Mỹ Thới nhiệm kỳ 2021–2026"
        );
        // Never the National Assembly's khóa for a council.
        assert_eq!(
            body_with_term(DeputyLevel::Commune, w, "tạm"),
            "HĐND phường Mỹ Thới"
        );
        assert_eq!(
            body_with_term(DeputyLevel::Commune, None, "XVI"),
            "HĐND cấp xã nhiệm kỳ 2026–2031"
        );
    }

    #[test]
    fn a_deputy_is_called_deputy_once_with_the_wards_own_council() {
        let ward = my_thoi("An Giang");
        let w = Some(&ward);
        assert_eq!(
            deputy_title(DeputyLevel::NationalAssembly, w),
            "đại biểu Quốc hội"
        );
        assert_eq!(
            deputy_title(DeputyLevel::Province, w),
            "đại biểu HĐND tỉnh An Giang"
        );
        assert_eq!(
            deputy_title(DeputyLevel::Commune, w),
            "đại biểu HĐND phường Mỹ Thới"
        );
        let special_zone = Ward {
            name: "Đặc khu Phú Quốc".into(),
            province: "Tỉnh An Giang".into(),
        };
        assert_eq!(
            deputy_title(DeputyLevel::Commune, Some(&special_zone)),
            "đại biểu HĐND đặc khu Phú Quốc"
        );
        assert_eq!(
            DeputyLevel::Commune.council_label(w, Locale::Vi),
            "HĐND phường"
        );
        assert_eq!(
            DeputyLevel::Commune.council_label(w, Locale::En),
            "Ward council"
        );
        assert_eq!(
            DeputyLevel::Province.council_label(w, Locale::Vi),
            "HĐND tỉnh"
        );
        assert_eq!(
            DeputyLevel::Commune.council_label(None, Locale::Vi),
            "HĐND cấp xã"
        );
    }

    #[test]
    fn terms_are_standard_roman_numerals() {
        assert_eq!(term_years("XVI"), Some((2026, 2031)));
        assert_eq!(term_years(" xiii "), Some((2011, 2016)));
        assert_eq!(term_years("XVII"), Some((2031, 2036)));
        assert_eq!(term_years("XII"), None, "before the shared terms");
        assert_eq!(term_years("XIIII"), None);
        assert_eq!(term_years("2026-2031"), None);
        assert_eq!(term_years(""), None);
    }

    #[test]
    fn codes_round_trip() {
        for level in DeputyLevel::ALL {
            assert_eq!(DeputyLevel::from_code(level.code()), Some(*level));
        }
        for field in OpinionField::ALL {
            assert_eq!(OpinionField::from_code(field.code()), Some(*field));
        }
        assert_eq!(
            CompetentLevel::from_code("tinh"),
            Some(CompetentLevel::Province)
        );
        assert_eq!(MeetingStatus::from_code("x"), None);
    }
}
