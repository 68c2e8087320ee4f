//! The audit log in words an official reads: what a record is about ("Cử tri số 1675", with
//! the page to open) and what it held before and after, field by field with Vietnamese names,
//! instead of `voter:1675`, raw JSON or `luot=286 khu_vuc=1`.

use crate::domain::audit::AuditAction;
use crate::domain::meeting::SessionTiming;
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

/// (stored key, Vietnamese, English), for every key the audit records write (a test reads the
/// code that writes them). Keys not listed are shown with spaces for underscores.
const FIELDS: &[(&str, &str, &str)] = &[
    ("added", "Thêm mới", "Added"),
    ("address", "Địa chỉ", "Address"),
    ("answer_id", "Trả lời số", "Answer no."),
    ("answered_by", "Người trả lời", "Answered by"),
    ("answering_body", "Cơ quan trả lời", "Answering body"),
    ("answers", "Các lần trả lời", "Answers"),
    ("area", "Khu vực bỏ phiếu", "Polling area"),
    ("areas", "Khu vực bỏ phiếu", "Polling areas"),
    ("audit_records", "Số bản ghi nhật ký", "Audit records"),
    (
        "ballot_box_checked_at",
        "Giờ kiểm tra hòm phiếu",
        "Ballot box checked at",
    ),
    ("ballots_collected", "Số phiếu thu vào", "Ballots collected"),
    (
        "ballots_invalid",
        "Số phiếu không hợp lệ",
        "Invalid ballots",
    ),
    ("ballots_issued", "Số phiếu phát ra", "Ballots issued"),
    ("ballots_valid", "Số phiếu hợp lệ", "Valid ballots"),
    ("birth", "Ngày sinh", "Birth date"),
    ("birth_date", "Ngày sinh", "Birth date"),
    ("bytes", "Dung lượng (byte)", "Size (bytes)"),
    ("cancelled", "Đã hủy", "Cancelled"),
    ("candidates", "Người ứng cử", "Candidates"),
    ("cap", "Cấp bầu cử (mã)", "Ballot levels (code)"),
    ("capacity", "Sức chứa", "Capacity"),
    ("carried", "Chuyển sang đợt sau", "Carried over"),
    ("cccd", "Số CCCD", "ID number"),
    ("certificate_no", "Số giấy chứng nhận", "Certificate no."),
    ("chair", "Người chủ trì", "Chair"),
    ("changed", "Có thay đổi", "Changed"),
    ("check_ins", "Số lượt đi bầu", "Check-ins"),
    ("client", "Máy truy cập", "From address"),
    ("closes_at_ms", "Ngày bế mạc kỳ họp", "Session closes"),
    ("competent_body", "Cơ quan có thẩm quyền", "Competent body"),
    ("competent_level", "Cấp có thẩm quyền", "Competent level"),
    ("complainant", "Người khiếu nại", "Complainant"),
    (
        "complaints",
        "Chưa giải quyết được và kiến nghị",
        "Unresolved matters and proposals",
    ),
    ("constituency", "Đơn vị bầu cử", "Constituency"),
    ("contact", "Liên hệ", "Contact"),
    ("content", "Nội dung", "Content"),
    (
        "content_reported",
        "Nội dung đã báo cáo với cử tri",
        "Content reported",
    ),
    ("created", "Đã tạo", "Created"),
    ("data_hash", "Mã kiểm tra dữ liệu", "Data hash"),
    ("deadline", "Hạn giải quyết", "Deadline"),
    ("deputy_group", "Tổ đại biểu", "Deputy group"),
    ("deputy_ids", "Đại biểu (mã)", "Deputies (ids)"),
    ("disabled", "Đã khóa", "Disabled"),
    ("display_name", "Họ tên", "Name"),
    ("document_date", "Ngày văn bản", "Document date"),
    ("document_number", "Số văn bản", "Document no."),
    ("election_day", "Ngày bầu cử", "Election day"),
    ("election_id", "Cuộc bầu cử số", "Election no."),
    ("encoding", "Bảng mã", "Encoding"),
    ("ended_at_ms", "Giờ kết thúc", "Ended at"),
    ("ends_at_ms", "Kết thúc", "Ends at"),
    ("field", "Lĩnh vực", "Field"),
    ("file", "Tệp", "File"),
    ("first_entry_by", "Người nhập lần 1", "First entry by"),
    ("format", "Hình thức", "Format"),
    ("from", "Từ kiến nghị số", "From petition no."),
    ("full_name", "Họ và tên", "Full name"),
    ("gender", "Giới tính", "Gender"),
    ("huy", "Hủy, lý do", "Undone, reason"),
    (
        "incidents",
        "Sự việc xảy ra, khiếu nại, tố cáo",
        "Incidents, complaints, denunciations",
    ),
    ("invited_count", "Số người được mời", "Invited"),
    ("khu_vuc", "Khu vực bỏ phiếu (mã)", "Polling area (id)"),
    ("kind", "Loại hội nghị", "Kind of meeting"),
    ("late", "Quá hạn", "Late"),
    ("level", "Cấp", "Level"),
    ("levels", "Cấp bầu cử (mã)", "Ballot levels (code)"),
    ("luot", "Lượt", "Check-in no."),
    ("meeting_id", "Hội nghị số", "Meeting no."),
    (
        "members",
        "Thành viên Tổ bầu cử",
        "Members of the polling team",
    ),
    ("men", "Nam", "Men"),
    (
        "merged_into",
        "Gộp vào kiến nghị số",
        "Merged into petition no.",
    ),
    ("name", "Tên", "Name"),
    ("ngoai_gio", "Ngoài giờ bỏ phiếu", "Outside the hours"),
    ("notes", "Ghi chú", "Notes"),
    ("number", "Số", "Number"),
    ("only_new", "Chỉ nhập cử tri mới", "Only new voters"),
    ("opens_at_ms", "Ngày khai mạc kỳ họp", "Session opens"),
    ("opinion_id", "Ý kiến số", "Opinion no."),
    ("other_attendees", "Thành phần khác", "Other attendees"),
    ("outcome", "Kết quả", "Outcome"),
    ("password", "Mật khẩu", "Password"),
    ("permanent_address", "Nơi thường trú", "Permanent address"),
    ("petition_id", "Kiến nghị số", "Petition no."),
    (
        "polling_areas",
        "Khu vực bỏ phiếu được giao",
        "Assigned polling areas",
    ),
    ("position", "Chức vụ", "Position"),
    ("posted_on", "Ngày niêm yết", "Posted on"),
    ("present_count", "Số người dự", "Present"),
    ("province", "Tỉnh/thành phố", "Province"),
    ("reason", "Lý do", "Reason"),
    ("received_on", "Ngày nhận", "Received on"),
    (
        "repeats_opinion_id",
        "Trùng với ý kiến số",
        "Repeats opinion no.",
    ),
    ("resolution", "Kết quả giải quyết", "Resolution"),
    ("resolved_on", "Ngày giải quyết", "Resolved on"),
    ("roadmap", "Lộ trình giải quyết", "Roadmap"),
    ("role", "Vai trò", "Role"),
    ("round", "Đợt tiếp xúc cử tri", "Round of meetings"),
    ("rows", "Số dòng", "Rows"),
    ("seats", "Số đại biểu được bầu", "Seats"),
    ("second_entry_by", "Người nhập lần 2", "Second entry by"),
    ("secretary", "Thư ký", "Secretary"),
    ("session_number", "Kỳ họp thứ", "Session no."),
    ("sessions", "Phiên đăng nhập", "Sessions"),
    ("sha256", "Mã SHA-256 của tệp", "File SHA-256"),
    ("sheet", "Trang tính", "Sheet"),
    ("signer", "Người ký", "Signed by"),
    ("speaker", "Người phát biểu", "Speaker"),
    ("starts_at_ms", "Bắt đầu", "Starts at"),
    ("status", "Tình trạng", "Status"),
    ("status_reason", "Lý do", "Reason"),
    ("stt", "Số thứ tự", "No. on the list"),
    ("tally", "Kết quả kiểm phiếu", "Tally"),
    ("temporary_address", "Nơi tạm trú", "Temporary address"),
    ("term", "Khóa", "Term"),
    ("timing", "Trước/sau kỳ họp", "Before/after the session"),
    ("title", "Tiêu đề", "Title"),
    ("to", "Sang kiến nghị số", "To petition no."),
    ("unchanged", "Không đổi", "Unchanged"),
    ("username", "Tên đăng nhập", "Username"),
    ("venue_id", "Địa điểm (mã)", "Venue (id)"),
    ("version", "Phiên bản", "Version"),
    ("versions", "Số phiên bản", "Versions"),
    ("voter_id", "Cử tri số", "Voter no."),
    ("voters", "Số cử tri", "Voters"),
    (
        "voters_on_list",
        "Số cử tri trong danh sách",
        "Voters on the list",
    ),
    ("voters_voted", "Số cử tri đã bỏ phiếu", "Voters who voted"),
    ("votes", "Số phiếu bầu", "Votes"),
    (
        "voting_closed_at",
        "Giờ kết thúc bỏ phiếu",
        "Voting closed at",
    ),
    ("witnesses", "Cử tri chứng kiến", "Witnesses"),
    ("women", "Nữ", "Women"),
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
                    field_value(key, value, locale)
                )
            })
            .collect::<Vec<_>>()
            .join("; "),
    }
}

/// A field's value in words; instants are stored as milliseconds (`…_ms`) and read as a date and
/// time in Vietnam.
fn field_value(key: &str, value: &serde_json::Value, locale: Locale) -> String {
    match value.as_i64() {
        Some(unix_ms) if key.ends_with("_ms") => crate::domain::format::date_time(unix_ms),
        _ => json_value(value, locale),
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
                        None => field_value(key, value, locale),
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
        "election" => match rest.split_once("/report:") {
            // A turnout report: "election:3/report:10:00".
            Some((election, label)) => (
                if vi {
                    format!("Báo cáo số cử tri đi bầu lúc {label}, cuộc bầu cử số {election}")
                } else {
                    format!("Turnout report at {label}, election no. {election}")
                },
                None,
            ),
            None => (
                numbered("Cuộc bầu cử số", "Election no."),
                rest.parse::<i64>()
                    .ok()
                    .map(|id| format!("/voters?election={id}")),
            ),
        },
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
        "opinion" => (numbered("Ý kiến cử tri số", "Voter opinion no."), None),
        "answer" => (numbered("Trả lời ý kiến số", "Answer no."), None),
        "attendee" => (numbered("Người dự hội nghị số", "Attendee no."), None),
        "round" | "session" => {
            // "round:XVI/2/before" (the petitions of a round), "session:XVI/2".
            let mut parts = rest.split('/');
            let (Some(term), Some(Ok(number))) = (parts.next(), parts.next().map(str::parse))
            else {
                return (entity.to_string(), None);
            };
            let timing = parts.next().and_then(SessionTiming::from_code);
            let words = match (timing, vi) {
                (Some(timing), true) => format!(
                    "Kiến nghị cử tri {}",
                    crate::domain::meeting::session_line(timing, number, term)
                ),
                (Some(timing), false) => format!(
                    "Voters' petitions, {} session {number}, term {term}",
                    timing.label(locale)
                ),
                (None, true) => format!("Kỳ họp thứ {number}, khóa {term}"),
                (None, false) => format!("Session {number}, term {term}"),
            };
            (words, Some("/meetings/petitions".to_string()))
        }
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
    use std::collections::BTreeSet;

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

    /// The end of the `json!( … )` call starting `code`.
    fn call(code: &str) -> &str {
        let mut depth = 0;
        for (at, c) in code.char_indices() {
            match c {
                '(' => depth += 1,
                ')' if depth == 1 => return &code[..at],
                ')' => depth -= 1,
                _ => {}
            }
        }
        code
    }

    /// The keys the application's code (outside its tests) writes into JSON: those of every
    /// `json!({ … })` and of every `value["key"] = …`. The audit records' before and after
    /// are written so.
    fn keys_written_by_the_code() -> BTreeSet<String> {
        let is_key = |word: &str| {
            !word.is_empty()
                && word
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        };
        let mut keys = BTreeSet::new();
        let mut dirs = vec![std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src")];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).expect("the source folder") {
                let path = entry.expect("a source entry").path();
                if path.is_dir() {
                    dirs.push(path);
                    continue;
                }
                if path.extension().is_none_or(|ext| ext != "rs") {
                    continue;
                }
                let text = std::fs::read_to_string(&path).expect("a source file");
                let code = text
                    .split("#[cfg(test)]\nmod tests")
                    .next()
                    .unwrap_or_default();
                for (at, _) in code.match_indices("json!(") {
                    // "key": … — a quoted word followed by a colon.
                    let pieces: Vec<&str> = call(&code[at..]).split('"').collect();
                    for pair in pieces.windows(2).skip(1).step_by(2) {
                        if is_key(pair[0]) && pair[1].trim_start().starts_with(':') {
                            keys.insert(pair[0].to_string());
                        }
                    }
                }
                // value["key"] = …, not a slice pattern (["login"] => …) nor a comparison.
                for (at, _) in code.match_indices("[\"") {
                    let indexes = code[..at]
                        .chars()
                        .next_back()
                        .is_some_and(|c| c.is_alphanumeric() || c == '_');
                    let Some((key, rest)) = code[at + 2..].split_once("\"]") else {
                        continue;
                    };
                    let rest = rest.trim_start();
                    let assigned = rest.starts_with('=') && !rest.starts_with("==");
                    if indexes && assigned && is_key(key) {
                        keys.insert(key.to_string());
                    }
                }
            }
        }
        keys
    }

    fn unnamed(keys: impl IntoIterator<Item = String>) -> Vec<String> {
        keys.into_iter()
            .filter(|key| FIELDS.binary_search_by(|(k, _, _)| (*k).cmp(key)).is_err())
            .collect()
    }

    #[test]
    fn every_key_the_audit_records_are_written_with_has_a_name() {
        let keys = keys_written_by_the_code();
        for known in [
            "ended_at_ms",
            "competent_level",
            "meeting_id",
            "only_new",
            "sha256",
        ] {
            assert!(
                keys.contains(known),
                "the reading of the code missed {known}"
            );
        }
        assert_eq!(unnamed(keys), Vec::<String>::new());
    }

    #[test]
    fn every_field_of_a_counting_tally_has_a_name() {
        use crate::domain::checkin::ClockTime;
        use crate::domain::counting::{Candidate, Member, Tally};
        let tally = Tally {
            members: vec![Member::default()],
            candidates: vec![Candidate::default()],
            ballot_box_checked_at: ClockTime::new(6, 30),
            voting_closed_at: ClockTime::new(19, 0),
            ..Tally::default()
        };
        fn keys(value: &serde_json::Value, into: &mut BTreeSet<String>) {
            match value {
                serde_json::Value::Object(fields) => {
                    for (key, value) in fields {
                        into.insert(key.clone());
                        keys(value, into);
                    }
                }
                serde_json::Value::Array(items) => items.iter().for_each(|item| keys(item, into)),
                _ => {}
            }
        }
        let mut found = BTreeSet::new();
        keys(&serde_json::to_value(&tally).expect("a tally"), &mut found);
        assert!(found.contains("voting_closed_at") && found.contains("votes"));
        assert_eq!(unnamed(found), Vec::<String>::new());
    }

    #[test]
    fn instants_read_as_dates_and_times() {
        // 07/12/2026 09:30 in Vietnam (UTC+7).
        assert_eq!(
            lines(r#"{"ended_at_ms":1796610600000,"present_count":40}"#),
            [
                pair("Giờ kết thúc", "07/12/2026 09:30"),
                pair("Số người dự", "40"),
            ]
        );
    }

    #[test]
    fn every_kind_of_audit_subject_reads_in_words() {
        use crate::domain::audit::AuditSubject;
        use crate::domain::counting::BallotLevel;
        use crate::domain::ids::*;
        let subjects = [
            AuditSubject::Answer(1),
            AuditSubject::Area(AreaId::new(2)),
            AuditSubject::Attendee(AttendeeId::new(3)),
            AuditSubject::Backup("cutri-2026.db".into()),
            AuditSubject::Complaint(ComplaintId::new(4)),
            AuditSubject::Constituency(ConstituencyId::new(5)),
            AuditSubject::CountingEntry {
                area_id: AreaId::new(2),
                level: BallotLevel::Commune,
                slot: 1,
            },
            AuditSubject::Counting {
                area_id: AreaId::new(2),
                level: BallotLevel::Commune,
            },
            AuditSubject::Deputy(DeputyId::new(6)),
            AuditSubject::Election(ElectionId::new(7)),
            AuditSubject::Import(ImportId::new(8)),
            AuditSubject::Login("quantri".into()),
            AuditSubject::Meeting(MeetingId::new(9)),
            AuditSubject::Opinion(OpinionId::new(1)),
            AuditSubject::Petition(PetitionId::new(10)),
            AuditSubject::PetitionRound {
                term: "XVI".into(),
                session_number: 2,
                timing: SessionTiming::Before,
            },
            AuditSubject::PollingArea(AreaId::new(2)),
            AuditSubject::Session {
                term: "XVI".into(),
                session_number: 2,
            },
            AuditSubject::TurnoutReport {
                election_id: ElectionId::new(7),
                label: "10:00".into(),
            },
            AuditSubject::User(UserId::new(11)),
            AuditSubject::Venue(VenueId::new(12)),
            AuditSubject::Voter(VoterId::new(1675)),
            AuditSubject::Ward,
        ];
        for subject in &subjects {
            // A new kind of subject fails to compile here: list it above and name it in
            // `entity_words`.
            match subject {
                AuditSubject::Answer(_)
                | AuditSubject::Area(_)
                | AuditSubject::Attendee(_)
                | AuditSubject::Backup(_)
                | AuditSubject::Complaint(_)
                | AuditSubject::Constituency(_)
                | AuditSubject::CountingEntry { .. }
                | AuditSubject::Counting { .. }
                | AuditSubject::Deputy(_)
                | AuditSubject::Election(_)
                | AuditSubject::Import(_)
                | AuditSubject::Login(_)
                | AuditSubject::Meeting(_)
                | AuditSubject::Opinion(_)
                | AuditSubject::Petition(_)
                | AuditSubject::PetitionRound { .. }
                | AuditSubject::PollingArea(_)
                | AuditSubject::Session { .. }
                | AuditSubject::TurnoutReport { .. }
                | AuditSubject::User(_)
                | AuditSubject::Venue(_)
                | AuditSubject::Voter(_)
                | AuditSubject::Ward => {}
            }
            let stored = subject.to_string();
            let code = stored.split(':').next().unwrap_or_default();
            for locale in [Locale::Vi, Locale::En] {
                let (words, _) = entity_words(&stored, locale);
                assert!(
                    words != stored
                        && !words.contains(&format!("{code}:"))
                        && !words.contains("report:"),
                    "{stored} reads as {words}"
                );
            }
        }
        assert_eq!(
            entity_words("round:XVI/2/before", Locale::Vi).0,
            "Kiến nghị cử tri trước kỳ họp thứ 2, khóa XVI"
        );
        assert_eq!(
            entity_words("opinion:1", Locale::Vi).0,
            "Ý kiến cử tri số 1"
        );
        assert_eq!(
            entity_words("election:7/report:10:00", Locale::Vi).0,
            "Báo cáo số cử tri đi bầu lúc 10:00, cuộc bầu cử số 7"
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
