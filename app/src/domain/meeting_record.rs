//! Meeting types shared by the server and the browser.

use crate::domain::ids::{AttendeeId, DeputyId, MeetingId, OpinionId, VenueId};
use serde::{Deserialize, Serialize};

use crate::domain::voter::Gender;

use crate::domain::meeting::{
    body_with_term, CompetentLevel, DeputyLevel, Interval, MeetingFormat, MeetingKind,
    MeetingStatus, OpinionField, SessionTiming,
};
use crate::domain::ward::Ward;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deputy {
    pub id: DeputyId,
    pub full_name: String,
    pub level: DeputyLevel,
    pub position: String,
    /// Đơn vị bầu cử.
    pub constituency: String,
    /// Tổ đại biểu.
    pub deputy_group: String,
    pub contact: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Venue {
    pub id: VenueId,
    pub name: String,
    pub address: String,
    /// Seats; 0 when unknown.
    pub capacity: i64,
}

/// A meeting's plan, attendance and state (without what was said).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meeting {
    pub id: MeetingId,
    pub title: String,
    /// Khóa, e.g. "XVI".
    pub term: String,
    pub session_number: i64,
    pub timing: SessionTiming,
    pub kind: MeetingKind,
    pub format: MeetingFormat,
    pub span: Interval,
    pub venue: Option<Venue>,
    /// Khóm/ấp/tổ dân phố invited.
    pub areas: String,
    pub chair: String,
    pub secretary: String,
    pub invited_count: i64,
    /// `None` until attendance is recorded.
    pub present_count: Option<i64>,
    pub other_attendees: String,
    pub content_reported: String,
    pub ended_at_ms: Option<i64>,
    pub notes: String,
    pub status: MeetingStatus,
    pub finalised_at_ms: Option<i64>,
    pub finalised_by: Option<String>,
    /// Set when the meeting was called off; it stays listed as "Đã hủy".
    #[serde(default)]
    pub cancellation: Option<Cancellation>,
    /// Why the finalised minutes were reopened, while a correction is open.
    #[serde(default)]
    pub correction_reason: Option<String>,
    pub deputies: Vec<Deputy>,
}

impl Meeting {
    /// The councils of the deputies attending, in the order joint meetings are held
    /// (Quốc hội, HĐND tỉnh, HĐND xã).
    pub fn levels(&self) -> Vec<DeputyLevel> {
        DeputyLevel::ALL
            .iter()
            .copied()
            .filter(|level| self.deputies.iter().any(|d| d.level == *level))
            .collect()
    }

    /// "trước kỳ họp thứ 2, Quốc hội khóa XVI và HĐND phường Mỹ Thới nhiệm kỳ 2026–2031": the
    /// session the meeting prepares or reports on, each body with its own term.
    pub fn session_title(&self, ward: Option<&Ward>) -> String {
        let bodies = self
            .levels()
            .into_iter()
            .map(|level| body_with_term(level, ward, &self.term))
            .collect::<Vec<_>>();
        let bodies = if bodies.is_empty() {
            format!("khóa {}", self.term)
        } else {
            bodies.join(" và ")
        };
        format!(
            "{} kỳ họp thứ {}, {bodies}",
            self.timing.vi(),
            self.session_number
        )
    }

    /// "đại biểu Quốc hội khóa XVI và đại biểu HĐND tỉnh An Giang nhiệm kỳ 2026–2031 trước kỳ
    /// họp thứ 2": whose meeting with the voters it is, and for which session.
    pub fn purpose(&self, ward: Option<&Ward>) -> String {
        let deputies = self
            .levels()
            .into_iter()
            .map(|level| format!("đại biểu {}", body_with_term(level, ward, &self.term)))
            .collect::<Vec<_>>()
            .join(" và ");
        format!(
            "{deputies} {} kỳ họp thứ {}",
            self.timing.vi(),
            self.session_number
        )
    }
}

/// Who cancelled a meeting, when and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cancellation {
    pub at_ms: i64,
    pub by: String,
    pub reason: String,
}

/// An earlier petition that an opinion repeats.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpinionRef {
    pub opinion_id: OpinionId,
    pub meeting_id: MeetingId,
    pub meeting_title: String,
    pub meeting_start_ms: i64,
    pub number: i64,
    pub content: String,
}

/// One numbered opinion or petition (ý kiến, kiến nghị) of a meeting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Opinion {
    pub id: OpinionId,
    pub number: i64,
    pub speaker: String,
    pub address: String,
    pub field: OpinionField,
    pub content: String,
    pub competent_level: CompetentLevel,
    pub repeats: Option<OpinionRef>,
}

/// A voter who signed in by name at the meeting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attendee {
    pub id: AttendeeId,
    pub full_name: String,
    /// Khóm/tổ dân phố; empty when not given.
    pub address: String,
    pub gender: Option<Gender>,
}

/// An answer given at the meeting (giải trình, tiếp thu) to one opinion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Answer {
    pub id: i64,
    pub opinion_id: OpinionId,
    pub answered_by: String,
    pub content: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeetingDetail {
    pub meeting: Meeting,
    pub opinions: Vec<Opinion>,
    pub answers: Vec<Answer>,
    /// Voters who signed in by name, in the order they signed.
    #[serde(default)]
    pub attendees: Vec<Attendee>,
    /// Opinions of earlier meetings, newest first, that a new opinion may repeat.
    pub earlier_opinions: Vec<OpinionRef>,
    /// The finalised versions of the minutes, oldest first.
    #[serde(default)]
    pub versions: Vec<MinutesVersion>,
    /// The ward, whose kind names its council ("HĐND phường"); `None` until it is set up.
    #[serde(default)]
    pub ward: Option<Ward>,
}

/// One finalisation of the minutes: version 1 is the first, each correction adds one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MinutesVersion {
    pub version: i64,
    /// Why the minutes were corrected; empty for version 1.
    pub reason: String,
    pub created_by: String,
    pub created_at_ms: i64,
}

/// What a version of the minutes keeps: the record exactly as it was finalised.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MinutesRecord {
    pub meeting: Meeting,
    pub opinions: Vec<Opinion>,
    pub answers: Vec<Answer>,
    /// Empty in versions kept before sign-ins were recorded.
    #[serde(default)]
    pub attendees: Vec<Attendee>,
}

/// Which meetings a list shows; empty fields do not filter.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeetingFilter {
    pub deputy_id: Option<DeputyId>,
    /// Part of the invited areas, compared without diacritics.
    pub area: String,
    pub term: String,
    pub session_number: Option<i64>,
    /// Only meetings overlapping `[from_ms, to_ms)` when both are given.
    pub from_ms: Option<i64>,
    pub to_ms: Option<i64>,
}
