//! The full list of an import's problems as a CSV download: every problem, not only the ones
//! the preview shows, for a file with too many to read on screen. Written as the list exports
//! are (`server/src/documents/list_export.rs`): UTF-8 with a BOM, so Excel reads the diacritics;
//! ";"-separated, as Excel on a Vietnamese Windows splits; CRLF; and a cell that Excel would run
//! as a formula made text with a leading `'`, since names and values come from the uploaded
//! file.

use super::rows::Problem;
use super::table::FileProblem;
use super::texts::{file_problem_text, import_problem_text, problem_code_label, severity_label};
use crate::locale::Locale;

/// A cell a spreadsheet would run as a formula, made text with a leading `'`.
pub fn neutralize(value: &str) -> std::borrow::Cow<'_, str> {
    if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        std::borrow::Cow::Owned(format!("'{value}"))
    } else {
        std::borrow::Cow::Borrowed(value)
    }
}

/// One CSV record: fields neutralised, quoted when they hold a separator, quote or line break.
pub fn csv_record(out: &mut String, fields: &[&str]) {
    for (index, field) in fields.iter().enumerate() {
        if index > 0 {
            out.push(';');
        }
        let field = neutralize(field);
        if field.contains([';', '"', '\r', '\n']) {
            out.push('"');
            out.push_str(&field.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(&field);
        }
    }
    out.push_str("\r\n");
}

/// The BOM and the heading row.
pub fn heading(locale: Locale) -> String {
    let mut out = String::from("\u{FEFF}");
    let headings = if locale == Locale::Vi {
        [
            "Dòng",
            "Cột",
            "Mức độ",
            "Loại",
            "Mã loại",
            "Nội dung",
            "Họ và tên",
        ]
    } else {
        [
            "Row",
            "Column",
            "Level",
            "Kind",
            "Kind code",
            "Problem",
            "Name",
        ]
    };
    csv_record(&mut out, &headings);
    out
}

/// One problem as a record.
pub fn record(out: &mut String, problem: &Problem, locale: Locale) {
    let code = problem.kind.code();
    csv_record(
        out,
        &[
            &problem.row.to_string(),
            problem.column.map_or("", |column| column.label()),
            severity_label(code.severity(), locale),
            problem_code_label(code, locale),
            &format!("{code:?}"),
            &import_problem_text(&problem.kind, locale),
            &problem.name,
        ],
    );
}

/// The last line of a list cut short: the file stopped reading, and why.
pub fn file_problem(out: &mut String, problem: &FileProblem, locale: Locale) {
    csv_record(
        out,
        &["", "", "", "", "", &file_problem_text(problem, locale)],
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::columns::Field;
    use crate::import::rows::ProblemKind;

    #[test]
    fn records_are_quoted_and_never_formulas() {
        let mut out = heading(Locale::Vi);
        record(
            &mut out,
            &Problem {
                row: 12,
                column: Some(Field::FullName),
                kind: ProblemKind::ProbableDuplicateInFile {
                    first_row: 3,
                    first_name: "Nguyễn Văn An".into(),
                },
                name: "=HYPERLINK(\"x\";\"An\")".into(),
            },
            Locale::Vi,
        );
        let lines: Vec<&str> = out.split("\r\n").collect();
        assert_eq!(
            lines[0],
            "\u{FEFF}Dòng;Cột;Mức độ;Loại;Mã loại;Nội dung;Họ và tên"
        );
        assert_eq!(
            lines[1],
            "12;Họ và tên;Lưu ý;Có thể trùng người trong tệp;ProbableDuplicateInFile;\
             Có thể trùng người với dòng 3: Nguyễn Văn An (cùng họ tên và ngày sinh).;\
             \"'=HYPERLINK(\"\"x\"\";\"\"An\"\")\""
        );
    }
}
