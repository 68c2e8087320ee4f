//! Every word the UI shows, in Vietnamese (first) and English, in this one file.
//! The language is chosen per browser with the `cutri_lang` cookie; Vietnamese is the default.

use serde::{Deserialize, Serialize};

use crate::domain::role::Role;
use crate::error::{AppError, ErrorCode};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Locale {
    #[default]
    Vi,
    En,
}

pub const LOCALE_COOKIE: &str = "cutri_lang";

impl Locale {
    pub fn code(self) -> &'static str {
        match self {
            Locale::Vi => "vi",
            Locale::En => "en",
        }
    }

    pub fn parse(code: &str) -> Option<Locale> {
        match code {
            "vi" => Some(Locale::Vi),
            "en" => Some(Locale::En),
            _ => None,
        }
    }

    /// The locale named by the `cutri_lang` cookie in a `Cookie` header, Vietnamese otherwise.
    pub fn from_cookie_header(header: &str) -> Locale {
        header
            .split(';')
            .filter_map(|pair| pair.trim().split_once('='))
            .find(|(name, _)| *name == LOCALE_COOKIE)
            .and_then(|(_, value)| Locale::parse(value))
            .unwrap_or_default()
    }
}

macro_rules! messages {
    ($($key:ident => $vi:literal, $en:literal;)*) => {
        /// A piece of UI text.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Msg { $($key),* }

        impl Msg {
            pub fn text(self, locale: Locale) -> &'static str {
                match (self, locale) {
                    $((Msg::$key, Locale::Vi) => $vi, (Msg::$key, Locale::En) => $en,)*
                }
            }
        }
    };
}

messages! {
    AppName => "cutri — Quản lý cử tri", "cutri — Voter management";
    AppShortName => "cutri", "cutri";
    NavVoters => "Cử tri", "Voters";
    NavElectionDay => "Ngày bầu cử", "Election day";
    NavResults => "Kết quả", "Results";
    NavMeetings => "Tiếp xúc cử tri", "Voter meetings";
    NavAdmin => "Quản trị", "Administration";
    NavUsers => "Người dùng", "Users";
    NavAudit => "Nhật ký thao tác", "Audit log";
    NavAccount => "Tài khoản", "Account";
    Logout => "Đăng xuất", "Log out";
    Login => "Đăng nhập", "Log in";
    LoginTitle => "Đăng nhập vào cutri", "Log in to cutri";
    Username => "Tên đăng nhập", "Username";
    DisplayName => "Họ tên hiển thị", "Display name";
    Password => "Mật khẩu", "Password";
    PasswordConfirm => "Nhập lại mật khẩu", "Repeat password";
    PasswordHint => "Ít nhất 10 ký tự.", "At least 10 characters.";
    Role => "Vai trò", "Role";
    Status => "Trạng thái", "Status";
    Actions => "Thao tác", "Actions";
    Active => "Đang hoạt động", "Active";
    Disabled => "Đã khóa", "Disabled";
    Disable => "Khóa tài khoản", "Disable";
    Enable => "Mở khóa", "Enable";
    ResetPassword => "Đặt lại mật khẩu", "Reset password";
    NewPassword => "Mật khẩu mới", "New password";
    CurrentPassword => "Mật khẩu hiện tại", "Current password";
    ChangePassword => "Đổi mật khẩu", "Change password";
    PasswordChanged => "Đã đổi mật khẩu. Các phiên đăng nhập khác đã bị đăng xuất.", "Password changed. Your other sessions were logged out.";
    Save => "Lưu", "Save";
    Saving => "Đang lưu…", "Saving…";
    CreateUser => "Tạo người dùng", "Create user";
    UserCreated => "Đã tạo người dùng.", "User created.";
    UserUpdated => "Đã cập nhật người dùng.", "User updated.";
    UsersTitle => "Người dùng", "Users";
    CreatedAt => "Ngày tạo", "Created";
    RoleAdmin => "Quản trị viên", "Administrator";
    RoleStation => "Tổ bầu cử (ngày bầu cử)", "Polling station staff";
    RoleOrganizer => "Tổ chức tiếp xúc cử tri", "Meeting organizer";
    RoleViewer => "Chỉ xem kết quả", "Viewer (read-only)";
    SetupTitle => "Tạo tài khoản quản trị đầu tiên", "Create the first administrator";
    SetupIntro => "cutri chưa có tài khoản nào. Tài khoản tạo ở đây có toàn quyền quản trị phường/xã.", "cutri has no accounts yet. The account created here administers the whole ward.";
    SetupCreate => "Tạo tài khoản quản trị", "Create administrator";
    HomeTitle => "Trang chủ", "Home";
    HomeWelcome => "Xin chào", "Welcome";
    HomeIntro => "Chọn một mục trong thanh điều hướng để bắt đầu.", "Pick an area in the navigation bar to begin.";
    ComingSoon => "Chức năng này đang được xây dựng.", "This area is being built.";
    AuditTitle => "Nhật ký thao tác", "Audit log";
    AuditTime => "Thời gian", "Time";
    AuditActor => "Người thực hiện", "By";
    AuditAction => "Thao tác", "Action";
    AuditEntity => "Đối tượng", "Object";
    AuditBefore => "Trước", "Before";
    AuditAfter => "Sau", "After";
    AuditFilterAction => "Lọc theo thao tác", "Filter by action";
    AuditFilterActor => "Lọc theo người thực hiện", "Filter by user";
    AuditAllActions => "Tất cả thao tác", "All actions";
    Filter => "Lọc", "Filter";
    PreviousPage => "Trang trước", "Previous";
    NextPage => "Trang sau", "Next";
    NoRecords => "Không có bản ghi nào.", "No records.";
    Loading => "Đang tải…", "Loading…";
    ForbiddenTitle => "Không có quyền truy cập", "Access denied";
    ForbiddenText => "Tài khoản của bạn không được phép mở trang này. Hãy liên hệ quản trị viên nếu bạn cần quyền này.", "Your account may not open this page. Ask an administrator if you need access.";
    NotFoundTitle => "Không tìm thấy trang", "Page not found";
    NotFoundText => "Địa chỉ này không tồn tại. Hãy kiểm tra lại hoặc quay về trang chủ.", "This address does not exist. Check it or go back to the home page.";
    ErrorTitle => "Đã xảy ra lỗi", "Something went wrong";
    ErrorReference => "Mã tham chiếu", "Reference";
    BackHome => "Về trang chủ", "Back to home";
    Language => "Ngôn ngữ", "Language";
    SkipToContent => "Bỏ qua, tới nội dung chính", "Skip to main content";
}

/// The Vietnamese/English label of a role.
pub fn role_label(role: Role) -> Msg {
    match role {
        Role::Admin => Msg::RoleAdmin,
        Role::Station => Msg::RoleStation,
        Role::Organizer => Msg::RoleOrganizer,
        Role::Viewer => Msg::RoleViewer,
    }
}

/// What the user reads when a request fails: what is wrong and what to do.
pub fn error_message(error: &AppError, locale: Locale) -> String {
    let vi = locale == Locale::Vi;
    let text = match error.code {
        ErrorCode::NotSignedIn => {
            if vi {
                "Bạn cần đăng nhập để tiếp tục."
            } else {
                "Please log in to continue."
            }
        }
        ErrorCode::Forbidden => {
            if vi {
                "Tài khoản của bạn không có quyền thực hiện thao tác này."
            } else {
                "Your account may not do this."
            }
        }
        ErrorCode::NotFound => {
            if vi {
                "Không tìm thấy dữ liệu yêu cầu."
            } else {
                "The requested item was not found."
            }
        }
        ErrorCode::InvalidCredentials => {
            if vi {
                "Tên đăng nhập hoặc mật khẩu không đúng."
            } else {
                "Wrong username or password."
            }
        }
        ErrorCode::AccountLocked => {
            if vi {
                "Đăng nhập sai quá 10 lần trong 15 phút nên tài khoản tạm khóa."
            } else {
                "Too many wrong passwords (10 in 15 minutes): the account is temporarily locked."
            }
        }
        ErrorCode::AccountDisabled => {
            if vi {
                "Tài khoản này đã bị khóa. Hãy liên hệ quản trị viên."
            } else {
                "This account is disabled. Contact an administrator."
            }
        }
        ErrorCode::InvalidUsername => {
            if vi {
                "Tên đăng nhập phải dài 3–40 ký tự, chỉ gồm chữ thường không dấu, chữ số, dấu chấm, gạch dưới hoặc gạch ngang."
            } else {
                "Usernames have 3–40 characters: lowercase letters without accents, digits, '.', '_' or '-'."
            }
        }
        ErrorCode::InvalidDisplayName => {
            if vi {
                "Họ tên hiển thị không được để trống và không quá 120 ký tự."
            } else {
                "The display name must not be empty or longer than 120 characters."
            }
        }
        ErrorCode::InvalidRole => {
            if vi {
                "Vai trò không hợp lệ."
            } else {
                "Unknown role."
            }
        }
        ErrorCode::PasswordTooShort => {
            if vi {
                "Mật khẩu phải có ít nhất 10 ký tự."
            } else {
                "The password needs at least 10 characters."
            }
        }
        ErrorCode::PasswordTooLong => {
            if vi {
                "Mật khẩu không được dài quá 256 ký tự."
            } else {
                "The password may not exceed 256 characters."
            }
        }
        ErrorCode::PasswordMismatch => {
            if vi {
                "Hai lần nhập mật khẩu không khớp nhau."
            } else {
                "The two passwords differ."
            }
        }
        ErrorCode::UsernameTaken => {
            if vi {
                "Tên đăng nhập này đã có người dùng. Hãy chọn tên khác."
            } else {
                "This username is taken. Choose another."
            }
        }
        ErrorCode::SetupUnavailable => {
            if vi {
                "Đã có tài khoản quản trị; trang khởi tạo không còn dùng được. Hãy đăng nhập."
            } else {
                "An administrator already exists; setup is closed. Please log in."
            }
        }
        ErrorCode::SetupTokenInvalid => {
            if vi {
                "Mã khởi tạo không đúng. Hãy dùng đường dẫn in trong nhật ký khi khởi động máy chủ."
            } else {
                "Wrong setup token. Use the link printed in the server log at start-up."
            }
        }
        ErrorCode::CannotChangeOwnAccount => {
            if vi {
                "Không thể tự khóa hoặc đổi vai trò tài khoản của chính mình."
            } else {
                "You cannot disable your own account."
            }
        }
        ErrorCode::Internal => {
            if vi {
                "Lỗi hệ thống. Dữ liệu chưa bị thay đổi. Hãy thử lại hoặc báo quản trị viên kèm mã tham chiếu."
            } else {
                "System error. Nothing was changed. Try again or give the reference to an administrator."
            }
        }
        ErrorCode::Transport => {
            if vi {
                "Không liên lạc được với máy chủ. Hãy kiểm tra kết nối mạng và thử lại."
            } else {
                "Could not reach the server. Check the network and try again."
            }
        }
    };
    let mut message = text.to_string();
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vietnamese_is_the_default_and_the_cookie_switches_language() {
        assert_eq!(Locale::from_cookie_header(""), Locale::Vi);
        assert_eq!(Locale::from_cookie_header("a=b; cutri_lang=en"), Locale::En);
        assert_eq!(Locale::from_cookie_header("cutri_lang=fr"), Locale::Vi);
    }

    #[test]
    fn lockout_message_says_until_when() {
        let error = AppError {
            code: ErrorCode::AccountLocked,
            reference: None,
            until_ms: Some(1_773_534_600_000),
        };
        assert!(error_message(&error, Locale::Vi).ends_with("Thử lại sau 15/03/2026 07:30."));
    }

    #[test]
    fn internal_errors_show_only_the_reference() {
        let error = AppError {
            code: ErrorCode::Internal,
            reference: Some("R7K2".into()),
            until_ms: None,
        };
        assert!(error_message(&error, Locale::Vi).ends_with("(Mã tham chiếu: R7K2)"));
    }
}
