//! Official turnout reports as the results page and the PDF show them.

use crate::domain::ids::{AreaId, ElectionId};
use serde::{Deserialize, Serialize};

use crate::domain::turnout::Count;
use crate::domain::voter::Levels;

/// The figures of one polling area at a report time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportArea {
    pub area_id: AreaId,
    pub number: i64,
    pub name: String,
    pub all: Count,
    /// Per ballot level, in `LEVELS_IN_ORDER`.
    pub per_level: [Count; 3],
}

/// The turnout frozen at one report time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TurnoutReport {
    /// The report time, "HH:MM".
    pub label: String,
    pub taken_at_ms: i64,
    /// "system" for the automatic snapshots, else the manager's username.
    pub taken_by: String,
    pub areas: Vec<ReportArea>,
    pub ward: Count,
    pub ward_per_level: [Count; 3],
}

/// Everything the report section of `/results` and the report PDF show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportBoard {
    pub election_id: ElectionId,
    pub election_name: String,
    pub levels: Levels,
    /// "15/03/2026".
    pub voting_day: String,
    /// The report times in force, "HH:MM", in order.
    pub times: Vec<String>,
    /// The times were set by a manager (otherwise they are the defaults).
    pub custom_times: bool,
    /// The next report time still to come today.
    pub next: Option<String>,
    /// The snapshots taken, in report-time order (a snapshot stays when its time is removed).
    pub reports: Vec<TurnoutReport>,
}
