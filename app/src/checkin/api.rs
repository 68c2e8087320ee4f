//! Server functions of election day.

use crate::domain::ids::{AreaId, CheckInId, ElectionId, VoterId};
use leptos::prelude::*;

use super::model::{AreaHours, CheckInRequest, DeskArea, DeskMatch, StationView};
#[cfg(feature = "ssr")]
use crate::checkin::service;
use crate::domain::checkin::CheckInOutcome;
#[cfg(feature = "ssr")]
use crate::domain::role::Permission;
use crate::domain::turnout::Turnout;
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::request::{require, respond};
#[cfg(feature = "ssr")]
use crate::state::app_state;

/// The polling areas the user works at (all areas for managers and viewers), newest election
/// first.
#[server(prefix = "/api", endpoint = "checkin/areas")]
pub async fn desk_areas() -> Result<Vec<DeskArea>, AppError> {
    respond(
        async {
            let session = require(Permission::ViewTallies)?;
            service::desk_areas(&app_state()?, &session).await
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "checkin/station")]
pub async fn station(area_id: AreaId) -> Result<StationView, AppError> {
    respond(
        async {
            let session = require(Permission::CheckInVoters)?;
            service::station(&app_state()?, &session, area_id).await
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "checkin/lookup")]
pub async fn lookup(area_id: AreaId, text: String) -> Result<Vec<DeskMatch>, AppError> {
    respond(
        async {
            let session = require(Permission::CheckInVoters)?;
            service::lookup(&app_state()?, &session, area_id, &text).await
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "checkin/record", input = leptos::server_fn::codec::Json)]
pub async fn record(request: CheckInRequest) -> Result<CheckInOutcome, AppError> {
    respond(
        async {
            let session = require(Permission::CheckInVoters)?;
            service::check_in(&app_state()?, &session, request).await
        }
        .await,
    )
}

/// The desk's confirmation as a plain HTML form sends it: from a page whose script has not run
/// (a tablet that blocks scripts, or a weak link still bringing them). A checkbox is sent only
/// when ticked, hence the defaults. The browser is sent back to the desk, which shows the outcome
/// kept for it (`form_outcome`); a client that does not ask for HTML gets the outcome as `record`
/// answers it. Not `record` itself: a redirect from there would take the hydrated desk away.
#[server(prefix = "/api", endpoint = "checkin/record-form")]
pub async fn record_form(
    request_id: String,
    area_id: AreaId,
    voter_id: VoterId,
    #[server(default)] mobile_box: bool,
    #[server(default)] hours_override: bool,
) -> Result<CheckInOutcome, AppError> {
    respond(
        async {
            let session = require(Permission::CheckInVoters)?;
            let request = CheckInRequest {
                request_id,
                area_id,
                voter_id,
                mobile_box,
                hours_override,
            };
            let kept_as = request.request_id.clone();
            let state = app_state()?;
            let outcome = service::check_in(&state, &session, request).await?;
            service::keep_form_outcome(&state, &session, area_id, &kept_as, &outcome).await;
            leptos_axum::redirect(&format!("/election-day/areas/{area_id}?outcome={kept_as}"));
            Ok(outcome)
        }
        .await,
    )
}

/// What a check-in this user confirmed by a plain form post was answered (`?outcome=` of the
/// desk the browser is sent back to); `None` when it is not known here.
#[server(prefix = "/api", endpoint = "checkin/form-outcome")]
pub async fn form_outcome(
    area_id: AreaId,
    request_id: String,
) -> Result<Option<CheckInOutcome>, AppError> {
    respond(
        async {
            let session = require(Permission::CheckInVoters)?;
            service::form_outcome(&app_state()?, &session, area_id, &request_id).await
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "checkin/undo")]
pub async fn undo(check_in_id: CheckInId, reason: String) -> Result<(), AppError> {
    respond(
        async {
            // A desk may take back its own latest check-in; the service says which.
            let session = require(Permission::CheckInVoters)?;
            service::undo(&app_state()?, &session, check_in_id, &reason).await
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "checkin/hours")]
pub async fn set_hours(
    area_id: AreaId,
    opens: String,
    closes: String,
) -> Result<AreaHours, AppError> {
    respond(
        async {
            let session = require(Permission::ManageElectionDay)?;
            service::set_hours(&app_state()?, &session, area_id, &opens, &closes).await
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "turnout/board")]
pub async fn turnout_board(election_id: ElectionId) -> Result<Turnout, AppError> {
    respond(
        async {
            require(Permission::ViewTallies)?;
            service::turnout(&app_state()?, election_id).await
        }
        .await,
    )
}
