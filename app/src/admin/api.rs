//! Server functions of the administration area. Each starts with its permission check.

use crate::domain::ids::{AreaId, UserId};
use leptos::prelude::*;

use super::model::{AuditPage, BackupOverview, LoginLockRow, PreparationStatus, UserRow};
#[cfg(feature = "ssr")]
use super::model::{AuditRow, AUDIT_PAGE_SIZE, BACKUPS_LISTED};

#[cfg(feature = "ssr")]
use crate::admin::service;
use crate::domain::backup::BackupMade;
#[cfg(feature = "ssr")]
use crate::domain::role::{Permission, Role};
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::request::{require, respond};
#[cfg(feature = "ssr")]
use crate::state::app_state;

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
pub async fn set_user_disabled(user_id: UserId, disabled: bool) -> Result<UserRow, AppError> {
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
pub async fn reset_user_password(user_id: UserId, new_password: String) -> Result<(), AppError> {
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
    user_id: UserId,
    area_ids: Option<Vec<AreaId>>,
) -> Result<Vec<AreaId>, AppError> {
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

#[server(prefix = "/api", endpoint = "admin/audit/list")]
pub async fn list_audit(
    action: String,
    actor: String,
    before_seq: Option<i64>,
    entity: Option<String>,
) -> Result<AuditPage, AppError> {
    respond(
        async {
            require(Permission::ReadAudit)?;
            let state = app_state()?;
            let non_empty = |text: String| Some(text.trim().to_string()).filter(|t| !t.is_empty());
            let filter = crate::storage::audit::AuditFilter {
                action: non_empty(action),
                actor: non_empty(actor),
                entity: entity.and_then(non_empty),
                before_seq,
            };
            let records = crate::storage::audit::list(
                state.db.pool(),
                &filter,
                i64::from(AUDIT_PAGE_SIZE) + 1,
            )
            .await?;
            let has_more = records.len() > usize::from(AUDIT_PAGE_SIZE);
            let rows: Vec<AuditRow> = records
                .into_iter()
                .take(usize::from(AUDIT_PAGE_SIZE))
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
            service::make_backup_on_request(&state.db, &state.backups, &session).await
        }
        .await,
    )
}
