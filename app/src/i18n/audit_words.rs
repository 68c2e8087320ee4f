//! The audit log in words an official reads: what a record is about ("Cử tri số 1675", with
//! the page to open) and what it held before and after, field by field with Vietnamese names,
//! instead of `voter:1675`, raw JSON or `luot=286 khu_vuc=1`.

use crate::domain::audit::AuditAction;
use crate::locale::Locale;

/// An action in words ("Ghi nhận cử tri đi bầu"); a code this version does not know (a record
/// written by a newer one) as it is.
pub fn action_words(code: &str, locale: Locale) -> String {
    AuditAction::parse(code).map_or_else(
        || code.to_string(),
        |action| action.label(locale).to_string(),
    )
}

/// A before/after in one line ("Họ và tên: Lê Văn Đức; Tình trạng: removed"), for exports.
pub fn change_text(text: &str, locale: Locale) -> String {
    change_lines(text, locale)
        .into_iter()
        .map(|line| {
            if line.label.is_empty() {
                line.value
            } else {
                format!("{}: {}", line.label, line.value)
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// One field of a change: its name in words (empty for a plain sentence) and its value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangeLine {
    pub label: String,
    pub value: String,
}

/// (stored key, Vietnamese, English). Keys not listed are shown with spaces for underscores.
const FIELDS: &[(&str, &str, &str)] = &[
    ("address", "Địa chỉ", "Address"),
    ("answered_by", "Người trả lời", "Answered by"),
    ("area", "Khu vực bỏ phiếu", "Polling area"),
    ("areas", "Khu vực bỏ phiếu", "Polling areas"),
    ("birth", "Ngày sinh", "Birth date"),
    ("cap", "Cấp bầu cử (mã)", "Ballot levels (code)"),
    ("cccd", "Số CCCD", "ID number"),
    ("certificate_no", "Số giấy chứng nhận", "Certificate no."),
    ("client", "Máy truy cập", "From address"),
    ("complainant", "Người khiếu nại", "Complainant"),
    ("content", "Nội dung", "Content"),
    ("disabled", "Đã khóa", "Disabled"),
    ("display_name", "Họ tên", "Name"),
    ("election_day", "Ngày bầu cử", "Election day"),
    ("election_id", "Cuộc bầu cử số", "Election no."),
    ("encoding", "Bảng mã", "Encoding"),
    ("file", "Tệp", "File"),
    ("first_entry_by", "Người nhập lần 1", "First entry by"),
    ("full_name", "Họ và tên", "Full name"),
    ("gender", "Giới tính", "Gender"),
    ("huy", "Hủy, lý do", "Undone, reason"),
    ("khu_vuc", "Khu vực bỏ phiếu (mã)", "Polling area (id)"),
    ("level", "Cấp", "Level"),
    ("levels", "Cấp bầu cử (mã)", "Ballot levels (code)"),
    ("luot", "Lượt", "Check-in no."),
    ("name", "Tên", "Name"),
    ("ngoai_gio", "Ngoài giờ bỏ phiếu", "Outside the hours"),
    ("notes", "Ghi chú", "Notes"),
    ("number", "Số", "Number"),
    ("password", "Mật khẩu", "Password"),
    ("permanent_address", "Nơi thường trú", "Permanent address"),
    (
        "polling_areas",
        "Khu vực bỏ phiếu được giao",
        "Assigned polling areas",
    ),
    ("posted_on", "Ngày niêm yết", "Posted on"),
    ("province", "Tỉnh/thành phố", "Province"),
    ("reason", "Lý do", "Reason"),
    ("received_on", "Ngày nhận", "Received on"),
    ("resolution", "Kết quả giải quyết", "Resolution"),
    ("resolved_on", "Ngày giải quyết", "Resolved on"),
    ("role", "Vai trò", "Role"),
    ("rows", "Số dòng", "Rows"),
    ("seats", "Số đại biểu được bầu", "Seats"),
    ("second_entry_by", "Người nhập lần 2", "Second entry by"),
    ("sessions", "Phiên đăng nhập", "Sessions"),
    ("status", "Tình trạng", "Status"),
    ("status_reason", "Lý do", "Reason"),
    ("stt", "Số thứ tự", "No. on the list"),
    ("temporary_address", "Nơi tạm trú", "Temporary address"),
    ("title", "Tiêu đề", "Title"),
    ("username", "Tên đăng nhập", "Username"),
    ("voter_id", "Cử tri số", "Voter no."),
];

fn field_label(key: &str, locale: Locale) -> String {
    match FIELDS.binary_search_by(|(k, _, _)| (*k).cmp(key)) {
        Ok(at) => match locale {
            Locale::Vi => FIELDS[at].1,
            Locale::En => FIELDS[at].2,
        }
        .to_string(),
        Err(_) => key.replace('_', " "),
    }
}

fn json_value(value: &serde_json::Value, locale: Locale) -> String {
    use serde_json::Value;
    let vi = locale == Locale::Vi;
    match value {
        Value::Null => "—".to_string(),
        Value::Bool(true) => if vi { "có" } else { "yes" }.to_string(),
        Value::Bool(false) => if vi { "không" } else { "no" }.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) if s.is_empty() => "—".to_string(),
        Value::String(s) => s.clone(),
        Value::Array(items) if items.is_empty() => "—".to_string(),
        Value::Array(items) => items
            .iter()
            .map(|item| json_value(item, locale))
            .collect::<Vec<_>>()
            .join(", "),
        Value::Object(fields) => fields
            .iter()
            .map(|(key, value)| {
                format!(
                    "{}: {}",
                    field_label(key, locale),
                    json_value(value, locale)
                )
            })
            .collect::<Vec<_>>()
            .join("; "),
    }
}

/// A stored before/after summary as lines: a JSON object field by field, `key=value` words
/// (check-ins) one per key, `huy: reason` as the reason, anything else as it is.
pub fn change_lines(text: &str, locale: Locale) -> Vec<ChangeLine> {
    let text = text.trim();
    if text.is_empty() {
        return Vec::new();
    }
    if let Ok(serde_json::Value::Object(fields)) = serde_json::from_str(text) {
        return fields
            .iter()
            .map(|(key, value)| {
                let role = (key == "role")
                    .then(|| value.as_str().and_then(crate::domain::role::Role::parse))
                    .flatten();
                ChangeLine {
                    label: field_label(key, locale),
                    value: match role {
                        Some(role) => super::role_label(role).text(locale).to_string(),
                        None => json_value(value, locale),
                    },
                }
            })
            .collect();
    }
    let words: Vec<&str> = text.split_whitespace().collect();
    let pairs: Option<Vec<(&str, &str)>> = words.iter().map(|w| w.split_once('=')).collect();
    if let Some(pairs) = pairs.filter(|p| !p.is_empty()) {
        return pairs
            .into_iter()
            .map(|(key, value)| ChangeLine {
                label: field_label(key, locale),
                value: value.to_string(),
            })
            .collect();
    }
    let flags: Vec<&str> = words.iter().copied().filter(|w| !w.contains('=')).collect();
    if !flags.is_empty() && flags.len() < words.len() {
        // "luot=3 khu_vuc=1 ngoai_gio": the flag is a yes.
        let yes = if locale == Locale::Vi { "có" } else { "yes" };
        return words
            .iter()
            .map(|word| match word.split_once('=') {
                Some((key, value)) => ChangeLine {
                    label: field_label(key, locale),
                    value: value.to_string(),
                },
                None => ChangeLine {
                    label: field_label(word, locale),
                    value: yes.to_string(),
                },
            })
            .collect();
    }
    if let Some(reason) = text.strip_prefix("huy:") {
        return vec![ChangeLine {
            label: field_label("huy", locale),
            value: reason.trim().to_string(),
        }];
    }
    vec![ChangeLine {
        label: String::new(),
        value: text.to_string(),
    }]
}

/// What an audit record is about, in words, and the page that shows it when there is one:
/// `voter:1675` → ("Cử tri số 1675", "/voters/1675").
pub fn entity_words(entity: &str, locale: Locale) -> (String, Option<String>) {
    let vi = locale == Locale::Vi;
    let Some((kind, rest)) = entity.split_once(':') else {
        return (entity.to_string(), None);
    };
    let numbered =
        |vi_name: &str, en_name: &str| format!("{} {rest}", if vi { vi_name } else { en_name });
    match kind {
        "voter" => (
            numbered("Cử tri số", "Voter no."),
            Some(format!("/voters/{rest}")),
        ),
        "meeting" => (
            numbered("Hội nghị số", "Meeting no."),
            Some(format!("/meetings/{rest}")),
        ),
        "area" | "polling_area" => (
            numbered("Khu vực bỏ phiếu (mã)", "Polling area (id)"),
            Some(format!("/election-day/areas/{rest}")),
        ),
        "counting" => {
            let mut parts = rest.split(':');
            let (area, level, slot) = (parts.next(), parts.next(), parts.next());
            let (Some(area), Some(level)) = (area, level) else {
                return (entity.to_string(), None);
            };
            let words = match (slot, vi) {
                (Some(slot), true) => {
                    format!("Kết quả kiểm phiếu, khu vực {area}, {level}, lần nhập {slot}")
                }
                (Some(slot), false) => format!("Counting, area {area}, {level}, entry {slot}"),
                (None, true) => format!("Biên bản kiểm phiếu, khu vực {area}, {level}"),
                (None, false) => format!("Counting minutes, area {area}, {level}"),
            };
            (words, Some(format!("/results/counting/{area}/{level}")))
        }
        "user" => (
            numbered("Tài khoản số", "Account no."),
            Some("/admin/users".to_string()),
        ),
        "login" => (numbered("Đăng nhập của", "Sign-in of"), None),
        "election" => (
            numbered("Cuộc bầu cử số", "Election no."),
            rest.parse::<i64>()
                .ok()
                .map(|id| format!("/voters?election={id}")),
        ),
        "complaint" => (
            numbered("Khiếu nại số", "Complaint no."),
            Some("/voters/complaints".to_string()),
        ),
        "constituency" => (
            numbered("Đơn vị bầu cử (mã)", "Constituency (id)"),
            Some("/results/constituencies".to_string()),
        ),
        "import" => (numbered("Lần nhập danh sách số", "List import no."), None),
        "deputy" => (
            numbered("Đại biểu (mã)", "Deputy (id)"),
            Some("/meetings/registry".to_string()),
        ),
        "venue" => (
            numbered("Địa điểm (mã)", "Venue (id)"),
            Some("/meetings/registry".to_string()),
        ),
        "petition" => (
            numbered("Kiến nghị số", "Petition no."),
            Some("/meetings/petitions".to_string()),
        ),
        "backup" => (
            numbered("Bản sao lưu", "Backup"),
            Some("/admin/backups".to_string()),
        ),
        "ward" => (
            if vi {
                "Thông tin phường/xã"
            } else {
                "The ward"
            }
            .to_string(),
            Some("/voters".to_string()),
        ),
        _ => (entity.to_string(), None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<(String, String)> {
        change_lines(text, Locale::Vi)
            .into_iter()
            .map(|l| (l.label, l.value))
            .collect()
    }

    fn pair(label: &str, value: &str) -> (String, String) {
        (label.to_string(), value.to_string())
    }

    #[test]
    fn the_field_names_are_in_key_order_for_the_lookup() {
        assert!(FIELDS.windows(2).all(|w| w[0].0 < w[1].0));
    }

    #[test]
    fn summaries_read_as_fields_with_vietnamese_names() {
        assert_eq!(
            lines(
                r#"{"full_name":"Lê Văn Đức","status":"removed","disabled":false,"areas":[1,2],"notes":""}"#
            ),
            // In the stored order (the summaries are written with their keys sorted).
            [
                pair("Khu vực bỏ phiếu", "1, 2"),
                pair("Đã khóa", "không"),
                pair("Họ và tên", "Lê Văn Đức"),
                pair("Ghi chú", "—"),
                pair("Tình trạng", "removed"),
            ]
        );
        assert_eq!(
            lines("luot=286 khu_vuc=1 cap=7 ngoai_gio"),
            [
                pair("Lượt", "286"),
                pair("Khu vực bỏ phiếu (mã)", "1"),
                pair("Cấp bầu cử (mã)", "7"),
                pair("Ngoài giờ bỏ phiếu", "có"),
            ]
        );
        assert_eq!(
            lines("huy: Ghi nhầm người"),
            [pair("Hủy, lý do", "Ghi nhầm người")]
        );
        assert_eq!(lines("07:00–19:00"), [pair("", "07:00–19:00")]);
        assert_eq!(
            lines(r#"{"role":"station"}"#),
            [pair("Vai trò", "Tổ bầu cử (ngày bầu cử)")]
        );
        assert_eq!(lines("  "), []);
        assert_eq!(
            lines(r#"{"unknown_key":1}"#),
            [pair("unknown key", "1")],
            "an unlisted key still reads"
        );
    }

    #[test]
    fn entities_name_the_object_and_its_page() {
        assert_eq!(
            entity_words("voter:1675", Locale::Vi),
            (
                "Cử tri số 1675".to_string(),
                Some("/voters/1675".to_string())
            )
        );
        assert_eq!(
            entity_words("counting:3:quoc-hoi:2", Locale::Vi)
                .1
                .as_deref(),
            Some("/results/counting/3/quoc-hoi")
        );
        assert_eq!(entity_words("login:quantri", Locale::Vi).1, None);
        assert_eq!(
            entity_words("something-else", Locale::Vi),
            ("something-else".to_string(), None)
        );
    }
}
