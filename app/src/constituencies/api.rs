//! Server functions of the constituency register and the results.

use crate::domain::ids::{AreaId, ConstituencyId, ElectionId};
use leptos::prelude::*;

use super::model::{RegisterPage, ResultsPage};
#[cfg(feature = "ssr")]
use crate::constituencies::service;
#[cfg(feature = "ssr")]
use crate::domain::role::Permission;
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::request::{require, respond};
#[cfg(feature = "ssr")]
use crate::state::app_state;

/// The constituencies of an election (the newest when none is chosen), for the board that sets
/// them up.
#[server(prefix = "/api", endpoint = "constituencies/list")]
pub async fn constituency_register(
    election_id: Option<ElectionId>,
) -> Result<RegisterPage, AppError> {
    respond(
        async {
            require(Permission::ManageElectionDay)?;
            service::register(&app_state()?.db, election_id).await
        }
        .await,
    )
}

/// Creates (no `id`) or updates a constituency with its polling areas.
#[server(prefix = "/api", endpoint = "constituencies/save")]
pub async fn save_constituency(
    election_id: ElectionId,
    id: Option<ConstituencyId>,
    level: String,
    number: i64,
    name: String,
    seats: i64,
    area_ids: Option<Vec<AreaId>>,
) -> Result<ConstituencyId, AppError> {
    respond(
        async {
            let session = require(Permission::ManageElectionDay)?;
            let area_ids = area_ids.unwrap_or_default();
            let input = service::SaveInput {
                election_id,
                id,
                level: &level,
                number,
                name: &name,
                seats,
                area_ids: &area_ids,
            };
            service::save(&app_state()?.db, &session, &input).await
        }
        .await,
    )
}

/// Replaces a constituency's official candidate list ("Họ và tên; ngày sinh; Nam/Nữ" a line).
#[server(prefix = "/api", endpoint = "constituencies/candidates")]
pub async fn save_candidates(
    constituency_id: ConstituencyId,
    candidates: String,
) -> Result<usize, AppError> {
    respond(
        async {
            let session = require(Permission::ManageElectionDay)?;
            service::save_candidates(&app_state()?.db, &session, constituency_id, &candidates).await
        }
        .await,
    )
}

/// The result of every constituency of an election (the newest when none is chosen).
#[server(prefix = "/api", endpoint = "results/constituencies")]
pub async fn election_results(election_id: Option<ElectionId>) -> Result<ResultsPage, AppError> {
    respond(
        async {
            require(Permission::ViewTallies)?;
            service::results(&app_state()?.db, election_id).await
        }
        .await,
    )
}
