//! Official turnout report times (the hours at which the ward reports how many voters have
//! voted): which are valid, which are due at a given instant, which comes next. Report times are
//! clock times in Vietnam on the election's voting day.

use crate::domain::checkin::ClockTime;
use crate::domain::format::VietnamTime;
use crate::domain::meeting::vietnam_instant;
use crate::domain::voter::Date;

/// The hours most election boards report at, used until a manager sets others.
pub const DEFAULT_REPORT_TIMES: [&str; 5] = ["09:00", "11:00", "14:00", "16:00", "19:00"];

/// More report times than this is a typing mistake, not a reporting plan.
pub const MAX_REPORT_TIMES: usize = 12;

/// Why a list of report times is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReportTimesProblem {
    Empty,
    TooMany,
    /// Not written "HH:MM" (the text as typed).
    Unreadable(String),
    /// Outside the voting hours the law allows, 05:00–21:00.
    OutsideVotingHours(String),
    Repeated(String),
}

/// Reads report times written "HH:MM", separated by commas, semicolons or spaces; returns them
/// sorted. Strict about the form because the times are printed as typed on the official report.
pub fn parse_report_times(text: &str) -> Result<Vec<ClockTime>, ReportTimesProblem> {
    let mut times = Vec::new();
    for part in text
        .split([',', ';', ' ', '\n', '\t'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        let well_formed = part.len() == 5
            && part.as_bytes()[2] == b':'
            && part
                .bytes()
                .enumerate()
                .all(|(i, b)| i == 2 || b.is_ascii_digit());
        let time = well_formed
            .then(|| ClockTime::parse(part))
            .flatten()
            .ok_or_else(|| ReportTimesProblem::Unreadable(part.to_string()))?;
        if time < ClockTime::EARLIEST_OPENING || time > ClockTime::LATEST_CLOSING {
            return Err(ReportTimesProblem::OutsideVotingHours(part.to_string()));
        }
        if times.contains(&time) {
            return Err(ReportTimesProblem::Repeated(part.to_string()));
        }
        times.push(time);
    }
    if times.is_empty() {
        return Err(ReportTimesProblem::Empty);
    }
    if times.len() > MAX_REPORT_TIMES {
        return Err(ReportTimesProblem::TooMany);
    }
    times.sort();
    Ok(times)
}

/// The default report times, sorted.
pub fn default_report_times() -> Vec<ClockTime> {
    DEFAULT_REPORT_TIMES
        .iter()
        .filter_map(|t| ClockTime::parse(t))
        .collect()
}

/// The Unix instant of a report time on the voting day.
pub fn report_instant(voting_day: Date, time: ClockTime) -> i64 {
    // `ClockTime` keeps its minutes private; its "HH:MM" form is the public way to them.
    let text = time.display();
    let (hour, minute) = text.split_once(':').unwrap_or(("0", "0"));
    let minutes = hour.parse::<u32>().unwrap_or(0) * 60 + minute.parse::<u32>().unwrap_or(0);
    vietnam_instant(voting_day, minutes)
}

/// The report times that have passed at `now_ms` (all of them once the voting day is over,
/// none before it), in order.
pub fn due_times(times: &[ClockTime], voting_day: Date, now_ms: i64) -> Vec<ClockTime> {
    times
        .iter()
        .copied()
        .filter(|time| report_instant(voting_day, *time) <= now_ms)
        .collect()
}

/// The next report time still to come at `now_ms`, if any is left on the voting day.
pub fn next_time(times: &[ClockTime], voting_day: Date, now_ms: i64) -> Option<ClockTime> {
    times
        .iter()
        .copied()
        .filter(|time| report_instant(voting_day, *time) > now_ms)
        .min()
}

/// Whether `now_ms` falls on the voting day in Vietnam.
pub fn is_voting_day(voting_day: Date, now_ms: i64) -> bool {
    let now = VietnamTime::from_unix_ms(now_ms);
    (now.year, now.month, now.day) == (voting_day.year, voting_day.month, voting_day.day)
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: Date = Date {
        year: 2026,
        month: 3,
        day: 15,
    };

    /// Unix ms of a Vietnam wall-clock time on 2026-03-`day`.
    fn at(day: u32, hour: u32, minute: u32, second: i64) -> i64 {
        vietnam_instant(
            Date {
                year: 2026,
                month: 3,
                day,
            },
            hour * 60 + minute,
        ) + second * 1000
    }

    fn times(list: &[&str]) -> Vec<ClockTime> {
        list.iter().map(|t| ClockTime::parse(t).unwrap()).collect()
    }

    #[test]
    fn report_times_are_read_sorted_and_checked() {
        assert_eq!(
            parse_report_times("19:00, 09:00;11:00 14:00\n16:00"),
            Ok(default_report_times())
        );
        assert_eq!(parse_report_times("05:00"), Ok(times(&["05:00"])));
        assert_eq!(parse_report_times("21:00"), Ok(times(&["21:00"])));
        assert_eq!(parse_report_times(" , "), Err(ReportTimesProblem::Empty));
        for bad in [
            "9:00", "09h00", "0900", "24:00", "09:60", "09:0a", "ab:cd", "09:00:00",
        ] {
            assert_eq!(
                parse_report_times(bad),
                Err(ReportTimesProblem::Unreadable(bad.into())),
                "{bad}"
            );
        }
        assert_eq!(
            parse_report_times("04:59, 09:00"),
            Err(ReportTimesProblem::OutsideVotingHours("04:59".into()))
        );
        assert_eq!(
            parse_report_times("09:00, 21:01"),
            Err(ReportTimesProblem::OutsideVotingHours("21:01".into()))
        );
        assert_eq!(
            parse_report_times("09:00, 11:00, 09:00"),
            Err(ReportTimesProblem::Repeated("09:00".into()))
        );
        let many = (5..=18)
            .map(|h| format!("{h:02}:00"))
            .collect::<Vec<_>>()
            .join(",");
        assert_eq!(parse_report_times(&many), Err(ReportTimesProblem::TooMany));
    }

    #[test]
    fn report_times_are_vietnam_wall_clock_on_the_voting_day() {
        // 09:00 in Vietnam is 02:00 UTC.
        let nine = report_instant(DAY, ClockTime::parse("09:00").unwrap());
        assert_eq!(nine, at(15, 9, 0, 0));
        assert_eq!(nine % 86_400_000, 2 * 3_600_000);
    }

    #[test]
    fn a_report_time_is_due_from_its_first_second() {
        let defaults = default_report_times();
        assert!(due_times(&defaults, DAY, at(15, 8, 59, 59)).is_empty());
        assert_eq!(
            due_times(&defaults, DAY, at(15, 9, 0, 0)),
            times(&["09:00"])
        );
        assert_eq!(
            due_times(&defaults, DAY, at(15, 14, 30, 0)),
            times(&["09:00", "11:00", "14:00"])
        );
        assert_eq!(
            next_time(&defaults, DAY, at(15, 14, 30, 0)),
            ClockTime::parse("16:00")
        );
        assert_eq!(next_time(&defaults, DAY, at(15, 19, 0, 0)), None);
    }

    #[test]
    fn nothing_is_due_the_evening_before_and_everything_after_midnight() {
        let defaults = default_report_times();
        // 23:59:59 the evening before in Vietnam (16:59:59 UTC): nothing is due yet.
        let eve = at(14, 23, 59, 59);
        assert!(due_times(&defaults, DAY, eve).is_empty());
        assert!(!is_voting_day(DAY, eve));
        assert_eq!(next_time(&defaults, DAY, eve), ClockTime::parse("09:00"));
        // Midnight opens the voting day, but 00:00 is before any report time.
        let midnight = at(15, 0, 0, 0);
        assert!(is_voting_day(DAY, midnight));
        assert!(due_times(&defaults, DAY, midnight).is_empty());
        // The last minute of the voting day and the day after: every time has passed.
        let last = at(15, 23, 59, 59);
        assert!(is_voting_day(DAY, last));
        assert_eq!(due_times(&defaults, DAY, last), defaults);
        let after = at(16, 0, 0, 0);
        assert!(!is_voting_day(DAY, after));
        assert_eq!(due_times(&defaults, DAY, after), defaults);
        assert_eq!(next_time(&defaults, DAY, after), None);
    }

    #[test]
    fn the_voting_day_crosses_a_month_boundary_correctly() {
        let day = Date {
            year: 2026,
            month: 2,
            day: 28,
        };
        let march_first = vietnam_instant(
            Date {
                year: 2026,
                month: 3,
                day: 1,
            },
            0,
        );
        assert!(is_voting_day(day, march_first - 1));
        assert!(!is_voting_day(day, march_first));
    }
}
