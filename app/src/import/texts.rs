//! The import preview's problems in words: what is wrong with a value or a file, and what to do.

use crate::domain::format::count;
use crate::domain::ids::AreaId;
use crate::domain::list_update::VoterField;
use crate::import::rows::{ProblemCode, Severity, SttRenumbering};
use crate::locale::Locale;

/// One import problem in words: what is wrong with the value, and what to do.
pub fn import_problem_text(kind: &crate::import::rows::ProblemKind, locale: Locale) -> String {
    use crate::import::rows::ProblemKind as K;
    let vi = locale == Locale::Vi;
    let pick = |vi_text: String, en_text: String| if vi { vi_text } else { en_text };
    match kind {
        K::EmptyName => pick("Thiếu họ và tên.".into(), "The name is empty.".into()),
        K::BadBirthDate { value } => pick(
            format!("Ngày sinh “{value}” không hợp lệ (dùng ngày/tháng/năm, tháng/năm hoặc năm)."),
            format!("Birth date “{value}” is invalid (use dd/mm/yyyy, mm/yyyy or yyyy)."),
        ),
        K::BornInFuture { value } => pick(
            format!("Ngày sinh “{value}” ở tương lai."),
            format!("Birth date “{value}” is in the future."),
        ),
        K::Under18 { value } => pick(
            format!("Sinh “{value}”: chưa đủ 18 tuổi vào ngày bầu cử."),
            format!("Born “{value}”: under 18 on election day."),
        ),
        K::MissingBirthDate => pick(
            "Thiếu ngày sinh.".into(),
            "The birth date is missing.".into(),
        ),
        K::BadGender { value } => pick(
            format!("Giới tính “{value}” không rõ (ghi Nam hoặc Nữ)."),
            format!("Gender “{value}” is unclear (write Nam or Nữ)."),
        ),
        K::MissingGender => pick("Thiếu giới tính.".into(), "The gender is missing.".into()),
        K::BadCccd { value } => pick(
            format!("Số CCCD “{value}” phải có đúng 12 chữ số."),
            format!("ID number “{value}” must have exactly 12 digits."),
        ),
        K::CccdInExponentForm { value } => pick(
            format!(
                "Số CCCD “{value}” đã bị Excel đổi sang dạng số mũ và mất chữ số: trong Excel, \
                 định dạng cột CCCD là Văn bản (Text), nhập lại số rồi lưu tệp."
            ),
            format!(
                "ID number “{value}” was turned into exponent form by Excel and lost digits: \
                 format the ID column as Text in Excel, re-enter the numbers and save again."
            ),
        ),
        K::CccdDisagrees { gender, born } => pick(
            format!(
                "Số CCCD ghi người {} sinh năm {born}, khác với giới tính hoặc năm sinh của dòng \
                 này: kiểm tra lại.",
                gender.label().to_lowercase()
            ),
            format!(
                "The ID number encodes a {} born in {born}, unlike this row's gender or birth \
                 year: please check.",
                match gender {
                    crate::domain::voter::Gender::Male => "man",
                    crate::domain::voter::Gender::Female => "woman",
                }
            ),
        ),
        K::DuplicateCccdInFile {
            first_row,
            first_name,
        } => pick(
            format!("Số CCCD trùng với dòng {first_row}{}.", named(first_name)),
            format!("Same ID number as row {first_row}{}.", named(first_name)),
        ),
        K::CccdAlreadyListed => pick(
            "Số CCCD đã có trong danh sách cử tri của cuộc bầu cử này.".into(),
            "This ID number is already on the election's voter list.".into(),
        ),
        K::ProbableDuplicateInFile {
            first_row,
            first_name,
        } => pick(
            format!(
                "Có thể trùng người với dòng {first_row}{} (cùng họ tên và ngày sinh).",
                named(first_name)
            ),
            format!(
                "Probably the same person as row {first_row}{} (same name and birth date).",
                named(first_name)
            ),
        ),
        K::ProbableDuplicateListed => pick(
            "Có thể đã có trong danh sách (cùng họ tên và ngày sinh).".into(),
            "Probably already listed (same name and birth date).".into(),
        ),
        K::UnknownArea { value } => pick(
            format!("Không có khu vực bỏ phiếu “{value}” trong cuộc bầu cử này."),
            format!("No polling area “{value}” in this election."),
        ),
        K::MissingArea => pick(
            "Thiếu khu vực bỏ phiếu (chọn khu vực mặc định khi tải tệp lên).".into(),
            "No polling area (choose a default area when uploading).".into(),
        ),
        K::RaggedRow { cells, expected } => pick(
            format!("Dòng có {cells} ô, dòng tiêu đề có {expected} ô; hãy kiểm tra cột bị lệch."),
            format!("Row has {cells} cells, the header {expected}; check for shifted columns."),
        ),
        K::BadDate { value } => pick(
            format!("Ngày “{value}” không hợp lệ."),
            format!("Date “{value}” is invalid."),
        ),
        K::LostLetters { value } => pick(
            format!("Họ và tên “{value}” có dấu “?” thay cho chữ tiếng Việt: tệp đã mất dấu khi lưu (thường do lưu CSV kiểu ANSI trên máy Windows không có tiếng Việt). Hãy lưu lại tệp dạng “CSV UTF-8” hoặc Excel (.xlsx) rồi tải lên."),
            format!("The name “{value}” has “?” in place of Vietnamese letters: the file lost them when it was saved (an ANSI CSV from a Windows without Vietnamese). Save it again as “CSV UTF-8” or Excel (.xlsx) and upload it."),
        ),
        K::SkippedNonVoterLine { text } => pick(
            format!("Bỏ qua dòng không phải cử tri (dòng tổng cộng, tiêu đề nhóm hoặc phần ký tên): “{text}”."),
            format!("Skipped a line that is not a voter (a total, a group heading or the signatures): “{text}”."),
        ),
        K::NotVietnameseWord { word, suggestion } => {
            not_vietnamese_word_text(word, suggestion.as_deref(), locale)
        }
        K::TemporarySinceUnknown => pick(
            "Tạm trú nhưng không ghi ngày đăng ký tạm trú; tạm tính đủ 12 tháng (bầu cả 3 cấp)."
                .into(),
            "Temporary resident without a start date; counted as 12 months or more (all 3 levels)."
                .into(),
        ),
    }
}

/// A word of a name that is no Vietnamese syllable, with the reading it may stand for.
fn not_vietnamese_word_text(word: &str, suggestion: Option<&str>, locale: Locale) -> String {
    let (vi_hint, en_hint) = match suggestion {
        Some(reading) => (
            format!(" Có thể là “{reading}”."),
            format!(" Perhaps “{reading}”."),
        ),
        None => (String::new(), String::new()),
    };
    if locale == Locale::Vi {
        format!(
            "Chữ “{word}” trong họ tên không phải âm tiết tiếng Việt (thường do tệp dùng phông \
             chữ cũ bị đọc sai), nên sẽ khó tìm thấy khi tra cứu.{vi_hint} Nếu tên viết đúng như \
             vậy (ví dụ tên người dân tộc thiểu số), có thể bỏ qua."
        )
    } else {
        format!(
            "“{word}” in the name is not a Vietnamese syllable (usually a legacy font read the \
             wrong way), so search will hardly find it.{en_hint} If the name is really written \
             so (a minority name, say), this can be ignored."
        )
    }
}

/// ": Nguyễn Văn An" after a row number, when the row had a name.
fn named(name: &str) -> String {
    if name.is_empty() {
        String::new()
    } else {
        format!(": {name}")
    }
}

/// A kind of problem in a few words, for the counts by kind and the full list.
pub fn problem_code_label(code: ProblemCode, locale: Locale) -> &'static str {
    use ProblemCode as C;
    let (vi, en) = match code {
        C::EmptyName => ("Thiếu họ và tên", "Name missing"),
        C::BadBirthDate => ("Ngày sinh không hợp lệ", "Invalid birth date"),
        C::BornInFuture => ("Ngày sinh ở tương lai", "Birth date in the future"),
        C::Under18 => ("Chưa đủ 18 tuổi", "Under 18"),
        C::MissingBirthDate => ("Thiếu ngày sinh", "Birth date missing"),
        C::BadGender => ("Giới tính không rõ", "Unclear gender"),
        C::MissingGender => ("Thiếu giới tính", "Gender missing"),
        C::BadCccd => ("Số CCCD không hợp lệ", "Invalid ID number"),
        C::CccdInExponentForm => (
            "Số CCCD bị Excel đổi dạng số mũ",
            "ID number in exponent form",
        ),
        C::CccdDisagrees => (
            "Số CCCD khác giới tính hoặc năm sinh",
            "ID number disagrees with gender or birth year",
        ),
        C::DuplicateCccdInFile => ("Số CCCD trùng trong tệp", "ID number repeated in the file"),
        C::CccdAlreadyListed => ("Số CCCD đã có trong danh sách", "ID number already listed"),
        C::ProbableDuplicateInFile => (
            "Có thể trùng người trong tệp",
            "Probably repeated in the file",
        ),
        C::ProbableDuplicateListed => ("Có thể đã có trong danh sách", "Probably already listed"),
        C::UnknownArea => ("Khu vực bỏ phiếu không có", "Unknown polling area"),
        C::MissingArea => ("Thiếu khu vực bỏ phiếu", "Polling area missing"),
        C::RaggedRow => (
            "Số ô khác dòng tiêu đề",
            "Row width differs from the header",
        ),
        C::BadDate => ("Ngày không hợp lệ", "Invalid date"),
        C::TemporarySinceUnknown => (
            "Thiếu ngày đăng ký tạm trú",
            "Temporary residence date missing",
        ),
        C::LostLetters => (
            "Họ tên mất dấu tiếng Việt",
            "Name lost its Vietnamese letters",
        ),
        C::SkippedNonVoterLine => ("Dòng không phải cử tri, bỏ qua", "Not a voter, skipped"),
        C::NotVietnameseWord => (
            "Họ tên có chữ không phải tiếng Việt",
            "Name has a non-Vietnamese word",
        ),
    };
    if locale == Locale::Vi {
        vi
    } else {
        en
    }
}

/// "Lỗi" (the commit waits for it to be fixed) or "Lưu ý" (for a decision).
pub fn severity_label(severity: Severity, locale: Locale) -> &'static str {
    match (severity, locale) {
        (Severity::Error, Locale::Vi) => "Lỗi",
        (Severity::Error, Locale::En) => "Error",
        (Severity::Warning, Locale::Vi) => "Lưu ý",
        (Severity::Warning, Locale::En) => "Warning",
    }
}

/// The notice of a file imported before: how many of its voter rows are already listed.
pub fn already_listed_text(listed: usize, voter_rows: usize, locale: Locale) -> String {
    let (listed, rows) = (count(listed, locale), count(voter_rows, locale));
    if locale == Locale::Vi {
        format!(
            "Có vẻ tệp này đã được nhập trước đây: {listed} / {rows} dòng cử tri trong tệp đã có \
             trong danh sách (trùng số CCCD, hoặc trùng họ tên và ngày sinh). Nhập lại sẽ ghi \
             những người này hai lần, nên chưa thể ghi. Nếu đây là tệp cập nhật của danh sách \
             (có thêm người mới, sửa vài người), hãy chọn cách nhập “Chỉ nhập cử tri mới”."
        )
    } else {
        format!(
            "This file seems to have been imported before: {listed} of its {rows} voter rows are \
             already listed (same ID number, or same name and birth date). Importing it again \
             would list them twice, so it cannot be committed. If it is an updated copy of the \
             list (a few people added or corrected), choose “Only new voters” as the way to \
             import."
        )
    }
}

/// A fact of a voter, as the amendment form names it.
pub fn voter_field_label(field: VoterField, locale: Locale) -> &'static str {
    let (vi, en) = match field {
        VoterField::FullName => ("Họ và tên", "Full name"),
        VoterField::BirthDate => ("Ngày sinh", "Birth date"),
        VoterField::Gender => ("Giới tính", "Gender"),
        VoterField::Cccd => ("Số CCCD", "ID number"),
        VoterField::Ethnicity => ("Dân tộc", "Ethnicity"),
        VoterField::Occupation => ("Nghề nghiệp", "Occupation"),
        VoterField::PermanentAddress => ("Nơi thường trú", "Permanent address"),
        VoterField::TemporaryAddress => ("Nơi tạm trú", "Temporary address"),
        VoterField::TemporarySince => ("Ngày đăng ký tạm trú", "Temporary residence since"),
    };
    if locale == Locale::Vi {
        vi
    } else {
        en
    }
}

/// A file whose header was found but that has no voter below it.
pub fn header_only_text(header_row: usize, locale: Locale) -> String {
    if locale == Locale::Vi {
        format!(
            "Tệp có dòng tiêu đề (dòng {header_row}) nhưng không có dòng cử tri nào bên dưới: \
             chưa có gì để nhập. Hãy kiểm tra đã chọn đúng tệp hoặc đúng trang tính."
        )
    } else {
        format!(
            "The file has a header (row {header_row}) but no voter rows below it: nothing to \
             import. Check that the right file or sheet was chosen."
        )
    }
}

/// The rows whose STT repeats or goes back within their area, which get other card numbers.
/// `area` names an area by its id.
pub fn renumbered_text(
    renumbered: &SttRenumbering,
    area: impl Fn(AreaId) -> String,
    locale: Locale,
) -> String {
    let examples: Vec<String> = renumbered
        .examples
        .iter()
        .map(|e| {
            if locale == Locale::Vi {
                format!(
                    "dòng {} (khu vực {}): STT {} sau STT {}",
                    e.row,
                    area(e.area_id),
                    e.stt,
                    e.previous
                )
            } else {
                format!(
                    "row {} (area {}): STT {} after STT {}",
                    e.row,
                    area(e.area_id),
                    e.stt,
                    e.previous
                )
            }
        })
        .collect();
    let rows = count(renumbered.rows, locale);
    if locale == Locale::Vi {
        format!(
            "{rows} dòng có STT trùng hoặc nhỏ hơn dòng trước trong cùng khu vực bỏ phiếu, ví \
             dụ {}. Khi nhập, STT được đánh lại theo thứ tự dòng trong tệp, nên những người này \
             sẽ có STT khác với tệp.",
            examples.join("; ")
        )
    } else {
        format!(
            "{rows} rows repeat or go back in STT within their polling area, e.g. {}. The import \
             numbers voters in file order, so these get numbers other than the file's.",
            examples.join("; ")
        )
    }
}

/// Why a whole file was refused.
pub fn file_problem_text(problem: &crate::import::table::FileProblem, locale: Locale) -> String {
    use crate::import::table::FileProblem as P;
    let vi = locale == Locale::Vi;
    let pick = |vi_text: String, en_text: String| if vi { vi_text } else { en_text };
    match problem {
        P::Empty => pick("Tệp rỗng.".into(), "The file is empty.".into()),
        P::TooLarge { bytes } => {
            let limit = crate::import::table::MAX_FILE_BYTES / 1_048_576;
            pick(
                format!(
                    "Tệp quá lớn ({} MB); giới hạn là {limit} MB.",
                    bytes / 1_048_576
                ),
                format!(
                    "The file is too large ({} MB); the limit is {limit} MB.",
                    bytes / 1_048_576
                ),
            )
        }
        P::NulBytes { offset } => pick(
            format!("Tệp chứa ký tự NUL (byte thứ {offset}): đây không phải tệp CSV văn bản."),
            format!("The file contains a NUL byte (at byte {offset}): not a text CSV file."),
        ),
        P::NotText => pick(
            "Tệp không phải văn bản (có thể là tệp nhị phân hoặc bị hỏng).".into(),
            "The file is not text (binary or damaged).".into(),
        ),
        P::CellTooLong { row, column, chars } => pick(
            format!("Ô ở dòng {row}, cột {column} dài bất thường ({chars} ký tự trở lên)."),
            format!(
                "The cell at row {row}, column {column} is abnormally long ({chars}+ characters)."
            ),
        ),
        P::TooManyColumns { row, columns } => pick(
            format!("Dòng {row} có quá nhiều cột ({columns})."),
            format!("Row {row} has too many columns ({columns})."),
        ),
        P::UnterminatedQuote { row } => pick(
            format!("Dấu ngoặc kép mở ở dòng {row} không được đóng: tệp bị cắt cụt hoặc hỏng."),
            format!(
                "A quote opened on row {row} is never closed: the file is truncated or damaged."
            ),
        ),
        P::NoHeader => pick(
            "Không tìm thấy dòng tiêu đề có cột “Họ và tên” trong 30 dòng đầu.".into(),
            "No header row with a “Họ và tên” column in the first 30 rows.".into(),
        ),
        P::NotSpreadsheet => pick(
            "Tệp không phải bảng tính Excel (.xlsx, .xls) hợp lệ.".into(),
            "The file is not a valid Excel (.xlsx, .xls) workbook.".into(),
        ),
        P::Truncated => pick(
            "Tệp Excel bị cắt cụt hoặc hỏng.".into(),
            "The Excel file is truncated or damaged.".into(),
        ),
        P::ZipBomb => pick(
            "Tệp Excel giải nén ra dung lượng bất thường; đã từ chối để bảo vệ máy chủ.".into(),
            "The Excel file expands to an abnormal size; refused to protect the server.".into(),
        ),
        P::Encrypted => pick(
            "Tệp Excel được khóa bằng mật khẩu, cutri không mở được. Hãy mở tệp trong Excel, bỏ \
             mật khẩu (Tệp › Thông tin › Bảo vệ sổ làm việc › Mã hóa bằng mật khẩu, xóa mật khẩu), \
             lưu lại rồi tải lên lại."
                .into(),
            "The Excel file is locked with a password, so cutri cannot open it. Open it in Excel, \
             remove the password (File › Info › Protect Workbook › Encrypt with Password, clear it), \
             save and upload it again."
                .into(),
        ),
        P::Excel95 => pick(
            "Đây là tệp Excel 5.0/95, quá cũ để cutri đọc. Hãy mở tệp trong Excel, chọn “Lưu thành” \
             (Save As) và lưu dạng “Excel Workbook (.xlsx)”, rồi tải lên lại."
                .into(),
            "This is an Excel 5.0/95 workbook, too old for cutri to read. Open it in Excel, use \
             Save As “Excel Workbook (.xlsx)”, and upload that file."
                .into(),
        ),
        P::TooManyRows { rows } => pick(
            format!("Bảng tính có dữ liệu tới dòng {rows}, vượt giới hạn 1.048.576 dòng của Excel."),
            format!("The sheet has data on row {rows}, past Excel's limit of 1,048,576 rows."),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_header_without_voter_rows_says_so_not_that_the_header_is_missing() {
        let text = header_only_text(3, Locale::Vi);
        assert!(
            text.starts_with("Tệp có dòng tiêu đề (dòng 3) nhưng không có dòng cử tri nào"),
            "{text}"
        );
        let missing = file_problem_text(&crate::import::table::FileProblem::NoHeader, Locale::Vi);
        assert_ne!(text, missing);
        assert!(header_only_text(1, Locale::En).contains("no voter rows"));
    }

    #[test]
    fn every_compared_fact_has_its_form_label() {
        use VoterField as F;
        let labels: Vec<&str> = [
            F::FullName,
            F::BirthDate,
            F::Gender,
            F::Cccd,
            F::Ethnicity,
            F::Occupation,
            F::PermanentAddress,
            F::TemporaryAddress,
            F::TemporarySince,
        ]
        .into_iter()
        .map(|field| voter_field_label(field, Locale::Vi))
        .collect();
        assert_eq!(labels[0], "Họ và tên");
        assert_eq!(labels[6], "Nơi thường trú");
        let mut unique = labels.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), labels.len(), "{labels:?}");
    }
}
