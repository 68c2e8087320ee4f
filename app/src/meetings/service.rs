//! Meeting operations. Input is parsed here into domain values; every change and its audit
//! record share one serialised write transaction, which is also what makes the conflict checks
//! hold under concurrent bookings: the check and the insert it allows run under one write lock.

use crate::domain::ids::{AttendeeId, DeputyId, MeetingId, OpinionId, VenueId};
use serde_json::json;

use super::model::{
    AttendanceInput, AttendeeInput, DeputyInput, MeetingInput, OpinionInput, VenueInput,
};
use crate::domain::audit::{AuditAction, AuditSubject};
use crate::domain::meeting::{
    day_has_come, parse_clock, vietnam_date, vietnam_instant, CompetentLevel, DeputyLevel,
    Interval, MeetingFormat, MeetingKind, MeetingStatus, OpinionField, SessionTiming,
};
use crate::domain::meeting_record::{
    Meeting, MeetingDetail, MeetingFilter, MinutesRecord, MinutesVersion, Venue,
};
use crate::domain::text::clean_cell;
use crate::domain::text::fold;
use crate::domain::voter::{Date, Gender};
use crate::error::{AppError, ErrorCode, ErrorDetail};
use crate::meetings::model::Registry;
use crate::request::{audit, CurrentSession};
use crate::storage::db::now_ms;
use crate::storage::db::{Db, WriteTx};
use crate::storage::meetings::{
    self as store, Attendance, Clash, DeputyFacts, MeetingState, NewAttendee, NewMeeting,
    NewOpinion,
};

/// How many earlier petitions the "repeats" choice offers.
const EARLIER_OPINIONS_SHOWN: i64 = 200;

fn required(text: &str) -> Result<String, AppError> {
    let text = clean_cell(text);
    if text.is_empty() {
        return Err(ErrorCode::InvalidInput.into());
    }
    Ok(text)
}

/// A count typed in a form: empty is 0, anything but a non-negative integer is refused.
fn count(text: &str) -> Result<i64, AppError> {
    let text = clean_cell(text).replace('.', "");
    if text.is_empty() {
        return Ok(0);
    }
    text.parse::<i64>()
        .ok()
        .filter(|n| *n >= 0)
        .ok_or_else(|| ErrorCode::InvalidInput.into())
}

#[tracing::instrument(skip_all)]
pub async fn registry(db: &Db) -> Result<Registry, AppError> {
    Ok(Registry {
        deputies: store::deputies(db.pool()).await?,
        venues: store::venues(db.pool()).await?,
        ward: crate::storage::voters::ward(db.pool()).await?,
    })
}

#[tracing::instrument(skip_all)]
pub async fn save_deputy(
    db: &Db,
    session: &CurrentSession,
    existing: Option<DeputyId>,
    input: &DeputyInput,
) -> Result<DeputyId, AppError> {
    let full_name = required(&input.full_name)?;
    let level = DeputyLevel::from_code(&input.level).ok_or(ErrorCode::InvalidInput)?;
    let (position, constituency, deputy_group, contact) = (
        clean_cell(&input.position),
        clean_cell(&input.constituency),
        clean_cell(&input.deputy_group),
        clean_cell(&input.contact),
    );
    let facts = DeputyFacts {
        full_name: &full_name,
        level,
        position: &position,
        constituency: &constituency,
        deputy_group: &deputy_group,
        contact: &contact,
    };
    let after = json!({
        "full_name": full_name, "level": level.code(), "position": position,
        "constituency": constituency, "deputy_group": deputy_group, "contact": contact,
    })
    .to_string();
    let before = match existing {
        None => String::new(),
        Some(id) => {
            let old = store::deputy(db.pool(), id)
                .await?
                .ok_or(ErrorCode::NotFound)?;
            json!({
                "full_name": old.full_name, "level": old.level.code(), "position": old.position,
                "constituency": old.constituency, "deputy_group": old.deputy_group, "contact": old.contact,
            })
            .to_string()
        }
    };
    let now = now_ms();
    let mut tx = db.begin_write().await?;
    let (id, action) = match existing {
        None => (
            store::insert_deputy(&mut tx, &facts, now).await?,
            AuditAction::DeputyCreate,
        ),
        Some(id) if store::update_deputy(&mut tx, id, &facts, now).await? => {
            (id, AuditAction::DeputyUpdate)
        }
        Some(_) => return Err(ErrorCode::NotFound.into()),
    };
    audit(
        &mut tx,
        session,
        action,
        AuditSubject::Deputy(id),
        before,
        after,
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

#[tracing::instrument(skip_all)]
pub async fn save_venue(
    db: &Db,
    session: &CurrentSession,
    existing: Option<VenueId>,
    input: &VenueInput,
) -> Result<VenueId, AppError> {
    let mut venue = Venue {
        id: existing.unwrap_or(VenueId::UNKNOWN),
        name: required(&input.name)?,
        address: clean_cell(&input.address),
        capacity: count(&input.capacity)?,
    };
    let after = json!({ "name": venue.name, "address": venue.address, "capacity": venue.capacity })
        .to_string();
    let now = now_ms();
    let mut tx = db.begin_write().await?;
    let action = if existing.is_none() {
        venue.id = store::insert_venue(&mut tx, &venue, now).await?;
        AuditAction::VenueCreate
    } else if store::update_venue(&mut tx, &venue, now).await? {
        AuditAction::VenueUpdate
    } else {
        return Err(ErrorCode::NotFound.into());
    };
    audit(
        &mut tx,
        session,
        action,
        AuditSubject::Venue(venue.id),
        String::new(),
        after,
    )
    .await?;
    tx.commit().await?;
    Ok(venue.id)
}

/// Meetings matching the filter, the area compared without diacritics ("khom 3" finds "Khóm 3").
#[tracing::instrument(skip_all)]
pub async fn list(db: &Db, filter: &MeetingFilter) -> Result<Vec<Meeting>, AppError> {
    let filter = MeetingFilter {
        term: clean_cell(&filter.term),
        ..filter.clone()
    };
    let mut meetings = store::meetings(db.pool(), &filter).await?;
    let area = fold(&filter.area);
    if !area.is_empty() {
        meetings.retain(|m| fold(&m.areas).contains(&area) || fold(&m.title).contains(&area));
    }
    Ok(meetings)
}

/// The plan as parsed from the form.
struct Plan {
    title: String,
    term: String,
    session_number: i64,
    timing: SessionTiming,
    kind: MeetingKind,
    format: MeetingFormat,
    span: Interval,
    venue_id: Option<VenueId>,
    areas: String,
    chair: String,
    secretary: String,
    invited_count: i64,
    notes: String,
    deputy_ids: Vec<DeputyId>,
}

fn parse_plan(input: &MeetingInput) -> Result<Plan, AppError> {
    let date = Date::parse(&input.date).ok_or(ErrorCode::MeetingTimeInvalid)?;
    let start = parse_clock(&input.starts_at).ok_or(ErrorCode::MeetingTimeInvalid)?;
    let end = parse_clock(&input.ends_at).ok_or(ErrorCode::MeetingTimeInvalid)?;
    let span = Interval::new(vietnam_instant(date, start), vietnam_instant(date, end))
        .ok_or(ErrorCode::MeetingTimeInvalid)?;
    let session_number = count(&input.session_number)?;
    let mut deputy_ids = input.deputy_ids.clone();
    deputy_ids.sort_unstable();
    deputy_ids.dedup();
    if deputy_ids.is_empty() {
        return Err(ErrorCode::MeetingNeedsDeputy.into());
    }
    let areas = clean_cell(&input.areas);
    let title = match clean_cell(&input.title) {
        title if title.is_empty() => areas.clone(),
        title => title,
    };
    if title.is_empty() || session_number == 0 {
        return Err(ErrorCode::InvalidInput.into());
    }
    let venue_id = match clean_cell(&input.venue_id).as_str() {
        "" | "0" => None,
        id => Some(id.parse::<VenueId>().map_err(|_| ErrorCode::InvalidInput)?),
    };
    let format = MeetingFormat::from_code(&input.format).ok_or(ErrorCode::InvalidInput)?;
    Ok(Plan {
        title,
        term: required(&input.term)?.to_uppercase(),
        session_number,
        timing: SessionTiming::from_code(&input.timing).ok_or(ErrorCode::InvalidInput)?,
        kind: MeetingKind::from_code(&input.kind).ok_or(ErrorCode::InvalidInput)?,
        format,
        span,
        venue_id,
        areas,
        chair: clean_cell(&input.chair),
        secretary: clean_cell(&input.secretary),
        invited_count: count(&input.invited_count)?,
        notes: clean_cell(&input.notes),
        deputy_ids,
    })
}

fn clash_error(code: ErrorCode, clash: Clash) -> AppError {
    let mut error = AppError::new(code);
    error.detail = Some(ErrorDetail::Clash {
        with: clash.with,
        meeting: clash.meeting_title,
        start_ms: clash.span.start_ms,
        end_ms: clash.span.end_ms,
    });
    error
}

/// Refuses a plan whose deputies or venue do not exist or are taken at an overlapping time by
/// another meeting than `except` (the meeting being edited, which cannot clash with itself).
/// Runs inside the write transaction, so of two concurrent bookings that collide, the second
/// sees the first.
async fn check_plan(
    tx: &mut WriteTx,
    plan: &Plan,
    except: Option<MeetingId>,
) -> Result<(), AppError> {
    if store::existing_deputies(tx, &plan.deputy_ids).await? != plan.deputy_ids.len() {
        return Err(ErrorCode::NotFound.into());
    }
    if let Some(clash) = store::deputy_clash(tx, &plan.deputy_ids, plan.span, except).await? {
        return Err(clash_error(ErrorCode::MeetingDeputyBusy, clash));
    }
    if let Some(venue_id) = plan.venue_id {
        if !store::venue_exists(tx, venue_id).await? {
            return Err(ErrorCode::NotFound.into());
        }
        if let Some(clash) = store::venue_clash(tx, venue_id, plan.span, except).await? {
            return Err(clash_error(ErrorCode::MeetingVenueBusy, clash));
        }
    }
    Ok(())
}

impl Plan {
    fn row<'a>(&'a self, created_by: &'a str) -> NewMeeting<'a> {
        NewMeeting {
            title: &self.title,
            term: &self.term,
            session_number: self.session_number,
            timing: self.timing,
            kind: self.kind,
            format: self.format,
            span: self.span,
            venue_id: self.venue_id,
            areas: &self.areas,
            chair: &self.chair,
            secretary: &self.secretary,
            invited_count: self.invited_count,
            notes: &self.notes,
            created_by,
        }
    }

    fn audit_json(&self) -> String {
        json!({
            "title": self.title, "term": self.term, "session_number": self.session_number,
            "timing": self.timing.code(), "kind": self.kind.code(), "format": self.format.code(),
            "starts_at_ms": self.span.start_ms, "ends_at_ms": self.span.end_ms,
            "venue_id": self.venue_id, "areas": self.areas, "chair": self.chair,
            "secretary": self.secretary, "invited_count": self.invited_count, "notes": self.notes,
            "deputy_ids": self.deputy_ids,
        })
        .to_string()
    }
}

/// The plan of a stored meeting in the audit log's shape, for the "before" of an edit.
fn meeting_audit_json(m: &Meeting) -> String {
    let mut deputy_ids: Vec<DeputyId> = m.deputies.iter().map(|d| d.id).collect();
    deputy_ids.sort_unstable();
    json!({
        "title": m.title, "term": m.term, "session_number": m.session_number,
        "timing": m.timing.code(), "kind": m.kind.code(), "format": m.format.code(),
        "starts_at_ms": m.span.start_ms, "ends_at_ms": m.span.end_ms,
        "venue_id": m.venue.as_ref().map(|v| v.id), "areas": m.areas, "chair": m.chair,
        "secretary": m.secretary, "invited_count": m.invited_count, "notes": m.notes,
        "deputy_ids": deputy_ids,
    })
    .to_string()
}

/// Schedules a meeting, refused when a deputy or the venue is taken (see [`check_plan`]).
#[tracing::instrument(skip_all)]
pub async fn create(
    db: &Db,
    session: &CurrentSession,
    input: &MeetingInput,
) -> Result<MeetingId, AppError> {
    let plan = parse_plan(input)?;
    let mut tx = db.begin_write().await?;
    check_plan(&mut tx, &plan, None).await?;
    let new = plan.row(&session.user.username);
    let id = store::insert_meeting(&mut tx, &new, &plan.deputy_ids, now_ms()).await?;
    audit(
        &mut tx,
        session,
        AuditAction::MeetingCreate,
        AuditSubject::Meeting(id),
        String::new(),
        plan.audit_json(),
    )
    .await?;
    tx.commit().await?;
    tracing::info!(meeting = %id, user = %session.user.username, "meeting scheduled");
    Ok(id)
}

/// Changes a meeting's plan with the same checks as scheduling. Refused once the minutes are
/// finalised or the meeting is cancelled.
#[tracing::instrument(skip_all)]
pub async fn update(
    db: &Db,
    session: &CurrentSession,
    meeting_id: MeetingId,
    input: &MeetingInput,
) -> Result<(), AppError> {
    let plan = parse_plan(input)?;
    let old = store::meeting(&mut *db.pool().acquire().await?, meeting_id)
        .await?
        .ok_or(ErrorCode::NotFound)?;
    let mut tx = db.begin_write().await?;
    if changeable(&mut tx, meeting_id).await?.status == MeetingStatus::Held {
        // Its attendance is recorded: the meeting cannot move to a day still to come.
        refuse_before_its_day(plan.span.start_ms)?;
    }
    check_plan(&mut tx, &plan, Some(meeting_id)).await?;
    store::update_meeting(
        &mut tx,
        meeting_id,
        &plan.row(&session.user.username),
        &plan.deputy_ids,
        now_ms(),
    )
    .await?;
    audit(
        &mut tx,
        session,
        AuditAction::MeetingUpdate,
        AuditSubject::Meeting(meeting_id),
        meeting_audit_json(&old),
        plan.audit_json(),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Cancels a planned meeting with a reason. The meeting stays listed as cancelled and no
/// longer holds its deputies or venue; one already held cannot be cancelled.
#[tracing::instrument(skip_all)]
pub async fn cancel(
    db: &Db,
    session: &CurrentSession,
    meeting_id: MeetingId,
    reason: &str,
) -> Result<(), AppError> {
    let reason = clean_cell(reason);
    if reason.is_empty() {
        return Err(ErrorCode::ReasonRequired.into());
    }
    let mut tx = db.begin_write().await?;
    match changeable(&mut tx, meeting_id).await?.status {
        MeetingStatus::Draft => {}
        _ => return Err(ErrorCode::MeetingAlreadyHeld.into()),
    }
    let now = now_ms();
    store::cancel(&mut tx, meeting_id, &session.user.username, &reason, now).await?;
    audit(
        &mut tx,
        session,
        AuditAction::MeetingCancel,
        AuditSubject::Meeting(meeting_id),
        json!({ "cancelled": false }).to_string(),
        json!({ "cancelled": true, "reason": reason }).to_string(),
    )
    .await?;
    tx.commit().await?;
    tracing::info!(meeting = %meeting_id, user = %session.user.username, "meeting cancelled");
    Ok(())
}

#[tracing::instrument(skip_all)]
pub async fn detail(db: &Db, meeting_id: MeetingId) -> Result<MeetingDetail, AppError> {
    let mut conn = db.pool().acquire().await?;
    let meeting = store::meeting(&mut conn, meeting_id)
        .await?
        .ok_or(ErrorCode::NotFound)?;
    let earlier =
        store::earlier_opinions(db.pool(), meeting.span.start_ms, EARLIER_OPINIONS_SHOWN).await?;
    Ok(MeetingDetail {
        opinions: store::opinions(&mut conn, meeting_id).await?,
        answers: store::answers(&mut conn, meeting_id).await?,
        attendees: store::attendees(&mut conn, meeting_id).await?,
        earlier_opinions: earlier,
        versions: store::versions(db.pool(), meeting_id).await?,
        ward: crate::storage::voters::ward(db.pool()).await?,
        meeting,
    })
}

/// The record as the transaction sees it, for a version of the minutes.
async fn record_in(tx: &mut WriteTx, meeting_id: MeetingId) -> Result<MinutesRecord, AppError> {
    let meeting = store::meeting(tx, meeting_id)
        .await?
        .ok_or(ErrorCode::NotFound)?;
    Ok(MinutesRecord {
        opinions: store::opinions(tx, meeting_id).await?,
        answers: store::answers(tx, meeting_id).await?,
        attendees: store::attendees(tx, meeting_id).await?,
        meeting,
    })
}

/// Keeps the record, as just finalised, as the next version of the minutes.
async fn keep_version(
    tx: &mut WriteTx,
    meeting_id: MeetingId,
    version: MinutesVersion,
) -> Result<MinutesVersion, AppError> {
    let record = record_in(tx, meeting_id).await?;
    let json = serde_json::to_string(&record).map_err(AppError::internal)?;
    store::insert_version(tx, meeting_id, &version, &json).await?;
    Ok(version)
}

/// The minutes to print: the given version, else the latest one, else (never finalised, or
/// finalised before versions were kept) the live record with no version.
#[tracing::instrument(skip_all)]
pub async fn minutes(
    db: &Db,
    meeting_id: MeetingId,
    version: Option<i64>,
) -> Result<(Option<MinutesVersion>, MinutesRecord), AppError> {
    if let Some((kept, json)) = store::version_record(db.pool(), meeting_id, version).await? {
        let record = serde_json::from_str(&json).map_err(AppError::internal)?;
        return Ok((Some(kept), record));
    }
    if version.is_some() {
        return Err(ErrorCode::NotFound.into());
    }
    let d = detail(db, meeting_id).await?;
    Ok((
        None,
        MinutesRecord {
            meeting: d.meeting,
            opinions: d.opinions,
            answers: d.answers,
            attendees: d.attendees,
        },
    ))
}

/// The meeting's state, read in the write transaction, when its record may still change:
/// neither finalised nor cancelled.
async fn changeable(tx: &mut WriteTx, meeting_id: MeetingId) -> Result<MeetingState, AppError> {
    match store::state_for_update(tx, meeting_id).await? {
        None => Err(ErrorCode::NotFound.into()),
        Some(MeetingState {
            cancelled: true, ..
        }) => Err(ErrorCode::MeetingCancelled.into()),
        Some(MeetingState {
            status: MeetingStatus::Finalised,
            ..
        }) => Err(ErrorCode::MeetingFinalised.into()),
        Some(state) => Ok(state),
    }
}

/// Refuses to record a meeting as held (attendance, sign-ins, the minutes) before its day has
/// come in Vietnam, naming that day.
fn refuse_before_its_day(start_ms: i64) -> Result<(), AppError> {
    if day_has_come(start_ms, now_ms()) {
        return Ok(());
    }
    let mut error = AppError::new(ErrorCode::MeetingNotYetHeld);
    error.detail = Some(ErrorDetail::Subject(vietnam_date(start_ms).display()));
    Err(error)
}

#[tracing::instrument(skip_all)]
pub async fn record_attendance(
    db: &Db,
    session: &CurrentSession,
    meeting_id: MeetingId,
    input: &AttendanceInput,
) -> Result<(), AppError> {
    if clean_cell(&input.present_count).is_empty() {
        return Err(ErrorCode::InvalidInput.into());
    }
    let present_count = count(&input.present_count)?;
    let ended_at = match clean_cell(&input.ended_at).as_str() {
        "" => None,
        text => Some(parse_clock(text).ok_or(ErrorCode::MeetingTimeInvalid)?),
    };
    let mut tx = db.begin_write().await?;
    refuse_before_its_day(changeable(&mut tx, meeting_id).await?.start_ms)?;
    let meeting = store::meeting(&mut tx, meeting_id)
        .await?
        .ok_or(ErrorCode::NotFound)?;
    let ended_at_ms =
        ended_at.map(|minutes| vietnam_instant(vietnam_date(meeting.span.start_ms), minutes));
    let (other_attendees, content_reported) = (
        clean_cell(&input.other_attendees),
        clean_cell(&input.content_reported),
    );
    let attendance = Attendance {
        present_count,
        other_attendees: &other_attendees,
        content_reported: &content_reported,
        ended_at_ms,
    };
    if present_count < store::attendee_count(&mut tx, meeting_id).await? {
        return Err(ErrorCode::MeetingFewerPresentThanSigned.into());
    }
    store::record_attendance(&mut tx, meeting_id, &attendance, now_ms()).await?;
    let before = json!({
        "status": meeting.status.code(), "present_count": meeting.present_count,
        "other_attendees": meeting.other_attendees, "content_reported": meeting.content_reported,
        "ended_at_ms": meeting.ended_at_ms,
    })
    .to_string();
    let after = json!({
        "status": MeetingStatus::Held.code(), "present_count": present_count,
        "other_attendees": other_attendees, "content_reported": content_reported,
        "ended_at_ms": ended_at_ms,
    })
    .to_string();
    audit(
        &mut tx,
        session,
        AuditAction::MeetingAttendance,
        AuditSubject::Meeting(meeting_id),
        before,
        after,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A voter signs in by name. Refused when the same name signed in from the same address.
#[tracing::instrument(skip_all)]
pub async fn add_attendee(
    db: &Db,
    session: &CurrentSession,
    meeting_id: MeetingId,
    input: &AttendeeInput,
) -> Result<AttendeeId, AppError> {
    let full_name = required(&input.full_name)?;
    let address = clean_cell(&input.address);
    let gender = match clean_cell(&input.gender).as_str() {
        "" => None,
        code => Some(Gender::from_code(code).ok_or(ErrorCode::InvalidInput)?),
    };
    let mut tx = db.begin_write().await?;
    refuse_before_its_day(changeable(&mut tx, meeting_id).await?.start_ms)?;
    let attendee = NewAttendee {
        meeting_id,
        full_name: &full_name,
        address: &address,
        gender,
        created_by: &session.user.username,
    };
    let id = store::insert_attendee(&mut tx, &attendee, now_ms())
        .await?
        .ok_or(ErrorCode::MeetingAttendeeTwice)?;
    let after = json!({
        "meeting_id": meeting_id, "full_name": full_name, "address": address,
        "gender": gender.map(Gender::code),
    })
    .to_string();
    audit(
        &mut tx,
        session,
        AuditAction::MeetingAttendeeAdd,
        AuditSubject::Attendee(id),
        String::new(),
        after,
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Removes a sign-in entered by mistake; the audit log keeps what it was.
#[tracing::instrument(skip_all)]
pub async fn remove_attendee(
    db: &Db,
    session: &CurrentSession,
    attendee_id: AttendeeId,
) -> Result<(), AppError> {
    let mut tx = db.begin_write().await?;
    let meeting_id = store::attendee_meeting(&mut tx, attendee_id)
        .await?
        .ok_or(ErrorCode::NotFound)?;
    changeable(&mut tx, meeting_id).await?;
    let removed = store::delete_attendee(&mut tx, attendee_id)
        .await?
        .ok_or(ErrorCode::NotFound)?;
    let before = json!({
        "meeting_id": meeting_id, "full_name": removed.full_name, "address": removed.address,
        "gender": removed.gender.map(Gender::code),
    })
    .to_string();
    audit(
        &mut tx,
        session,
        AuditAction::MeetingAttendeeRemove,
        AuditSubject::Attendee(attendee_id),
        before,
        String::new(),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

#[tracing::instrument(skip_all)]
pub async fn add_opinion(
    db: &Db,
    session: &CurrentSession,
    meeting_id: MeetingId,
    input: &OpinionInput,
) -> Result<i64, AppError> {
    let speaker = required(&input.speaker)?;
    let content = required(&input.content)?;
    let address = clean_cell(&input.address);
    let field = OpinionField::from_code(&input.field).ok_or(ErrorCode::InvalidInput)?;
    let competent_level =
        CompetentLevel::from_code(&input.competent_level).ok_or(ErrorCode::InvalidInput)?;
    let repeats_opinion_id = match clean_cell(&input.repeats_opinion_id).as_str() {
        "" | "0" => None,
        id => Some(
            id.parse::<OpinionId>()
                .map_err(|_| ErrorCode::InvalidInput)?,
        ),
    };
    let mut tx = db.begin_write().await?;
    changeable(&mut tx, meeting_id).await?;
    if let Some(earlier) = repeats_opinion_id {
        // A repeat points at a petition of another meeting, never at this one's own items.
        match store::opinion_meeting(&mut tx, earlier).await? {
            Some(other) if other != meeting_id => {}
            _ => return Err(ErrorCode::InvalidInput.into()),
        }
    }
    let opinion = NewOpinion {
        meeting_id,
        speaker: &speaker,
        address: &address,
        field,
        content: &content,
        competent_level,
        repeats_opinion_id,
        created_by: &session.user.username,
    };
    let (id, number) = store::insert_opinion(&mut tx, &opinion, now_ms()).await?;
    let after = json!({
        "meeting_id": meeting_id, "number": number, "speaker": speaker, "address": address,
        "field": field.code(), "content": content, "competent_level": competent_level.code(),
        "repeats_opinion_id": repeats_opinion_id,
    })
    .to_string();
    audit(
        &mut tx,
        session,
        AuditAction::MeetingOpinionAdd,
        AuditSubject::Opinion(id),
        String::new(),
        after,
    )
    .await?;
    tx.commit().await?;
    Ok(number)
}

#[tracing::instrument(skip_all)]
pub async fn add_answer(
    db: &Db,
    session: &CurrentSession,
    opinion_id: OpinionId,
    answered_by: &str,
    content: &str,
) -> Result<i64, AppError> {
    let answered_by = required(answered_by)?;
    let content = required(content)?;
    let mut tx = db.begin_write().await?;
    let meeting_id = store::opinion_meeting(&mut tx, opinion_id)
        .await?
        .ok_or(ErrorCode::NotFound)?;
    changeable(&mut tx, meeting_id).await?;
    let id = store::insert_answer(
        &mut tx,
        opinion_id,
        &answered_by,
        &content,
        &session.user.username,
        now_ms(),
    )
    .await?;
    let after = json!({ "opinion_id": opinion_id, "answered_by": answered_by, "content": content })
        .to_string();
    audit(
        &mut tx,
        session,
        AuditAction::MeetingAnswerAdd,
        AuditSubject::Answer(id),
        String::new(),
        after,
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Locks the record: attendance, opinions and answers can no longer change. The record is kept
/// as the next version of the minutes (with the correction's reason after a correction).
#[tracing::instrument(skip_all)]
pub async fn finalise(
    db: &Db,
    session: &CurrentSession,
    meeting_id: MeetingId,
) -> Result<(), AppError> {
    let mut tx = db.begin_write().await?;
    let MeetingState {
        status, start_ms, ..
    } = changeable(&mut tx, meeting_id).await?;
    if status != MeetingStatus::Held {
        return Err(ErrorCode::MeetingNotHeld.into());
    }
    // Attendance is refused before the meeting's day, but a meeting recorded as held before
    // that rule existed may still be early.
    refuse_before_its_day(start_ms)?;
    let meeting = store::meeting(&mut tx, meeting_id)
        .await?
        .ok_or(ErrorCode::NotFound)?;
    // Sign-ins may come after the count of those present was saved; the minutes must agree.
    if meeting.present_count.unwrap_or(0) < store::attendee_count(&mut tx, meeting_id).await? {
        return Err(ErrorCode::MeetingFewerPresentThanSigned.into());
    }
    let reason = meeting.correction_reason.unwrap_or_default();
    let now = now_ms();
    store::finalise(&mut tx, meeting_id, &session.user.username, now).await?;
    let next = store::version_count(&mut tx, meeting_id).await? + 1;
    let kept = keep_version(
        &mut tx,
        meeting_id,
        MinutesVersion {
            version: next,
            reason,
            created_by: session.user.username.clone(),
            created_at_ms: now,
        },
    )
    .await?;
    audit(
        &mut tx,
        session,
        AuditAction::MeetingFinalise,
        AuditSubject::Meeting(meeting_id),
        json!({ "status": status.code() }).to_string(),
        json!({
            "status": MeetingStatus::Finalised.code(), "version": kept.version,
            "reason": kept.reason,
        })
        .to_string(),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Reopens finalised minutes for a correction, with a reason. The versions already kept do
/// not change; finalising again keeps the corrected record as the next version.
#[tracing::instrument(skip_all)]
pub async fn open_correction(
    db: &Db,
    session: &CurrentSession,
    meeting_id: MeetingId,
    reason: &str,
) -> Result<(), AppError> {
    let reason = clean_cell(reason);
    if reason.is_empty() {
        return Err(ErrorCode::ReasonRequired.into());
    }
    let mut tx = db.begin_write().await?;
    match store::state_for_update(&mut tx, meeting_id).await? {
        None => return Err(ErrorCode::NotFound.into()),
        Some(MeetingState {
            cancelled: true, ..
        }) => return Err(ErrorCode::MeetingCancelled.into()),
        Some(MeetingState {
            status: MeetingStatus::Finalised,
            ..
        }) => {}
        Some(_) => return Err(ErrorCode::MeetingNotFinalised.into()),
    }
    let kept = store::version_count(&mut tx, meeting_id).await?;
    if kept == 0 {
        // Finalised before versions were kept: the record, still locked, is version 1.
        let m = store::meeting(&mut tx, meeting_id)
            .await?
            .ok_or(ErrorCode::NotFound)?;
        keep_version(
            &mut tx,
            meeting_id,
            MinutesVersion {
                version: 1,
                reason: String::new(),
                created_by: m.finalised_by.unwrap_or_default(),
                created_at_ms: m.finalised_at_ms.unwrap_or_default(),
            },
        )
        .await?;
    }
    store::open_correction(&mut tx, meeting_id, &reason, now_ms()).await?;
    audit(
        &mut tx,
        session,
        AuditAction::MeetingCorrectionOpen,
        AuditSubject::Meeting(meeting_id),
        json!({ "status": MeetingStatus::Finalised.code(), "versions": kept.max(1) }).to_string(),
        json!({ "status": MeetingStatus::Held.code(), "reason": reason }).to_string(),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
