//! Reading each data row into a voter draft, and everything that can be wrong with it: the
//! dry run's per-row problems (file row, column, what) and its control totals.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};

use super::columns::{Field, Mapping};
use crate::domain::text::{fold, name_key};
use crate::domain::voter::{
    entitlement, is_born_in_future, is_of_age, BirthDate, Cccd, Date, Gender, Levels,
};

/// A polling area a row may name, by number ("3", "KVBP số 3") or by name ("Khóm Thới An").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AreaRef {
    pub id: i64,
    pub number: i64,
    pub name: String,
    pub levels: Levels,
}

/// What the rows are checked against.
pub struct ImportContext {
    pub election_day: Date,
    pub today: Date,
    pub areas: Vec<AreaRef>,
    /// Area for rows without a polling-area column (the user picks it when uploading).
    pub default_area: Option<i64>,
    pub existing_cccd: HashSet<String>,
    /// `name_key` + birth date display of voters already in the election.
    pub existing_people: HashSet<(String, String)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Severity {
    /// The import cannot be committed while it stands.
    Error,
    /// Shown for a decision; the import may go ahead.
    Warning,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ProblemKind {
    EmptyName,
    BadBirthDate {
        value: String,
    },
    BornInFuture {
        value: String,
    },
    Under18 {
        value: String,
    },
    MissingBirthDate,
    BadGender {
        value: String,
    },
    MissingGender,
    BadCccd {
        value: String,
    },
    /// "8,91235E+11": Excel showed the number in exponent form and the CSV kept only that.
    CccdInExponentForm {
        value: String,
    },
    /// The number's own gender and birth-year digits say someone else.
    CccdDisagrees {
        gender: Gender,
        born: i32,
    },
    DuplicateCccdInFile {
        first_row: usize,
    },
    CccdAlreadyListed,
    ProbableDuplicateInFile {
        first_row: usize,
    },
    ProbableDuplicateListed,
    UnknownArea {
        value: String,
    },
    MissingArea,
    RaggedRow {
        cells: usize,
        expected: usize,
    },
    BadDate {
        value: String,
    },
    TemporarySinceUnknown,
}

impl ProblemKind {
    pub fn severity(&self) -> Severity {
        match self {
            ProblemKind::ProbableDuplicateInFile { .. }
            | ProblemKind::ProbableDuplicateListed
            | ProblemKind::RaggedRow { .. }
            | ProblemKind::TemporarySinceUnknown
            | ProblemKind::CccdDisagrees { .. } => Severity::Warning,
            _ => Severity::Error,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    /// 1-based row number in the file, as a spreadsheet shows it.
    pub row: usize,
    pub column: Option<Field>,
    pub kind: ProblemKind,
}

/// One voter as read from the file, ready to insert.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VoterDraft {
    pub row: usize,
    pub area_id: i64,
    pub household: Option<String>,
    pub is_head: bool,
    pub full_name: String,
    pub birth: BirthDate,
    pub gender: Gender,
    pub ethnicity: String,
    pub occupation: String,
    pub cccd: Option<String>,
    pub permanent_address: String,
    pub temporary_address: String,
    pub temporary_since: Option<Date>,
    pub levels: Levels,
    pub notes: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AreaTotals {
    pub area_id: i64,
    pub voters: i64,
    pub men: i64,
    pub women: i64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Totals {
    pub rows: i64,
    pub men: i64,
    pub women: i64,
    pub per_area: Vec<AreaTotals>,
}

pub struct Analysis {
    pub drafts: Vec<VoterDraft>,
    pub problems: Vec<Problem>,
    pub totals: Totals,
}

impl Analysis {
    pub fn has_errors(&self) -> bool {
        self.problems
            .iter()
            .any(|p| p.kind.severity() == Severity::Error)
    }
}

fn is_tick(value: &str) -> bool {
    matches!(
        fold(value).as_str(),
        "x" | "v" | "1" | "co" | "c" | "ch" | "chu ho" | "yes" | "true" | "✓" | "✔"
    )
}

/// "8.91235E+11", "8,9E+10": a long number as Excel's General format shows it, digits lost.
fn in_exponent_form(value: &str) -> bool {
    let upper = value.trim().to_ascii_uppercase();
    let Some((mantissa, exponent)) = upper.split_once("E+") else {
        return false;
    };
    let mantissa_digits = mantissa.replace([',', '.'], "");
    !mantissa_digits.is_empty()
        && mantissa_digits.bytes().all(|b| b.is_ascii_digit())
        && !exponent.is_empty()
        && exponent.bytes().all(|b| b.is_ascii_digit())
}

fn find_area(value: &str, areas: &[AreaRef]) -> Option<i64> {
    let folded = fold(value);
    let digits: String = folded.chars().filter(|c| c.is_ascii_digit()).collect();
    if let Ok(number) = digits.parse::<i64>() {
        if folded
            .chars()
            .all(|c| c.is_ascii_digit() || !c.is_alphanumeric() || "khuvcbophiesokvbp".contains(c))
        {
            if let Some(area) = areas.iter().find(|a| a.number == number) {
                return Some(area.id);
            }
        }
    }
    areas.iter().find(|a| fold(&a.name) == folded).map(|a| a.id)
}

pub fn analyze(
    rows: &[Vec<String>],
    row_numbers: &[usize],
    header_row: usize,
    mapping: &Mapping,
    context: &ImportContext,
) -> Analysis {
    let expected_cells = rows.get(header_row).map(Vec::len).unwrap_or(0);
    let mut drafts = Vec::new();
    let mut problems = Vec::new();
    let mut cccd_rows: HashMap<String, usize> = HashMap::new();
    let mut person_rows: HashMap<(String, String), usize> = HashMap::new();
    let mut current_household: Option<String> = None;
    let mut household_counter = 0usize;
    let has_household_column = mapping.column_of(Field::Household).is_some();
    let has_head_column = mapping.column_of(Field::HouseholdHead).is_some();

    for (index, cells) in rows.iter().enumerate().skip(header_row + 1) {
        let row = row_numbers.get(index).copied().unwrap_or(index + 1);
        let get = |field: Field| {
            mapping
                .column_of(field)
                .and_then(|c| cells.get(c))
                .map(String::as_str)
                .unwrap_or("")
        };
        // The "(1) (2) (3)…" column-number row of official forms carries no voter.
        if cells
            .iter()
            .all(|c| c.is_empty() || (c.starts_with('(') && c.ends_with(')')))
        {
            continue;
        }
        let mut row_problems = Vec::new();
        let mut problem = |column: Option<Field>, kind: ProblemKind| {
            row_problems.push(Problem { row, column, kind })
        };
        if cells.len() != expected_cells && expected_cells > 0 {
            problem(
                None,
                ProblemKind::RaggedRow {
                    cells: cells.len(),
                    expected: expected_cells,
                },
            );
        }

        let full_name = get(Field::FullName).to_string();
        if full_name.is_empty() {
            problem(Some(Field::FullName), ProblemKind::EmptyName);
        }

        // Birth date: its own column, or written in the Nam/Nữ column as many lists do.
        let (male_cell, female_cell) = (get(Field::Male), get(Field::Female));
        let mut birth_text = get(Field::BirthDate).to_string();
        let mut birth_column = Field::BirthDate;
        let mut gender = Gender::parse(get(Field::Gender));
        if mapping.column_of(Field::Male).is_some() || mapping.column_of(Field::Female).is_some() {
            let male_date = BirthDate::parse(male_cell).is_some();
            let female_date = BirthDate::parse(female_cell).is_some();
            if male_date && birth_text.is_empty() {
                birth_text = male_cell.to_string();
                birth_column = Field::Male;
            } else if female_date && birth_text.is_empty() {
                birth_text = female_cell.to_string();
                birth_column = Field::Female;
            }
            gender = match (!male_cell.is_empty(), !female_cell.is_empty()) {
                (true, false) => Some(Gender::Male),
                (false, true) => Some(Gender::Female),
                _ => gender,
            };
        }
        let birth = if birth_text.is_empty() {
            problem(Some(Field::BirthDate), ProblemKind::MissingBirthDate);
            None
        } else {
            match BirthDate::parse(&birth_text) {
                None => {
                    problem(
                        Some(birth_column),
                        ProblemKind::BadBirthDate {
                            value: birth_text.clone(),
                        },
                    );
                    None
                }
                Some(birth) if is_born_in_future(&birth, context.today) => {
                    problem(
                        Some(birth_column),
                        ProblemKind::BornInFuture {
                            value: birth_text.clone(),
                        },
                    );
                    None
                }
                Some(birth) if !is_of_age(&birth, context.election_day) => {
                    problem(
                        Some(birth_column),
                        ProblemKind::Under18 {
                            value: birth_text.clone(),
                        },
                    );
                    None
                }
                Some(birth) => Some(birth),
            }
        };
        if gender.is_none() {
            let value = get(Field::Gender);
            if value.is_empty() {
                problem(Some(Field::Gender), ProblemKind::MissingGender);
            } else {
                problem(
                    Some(Field::Gender),
                    ProblemKind::BadGender {
                        value: value.to_string(),
                    },
                );
            }
        }

        let cccd_text = get(Field::Cccd);
        let cccd = if cccd_text.is_empty() {
            None
        } else {
            match Cccd::parse_spreadsheet(cccd_text) {
                None => {
                    let value = cccd_text.to_string();
                    let kind = if in_exponent_form(cccd_text) {
                        ProblemKind::CccdInExponentForm { value }
                    } else {
                        ProblemKind::BadCccd { value }
                    };
                    problem(Some(Field::Cccd), kind);
                    None
                }
                Some(cccd) => {
                    let (implied_gender, implied_year) = cccd.implied_person();
                    if let (Some(gender), Some(birth)) = (gender, &birth) {
                        if (gender, birth.year()) != (implied_gender, implied_year) {
                            problem(
                                Some(Field::Cccd),
                                ProblemKind::CccdDisagrees {
                                    gender: implied_gender,
                                    born: implied_year,
                                },
                            );
                        }
                    }
                    let number = cccd.as_str().to_string();
                    if let Some(first_row) = cccd_rows.get(&number) {
                        problem(
                            Some(Field::Cccd),
                            ProblemKind::DuplicateCccdInFile {
                                first_row: *first_row,
                            },
                        );
                    } else if context.existing_cccd.contains(&number) {
                        problem(Some(Field::Cccd), ProblemKind::CccdAlreadyListed);
                    }
                    cccd_rows.entry(number.clone()).or_insert(row);
                    Some(number)
                }
            }
        };

        let area_text = get(Field::PollingArea);
        let area = if area_text.is_empty() {
            context.default_area.or_else(|| {
                problem(Some(Field::PollingArea), ProblemKind::MissingArea);
                None
            })
        } else {
            find_area(area_text, &context.areas).or_else(|| {
                problem(
                    Some(Field::PollingArea),
                    ProblemKind::UnknownArea {
                        value: area_text.to_string(),
                    },
                );
                None
            })
        };

        let since_text = get(Field::TemporarySince);
        let temporary_since = if since_text.is_empty() {
            None
        } else {
            Date::parse(since_text).or_else(|| {
                problem(
                    Some(Field::TemporarySince),
                    ProblemKind::BadDate {
                        value: since_text.to_string(),
                    },
                );
                None
            })
        };
        let temporary_address = get(Field::TemporaryAddress).to_string();
        let permanent_address = get(Field::PermanentAddress).to_string();
        if !temporary_address.is_empty()
            && permanent_address.is_empty()
            && temporary_since.is_none()
            && since_text.is_empty()
        {
            problem(
                Some(Field::TemporarySince),
                ProblemKind::TemporarySinceUnknown,
            );
        }

        if let (Some(birth), false) = (birth, full_name.is_empty()) {
            let person = (name_key(&full_name), birth.display());
            if let Some(first_row) = person_rows.get(&person) {
                problem(
                    Some(Field::FullName),
                    ProblemKind::ProbableDuplicateInFile {
                        first_row: *first_row,
                    },
                );
            } else if context.existing_people.contains(&person) {
                problem(Some(Field::FullName), ProblemKind::ProbableDuplicateListed);
            }
            person_rows.entry(person).or_insert(row);
        }

        let head_cell = get(Field::HouseholdHead);
        let is_head = is_tick(head_cell);
        if has_household_column {
            let label = get(Field::Household);
            if !label.is_empty() {
                current_household = Some(label.to_string());
            }
        } else if has_head_column && is_head {
            household_counter += 1;
            current_household = Some(format!("Hộ {household_counter}"));
        }

        let row_has_error = row_problems
            .iter()
            .any(|p| p.kind.severity() == Severity::Error);
        problems.append(&mut row_problems);
        if row_has_error {
            continue;
        }
        let (Some(birth), Some(gender), Some(area_id)) = (birth, gender, area) else {
            continue;
        };
        let offered = context
            .areas
            .iter()
            .find(|a| a.id == area_id)
            .map(|a| a.levels)
            .unwrap_or(Levels::ALL);
        drafts.push(VoterDraft {
            row,
            area_id,
            household: current_household.clone(),
            is_head,
            full_name,
            birth,
            gender,
            ethnicity: get(Field::Ethnicity).to_string(),
            occupation: get(Field::Occupation).to_string(),
            cccd,
            permanent_address,
            temporary_address,
            temporary_since,
            levels: entitlement(temporary_since, context.election_day, offered),
            notes: get(Field::Notes).to_string(),
        });
    }
    let totals = totals(&drafts);
    Analysis {
        drafts,
        problems,
        totals,
    }
}

fn totals(drafts: &[VoterDraft]) -> Totals {
    let mut per_area: Vec<AreaTotals> = Vec::new();
    let mut totals = Totals::default();
    for draft in drafts {
        let area = match per_area.iter_mut().find(|a| a.area_id == draft.area_id) {
            Some(area) => area,
            None => {
                per_area.push(AreaTotals {
                    area_id: draft.area_id,
                    ..Default::default()
                });
                per_area.last_mut().expect("just pushed")
            }
        };
        area.voters += 1;
        totals.rows += 1;
        match draft.gender {
            Gender::Male => {
                area.men += 1;
                totals.men += 1;
            }
            Gender::Female => {
                area.women += 1;
                totals.women += 1;
            }
        }
    }
    per_area.sort_by_key(|a| a.area_id);
    totals.per_area = per_area;
    totals
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::voters::import::columns::find_header;

    fn context() -> ImportContext {
        ImportContext {
            election_day: Date::new(2026, 3, 15).expect("date"),
            today: Date::new(2026, 1, 10).expect("date"),
            areas: vec![
                AreaRef {
                    id: 10,
                    number: 1,
                    name: "Khóm Thới An".into(),
                    levels: Levels::ALL,
                },
                AreaRef {
                    id: 11,
                    number: 2,
                    name: "Khóm Đông Thịnh".into(),
                    levels: Levels::ALL,
                },
            ],
            default_area: None,
            existing_cccd: ["079080009999".to_string()].into_iter().collect(),
            existing_people: HashSet::new(),
        }
    }

    fn table(lines: &[&str]) -> (Vec<Vec<String>>, Vec<usize>) {
        let rows: Vec<Vec<String>> = lines
            .iter()
            .map(|l| l.split(';').map(str::to_string).collect())
            .collect();
        let numbers = (1..=rows.len()).collect();
        (rows, numbers)
    }

    fn run(lines: &[&str]) -> Analysis {
        let (rows, numbers) = table(lines);
        let (header, mapping) = find_header(&rows).expect("header");
        analyze(&rows, &numbers, header, &mapping, &context())
    }

    #[test]
    fn every_row_problem_names_its_row_and_column() {
        let analysis = run(&[
            "DANH SÁCH CỬ TRI;;;;",
            "Họ và tên;Ngày sinh;Giới tính;Số CCCD;Khu vực bỏ phiếu",
            "Nguyễn Văn An;01/02/1980;Nam;079080001234;1",
            ";01/02/1980;Nam;;1",
            "Trần Thị Bình;31/02/1990;Nữ;;1",
            "Lê Văn Cường;20/03/2008;Nam;;2",
            "Phạm Thị Dung;1970;X;;2",
            "Võ Văn Em;1965;Nam;079080001234;2",
            "Đỗ Thị Phương;1960;Nữ;079080009999;9",
            "Hồ Văn Giàu;1955;Nam;12345;1",
        ]);
        let found: Vec<(usize, Option<Field>, &ProblemKind)> = analysis
            .problems
            .iter()
            .map(|p| (p.row, p.column, &p.kind))
            .collect();
        assert!(
            found.contains(&(4, Some(Field::FullName), &ProblemKind::EmptyName)),
            "{found:?}"
        );
        assert!(found.contains(&(
            5,
            Some(Field::BirthDate),
            &ProblemKind::BadBirthDate {
                value: "31/02/1990".into()
            }
        )));
        assert!(found.contains(&(
            6,
            Some(Field::BirthDate),
            &ProblemKind::Under18 {
                value: "20/03/2008".into()
            }
        )));
        assert!(
            found.contains(&(
                7,
                Some(Field::Gender),
                &ProblemKind::BadGender { value: "X".into() }
            )),
            "{found:?}"
        );
        assert!(found.contains(&(
            8,
            Some(Field::Cccd),
            &ProblemKind::DuplicateCccdInFile { first_row: 3 }
        )));
        assert!(found.contains(&(9, Some(Field::Cccd), &ProblemKind::CccdAlreadyListed)));
        assert!(found.contains(&(
            9,
            Some(Field::PollingArea),
            &ProblemKind::UnknownArea { value: "9".into() }
        )));
        assert!(found.contains(&(
            10,
            Some(Field::Cccd),
            &ProblemKind::BadCccd {
                value: "12345".into()
            }
        )));
        assert_eq!(
            analysis.drafts.len(),
            1,
            "only the clean row becomes a voter"
        );
        assert!(analysis.has_errors());
    }

    #[test]
    fn tone_placement_variants_are_flagged_as_probable_duplicates() {
        let analysis = run(&[
            "Họ và tên;Năm sinh;Giới tính;Khu vực bỏ phiếu",
            "Nguyễn Thị Thủy;1980;Nữ;1",
            "Nguyễn Thị Thuỷ;1980;Nữ;1",
            "Nguyễn Thị Thủy;1981;Nữ;1",
        ]);
        assert_eq!(analysis.problems.len(), 1, "{:?}", analysis.problems);
        assert_eq!(
            analysis.problems[0].kind,
            ProblemKind::ProbableDuplicateInFile { first_row: 2 }
        );
        assert_eq!(analysis.problems[0].kind.severity(), Severity::Warning);
        assert_eq!(analysis.drafts.len(), 3, "a warning does not drop the row");
    }

    #[test]
    fn official_nam_nu_columns_carry_the_birth_year_and_gender() {
        let analysis = run(&[
            "STT;Họ và tên;Nam;Nữ;Chủ hộ;Khu vực bỏ phiếu",
            "1;Trần Văn Hải;1950;;x;2",
            "2;Nguyễn Thị Lan;;1955;;2",
            "3;Trần Thị Mai;;03/1990;x;2",
        ]);
        assert!(analysis.problems.is_empty(), "{:?}", analysis.problems);
        let d = &analysis.drafts;
        assert_eq!(
            (d[0].gender, d[0].birth),
            (Gender::Male, BirthDate::Year(1950))
        );
        assert_eq!(
            (d[1].gender, d[1].birth),
            (Gender::Female, BirthDate::Year(1955))
        );
        assert_eq!(
            d[2].birth,
            BirthDate::MonthYear {
                year: 1990,
                month: 3
            }
        );
        assert_eq!(
            d[0].household, d[1].household,
            "rows after a head belong to that household"
        );
        assert_ne!(d[1].household, d[2].household);
        assert_eq!(analysis.totals.men, 1);
        assert_eq!(analysis.totals.women, 2);
        assert_eq!(
            analysis.totals.per_area,
            vec![AreaTotals {
                area_id: 11,
                voters: 3,
                men: 1,
                women: 2
            }]
        );
    }

    #[test]
    fn id_numbers_as_excel_leaves_them_are_restored_refused_or_questioned() {
        let analysis = run(&[
            "Họ và tên;Ngày sinh;Giới tính;Số CCCD;Khu vực bỏ phiếu",
            "Nguyễn Văn An;12/05/1980;Nam;89080001234;1",
            "Trần Thị Bình;1985;Nữ;8,91851E+11;1",
            "Lê Văn Cường;1962;Nam;089162003456;1",
        ]);
        let found: Vec<(usize, &ProblemKind)> =
            analysis.problems.iter().map(|p| (p.row, &p.kind)).collect();
        assert_eq!(
            found,
            [
                (
                    3,
                    &ProblemKind::CccdInExponentForm {
                        value: "8,91851E+11".into()
                    }
                ),
                (
                    4,
                    &ProblemKind::CccdDisagrees {
                        gender: Gender::Female,
                        born: 1962
                    }
                ),
            ]
        );
        assert_eq!(found[1].1.severity(), Severity::Warning);
        assert_eq!(
            analysis.drafts[0].cccd.as_deref(),
            Some("089080001234"),
            "the leading zero a number format dropped is back"
        );
    }

    #[test]
    fn recent_temporary_residents_get_two_ballots() {
        let analysis = run(&[
            "Họ và tên;Năm sinh;Giới tính;Nơi tạm trú;Tạm trú từ ngày;Khu vực bỏ phiếu",
            "Lâm Văn Tư;1990;Nam;Khóm 3;01/10/2025;Khu vực bỏ phiếu số 1",
        ]);
        assert!(analysis.problems.is_empty(), "{:?}", analysis.problems);
        assert_eq!(analysis.drafts[0].levels, Levels(3));
        assert_eq!(analysis.drafts[0].area_id, 10);
    }
}
