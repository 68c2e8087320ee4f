//! Server functions of the administration area. Each starts with its permission check.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::admin::service;
#[cfg(feature = "ssr")]
use crate::auth::context::{app_state, require, respond};
#[cfg(feature = "ssr")]
use crate::domain::role::Permission;
use crate::domain::role::Role;
use crate::error::AppError;

/// An account as the administrator sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserRow {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub disabled: bool,
    pub created_at_ms: i64,
    /// Polling areas a station user works at.
    pub area_ids: Vec<i64>,
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
    pub ward: Option<crate::voters::model::Ward>,
    pub election: Option<crate::voters::model::ElectionSummary>,
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

#[server(prefix = "/api", endpoint = "admin/preparation")]
pub async fn preparation() -> Result<PreparationStatus, AppError> {
    respond(
        async {
            require(Permission::ManageUsers)?;
            service::preparation(&app_state()?.db).await
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "admin/users/list")]
pub async fn list_users() -> Result<Vec<UserRow>, AppError> {
    respond(
        async {
            require(Permission::ManageUsers)?;
            let state = app_state()?;
            let mut rows: Vec<UserRow> = service::list_users(&state.db)
                .await?
                .iter()
                .map(UserRow::from)
                .collect();
            for row in rows.iter_mut().filter(|r| r.role == Role::Station) {
                row.area_ids =
                    crate::storage::users::assigned_areas(state.db.pool(), row.id).await?;
            }
            Ok(rows)
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "admin/users/create")]
pub async fn create_user(
    username: String,
    display_name: String,
    role: String,
    password: String,
) -> Result<UserRow, AppError> {
    respond(
        async {
            let session = require(Permission::ManageUsers)?;
            let state = app_state()?;
            let role = Role::parse(&role).ok_or(crate::error::ErrorCode::InvalidRole)?;
            let input = crate::auth::service::AccountInput {
                username,
                display_name,
                role,
                password,
            };
            let record = service::create_user(&state.db, &session, &input).await?;
            Ok(UserRow::from(&record))
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "admin/users/set-disabled")]
pub async fn set_user_disabled(user_id: i64, disabled: bool) -> Result<UserRow, AppError> {
    respond(
        async {
            let session = require(Permission::ManageUsers)?;
            let state = app_state()?;
            let record = service::set_disabled(&state.db, &session, user_id, disabled).await;
            // Whether or not it committed: forgetting too much costs one read per session.
            state.sessions.forget_all();
            Ok(UserRow::from(&record?))
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "admin/users/reset-password")]
pub async fn reset_user_password(user_id: i64, new_password: String) -> Result<(), AppError> {
    respond(
        async {
            let session = require(Permission::ManageUsers)?;
            let state = app_state()?;
            let reset = service::reset_password(&state.db, &session, user_id, &new_password).await;
            state.sessions.forget_all();
            reset.map(|_| ())
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "admin/users/set-areas")]
pub async fn set_user_areas(
    user_id: i64,
    area_ids: Option<Vec<i64>>,
) -> Result<Vec<i64>, AppError> {
    respond(
        async {
            let session = require(Permission::ManageUsers)?;
            let state = app_state()?;
            let set =
                service::set_areas(&state.db, &session, user_id, &area_ids.unwrap_or_default())
                    .await;
            // A station's areas are cached with its sessions: the change holds from its next
            // request.
            state.sessions.forget_all();
            set
        }
        .await,
    )
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

#[server(prefix = "/api", endpoint = "admin/login-locks")]
pub async fn login_locks() -> Result<Vec<LoginLockRow>, AppError> {
    respond(
        async {
            require(Permission::ManageUsers)?;
            service::login_locks(&app_state()?.db).await
        }
        .await,
    )
}

/// Lifts one lock: `client` empty for the username-wide one.
#[server(prefix = "/api", endpoint = "admin/unlock-login")]
pub async fn unlock_login(username: String, client: Option<String>) -> Result<(), AppError> {
    respond(
        async {
            let session = require(Permission::ManageUsers)?;
            let client = client.filter(|c| !c.is_empty());
            service::unlock_login(&app_state()?.db, &session, &username, client.as_deref()).await
        }
        .await,
    )
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

pub const AUDIT_PAGE_SIZE: i64 = 50;

#[server(prefix = "/api", endpoint = "admin/audit/list")]
pub async fn list_audit(
    action: String,
    actor: String,
    before_seq: Option<i64>,
) -> Result<AuditPage, AppError> {
    respond(
        async {
            require(Permission::ReadAudit)?;
            let state = app_state()?;
            let non_empty = |text: String| Some(text.trim().to_string()).filter(|t| !t.is_empty());
            let filter = crate::storage::audit::AuditFilter {
                action: non_empty(action),
                actor: non_empty(actor),
                before_seq,
            };
            let records =
                crate::storage::audit::list(state.db.pool(), &filter, AUDIT_PAGE_SIZE + 1).await?;
            let has_more = records.len() as i64 > AUDIT_PAGE_SIZE;
            let rows: Vec<AuditRow> = records
                .into_iter()
                .take(AUDIT_PAGE_SIZE as usize)
                .map(|r| AuditRow {
                    seq: r.seq,
                    at_ms: r.at_ms,
                    actor: r.actor,
                    action: r.action,
                    entity: r.entity,
                    before: r.before,
                    after: r.after,
                })
                .collect();
            let next_before_seq = if has_more {
                rows.last().map(|r| r.seq)
            } else {
                None
            };
            let actions = crate::storage::audit::distinct_actions(state.db.pool()).await?;
            Ok(AuditPage {
                rows,
                actions,
                next_before_seq,
            })
        }
        .await,
    )
}

/// A backup in the backup folder, as its name describes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BackupFile {
    pub name: String,
    /// When the copy was taken (Unix ms; the name carries the UTC time).
    pub at_ms: i64,
    pub size_bytes: u64,
    /// The first 12 hex digits of the audit log's head hash in the copy.
    pub head_hash_prefix: String,
}

/// The backup page: where backups go, whether they are automatic, the latest ones.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BackupOverview {
    pub folder: String,
    /// Minutes between automatic backups and how many are kept; `None` when not automatic.
    pub schedule: Option<(u64, usize)>,
    /// Newest first.
    pub files: Vec<BackupFile>,
}

/// A backup just made and checked, with what the copy holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BackupMade {
    pub file: BackupFile,
    pub audit_records: i64,
    /// The full head hash, to compare with `cutri audit verify` or written minutes.
    pub head_hash: String,
    pub voters: i64,
    /// Check-ins that count (undone ones excluded).
    pub check_ins: i64,
    pub took_ms: u64,
}

/// How many backups the page lists.
pub const BACKUPS_LISTED: usize = 20;

#[server(prefix = "/api", endpoint = "admin/backups/list")]
pub async fn list_backups() -> Result<BackupOverview, AppError> {
    respond(
        async {
            require(Permission::ManageBackups)?;
            let backups = app_state()?.backups;
            let mut files = backups.list().await?;
            files.truncate(BACKUPS_LISTED);
            Ok(BackupOverview {
                folder: backups.dir().display().to_string(),
                schedule: backups.schedule(),
                files,
            })
        }
        .await,
    )
}

/// "Sao lưu ngay": a backup now, refused while another one runs.
#[server(prefix = "/api", endpoint = "admin/backups/run")]
pub async fn run_backup() -> Result<BackupMade, AppError> {
    respond(
        async {
            let session = require(Permission::ManageBackups)?;
            let state = app_state()?;
            crate::admin::backup::make_on_request(&state.db, &state.backups, &session).await
        }
        .await,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::voter::{Date, Levels};
    use crate::voters::model::{ElectionSummary, Ward};

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
            id: 1,
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
