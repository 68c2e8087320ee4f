//! A voter as the law sees them: partial birth dates, the age rule, ballot levels and the
//! identity number, each parsed from what ward staff type or import.

use serde::{Deserialize, Serialize};

/// A calendar date without time or zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 0,
    }
}

impl Date {
    /// `None` for impossible dates such as 31/04 or 29/02 of a common year.
    pub fn new(year: i32, month: u32, day: u32) -> Option<Date> {
        ((1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month))
            .then_some(Date { year, month, day })
    }

    /// "dd/mm/yyyy" or ISO "yyyy-mm-dd".
    pub fn parse(text: &str) -> Option<Date> {
        Date::parse_in(text, DateOrder::DayFirst)
    }

    /// Like `parse`, with "a/b/yyyy" read in the given order (ISO dates are never ambiguous).
    /// Also read as lists write them: "05-03-1980", "07/ 08 /1971", "ngày 9 tháng 10 năm 1969",
    /// and a spreadsheet's day number ("27623", a date cell that lost its date format).
    pub fn parse_in(text: &str, order: DateOrder) -> Option<Date> {
        let written = as_written(text);
        let text = written.as_str();
        if let Some(date) = excel_day_number(text) {
            return Some(date);
        }
        if let Some((y, rest)) = text.split_once('-').filter(|(y, _)| y.len() == 4) {
            let (m, d) = rest.split_once('-')?;
            return Date::new(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
        }
        let parts: Vec<&str> = text.split(['/', '.', '-']).collect();
        match (parts.as_slice(), order) {
            ([d, m, y], DateOrder::DayFirst) | ([m, d, y], DateOrder::MonthFirst)
                if y.len() == 4 =>
            {
                Date::new(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
            }
            _ => None,
        }
    }

    pub fn iso(&self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }

    /// "15/03/2026".
    pub fn display(&self) -> String {
        format!("{:02}/{:02}/{:04}", self.day, self.month, self.year)
    }

    /// The same day `years` later (negative: earlier); 29/02 becomes 28/02 in a common year, as
    /// a period ending on a day the month lacks ends on the month's last day.
    pub fn add_years(&self, years: i32) -> Date {
        let year = self.year + years;
        let day = self.day.min(days_in_month(year, self.month));
        Date {
            year,
            month: self.month,
            day,
        }
    }

    /// The day `days` later (negative: earlier).
    pub fn add_days(&self, days: i64) -> Date {
        Date::from_day_number(self.day_number() + days)
    }

    /// Days since 01/03/0000 of the proleptic Gregorian calendar (a March-based year puts the
    /// leap day last, so each month's offset is a fixed formula).
    fn day_number(&self) -> i64 {
        let (year, month) = if self.month <= 2 {
            (i64::from(self.year) - 1, i64::from(self.month) + 9)
        } else {
            (i64::from(self.year), i64::from(self.month) - 3)
        };
        365 * year + year.div_euclid(4) - year.div_euclid(100)
            + year.div_euclid(400)
            + (153 * month + 2) / 5
            + i64::from(self.day)
            - 1
    }

    fn from_day_number(number: i64) -> Date {
        // `day_number` counts from 0000-03-01, `civil_from_days` from 1970-01-01.
        const DAYS_TO_1970: i64 = 719_468;
        let (year, month, day) = super::format::civil_from_days(number - DAYS_TO_1970);
        // Only a step of millions of years leaves i32; the calendar's ends are the answer then.
        let year = i32::try_from(year).unwrap_or(if year < 0 { i32::MIN } else { i32::MAX });
        Date { year, month, day }
    }

    /// The same day `months` later, clamped to the month's last day.
    pub fn months_after(&self, months: u32) -> Date {
        let index = self.month - 1 + months;
        #[expect(clippy::cast_possible_wrap, reason = "a u32 divided by 12 fits i32")]
        let year = self.year + (index / 12) as i32;
        let month = index % 12 + 1;
        Date {
            year,
            month,
            day: self.day.min(days_in_month(year, month)),
        }
    }
}

/// How a file writes "a/b/yyyy": Vietnamese day first, or month first as software set up
/// for the United States exports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum DateOrder {
    #[default]
    DayFirst,
    MonthFirst,
}

/// Works out a file's date order from the dates it holds: "25/12/1980" can only be day first,
/// "12/25/1980" only month first, "05/07/1990" either. A file is read month first only when
/// some date can only be read that way and none can only be read day first; anything else
/// (no telling date, or both kinds, which is a file of mistakes) is read the Vietnamese way.
#[derive(Debug, Default)]
pub struct DateOrderVotes {
    day_first: usize,
    month_first: usize,
}

impl DateOrderVotes {
    pub fn add(&mut self, cell: &str) {
        let cell = cell.trim();
        // "1/2/1990" to "01/02/1990"; called for every cell of a file, so most leave here.
        if !(8..=10).contains(&cell.len()) || !cell.as_bytes()[0].is_ascii_digit() {
            return;
        }
        let mut parts = cell.splitn(3, ['/', '.', '-']);
        let (Some(a), Some(b), Some(year)) = (parts.next(), parts.next(), parts.next()) else {
            return;
        };
        let number = |part: &str| {
            (!part.is_empty() && part.len() <= 2)
                .then(|| part.parse::<u32>().ok())
                .flatten()
                .filter(|n| (1..=31).contains(n))
        };
        if year.len() != 4 || !year.bytes().all(|b| b.is_ascii_digit()) {
            return;
        }
        match (number(a), number(b)) {
            (Some(a), Some(b)) if a > 12 && b <= 12 => self.day_first += 1,
            (Some(a), Some(b)) if b > 12 && a <= 12 => self.month_first += 1,
            _ => {}
        }
    }

    pub fn order(&self) -> DateOrder {
        if self.month_first > 0 && self.day_first == 0 {
            DateOrder::MonthFirst
        } else {
            DateOrder::DayFirst
        }
    }
}

/// Date of birth as far as it is known: many older residents have only a year, some a month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum BirthDate {
    Full(Date),
    MonthYear { year: i32, month: u32 },
    Year(i32),
}

/// A date as typed, in the "d/m/y" shape the parsers read: spaces around separators dropped,
/// "ngày 9 tháng 10 năm 1969" as "9/10/1969".
fn as_written(text: &str) -> String {
    let folded = super::text::fold(text);
    let words: Vec<&str> = folded.split_whitespace().collect();
    if let ["ngay", d, "thang", m, "nam", y] = words.as_slice() {
        return format!("{d}/{m}/{y}");
    }
    text.split_whitespace().collect()
}

/// Spreadsheets count days from 30/12/1899; five digits are the years 1927–2064, never a year
/// or a day of the month, so the number can only be a date cell shown without its format.
fn excel_day_number(text: &str) -> Option<Date> {
    let days: i64 = text.parse().ok().filter(|_| text.len() == 5)?;
    (10_000..=60_000)
        .contains(&days)
        .then(|| Date::new(1899, 12, 30).map(|origin| origin.add_days(days)))
        .flatten()
}

impl BirthDate {
    /// Accepts "dd/mm/yyyy", "mm/yyyy", "yyyy" (also with '.' or '-' separators, or ISO).
    pub fn parse(text: &str) -> Option<BirthDate> {
        BirthDate::parse_in(text, DateOrder::DayFirst)
    }

    /// Like `parse`, with full dates read in the file's order.
    pub fn parse_in(text: &str, order: DateOrder) -> Option<BirthDate> {
        let written = as_written(text);
        let text = written.as_str();
        if let Some(date) = Date::parse_in(text, order) {
            return Some(BirthDate::Full(date));
        }
        let parts: Vec<&str> = text.split(['/', '.', '-']).collect();
        let year = |y: &str| {
            (y.len() == 4)
                .then(|| y.parse::<i32>().ok())
                .flatten()
                .filter(|y| *y >= 1880)
        };
        match parts.as_slice() {
            [y] => year(y).map(BirthDate::Year),
            [m, y] => {
                let month: u32 = m.parse().ok()?;
                ((1..=12).contains(&month)).then_some(())?;
                year(y).map(|year| BirthDate::MonthYear { year, month })
            }
            _ => None,
        }
    }

    /// The date used for the age rule: unknown day → the 1st; unknown month → 1 January.
    pub fn reference_date(&self) -> Date {
        match *self {
            BirthDate::Full(date) => date,
            BirthDate::MonthYear { year, month } => Date {
                year,
                month,
                day: 1,
            },
            BirthDate::Year(year) => Date {
                year,
                month: 1,
                day: 1,
            },
        }
    }

    pub fn year(&self) -> i32 {
        self.reference_date().year
    }

    /// As written on the list: "05/07/1990", "07/1990" or "1990".
    pub fn display(&self) -> String {
        match *self {
            BirthDate::Full(date) => date.display(),
            BirthDate::MonthYear { year, month } => format!("{month:02}/{year:04}"),
            BirthDate::Year(year) => format!("{year:04}"),
        }
    }

    /// (year, month, day) columns for storage; month/day are absent when unknown.
    pub fn parts(&self) -> (i32, Option<u32>, Option<u32>) {
        match *self {
            BirthDate::Full(d) => (d.year, Some(d.month), Some(d.day)),
            BirthDate::MonthYear { year, month } => (year, Some(month), None),
            BirthDate::Year(year) => (year, None, None),
        }
    }

    pub fn from_parts(year: i32, month: Option<u32>, day: Option<u32>) -> Option<BirthDate> {
        match (month, day) {
            (Some(month), Some(day)) => Date::new(year, month, day).map(BirthDate::Full),
            (Some(month), None) if (1..=12).contains(&month) => {
                Some(BirthDate::MonthYear { year, month })
            }
            (None, None) => Some(BirthDate::Year(year)),
            _ => None,
        }
    }
}

/// Voters must be 18 on election day (Luật Bầu cử, Điều 2): their 18th birthday falls on or
/// before it, with the partial-date rule of `reference_date`.
pub fn is_of_age(birth: &BirthDate, election_day: Date) -> bool {
    birth.reference_date().add_years(18) <= election_day
}

pub fn is_born_in_future(birth: &BirthDate, today: Date) -> bool {
    birth.reference_date() > today
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Gender {
    Male,
    Female,
}

impl Gender {
    /// "Nam"/"Nữ" as written on lists (any case, with or without diacritics), and M/F.
    pub fn parse(text: &str) -> Option<Gender> {
        match super::text::fold(text).as_str() {
            "nam" | "m" | "male" => Some(Gender::Male),
            "nu" | "f" | "female" => Some(Gender::Female),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Gender::Male => "nam",
            Gender::Female => "nu",
        }
    }

    pub fn from_code(code: &str) -> Option<Gender> {
        match code {
            "nam" => Some(Gender::Male),
            "nu" => Some(Gender::Female),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Gender::Male => "Nam",
            Gender::Female => "Nữ",
        }
    }
}

/// Số định danh cá nhân / CCCD: exactly 12 digits. Built only by parsing, also when it
/// arrives on the wire; the database holds only numbers parsed on their way in.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
#[cfg_attr(feature = "ssr", derive(sqlx::Type), sqlx(transparent))]
pub struct Cccd(String);

impl TryFrom<String> for Cccd {
    type Error = String;

    fn try_from(text: String) -> Result<Cccd, String> {
        Cccd::parse(&text).ok_or_else(|| format!("{text:?} is not a 12-digit CCCD number"))
    }
}

impl From<Cccd> for String {
    fn from(cccd: Cccd) -> String {
        cccd.0
    }
}

impl Cccd {
    /// Spaces and dots that spreadsheets insert are ignored; a leading zero lost by Excel (11
    /// digits) is not guessed back: it is refused, so staff check the number.
    pub fn parse(text: &str) -> Option<Cccd> {
        let digits = Self::digits(text);
        (digits.len() == 12 && digits.bytes().all(|b| b.is_ascii_digit())).then_some(Cccd(digits))
    }

    /// As a spreadsheet holds it: also 11 digits, the leading zero dropped by a number format.
    /// Every CCCD starts with its province code, 001–096, so that zero is certain; a typing
    /// slip that drops some other digit shows up in `implied_person` instead.
    pub fn parse_spreadsheet(text: &str) -> Option<Cccd> {
        let digits = Self::digits(text);
        if digits.len() == 11 && digits.bytes().all(|b| b.is_ascii_digit()) {
            return Self::parse(&format!("0{digits}"));
        }
        Self::parse(&digits)
    }

    fn digits(text: &str) -> String {
        text.chars()
            .filter(|c| !matches!(c, ' ' | '.' | '\''))
            .collect()
    }

    /// The gender and birth year the number encodes: its 4th digit is the century and gender
    /// (0/1 for men/women born 1900–1999, 2/3 for 2000–2099, …), its 5th–6th digits the last
    /// two of the birth year (Thông tư 59/2021/TT-BCA, Điều 7).
    pub fn implied_person(&self) -> (Gender, i32) {
        let digit = |index: usize| i32::from(self.0.as_bytes()[index] - b'0');
        let code = digit(3);
        let gender = if code % 2 == 1 {
            Gender::Female
        } else {
            Gender::Male
        };
        (gender, 1900 + 100 * (code / 2) + 10 * digit(4) + digit(5))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The number itself: 12 digits fit a u64 exactly, so a million numbers checked for
    /// duplicates take 8 bytes each instead of a string apiece.
    pub fn key(&self) -> u64 {
        cccd_key(&self.0).unwrap_or_default()
    }
}

/// `Cccd::key` of a number as stored (12 digits); None for anything else.
pub fn cccd_key(digits: &str) -> Option<u64> {
    (digits.len() == 12 && digits.bytes().all(|b| b.is_ascii_digit()))
        .then(|| digits.parse().ok())
        .flatten()
}

/// Ballot levels of the 2026 two-tier local government, as a bit set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub struct Levels(pub i64);

impl Levels {
    pub const NATIONAL_ASSEMBLY: Levels = Levels(1);
    pub const PROVINCE: Levels = Levels(2);
    pub const COMMUNE: Levels = Levels(4);
    pub const ALL: Levels = Levels(7);
    pub const NONE: Levels = Levels(0);

    pub fn contains(self, other: Levels) -> bool {
        self.0 & other.0 == other.0
    }

    pub fn intersect(self, other: Levels) -> Levels {
        Levels(self.0 & other.0)
    }
}

/// Which ballots a voter receives (Điều 29 as amended in 2025): permanent residents and
/// temporary residents of 12 months or more vote at every level; temporary residents of less
/// than 12 months on election day vote for the National Assembly and the province only.
pub fn entitlement(temporary_since: Option<Date>, election_day: Date, offered: Levels) -> Levels {
    let full = match temporary_since {
        Some(since) => since.months_after(12) <= election_day,
        None => true,
    };
    let levels = if full {
        Levels::ALL
    } else {
        Levels(Levels::NATIONAL_ASSEMBLY.0 | Levels::PROVINCE.0)
    };
    levels.intersect(offered)
}

/// Card numbers continue after the highest one ever given in the area; removed voters keep
/// theirs, so the posted list is never renumbered.
pub fn next_stt(highest_given: Option<i64>) -> i64 {
    highest_given.unwrap_or(0) + 1
}

/// The list must be posted at least this many days before election day (Điều 32).
pub const POSTING_LEAD_DAYS: i64 = 40;

/// The last day on which the list can be posted in time for `election_day`.
pub fn latest_posting_day(election_day: Date) -> Date {
    election_day.add_days(-POSTING_LEAD_DAYS)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> Date {
        Date::new(y, m, d).expect("valid date")
    }

    const ELECTION: Date = Date {
        year: 2026,
        month: 3,
        day: 15,
    };

    #[test]
    fn adding_days_walks_the_calendar_one_day_at_a_time() {
        // Every day from 1899 to 2101 against the calendar's own rule for the next day.
        let mut date = day(1899, 1, 1);
        while date.year < 2101 {
            let next = Date::new(date.year, date.month, date.day + 1)
                .or_else(|| Date::new(date.year, date.month + 1, 1))
                .unwrap_or_else(|| day(date.year + 1, 1, 1));
            assert_eq!(date.add_days(1), next, "{date:?}");
            assert_eq!(next.add_days(-1), date, "{next:?}");
            date = next;
        }
        assert_eq!(day(2026, 2, 3).add_days(30), day(2026, 3, 5));
        assert_eq!(day(2026, 3, 15).add_days(-40), day(2026, 2, 3));
        assert_eq!(
            day(2024, 2, 28).add_days(366),
            day(2025, 2, 28),
            "over 29/02/2024"
        );
    }

    #[test]
    fn a_step_past_the_calendar_ends_at_its_edge_not_a_wrapped_year() {
        assert_eq!(day(2026, 3, 15).add_days(i64::MAX / 2).year, i32::MAX);
        assert_eq!(day(2026, 3, 15).add_days(i64::MIN / 2).year, i32::MIN);
    }

    #[test]
    fn the_list_is_posted_forty_days_ahead_at_the_latest() {
        assert_eq!(
            latest_posting_day(ELECTION),
            day(2026, 2, 3),
            "2026: posted from 03/02"
        );
    }

    #[test]
    fn born_on_15_march_2008_may_vote_on_15_march_2026_a_day_later_may_not() {
        assert!(is_of_age(&BirthDate::Full(day(2008, 3, 15)), ELECTION));
        assert!(!is_of_age(&BirthDate::Full(day(2008, 3, 16)), ELECTION));
    }

    #[test]
    fn partial_dates_use_the_first_of_the_month_or_of_january() {
        // Month known: counts as 01/03/2008 → of age; 04/2008 → 01/04/2008 → not.
        assert!(is_of_age(
            &BirthDate::MonthYear {
                year: 2008,
                month: 3
            },
            ELECTION
        ));
        assert!(!is_of_age(
            &BirthDate::MonthYear {
                year: 2008,
                month: 4
            },
            ELECTION
        ));
        // Year only: counts as 01/01/2008 → of age even though they may be born in December.
        assert!(is_of_age(&BirthDate::Year(2008), ELECTION));
        assert!(!is_of_age(&BirthDate::Year(2009), ELECTION));
    }

    #[test]
    fn leap_day_births_turn_eighteen_on_28_february() {
        let election = day(2026, 2, 28);
        assert!(is_of_age(&BirthDate::Full(day(2008, 2, 29)), election));
        assert!(!is_of_age(
            &BirthDate::Full(day(2008, 2, 29)),
            day(2026, 2, 27)
        ));
    }

    #[test]
    fn a_file_is_read_month_first_only_when_its_dates_say_so() {
        let order_of = |cells: &[&str]| {
            let mut votes = DateOrderVotes::default();
            for cell in cells {
                votes.add(cell);
            }
            votes.order()
        };
        assert_eq!(
            order_of(&["05/07/1990", "1990", "07/1990"]),
            DateOrder::DayFirst
        );
        assert_eq!(
            order_of(&["05/07/1990", "12/25/1980"]),
            DateOrder::MonthFirst
        );
        assert_eq!(order_of(&["5.7.1990", "2.28.1961"]), DateOrder::MonthFirst);
        assert_eq!(
            order_of(&["12/25/1980", "25/12/1980"]),
            DateOrder::DayFirst,
            "both kinds: read the Vietnamese way, the other kind is reported impossible"
        );
        assert_eq!(
            order_of(&["13/1990", "1990-12-25", "Khóm 13/25"]),
            DateOrder::DayFirst
        );
        assert_eq!(
            BirthDate::parse_in("12/25/1980", DateOrder::MonthFirst),
            Some(BirthDate::Full(day(1980, 12, 25)))
        );
        assert_eq!(
            BirthDate::parse_in("05/07/1990", DateOrder::MonthFirst),
            Some(BirthDate::Full(day(1990, 5, 7)))
        );
        assert_eq!(
            BirthDate::parse_in("07/1990", DateOrder::MonthFirst),
            Some(BirthDate::MonthYear {
                year: 1990,
                month: 7
            })
        );
        assert_eq!(
            BirthDate::parse_in("25/12/1980", DateOrder::MonthFirst),
            None
        );
        assert_eq!(
            Date::parse_in("1990-07-05", DateOrder::MonthFirst),
            Some(day(1990, 7, 5))
        );
    }

    #[test]
    fn birth_dates_parse_in_every_written_form() {
        assert_eq!(
            BirthDate::parse("05/07/1990"),
            Some(BirthDate::Full(day(1990, 7, 5)))
        );
        assert_eq!(
            BirthDate::parse("5.7.1990"),
            Some(BirthDate::Full(day(1990, 7, 5)))
        );
        assert_eq!(
            BirthDate::parse("1990-07-05"),
            Some(BirthDate::Full(day(1990, 7, 5)))
        );
        assert_eq!(
            BirthDate::parse("07/1990"),
            Some(BirthDate::MonthYear {
                year: 1990,
                month: 7
            })
        );
        assert_eq!(BirthDate::parse("1990"), Some(BirthDate::Year(1990)));
        for written in [
            "05-07-1990",
            " 05/ 07 /1990 ",
            "ngày 5 tháng 7 năm 1990",
            "Ngày 05 tháng 07 năm 1990",
            "33059",
        ] {
            assert_eq!(
                BirthDate::parse(written),
                Some(BirthDate::Full(day(1990, 7, 5))),
                "{written:?}"
            );
        }
        assert_eq!(
            BirthDate::parse("03-1990"),
            Some(BirthDate::MonthYear {
                year: 1990,
                month: 3
            })
        );
        // Four digits are a year and six are nothing, never a spreadsheet's day number.
        assert_eq!(BirthDate::parse("1927"), Some(BirthDate::Year(1927)));
        assert_eq!(BirthDate::parse("330590"), None);
        for impossible in [
            "31/04/1990",
            "29/02/2001",
            "00/01/1990",
            "13/1990",
            "90",
            "abc",
            "",
            "1/1/90",
        ] {
            assert_eq!(BirthDate::parse(impossible), None, "{impossible}");
        }
        assert_eq!(
            BirthDate::parse("29/02/2000"),
            Some(BirthDate::Full(day(2000, 2, 29)))
        );
    }

    #[test]
    fn birth_dates_round_trip_through_storage_parts() {
        for text in ["05/07/1990", "07/1990", "1990"] {
            let birth = BirthDate::parse(text).expect("parses");
            let (y, m, d) = birth.parts();
            assert_eq!(BirthDate::from_parts(y, m, d), Some(birth));
            assert_eq!(birth.display(), text);
        }
    }

    #[test]
    fn short_temporary_residence_limits_the_ballots() {
        let since_11_months = day(2025, 4, 16);
        let since_12_months = day(2025, 3, 15);
        let na_and_province = Levels(Levels::NATIONAL_ASSEMBLY.0 | Levels::PROVINCE.0);
        assert_eq!(
            entitlement(Some(since_11_months), ELECTION, Levels::ALL),
            na_and_province
        );
        assert_eq!(
            entitlement(Some(since_12_months), ELECTION, Levels::ALL),
            Levels::ALL
        );
        assert_eq!(entitlement(None, ELECTION, Levels::ALL), Levels::ALL);
        assert_eq!(
            entitlement(None, ELECTION, Levels::NATIONAL_ASSEMBLY),
            Levels::NATIONAL_ASSEMBLY
        );
    }

    #[test]
    fn cccd_has_exactly_twelve_digits() {
        assert_eq!(
            Cccd::parse("079 090 001 234").map(|c| c.0),
            Some("079090001234".into())
        );
        assert!(
            Cccd::parse("79090001234").is_none(),
            "a leading zero lost by Excel is refused"
        );
        assert!(Cccd::parse("07909000123A").is_none());
    }

    #[test]
    fn a_cccd_from_the_wire_is_parsed_like_a_typed_one() {
        let cccd: Cccd = serde_json::from_str("\"079 090 001 234\"").expect("a valid number");
        assert_eq!(cccd.as_str(), "079090001234");
        assert_eq!(
            serde_json::to_string(&cccd).expect("serialises"),
            "\"079090001234\""
        );
        assert!(serde_json::from_str::<Cccd>("\"0790900012\"").is_err());
        assert!(serde_json::from_str::<Cccd>("\"07909000123A\"").is_err());
    }

    #[test]
    fn a_spreadsheet_number_gets_its_leading_zero_back() {
        assert_eq!(
            Cccd::parse_spreadsheet("79090001234").map(|c| c.0),
            Some("079090001234".into())
        );
        assert_eq!(
            Cccd::parse_spreadsheet("079090001234").map(|c| c.0),
            Some("079090001234".into())
        );
        assert!(Cccd::parse_spreadsheet("7909000123").is_none());
        assert!(Cccd::parse_spreadsheet("7.90900E+10").is_none());
    }

    #[test]
    fn the_number_tells_the_century_gender_and_birth_year() {
        let implied = |number: &str| Cccd::parse(number).expect("valid").implied_person();
        assert_eq!(implied("089080001234"), (Gender::Male, 1980));
        assert_eq!(implied("089180001234"), (Gender::Female, 1980));
        assert_eq!(implied("001305001234"), (Gender::Female, 2005));
        assert_eq!(implied("001205001234"), (Gender::Male, 2005));
        assert_eq!(implied("096149000001"), (Gender::Female, 1949));
        assert_eq!(implied("096400000001"), (Gender::Male, 2100));
    }

    #[test]
    fn gender_accepts_what_lists_contain() {
        assert_eq!(Gender::parse("Nữ"), Some(Gender::Female));
        assert_eq!(Gender::parse("NU"), Some(Gender::Female));
        assert_eq!(Gender::parse(" nam "), Some(Gender::Male));
        assert_eq!(Gender::parse("x"), None);
    }

    #[test]
    fn card_numbers_continue_after_the_highest() {
        assert_eq!(next_stt(None), 1);
        assert_eq!(next_stt(Some(6688)), 6689);
    }
}
