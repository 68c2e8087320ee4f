//! Election-day types shared by the server and the browser.

use crate::domain::ids::{AreaId, CheckInId, ElectionId, VoterId};
use serde::{Deserialize, Serialize};

use crate::domain::checkin::{EarlierCheckIn, VotingWindow};
use crate::domain::voter::Levels;
use crate::domain::ward::VoterSummary;

/// A polling area the signed-in user may run a desk at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeskArea {
    pub area_id: AreaId,
    pub election_id: ElectionId,
    pub election_name: String,
    pub number: i64,
    pub name: String,
    pub opens_at: String,
    pub closes_at: String,
    /// Active voters on the list.
    pub voters: i64,
}

/// An area's voting hours as stored ("07:00", "19:00"), the answer to setting them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AreaHours {
    pub opens_at: String,
    pub closes_at: String,
}

/// What the station sends to check a voter in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckInRequest {
    /// Chosen by the browser for each attempt; a retried request returns the first answer.
    pub request_id: String,
    pub area_id: AreaId,
    pub voter_id: VoterId,
    /// Ballots taken to the voter with the mobile box (hòm phiếu phụ).
    pub mobile_box: bool,
    /// A manager allows voting outside the area's hours.
    pub hours_override: bool,
}

/// A voter found at the desk, with what the desk must know before handing out ballots.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeskVoter {
    pub voter: VoterSummary,
    pub checked_in: Option<EarlierCheckIn>,
}

/// A voter the desk's search found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum DeskMatch {
    /// A voter of a polling area the user works at (any area, for an administrator).
    Listed(Box<DeskVoter>),
    /// A voter of a polling area the station does not work at: only what the desk needs to
    /// send the voter there, never the voter's papers, addresses or card code.
    OtherArea(VoterOfOtherArea),
}

/// What a station may know of a voter of another polling area.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VoterOfOtherArea {
    pub full_name: String,
    pub birth_year: i32,
    pub area_number: i64,
}

/// One line of the station's log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogLine {
    pub check_in_id: CheckInId,
    pub number: i64,
    pub stt: i64,
    pub full_name: String,
    pub levels: Levels,
    pub mobile_box: bool,
    pub hours_override: bool,
    pub at_ms: i64,
    pub by: String,
    /// Why it was undone, when it was.
    pub undo_reason: Option<String>,
    /// The signed-in user may undo it: a manager any check-in, a desk its own latest one for
    /// two minutes (as of loading the station).
    pub may_undo: bool,
}

/// The station screen of one polling area.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StationView {
    pub area_id: AreaId,
    pub area_number: i64,
    pub area_name: String,
    pub election_id: ElectionId,
    pub election_name: String,
    pub window: VotingWindow,
    pub voted: i64,
    pub on_list: i64,
    pub log: Vec<LogLine>,
    /// The signed-in user may undo check-ins and allow voting outside the hours.
    pub is_manager: bool,
}
