//! The message of every error code, naming what the error carries (who, until when, where).

use super::Msg;
use crate::error::{AppError, ErrorCode};
use crate::locale::Locale;

/// What the user reads when a request fails: what is wrong and what to do.
pub fn error_message(error: &AppError, locale: Locale) -> String {
    let vi = locale == Locale::Vi;
    let (vi_text, en_text) = error_texts(error.code);
    let text = if vi { vi_text } else { en_text };
    let mut message = match &error.detail {
        Some(crate::error::ErrorDetail::Clash {
            with,
            meeting,
            start_ms,
            end_ms,
        }) => {
            let span = crate::domain::meeting::Interval {
                start_ms: *start_ms,
                end_ms: *end_ms,
            };
            clash_text(error.code, with, meeting, span, vi)
        }
        // The subject belongs to the sentence: "… (12/12/2026).", not "…. (12/12/2026)".
        Some(crate::error::ErrorDetail::Subject(subject)) => match text.strip_suffix('.') {
            Some(sentence) => format!("{sentence} ({subject})."),
            None => format!("{text} ({subject})"),
        },
        None => text.to_string(),
    };
    if let Some(until) = error.until_ms {
        let at = crate::domain::format::date_time(until);
        message.push_str(if vi {
            " Thử lại sau "
        } else {
            " Try again after "
        });
        message.push_str(&at);
        message.push('.');
    }
    if let Some(reference) = &error.reference {
        message.push_str(&format!(
            " ({}: {reference})",
            Msg::ErrorReference.text(locale)
        ));
    }
    message
}

/// The refusal of a booking, naming the meeting it collides with.
fn clash_text(
    code: ErrorCode,
    with: &str,
    meeting: &str,
    span: crate::domain::meeting::Interval,
    vi: bool,
) -> String {
    let when = crate::domain::meeting::span_text(span, vi);
    match (code == ErrorCode::MeetingVenueBusy, vi) {
        (false, true) => format!("Đại biểu {with} đã có lịch tiếp xúc cử tri '{meeting}' {when}."),
        (false, false) => {
            format!("Deputy {with} is already in the voter meeting '{meeting}' {when}.")
        }
        (true, true) => format!("Địa điểm {with} đã được đặt cho hội nghị '{meeting}' {when}."),
        (true, false) => format!("{with} is already booked for the meeting '{meeting}' {when}."),
    }
}

/// (Vietnamese, English) text of each error code.
#[expect(
    clippy::too_many_lines,
    reason = "one arm per error code: a table, not logic"
)]
fn error_texts(code: ErrorCode) -> (&'static str, &'static str) {
    match code {
        ErrorCode::NotSignedIn => ("Bạn cần đăng nhập để tiếp tục.", "Please log in to continue."),
        ErrorCode::Forbidden => (
            "Tài khoản của bạn không có quyền thực hiện thao tác này.",
            "Your account may not do this.",
        ),
        ErrorCode::NotFound => ("Không tìm thấy dữ liệu yêu cầu.", "The requested item was not found."),
        ErrorCode::InvalidCredentials => (
            "Tên đăng nhập hoặc mật khẩu không đúng.",
            "Wrong username or password.",
        ),
        ErrorCode::AccountLocked => (
            "Đăng nhập sai quá nhiều lần trong 15 phút nên tạm thời không đăng nhập được tên này từ máy này. Quản trị viên có thể mở khóa trong mục Quản trị.",
            "Too many wrong passwords in 15 minutes: this username is temporarily locked from here. An administrator can unlock it under Administration.",
        ),
        ErrorCode::TooManyRequests => (
            "Có quá nhiều yêu cầu đăng nhập liên tiếp. Hãy chờ một chút rồi thử lại.",
            "Too many sign-in requests in a row. Wait a moment and try again.",
        ),
        ErrorCode::ServerBusy => (
            "Máy chủ đang bận kiểm tra mật khẩu. Dữ liệu chưa bị thay đổi; hãy thử lại sau vài giây.",
            "The server is busy checking passwords. Nothing was changed; try again in a few seconds.",
        ),
        ErrorCode::AccountDisabled => (
            "Tài khoản này đã bị khóa. Hãy liên hệ quản trị viên.",
            "This account is disabled. Contact an administrator.",
        ),
        ErrorCode::InvalidUsername => (
            "Tên đăng nhập phải dài 3–40 ký tự, chỉ gồm chữ thường không dấu, chữ số, dấu chấm, gạch dưới hoặc gạch ngang.",
            "Usernames have 3–40 characters: lowercase letters without accents, digits, '.', '_' or '-'.",
        ),
        ErrorCode::InvalidDisplayName => (
            "Họ tên hiển thị không được để trống và không quá 120 ký tự.",
            "The display name must not be empty or longer than 120 characters.",
        ),
        ErrorCode::InvalidRole => ("Vai trò không hợp lệ.", "Unknown role."),
        ErrorCode::PasswordTooShort => (
            "Mật khẩu phải có ít nhất 10 ký tự.",
            "The password needs at least 10 characters.",
        ),
        ErrorCode::PasswordTooLong => (
            "Mật khẩu không được dài quá 256 ký tự.",
            "The password may not exceed 256 characters.",
        ),
        ErrorCode::PasswordMismatch => (
            "Hai lần nhập mật khẩu không khớp nhau.",
            "The two passwords differ.",
        ),
        ErrorCode::UsernameTaken => (
            "Tên đăng nhập này đã có người dùng. Hãy chọn tên khác.",
            "This username is taken. Choose another.",
        ),
        ErrorCode::SetupUnavailable => (
            "Đã có tài khoản quản trị; trang khởi tạo không còn dùng được. Hãy đăng nhập.",
            "An administrator already exists; setup is closed. Please log in.",
        ),
        ErrorCode::SetupTokenInvalid => (
            "Mã khởi tạo không đúng. Hãy dùng đường dẫn in trong nhật ký khi khởi động máy chủ.",
            "Wrong setup token. Use the link printed in the server log at start-up.",
        ),
        ErrorCode::CannotChangeOwnAccount => (
            "Không thể tự khóa tài khoản của chính mình.",
            "You cannot disable your own account.",
        ),
        ErrorCode::InvalidInput => (
            "Thông tin nhập chưa đầy đủ hoặc không hợp lệ.",
            "Some input is missing or invalid.",
        ),
        ErrorCode::InvalidDate => (
            "Ngày không hợp lệ; hãy nhập theo dạng ngày/tháng/năm, ví dụ 15/03/2026.",
            "Invalid date; use day/month/year, e.g. 15/03/2026.",
        ),
        ErrorCode::AreaNumberTaken => (
            "Cuộc bầu cử này đã có khu vực bỏ phiếu mang số này.",
            "This election already has a polling area with that number.",
        ),
        ErrorCode::AreaInUse => (
            "Khu vực bỏ phiếu này đã có cử tri, lượt bỏ phiếu, biên bản kiểm phiếu, số liệu báo cáo hoặc tổ bầu cử được phân công nên không xóa được; hãy sửa tên, số hoặc địa chỉ thay vì xóa.",
            "This polling area has voters, check-ins, counts, reports or assigned stations, so it cannot be deleted; correct its name, number or address instead.",
        ),
        ErrorCode::ElectionInUse => (
            "Cuộc bầu cử này đã có khu vực bỏ phiếu hoặc hồ sơ (khiếu nại, đơn vị bầu cử, giờ báo cáo) nên không xóa được; hãy xóa các khu vực trống trước, hoặc sửa thay vì xóa.",
            "This election has polling areas or records (complaints, constituencies, report times), so it cannot be deleted; delete its empty areas first, or correct it instead.",
        ),
        ErrorCode::ElectionDayLocked => (
            "Đã có cử tri được ghi nhận đi bầu nên không đổi được ngày bầu cử; tên cuộc bầu cử vẫn sửa được.",
            "Voters have already been checked in, so the election day can no longer change; the name can still be corrected.",
        ),
        ErrorCode::ImportHasErrors => (
            "Tệp còn lỗi nên chưa nhập được. Hãy sửa các lỗi trong bản xem trước rồi thử lại; dữ liệu chưa bị thay đổi.",
            "The file still has errors; fix them and try again. Nothing was changed.",
        ),
        ErrorCode::ImportExpired => (
            "Tệp tải lên đã hết hạn (quá 2 giờ hoặc máy chủ đã khởi động lại). Hãy tải tệp lên lại.",
            "The uploaded file expired (over 2 hours, or the server restarted). Upload it again.",
        ),
        ErrorCode::VoterUnder18 => (
            "Người này chưa đủ 18 tuổi vào ngày bầu cử nên không được ghi tên vào danh sách.",
            "This person is under 18 on election day and cannot be listed.",
        ),
        ErrorCode::InvalidCccd => ("Số CCCD phải có đúng 12 chữ số.", "The ID number must have exactly 12 digits."),
        ErrorCode::CccdTaken => (
            "Số CCCD này đã có trong danh sách cử tri của cuộc bầu cử.",
            "This ID number is already on the election's voter list.",
        ),
        ErrorCode::ReasonRequired => (
            "Hãy ghi lý do thay đổi (được lưu vào nhật ký thao tác).",
            "Give the reason for the change (it is kept in the audit log).",
        ),
        ErrorCode::CertificateRequired => (
            "Hãy ghi số giấy chứng nhận bỏ phiếu ở nơi khác.",
            "Enter the number of the certificate to vote elsewhere.",
        ),
        // --- check-in ---
        ErrorCode::VotingHoursInvalid => (
            "Giờ bỏ phiếu là 07:00–19:00; Tổ bầu cử có thể cho bắt đầu sớm hơn nhưng không trước 05:00, kết thúc muộn hơn nhưng không quá 21:00, và không kết thúc trước 19:00 kể cả khi mọi cử tri đã bỏ phiếu (Điều 71 Luật Bầu cử).",
            "Voting runs 07:00–19:00; a Tổ may start earlier but not before 05:00 and end later but not after 21:00, never before 19:00 even when everyone has voted (Article 71).",
        ),
        ErrorCode::OwnUndoOnly => (
            "Bàn đón tiếp chỉ hủy được lượt ghi nhận gần nhất do chính mình ghi, trong vòng 2 phút. Các lượt khác hãy báo người quản lý (Tổ trưởng, Ban bầu cử) hủy.",
            "A desk can undo only its own latest check-in, within 2 minutes. Ask a manager to undo any other.",
        ),
        ErrorCode::CheckInAlreadyUndone => (
            "Lượt ghi nhận này đã được hủy trước đó.",
            "This check-in was already undone.",
        ),
        // --- turnout reports ---
        ErrorCode::ReportTimesInvalid => (
            "Giờ báo cáo phải viết dạng HH:MM (ví dụ 09:00), trong khoảng 05:00–21:00, không trùng nhau, từ 1 đến 12 mốc giờ.",
            "Report times must be written HH:MM (e.g. 09:00), between 05:00 and 21:00, without repeats, 1 to 12 of them.",
        ),
        // --- counting ---
        ErrorCode::CountingFinalised => (
            "Biên bản kiểm phiếu của khu vực và cấp bầu cử này đã chốt; không thể thay đổi kết quả nữa.",
            "The counting minutes of this area and level are finalised; the results can no longer change.",
        ),
        ErrorCode::CountingSameUser => (
            "Một người không được nhập cả hai lần: lần nhập còn lại phải do người khác thực hiện.",
            "One person cannot make both entries: the other entry must be made by someone else.",
        ),
        ErrorCode::CountingEntryTaken => (
            "Lần nhập này đã do người khác thực hiện. Hãy chọn lần nhập còn lại.",
            "This entry was made by someone else. Choose the other entry.",
        ),
        ErrorCode::CountingEntriesDiffer => (
            "Hai lần nhập còn khác nhau; hãy nhập lại cho khớp rồi mới chốt biên bản.",
            "The two entries still differ; re-enter until they agree before finalising.",
        ),
        ErrorCode::CountingEntriesMissing => (
            "Cần đủ hai lần nhập do hai người khác nhau thực hiện trước khi chốt biên bản.",
            "Both entries, by two different people, are needed before finalising.",
        ),
        ErrorCode::CountingHasErrors => (
            "Kết quả còn lỗi nhất quán (mã C..); hãy sửa trước khi chốt biên bản.",
            "The results break consistency rules (codes C..); fix them before finalising.",
        ),
        ErrorCode::CountingInputInvalid => (
            "Không đọc được danh sách thành viên hoặc người ứng cử: mỗi dòng phải là \"Họ và tên; Chức vụ\" hoặc \"Họ và tên; Ngày sinh; Số phiếu\".",
            "Cannot read the members or candidates: each line must be \"Full name; Role\" or \"Full name; Birth date; Votes\".",
        ),
        ErrorCode::CountingTimeInvalid => (
            "Giờ kiểm tra hòm phiếu và giờ kết thúc bỏ phiếu phải viết dạng giờ:phút, ví dụ 07:00 và 19:00, giờ kiểm tra trước giờ kết thúc; để trống nếu chưa biết.",
            "The ballot-box check and the close of voting must be times like 07:00 and 19:00, the check before the close; leave them empty if not known.",
        ),
        // --- constituencies ---
        ErrorCode::ConstituencyNumberTaken => (
            "Cuộc bầu cử đã có đơn vị bầu cử mang số này ở cấp bầu cử này.",
            "This election already has a constituency with that number at this level.",
        ),
        ErrorCode::ConstituencyAreaTaken => (
            "Khu vực bỏ phiếu đã thuộc một đơn vị bầu cử khác cùng cấp; mỗi khu vực chỉ thuộc một đơn vị bầu cử của mỗi cấp.",
            "A polling area already belongs to another constituency of this level; each area belongs to one constituency per level.",
        ),
        ErrorCode::CandidateListInvalid => (
            "Không đọc được danh sách người ứng cử: mỗi dòng phải là \"Họ và tên; Ngày sinh; Nam/Nữ\", ngày sinh dạng ngày/tháng/năm, tháng/năm hoặc năm, không trùng người.",
            "Cannot read the candidate list: each line must be \"Full name; Birth date; Nam/Nữ\", the birth date as dd/mm/yyyy, mm/yyyy or yyyy, nobody twice.",
        ),
        ErrorCode::ConstituencyInputInvalid => (
            "Số đơn vị bầu cử và số đại biểu được bầu phải từ 1 trở lên, và phải có tên đơn vị bầu cử.",
            "The constituency number and seats must be at least 1, and the constituency needs a name.",
        ),
        ErrorCode::ConstituencyLocked => (
            "Đơn vị bầu cử đã bắt đầu nhập kết quả kiểm phiếu: không thể thay đổi số đại biểu được bầu và danh sách người ứng cử nữa.",
            "Counting results have been entered in this constituency: its seats and candidate list can no longer change.",
        ),
        // --- backups ---
        ErrorCode::BackupInProgress => (
            "Đang có một lần sao lưu khác. Hãy đợi vài phút rồi thử lại.",
            "Another backup is being made. Wait a few minutes and try again.",
        ),
        ErrorCode::BackupToolMissing => (
            "Máy chủ chưa cài chương trình sao lưu PostgreSQL. Người quản trị máy chủ cần cài gói postgresql-client",
            "The server lacks the PostgreSQL backup program. The server's administrator must install the postgresql-client package",
        ),
        ErrorCode::BackupToolTooOld => (
            "Chương trình sao lưu PostgreSQL trên máy chủ cũ hơn cơ sở dữ liệu. Người quản trị máy chủ cần cài postgresql-client mới hơn",
            "The server's PostgreSQL backup program is older than the database. The server's administrator must install a newer postgresql-client",
        ),
        ErrorCode::BackupFolderUnavailable => (
            "Không ghi được vào thư mục sao lưu: USB đã rút ra, đã đầy hoặc chỉ cho đọc?",
            "Cannot write to the backup folder: USB stick removed, full or read-only?",
        ),
        ErrorCode::BackupCopyDamaged => (
            "Bản sao vừa tạo không qua được kiểm tra nên đã bị xóa; dữ liệu đang dùng không bị ảnh hưởng. Hãy thử lại và báo cho người quản trị máy chủ.",
            "The copy just made failed its checks and was removed; the live data is unaffected. Try again and tell the server's administrator.",
        ),
        // --- complaints ---
        ErrorCode::ComplainantRequired => (
            "Hãy ghi họ tên người khiếu nại.",
            "Enter the complainant's name.",
        ),
        ErrorCode::ComplaintContentRequired => (
            "Hãy ghi nội dung khiếu nại.",
            "Enter what the complaint is about.",
        ),
        ErrorCode::ResolutionRequired => (
            "Hãy ghi kết quả giải quyết khiếu nại.",
            "Enter how the complaint was resolved.",
        ),
        ErrorCode::PostingDateInvalid => (
            "Ngày niêm yết phải là một ngày đã qua (hoặc hôm nay) và trước ngày bầu cử.",
            "The posting day must be today or earlier, and before election day.",
        ),
        ErrorCode::ComplaintDateInFuture => (
            "Ngày nhận hoặc ngày giải quyết không được sau ngày hôm nay.",
            "The received or resolved date cannot be later than today.",
        ),
        ErrorCode::ResolvedBeforeReceived => (
            "Ngày giải quyết không được trước ngày nhận khiếu nại.",
            "The resolution date cannot be before the complaint was received.",
        ),
        ErrorCode::ComplaintAlreadyResolved => (
            "Khiếu nại này đã có kết quả giải quyết; kết quả đã ghi không sửa được.",
            "This complaint already has a resolution; a recorded resolution cannot be changed.",
        ),
        ErrorCode::ComplaintVoterNotInElection => (
            "Cử tri được chọn không có trong danh sách của cuộc bầu cử này.",
            "The chosen voter is not on this election's list.",
        ),
        ErrorCode::MeetingDeputyBusy => (
            "Một đại biểu đã có lịch tiếp xúc cử tri khác trùng thời gian.",
            "A deputy is already in another meeting at that time.",
        ),
        ErrorCode::MeetingVenueBusy => (
            "Địa điểm đã được đặt cho hội nghị khác trùng thời gian.",
            "The venue is already booked at that time.",
        ),
        ErrorCode::MeetingFinalised => (
            "Biên bản hội nghị này đã chốt nên không sửa trực tiếp được; hãy lập bản sửa đổi.",
            "The minutes of this meeting are finalised; change them through a correction.",
        ),
        ErrorCode::MeetingTimeInvalid => (
            "Ngày hoặc giờ không hợp lệ: ghi ngày dạng 05/12/2026, giờ dạng 08:00; giờ kết thúc phải sau giờ bắt đầu.",
            "Invalid date or time: write the date as 05/12/2026 and times as 08:00; the end must be after the start.",
        ),
        ErrorCode::MeetingNeedsDeputy => (
            "Hãy chọn ít nhất một đại biểu dự hội nghị.",
            "Choose at least one deputy attending the meeting.",
        ),
        ErrorCode::MeetingNotHeld => (
            "Hãy ghi số cử tri có mặt (hội nghị đã tổ chức) trước khi chốt biên bản.",
            "Record how many voters attended (the meeting was held) before finalising the minutes.",
        ),
        ErrorCode::MeetingCancelled => (
            "Hội nghị này đã bị hủy; không thể thay đổi kế hoạch hay biên bản.",
            "This meeting was cancelled; its plan and record can no longer change.",
        ),
        ErrorCode::MeetingAlreadyHeld => (
            "Hội nghị đã được ghi nhận là đã tổ chức nên không thể hủy.",
            "The meeting is recorded as held, so it cannot be cancelled.",
        ),
        ErrorCode::PetitionRoundInvalid => (
            "Hãy nhập khóa (ví dụ XVI), kỳ họp (số lớn hơn 0) và chọn trước hoặc sau kỳ họp.",
            "Enter the term (e.g. XVI), the session (a number above 0) and whether it is before or after the session.",
        ),
        ErrorCode::PetitionSessionDatesInvalid => (
            "Ngày bế mạc phải cùng ngày hoặc sau ngày khai mạc.",
            "The closing day must be on or after the opening day.",
        ),
        ErrorCode::PetitionMergeSelf => (
            "Không thể gộp một kiến nghị với chính nó.",
            "A petition cannot be merged with itself.",
        ),
        ErrorCode::PetitionMergeOtherRound => (
            "Chỉ gộp được các kiến nghị của cùng một đợt (cùng khóa, kỳ họp, trước/sau kỳ họp).",
            "Only petitions of the same round (term, session, before/after) can be merged.",
        ),
        ErrorCode::PetitionNotOpen => (
            "Kiến nghị này đã được gộp, đã chuyển sang kỳ sau hoặc đã có trả lời nên không thể thao tác tiếp.",
            "This petition was merged, carried to the next session or already answered, so this cannot be done.",
        ),
        ErrorCode::PetitionBodyRequired => (
            "Hãy ghi tên cơ quan có thẩm quyền tiếp nhận kiến nghị.",
            "Enter the competent body that receives the petition.",
        ),
        ErrorCode::PetitionAnswerIncomplete => (
            "Văn bản trả lời cần có nội dung, số văn bản và người ký.",
            "An official answer needs its content, letter number and signer.",
        ),
        ErrorCode::PetitionRoadmapRequired => (
            "Trả lời \"có lộ trình\" phải ghi rõ lộ trình giải quyết.",
            "An answer \"with a roadmap\" must state the roadmap.",
        ),
        ErrorCode::MeetingNotFinalised => (
            "Biên bản chưa chốt nên không cần sửa đổi: hãy sửa trực tiếp rồi chốt.",
            "The minutes are not finalised, so no correction is needed: edit them, then finalise.",
        ),
        ErrorCode::MeetingAttendeeTwice => (
            "Cử tri này đã ký tên tham dự hội nghị (cùng họ tên và địa chỉ).",
            "This voter has already signed in at the meeting (same name and address).",
        ),
        ErrorCode::MeetingFewerPresentThanSigned => (
            "Số cử tri có mặt ít hơn số cử tri đã ký tên tham dự: hãy sửa số có mặt.",
            "Fewer voters present than have signed in by name: correct the number present.",
        ),
        ErrorCode::MeetingNotYetHeld => (
            "Chưa đến ngày tổ chức hội nghị: chỉ ghi số cử tri có mặt, cử tri ký tên và chốt biên bản từ ngày hội nghị diễn ra.",
            "The meeting's day has not come yet: attendance, sign-ins and the minutes are recorded from the day of the meeting on.",
        ),
        ErrorCode::Internal => (
            "Lỗi hệ thống. Dữ liệu chưa bị thay đổi. Hãy thử lại hoặc báo quản trị viên kèm mã tham chiếu.",
            "System error. Nothing was changed. Try again or give the reference to an administrator.",
        ),
        ErrorCode::Transport => (
            "Không liên lạc được với máy chủ. Hãy kiểm tra kết nối mạng và thử lại.",
            "Could not reach the server. Check the network and try again.",
        ),
        ErrorCode::RequestUnreadable => (
            "Yêu cầu không đọc được (nội dung trống hoặc sai định dạng). Dữ liệu chưa bị thay đổi; hãy tải lại trang rồi thử lại.",
            "The request could not be read (empty or malformed). Nothing was changed; reload the page and try again.",
        ),
        ErrorCode::RequestTooLarge => (
            "Yêu cầu quá lớn nên máy chủ không nhận. Dữ liệu chưa bị thay đổi.",
            "The request is too large for the server. Nothing was changed.",
        ),
        ErrorCode::RequestFieldsInvalid => (
            "Yêu cầu thiếu thông tin hoặc có trường sai kiểu (ví dụ chữ ở chỗ cần số). Dữ liệu chưa bị thay đổi; hãy tải lại trang rồi thử lại.",
            "The request lacks a field or has one of the wrong type (e.g. letters where a number is expected). Nothing was changed; reload the page and try again.",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lockout_message_says_until_when() {
        let error = AppError {
            code: ErrorCode::AccountLocked,
            reference: None,
            until_ms: Some(1_773_534_600_000),
            detail: None,
        };
        assert!(error_message(&error, Locale::Vi).ends_with("Thử lại sau 15/03/2026 07:30."));
    }

    #[test]
    fn a_refused_booking_names_the_other_meeting() {
        let day = crate::domain::voter::Date::new(2026, 12, 5).expect("date");
        let span = crate::domain::meeting::Interval {
            start_ms: crate::domain::meeting::vietnam_instant(day, 8 * 60),
            end_ms: crate::domain::meeting::vietnam_instant(day, 10 * 60),
        };
        let mut error = AppError::new(ErrorCode::MeetingDeputyBusy);
        error.detail = Some(crate::error::ErrorDetail::Clash {
            with: "Nguyễn Văn A".into(),
            meeting: "Khóm 3".into(),
            start_ms: span.start_ms,
            end_ms: span.end_ms,
        });
        assert_eq!(
            error_message(&error, Locale::Vi),
            "Đại biểu Nguyễn Văn A đã có lịch tiếp xúc cử tri 'Khóm 3' từ 08:00 đến 10:00 ngày 05/12/2026."
        );
    }

    #[test]
    fn a_meeting_recorded_before_its_day_names_the_day_inside_the_sentence() {
        let mut error = AppError::new(ErrorCode::MeetingNotYetHeld);
        error.detail = Some(crate::error::ErrorDetail::Subject("12/12/2026".into()));
        assert_eq!(
            error_message(&error, Locale::Vi),
            "Chưa đến ngày tổ chức hội nghị: chỉ ghi số cử tri có mặt, cử tri ký tên và chốt biên bản từ ngày hội nghị diễn ra (12/12/2026)."
        );
    }

    #[test]
    fn internal_errors_show_only_the_reference() {
        let error = AppError {
            code: ErrorCode::Internal,
            reference: Some("R7K2".into()),
            until_ms: None,
            detail: None,
        };
        assert!(error_message(&error, Locale::Vi).ends_with("(Mã tham chiếu: R7K2)"));
    }
}
