//! Complaints about the voter list (Điều 33): the list-making body records each complaint in
//! its register and must answer within 5 days of receiving it.

use super::voter::Date;

/// Days the ward has to answer a complaint, counted from the day it was received.
pub const ANSWER_DAYS: u32 = 5;

/// Days after the list is posted during which citizens may complain about it (Điều 33).
pub const FILING_DAYS: i64 = 30;

/// The last day on which the answer is on time: received + 5 days.
pub fn answer_deadline(received_on: Date) -> Date {
    received_on.add_days(i64::from(ANSWER_DAYS))
}

/// The last day a complaint about the list may be lodged: posted + 30 days.
pub fn filing_closes(posted_on: Date) -> Date {
    posted_on.add_days(FILING_DAYS)
}

/// Received after the filing period of a posted list. It is still entered in the register (the
/// ward must record what it received); the register says it came late.
pub fn is_late(received_on: Date, posted_on: Option<Date>) -> bool {
    posted_on.is_some_and(|posted| received_on > filing_closes(posted))
}

/// Still unanswered after its deadline. An answered complaint is never overdue, even if the
/// answer came late (the register shows both dates).
pub fn is_overdue(received_on: Date, resolved_on: Option<Date>, today: Date) -> bool {
    resolved_on.is_none() && today > answer_deadline(received_on)
}

/// Why the dates of a complaint cannot be recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateProblem {
    InFuture,
    ResolvedBeforeReceived,
}

/// A complaint cannot be received, nor answered, on a day that has not come yet, and cannot
/// be answered before it was received.
pub fn check_dates(
    received_on: Date,
    resolved_on: Option<Date>,
    today: Date,
) -> Result<(), DateProblem> {
    if received_on > today || resolved_on.is_some_and(|d| d > today) {
        return Err(DateProblem::InFuture);
    }
    if resolved_on.is_some_and(|d| d < received_on) {
        return Err(DateProblem::ResolvedBeforeReceived);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(day: u32, month: u32, year: i32) -> Date {
        Date::new(year, month, day).expect("valid test date")
    }

    #[test]
    fn the_deadline_is_five_calendar_days_after_receipt() {
        assert_eq!(answer_deadline(d(3, 2, 2026)), d(8, 2, 2026));
        assert_eq!(answer_deadline(d(28, 1, 2026)), d(2, 2, 2026), "month end");
        assert_eq!(answer_deadline(d(29, 12, 2025)), d(3, 1, 2026), "year end");
        assert_eq!(
            answer_deadline(d(26, 2, 2026)),
            d(3, 3, 2026),
            "February of a common year"
        );
        assert_eq!(
            answer_deadline(d(26, 2, 2028)),
            d(2, 3, 2028),
            "February of a leap year has the 29th"
        );
        assert_eq!(
            answer_deadline(d(27, 4, 2026)),
            d(2, 5, 2026),
            "30-day month"
        );
    }

    #[test]
    fn complaints_are_late_after_thirty_days_from_posting() {
        let posted = Some(d(3, 2, 2026));
        assert_eq!(filing_closes(d(3, 2, 2026)), d(5, 3, 2026));
        assert!(!is_late(d(5, 3, 2026), posted), "the 30th day is in time");
        assert!(is_late(d(6, 3, 2026), posted));
        assert!(
            !is_late(d(1, 2, 2026), posted),
            "before posting is not late"
        );
        assert!(
            !is_late(d(1, 12, 2026), None),
            "no period runs before the list is posted"
        );
    }

    #[test]
    fn overdue_only_when_unanswered_after_the_deadline() {
        let received = d(29, 12, 2025);
        assert!(!is_overdue(received, None, d(29, 12, 2025)));
        assert!(
            !is_overdue(received, None, d(3, 1, 2026)),
            "the deadline day itself is on time"
        );
        assert!(is_overdue(received, None, d(4, 1, 2026)), "the day after");
        assert!(is_overdue(received, None, d(1, 3, 2026)));
        assert!(
            !is_overdue(received, Some(d(10, 1, 2026)), d(1, 3, 2026)),
            "answered, even late, is no longer overdue"
        );
    }

    #[test]
    fn dates_may_not_lie_in_the_future_or_run_backwards() {
        let today = d(10, 2, 2026);
        assert_eq!(check_dates(d(10, 2, 2026), None, today), Ok(()));
        assert_eq!(
            check_dates(d(11, 2, 2026), None, today),
            Err(DateProblem::InFuture)
        );
        assert_eq!(
            check_dates(d(1, 2, 2026), Some(d(11, 2, 2026)), today),
            Err(DateProblem::InFuture)
        );
        assert_eq!(
            check_dates(d(5, 2, 2026), Some(d(4, 2, 2026)), today),
            Err(DateProblem::ResolvedBeforeReceived)
        );
        assert_eq!(
            check_dates(d(5, 2, 2026), Some(d(5, 2, 2026)), today),
            Ok(()),
            "answered the same day"
        );
    }
}
