//! Server functions of the complaints register.

use crate::domain::ids::{ComplaintId, ElectionId, VoterId};
use leptos::prelude::*;

use super::model::{Complaint, ComplaintRegister};

#[cfg(feature = "ssr")]
use crate::domain::role::Permission;
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::request::{require, respond};
#[cfg(feature = "ssr")]
use crate::state::app_state;

#[server(prefix = "/api", endpoint = "complaints/overview")]
pub async fn complaints_overview(
    election_id: Option<ElectionId>,
) -> Result<ComplaintRegister, AppError> {
    respond(
        async {
            require(Permission::ManageVoterLists)?;
            super::service::overview(&app_state()?.db, election_id).await
        }
        .await,
    )
}

/// `voter_id` 0 (the form's "no voter" choice) or absent: the complaint concerns no one voter.
#[server(prefix = "/api", endpoint = "complaints/record")]
pub async fn record_complaint(
    election_id: ElectionId,
    voter_id: Option<VoterId>,
    complainant: String,
    received_on: String,
    content: String,
) -> Result<Complaint, AppError> {
    respond(
        async {
            let session = require(Permission::ManageVoterLists)?;
            let input = super::service::NewEntry {
                election_id,
                voter_id: voter_id.filter(|id| *id != VoterId::UNKNOWN),
                complainant: &complainant,
                received_on: &received_on,
                content: &content,
            };
            super::service::record(&app_state()?.db, &session, &input).await
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "complaints/resolve")]
pub async fn resolve_complaint(
    complaint_id: ComplaintId,
    resolution: String,
    resolved_on: String,
) -> Result<Complaint, AppError> {
    respond(
        async {
            let session = require(Permission::ManageVoterLists)?;
            super::service::resolve(
                &app_state()?.db,
                &session,
                complaint_id,
                &resolution,
                &resolved_on,
            )
            .await
        }
        .await,
    )
}
