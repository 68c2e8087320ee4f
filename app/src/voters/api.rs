//! Server functions of the voter-list area.

use crate::domain::ids::{AreaId, ElectionId, VoterId};
use leptos::prelude::*;

use super::model::VoterInput;

use super::model::{
    AreaPage, HistoryLine, ImportMode, ImportRequest, PreviewOutcome, VoterListsOverview,
};
#[cfg(feature = "ssr")]
use crate::domain::ids::UserId;
#[cfg(feature = "ssr")]
use crate::domain::role::Permission;
use crate::domain::ward::{VoterSummary, Ward};
use crate::error::AppError;
use crate::import::progress::ImportProgress;
#[cfg(feature = "ssr")]
use crate::request::{require, respond};
#[cfg(feature = "ssr")]
use crate::state::app_state;
#[cfg(feature = "ssr")]
use crate::voters::service;

#[server(prefix = "/api", endpoint = "voters/overview")]
pub async fn overview(election_id: Option<ElectionId>) -> Result<VoterListsOverview, AppError> {
    respond(
        async {
            require(Permission::ViewTallies)?;
            let state = app_state()?;
            let ward = crate::storage::voters::ward(state.db.pool()).await?;
            let elections = service::elections(&state.db).await?;
            let selected = election_id
                .filter(|id| elections.iter().any(|e| e.id == *id))
                .or(elections.first().map(|e| e.id));
            let areas = match selected {
                Some(id) => service::areas(&state.db, id).await?,
                None => Vec::new(),
            };
            Ok(VoterListsOverview {
                ward,
                elections,
                selected,
                areas,
            })
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "voters/ward/save")]
pub async fn save_ward(name: String, province: String) -> Result<Ward, AppError> {
    respond(
        async {
            let session = require(Permission::ManageVoterLists)?;
            service::save_ward(&app_state()?.db, &session, &name, &province).await
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "voters/elections/create")]
pub async fn create_election(
    name: String,
    election_day: String,
    national_assembly: Option<String>,
    province: Option<String>,
    commune: Option<String>,
) -> Result<ElectionId, AppError> {
    respond(
        async {
            let session = require(Permission::ManageVoterLists)?;
            use crate::domain::voter::Levels;
            let levels = [
                (national_assembly, Levels::NATIONAL_ASSEMBLY),
                (province, Levels::PROVINCE),
                (commune, Levels::COMMUNE),
            ]
            .into_iter()
            .filter(|(ticked, _)| ticked.is_some())
            .fold(Levels::NONE, |all, (_, level)| Levels(all.0 | level.0));
            service::create_election(&app_state()?.db, &session, &name, &election_day, levels).await
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "voters/elections/posted")]
pub async fn record_posting(election_id: ElectionId, posted_on: String) -> Result<(), AppError> {
    respond(
        async {
            let session = require(Permission::ManageVoterLists)?;
            service::record_posting(&app_state()?.db, &session, election_id, &posted_on).await?;
            Ok(())
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "voters/areas/create")]
pub async fn create_area(
    election_id: ElectionId,
    number: i64,
    name: String,
    address: String,
) -> Result<AreaId, AppError> {
    respond(
        async {
            let session = require(Permission::ManageVoterLists)?;
            service::create_area(
                &app_state()?.db,
                &session,
                election_id,
                number,
                &name,
                &address,
            )
            .await
        }
        .await,
    )
}

/// Corrects the election's name and, until the first check-in, its day.
#[server(prefix = "/api", endpoint = "voters/elections/update")]
pub async fn update_election(
    election_id: ElectionId,
    name: String,
    election_day: String,
) -> Result<(), AppError> {
    respond(
        async {
            let session = require(Permission::ManageVoterLists)?;
            service::update_election(
                &app_state()?.db,
                &session,
                election_id,
                &name,
                &election_day,
            )
            .await
        }
        .await,
    )
}

/// Deletes an election nothing belongs to yet (created twice, or by mistake).
#[server(prefix = "/api", endpoint = "voters/elections/delete")]
pub async fn delete_election(election_id: ElectionId) -> Result<(), AppError> {
    respond(
        async {
            let session = require(Permission::ManageVoterLists)?;
            service::delete_election(&app_state()?.db, &session, election_id).await
        }
        .await,
    )
}

/// Corrects a polling area's number, name and address.
#[server(prefix = "/api", endpoint = "voters/areas/update")]
pub async fn update_area(
    area_id: AreaId,
    number: i64,
    name: String,
    address: String,
) -> Result<(), AppError> {
    respond(
        async {
            let session = require(Permission::ManageVoterLists)?;
            service::update_area(&app_state()?.db, &session, area_id, number, &name, &address).await
        }
        .await,
    )
}

/// Deletes a polling area nothing refers to yet.
#[server(prefix = "/api", endpoint = "voters/areas/delete")]
pub async fn delete_area(area_id: AreaId) -> Result<(), AppError> {
    respond(
        async {
            let session = require(Permission::ManageVoterLists)?;
            service::delete_area(&app_state()?.db, &session, area_id).await
        }
        .await,
    )
}

#[cfg(feature = "ssr")]
async fn staged(
    request: &ImportRequest,
    user_id: UserId,
) -> Result<crate::engine::import_staging::StagedFile, AppError> {
    let state = app_state()?;
    state
        .import_staging
        .get(&state.db, &request.token, user_id)
        .await
        .map_err(|error| AppError::internal(format!("staged import: {error}")))?
        .ok_or_else(|| crate::error::ErrorCode::ImportExpired.into())
}

/// The dry run of a staged file; `mode` absent is a whole file (`ImportMode::All`).
#[server(prefix = "/api", endpoint = "voters/import/preview", input = leptos::server_fn::codec::Json)]
pub async fn preview_import(
    request: ImportRequest,
    mode: Option<ImportMode>,
) -> Result<PreviewOutcome, AppError> {
    respond(
        async {
            let session = require(Permission::ManageVoterLists)?;
            let file = staged(&request, session.user.id).await?;
            let mode = mode.unwrap_or_default();
            Ok(
                match service::preview_in(&app_state()?.db, &file, &request, mode).await? {
                    Ok(preview) => PreviewOutcome::Preview(Box::new(preview)),
                    Err(problem) => PreviewOutcome::Rejected(problem),
                },
            )
        }
        .await,
    )
}

/// Writes a staged file to the list; returns how many voters were added (0 when an updated
/// file has nobody new). `mode` absent is a whole file.
#[server(prefix = "/api", endpoint = "voters/import/commit", input = leptos::server_fn::codec::Json)]
pub async fn commit_import(
    request: ImportRequest,
    mode: Option<ImportMode>,
) -> Result<i64, AppError> {
    respond(
        async {
            let session = require(Permission::ManageVoterLists)?;
            let state = app_state()?;
            let file = staged(&request, session.user.id).await?;
            let imported = service::commit_in(
                &state.db,
                Some(&state.search_index),
                &session,
                &file,
                &request,
                mode.unwrap_or_default(),
            )
            .await?;
            if let Err(error) = state.import_staging.remove(&state.db, &request.token).await {
                // Committed all the same; the staged copy expires with the others.
                tracing::warn!(%error, "staged import not removed after its commit");
            }
            state.tallies.lists_changed().await;
            Ok(imported)
        }
        .await,
    )
}

/// How far the dry run or the commit of this staged file has come; `None` when neither runs.
#[server(prefix = "/api", endpoint = "voters/import/progress", input = leptos::server_fn::codec::Json)]
pub async fn import_commit_progress(token: String) -> Result<Option<ImportProgress>, AppError> {
    respond(
        async {
            let session = require(Permission::ManageVoterLists)?;
            Ok(app_state()?
                .import_staging
                .progress(&token, session.user.id))
        }
        .await,
    )
}

/// List keepers reach every voter; polling-station staff only those of their assigned areas.
#[cfg(feature = "ssr")]
async fn require_voter_access(area_id: Option<AreaId>) -> Result<(), AppError> {
    let session =
        require(Permission::ManageVoterLists).or_else(|_| require(Permission::CheckInVoters))?;
    if session.user.role.can(Permission::ManageVoterLists) {
        return Ok(());
    }
    let area = area_id.ok_or(crate::error::ErrorCode::Forbidden)?;
    crate::request::require_area(&session, area)
}

#[server(prefix = "/api", endpoint = "voters/search")]
pub async fn search_voters(
    election_id: ElectionId,
    area_id: Option<AreaId>,
    query: String,
) -> Result<Vec<VoterSummary>, AppError> {
    respond(
        async {
            require_voter_access(area_id).await?;
            service::search(&app_state()?, election_id, area_id, &query).await
        }
        .await,
    )
}

/// A polling area's list page by page (`page` from 0), for browsing without typing.
#[server(prefix = "/api", endpoint = "voters/list")]
pub async fn list_area(area_id: AreaId, page: u32) -> Result<AreaPage, AppError> {
    respond(
        async {
            require_voter_access(Some(area_id)).await?;
            service::area_page(&app_state()?.db, area_id, page).await
        }
        .await,
    )
}

/// What was recorded about the voter: amendments, status changes, check-in and undo.
#[server(prefix = "/api", endpoint = "voters/history")]
pub async fn voter_history(voter_id: VoterId) -> Result<Vec<HistoryLine>, AppError> {
    respond(
        async {
            require(Permission::ManageVoterLists)?;
            service::history(&app_state()?.db, voter_id).await
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "voters/get")]
pub async fn get_voter(voter_id: VoterId) -> Result<VoterSummary, AppError> {
    respond(
        async {
            // Refuse before revealing whether the voter exists.
            let session = require(Permission::ManageVoterLists)
                .or_else(|_| require(Permission::CheckInVoters))?;
            let voter = service::voter(&app_state()?.db, voter_id).await;
            let area = voter.as_ref().ok().map(|v| v.area_id);
            if !session.user.role.can(Permission::ManageVoterLists) {
                require_voter_access(Some(area.unwrap_or(AreaId::UNKNOWN))).await?;
            }
            voter
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "voters/add")]
pub async fn add_voter(
    area_id: AreaId,
    voter: VoterInput,
    reason: String,
) -> Result<VoterSummary, AppError> {
    respond(
        async {
            let session = require(Permission::ManageVoterLists)?;
            let state = app_state()?;
            let added =
                crate::voters::amend::add_voter(&state, &session, area_id, &voter, &reason).await?;
            state.tallies.lists_changed().await;
            Ok(added)
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "voters/edit")]
pub async fn edit_voter(
    voter_id: VoterId,
    voter: VoterInput,
    reason: String,
) -> Result<VoterSummary, AppError> {
    respond(
        async {
            let session = require(Permission::ManageVoterLists)?;
            let state = app_state()?;
            let edited =
                crate::voters::amend::edit_voter(&state, &session, voter_id, &voter, &reason)
                    .await?;
            state.tallies.lists_changed().await;
            Ok(edited)
        }
        .await,
    )
}

/// `status`: "removed", "elsewhere" (with `certificate_no`) or "active" (restore).
#[server(prefix = "/api", endpoint = "voters/set-status")]
pub async fn set_voter_status(
    voter_id: VoterId,
    status: String,
    reason: String,
    certificate_no: Option<String>,
) -> Result<VoterSummary, AppError> {
    respond(
        async {
            let session = require(Permission::ManageVoterLists)?;
            let status = crate::domain::ward::VoterStatus::from_code(&status)
                .ok_or(crate::error::ErrorCode::InvalidInput)?;
            let certificate = certificate_no.unwrap_or_default();
            let state = app_state()?;
            let changed = crate::voters::amend::set_status(
                &state.db,
                &session,
                voter_id,
                status,
                &reason,
                &certificate,
            )
            .await?;
            state.tallies.lists_changed().await;
            Ok(changed)
        }
        .await,
    )
}
