//! The petitions page's wire types.

use crate::domain::ids::PetitionId;
use serde::{Deserialize, Serialize};

use crate::domain::meeting::{CompetentLevel, OpinionField};
use crate::domain::petition::{
    MergeSuggestion, OfficialAnswer, PetitionSource, PetitionStatus, Round,
};
use crate::domain::voter::Date;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Petition {
    pub id: PetitionId,
    pub field: OpinionField,
    pub competent_level: CompetentLevel,
    pub content: String,
    /// Cơ quan có thẩm quyền; empty until routed.
    pub competent_body: String,
    pub status: PetitionStatus,
    /// The previous round's petition this one carries on.
    pub carried_from_id: Option<PetitionId>,
    pub overdue: bool,
    pub sources: Vec<PetitionSource>,
    /// Oldest first; the last one is the current outcome.
    pub answers: Vec<OfficialAnswer>,
}

/// A round's petitions with what the page and the reports need.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PetitionRound {
    pub round: Round,
    /// Opening and closing days of the session, once entered.
    pub session: Option<(Date, Date)>,
    /// When the round's petitions are due (see `domain::petition::due_date`).
    pub due: Option<Date>,
    /// Not merged away and not carried on; in field order, then id.
    pub petitions: Vec<Petition>,
    pub suggestions: Vec<MergeSuggestion>,
    /// Opinions of the round's meetings not collected yet.
    pub uncollected: i64,
}

/// An official answer as typed, named `answer[…]`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnswerInput {
    /// An `AnswerOutcome` code.
    pub outcome: String,
    pub content: String,
    #[serde(default)]
    pub roadmap: String,
    pub document_number: String,
    /// "05/12/2026".
    pub document_date: String,
    pub signer: String,
    #[serde(default)]
    pub answering_body: String,
}
