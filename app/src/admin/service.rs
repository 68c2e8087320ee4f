//! Account management by an administrator. Every change writes its audit record in the same
//! transaction.

use crate::domain::ids::{AreaId, UserId};
use serde_json::json;

use crate::auth::service::{self as auth_service, user_summary, AccountInput};
use crate::domain::audit::{AuditAction, AuditSubject};
use crate::domain::backup::BackupMade;
use crate::domain::login_throttle::ALL_ADDRESSES;
use crate::domain::user::NewPassword;
use crate::engine::backups::Backups;
use crate::error::{AppError, ErrorCode};
use crate::request::{actor, CurrentSession};
use crate::storage::audit::{self, AuditEntry};
use crate::storage::db::now_ms;
use crate::storage::db::Db;
use crate::storage::users::UserRecord;
use crate::storage::{login_attempts, sessions, users};

#[tracing::instrument(skip_all)]
pub async fn create_user(
    db: &Db,
    session: &CurrentSession,
    input: &AccountInput,
) -> Result<UserRecord, AppError> {
    auth_service::create_account(db, &actor(session), input, false).await
}

/// Disabling also ends the account's sessions at once.
#[tracing::instrument(skip_all)]
pub async fn set_disabled(
    db: &Db,
    session: &CurrentSession,
    user_id: UserId,
    disabled: bool,
) -> Result<UserRecord, AppError> {
    if user_id == session.user.id {
        return Err(ErrorCode::CannotChangeOwnAccount.into());
    }
    let now = now_ms();
    let mut tx = db.begin_write().await?;
    let before = users::find_by_id_for_update(&mut tx, user_id)
        .await?
        .ok_or(ErrorCode::NotFound)?;
    users::set_disabled(&mut tx, user_id, disabled, now).await?;
    if disabled {
        sessions::delete_for_user(&mut tx, user_id).await?;
    }
    let after = UserRecord {
        disabled,
        ..before.clone()
    };
    let entry = AuditEntry {
        actor: &actor(session),
        action: if disabled {
            AuditAction::UserDisable
        } else {
            AuditAction::UserEnable
        },
        entity: AuditSubject::User(user_id),
        before: user_summary(&before),
        after: user_summary(&after),
    };
    audit::append(&mut tx, entry, now).await?;
    tx.commit().await?;
    Ok(after)
}

#[tracing::instrument(skip_all)]
pub async fn reset_password(
    db: &Db,
    session: &CurrentSession,
    user_id: UserId,
    new_password: &str,
) -> Result<UserRecord, AppError> {
    let new_password = NewPassword::parse(new_password)?;
    auth_service::change_password(
        db,
        &actor(session),
        user_id,
        &new_password,
        AuditAction::UserPasswordReset,
    )
    .await
}

#[tracing::instrument(skip_all)]
pub async fn list_users(db: &Db) -> Result<Vec<UserRecord>, AppError> {
    Ok(users::list(db.pool()).await?)
}

/// Assigns the polling areas a station user works at (replacing earlier assignments).
#[tracing::instrument(skip_all)]
pub async fn set_areas(
    db: &Db,
    session: &CurrentSession,
    user_id: UserId,
    area_ids: &[AreaId],
) -> Result<Vec<AreaId>, AppError> {
    let mut area_ids = area_ids.to_vec();
    area_ids.sort_unstable();
    area_ids.dedup();
    for area_id in &area_ids {
        crate::storage::voters::area(db.pool(), *area_id)
            .await?
            .ok_or(ErrorCode::NotFound)?;
    }
    let before = users::assigned_areas(db.pool(), user_id).await?;
    let now = now_ms();
    let mut tx = db.begin_write().await?;
    let user = users::find_by_id_for_update(&mut tx, user_id)
        .await?
        .ok_or(ErrorCode::NotFound)?;
    if user.role != crate::domain::role::Role::Station {
        return Err(ErrorCode::InvalidRole.into());
    }
    users::set_assigned_areas(&mut tx, user_id, &area_ids).await?;
    let entry = AuditEntry {
        actor: &actor(session),
        action: AuditAction::UserSetAreas,
        entity: AuditSubject::User(user_id),
        before: serde_json::json!({ "polling_areas": before }).to_string(),
        after: serde_json::json!({ "polling_areas": area_ids }).to_string(),
    };
    audit::append(&mut tx, entry, now).await?;
    tx.commit().await?;
    Ok(area_ids)
}

/// The ward's preparation of its newest election (`PreparationStatus::steps` says what is done).
#[tracing::instrument(skip_all)]
pub async fn preparation(db: &Db) -> Result<crate::admin::model::PreparationStatus, AppError> {
    let pool = db.pool();
    let election = crate::voters::service::elections(db)
        .await?
        .into_iter()
        .next();
    let areas = match &election {
        Some(election) => crate::voters::service::areas(db, election.id).await?,
        None => Vec::new(),
    };
    Ok(crate::admin::model::PreparationStatus {
        ward: crate::storage::voters::ward(pool).await?,
        election,
        polling_areas: i64::try_from(areas.len()).unwrap_or(i64::MAX),
        voters: areas.iter().map(|area| area.voters).sum(),
        station_accounts: users::station_accounts_with_areas(pool).await?,
    })
}

#[tracing::instrument(skip_all)]
pub async fn login_locks(db: &Db) -> Result<Vec<super::model::LoginLockRow>, AppError> {
    let locks = login_attempts::locked(db.pool(), now_ms()).await?;
    Ok(locks
        .into_iter()
        .map(|lock| super::model::LoginLockRow {
            client: (lock.client != ALL_ADDRESSES).then_some(lock.client),
            username: lock.username,
            attempts: lock.attempts,
            locked_until_ms: lock.locked_until_ms,
        })
        .collect())
}

/// Lifts the lock of `username` from `client` (None: from every address), audited.
#[tracing::instrument(skip_all)]
pub async fn unlock_login(
    db: &Db,
    session: &CurrentSession,
    username: &str,
    client: Option<&str>,
) -> Result<(), AppError> {
    let client = client.unwrap_or(ALL_ADDRESSES);
    let now = now_ms();
    let mut tx = db.begin_write().await?;
    if !login_attempts::clear(&mut tx, username, client).await? {
        return Err(ErrorCode::NotFound.into());
    }
    let entry = AuditEntry {
        actor: &actor(session),
        action: AuditAction::LoginUnlock,
        entity: AuditSubject::Login(username.to_string()),
        before: json!({ "username": username, "client": client }).to_string(),
        after: String::new(),
    };
    audit::append(&mut tx, entry, now).await?;
    tx.commit().await?;
    tracing::info!(username, client, by = %session.user.username, "sign-in lock lifted");
    Ok(())
}

/// The page's backup, audited under the administrator who asked for it.
#[tracing::instrument(skip_all)]
pub async fn make_backup_on_request(
    db: &Db,
    backups: &Backups,
    session: &CurrentSession,
) -> Result<BackupMade, AppError> {
    let made = backups.make_unless_running(db).await?;
    tracing::info!(user = %session.user.username, file = %made.file.name, "backup made");
    let now = now_ms();
    let actor = actor(session);
    let mut tx = db.begin_write().await?;
    let entry = AuditEntry {
        actor: &actor,
        action: AuditAction::BackupCreate,
        entity: AuditSubject::Backup(made.file.name.clone()),
        before: String::new(),
        after: serde_json::json!({
            "bytes": made.file.size_bytes,
            "audit_records": made.audit_records,
            "voters": made.voters,
            "check_ins": made.check_ins,
        })
        .to_string(),
    };
    audit::append(&mut tx, entry, now).await?;
    tx.commit().await?;
    Ok(made)
}
