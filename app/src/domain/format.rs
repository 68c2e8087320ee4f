//! Numbers, percentages and times written the way Vietnamese forms write them:
//! 6.622 (dot groups thousands), 99,01% (comma decimal, two decimals, rounded half-up),
//! 27/11/2026 14:05 (day first, Vietnam time).

use crate::locale::Locale;

/// Vietnam has used UTC+7 all year since 1975; there is no daylight saving to handle.
const VIETNAM_OFFSET_SECONDS: i64 = 7 * 3600;

struct Separators {
    thousands: char,
    decimal: char,
}

fn separators(locale: Locale) -> Separators {
    match locale {
        Locale::Vi => Separators {
            thousands: '.',
            decimal: ',',
        },
        Locale::En => Separators {
            thousands: ',',
            decimal: '.',
        },
    }
}

/// 6622 → "6.622", for a count of any integer type (a length, a row count from the store).
pub fn count(value: impl TryInto<i128>, locale: Locale) -> String {
    // Only a u128 beyond i128 fails; no count comes near it.
    let value = value.try_into().unwrap_or(i128::MAX);
    group_thousands(value, separators(locale).thousands)
}

fn group_thousands(value: i128, separator: char) -> String {
    let digits = value.unsigned_abs().to_string();
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if value < 0 {
        grouped.push('-');
    }
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            grouped.push(separator);
        }
        grouped.push(digit);
    }
    grouped
}

/// part/whole as a percentage with two decimals, rounded half-up: 6622/6688 → "99,01%".
/// A zero denominator has no percentage and shows "—".
pub fn percent(part: i64, whole: i64, locale: Locale) -> String {
    if whole <= 0 || part < 0 {
        return "—".to_string();
    }
    // Hundredths of a percent, rounded half-up in exact integer arithmetic (no float drift).
    let (part, whole) = (i128::from(part), i128::from(whole));
    let hundredths = (part * 10_000 * 2 + whole) / (whole * 2);
    let seps = separators(locale);
    let whole_part = group_thousands(hundredths / 100, seps.thousands);
    format!("{whole_part}{}{:02}%", seps.decimal, hundredths % 100)
}

/// A percentage already in hundredths (from `domain::counting`): 9901 → "99,01%".
pub fn hundredths(value: i64, locale: Locale) -> String {
    let seps = separators(locale);
    let whole = group_thousands((value / 100).into(), seps.thousands);
    format!("{whole}{}{:02}%", seps.decimal, (value % 100).abs())
}

/// A file's size in megabytes with one decimal: 12_884_902 bytes → "12,3 MB".
pub fn megabytes(bytes: u64, locale: Locale) -> String {
    const MEGABYTE: u64 = 1024 * 1024;
    let tenths = (u128::from(bytes) * 10 + u128::from(MEGABYTE / 2)) / u128::from(MEGABYTE);
    let seps = separators(locale);
    let whole = group_thousands(
        i128::try_from(tenths / 10).unwrap_or(i128::MAX),
        seps.thousands,
    );
    format!("{whole}{}{} MB", seps.decimal, tenths % 10)
}

/// Civil date and time in Vietnam of a Unix timestamp in milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VietnamTime {
    pub year: i32,
    pub month: u32,
    pub day: u32,
    pub hour: u32,
    pub minute: u32,
    pub second: u32,
}

impl VietnamTime {
    pub fn from_unix_ms(unix_ms: i64) -> VietnamTime {
        let local_seconds = unix_ms.div_euclid(1000) + VIETNAM_OFFSET_SECONDS;
        let days = local_seconds.div_euclid(86_400);
        #[expect(
            clippy::cast_possible_truncation,
            reason = "rem_euclid(86_400) is in 0..86_400"
        )]
        let second_of_day = local_seconds.rem_euclid(86_400) as u32;
        let (year, month, day) = civil_from_days(days);
        #[expect(
            clippy::cast_possible_truncation,
            reason = "i64 milliseconds span ±292 million years, well inside i32"
        )]
        let year = year as i32;
        VietnamTime {
            year,
            month,
            day,
            hour: second_of_day / 3600,
            minute: second_of_day / 60 % 60,
            second: second_of_day % 60,
        }
    }
}

/// Days since 1970-01-01 → (year, month, day) in the proleptic Gregorian calendar
/// (H. Hinnant's well-known algorithm).
pub(crate) fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    #[expect(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "day_of_year is in 0..366 and month_index in 0..12, so both fit 1..=31 and 1..=12"
    )]
    let (day, month) = (
        (day_of_year - (153 * month_index + 2) / 5 + 1) as u32,
        if month_index < 10 {
            month_index + 3
        } else {
            month_index - 9
        } as u32,
    );
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// "27/11/2026 14:05" in Vietnam time.
pub fn date_time(unix_ms: i64) -> String {
    let t = VietnamTime::from_unix_ms(unix_ms);
    format!(
        "{:02}/{:02}/{:04} {:02}:{:02}",
        t.day, t.month, t.year, t.hour, t.minute
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_sizes_are_megabytes_with_one_decimal() {
        assert_eq!(megabytes(12_884_902, Locale::Vi), "12,3 MB");
        assert_eq!(megabytes(0, Locale::En), "0.0 MB");
        assert_eq!(megabytes(5 * 1024 * 1024 * 1024, Locale::Vi), "5.120,0 MB");
    }

    #[test]
    fn counts_group_thousands_with_dots() {
        assert_eq!(count(0, Locale::Vi), "0");
        assert_eq!(count(999, Locale::Vi), "999");
        assert_eq!(count(6622, Locale::Vi), "6.622");
        assert_eq!(count(76_188_970, Locale::Vi), "76.188.970");
        assert_eq!(count(-1234, Locale::Vi), "-1.234");
        assert_eq!(count(6622, Locale::En), "6,622");
    }

    #[test]
    fn hundredths_print_as_percentages() {
        assert_eq!(hundredths(9901, Locale::Vi), "99,01%");
        assert_eq!(hundredths(10_000, Locale::Vi), "100,00%");
        assert_eq!(hundredths(5, Locale::Vi), "0,05%");
        assert_eq!(hundredths(9901, Locale::En), "99.01%");
    }

    #[test]
    fn turnout_of_the_my_thoi_report_is_99_01_percent() {
        assert_eq!(percent(6622, 6688, Locale::Vi), "99,01%");
        assert_eq!(percent(6622, 6688, Locale::En), "99.01%");
    }

    #[test]
    fn percentages_round_half_up_and_show_a_dash_without_denominator() {
        assert_eq!(percent(1, 8, Locale::Vi), "12,50%");
        // 1/16 = 6,25%; 1/32 = 3,125% → half-up → 3,13%.
        assert_eq!(percent(1, 32, Locale::Vi), "3,13%");
        // 2/3 = 66,666…% → 66,67%.
        assert_eq!(percent(2, 3, Locale::Vi), "66,67%");
        assert_eq!(percent(0, 5, Locale::Vi), "0,00%");
        assert_eq!(percent(5, 5, Locale::Vi), "100,00%");
        assert_eq!(percent(3, 0, Locale::Vi), "—");
    }

    #[test]
    fn a_percentage_beyond_i64_prints_in_full() {
        assert_eq!(
            percent(i64::MAX, 1, Locale::Vi),
            "922.337.203.685.477.580.700,00%"
        );
    }

    #[test]
    fn counts_of_any_integer_type_group_alike() {
        assert_eq!(count(6622_usize, Locale::Vi), "6.622");
        assert_eq!(count(u64::MAX, Locale::Vi), "18.446.744.073.709.551.615");
    }

    #[test]
    fn times_are_shown_in_vietnam_time_day_first() {
        // 2026-03-15T00:30:00Z is 07:30 on 15/03/2026 in Vietnam.
        assert_eq!(date_time(1_773_534_600_000), "15/03/2026 07:30");
        // 17:00Z on 31/12 is already the next year in Vietnam.
        assert_eq!(date_time(1_798_736_400_000), "01/01/2027 00:00");
        assert_eq!(date_time(0), "01/01/1970 07:00");
    }

    #[test]
    fn civil_dates_handle_leap_days() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
        assert_eq!(civil_from_days(-1), (1969, 12, 31));
    }
}
