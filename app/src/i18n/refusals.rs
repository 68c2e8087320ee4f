//! Why the desk must not hand out ballots, and what an undo changed, in words the desk can say.

use crate::locale::Locale;

/// Why the desk must not hand out ballots, in words the desk can say to the voter.
pub fn refusal_text(refusal: &crate::domain::checkin::Refusal, locale: Locale) -> String {
    use crate::domain::checkin::{Refusal, WindowState};
    use crate::domain::format::date_time;
    let vi = locale == Locale::Vi;
    match refusal {
        Refusal::AlreadyCheckedIn(earlier) => {
            let at = date_time(earlier.at_ms);
            if vi {
                format!(
                    "Cử tri này đã bỏ phiếu: lượt #{} lúc {at} tại khu vực bỏ phiếu số {}, do {} ghi nhận.",
                    earlier.number, earlier.area_number, earlier.by
                )
            } else {
                format!(
                    "This voter has already voted: check-in #{} at {at} at polling area {}, recorded by {}.",
                    earlier.number, earlier.area_number, earlier.by
                )
            }
        }
        Refusal::Removed { reason } => match (vi, reason.is_empty()) {
            (true, true) => "Cử tri này đã bị xóa tên khỏi danh sách cử tri.".to_string(),
            (true, false) => {
                format!("Cử tri này đã bị xóa tên khỏi danh sách cử tri. Lý do: {reason}.")
            }
            (false, true) => "This voter was removed from the voter list.".to_string(),
            (false, false) => {
                format!("This voter was removed from the voter list. Reason: {reason}.")
            }
        },
        Refusal::VotingElsewhere { certificate_no } => {
            if vi {
                format!("Cử tri này đã nhận giấy chứng nhận bỏ phiếu ở nơi khác (số {certificate_no}), không bỏ phiếu tại đây.")
            } else {
                format!("This voter holds a certificate to vote elsewhere (no. {certificate_no}) and does not vote here.")
            }
        }
        Refusal::OtherArea {
            area_number,
            area_name,
        } => {
            if vi {
                format!("Cử tri này thuộc khu vực bỏ phiếu số {area_number} ({area_name}). Hãy hướng dẫn cử tri đến đúng khu vực.")
            } else {
                format!("This voter belongs to polling area {area_number} ({area_name}). Direct the voter there.")
            }
        }
        Refusal::OutsideHours { state, window } => {
            let hours = format!(
                "{} – {} {}",
                window.opens.display(),
                window.closes.display(),
                window.day.display()
            );
            match (state, vi) {
                (WindowState::NotYetOpen, true) => format!("Chưa đến giờ bỏ phiếu ({hours})."),
                (_, true) => format!("Đã hết giờ bỏ phiếu ({hours})."),
                (WindowState::NotYetOpen, false) => {
                    format!("Voting has not started yet ({hours}).")
                }
                (_, false) => format!("Voting has closed ({hours})."),
            }
        }
        Refusal::NoBallots => if vi {
            "Cử tri này không có quyền bầu ở cấp nào mà khu vực này tổ chức."
        } else {
            "This voter is not entitled to any ballot this polling area issues."
        }
        .to_string(),
    }
}

/// What the desk hears when it retries a check-in that a manager has undone since.
pub fn undone_check_in_text(
    undone: &crate::domain::checkin::UndoneCheckIn,
    locale: Locale,
) -> String {
    use crate::domain::format::date_time;
    let checked_in_at = date_time(undone.checked_in_at_ms);
    let undone_at = date_time(undone.undone_at_ms);
    if locale == Locale::Vi {
        format!(
            "Lượt #{} của cử tri {} (ghi nhận lúc {checked_in_at}) đã bị {} hủy lúc {undone_at}. Lý do: {}. \
             Cử tri hiện chưa được ghi nhận đi bầu; nếu cần, hãy tìm lại cử tri và xác nhận lần nữa.",
            undone.number, undone.full_name, undone.undone_by, undone.reason
        )
    } else {
        format!(
            "Check-in #{} of {} (recorded at {checked_in_at}) was undone by {} at {undone_at}. Reason: {}. \
             The voter is not checked in now; if needed, find the voter and confirm again.",
            undone.number, undone.full_name, undone.undone_by, undone.reason
        )
    }
}
