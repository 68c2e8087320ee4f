//! Server functions of the deputy–voter meetings area. Every one needs `ManageMeetings`.

use crate::domain::ids::{AttendeeId, DeputyId, MeetingId, OpinionId, VenueId};
use leptos::prelude::*;

use super::model::{
    AttendanceInput, AttendeeInput, DeputyInput, MeetingInput, OpinionInput, Registry, VenueInput,
};
use crate::domain::meeting_record::{Meeting, MeetingDetail, MeetingFilter};
#[cfg(feature = "ssr")]
use crate::domain::role::Permission;
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::meetings::service;
#[cfg(feature = "ssr")]
use crate::request::{require, respond};
#[cfg(feature = "ssr")]
use crate::state::app_state;

#[server(prefix = "/api", endpoint = "meetings/registry")]
pub async fn get_registry() -> Result<Registry, AppError> {
    respond(
        async {
            require(Permission::ManageMeetings)?;
            service::registry(&app_state()?.db).await
        }
        .await,
    )
}

/// `deputy_id` 0 adds a deputy; otherwise corrects that one.
#[server(prefix = "/api", endpoint = "meetings/deputies/save")]
pub async fn save_deputy(deputy_id: DeputyId, deputy: DeputyInput) -> Result<DeputyId, AppError> {
    respond(
        async {
            let session = require(Permission::ManageMeetings)?;
            let existing = (deputy_id != DeputyId::UNKNOWN).then_some(deputy_id);
            service::save_deputy(&app_state()?.db, &session, existing, &deputy).await
        }
        .await,
    )
}

/// `venue_id` 0 adds a venue; otherwise corrects that one.
#[server(prefix = "/api", endpoint = "meetings/venues/save")]
pub async fn save_venue(venue_id: VenueId, venue: VenueInput) -> Result<VenueId, AppError> {
    respond(
        async {
            let session = require(Permission::ManageMeetings)?;
            let existing = (venue_id != VenueId::UNKNOWN).then_some(venue_id);
            service::save_venue(&app_state()?.db, &session, existing, &venue).await
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "meetings/list", input = leptos::server_fn::codec::Json)]
pub async fn list_meetings(filter: MeetingFilter) -> Result<Vec<Meeting>, AppError> {
    respond(
        async {
            require(Permission::ManageMeetings)?;
            service::list(&app_state()?.db, &filter).await
        }
        .await,
    )
}

/// Schedules a meeting; refused when a deputy or the venue is taken at an overlapping time.
#[server(prefix = "/api", endpoint = "meetings/create")]
pub async fn create_meeting(meeting: MeetingInput) -> Result<MeetingId, AppError> {
    respond(
        async {
            let session = require(Permission::ManageMeetings)?;
            service::create(&app_state()?.db, &session, &meeting).await
        }
        .await,
    )
}

/// Changes a meeting's plan; refused like scheduling when the new plan clashes with another
/// meeting, and once the minutes are finalised or the meeting is cancelled.
#[server(prefix = "/api", endpoint = "meetings/update")]
pub async fn update_meeting(meeting_id: MeetingId, meeting: MeetingInput) -> Result<(), AppError> {
    respond(
        async {
            let session = require(Permission::ManageMeetings)?;
            service::update(&app_state()?.db, &session, meeting_id, &meeting).await
        }
        .await,
    )
}

/// Calls off a planned meeting, with a reason; it frees its deputies and venue.
#[server(prefix = "/api", endpoint = "meetings/cancel")]
pub async fn cancel_meeting(meeting_id: MeetingId, reason: String) -> Result<(), AppError> {
    respond(
        async {
            let session = require(Permission::ManageMeetings)?;
            service::cancel(&app_state()?.db, &session, meeting_id, &reason).await
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "meetings/get")]
pub async fn get_meeting(meeting_id: MeetingId) -> Result<MeetingDetail, AppError> {
    respond(
        async {
            require(Permission::ManageMeetings)?;
            service::detail(&app_state()?.db, meeting_id).await
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "meetings/attendance")]
pub async fn record_attendance(
    meeting_id: MeetingId,
    attendance: AttendanceInput,
) -> Result<(), AppError> {
    respond(
        async {
            let session = require(Permission::ManageMeetings)?;
            service::record_attendance(&app_state()?.db, &session, meeting_id, &attendance).await
        }
        .await,
    )
}

/// A voter signs in by name; returns the sign-in's id.
#[server(prefix = "/api", endpoint = "meetings/attendees/add")]
pub async fn add_attendee(
    meeting_id: MeetingId,
    attendee: AttendeeInput,
) -> Result<AttendeeId, AppError> {
    respond(
        async {
            let session = require(Permission::ManageMeetings)?;
            service::add_attendee(&app_state()?.db, &session, meeting_id, &attendee).await
        }
        .await,
    )
}

/// Removes a sign-in entered by mistake (before the minutes are finalised).
#[server(prefix = "/api", endpoint = "meetings/attendees/remove")]
pub async fn remove_attendee(attendee_id: AttendeeId) -> Result<(), AppError> {
    respond(
        async {
            let session = require(Permission::ManageMeetings)?;
            service::remove_attendee(&app_state()?.db, &session, attendee_id).await
        }
        .await,
    )
}

/// Returns the item number the opinion got.
#[server(prefix = "/api", endpoint = "meetings/opinions/add")]
pub async fn add_opinion(meeting_id: MeetingId, opinion: OpinionInput) -> Result<i64, AppError> {
    respond(
        async {
            let session = require(Permission::ManageMeetings)?;
            service::add_opinion(&app_state()?.db, &session, meeting_id, &opinion).await
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "meetings/answers/add")]
pub async fn add_answer(
    opinion_id: OpinionId,
    answered_by: String,
    content: String,
) -> Result<i64, AppError> {
    respond(
        async {
            let session = require(Permission::ManageMeetings)?;
            service::add_answer(
                &app_state()?.db,
                &session,
                opinion_id,
                &answered_by,
                &content,
            )
            .await
        }
        .await,
    )
}

/// "Sửa đổi biên bản": reopens finalised minutes, with a reason, for a new version.
#[server(prefix = "/api", endpoint = "meetings/correct")]
pub async fn correct_minutes(meeting_id: MeetingId, reason: String) -> Result<(), AppError> {
    respond(
        async {
            let session = require(Permission::ManageMeetings)?;
            service::open_correction(&app_state()?.db, &session, meeting_id, &reason).await
        }
        .await,
    )
}

/// "Chốt biên bản": from now on the meeting's record cannot change.
#[server(prefix = "/api", endpoint = "meetings/finalise")]
pub async fn finalise_meeting(meeting_id: MeetingId) -> Result<(), AppError> {
    respond(
        async {
            let session = require(Permission::ManageMeetings)?;
            service::finalise(&app_state()?.db, &session, meeting_id).await
        }
        .await,
    )
}
