//! Constituency and result types shared by the server and the browser.

use crate::domain::ids::{AreaId, ConstituencyId, ElectionId};
use serde::{Deserialize, Serialize};

use crate::domain::constituency::RegisterCandidate;
use crate::domain::counting::{BallotLevel, Outcome, Shares, Tally};
use crate::domain::ward::AreaSummary;

/// A constituency with its polling areas and its candidates in the official order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConstituencyRow {
    pub id: ConstituencyId,
    pub level: BallotLevel,
    pub number: i64,
    pub name: String,
    pub seats: i64,
    pub area_ids: Vec<AreaId>,
    pub candidates: Vec<RegisterCandidate>,
}

/// The management page of one election.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegisterPage {
    pub elections: Vec<(ElectionId, String)>,
    pub election_id: Option<ElectionId>,
    /// The levels the election holds, in the order of the forms.
    pub levels: Vec<BallotLevel>,
    pub areas: Vec<AreaSummary>,
    pub constituencies: Vec<ConstituencyRow>,
}

/// A polling area of a constituency and where its counting minutes stand.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AreaResult {
    pub area_id: AreaId,
    pub number: i64,
    pub name: String,
    pub finalised: bool,
}

/// Whether the result can be determined, and what it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Determination {
    /// The constituency has no polling areas yet.
    NoAreas,
    /// Some areas' counting minutes are not finalised: nothing is determined until they are.
    Waiting,
    /// The finalised tallies do not list the same candidates and seats (entered before the
    /// register, or against another list): the result cannot be added up.
    CandidatesDiffer,
    Determined {
        outcome: Outcome,
        shares: Shares,
        /// Seats left empty call for an additional election (bầu cử thêm).
        additional_election: bool,
    },
}

/// The result of one constituency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConstituencyResult {
    pub id: ConstituencyId,
    pub level: BallotLevel,
    pub number: i64,
    pub name: String,
    pub seats: i64,
    pub areas: Vec<AreaResult>,
    /// The finalised tallies added up, once every area is finalised.
    pub total: Option<Tally>,
    pub determination: Determination,
}

impl ConstituencyResult {
    /// The areas whose minutes are not finalised.
    pub fn missing(&self) -> Vec<&AreaResult> {
        self.areas.iter().filter(|a| !a.finalised).collect()
    }
}

/// The results page of one election.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResultsPage {
    pub elections: Vec<(ElectionId, String)>,
    pub election_id: Option<ElectionId>,
    pub constituencies: Vec<ConstituencyResult>,
}
