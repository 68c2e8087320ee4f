//! Counting types shared by the server and the browser, and the reading of the entry form.

use crate::domain::ids::{AreaId, ElectionId};
use serde::{Deserialize, Serialize};

use crate::domain::checkin::ClockTime;
use crate::domain::counting::{
    BallotLevel, Candidate, Difference, Finding, Known, Member, Tally, Witness,
};
use crate::error::{AppError, ErrorCode};

/// Where an area and level stand.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CountingState {
    NotEntered,
    /// One entry made, the second one missing.
    FirstEntry,
    /// Both entries made and they differ: someone must re-enter.
    EntriesDiffer,
    /// Both entries agree: the minutes can be finalised.
    Agreed,
    /// Locked.
    Finalised,
}

/// One line of the overview: a polling area at one ballot level.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OverviewRow {
    pub election_id: ElectionId,
    pub election_name: String,
    pub area_id: AreaId,
    pub area_number: i64,
    pub area_name: String,
    pub level: BallotLevel,
    pub state: CountingState,
}

/// One of the two entries, as the signed-in user may see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntryInfo {
    /// 1 (first entry) or 2 (second entry).
    pub slot: i64,
    pub by: String,
    pub at_ms: i64,
    pub mine: bool,
    /// Hidden from the other person until both entries exist, so the second entry is made
    /// from the paper, not copied from the first.
    pub tally: Option<Tally>,
}

/// The entry page of one polling area and level.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TallyPage {
    pub election_name: String,
    pub area_id: AreaId,
    pub area_number: i64,
    pub area_name: String,
    pub level: BallotLevel,
    /// Voters on the list and check-ins at this level, from cutri's own records.
    pub known: Known,
    pub entries: Vec<EntryInfo>,
    pub state: CountingState,
    /// Field by field, once both entries exist.
    pub differences: Vec<Difference>,
    /// The rules broken by the tally shown (the final one, the agreed one or the user's own).
    pub findings: Vec<Finding>,
    /// (who, when) the minutes were finalised.
    pub finalised: Option<(String, i64)>,
    /// The user may finalise (an election-day manager).
    pub may_finalise: bool,
    /// The constituency of the area at this level, when the register has its candidates: the
    /// seats and candidates then come from it and only the votes are typed.
    pub register: Option<RegisterView>,
}

/// The constituency and official candidate list an entry is made against.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegisterView {
    pub number: i64,
    pub name: String,
    pub seats: i64,
    /// (full name, birth date) in the official order.
    pub candidates: Vec<(String, String)>,
}

impl TallyPage {
    /// The tally the form starts from: the user's own entry, else the agreed or final one.
    pub fn prefill(&self) -> Option<&Tally> {
        self.entries
            .iter()
            .find(|e| e.mine)
            .or_else(|| self.entries.first())
            .and_then(|e| e.tally.as_ref())
    }

    /// The slot the user would fill: their own, else the first free one.
    pub fn my_slot(&self) -> i64 {
        if let Some(entry) = self.entries.iter().find(|e| e.mine) {
            return entry.slot;
        }
        if self.entries.iter().any(|e| e.slot == 1) {
            2
        } else {
            1
        }
    }
}

/// What the form posts. Members and candidates are one per line, fields separated by ";" or a
/// tab (a column pasted from a spreadsheet): "Họ và tên; vai trò" and "Họ và tên; ngày sinh;
/// số phiếu".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TallyForm {
    pub area_id: AreaId,
    pub level: String,
    pub slot: i64,
    /// Absent when the register gives the seats.
    #[serde(default)]
    pub seats: i64,
    pub voters_on_list: i64,
    pub voters_voted: i64,
    pub ballots_issued: i64,
    pub ballots_collected: i64,
    pub ballots_valid: i64,
    pub ballots_invalid: i64,
    #[serde(default)]
    pub members: String,
    #[serde(default)]
    pub witness1_name: String,
    #[serde(default)]
    pub witness1_address: String,
    #[serde(default)]
    pub witness2_name: String,
    #[serde(default)]
    pub witness2_address: String,
    #[serde(default)]
    pub candidates: String,
    /// With a register: the votes of its candidates, in the official order ("3.000" or
    /// "3000"); `candidates` is then ignored.
    #[serde(default)]
    pub votes: Vec<String>,
    #[serde(default)]
    pub incidents: String,
    #[serde(default)]
    pub complaints: String,
    /// "06:45"; empty when not known yet.
    #[serde(default)]
    pub ballot_box_checked_at: String,
    #[serde(default)]
    pub voting_closed_at: String,
}

/// An optional time of the minutes: empty is "not written", anything else must read as one.
fn minutes_time(text: &str) -> Result<Option<ClockTime>, AppError> {
    if text.trim().is_empty() {
        return Ok(None);
    }
    ClockTime::parse(text)
        .map(Some)
        .ok_or_else(|| ErrorCode::CountingTimeInvalid.into())
}

fn fields(line: &str) -> Vec<&str> {
    line.split([';', '\t']).map(str::trim).collect()
}

fn lines(text: &str) -> impl Iterator<Item = &str> {
    text.lines().map(str::trim).filter(|l| !l.is_empty())
}

/// "6.622" or "6622" → 6622: the dot groups thousands in Vietnamese.
fn number(text: &str) -> Option<i64> {
    let digits: String = text.chars().filter(|c| !matches!(c, '.' | ' ')).collect();
    digits.parse().ok()
}

impl TallyForm {
    /// The tally of an entry made against the register: its seats and candidates, the votes
    /// typed beside each one (every candidate needs a number).
    pub fn tally_with(&self, register: &RegisterView) -> Result<Tally, AppError> {
        if self.votes.len() != register.candidates.len() {
            return Err(ErrorCode::CountingInputInvalid.into());
        }
        let mut candidates = Vec::with_capacity(self.votes.len());
        for ((name, birth), votes) in register.candidates.iter().zip(&self.votes) {
            candidates.push(Candidate {
                full_name: name.clone(),
                birth_date: birth.clone(),
                votes: number(votes).ok_or(ErrorCode::CountingInputInvalid)?,
            });
        }
        let mut tally = self.tally_without_candidates()?;
        tally.seats = register.seats;
        tally.candidates = candidates;
        Ok(tally.normalised())
    }

    /// The tally the form describes; a line that cannot be read is refused with its kind.
    pub fn tally(&self) -> Result<Tally, AppError> {
        let bad = || AppError::new(ErrorCode::CountingInputInvalid);
        let candidates = lines(&self.candidates)
            .map(|line| match fields(line).as_slice() {
                [name, birth, votes] => Ok(Candidate {
                    full_name: name.to_string(),
                    birth_date: birth.to_string(),
                    votes: number(votes).ok_or_else(bad)?,
                }),
                _ => Err(bad()),
            })
            .collect::<Result<Vec<_>, _>>()?;
        let mut tally = self.tally_without_candidates()?;
        tally.candidates = candidates;
        Ok(tally.normalised())
    }

    fn tally_without_candidates(&self) -> Result<Tally, AppError> {
        let bad = || AppError::new(ErrorCode::CountingInputInvalid);
        let members = lines(&self.members)
            .map(|line| match fields(line).as_slice() {
                [name, role] => Ok(Member {
                    name: name.to_string(),
                    role: role.to_string(),
                }),
                _ => Err(bad()),
            })
            .collect::<Result<Vec<_>, _>>()?;
        let ballot_box_checked_at = minutes_time(&self.ballot_box_checked_at)?;
        let voting_closed_at = minutes_time(&self.voting_closed_at)?;
        if let (Some(checked), Some(closed)) = (ballot_box_checked_at, voting_closed_at) {
            if checked >= closed {
                return Err(ErrorCode::CountingTimeInvalid.into());
            }
        }
        Ok(Tally {
            members,
            witnesses: [
                Witness {
                    name: self.witness1_name.clone(),
                    address: self.witness1_address.clone(),
                },
                Witness {
                    name: self.witness2_name.clone(),
                    address: self.witness2_address.clone(),
                },
            ],
            seats: self.seats,
            voters_on_list: self.voters_on_list,
            voters_voted: self.voters_voted,
            ballots_issued: self.ballots_issued,
            ballots_collected: self.ballots_collected,
            ballots_valid: self.ballots_valid,
            ballots_invalid: self.ballots_invalid,
            candidates: Vec::new(),
            incidents: self.incidents.clone(),
            complaints: self.complaints.clone(),
            ballot_box_checked_at,
            voting_closed_at,
        })
    }
}

/// The members as the form's text area shows them.
pub fn members_text(tally: &Tally) -> String {
    tally
        .members
        .iter()
        .map(|m| format!("{}; {}", m.name, m.role))
        .collect::<Vec<_>>()
        .join("\n")
}

pub fn candidates_text(tally: &Tally) -> String {
    tally
        .candidates
        .iter()
        .map(|c| format!("{}; {}; {}", c.full_name, c.birth_date, c.votes))
        .collect::<Vec<_>>()
        .join("\n")
}

/// What saving an entry led to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SaveOutcome {
    pub state: CountingState,
    pub findings: Vec<Finding>,
    pub differences: Vec<Difference>,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A form with nothing typed in, for area 1.
    fn blank_form() -> TallyForm {
        TallyForm {
            area_id: AreaId::new(1),
            level: String::new(),
            slot: 0,
            seats: 0,
            voters_on_list: 0,
            voters_voted: 0,
            ballots_issued: 0,
            ballots_collected: 0,
            ballots_valid: 0,
            ballots_invalid: 0,
            members: String::new(),
            witness1_name: String::new(),
            witness1_address: String::new(),
            witness2_name: String::new(),
            witness2_address: String::new(),
            candidates: String::new(),
            votes: Vec::new(),
            incidents: String::new(),
            complaints: String::new(),
            ballot_box_checked_at: String::new(),
            voting_closed_at: String::new(),
        }
    }

    #[test]
    fn the_times_of_the_minutes_are_read_or_left_blank() {
        let blank = blank_form().tally().expect("blank times");
        assert_eq!(
            (blank.ballot_box_checked_at, blank.voting_closed_at),
            (None, None)
        );
        let typed = TallyForm {
            ballot_box_checked_at: "6:45".into(),
            voting_closed_at: "17g30".into(),
            ..blank_form()
        };
        let tally = typed.tally().expect("times");
        assert_eq!(tally.ballot_box_checked_at, ClockTime::new(6, 45));
        assert_eq!(tally.voting_closed_at, ClockTime::new(17, 30));
        for (checked, closed) in [("sáu giờ", ""), ("", "25:00"), ("19:00", "07:00")] {
            let wrong = TallyForm {
                ballot_box_checked_at: checked.into(),
                voting_closed_at: closed.into(),
                ..blank_form()
            };
            assert_eq!(
                wrong.tally().unwrap_err().code,
                ErrorCode::CountingTimeInvalid,
                "{checked} {closed}"
            );
        }
    }

    #[test]
    fn form_lines_become_a_normalised_tally() {
        let form = TallyForm {
            members: "Nguyễn Văn Tổ; Tổ trưởng\n\n Lê Thị Thư\tThư ký ".into(),
            candidates: "Trần Thị Bình; 1980; 1.200\nLê An; 05/1970; 950".into(),
            ..blank_form()
        };
        let tally = form.tally().expect("readable");
        assert_eq!(tally.members.len(), 2);
        assert_eq!(tally.members[1].role, "Thư ký");
        assert_eq!(tally.candidates[0].full_name, "Lê An");
        assert_eq!(tally.candidates[1].votes, 1200);
        assert_eq!(
            candidates_text(&tally),
            "Lê An; 05/1970; 950\nTrần Thị Bình; 1980; 1200"
        );
    }

    #[test]
    fn an_entry_against_the_register_takes_its_seats_and_candidates() {
        let register = RegisterView {
            number: 1,
            name: "Phường Mỹ Thới".into(),
            seats: 2,
            candidates: vec![
                ("Lê An".into(), "05/1970".into()),
                ("Trần Thị Bình".into(), "1980".into()),
            ],
        };
        let form = TallyForm {
            seats: 9,
            candidates: "Ai Đó; 1990; 5".into(),
            votes: vec!["950".into(), "1.200".into()],
            ..blank_form()
        };
        let tally = form.tally_with(&register).expect("readable");
        assert_eq!(tally.seats, 2);
        assert_eq!(
            candidates_text(&tally),
            "Lê An; 05/1970; 950\nTrần Thị Bình; 1980; 1200"
        );
        let short = TallyForm {
            votes: vec!["950".into()],
            ..blank_form()
        };
        assert!(short.tally_with(&register).is_err());
        let blank = TallyForm {
            votes: vec!["950".into(), "".into()],
            ..blank_form()
        };
        assert!(blank.tally_with(&register).is_err());
    }

    #[test]
    fn unreadable_lines_are_refused() {
        let form = TallyForm {
            candidates: "Lê An; 1970; nhiều".into(),
            ..blank_form()
        };
        assert_eq!(
            form.tally().unwrap_err().code,
            ErrorCode::CountingInputInvalid
        );
        let form = TallyForm {
            members: "Lê An".into(),
            ..blank_form()
        };
        assert!(form.tally().is_err());
    }
}
