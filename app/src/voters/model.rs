//! The voter-list pages' wire types.

use crate::domain::ids::{AreaId, ElectionId};
use serde::{Deserialize, Serialize};

use crate::domain::ward::{AreaSummary, ElectionSummary, Ward};
use crate::import::columns::{Field, Mapping};
use crate::import::rows::{Problem, Totals};
use crate::import::table::{FileProblem, SheetChoice};

/// What the user chose for an uploaded file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportRequest {
    pub token: String,
    pub election_id: ElectionId,
    pub default_area: Option<AreaId>,
    /// Encoding code chosen by the user instead of the detected one.
    pub encoding: Option<String>,
    /// Workbook sheet (its position in the workbook) chosen by the user instead of the one
    /// found by its header.
    pub sheet: Option<usize>,
    /// Column mapping corrected by the user instead of the detected one.
    pub mapping: Option<Mapping>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PreviewColumn {
    pub index: usize,
    pub heading: String,
    pub field: Option<Field>,
    pub samples: Vec<String>,
}

/// The dry run of an import.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportPreview {
    pub file_name: String,
    pub encoding: String,
    /// Dates such as 12/25/1980 showed the file writes month before day; it is read that way.
    pub dates_month_first: bool,
    /// The CSV separator; None for an Excel workbook.
    pub separator: Option<char>,
    /// The workbook sheet read and the others that could be; None for CSV.
    pub sheet: Option<SheetChoice>,
    /// 1-based file row of the header.
    pub header_row: usize,
    pub columns: Vec<PreviewColumn>,
    pub mapping: Mapping,
    pub problem_count: usize,
    pub problems: Vec<Problem>,
    pub totals: Totals,
    pub can_commit: bool,
    /// Set when most rows are probably on the list already (the file was imported before):
    /// how many, and the commit is refused.
    #[serde(default)]
    pub already_listed: Option<usize>,
    /// (id, number, name) of the election's polling areas.
    pub areas: Vec<(AreaId, i64, String)>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum PreviewOutcome {
    /// Boxed: a preview is many times the size of a refusal.
    Preview(Box<ImportPreview>),
    Rejected(FileProblem),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VoterListsOverview {
    pub ward: Option<Ward>,
    pub elections: Vec<ElectionSummary>,
    /// Areas of the election selected (the newest when none is).
    pub selected: Option<ElectionId>,
    pub areas: Vec<AreaSummary>,
}

/// A voter's facts as typed in the add and edit forms.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct VoterInput {
    pub full_name: String,
    pub birth_date: String,
    pub gender: String,
    #[serde(default)]
    pub ethnicity: String,
    #[serde(default)]
    pub occupation: String,
    #[serde(default)]
    pub cccd: String,
    #[serde(default)]
    pub permanent_address: String,
    #[serde(default)]
    pub temporary_address: String,
    #[serde(default)]
    pub temporary_since: String,
    #[serde(default)]
    pub notes: String,
}

/// One recorded change of a voter (an amendment, a status change, a check-in or its undo), as
/// the voter page lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryLine {
    pub at_ms: i64,
    /// Who did it (the account's username).
    pub actor: String,
    /// The audited action's code (`voter.edit`); the page shows it in words.
    pub action: String,
    pub before: String,
    pub after: String,
}

/// At most this many voters answer one search (the desk: this many of its own area, then as
/// many of the others).
pub const SEARCH_LIMIT: i64 = 30;

/// Voters per page when an area's list is browsed without typing.
pub const AREA_PAGE_SIZE: i64 = 50;

/// One page of a polling area's list, in card-number order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AreaPage {
    /// 0-based.
    pub page: u32,
    pub voters: Vec<crate::domain::ward::VoterSummary>,
    /// Whether later pages hold more voters.
    pub more: bool,
}
