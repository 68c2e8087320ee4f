//! Reading each data row into a voter draft, and everything that can be wrong with it: the
//! dry run's per-row problems (file row, column, what) and its control totals.

use crate::domain::ids::AreaId;
use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};

use serde::{Deserialize, Serialize};

use super::columns::{Field, Mapping};
use crate::domain::list_update::Facts;
use crate::domain::text::{fold, name_key, strange_words, StrangeWord};
use crate::domain::voter::{
    entitlement, is_born_in_future, is_of_age, BirthDate, Cccd, Date, DateOrder, Gender, Levels,
};

/// A polling area a row may name, by number ("3", "KVBP số 3") or by name ("Khóm Thới An").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AreaRef {
    pub id: AreaId,
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
    pub default_area: Option<AreaId>,
    /// `Cccd::key`s of the numbers already listed in the election.
    pub existing_cccd: HashSet<u64>,
    /// `person_key`s of voters already in the election. None when probable duplicates are not
    /// looked for: they are warnings, for the dry run to show, and never stop a commit.
    pub existing_people: Option<HashSet<u64>>,
}

/// "Probably the same person": the name up to case, spacing, normalisation and tone placement,
/// and the birth date. Hashed so that a million of them take 8 bytes each; a collision can only
/// show a spurious warning.
pub fn person_key(full_name: &str, birth: &BirthDate) -> u64 {
    let mut hasher = std::hash::DefaultHasher::new();
    name_key(full_name).hash(&mut hasher);
    birth.parts().hash(&mut hasher);
    hasher.finish()
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
        /// The name on `first_row`: two people with one number is what the user must see.
        #[serde(default)]
        first_name: String,
    },
    CccdAlreadyListed,
    ProbableDuplicateInFile {
        first_row: usize,
        /// The name as written on `first_row` (it may differ in case or tone placement).
        #[serde(default)]
        first_name: String,
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
    /// "Nguy?n V?n ??c": the file lost its Vietnamese letters when it was saved (an "ANSI" CSV
    /// written by a Windows without Vietnamese puts "?" for them), so nothing can be recovered.
    LostLetters {
        value: String,
    },
    /// A total ("Tổng cộng: 8 cử tri", "Cộng tổ 2"), a sub-heading ("TỔ DÂN PHỐ SỐ 1") or the
    /// signature block under the list ("Người lập biểu", the signer's name): not a voter, left
    /// out.
    SkippedNonVoterLine {
        text: String,
    },
    /// A word of the name with letters Vietnamese does not write ("Thuë", "Ë"), or Vietnamese
    /// letters that make no syllable ("Nguyeãn"): usually a legacy font decoded the wrong way.
    /// Search cannot find such a name by what is typed. `suggestion` is a reading of the word
    /// that is a syllable, when exactly one is at hand.
    NotVietnameseWord {
        word: String,
        suggestion: Option<String>,
    },
}

/// A problem's kind without its details: the stable code the preview counts problems by and
/// the full list names them with (the variant name on the wire, like the error codes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum ProblemCode {
    EmptyName,
    BadBirthDate,
    BornInFuture,
    Under18,
    MissingBirthDate,
    BadGender,
    MissingGender,
    BadCccd,
    CccdInExponentForm,
    CccdDisagrees,
    DuplicateCccdInFile,
    CccdAlreadyListed,
    ProbableDuplicateInFile,
    ProbableDuplicateListed,
    UnknownArea,
    MissingArea,
    RaggedRow,
    BadDate,
    TemporarySinceUnknown,
    LostLetters,
    SkippedNonVoterLine,
    NotVietnameseWord,
}

impl ProblemCode {
    pub fn severity(self) -> Severity {
        match self {
            ProblemCode::ProbableDuplicateInFile
            | ProblemCode::ProbableDuplicateListed
            | ProblemCode::RaggedRow
            | ProblemCode::TemporarySinceUnknown
            | ProblemCode::SkippedNonVoterLine
            | ProblemCode::CccdDisagrees
            | ProblemCode::NotVietnameseWord => Severity::Warning,
            _ => Severity::Error,
        }
    }
}

impl ProblemKind {
    pub fn code(&self) -> ProblemCode {
        match self {
            ProblemKind::EmptyName => ProblemCode::EmptyName,
            ProblemKind::BadBirthDate { .. } => ProblemCode::BadBirthDate,
            ProblemKind::BornInFuture { .. } => ProblemCode::BornInFuture,
            ProblemKind::Under18 { .. } => ProblemCode::Under18,
            ProblemKind::MissingBirthDate => ProblemCode::MissingBirthDate,
            ProblemKind::BadGender { .. } => ProblemCode::BadGender,
            ProblemKind::MissingGender => ProblemCode::MissingGender,
            ProblemKind::BadCccd { .. } => ProblemCode::BadCccd,
            ProblemKind::CccdInExponentForm { .. } => ProblemCode::CccdInExponentForm,
            ProblemKind::CccdDisagrees { .. } => ProblemCode::CccdDisagrees,
            ProblemKind::DuplicateCccdInFile { .. } => ProblemCode::DuplicateCccdInFile,
            ProblemKind::CccdAlreadyListed => ProblemCode::CccdAlreadyListed,
            ProblemKind::ProbableDuplicateInFile { .. } => ProblemCode::ProbableDuplicateInFile,
            ProblemKind::ProbableDuplicateListed => ProblemCode::ProbableDuplicateListed,
            ProblemKind::UnknownArea { .. } => ProblemCode::UnknownArea,
            ProblemKind::MissingArea => ProblemCode::MissingArea,
            ProblemKind::RaggedRow { .. } => ProblemCode::RaggedRow,
            ProblemKind::BadDate { .. } => ProblemCode::BadDate,
            ProblemKind::TemporarySinceUnknown => ProblemCode::TemporarySinceUnknown,
            ProblemKind::LostLetters { .. } => ProblemCode::LostLetters,
            ProblemKind::SkippedNonVoterLine { .. } => ProblemCode::SkippedNonVoterLine,
            ProblemKind::NotVietnameseWord { .. } => ProblemCode::NotVietnameseWord,
        }
    }

    pub fn severity(&self) -> Severity {
        self.code().severity()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    /// 1-based row number in the file, as a spreadsheet shows it.
    pub row: usize,
    pub column: Option<Field>,
    pub kind: ProblemKind,
    /// The voter's name on that row, as read (empty for a row that is no voter).
    #[serde(default)]
    pub name: String,
}

/// How many problems of one kind the file has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProblemCount {
    pub code: ProblemCode,
    pub count: usize,
}

/// One voter as read from the file, ready to insert.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VoterDraft {
    pub row: usize,
    pub area_id: AreaId,
    pub household: Option<String>,
    pub is_head: bool,
    pub full_name: String,
    pub birth: BirthDate,
    pub gender: Gender,
    pub ethnicity: String,
    pub occupation: String,
    pub cccd: Option<Cccd>,
    pub permanent_address: String,
    pub temporary_address: String,
    pub temporary_since: Option<Date>,
    pub levels: Levels,
    pub notes: String,
}

impl VoterDraft {
    /// The row's facts, to compare with the voters already listed.
    pub fn facts(&self) -> Facts<'_> {
        Facts {
            full_name: &self.full_name,
            birth: self.birth,
            gender: self.gender,
            cccd: self.cccd.as_ref(),
            household: self.household.as_deref(),
            ethnicity: &self.ethnicity,
            occupation: &self.occupation,
            permanent_address: &self.permanent_address,
            temporary_address: &self.temporary_address,
            temporary_since: self.temporary_since,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AreaTotals {
    pub area_id: AreaId,
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

/// The problems of a file: every one counted by kind; the first few hundred errors kept to
/// show, then warnings up to the same number. A single error among thousands of warnings is
/// what stops the commit, so it must never be crowded out of the list. Memory stays at a
/// thousand problems and a counter per kind, whatever the file's size.
#[derive(Debug, Default)]
pub struct Problems {
    kept_errors: Vec<Problem>,
    kept_warnings: Vec<Problem>,
    by_code: std::collections::BTreeMap<ProblemCode, usize>,
    /// The problems of the row being checked, for a reader that wants every one of them (the
    /// full list as CSV); emptied when the next row starts.
    latest: Vec<Problem>,
    pub count: usize,
    pub errors: usize,
}

impl Problems {
    /// Enough to fix a file by; a file with thousands of problems is the wrong file.
    pub const SHOWN: usize = 500;

    fn push(&mut self, problem: Problem) {
        self.count += 1;
        *self.by_code.entry(problem.kind.code()).or_insert(0) += 1;
        let kept = if problem.kind.severity() == Severity::Error {
            self.errors += 1;
            &mut self.kept_errors
        } else {
            &mut self.kept_warnings
        };
        if kept.len() < Self::SHOWN {
            kept.push(problem.clone());
        }
        self.latest.push(problem);
    }

    /// A new row is being checked: the last row's problems are no longer `latest`.
    fn start_row(&mut self) {
        self.latest.clear();
    }

    /// The problems the last checked row added.
    pub fn latest(&self) -> &[Problem] {
        &self.latest
    }

    /// What the preview shows: errors first, then warnings, each in file order, `SHOWN` in all.
    pub fn shown(&self) -> Vec<Problem> {
        let warnings = Self::SHOWN.saturating_sub(self.kept_errors.len());
        self.kept_errors
            .iter()
            .chain(self.kept_warnings.iter().take(warnings))
            .cloned()
            .collect()
    }

    /// How many problems of each kind: errors first, then the most frequent.
    pub fn by_kind(&self) -> Vec<ProblemCount> {
        let mut counts: Vec<ProblemCount> = self
            .by_code
            .iter()
            .map(|(&code, &count)| ProblemCount { code, count })
            .collect();
        counts.sort_by_key(|c| {
            (
                c.code.severity() != Severity::Error,
                std::cmp::Reverse(c.count),
            )
        });
        counts
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

fn find_area(value: &str, areas: &[AreaRef]) -> Option<AreaId> {
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

/// Checks data rows one at a time, in file order, remembering only what later rows are
/// checked against: the first row of each CCCD and person key, the household being read, the
/// totals so far.
pub struct RowChecker<'c> {
    context: &'c ImportContext,
    mapping: &'c Mapping,
    date_order: DateOrder,
    expected_cells: usize,
    cccd_rows: HashMap<u64, FirstRow>,
    person_rows: HashMap<u64, FirstRow>,
    names: NameArena,
    known_words: KnownWords,
    /// The row whose name was last put in `names`, so a row remembered under both keys stores
    /// its name once.
    last_named: Option<FirstRow>,
    /// Area cell text → area: the same few texts repeat on every row.
    area_of_text: HashMap<String, Option<AreaId>>,
    current_household: Option<String>,
    household_counter: usize,
    has_household_column: bool,
    has_head_column: bool,
    shared_columns: bool,
    totals: Totals,
    /// A total or signature line was seen: unnumbered, undated rows below it are left out.
    in_footer: bool,
    /// Rows whose CCCD, or person (name and birth date), is probably on the list already.
    already_listed: usize,
    /// Rows that are voters (not the column-number row, a total or a signature line).
    voter_rows: usize,
    /// The STT of the last voter of each polling area, as the file numbers it.
    last_stt: HashMap<AreaId, i64>,
    renumbered: SttRenumbering,
}

/// Rows whose STT repeats or goes back within their polling area. Card numbers are given in
/// file order, so such rows get numbers other than the file's: the preview says so.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SttRenumbering {
    pub rows: usize,
    /// The first few, to find them by.
    pub examples: Vec<SttExample>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SttExample {
    pub row: usize,
    pub area_id: AreaId,
    pub stt: i64,
    /// The STT of the area's voter above it in the file.
    pub previous: i64,
}

impl SttRenumbering {
    const EXAMPLES: usize = 5;
}

/// The "(1) (2) (3)…" column-number row of official forms, under the header: no voter.
pub fn is_column_numbers(cells: &[String]) -> bool {
    cells
        .iter()
        .all(|c| c.is_empty() || (c.starts_with('(') && c.ends_with(')')))
}

/// "Nguy?n V?n ??c": a word of letters with "?" among them, where an "ANSI" save replaced
/// the letters its code page lacked. A "?" beside punctuation ("=HYPERLINK(…?q=…)") is not.
fn has_lost_letters(name: &str) -> bool {
    name.split_whitespace().any(|word| {
        word.chars().count() >= 2
            && word.contains('?')
            && word.chars().all(|c| c == '?' || c.is_alphabetic())
    })
}

/// The full name from a list that splits it ("Họ và chữ đệm" + "Tên", or "Họ" + "Chữ đệm" +
/// "Tên"). A part the name already ends with is not added again: some lists keep the whole
/// name and repeat the given name in a "Tên" column to sort by.
fn joined_name(mut name: String, parts: &[String]) -> String {
    for part in parts.iter().filter(|part| !part.is_empty()) {
        let (whole, tail) = (fold(&name), fold(part));
        if whole == tail || whole.ends_with(&format!(" {tail}")) {
            continue;
        }
        if !name.is_empty() {
            name.push(' ');
        }
        name.push_str(part);
    }
    name
}

/// A data row's cells by field, as `RowChecker::check` reads them.
struct RowTexts {
    stt: String,
    full_name: String,
    male: String,
    female: String,
    birth: String,
    gender: String,
    cccd: String,
    area: String,
    temporary_since: String,
    temporary_address: String,
    permanent_address: String,
    head: String,
    household: String,
    ethnicity: String,
    occupation: String,
    notes: String,
}

/// The problems of one row, each with the row's number and name.
struct RowReport<'p> {
    row: usize,
    name: &'p str,
    problems: &'p mut Problems,
}

impl RowReport<'_> {
    fn add(&mut self, column: Option<Field>, kind: ProblemKind) {
        self.problems.push(Problem {
            row: self.row,
            column,
            kind,
            name: self.name.to_string(),
        });
    }
}

/// Where a name sits in `NameArena::text`.
#[derive(Debug, Clone, Copy)]
struct NameRef {
    start: u32,
    len: u32,
}

/// The names of the rows that later rows may turn out to duplicate, one string for all: a
/// million names cost their letters and 8 bytes each, not a `String` apiece.
#[derive(Default)]
struct NameArena {
    text: String,
}

impl NameArena {
    fn add(&mut self, name: &str) -> NameRef {
        // Past 4 GB of names (impossible within the upload limit) the name is left out.
        let (Ok(start), Ok(len)) = (u32::try_from(self.text.len()), u32::try_from(name.len()))
        else {
            return NameRef { start: 0, len: 0 };
        };
        self.text.push_str(name);
        NameRef { start, len }
    }

    fn get(&self, name: NameRef) -> &str {
        let start = name.start as usize;
        self.text
            .get(start..start + name.len as usize)
            .unwrap_or_default()
    }
}

/// The first row a CCCD or a person was seen on.
#[derive(Debug, Clone, Copy)]
struct FirstRow {
    row: usize,
    name: NameRef,
}

/// Words of names already found to be Vietnamese syllables. A few thousand words make up most
/// names, and looking one up costs far less than taking its syllable apart again.
#[derive(Default)]
struct KnownWords(HashSet<String>);

impl KnownWords {
    /// A hostile file could hold a million different words; past these the rest are checked
    /// each time.
    const REMEMBERED: usize = 8192;

    /// The words of `name` that are no Vietnamese syllable (see `strange_words`).
    fn strange_words(&mut self, name: &str) -> Vec<StrangeWord> {
        let mut words = name
            .split(|c: char| !c.is_alphabetic())
            .filter(|word| !word.is_ascii());
        if words.all(|word| self.0.contains(word)) {
            return Vec::new();
        }
        let strange = strange_words(name);
        for word in name.split(|c: char| !c.is_alphabetic()) {
            if self.0.len() < Self::REMEMBERED
                && !word.is_ascii()
                && !strange.iter().any(|s| s.word == word)
            {
                self.0.insert(word.to_string());
            }
        }
        strange
    }
}

/// A name that is there, kept its Vietnamese letters and reads as Vietnamese syllables.
fn check_name(full_name: &str, known: &mut KnownWords, report: &mut RowReport) {
    if full_name.is_empty() {
        report.add(Some(Field::FullName), ProblemKind::EmptyName);
    } else if has_lost_letters(full_name) {
        report.add(
            Some(Field::FullName),
            ProblemKind::LostLetters {
                value: full_name.to_string(),
            },
        );
    } else {
        for strange in known.strange_words(full_name) {
            report.add(
                Some(Field::FullName),
                ProblemKind::NotVietnameseWord {
                    word: strange.word,
                    suggestion: strange.suggestion,
                },
            );
        }
    }
}

/// How the lines under a list begin (folded): totals, then the signature block and its date.
const FOOTER_STARTS: [&str; 20] = [
    "tong so",
    "tong cong",
    "tong:",
    "cong:",
    "cong to",
    "cong khu",
    "cong khom",
    "cong ap",
    "cong thon",
    "cong danh sach",
    "nguoi lap",
    "(ky",
    "ky ten",
    "ky, ghi",
    "chu tich",
    "t/m",
    "tm.",
    "tm ",
    "xac nhan",
    "to truong",
];

impl<'c> RowChecker<'c> {
    /// `header` is the header row (its width is the width every row should have).
    pub fn new(
        context: &'c ImportContext,
        mapping: &'c Mapping,
        header: &[String],
        date_order: DateOrder,
    ) -> Self {
        RowChecker {
            context,
            mapping,
            date_order,
            expected_cells: header.len(),
            cccd_rows: HashMap::new(),
            person_rows: HashMap::new(),
            names: NameArena::default(),
            known_words: KnownWords::default(),
            last_named: None,
            area_of_text: HashMap::new(),
            current_household: None,
            household_counter: 0,
            has_household_column: mapping.column_of(Field::Household).is_some(),
            has_head_column: mapping.column_of(Field::HouseholdHead).is_some(),
            shared_columns: mapping
                .columns
                .iter()
                .enumerate()
                .any(|(i, (_, c))| mapping.columns[..i].iter().any(|(_, d)| d == c)),
            totals: Totals::default(),
            in_footer: false,
            already_listed: 0,
            voter_rows: 0,
            last_stt: HashMap::new(),
            renumbered: SttRenumbering::default(),
        }
    }

    /// Checks the data row on file row `row`: its problems go to `problems`, and the voter is
    /// returned when the row has no error.
    pub fn check(
        &mut self,
        row: usize,
        cells: Vec<String>,
        problems: &mut Problems,
    ) -> Option<VoterDraft> {
        problems.start_row();
        if is_column_numbers(&cells) {
            return None;
        }
        if let Some(text) = self.non_voter_line(&cells) {
            problems.push(Problem {
                row,
                column: None,
                kind: ProblemKind::SkippedNonVoterLine { text },
                name: String::new(),
            });
            return None;
        }
        self.voter_rows += 1;
        let errors_before = problems.errors;
        let cell_count = cells.len();
        let texts = self.texts(cells);
        let mut report = RowReport {
            row,
            name: &texts.full_name,
            problems: &mut *problems,
        };
        if cell_count != self.expected_cells && self.expected_cells > 0 {
            report.add(
                None,
                ProblemKind::RaggedRow {
                    cells: cell_count,
                    expected: self.expected_cells,
                },
            );
        }
        check_name(&texts.full_name, &mut self.known_words, &mut report);
        let (birth, birth_column) = self.birth_text(&texts);
        let birth = self.birth(birth, birth_column, &mut report);
        let gender = self.gender(&texts, &mut report);
        let (cccd, cccd_listed) = self.cccd(&texts.cccd, gender, birth.as_ref(), &mut report);
        let area = self.area(&texts.area, &mut report);
        let temporary_since = self.temporary_since(&texts, &mut report);
        let person_listed = birth
            .as_ref()
            .is_some_and(|birth| self.probable_duplicate(&texts.full_name, birth, &mut report));
        if cccd_listed || person_listed {
            self.already_listed += 1;
        }
        let is_head = is_tick(&texts.head);
        self.follow_household(texts.household, is_head);

        if problems.errors > errors_before {
            return None;
        }
        let (Some(birth), Some(gender), Some(area_id)) = (birth, gender, area) else {
            return None;
        };
        let offered = self
            .context
            .areas
            .iter()
            .find(|a| a.id == area_id)
            .map(|a| a.levels)
            .unwrap_or(Levels::ALL);
        let draft = VoterDraft {
            row,
            area_id,
            household: self.current_household.clone(),
            is_head,
            full_name: texts.full_name,
            birth,
            gender,
            ethnicity: texts.ethnicity,
            occupation: texts.occupation,
            cccd,
            permanent_address: texts.permanent_address,
            temporary_address: texts.temporary_address,
            temporary_since,
            levels: entitlement(temporary_since, self.context.election_day, offered),
            notes: texts.notes,
        };
        self.count(&draft);
        self.follow_stt(row, area_id, &texts.stt);
        Some(draft)
    }

    /// The row's cells by field. Cells move out of the row unless the user mapped one column
    /// to two fields.
    fn texts(&self, mut cells: Vec<String>) -> RowTexts {
        let (mapping, shared_columns) = (self.mapping, self.shared_columns);
        let mut take = |field: Field| -> String {
            let cell = mapping.column_of(field).and_then(|c| cells.get_mut(c));
            match cell {
                Some(cell) if shared_columns => cell.clone(),
                Some(cell) => std::mem::take(cell),
                None => String::new(),
            }
        };
        RowTexts {
            stt: take(Field::Stt),
            full_name: joined_name(
                take(Field::FullName),
                &[take(Field::MiddleName), take(Field::GivenName)],
            ),
            male: take(Field::Male),
            female: take(Field::Female),
            birth: take(Field::BirthDate),
            gender: take(Field::Gender),
            cccd: take(Field::Cccd),
            area: take(Field::PollingArea),
            temporary_since: take(Field::TemporarySince),
            temporary_address: take(Field::TemporaryAddress),
            permanent_address: take(Field::PermanentAddress),
            head: take(Field::HouseholdHead),
            household: take(Field::Household),
            ethnicity: take(Field::Ethnicity),
            occupation: take(Field::Occupation),
            notes: take(Field::Notes),
        }
    }

    fn has_gender_columns(&self) -> bool {
        self.mapping.column_of(Field::Male).is_some()
            || self.mapping.column_of(Field::Female).is_some()
    }

    /// The birth date's text and the column it is in: its own column, or the Nam/Nữ column,
    /// where many lists write it.
    fn birth_text<'t>(&self, texts: &'t RowTexts) -> (&'t str, Field) {
        if self.has_gender_columns() && texts.birth.is_empty() {
            if BirthDate::parse_in(&texts.male, self.date_order).is_some() {
                return (&texts.male, Field::Male);
            }
            if BirthDate::parse_in(&texts.female, self.date_order).is_some() {
                return (&texts.female, Field::Female);
            }
        }
        (&texts.birth, Field::BirthDate)
    }

    /// A birth date that is there, is a date, is past and makes the voter 18 on election day.
    fn birth(&self, text: &str, column: Field, report: &mut RowReport) -> Option<BirthDate> {
        if text.is_empty() {
            report.add(Some(Field::BirthDate), ProblemKind::MissingBirthDate);
            return None;
        }
        let value = || text.to_string();
        match BirthDate::parse_in(text, self.date_order) {
            None => report.add(Some(column), ProblemKind::BadBirthDate { value: value() }),
            Some(birth) if is_born_in_future(&birth, self.context.today) => {
                report.add(Some(column), ProblemKind::BornInFuture { value: value() })
            }
            Some(birth) if !is_of_age(&birth, self.context.election_day) => {
                report.add(Some(column), ProblemKind::Under18 { value: value() })
            }
            Some(birth) => return Some(birth),
        }
        None
    }

    /// The gender from its column, or from which of the Nam/Nữ columns is filled in.
    fn gender(&self, texts: &RowTexts, report: &mut RowReport) -> Option<Gender> {
        let mut gender = Gender::parse(&texts.gender);
        if self.has_gender_columns() {
            gender = match (!texts.male.is_empty(), !texts.female.is_empty()) {
                (true, false) => Some(Gender::Male),
                (false, true) => Some(Gender::Female),
                _ => gender,
            };
        }
        if gender.is_none() {
            let kind = if texts.gender.is_empty() {
                ProblemKind::MissingGender
            } else {
                ProblemKind::BadGender {
                    value: texts.gender.clone(),
                }
            };
            report.add(Some(Field::Gender), kind);
        }
        gender
    }

    /// The CCCD as stored, when the cell holds one: twelve digits, agreeing with the gender and
    /// birth year it encodes, once in the file and not already listed (the flag: it is).
    fn cccd(
        &mut self,
        text: &str,
        gender: Option<Gender>,
        birth: Option<&BirthDate>,
        report: &mut RowReport,
    ) -> (Option<Cccd>, bool) {
        if text.is_empty() {
            return (None, false);
        }
        let Some(cccd) = Cccd::parse_spreadsheet(text) else {
            let value = text.to_string();
            let kind = if in_exponent_form(text) {
                ProblemKind::CccdInExponentForm { value }
            } else {
                ProblemKind::BadCccd { value }
            };
            report.add(Some(Field::Cccd), kind);
            return (None, false);
        };
        let (implied_gender, implied_year) = cccd.implied_person();
        if let (Some(gender), Some(birth)) = (gender, birth) {
            if (gender, birth.year()) != (implied_gender, implied_year) {
                report.add(
                    Some(Field::Cccd),
                    ProblemKind::CccdDisagrees {
                        gender: implied_gender,
                        born: implied_year,
                    },
                );
            }
        }
        let key = cccd.key();
        let mut listed = false;
        if let Some(first) = self.cccd_rows.get(&key) {
            report.add(
                Some(Field::Cccd),
                ProblemKind::DuplicateCccdInFile {
                    first_row: first.row,
                    first_name: self.names.get(first.name).to_string(),
                },
            );
        } else {
            listed = self.context.existing_cccd.contains(&key);
            if listed {
                report.add(Some(Field::Cccd), ProblemKind::CccdAlreadyListed);
            }
            let first = self.first_row(report.row, report.name);
            self.cccd_rows.insert(key, first);
        }
        (Some(cccd), listed)
    }

    /// This row as the first of its CCCD or person, its name stored once.
    fn first_row(&mut self, row: usize, name: &str) -> FirstRow {
        match self.last_named {
            Some(first) if first.row == row => first,
            _ => {
                let first = FirstRow {
                    row,
                    name: self.names.add(name),
                };
                self.last_named = Some(first);
                first
            }
        }
    }

    /// The polling area the cell names, else the default area chosen at upload.
    fn area(&mut self, text: &str, report: &mut RowReport) -> Option<AreaId> {
        if text.is_empty() {
            if self.context.default_area.is_none() {
                report.add(Some(Field::PollingArea), ProblemKind::MissingArea);
            }
            return self.context.default_area;
        }
        let area = self.area_of(text);
        if area.is_none() {
            report.add(
                Some(Field::PollingArea),
                ProblemKind::UnknownArea {
                    value: text.to_string(),
                },
            );
        }
        area
    }

    /// The date a temporary resident registered; a temporary resident without one is
    /// questioned (it decides the levels they vote for).
    fn temporary_since(&self, texts: &RowTexts, report: &mut RowReport) -> Option<Date> {
        let since_text = &texts.temporary_since;
        let temporary_since = if since_text.is_empty() {
            None
        } else {
            let date = Date::parse_in(since_text, self.date_order);
            if date.is_none() {
                report.add(
                    Some(Field::TemporarySince),
                    ProblemKind::BadDate {
                        value: since_text.clone(),
                    },
                );
            }
            date
        };
        if !texts.temporary_address.is_empty()
            && texts.permanent_address.is_empty()
            && since_text.is_empty()
        {
            report.add(
                Some(Field::TemporarySince),
                ProblemKind::TemporarySinceUnknown,
            );
        }
        temporary_since
    }

    /// The same name and birth date earlier in the file, or already on the list (looked for
    /// only when the context has the listed people); true when already listed.
    fn probable_duplicate(
        &mut self,
        full_name: &str,
        birth: &BirthDate,
        report: &mut RowReport,
    ) -> bool {
        let Some(existing) = &self.context.existing_people else {
            return false;
        };
        if full_name.is_empty() {
            return false;
        }
        let person = person_key(full_name, birth);
        if let Some(first) = self.person_rows.get(&person) {
            report.add(
                Some(Field::FullName),
                ProblemKind::ProbableDuplicateInFile {
                    first_row: first.row,
                    first_name: self.names.get(first.name).to_string(),
                },
            );
            return false;
        }
        let listed = existing.contains(&person);
        if listed {
            report.add(Some(Field::FullName), ProblemKind::ProbableDuplicateListed);
        }
        let first = self.first_row(report.row, full_name);
        self.person_rows.insert(person, first);
        listed
    }

    /// Notes a voter whose STT in the file repeats or goes back within its area: the card
    /// numbers given in file order will not be the file's.
    fn follow_stt(&mut self, row: usize, area_id: AreaId, text: &str) {
        let Ok(stt) = text.trim().trim_end_matches('.').parse::<i64>() else {
            return;
        };
        if let Some(previous) = self.last_stt.insert(area_id, stt) {
            if stt <= previous {
                let renumbered = &mut self.renumbered;
                renumbered.rows += 1;
                if renumbered.examples.len() < SttRenumbering::EXAMPLES {
                    renumbered.examples.push(SttExample {
                        row,
                        area_id,
                        stt,
                        previous,
                    });
                }
            }
        }
    }

    /// The household the row belongs to: its label when the list has a household column,
    /// else a new one at each head of household when the list marks heads.
    fn follow_household(&mut self, label: String, is_head: bool) {
        if self.has_household_column {
            if !label.is_empty() {
                self.current_household = Some(label);
            }
        } else if self.has_head_column && is_head {
            self.household_counter += 1;
            self.current_household = Some(format!("Hộ {}", self.household_counter));
        }
    }

    /// The row's text when it is a total, a sub-heading or part of the signature block rather
    /// than a voter.
    /// A voter's row has a number in the STT column (or, without one, a birth date), so only
    /// rows without those are looked at: a voter named Tống or Công is never left out.
    fn non_voter_line(&mut self, cells: &[String]) -> Option<String> {
        let cell = |field: Field| {
            self.mapping
                .column_of(field)
                .and_then(|c| cells.get(c))
                .map_or("", |cell| cell.trim())
        };
        let numbered = !cell(Field::Stt).is_empty()
            && cell(Field::Stt)
                .chars()
                .all(|c| c.is_ascii_digit() || c == '.');
        let dated = [Field::BirthDate, Field::Male, Field::Female]
            .into_iter()
            .any(|field| !cell(field).is_empty());
        if numbered || (self.mapping.column_of(Field::Stt).is_none() && dated) {
            return None;
        }
        let text: Vec<&str> = cells
            .iter()
            .map(|c| c.trim())
            .filter(|c| !c.is_empty())
            .collect();
        let first = fold(text.first()?);
        let starts_footer = FOOTER_STARTS.iter().any(|start| first.starts_with(start))
            || first == "tong"
            || first == "cong"
            || (first.contains("ngay") && first.contains("thang") && first.contains("nam"));
        if starts_footer {
            self.in_footer = true;
        }
        // A lone text outside the name column is a sub-heading ("TỔ DÂN PHỐ SỐ 1").
        let lone_heading = text.len() == 1
            && cells.iter().position(|c| !c.trim().is_empty())
                != self.mapping.column_of(Field::FullName);
        // Under a total, the signers' titles and names follow; a numbered row is a voter again.
        (starts_footer || lone_heading || (self.in_footer && !dated)).then(|| text.join(" "))
    }

    fn area_of(&mut self, text: &str) -> Option<AreaId> {
        // A hostile file could name a million different areas; past a few thousand texts the
        // rows are simply looked up each time.
        const REMEMBERED: usize = 4096;
        if let Some(area) = self.area_of_text.get(text) {
            return *area;
        }
        let area = find_area(text, &self.context.areas);
        if self.area_of_text.len() < REMEMBERED {
            self.area_of_text.insert(text.to_string(), area);
        }
        area
    }

    fn count(&mut self, draft: &VoterDraft) {
        let totals = &mut self.totals;
        let area = match totals
            .per_area
            .iter_mut()
            .position(|a| a.area_id == draft.area_id)
        {
            Some(index) => &mut totals.per_area[index],
            None => {
                totals.per_area.push(AreaTotals {
                    area_id: draft.area_id,
                    voters: 0,
                    men: 0,
                    women: 0,
                });
                totals.per_area.last_mut().expect("just pushed")
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

    /// How many rows so far have a CCCD already listed or are probably someone already on the
    /// list (the latter only when the context has the listed people, as the dry run's has).
    pub fn already_listed(&self) -> usize {
        self.already_listed
    }

    /// How many rows so far were voters (listed or not, with errors or not).
    pub fn voter_rows(&self) -> usize {
        self.voter_rows
    }

    /// The rows so far whose STT repeats or goes back within their area.
    pub fn renumbered(&self) -> &SttRenumbering {
        &self.renumbered
    }

    /// The control totals of the voters checked so far, by area id.
    pub fn totals(&self) -> Totals {
        let mut totals = self.totals.clone();
        totals.per_area.sort_by_key(|a| a.area_id);
        totals
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::columns::find_header;

    fn context() -> ImportContext {
        ImportContext {
            election_day: Date::new(2026, 3, 15).expect("date"),
            today: Date::new(2026, 1, 10).expect("date"),
            areas: vec![
                AreaRef {
                    id: AreaId::new(10),
                    number: 1,
                    name: "Khóm Thới An".into(),
                    levels: Levels::ALL,
                },
                AreaRef {
                    id: AreaId::new(11),
                    number: 2,
                    name: "Khóm Đông Thịnh".into(),
                    levels: Levels::ALL,
                },
            ],
            default_area: None,
            existing_cccd: [Cccd::parse("079080009999").expect("cccd").key()]
                .into_iter()
                .collect(),
            existing_people: Some(HashSet::new()),
        }
    }

    fn table(lines: &[&str]) -> Vec<Vec<String>> {
        lines
            .iter()
            .map(|l| l.split(';').map(str::to_string).collect())
            .collect()
    }

    struct Analysis {
        drafts: Vec<VoterDraft>,
        problems: Problems,
        /// `problems.shown()`.
        shown: Vec<Problem>,
        totals: Totals,
    }

    impl Analysis {
        fn has_errors(&self) -> bool {
            self.problems.errors > 0
        }

        fn names(&self) -> Vec<&str> {
            self.drafts.iter().map(|d| d.full_name.as_str()).collect()
        }
    }

    fn check_all(lines: &[&str], context: &ImportContext) -> Analysis {
        let rows = table(lines);
        let (header, mapping) = find_header(&rows).expect("header");
        let mut checker = RowChecker::new(context, &mapping, &rows[header], DateOrder::DayFirst);
        let mut problems = Problems::default();
        let drafts = rows
            .iter()
            .enumerate()
            .skip(header + 1)
            .filter_map(|(index, cells)| checker.check(index + 1, cells.clone(), &mut problems))
            .collect();
        Analysis {
            drafts,
            shown: problems.shown(),
            problems,
            totals: checker.totals(),
        }
    }

    fn run(lines: &[&str]) -> Analysis {
        check_all(lines, &context())
    }

    #[test]
    fn names_split_over_columns_are_joined_once() {
        let two = run(&[
            "STT;Họ và chữ đệm;Tên;Ngày sinh;Giới tính;Khu vực bỏ phiếu",
            "1;Nguyễn Văn;An;01/02/1980;Nam;1",
            "2;Lê;Bình;1970;Nữ;1",
        ]);
        assert_eq!(two.names(), vec!["Nguyễn Văn An", "Lê Bình"]);
        let three = run(&[
            "STT;Họ;Chữ đệm;Tên;Ngày sinh;Giới tính;Khu vực bỏ phiếu",
            "1;Huỳnh;Ngọc;Hân;1990;Nữ;2",
            "2;Lê;;Bình;1970;Nữ;1",
        ]);
        assert_eq!(three.names(), vec!["Huỳnh Ngọc Hân", "Lê Bình"]);
        // The whole name with the given name repeated beside it, to sort by: not doubled.
        let sorted = run(&[
            "STT;Họ và tên;Tên;Ngày sinh;Giới tính;Khu vực bỏ phiếu",
            "1;Nguyễn Văn An;An;01/02/1980;Nam;1",
            "2;Trần Thị Bích Thủy;thuy;1970;Nữ;1",
        ]);
        assert_eq!(sorted.names(), vec!["Nguyễn Văn An", "Trần Thị Bích Thủy"]);
        let lost = run(&[
            "STT;Ho va ten;Ngay sinh;Gioi tinh;Khu vuc bo phieu",
            "1;Nguy?n V?n ??c;1980;Nam;1",
        ]);
        assert_eq!(
            lost.shown[0].kind,
            ProblemKind::LostLetters {
                value: "Nguy?n V?n ??c".into()
            }
        );
        assert!(lost.has_errors());
        assert!(has_lost_letters("Lê Hoàng Ph??c"));
        assert!(!has_lost_letters(
            "=HYPERLINK(\"http://x.example/?q=\"&A1,\"Bấm vào đây\")"
        ));
        assert!(!has_lost_letters("Nguyễn Văn An ?"));
        // "Hộ" (household) is not taken for a family name.
        let (_, mapping) = find_header(&table(&[
            "Hộ;Họ và tên;Ngày sinh;Giới tính",
            "1;Nguyễn Văn An;1980;Nam",
        ]))
        .expect("header");
        assert_eq!(mapping.column_of(Field::FullName), Some(1));
    }

    #[test]
    fn totals_and_the_signature_block_are_left_out_but_voters_named_tong_are_not() {
        let analysis = run(&[
            "STT;Họ và tên;Ngày sinh;Giới tính;Khu vực bỏ phiếu",
            "1;Tống Văn An;01/02/1980;Nam;1",
            "2;Công Thị Bình;1970;Nữ;1",
            ";Cộng tổ 1: 2 cử tri;;;",
            "TỔ DÂN PHỐ SỐ 2;;;;",
            "3;Lê Văn Cường;1965;Nam;2",
            ";Tổng cộng: 3 cử tri (2 nam, 1 nữ);;;",
            ";;;;Mỹ Thới, ngày 10 tháng 01 năm 2026",
            ";Người lập biểu;;;CHỦ TỊCH UBND",
            ";(Ký, ghi rõ họ tên);;;(Ký tên, đóng dấu)",
            ";Nguyễn Thị Thu;;;Trần Văn Hùng",
        ]);
        assert_eq!(
            analysis.names(),
            vec!["Tống Văn An", "Công Thị Bình", "Lê Văn Cường"]
        );
        assert!(!analysis.has_errors(), "{:?}", analysis.problems.shown());
        let skipped: Vec<(usize, &ProblemKind)> =
            analysis.shown.iter().map(|p| (p.row, &p.kind)).collect();
        // Row 10, all in brackets, is left out like the "(1) (2) (3)" row of column numbers.
        assert_eq!(
            skipped.iter().map(|(row, _)| *row).collect::<Vec<_>>(),
            vec![4, 5, 7, 8, 9, 11],
            "{skipped:?}"
        );
        assert_eq!(
            skipped[2],
            (
                7,
                &ProblemKind::SkippedNonVoterLine {
                    text: "Tổng cộng: 3 cử tri (2 nam, 1 nữ)".into()
                }
            )
        );
        assert!(skipped
            .iter()
            .all(|(_, kind)| kind.severity() == Severity::Warning));

        // A name alone under the list, with no total above it, is still a voter missing data.
        let unfinished = run(&[
            "STT;Họ và tên;Ngày sinh;Giới tính;Khu vực bỏ phiếu",
            "1;Tống Văn An;01/02/1980;Nam;1",
            ";Nguyễn Thị Thu;;;",
        ]);
        assert!(unfinished.has_errors());
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
            .shown
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
            &ProblemKind::DuplicateCccdInFile {
                first_row: 3,
                first_name: "Nguyễn Văn An".into()
            }
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
        assert_eq!(analysis.problems.count, 1, "{:?}", analysis.problems);
        assert_eq!(
            analysis.shown[0].kind,
            ProblemKind::ProbableDuplicateInFile {
                first_row: 2,
                first_name: "Nguyễn Thị Thủy".into()
            }
        );
        assert_eq!(analysis.shown[0].kind.severity(), Severity::Warning);
        assert_eq!(analysis.drafts.len(), 3, "a warning does not drop the row");
        let commit = ImportContext {
            existing_people: None,
            ..context()
        };
        let lines = [
            "Họ và tên;Năm sinh;Giới tính;Khu vực bỏ phiếu",
            "Nguyễn Thị Thủy;1980;Nữ;1",
            "Nguyễn Thị Thuỷ;1980;Nữ;1",
        ];
        assert_eq!(
            check_all(&lines, &commit).problems.count,
            0,
            "a commit does not look for probable duplicates"
        );
    }

    #[test]
    fn every_problem_is_counted_but_only_the_first_hundreds_kept() {
        let mut lines = vec!["Họ và tên;Năm sinh;Giới tính;Khu vực bỏ phiếu".to_string()];
        for i in 0..Problems::SHOWN + 100 {
            lines.push(format!("Lê Văn Tư {i};1990;Nam;9"));
        }
        let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
        let analysis = run(&lines);
        assert_eq!(analysis.problems.count, Problems::SHOWN + 100);
        assert_eq!(analysis.problems.errors, Problems::SHOWN + 100);
        assert_eq!(analysis.problems.shown().len(), Problems::SHOWN);
        assert!(analysis.drafts.is_empty());
    }

    #[test]
    fn one_error_among_thousands_of_warnings_is_shown_first_and_counted_by_kind() {
        let mut lines = vec!["STT;Họ và tên;Năm sinh;Giới tính;Khu vực bỏ phiếu".to_string()];
        // 2.000 rows, each the same person as row 2: a warning apiece.
        for i in 1..=2001 {
            lines.push(format!("{i};Lê Văn Tư;1990;Nam;1"));
        }
        lines.push("2002;Trần Thị Bình;31/02/1990;Nữ;1".to_string());
        let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
        let analysis = run(&lines);
        assert_eq!(analysis.problems.count, 2001);
        assert_eq!(analysis.problems.errors, 1);
        let shown = analysis.problems.shown();
        assert_eq!(shown.len(), Problems::SHOWN);
        assert_eq!(
            (shown[0].row, &shown[0].kind, shown[0].name.as_str()),
            (
                2003,
                &ProblemKind::BadBirthDate {
                    value: "31/02/1990".into()
                },
                "Trần Thị Bình"
            )
        );
        assert_eq!(
            shown[1].kind,
            ProblemKind::ProbableDuplicateInFile {
                first_row: 2,
                first_name: "Lê Văn Tư".into()
            }
        );
        assert_eq!(
            analysis.problems.by_kind(),
            [
                ProblemCount {
                    code: ProblemCode::BadBirthDate,
                    count: 1
                },
                ProblemCount {
                    code: ProblemCode::ProbableDuplicateInFile,
                    count: 2000
                },
            ]
        );
    }

    #[test]
    fn a_cccd_repeated_in_the_file_names_the_first_holder() {
        let analysis = run(&[
            "Họ và tên;Ngày sinh;Giới tính;Số CCCD;Khu vực bỏ phiếu",
            "Nguyễn Văn An;01/02/1980;Nam;079080001234;1",
            "Võ Văn Em;1980;Nam;079080001234;2",
        ]);
        let problem = &analysis.shown[0];
        assert_eq!(
            (problem.row, &problem.kind, problem.name.as_str()),
            (
                3,
                &ProblemKind::DuplicateCccdInFile {
                    first_row: 2,
                    first_name: "Nguyễn Văn An".into()
                },
                "Võ Văn Em"
            )
        );
    }

    #[test]
    fn names_that_are_not_vietnamese_syllables_are_questioned() {
        let analysis = run(&[
            "Họ và tên;Năm sinh;Giới tính;Khu vực bỏ phiếu",
            "Nguyễn Thị Thuë;1980;Nữ;1",
            "Ksor H'Hen;1981;Nữ;1",
            // The words already found good are remembered; the strange one is not.
            "Nguyễn Thị Thuë;1982;Nữ;1",
        ]);
        let shown = analysis.problems.shown();
        assert_eq!(shown.len(), 2, "{:?}", analysis.problems);
        assert_eq!(shown[1].row, 4);
        assert_eq!(
            (shown[0].row, &shown[0].kind),
            (
                2,
                &ProblemKind::NotVietnameseWord {
                    word: "Thuë".into(),
                    suggestion: Some("Thuở".into())
                }
            )
        );
        assert_eq!(analysis.drafts.len(), 3, "a warning: every row is a voter");
    }

    #[test]
    fn stt_that_repeats_or_goes_back_within_an_area_is_noted() {
        let mut checker_lines = vec!["STT;Họ và tên;Năm sinh;Giới tính;Khu vực bỏ phiếu"];
        checker_lines.extend([
            "1;Lê Văn An;1980;Nam;1",
            "1;Lê Văn Bình;1980;Nam;2",
            "2;Lê Văn Cường;1980;Nam;1",
            "2;Lê Văn Dũng;1980;Nam;1",
            "5;Lê Văn Em;1980;Nam;1",
            "3;Lê Văn Giang;1980;Nam;1",
            "2;Lê Văn Hùng;1980;Nam;2",
        ]);
        let rows = table(&checker_lines);
        let (header, mapping) = find_header(&rows).expect("header");
        let context = context();
        let mut checker = RowChecker::new(&context, &mapping, &rows[header], DateOrder::DayFirst);
        let mut problems = Problems::default();
        for (index, cells) in rows.iter().enumerate().skip(header + 1) {
            checker.check(index + 1, cells.clone(), &mut problems);
        }
        let renumbered = checker.renumbered();
        assert_eq!(renumbered.rows, 2);
        let area = AreaId::new(10);
        assert_eq!(
            renumbered.examples,
            [
                SttExample {
                    row: 5,
                    area_id: area,
                    stt: 2,
                    previous: 2
                },
                SttExample {
                    row: 7,
                    area_id: area,
                    stt: 3,
                    previous: 5
                },
            ]
        );
        assert_eq!(checker.voter_rows(), 7);
    }

    #[test]
    fn official_nam_nu_columns_carry_the_birth_year_and_gender() {
        let analysis = run(&[
            "STT;Họ và tên;Nam;Nữ;Chủ hộ;Khu vực bỏ phiếu",
            "1;Trần Văn Hải;1950;;x;2",
            "2;Nguyễn Thị Lan;;1955;;2",
            "3;Trần Thị Mai;;03/1990;x;2",
        ]);
        assert_eq!(analysis.problems.count, 0, "{:?}", analysis.problems);
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
                area_id: AreaId::new(11),
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
            analysis.shown.iter().map(|p| (p.row, &p.kind)).collect();
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
            analysis.drafts[0].cccd.as_ref().map(Cccd::as_str),
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
        assert_eq!(analysis.problems.count, 0, "{:?}", analysis.problems);
        assert_eq!(analysis.drafts[0].levels, Levels(3));
        assert_eq!(analysis.drafts[0].area_id, AreaId::new(10));
    }
}
