//! Account input parsed into types that can only hold valid values.

use crate::domain::ids::UserId;
use serde::{Deserialize, Serialize};

use crate::domain::role::Role;
use crate::error::ErrorCode;

pub const PASSWORD_MIN_CHARS: usize = 10;
const PASSWORD_MAX_CHARS: usize = 256;
const USERNAME_MAX_CHARS: usize = 40;
const DISPLAY_NAME_MAX_CHARS: usize = 120;

/// Login name: lowercase ASCII letters, digits, `.`, `_` and `-`, 3–40 characters. Kept ASCII
/// so staff can type it on any keyboard, including a tablet without a Vietnamese layout.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Username(String);

impl Username {
    pub fn parse(raw: &str) -> Result<Username, ErrorCode> {
        let name = raw.trim().to_ascii_lowercase();
        let allowed = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(c);
        if name.len() < 3 || name.len() > USERNAME_MAX_CHARS || !name.chars().all(allowed) {
            return Err(ErrorCode::InvalidUsername);
        }
        Ok(Username(name))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Name shown in menus and in the audit log, e.g. "Tổ bầu cử số 1". Stored in Unicode NFC as
/// typed; the browser sends NFC already and the server does not rewrite people's names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DisplayName(String);

impl DisplayName {
    pub fn parse(raw: &str) -> Result<DisplayName, ErrorCode> {
        let name = raw.trim();
        let count = name.chars().count();
        if count == 0 || count > DISPLAY_NAME_MAX_CHARS || name.chars().any(char::is_control) {
            return Err(ErrorCode::InvalidDisplayName);
        }
        Ok(DisplayName(name.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A password that meets the policy. Deliberately neither `Debug` nor `Serialize`, so it cannot
/// end up in a log line or a response.
pub struct NewPassword(String);

impl NewPassword {
    pub fn parse(raw: &str) -> Result<NewPassword, ErrorCode> {
        let count = raw.chars().count();
        if count < PASSWORD_MIN_CHARS {
            return Err(ErrorCode::PasswordTooShort);
        }
        if count > PASSWORD_MAX_CHARS {
            return Err(ErrorCode::PasswordTooLong);
        }
        Ok(NewPassword(raw.to_string()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// The signed-in person as the UI knows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthUser {
    pub id: UserId,
    pub username: String,
    pub display_name: String,
    pub role: Role,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames_are_lowercased_and_restricted_to_ascii() {
        assert_eq!(Username::parse(" ToBauCu1 ").unwrap().as_str(), "tobaucu1");
        assert_eq!(Username::parse("ab"), Err(ErrorCode::InvalidUsername));
        assert_eq!(Username::parse("nguyễn"), Err(ErrorCode::InvalidUsername));
        assert_eq!(Username::parse("a b c"), Err(ErrorCode::InvalidUsername));
        assert!(Username::parse(&"a".repeat(41)).is_err());
    }

    #[test]
    fn display_names_keep_vietnamese_text() {
        let name = DisplayName::parse("  Tổ bầu cử số 1 ").unwrap();
        assert_eq!(name.as_str(), "Tổ bầu cử số 1");
        assert_eq!(
            DisplayName::parse("   "),
            Err(ErrorCode::InvalidDisplayName)
        );
        assert_eq!(
            DisplayName::parse("a\u{0}b"),
            Err(ErrorCode::InvalidDisplayName)
        );
    }

    #[test]
    fn password_needs_ten_characters_counted_as_letters_not_bytes() {
        assert!(matches!(
            NewPassword::parse("123456789"),
            Err(ErrorCode::PasswordTooShort)
        ));
        assert!(NewPassword::parse("1234567890").is_ok());
        // Nine Vietnamese letters are more than ten bytes but still too short.
        assert!(matches!(
            NewPassword::parse("ầầầầầầầầầ"),
            Err(ErrorCode::PasswordTooShort)
        ));
        assert!(matches!(
            NewPassword::parse(&"x".repeat(257)),
            Err(ErrorCode::PasswordTooLong)
        ));
    }
}
