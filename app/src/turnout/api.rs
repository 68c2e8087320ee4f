//! The turnout reports' server functions.

use crate::domain::ids::ElectionId;
use leptos::prelude::*;

use super::model::ReportBoard;
#[cfg(feature = "ssr")]
use super::service;
#[cfg(feature = "ssr")]
use crate::domain::role::Permission;
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::request::{require, respond};
#[cfg(feature = "ssr")]
use crate::state::app_state;

#[server(prefix = "/api", endpoint = "turnout/reports")]
pub async fn load_reports(election_id: ElectionId) -> Result<ReportBoard, AppError> {
    respond(
        async {
            require(Permission::ViewTallies)?;
            service::board(&app_state()?.db, election_id).await
        }
        .await,
    )
}

/// Sets the report times, written "09:00, 11:00, …".
#[server(prefix = "/api", endpoint = "turnout/report-times")]
pub async fn set_report_times(election_id: ElectionId, times: String) -> Result<(), AppError> {
    respond(
        async {
            let session = require(Permission::ManageElectionDay)?;
            let actor = crate::storage::audit::Actor {
                user_id: Some(session.user.id),
                username: session.user.username.clone(),
            };
            service::set_times(&app_state()?.db, &actor, election_id, &times).await
        }
        .await,
    )
}

/// "Chốt số liệu ngay": takes the snapshots of the report times that have passed and have none
/// yet, without waiting for the server's next round; returns how many were taken.
#[server(prefix = "/api", endpoint = "turnout/snapshot-now")]
pub async fn snapshot_now(election_id: ElectionId) -> Result<i64, AppError> {
    respond(
        async {
            let session = require(Permission::ManageElectionDay)?;
            let actor = crate::storage::audit::Actor {
                user_id: Some(session.user.id),
                username: session.user.username.clone(),
            };
            let state = app_state()?;
            let now = crate::storage::db::now_ms();
            service::take_due(&state.db, &state.tallies, election_id, now, &actor).await
        }
        .await,
    )
}
