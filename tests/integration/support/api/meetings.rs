//! app/src/meetings/api.rs: deputies and venues, planning meetings, their record and minutes.

use app::domain::meeting_record::MeetingFilter;
use app::meetings::model::{
    AttendanceInput, AttendeeInput, DeputyInput, MeetingInput, OpinionInput, VenueInput,
};
use serde_json::json;

use super::{Client, Form, Reply};

impl Client {
    /// `deputy_id` 0 adds a deputy.
    pub async fn meetings_deputies_save(&self, deputy_id: i64, deputy: &DeputyInput) -> Reply {
        let DeputyInput {
            full_name,
            level,
            position,
            constituency,
            deputy_group,
            contact,
        } = deputy;
        let form = Form::new()
            .field("deputy_id", deputy_id)
            .field("deputy[full_name]", full_name)
            .field("deputy[level]", level)
            .unless_empty("deputy[position]", position)
            .unless_empty("deputy[constituency]", constituency)
            .unless_empty("deputy[deputy_group]", deputy_group)
            .unless_empty("deputy[contact]", contact);
        self.send_form("meetings/deputies/save", form).await
    }

    /// `venue_id` 0 adds a venue.
    pub async fn meetings_venues_save(&self, venue_id: i64, venue: &VenueInput) -> Reply {
        let VenueInput {
            name,
            address,
            capacity,
        } = venue;
        let form = Form::new()
            .field("venue_id", venue_id)
            .field("venue[name]", name)
            .unless_empty("venue[address]", address)
            .unless_empty("venue[capacity]", capacity);
        self.send_form("meetings/venues/save", form).await
    }

    pub async fn meetings_list(&self, filter: &MeetingFilter) -> Reply {
        self.send_json("meetings/list", json!({ "filter": filter }))
            .await
    }

    pub async fn meetings_create(&self, meeting: &MeetingInput) -> Reply {
        self.send_form("meetings/create", meeting_fields(Form::new(), meeting))
            .await
    }

    pub async fn meetings_update(&self, meeting_id: i64, meeting: &MeetingInput) -> Reply {
        let form = meeting_fields(Form::new().field("meeting_id", meeting_id), meeting);
        self.send_form("meetings/update", form).await
    }

    pub async fn meetings_cancel(&self, meeting_id: i64, reason: &str) -> Reply {
        let form = Form::new()
            .field("meeting_id", meeting_id)
            .field("reason", reason);
        self.send_form("meetings/cancel", form).await
    }

    pub async fn meetings_get(&self, meeting_id: i64) -> Reply {
        let form = Form::new().field("meeting_id", meeting_id);
        self.send_form("meetings/get", form).await
    }

    pub async fn meetings_attendance(
        &self,
        meeting_id: i64,
        attendance: &AttendanceInput,
    ) -> Reply {
        let AttendanceInput {
            present_count,
            other_attendees,
            content_reported,
            ended_at,
        } = attendance;
        let form = Form::new()
            .field("meeting_id", meeting_id)
            .field("attendance[present_count]", present_count)
            .unless_empty("attendance[other_attendees]", other_attendees)
            .unless_empty("attendance[content_reported]", content_reported)
            .unless_empty("attendance[ended_at]", ended_at);
        self.send_form("meetings/attendance", form).await
    }

    pub async fn meetings_attendees_add(&self, meeting_id: i64, attendee: &AttendeeInput) -> Reply {
        let AttendeeInput {
            full_name,
            address,
            gender,
        } = attendee;
        let form = Form::new()
            .field("meeting_id", meeting_id)
            .field("attendee[full_name]", full_name)
            .unless_empty("attendee[address]", address)
            .unless_empty("attendee[gender]", gender);
        self.send_form("meetings/attendees/add", form).await
    }

    pub async fn meetings_attendees_remove(&self, attendee_id: i64) -> Reply {
        let form = Form::new().field("attendee_id", attendee_id);
        self.send_form("meetings/attendees/remove", form).await
    }

    pub async fn meetings_opinions_add(&self, meeting_id: i64, opinion: &OpinionInput) -> Reply {
        let OpinionInput {
            speaker,
            address,
            field,
            content,
            competent_level,
            repeats_opinion_id,
        } = opinion;
        let form = Form::new()
            .field("meeting_id", meeting_id)
            .field("opinion[speaker]", speaker)
            .unless_empty("opinion[address]", address)
            .field("opinion[field]", field)
            .field("opinion[content]", content)
            .field("opinion[competent_level]", competent_level)
            .unless_empty("opinion[repeats_opinion_id]", repeats_opinion_id);
        self.send_form("meetings/opinions/add", form).await
    }

    pub async fn meetings_answers_add(
        &self,
        opinion_id: i64,
        answered_by: &str,
        content: &str,
    ) -> Reply {
        let form = Form::new()
            .field("opinion_id", opinion_id)
            .field("answered_by", answered_by)
            .field("content", content);
        self.send_form("meetings/answers/add", form).await
    }

    pub async fn meetings_correct(&self, meeting_id: i64, reason: &str) -> Reply {
        let form = Form::new()
            .field("meeting_id", meeting_id)
            .field("reason", reason);
        self.send_form("meetings/correct", form).await
    }

    pub async fn meetings_finalise(&self, meeting_id: i64) -> Reply {
        let form = Form::new().field("meeting_id", meeting_id);
        self.send_form("meetings/finalise", form).await
    }
}

/// The plan form's `meeting[…]` fields, the deputies as `meeting[deputy_ids][i]`.
fn meeting_fields(form: Form, meeting: &MeetingInput) -> Form {
    let MeetingInput {
        title,
        term,
        session_number,
        timing,
        kind,
        format,
        date,
        starts_at,
        ends_at,
        venue_id,
        areas,
        chair,
        secretary,
        invited_count,
        notes,
        deputy_ids,
    } = meeting;
    form.field("meeting[title]", title)
        .field("meeting[term]", term)
        .field("meeting[session_number]", session_number)
        .field("meeting[timing]", timing)
        .field("meeting[kind]", kind)
        .field("meeting[format]", format)
        .field("meeting[date]", date)
        .field("meeting[starts_at]", starts_at)
        .field("meeting[ends_at]", ends_at)
        .unless_empty("meeting[venue_id]", venue_id)
        .unless_empty("meeting[areas]", areas)
        .unless_empty("meeting[chair]", chair)
        .unless_empty("meeting[secretary]", secretary)
        .unless_empty("meeting[invited_count]", invited_count)
        .unless_empty("meeting[notes]", notes)
        .numbered("meeting[deputy_ids]", deputy_ids)
}
