//! Constituencies (đơn vị bầu cử) and their official candidate lists, as the election board
//! enters them: the input read into valid values, the list put in the official order.

use serde::{Deserialize, Serialize};

use super::counting::candidate_order;
use super::voter::{BirthDate, Gender};
use crate::domain::text::clean_cell;
use crate::domain::text::same_name;

/// A constituency's number, name and seats, as entered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConstituencyInput {
    pub number: i64,
    pub name: String,
    pub seats: i64,
}

impl ConstituencyInput {
    /// None when the number or the seats are below 1 or the name is empty.
    pub fn parse(number: i64, name: &str, seats: i64) -> Option<ConstituencyInput> {
        let name = clean_cell(name);
        (number >= 1 && seats >= 1 && !name.is_empty()).then_some(ConstituencyInput {
            number,
            name,
            seats,
        })
    }
}

/// One person on the official candidate list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegisterCandidate {
    pub full_name: String,
    /// As written on the list: "dd/mm/yyyy", "mm/yyyy" or "yyyy".
    pub birth_date: String,
    pub gender: Gender,
}

/// Puts candidates in the official order: given name, family name, middle name, older first.
pub fn sort_candidates(candidates: &mut [RegisterCandidate]) {
    candidates
        .sort_by(|a, b| candidate_order(&a.full_name, &a.birth_date, &b.full_name, &b.birth_date));
}

/// Reads the candidate list, one person a line: "Họ và tên; ngày sinh; Nam/Nữ" (";" or a tab
/// between fields, as pasted from a spreadsheet). Returns the list in the official order, or
/// the 1-based number of the first line that cannot be read: a missing name, a birth date
/// that is not dd/mm/yyyy, mm/yyyy or yyyy, a gender that is not Nam/Nữ, or the same person
/// (same name and birth date) twice.
pub fn parse_candidates(text: &str) -> Result<Vec<RegisterCandidate>, usize> {
    let mut out: Vec<RegisterCandidate> = Vec::new();
    for (index, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let bad = index + 1;
        let fields: Vec<String> = line.split([';', '\t']).map(clean_cell).collect();
        let [name, birth, gender] = fields.as_slice() else {
            return Err(bad);
        };
        let birth = BirthDate::parse(birth).ok_or(bad)?;
        let gender = Gender::parse(gender).ok_or(bad)?;
        if name.is_empty() {
            return Err(bad);
        }
        let candidate = RegisterCandidate {
            full_name: name.clone(),
            birth_date: birth.display(),
            gender,
        };
        if out.iter().any(|c| {
            same_name(&c.full_name, &candidate.full_name) && c.birth_date == candidate.birth_date
        }) {
            return Err(bad);
        }
        out.push(candidate);
    }
    sort_candidates(&mut out);
    Ok(out)
}

/// The list as the form's text area shows it.
pub fn candidates_text(candidates: &[RegisterCandidate]) -> String {
    candidates
        .iter()
        .map(|c| {
            let gender = match c.gender {
                Gender::Male => "Nam",
                Gender::Female => "Nữ",
            };
            format!("{}; {}; {gender}", c.full_name, c.birth_date)
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constituency_needs_a_number_a_name_and_seats() {
        let ok = ConstituencyInput::parse(2, "  Gồm  phường Mỹ Thới ", 3).expect("valid");
        assert_eq!(ok.name, "Gồm phường Mỹ Thới");
        assert_eq!(ConstituencyInput::parse(0, "x", 1), None);
        assert_eq!(ConstituencyInput::parse(1, " ", 1), None);
        assert_eq!(ConstituencyInput::parse(1, "x", 0), None);
    }

    #[test]
    fn candidate_list_is_read_and_put_in_the_official_order() {
        let list = parse_candidates(
            "Trần Thị Bình; 1980; Nữ\n\nPhạm Văn Ánh\t05/1975\tnam\nNguyễn Văn An; 1/2/1970; NAM\nLê An; 1965; nu",
        )
        .expect("readable");
        let names: Vec<&str> = list.iter().map(|c| c.full_name.as_str()).collect();
        assert_eq!(
            names,
            vec!["Lê An", "Nguyễn Văn An", "Phạm Văn Ánh", "Trần Thị Bình"]
        );
        assert_eq!(list[1].birth_date, "01/02/1970");
        assert_eq!(list[2].birth_date, "05/1975");
        assert_eq!(list[0].gender, Gender::Female);
        assert_eq!(candidates_text(&list[..1]), "Lê An; 1965; Nữ");
    }

    #[test]
    fn unreadable_candidate_lines_are_named() {
        assert_eq!(parse_candidates("Lê An; 1965; Nữ\nLê Bình; 1965"), Err(2));
        assert_eq!(parse_candidates("Lê An; năm 1965; Nữ"), Err(1));
        assert_eq!(parse_candidates("Lê An; 1965; không rõ"), Err(1));
        assert_eq!(parse_candidates(" ; 1965; Nữ"), Err(1));
        // The same person twice (spelled with another tone placement).
        assert_eq!(
            parse_candidates("Nguyễn Thị Thủy; 1970; Nữ\nNguyễn Thị Thuỷ; 1970; Nữ"),
            Err(2)
        );
        // Namesakes with different birth dates are two people.
        assert_eq!(
            parse_candidates("Nguyễn Văn An; 1970; Nam\nNguyễn Văn An; 1975; Nam").map(|l| l.len()),
            Ok(2)
        );
    }
}
