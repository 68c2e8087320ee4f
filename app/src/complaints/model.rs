//! Wire types of the complaints pages.

use crate::domain::ids::{ComplaintId, ElectionId, VoterId};
use serde::{Deserialize, Serialize};

use crate::domain::voter::Date;
use crate::domain::ward::ElectionSummary;

/// The voter a complaint is about, as the register shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkedVoter {
    pub id: VoterId,
    pub full_name: String,
    pub area_number: i64,
    pub stt: i64,
}

/// One entry of the register, with its deadline and whether it is overdue today.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Complaint {
    pub id: ComplaintId,
    pub election_id: ElectionId,
    pub voter: Option<LinkedVoter>,
    pub complainant: String,
    pub received_on: Date,
    pub content: String,
    pub deadline: Date,
    pub resolution: String,
    pub resolved_on: Option<Date>,
    pub overdue: bool,
    /// Received after the 30 days the posted list was open to complaints.
    pub late: bool,
    pub created_by: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComplaintRegister {
    pub elections: Vec<ElectionSummary>,
    /// The election shown (the newest when none was asked for).
    pub selected: Option<ElectionId>,
    /// In the order they were entered in the register.
    pub complaints: Vec<Complaint>,
    /// Today in Vietnam: the default for new dates and the day "overdue" was decided on.
    pub today: Date,
}
