//! The ward's elections, polling areas and voters as storage returns them, shared by the server
//! and the browser.

use crate::domain::ids::{AreaId, ElectionId, HouseholdId, VoterId};
use serde::{Deserialize, Serialize};

use super::voter::{BirthDate, Cccd, Date, Gender, Levels};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ward {
    pub name: String,
    pub province: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ElectionSummary {
    pub id: ElectionId,
    pub name: String,
    pub election_day: Date,
    pub levels: Levels,
    /// The day the list was posted (niêm yết); complaints run for 30 days from it.
    pub posted_on: Option<Date>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AreaSummary {
    pub id: AreaId,
    pub election_id: ElectionId,
    pub number: i64,
    pub name: String,
    pub address: String,
    pub opens_at: String,
    pub closes_at: String,
    pub levels: Levels,
    /// Active voters on the list.
    pub voters: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum VoterStatus {
    Active,
    /// Removed from the list, with the reason.
    Removed,
    /// "Bỏ phiếu ở nơi khác": holds a certificate to vote elsewhere.
    Elsewhere,
}

impl VoterStatus {
    pub fn code(self) -> &'static str {
        match self {
            VoterStatus::Active => "active",
            VoterStatus::Removed => "removed",
            VoterStatus::Elsewhere => "elsewhere",
        }
    }

    pub fn from_code(code: &str) -> Option<VoterStatus> {
        [
            VoterStatus::Active,
            VoterStatus::Removed,
            VoterStatus::Elsewhere,
        ]
        .into_iter()
        .find(|s| s.code() == code)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VoterSummary {
    pub id: VoterId,
    pub area_id: AreaId,
    pub area_number: i64,
    pub stt: i64,
    pub full_name: String,
    pub birth: BirthDate,
    pub gender: Gender,
    pub cccd: Option<Cccd>,
    pub permanent_address: String,
    pub temporary_address: String,
    /// Start of temporary residence; decides the ballot levels.
    pub temporary_since: Option<Date>,
    pub levels: Levels,
    pub status: VoterStatus,
    pub status_reason: String,
    pub certificate_no: String,
    pub notes: String,
    pub household_id: Option<HouseholdId>,
    pub is_head: bool,
    pub ethnicity: String,
    pub occupation: String,
    /// Random code printed as QR on the voter card; identifies the voter without the CCCD.
    pub card_code: String,
}

impl VoterSummary {
    /// The address shown in search results: where the voter is listed from.
    pub fn address(&self) -> &str {
        if self.permanent_address.is_empty() {
            &self.temporary_address
        } else {
            &self.permanent_address
        }
    }
}
