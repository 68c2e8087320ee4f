//! Server functions of the complaints register.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::auth::context::{app_state, require, respond};
#[cfg(feature = "ssr")]
use crate::domain::role::Permission;
use crate::domain::voter::Date;
use crate::error::AppError;
use crate::voters::model::ElectionSummary;

/// The voter a complaint is about, as the register shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkedVoter {
    pub id: i64,
    pub full_name: String,
    pub area_number: i64,
    pub stt: i64,
}

/// One entry of the register, with its deadline and whether it is overdue today.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Complaint {
    pub id: i64,
    pub election_id: i64,
    pub voter: Option<LinkedVoter>,
    pub complainant: String,
    pub received_on: Date,
    pub content: String,
    pub deadline: Date,
    pub resolution: String,
    pub resolved_on: Option<Date>,
    pub overdue: bool,
    /// Received after the 30 days the posted list was open to complaints.
    pub late: bool,
    pub created_by: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComplaintRegister {
    pub elections: Vec<ElectionSummary>,
    /// The election shown (the newest when none was asked for).
    pub selected: Option<i64>,
    /// In the order they were entered in the register.
    pub complaints: Vec<Complaint>,
    /// Today in Vietnam: the default for new dates and the day "overdue" was decided on.
    pub today: Date,
}

#[server(prefix = "/api", endpoint = "complaints/overview")]
pub async fn complaints_overview(election_id: Option<i64>) -> Result<ComplaintRegister, AppError> {
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
    election_id: i64,
    voter_id: Option<i64>,
    complainant: String,
    received_on: String,
    content: String,
) -> Result<Complaint, AppError> {
    respond(
        async {
            let session = require(Permission::ManageVoterLists)?;
            let input = super::service::NewEntry {
                election_id,
                voter_id: voter_id.filter(|id| *id != 0),
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
    complaint_id: i64,
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
