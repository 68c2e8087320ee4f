//! The petitions' server functions; every one needs `ManageMeetings`.

use crate::domain::ids::PetitionId;
use leptos::prelude::*;

use super::model::{AnswerInput, PetitionRound};
#[cfg(feature = "ssr")]
use super::service;
#[cfg(feature = "ssr")]
use crate::domain::role::Permission;
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::request::{require, respond};
#[cfg(feature = "ssr")]
use crate::state::app_state;

#[server(prefix = "/api", endpoint = "petitions/round")]
pub async fn get_petition_round(
    term: String,
    session_number: i64,
    timing: String,
) -> Result<PetitionRound, AppError> {
    respond(
        async {
            require(Permission::ManageMeetings)?;
            let round = service::parse_round(&term, session_number, &timing)?;
            service::round(&app_state()?.db, &round).await
        }
        .await,
    )
}

/// Opening and closing days ("01/12/2026") of a session, which deadlines are counted from.
#[server(prefix = "/api", endpoint = "petitions/session-dates")]
pub async fn save_session_dates(
    term: String,
    session_number: i64,
    opens: String,
    closes: String,
) -> Result<(), AppError> {
    respond(
        async {
            let session = require(Permission::ManageMeetings)?;
            service::save_session_dates(
                &app_state()?.db,
                &session,
                (&term, session_number),
                (&opens, &closes),
            )
            .await
        }
        .await,
    )
}

/// "Tổng hợp": one petition per opinion of the round not collected yet; returns how many.
#[server(prefix = "/api", endpoint = "petitions/collect")]
pub async fn collect_petitions(
    term: String,
    session_number: i64,
    timing: String,
) -> Result<i64, AppError> {
    respond(
        async {
            let session = require(Permission::ManageMeetings)?;
            let round = service::parse_round(&term, session_number, &timing)?;
            service::collect(&app_state()?.db, &session, &round).await
        }
        .await,
    )
}

/// "Gộp": `absorb_id` joins `keep_id`, which keeps links to all source opinions of both.
#[server(prefix = "/api", endpoint = "petitions/merge")]
pub async fn merge_petitions(keep_id: PetitionId, absorb_id: PetitionId) -> Result<(), AppError> {
    respond(
        async {
            let session = require(Permission::ManageMeetings)?;
            service::merge(&app_state()?.db, &session, keep_id, absorb_id).await
        }
        .await,
    )
}

/// "Chuyển xử lý": the competent level and body that must answer.
#[server(prefix = "/api", endpoint = "petitions/route")]
pub async fn route_petition(
    petition_id: PetitionId,
    competent_level: String,
    competent_body: String,
) -> Result<(), AppError> {
    respond(
        async {
            let session = require(Permission::ManageMeetings)?;
            service::route(
                &app_state()?.db,
                &session,
                petition_id,
                &competent_level,
                &competent_body,
            )
            .await
        }
        .await,
    )
}

/// Records an official answer; returns its id.
#[server(prefix = "/api", endpoint = "petitions/answer")]
pub async fn answer_petition(
    petition_id: PetitionId,
    answer: AnswerInput,
) -> Result<i64, AppError> {
    respond(
        async {
            let session = require(Permission::ManageMeetings)?;
            service::answer(&app_state()?.db, &session, petition_id, &answer).await
        }
        .await,
    )
}

/// "Chuyển kỳ sau": every unanswered petition of the round moves to the next round; returns how
/// many.
#[server(prefix = "/api", endpoint = "petitions/carry")]
pub async fn carry_petitions(
    term: String,
    session_number: i64,
    timing: String,
) -> Result<i64, AppError> {
    respond(
        async {
            let session = require(Permission::ManageMeetings)?;
            let round = service::parse_round(&term, session_number, &timing)?;
            service::carry(&app_state()?.db, &session, &round).await
        }
        .await,
    )
}
