//! The voter-list pages' wire types.

use crate::domain::ids::{AreaId, ElectionId};
use serde::{Deserialize, Serialize};

use crate::domain::list_update::ListUpdate;
use crate::domain::ward::{AreaSummary, ElectionSummary, Ward};
use crate::import::columns::{Field, Mapping};
use crate::import::rows::{Problem, ProblemCount, SttRenumbering, Totals};
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

impl ImportRequest {
    /// The request a query string describes (the preview page's, and the full problem list's,
    /// which carries the same): `token`, `election`, `area`, `encoding`, `sheet`, and `c<i>` =
    /// the field code of file column i, kept only when made for the sheet read (`mapped_sheet`).
    pub fn from_query(get: impl Fn(&str) -> Option<String>) -> ImportRequest {
        let mut mapping = Mapping::default();
        let mut mapped = false;
        for index in 0..200usize {
            if let Some(code) = get(&format!("c{index}")) {
                mapped = true;
                if let Some(field) = Field::parse(&code) {
                    mapping.set(field, Some(index));
                }
            }
        }
        // A mapping made for one sheet means nothing for another: choosing a sheet starts over.
        let sheet = get("sheet").filter(|v| !v.is_empty());
        let same_sheet = get("mapped_sheet").filter(|v| !v.is_empty()) == sheet;
        ImportRequest {
            token: get("token").unwrap_or_default(),
            election_id: get("election")
                .and_then(|v| v.parse().ok())
                .unwrap_or(ElectionId::UNKNOWN),
            default_area: get("area").and_then(|v| v.parse().ok()),
            encoding: get("encoding").filter(|v| !v.is_empty()),
            sheet: sheet.and_then(|v| v.parse().ok()),
            mapping: (mapped && same_sheet).then_some(mapping),
        }
    }

    /// The query string `from_query` reads back as this request.
    pub fn query(&self) -> String {
        let mut pairs = vec![
            ("token".to_string(), self.token.clone()),
            ("election".to_string(), self.election_id.to_string()),
            (
                "area".to_string(),
                self.default_area.map(|a| a.to_string()).unwrap_or_default(),
            ),
        ];
        if let Some(encoding) = &self.encoding {
            pairs.push(("encoding".to_string(), encoding.clone()));
        }
        let sheet = self.sheet.map(|s| s.to_string()).unwrap_or_default();
        if self.sheet.is_some() {
            pairs.push(("sheet".to_string(), sheet.clone()));
        }
        if let Some(mapping) = &self.mapping {
            pairs.push(("mapped_sheet".to_string(), sheet));
            for (field, column) in &mapping.columns {
                pairs.push((format!("c{column}"), field.code().to_string()));
            }
        }
        pairs
            .into_iter()
            .map(|(key, value)| format!("{key}={}", crate::ui::widgets::encode_query_value(&value)))
            .collect::<Vec<_>>()
            .join("&")
    }
}

/// How a file joins the election's list.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum ImportMode {
    /// Every voter of the file is added (a first list, or another area's).
    #[default]
    All,
    /// The file is an updated copy of the list: only its people not yet listed are added;
    /// those listed with other facts are shown, for the amendment form.
    OnlyNew,
}

impl ImportMode {
    /// The preview page's `mode` query value.
    pub fn from_query(value: Option<&str>) -> ImportMode {
        match value {
            Some("new") => ImportMode::OnlyNew,
            _ => ImportMode::All,
        }
    }

    pub fn query_value(self) -> &'static str {
        match self {
            ImportMode::All => "all",
            ImportMode::OnlyNew => "new",
        }
    }
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
    /// Errors first, then warnings, each in file order; at most `Problems::SHOWN`.
    pub problems: Vec<Problem>,
    /// How many problems of each kind (all of them, not only those shown): errors first.
    #[serde(default)]
    pub problems_by_kind: Vec<ProblemCount>,
    /// Rows below the header that are voters (with or without problems).
    #[serde(default)]
    pub voter_rows: usize,
    /// Rows whose STT repeats or goes back within their area, so they are numbered otherwise.
    #[serde(default)]
    pub renumbered: SttRenumbering,
    pub totals: Totals,
    pub can_commit: bool,
    /// Set when most voter rows are probably on the list already (the file was imported
    /// before): how many (of `voter_rows`), and the commit is refused.
    #[serde(default)]
    pub already_listed: Option<usize>,
    /// (id, number, name) of the election's polling areas.
    pub areas: Vec<(AreaId, i64, String)>,
    /// In `ImportMode::OnlyNew`: the file against the list (new, changed, the same).
    #[serde(default)]
    pub update: Option<ListUpdate>,
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads a query string as the router and axum's `Query` do: split, percent-decoded.
    fn read(query: &str) -> ImportRequest {
        let pairs: Vec<(String, String)> = query
            .split('&')
            .filter_map(|pair| pair.split_once('='))
            .map(|(key, value)| {
                let bytes = value.as_bytes();
                let mut decoded = Vec::new();
                let mut index = 0;
                while index < bytes.len() {
                    if bytes[index] == b'%' {
                        let hex = std::str::from_utf8(&bytes[index + 1..index + 3]).expect("hex");
                        decoded.push(u8::from_str_radix(hex, 16).expect("hex"));
                        index += 3;
                    } else {
                        decoded.push(bytes[index]);
                        index += 1;
                    }
                }
                (key.to_string(), String::from_utf8(decoded).expect("UTF-8"))
            })
            .collect();
        ImportRequest::from_query(|key| {
            pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone())
        })
    }

    #[test]
    fn a_request_survives_its_query_string() {
        let mut mapping = Mapping::default();
        mapping.set(Field::FullName, Some(2));
        mapping.set(Field::BirthDate, Some(0));
        let request = ImportRequest {
            token: "a b&c".into(),
            election_id: ElectionId::new(7),
            default_area: Some(AreaId::new(3)),
            encoding: Some("tcvn3".into()),
            sheet: Some(1),
            mapping: Some(mapping),
        };
        assert_eq!(read(&request.query()), request);
        let plain = ImportRequest {
            default_area: None,
            encoding: None,
            sheet: None,
            mapping: None,
            ..request
        };
        assert_eq!(read(&plain.query()), plain);
    }
}
