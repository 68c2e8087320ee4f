//! The meeting pages' wire types: what a form sends.

use crate::domain::ids::DeputyId;
use serde::{Deserialize, Serialize};

use crate::domain::meeting_record::{Deputy, Venue};
use crate::domain::ward::Ward;

/// A deputy as typed in the form, named `deputy[…]`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeputyInput {
    pub full_name: String,
    /// A `DeputyLevel` code.
    pub level: String,
    #[serde(default)]
    pub position: String,
    #[serde(default)]
    pub constituency: String,
    #[serde(default)]
    pub deputy_group: String,
    #[serde(default)]
    pub contact: String,
}

/// A venue as typed in the form, named `venue[…]`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct VenueInput {
    pub name: String,
    #[serde(default)]
    pub address: String,
    #[serde(default)]
    pub capacity: String,
}

/// A meeting plan as typed in the form, named `meeting[…]`; the deputies are checkboxes
/// `meeting[deputy_ids][i]`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeetingInput {
    pub title: String,
    pub term: String,
    pub session_number: String,
    /// `SessionTiming`, `MeetingKind` and `MeetingFormat` codes.
    pub timing: String,
    pub kind: String,
    pub format: String,
    /// "05/12/2026".
    pub date: String,
    /// "08:00".
    pub starts_at: String,
    pub ends_at: String,
    /// A venue id, or empty for none.
    #[serde(default)]
    pub venue_id: String,
    #[serde(default)]
    pub areas: String,
    #[serde(default)]
    pub chair: String,
    #[serde(default)]
    pub secretary: String,
    #[serde(default)]
    pub invited_count: String,
    #[serde(default)]
    pub notes: String,
    #[serde(default)]
    pub deputy_ids: Vec<DeputyId>,
}

/// What happened at the meeting, named `attendance[…]`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttendanceInput {
    pub present_count: String,
    #[serde(default)]
    pub other_attendees: String,
    #[serde(default)]
    pub content_reported: String,
    /// Clock time the meeting ended, "10:15"; empty when not noted.
    #[serde(default)]
    pub ended_at: String,
}

/// A voter signing in by name, named `attendee[…]`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttendeeInput {
    pub full_name: String,
    #[serde(default)]
    pub address: String,
    /// "nam", "nu" or empty.
    #[serde(default)]
    pub gender: String,
}

/// One opinion or petition, named `opinion[…]`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpinionInput {
    pub speaker: String,
    #[serde(default)]
    pub address: String,
    /// `OpinionField` and `CompetentLevel` codes.
    pub field: String,
    pub content: String,
    pub competent_level: String,
    /// Id of the earlier petition this repeats, or empty.
    #[serde(default)]
    pub repeats_opinion_id: String,
}

/// Deputies and venues, for the management page and the meeting form, with the ward whose kind
/// names its council ("HĐND phường").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Registry {
    pub deputies: Vec<Deputy>,
    pub venues: Vec<Venue>,
    pub ward: Option<Ward>,
}
