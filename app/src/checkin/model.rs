//! Election-day types shared by the server and the browser.

use serde::{Deserialize, Serialize};

use crate::domain::checkin::{EarlierCheckIn, Refusal, VotingWindow};
use crate::domain::voter::Levels;
use crate::voters::model::VoterSummary;

/// A polling area the signed-in user may run a desk at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeskArea {
    pub area_id: i64,
    pub election_id: i64,
    pub election_name: String,
    pub number: i64,
    pub name: String,
    pub opens_at: String,
    pub closes_at: String,
    /// Active voters on the list.
    pub voters: i64,
}

/// What the station sends to check a voter in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckInRequest {
    /// Chosen by the browser for each attempt; a retried request returns the first answer.
    pub request_id: String,
    pub area_id: i64,
    pub voter_id: i64,
    /// Ballots taken to the voter with the mobile box (hòm phiếu phụ).
    pub mobile_box: bool,
    /// A manager allows voting outside the area's hours.
    pub hours_override: bool,
}

/// A recorded check-in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Receipt {
    pub check_in_id: i64,
    pub voter_id: i64,
    pub full_name: String,
    pub stt: i64,
    /// Running number in the area ("lượt #N").
    pub number: i64,
    pub levels: Levels,
    pub mobile_box: bool,
    pub at_ms: i64,
    /// Checked in voters of the area / voters on its list, right after this check-in.
    pub area_voted: i64,
    pub area_on_list: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum CheckInOutcome {
    Recorded(Receipt),
    Refused(Refusal),
    /// A retried request whose check-in a manager has undone since: not "recorded", the voter
    /// no longer counts as having voted.
    UndoneSince(UndoneCheckIn),
}

/// A check-in undone after it was recorded, as the desk that asked for it is told.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UndoneCheckIn {
    pub full_name: String,
    /// Its running number in the area ("lượt #N").
    pub number: i64,
    pub checked_in_at_ms: i64,
    /// The display name of the manager who undid it.
    pub undone_by: String,
    pub undone_at_ms: i64,
    pub reason: String,
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
    pub check_in_id: i64,
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
}

/// The station screen of one polling area.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StationView {
    pub area_id: i64,
    pub area_number: i64,
    pub area_name: String,
    pub election_id: i64,
    pub election_name: String,
    pub window: VotingWindow,
    pub voted: i64,
    pub on_list: i64,
    pub log: Vec<LogLine>,
    /// The signed-in user may undo check-ins and allow voting outside the hours.
    pub is_manager: bool,
}

/// Voters on the list and voters checked in, for one ballot level or all of them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Count {
    pub on_list: i64,
    pub voted: i64,
}

impl Count {
    pub fn add(&mut self, other: Count) {
        self.on_list += other.on_list;
        self.voted += other.voted;
    }
}

/// The ballot levels in the order of the forms: Quốc hội, HĐND tỉnh, HĐND xã.
pub const LEVELS_IN_ORDER: [Levels; 3] =
    [Levels::NATIONAL_ASSEMBLY, Levels::PROVINCE, Levels::COMMUNE];

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AreaTurnout {
    pub area_id: i64,
    pub number: i64,
    pub name: String,
    pub levels: Levels,
    /// Every voter of the area.
    pub all: Count,
    /// Per ballot level, in `LEVELS_IN_ORDER`.
    pub per_level: [Count; 3],
    /// (number, time) of the latest check-in.
    pub latest: Option<(i64, i64)>,
}

/// Live turnout of an election: per polling area and for the ward.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Turnout {
    pub election_id: i64,
    pub election_name: String,
    pub levels: Levels,
    pub areas: Vec<AreaTurnout>,
    pub ward: Count,
    pub ward_per_level: [Count; 3],
    pub as_of_ms: i64,
}

impl Turnout {
    /// Sums the areas into the ward's figures.
    pub fn recount_ward(&mut self) {
        self.ward = Count::default();
        self.ward_per_level = [Count::default(); 3];
        for area in &self.areas {
            self.ward.add(area.all);
            for (total, count) in self.ward_per_level.iter_mut().zip(area.per_level) {
                total.add(count);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ward_totals_sum_the_areas() {
        let area = |id, on_list, voted| AreaTurnout {
            area_id: id,
            number: id,
            name: String::new(),
            levels: Levels::ALL,
            all: Count { on_list, voted },
            per_level: [Count { on_list, voted }; 3],
            latest: None,
        };
        let mut turnout = Turnout {
            election_id: 1,
            election_name: String::new(),
            levels: Levels::ALL,
            areas: vec![area(1, 3344, 3311), area(2, 3344, 3311)],
            ward: Count::default(),
            ward_per_level: [Count::default(); 3],
            as_of_ms: 0,
        };
        turnout.recount_ward();
        assert_eq!(
            turnout.ward,
            Count {
                on_list: 6688,
                voted: 6622
            }
        );
        assert_eq!(turnout.ward_per_level[2].voted, 6622);
    }
}
