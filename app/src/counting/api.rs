//! Server functions of the counting results.

use crate::domain::ids::AreaId;
use leptos::prelude::*;

use super::model::{OverviewRow, SaveOutcome, TallyForm, TallyPage};
#[cfg(feature = "ssr")]
use crate::counting::service;
#[cfg(feature = "ssr")]
use crate::domain::role::Permission;
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::request::{require, respond};
#[cfg(feature = "ssr")]
use crate::state::app_state;

/// Every polling area × ballot level the user may see, with where its counting stands.
#[server(prefix = "/api", endpoint = "counting/overview")]
pub async fn counting_overview() -> Result<Vec<OverviewRow>, AppError> {
    respond(
        async {
            let session = require(Permission::ViewTallies)?;
            service::overview(&app_state()?, &session).await
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "counting/view")]
pub async fn counting_view(area_id: AreaId, level: String) -> Result<TallyPage, AppError> {
    respond(
        async {
            let session = require(Permission::CheckInVoters)?;
            service::view(&app_state()?, &session, area_id, &level).await
        }
        .await,
    )
}

/// Saves the user's entry (first or second) of a tally.
#[server(prefix = "/api", endpoint = "counting/save")]
pub async fn save_tally(form: TallyForm) -> Result<SaveOutcome, AppError> {
    respond(
        async {
            let session = require(Permission::CheckInVoters)?;
            service::save(&app_state()?, &session, &form).await
        }
        .await,
    )
}

/// Locks the agreed tally: the minutes stop being a draft.
#[server(prefix = "/api", endpoint = "counting/finalise")]
pub async fn finalise_tally(area_id: AreaId, level: String) -> Result<(), AppError> {
    respond(
        async {
            let session = require(Permission::ManageElectionDay)?;
            service::finalise(&app_state()?, &session, area_id, &level).await
        }
        .await,
    )
}
