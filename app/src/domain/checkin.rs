//! Election-day rules at the polling station: when an area is open for voting, which ballots a
//! voter receives, and why a check-in is refused. Plain functions; the server applies them inside
//! the write transaction that records the check-in.

use crate::domain::ids::{AreaId, CheckInId, VoterId};
use serde::{Deserialize, Serialize};

use crate::domain::format::VietnamTime;
use crate::domain::voter::{Date, Levels};
use crate::domain::ward::{VoterStatus, VoterSummary};

/// A time of day in Vietnam, in minutes after midnight.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct ClockTime(u32);

impl ClockTime {
    /// The law's earliest opening and latest closing (Điều 71: not before 05:00, not after 21:00).
    pub const EARLIEST_OPENING: ClockTime = ClockTime(5 * 60);
    pub const LATEST_CLOSING: ClockTime = ClockTime(21 * 60);
    /// The law's usual hours, 07:00 to 19:00.
    pub const OPENING: ClockTime = ClockTime(7 * 60);
    pub const CLOSING: ClockTime = ClockTime(19 * 60);

    pub fn new(hour: u32, minute: u32) -> Option<ClockTime> {
        (hour < 24 && minute < 60).then_some(ClockTime(hour * 60 + minute))
    }

    /// "07:00", "7:00", "19h30", "19g30".
    pub fn parse(text: &str) -> Option<ClockTime> {
        let text = text.trim();
        let (hour, minute) = text
            .split_once([':', 'h', 'g', 'H', 'G'])
            .unwrap_or((text, "0"));
        let minute = if minute.is_empty() { "0" } else { minute };
        let all_digits = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
        if !all_digits(hour) || !all_digits(minute) || hour.len() > 2 || minute.len() > 2 {
            return None;
        }
        ClockTime::new(hour.parse().ok()?, minute.parse().ok()?)
    }

    pub fn of(time: &VietnamTime) -> ClockTime {
        ClockTime(time.hour * 60 + time.minute)
    }

    /// "07:00".
    pub fn display(self) -> String {
        format!("{:02}:{:02}", self.0 / 60, self.0 % 60)
    }
}

/// When a polling area takes votes: one day, from opening (inclusive) to closing (exclusive).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct VotingWindow {
    pub day: Date,
    pub opens: ClockTime,
    pub closes: ClockTime,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum WindowState {
    NotYetOpen,
    Open,
    Closed,
}

impl VotingWindow {
    /// Hours a Tổ bầu cử may set (Điều 71): voting runs 07:00–19:00; it may start earlier but
    /// not before 05:00, and end later but not after 21:00. It never ends before 19:00, even
    /// when everyone listed has voted: guidance says voting is not declared over before its
    /// time (docs/domain.md §1.3.5).
    pub fn hours_are_lawful(opens: ClockTime, closes: ClockTime) -> bool {
        (ClockTime::EARLIEST_OPENING..=ClockTime::OPENING).contains(&opens)
            && (ClockTime::CLOSING..=ClockTime::LATEST_CLOSING).contains(&closes)
    }

    pub fn state_at(&self, now: &VietnamTime) -> WindowState {
        let today = (now.year, now.month, now.day);
        let voting_day = (self.day.year, self.day.month, self.day.day);
        let clock = ClockTime::of(now);
        if today < voting_day || (today == voting_day && clock < self.opens) {
            WindowState::NotYetOpen
        } else if today > voting_day || clock >= self.closes {
            WindowState::Closed
        } else {
            WindowState::Open
        }
    }
}

/// What the desk knows about the voter in front of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VoterAtDesk {
    pub status: VoterStatus,
    pub status_reason: String,
    pub certificate_no: String,
    pub area_id: AreaId,
    pub area_number: i64,
    pub area_name: String,
    /// Ballots the voter is entitled to.
    pub levels: Levels,
}

/// The voter's check-in that still counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EarlierCheckIn {
    pub number: i64,
    pub at_ms: i64,
    pub area_number: i64,
    pub by: String,
}

/// Why the desk must not hand out ballots. Each carries what the staff needs to explain it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Refusal {
    AlreadyCheckedIn(EarlierCheckIn),
    Removed {
        reason: String,
    },
    VotingElsewhere {
        certificate_no: String,
    },
    OtherArea {
        area_number: i64,
        area_name: String,
    },
    OutsideHours {
        state: WindowState,
        window: VotingWindow,
    },
    /// Entitled to no ballot this polling area issues.
    NoBallots,
}

/// The desk's request, as the rules see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DeskRequest {
    pub station_area_id: AreaId,
    /// A manager allowed voting outside the area's hours (recorded and audited).
    pub hours_override: bool,
}

/// The ballots to issue, or why not. Order matters: an earlier check-in is the most useful thing
/// to tell the desk, then the place, then the list status, then the time. The place comes
/// before the list status because the status's details (why a voter was removed, the number of
/// a certificate to vote elsewhere) are for the voter's own area: another area's desk only
/// sends the voter there.
pub fn decide(
    voter: &VoterAtDesk,
    earlier: Option<EarlierCheckIn>,
    request: DeskRequest,
    area_levels: Levels,
    window: VotingWindow,
    now: &VietnamTime,
) -> Result<Levels, Refusal> {
    if let Some(earlier) = earlier {
        return Err(Refusal::AlreadyCheckedIn(earlier));
    }
    if voter.area_id != request.station_area_id {
        return Err(Refusal::OtherArea {
            area_number: voter.area_number,
            area_name: voter.area_name.clone(),
        });
    }
    match voter.status {
        VoterStatus::Removed => {
            return Err(Refusal::Removed {
                reason: voter.status_reason.clone(),
            })
        }
        VoterStatus::Elsewhere => {
            return Err(Refusal::VotingElsewhere {
                certificate_no: voter.certificate_no.clone(),
            })
        }
        VoterStatus::Active => {}
    }
    let state = window.state_at(now);
    if state != WindowState::Open && !request.hours_override {
        return Err(Refusal::OutsideHours { state, window });
    }
    let ballots = voter.levels.intersect(area_levels);
    if ballots == Levels::NONE {
        return Err(Refusal::NoBallots);
    }
    Ok(ballots)
}

/// The refusals the desk can tell from the search result alone, before anyone confirms: an
/// earlier check-in, a voter removed from the list or voting elsewhere. The hours and the
/// area's ballots depend on the moment and the station; `decide` settles everything again when
/// the check-in is sent.
pub fn refusal_seen_in_search(
    voter: &VoterSummary,
    earlier: Option<&EarlierCheckIn>,
) -> Option<Refusal> {
    if let Some(earlier) = earlier {
        return Some(Refusal::AlreadyCheckedIn(earlier.clone()));
    }
    match voter.status {
        VoterStatus::Removed => Some(Refusal::Removed {
            reason: voter.status_reason.clone(),
        }),
        VoterStatus::Elsewhere => Some(Refusal::VotingElsewhere {
            certificate_no: voter.certificate_no.clone(),
        }),
        VoterStatus::Active => None,
    }
}

/// How long a desk may take back its own check-in: long enough to notice the wrong line was
/// confirmed while the voter is still at the table, short enough that anything later goes to
/// a manager.
pub const OWN_UNDO_WINDOW_MS: i64 = 2 * 60_000;

/// Whether the desk that made a check-in may undo it itself: only its latest one (`latest`:
/// the id of the newest check-in this user made at the area) and only within the window.
pub fn desk_may_undo_own(
    check_in_id: CheckInId,
    made_at_ms: i64,
    latest: Option<CheckInId>,
    now_ms: i64,
) -> bool {
    latest == Some(check_in_id) && (0..=OWN_UNDO_WINDOW_MS).contains(&(now_ms - made_at_ms))
}

/// A recorded check-in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Receipt {
    pub check_in_id: CheckInId,
    pub voter_id: VoterId,
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

#[cfg(test)]
mod tests {
    use super::*;

    fn listed(status: VoterStatus) -> VoterSummary {
        VoterSummary {
            id: VoterId::new(7),
            area_id: AreaId::new(1),
            area_number: 1,
            stt: 7,
            full_name: "Lê Văn Đức".into(),
            birth: crate::domain::voter::BirthDate::Year(1962),
            gender: crate::domain::voter::Gender::Male,
            cccd: None,
            permanent_address: String::new(),
            temporary_address: String::new(),
            temporary_since: None,
            levels: Levels::ALL,
            status,
            status_reason: "Chuyển đi nơi khác".into(),
            certificate_no: "12/GCN".into(),
            notes: String::new(),
            household_id: None,
            is_head: false,
            ethnicity: String::new(),
            occupation: String::new(),
            card_code: "card".into(),
        }
    }

    #[test]
    fn a_desk_undoes_only_its_latest_check_in_and_only_for_two_minutes() {
        let (latest, older) = (CheckInId::new(9), CheckInId::new(8));
        let made = 1_000_000;
        assert!(desk_may_undo_own(
            latest,
            made,
            Some(latest),
            made + 119_000
        ));
        assert!(desk_may_undo_own(
            latest,
            made,
            Some(latest),
            made + OWN_UNDO_WINDOW_MS
        ));
        assert!(!desk_may_undo_own(
            latest,
            made,
            Some(latest),
            made + OWN_UNDO_WINDOW_MS + 1
        ));
        assert!(!desk_may_undo_own(older, made, Some(latest), made + 1_000));
        assert!(
            !desk_may_undo_own(latest, made, None, made + 1_000),
            "someone else's"
        );
    }

    #[test]
    fn the_desk_refuses_from_the_search_what_the_search_already_shows() {
        let earlier = EarlierCheckIn {
            number: 3,
            at_ms: 0,
            area_number: 1,
            by: "Tổ bầu cử số 1".into(),
        };
        let active = listed(VoterStatus::Active);
        assert_eq!(refusal_seen_in_search(&active, None), None);
        assert_eq!(
            refusal_seen_in_search(&active, Some(&earlier)),
            Some(Refusal::AlreadyCheckedIn(earlier.clone()))
        );
        assert_eq!(
            refusal_seen_in_search(&listed(VoterStatus::Removed), None),
            Some(Refusal::Removed {
                reason: "Chuyển đi nơi khác".into()
            })
        );
        assert_eq!(
            refusal_seen_in_search(&listed(VoterStatus::Elsewhere), None),
            Some(Refusal::VotingElsewhere {
                certificate_no: "12/GCN".into()
            })
        );
    }

    fn at(day: u32, hour: u32, minute: u32) -> VietnamTime {
        VietnamTime {
            year: 2026,
            month: 3,
            day,
            hour,
            minute,
            second: 0,
        }
    }

    fn window() -> VotingWindow {
        VotingWindow {
            day: Date::new(2026, 3, 15).unwrap(),
            opens: ClockTime::new(7, 0).unwrap(),
            closes: ClockTime::new(19, 0).unwrap(),
        }
    }

    fn voter() -> VoterAtDesk {
        VoterAtDesk {
            status: VoterStatus::Active,
            status_reason: String::new(),
            certificate_no: String::new(),
            area_id: AreaId::new(10),
            area_number: 3,
            area_name: "Khóm Thới An".into(),
            levels: Levels::ALL,
        }
    }

    fn desk() -> DeskRequest {
        DeskRequest {
            station_area_id: AreaId::new(10),
            hours_override: false,
        }
    }

    #[test]
    fn clock_times_parse_as_offices_write_them() {
        assert_eq!(ClockTime::parse("07:00"), ClockTime::new(7, 0));
        assert_eq!(ClockTime::parse("7:05"), ClockTime::new(7, 5));
        assert_eq!(ClockTime::parse("19h30"), ClockTime::new(19, 30));
        assert_eq!(ClockTime::parse("19g"), ClockTime::new(19, 0));
        assert_eq!(ClockTime::parse("19"), ClockTime::new(19, 0));
        assert_eq!(ClockTime::parse("24:00"), None);
        assert_eq!(ClockTime::parse("7:60"), None);
        assert_eq!(ClockTime::parse("7:-1"), None);
        assert_eq!(ClockTime::parse(""), None);
        assert_eq!(ClockTime::new(7, 0).unwrap().display(), "07:00");
    }

    #[test]
    fn lawful_hours_start_by_seven_and_end_from_nineteen() {
        let t = |h, m| ClockTime::new(h, m).unwrap();
        assert!(VotingWindow::hours_are_lawful(t(7, 0), t(19, 0)));
        assert!(VotingWindow::hours_are_lawful(t(5, 0), t(21, 0)));
        assert!(VotingWindow::hours_are_lawful(t(6, 30), t(20, 15)));
        assert!(!VotingWindow::hours_are_lawful(t(4, 59), t(19, 0)));
        assert!(!VotingWindow::hours_are_lawful(t(7, 0), t(21, 1)));
        assert!(!VotingWindow::hours_are_lawful(t(19, 0), t(7, 0)));
        assert!(
            !VotingWindow::hours_are_lawful(t(7, 1), t(19, 0)),
            "a later start"
        );
        assert!(
            !VotingWindow::hours_are_lawful(t(7, 0), t(17, 0)),
            "closing early"
        );
    }

    #[test]
    fn the_window_opens_at_opening_and_closes_at_closing() {
        let w = window();
        assert_eq!(w.state_at(&at(15, 6, 59)), WindowState::NotYetOpen);
        assert_eq!(w.state_at(&at(15, 7, 0)), WindowState::Open);
        assert_eq!(w.state_at(&at(15, 18, 59)), WindowState::Open);
        assert_eq!(w.state_at(&at(15, 19, 0)), WindowState::Closed);
        assert_eq!(w.state_at(&at(14, 12, 0)), WindowState::NotYetOpen);
        assert_eq!(w.state_at(&at(16, 8, 0)), WindowState::Closed);
        let next_year = VietnamTime {
            year: 2027,
            month: 1,
            day: 1,
            hour: 8,
            minute: 0,
            second: 0,
        };
        assert_eq!(w.state_at(&next_year), WindowState::Closed);
    }

    #[test]
    fn an_entitled_voter_receives_the_ballots_the_area_issues() {
        let mut temporary = voter();
        temporary.levels = Levels(Levels::NATIONAL_ASSEMBLY.0 | Levels::PROVINCE.0);
        assert_eq!(
            decide(&voter(), None, desk(), Levels::ALL, window(), &at(15, 8, 0)),
            Ok(Levels::ALL)
        );
        assert_eq!(
            decide(
                &temporary,
                None,
                desk(),
                Levels::ALL,
                window(),
                &at(15, 8, 0)
            ),
            Ok(Levels(3))
        );
        assert_eq!(
            decide(&voter(), None, desk(), Levels(1), window(), &at(15, 8, 0)),
            Ok(Levels(1))
        );
        let mut none = voter();
        none.levels = Levels::COMMUNE;
        assert_eq!(
            decide(&none, None, desk(), Levels(3), window(), &at(15, 8, 0)),
            Err(Refusal::NoBallots)
        );
    }

    #[test]
    fn an_earlier_check_in_is_reported_before_anything_else() {
        let earlier = EarlierCheckIn {
            number: 41,
            at_ms: 1,
            area_number: 3,
            by: "to3".into(),
        };
        let mut removed = voter();
        removed.status = VoterStatus::Removed;
        assert_eq!(
            decide(
                &removed,
                Some(earlier.clone()),
                desk(),
                Levels::ALL,
                window(),
                &at(16, 8, 0)
            ),
            Err(Refusal::AlreadyCheckedIn(earlier))
        );
    }

    #[test]
    fn place_list_status_and_time_refuse_in_that_order() {
        let now = at(15, 8, 0);
        let mut removed = voter();
        removed.status = VoterStatus::Removed;
        removed.status_reason = "Chuyển đi".into();
        assert_eq!(
            decide(&removed, None, desk(), Levels::ALL, window(), &now),
            Err(Refusal::Removed {
                reason: "Chuyển đi".into()
            })
        );
        removed.area_id = AreaId::new(99);
        assert_eq!(
            decide(&removed, None, desk(), Levels::ALL, window(), &now),
            Err(Refusal::OtherArea {
                area_number: 3,
                area_name: "Khóm Thới An".into()
            }),
            "another area's desk learns nothing of the voter's list status"
        );
        let mut elsewhere = voter();
        elsewhere.status = VoterStatus::Elsewhere;
        elsewhere.certificate_no = "12/GCN".into();
        assert_eq!(
            decide(&elsewhere, None, desk(), Levels::ALL, window(), &now),
            Err(Refusal::VotingElsewhere {
                certificate_no: "12/GCN".into()
            })
        );
        let other_desk = DeskRequest {
            station_area_id: AreaId::new(11),
            hours_override: false,
        };
        assert_eq!(
            decide(
                &voter(),
                None,
                other_desk,
                Levels::ALL,
                window(),
                &at(16, 8, 0)
            ),
            Err(Refusal::OtherArea {
                area_number: 3,
                area_name: "Khóm Thới An".into()
            })
        );
        assert_eq!(
            decide(
                &voter(),
                None,
                desk(),
                Levels::ALL,
                window(),
                &at(15, 19, 0)
            ),
            Err(Refusal::OutsideHours {
                state: WindowState::Closed,
                window: window()
            })
        );
    }

    #[test]
    fn a_manager_override_admits_outside_hours_only() {
        let override_desk = DeskRequest {
            station_area_id: AreaId::new(10),
            hours_override: true,
        };
        assert_eq!(
            decide(
                &voter(),
                None,
                override_desk,
                Levels::ALL,
                window(),
                &at(15, 19, 30)
            ),
            Ok(Levels::ALL)
        );
        let mut removed = voter();
        removed.status = VoterStatus::Removed;
        assert!(matches!(
            decide(
                &removed,
                None,
                override_desk,
                Levels::ALL,
                window(),
                &at(15, 8, 0)
            ),
            Err(Refusal::Removed { .. })
        ));
    }
}
