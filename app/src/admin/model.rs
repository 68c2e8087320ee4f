//! Wire types of the admin pages.

use crate::domain::ids::{AreaId, UserId};
use serde::{Deserialize, Serialize};

use crate::domain::backup::BackupFile;
use crate::domain::role::Role;

/// An account as the administrator sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserRow {
    pub id: UserId,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub disabled: bool,
    pub created_at_ms: i64,
    /// Polling areas a station user works at.
    pub area_ids: Vec<AreaId>,
}

#[cfg(feature = "ssr")]
impl From<&crate::storage::users::UserRecord> for UserRow {
    fn from(record: &crate::storage::users::UserRecord) -> UserRow {
        UserRow {
            id: record.id,
            username: record.username.clone(),
            display_name: record.display_name.clone(),
            role: record.role,
            disabled: record.disabled,
            created_at_ms: record.created_at_ms,
            area_ids: Vec::new(),
        }
    }
}

/// One step of getting a ward ready for election day, in the order they are done.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PreparationStep {
    Ward,
    Election,
    PollingAreas,
    VoterList,
    Posting,
    StationAccounts,
}

/// How far the ward has come in preparing its newest election.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PreparationStatus {
    pub ward: Option<crate::domain::ward::Ward>,
    pub election: Option<crate::domain::ward::ElectionSummary>,
    pub polling_areas: i64,
    /// Active voters on the newest election's list.
    pub voters: i64,
    pub station_accounts: i64,
}

impl PreparationStatus {
    /// Every step with whether it is done.
    pub fn steps(&self) -> [(PreparationStep, bool); 6] {
        let posted = self
            .election
            .as_ref()
            .is_some_and(|e| e.posted_on.is_some());
        [
            (PreparationStep::Ward, self.ward.is_some()),
            (PreparationStep::Election, self.election.is_some()),
            (PreparationStep::PollingAreas, self.polling_areas > 0),
            (PreparationStep::VoterList, self.voters > 0),
            (PreparationStep::Posting, posted),
            (PreparationStep::StationAccounts, self.station_accounts > 0),
        ]
    }

    /// The first step not yet done; None when the ward is ready.
    pub fn next_step(&self) -> Option<PreparationStep> {
        self.steps()
            .into_iter()
            .find(|(_, done)| !done)
            .map(|(step, _)| step)
    }
}

/// A sign-in counter that is locked now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginLockRow {
    pub username: String,
    /// The source address; None when the username is locked from every address.
    pub client: Option<String>,
    pub attempts: i64,
    pub locked_until_ms: i64,
}

/// One audit record as shown on the audit page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRow {
    pub seq: i64,
    pub at_ms: i64,
    pub actor: String,
    pub action: String,
    pub entity: String,
    pub before: String,
    pub after: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditPage {
    pub rows: Vec<AuditRow>,
    pub actions: Vec<String>,
    /// Pass as `before_seq` to get the next (older) page; `None` on the last page.
    pub next_before_seq: Option<i64>,
}

pub const AUDIT_PAGE_SIZE: u16 = 50;

/// The backup page: where backups go, whether they are automatic, the latest ones.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BackupOverview {
    pub folder: String,
    /// Minutes between automatic backups and how many are kept; `None` when not automatic.
    pub schedule: Option<(u64, usize)>,
    /// Newest first.
    pub files: Vec<BackupFile>,
}

/// How many backups the page lists.
pub const BACKUPS_LISTED: usize = 20;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ids::ElectionId;
    use crate::domain::voter::{Date, Levels};
    use crate::domain::ward::{ElectionSummary, Ward};

    fn fresh() -> PreparationStatus {
        PreparationStatus {
            ward: None,
            election: None,
            polling_areas: 0,
            voters: 0,
            station_accounts: 0,
        }
    }

    #[test]
    fn a_fresh_install_starts_with_the_ward_and_ends_with_station_accounts() {
        let mut preparation = fresh();
        assert_eq!(preparation.next_step(), Some(PreparationStep::Ward));
        preparation.ward = Some(Ward {
            name: "Phường Mỹ Thới".into(),
            province: "An Giang".into(),
        });
        assert_eq!(preparation.next_step(), Some(PreparationStep::Election));
        preparation.election = Some(ElectionSummary {
            id: ElectionId::new(1),
            name: "Bầu cử 2026".into(),
            election_day: Date::new(2026, 3, 15).expect("date"),
            levels: Levels::ALL,
            posted_on: None,
        });
        preparation.polling_areas = 4;
        preparation.voters = 6688;
        assert_eq!(preparation.next_step(), Some(PreparationStep::Posting));
        preparation.election.as_mut().expect("election").posted_on = Date::new(2026, 2, 3);
        assert_eq!(
            preparation.next_step(),
            Some(PreparationStep::StationAccounts)
        );
        preparation.station_accounts = 4;
        assert_eq!(preparation.next_step(), None);
        assert!(preparation.steps().iter().all(|(_, done)| *done));
    }

    #[test]
    fn a_skipped_step_is_still_the_next_one() {
        let preparation = PreparationStatus {
            station_accounts: 2,
            ..fresh()
        };
        assert_eq!(preparation.next_step(), Some(PreparationStep::Ward));
        assert_eq!(
            preparation.steps().iter().filter(|(_, done)| *done).count(),
            1
        );
    }
}
