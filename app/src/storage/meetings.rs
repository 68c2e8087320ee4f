//! Deputies, venues, meetings, opinions and answers. Conflict checks read inside the caller's
//! `WriteTx`, so a check and the insert it allows cannot be interleaved with another booking.

use crate::domain::ids::{AttendeeId, DeputyId, MeetingId, OpinionId, VenueId};
use std::collections::HashMap;

use sqlx::any::AnyRow;
use sqlx::{AnyConnection, AnyPool, Row};

use super::db::{known_code, WriteTx};
use crate::domain::meeting::{
    CompetentLevel, DeputyLevel, Interval, MeetingFormat, MeetingKind, MeetingStatus, OpinionField,
    SessionTiming,
};
use crate::domain::meeting_record::{
    Answer, Attendee, Cancellation, Deputy, Meeting, MeetingFilter, MinutesVersion, Opinion,
    OpinionRef, Venue,
};
use crate::domain::text::fold;
use crate::domain::voter::Gender;

// ---- deputies and venues --------------------------------------------------------------------

/// A deputy's facts as saved.
pub struct DeputyFacts<'a> {
    pub full_name: &'a str,
    pub level: DeputyLevel,
    pub position: &'a str,
    pub constituency: &'a str,
    pub deputy_group: &'a str,
    pub contact: &'a str,
}

const DEPUTY_COLUMNS: &str = "id, full_name, level, position, constituency, deputy_group, contact";

fn deputy_from_row(row: &AnyRow) -> Result<Deputy, sqlx::Error> {
    Ok(Deputy {
        id: row.try_get("id")?,
        full_name: row.try_get("full_name")?,
        level: known_code(
            DeputyLevel::from_code(&row.try_get::<String, _>("level")?),
            "deputies.level",
        )?,
        position: row.try_get("position")?,
        constituency: row.try_get("constituency")?,
        deputy_group: row.try_get("deputy_group")?,
        contact: row.try_get("contact")?,
    })
}

pub async fn deputies(pool: &AnyPool) -> Result<Vec<Deputy>, sqlx::Error> {
    let sql = format!("select {DEPUTY_COLUMNS} from deputies order by full_name, id");
    let rows = sqlx::query(&sql).fetch_all(pool).await?;
    rows.iter().map(deputy_from_row).collect()
}

pub async fn deputy(pool: &AnyPool, id: DeputyId) -> Result<Option<Deputy>, sqlx::Error> {
    let sql = format!("select {DEPUTY_COLUMNS} from deputies where id = $1");
    let row = sqlx::query(&sql).bind(id).fetch_optional(pool).await?;
    row.as_ref().map(deputy_from_row).transpose()
}

pub async fn insert_deputy(
    tx: &mut WriteTx,
    facts: &DeputyFacts<'_>,
    now_ms: i64,
) -> Result<DeputyId, sqlx::Error> {
    sqlx::query(
        "insert into deputies (full_name, level, position, constituency, deputy_group, contact, \
         created_at_ms, updated_at_ms) values ($1, $2, $3, $4, $5, $6, $7, $7) returning id",
    )
    .bind(facts.full_name)
    .bind(facts.level.code())
    .bind(facts.position)
    .bind(facts.constituency)
    .bind(facts.deputy_group)
    .bind(facts.contact)
    .bind(now_ms)
    .fetch_one(&mut **tx)
    .await?
    .try_get(0)
}

/// Returns false when no such deputy exists.
pub async fn update_deputy(
    tx: &mut WriteTx,
    id: DeputyId,
    facts: &DeputyFacts<'_>,
    now_ms: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "update deputies set full_name = $2, level = $3, position = $4, constituency = $5, \
         deputy_group = $6, contact = $7, updated_at_ms = $8 where id = $1",
    )
    .bind(id)
    .bind(facts.full_name)
    .bind(facts.level.code())
    .bind(facts.position)
    .bind(facts.constituency)
    .bind(facts.deputy_group)
    .bind(facts.contact)
    .bind(now_ms)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

fn venue_from_row(row: &AnyRow) -> Result<Venue, sqlx::Error> {
    Ok(Venue {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        address: row.try_get("address")?,
        capacity: row.try_get("capacity")?,
    })
}

pub async fn venues(pool: &AnyPool) -> Result<Vec<Venue>, sqlx::Error> {
    let rows = sqlx::query("select id, name, address, capacity from venues order by name, id")
        .fetch_all(pool)
        .await?;
    rows.iter().map(venue_from_row).collect()
}

pub async fn insert_venue(
    tx: &mut WriteTx,
    venue: &Venue,
    now_ms: i64,
) -> Result<VenueId, sqlx::Error> {
    sqlx::query(
        "insert into venues (name, address, capacity, created_at_ms, updated_at_ms) \
         values ($1, $2, $3, $4, $4) returning id",
    )
    .bind(&venue.name)
    .bind(&venue.address)
    .bind(venue.capacity)
    .bind(now_ms)
    .fetch_one(&mut **tx)
    .await?
    .try_get(0)
}

/// Returns false when no such venue exists.
pub async fn update_venue(
    tx: &mut WriteTx,
    venue: &Venue,
    now_ms: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "update venues set name = $2, address = $3, capacity = $4, updated_at_ms = $5 where id = $1",
    )
    .bind(venue.id)
    .bind(&venue.name)
    .bind(&venue.address)
    .bind(venue.capacity)
    .bind(now_ms)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

// ---- meetings -------------------------------------------------------------------------------

/// A meeting plan as inserted.
pub struct NewMeeting<'a> {
    pub title: &'a str,
    pub term: &'a str,
    pub session_number: i64,
    pub timing: SessionTiming,
    pub kind: MeetingKind,
    pub format: MeetingFormat,
    pub span: Interval,
    pub venue_id: Option<VenueId>,
    pub areas: &'a str,
    pub chair: &'a str,
    pub secretary: &'a str,
    pub invited_count: i64,
    pub notes: &'a str,
    pub created_by: &'a str,
}

/// The meeting another booking collides with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clash {
    /// The deputy's or the venue's name.
    pub with: String,
    pub meeting_title: String,
    pub span: Interval,
}

fn clash_from_row(row: &AnyRow) -> Result<Clash, sqlx::Error> {
    Ok(Clash {
        with: row.try_get(0)?,
        meeting_title: row.try_get(1)?,
        span: Interval {
            start_ms: row.try_get(2)?,
            end_ms: row.try_get(3)?,
        },
    })
}

/// The earliest meeting (other than `except`, and not cancelled) in which one of `deputy_ids`
/// sits during `span`.
pub async fn deputy_clash(
    tx: &mut WriteTx,
    deputy_ids: &[DeputyId],
    span: Interval,
    except: Option<MeetingId>,
) -> Result<Option<Clash>, sqlx::Error> {
    for &deputy_id in deputy_ids {
        let row = sqlx::query(
            "select d.full_name, m.title, m.starts_at_ms, m.ends_at_ms \
             from meeting_deputies md join meetings m on m.id = md.meeting_id \
             join deputies d on d.id = md.deputy_id \
             where md.deputy_id = $1 and m.starts_at_ms < $3 and m.ends_at_ms > $2 and m.id <> $4 \
             and m.cancelled_at_ms is null \
             order by m.starts_at_ms limit 1",
        )
        .bind(deputy_id)
        .bind(span.start_ms)
        .bind(span.end_ms)
        .bind(except.map_or(0, i64::from))
        .fetch_optional(&mut **tx)
        .await?;
        if let Some(row) = row {
            return clash_from_row(&row).map(Some);
        }
    }
    Ok(None)
}

/// The earliest meeting (other than `except`, and not cancelled) held at `venue_id` during `span`.
pub async fn venue_clash(
    tx: &mut WriteTx,
    venue_id: VenueId,
    span: Interval,
    except: Option<MeetingId>,
) -> Result<Option<Clash>, sqlx::Error> {
    let row = sqlx::query(
        "select v.name, m.title, m.starts_at_ms, m.ends_at_ms \
         from meetings m join venues v on v.id = m.venue_id \
         where m.venue_id = $1 and m.starts_at_ms < $3 and m.ends_at_ms > $2 and m.id <> $4 \
         and m.cancelled_at_ms is null \
         order by m.starts_at_ms limit 1",
    )
    .bind(venue_id)
    .bind(span.start_ms)
    .bind(span.end_ms)
    .bind(except.map_or(0, i64::from))
    .fetch_optional(&mut **tx)
    .await?;
    row.as_ref().map(clash_from_row).transpose()
}

pub async fn insert_meeting(
    tx: &mut WriteTx,
    meeting: &NewMeeting<'_>,
    deputy_ids: &[DeputyId],
    now_ms: i64,
) -> Result<MeetingId, sqlx::Error> {
    let id: MeetingId = sqlx::query(
        "insert into meetings (title, term, session_number, timing, kind, format, starts_at_ms, \
         ends_at_ms, venue_id, areas, chair, secretary, invited_count, notes, status, created_by, \
         created_at_ms, updated_at_ms) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, \
         $13, $14, 'draft', $15, $16, $16) returning id",
    )
    .bind(meeting.title)
    .bind(meeting.term)
    .bind(meeting.session_number)
    .bind(meeting.timing.code())
    .bind(meeting.kind.code())
    .bind(meeting.format.code())
    .bind(meeting.span.start_ms)
    .bind(meeting.span.end_ms)
    .bind(meeting.venue_id)
    .bind(meeting.areas)
    .bind(meeting.chair)
    .bind(meeting.secretary)
    .bind(meeting.invited_count)
    .bind(meeting.notes)
    .bind(meeting.created_by)
    .bind(now_ms)
    .fetch_one(&mut **tx)
    .await?
    .try_get(0)?;
    for deputy_id in deputy_ids {
        sqlx::query("insert into meeting_deputies (meeting_id, deputy_id) values ($1, $2)")
            .bind(id)
            .bind(deputy_id)
            .execute(&mut **tx)
            .await?;
    }
    Ok(id)
}

/// Replaces a meeting's plan and its deputies; `created_by` is left as it was.
pub async fn update_meeting(
    tx: &mut WriteTx,
    id: MeetingId,
    meeting: &NewMeeting<'_>,
    deputy_ids: &[DeputyId],
    now_ms: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "update meetings set title = $2, term = $3, session_number = $4, timing = $5, kind = $6, \
         format = $7, starts_at_ms = $8, ends_at_ms = $9, venue_id = $10, areas = $11, chair = $12, \
         secretary = $13, invited_count = $14, notes = $15, updated_at_ms = $16 where id = $1",
    )
    .bind(id)
    .bind(meeting.title)
    .bind(meeting.term)
    .bind(meeting.session_number)
    .bind(meeting.timing.code())
    .bind(meeting.kind.code())
    .bind(meeting.format.code())
    .bind(meeting.span.start_ms)
    .bind(meeting.span.end_ms)
    .bind(meeting.venue_id)
    .bind(meeting.areas)
    .bind(meeting.chair)
    .bind(meeting.secretary)
    .bind(meeting.invited_count)
    .bind(meeting.notes)
    .bind(now_ms)
    .execute(&mut **tx)
    .await?;
    sqlx::query("delete from meeting_deputies where meeting_id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    for deputy_id in deputy_ids {
        sqlx::query("insert into meeting_deputies (meeting_id, deputy_id) values ($1, $2)")
            .bind(id)
            .bind(deputy_id)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// Marks the meeting cancelled; the row and its deputies stay for the record.
pub async fn cancel(
    tx: &mut WriteTx,
    id: MeetingId,
    by: &str,
    reason: &str,
    now_ms: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "update meetings set cancelled_at_ms = $2, cancelled_by = $3, cancel_reason = $4, \
         updated_at_ms = $2 where id = $1",
    )
    .bind(id)
    .bind(now_ms)
    .bind(by)
    .bind(reason)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// How many of `ids` name existing deputies.
pub async fn existing_deputies(tx: &mut WriteTx, ids: &[DeputyId]) -> Result<usize, sqlx::Error> {
    let mut found = 0;
    for id in ids {
        let row = sqlx::query("select 1 from deputies where id = $1")
            .bind(id)
            .fetch_optional(&mut **tx)
            .await?;
        found += usize::from(row.is_some());
    }
    Ok(found)
}

pub async fn venue_exists(tx: &mut WriteTx, id: VenueId) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query("select 1 from venues where id = $1")
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?
        .is_some())
}

const MEETING_COLUMNS: &str = "m.id, m.title, m.term, m.session_number, m.timing, m.kind, \
    m.format, m.starts_at_ms, m.ends_at_ms, m.venue_id, v.name as venue_name, \
    v.address as venue_address, v.capacity as venue_capacity, m.areas, m.chair, m.secretary, \
    m.invited_count, m.present_count, m.other_attendees, m.content_reported, m.ended_at_ms, \
    m.notes, m.status, m.finalised_at_ms, m.finalised_by, m.cancelled_at_ms, m.cancelled_by, \
    m.cancel_reason, m.correction_reason";

fn meeting_from_row(row: &AnyRow) -> Result<Meeting, sqlx::Error> {
    let venue_id: Option<VenueId> = row.try_get("venue_id")?;
    let venue = match venue_id {
        Some(id) => Some(Venue {
            id,
            name: row.try_get("venue_name")?,
            address: row.try_get("venue_address")?,
            capacity: row.try_get("venue_capacity")?,
        }),
        None => None,
    };
    Ok(Meeting {
        id: row.try_get("id")?,
        title: row.try_get("title")?,
        term: row.try_get("term")?,
        session_number: row.try_get("session_number")?,
        timing: known_code(
            SessionTiming::from_code(&row.try_get::<String, _>("timing")?),
            "meetings.timing",
        )?,
        kind: known_code(
            MeetingKind::from_code(&row.try_get::<String, _>("kind")?),
            "meetings.kind",
        )?,
        format: known_code(
            MeetingFormat::from_code(&row.try_get::<String, _>("format")?),
            "meetings.format",
        )?,
        span: Interval {
            start_ms: row.try_get("starts_at_ms")?,
            end_ms: row.try_get("ends_at_ms")?,
        },
        venue,
        areas: row.try_get("areas")?,
        chair: row.try_get("chair")?,
        secretary: row.try_get("secretary")?,
        invited_count: row.try_get("invited_count")?,
        present_count: row.try_get("present_count")?,
        other_attendees: row.try_get("other_attendees")?,
        content_reported: row.try_get("content_reported")?,
        ended_at_ms: row.try_get("ended_at_ms")?,
        notes: row.try_get("notes")?,
        status: known_code(
            MeetingStatus::from_code(&row.try_get::<String, _>("status")?),
            "meetings.status",
        )?,
        finalised_at_ms: row.try_get("finalised_at_ms")?,
        finalised_by: row.try_get("finalised_by")?,
        cancellation: match row.try_get::<Option<i64>, _>("cancelled_at_ms")? {
            Some(at_ms) => Some(Cancellation {
                at_ms,
                by: row
                    .try_get::<Option<String>, _>("cancelled_by")?
                    .unwrap_or_default(),
                reason: row
                    .try_get::<Option<String>, _>("cancel_reason")?
                    .unwrap_or_default(),
            }),
            None => None,
        },
        correction_reason: row.try_get("correction_reason")?,
        deputies: Vec::new(),
    })
}

/// Fills in the deputies of `meetings` with one query.
async fn attach_deputies(
    conn: &mut AnyConnection,
    meetings: &mut [Meeting],
) -> Result<(), sqlx::Error> {
    if meetings.is_empty() {
        return Ok(());
    }
    let ids = meetings
        .iter()
        .map(|m| m.id.to_string())
        .collect::<Vec<_>>()
        .join(", ");
    // The ids are integers read from the database, so splicing them in is safe.
    let sql = format!(
        "select md.meeting_id, d.id, d.full_name, d.level, d.position, d.constituency, \
         d.deputy_group, d.contact from meeting_deputies md join deputies d on d.id = md.deputy_id \
         where md.meeting_id in ({ids}) order by d.full_name, d.id"
    );
    let rows = sqlx::query(&sql).fetch_all(&mut *conn).await?;
    let mut by_meeting: HashMap<MeetingId, Vec<Deputy>> = HashMap::new();
    for row in &rows {
        let meeting_id: MeetingId = row.try_get("meeting_id")?;
        by_meeting
            .entry(meeting_id)
            .or_default()
            .push(deputy_from_row(row)?);
    }
    for meeting in meetings {
        meeting.deputies = by_meeting.remove(&meeting.id).unwrap_or_default();
    }
    Ok(())
}

/// Meetings matching `filter` on deputy, term, session and time; the area filter, a folded
/// substring match, is the caller's. In start order.
pub async fn meetings(pool: &AnyPool, filter: &MeetingFilter) -> Result<Vec<Meeting>, sqlx::Error> {
    let (from, to) = match (filter.from_ms, filter.to_ms) {
        (Some(from), Some(to)) => (from, to),
        _ => (i64::MIN, i64::MAX),
    };
    let sql = format!(
        "select {MEETING_COLUMNS} from meetings m left join venues v on v.id = m.venue_id \
         where ($1 = 0 or exists (select 1 from meeting_deputies md where md.meeting_id = m.id and md.deputy_id = $1)) \
         and ($2 = '' or m.term = $2) and ($3 = 0 or m.session_number = $3) \
         and m.starts_at_ms < $5 and m.ends_at_ms > $4 \
         order by m.starts_at_ms, m.id"
    );
    let rows = sqlx::query(&sql)
        .bind(filter.deputy_id.map_or(0, i64::from))
        .bind(&filter.term)
        .bind(filter.session_number.unwrap_or(0))
        .bind(from)
        .bind(to)
        .fetch_all(pool)
        .await?;
    let mut meetings = rows
        .iter()
        .map(meeting_from_row)
        .collect::<Result<Vec<_>, _>>()?;
    attach_deputies(&mut *pool.acquire().await?, &mut meetings).await?;
    Ok(meetings)
}

/// One meeting; `conn` may be a pooled connection or a write transaction (to read the record
/// as the transaction sees it).
pub async fn meeting(
    conn: &mut AnyConnection,
    id: MeetingId,
) -> Result<Option<Meeting>, sqlx::Error> {
    let sql = format!(
        "select {MEETING_COLUMNS} from meetings m left join venues v on v.id = m.venue_id where m.id = $1"
    );
    let Some(row) = sqlx::query(&sql)
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
    else {
        return Ok(None);
    };
    let mut found = [meeting_from_row(&row)?];
    attach_deputies(conn, &mut found).await?;
    let [meeting] = found;
    Ok(Some(meeting))
}

/// Where a meeting stands, as read inside a write transaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MeetingState {
    pub status: MeetingStatus,
    pub cancelled: bool,
    pub start_ms: i64,
}

/// The meeting's state read inside the write transaction, so a finalisation or cancellation
/// cannot slip in between the check and the change.
pub async fn state_for_update(
    tx: &mut WriteTx,
    id: MeetingId,
) -> Result<Option<MeetingState>, sqlx::Error> {
    let row =
        sqlx::query("select status, cancelled_at_ms, starts_at_ms from meetings where id = $1")
            .bind(id)
            .fetch_optional(&mut **tx)
            .await?;
    match row {
        Some(row) => Ok(Some(MeetingState {
            status: known_code(
                MeetingStatus::from_code(&row.try_get::<String, _>(0)?),
                "meetings.status",
            )?,
            cancelled: row.try_get::<Option<i64>, _>(1)?.is_some(),
            start_ms: row.try_get(2)?,
        })),
        None => Ok(None),
    }
}

/// What happened at the meeting, recorded afterwards.
pub struct Attendance<'a> {
    pub present_count: i64,
    pub other_attendees: &'a str,
    pub content_reported: &'a str,
    pub ended_at_ms: Option<i64>,
}

/// Records attendance and marks the meeting held.
pub async fn record_attendance(
    tx: &mut WriteTx,
    id: MeetingId,
    attendance: &Attendance<'_>,
    now_ms: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "update meetings set present_count = $2, other_attendees = $3, content_reported = $4, \
         ended_at_ms = $5, status = 'held', updated_at_ms = $6 where id = $1",
    )
    .bind(id)
    .bind(attendance.present_count)
    .bind(attendance.other_attendees)
    .bind(attendance.content_reported)
    .bind(attendance.ended_at_ms)
    .bind(now_ms)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Locks the record and closes an open correction.
pub async fn finalise(
    tx: &mut WriteTx,
    id: MeetingId,
    by: &str,
    now_ms: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "update meetings set status = 'finalised', finalised_at_ms = $2, finalised_by = $3, \
         correction_reason = null, updated_at_ms = $2 where id = $1",
    )
    .bind(id)
    .bind(now_ms)
    .bind(by)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

// ---- opinions and answers -------------------------------------------------------------------

pub struct NewOpinion<'a> {
    pub meeting_id: MeetingId,
    pub speaker: &'a str,
    pub address: &'a str,
    pub field: OpinionField,
    pub content: &'a str,
    pub competent_level: CompetentLevel,
    pub repeats_opinion_id: Option<OpinionId>,
    pub created_by: &'a str,
}

/// Inserts the opinion as the meeting's next numbered item; returns (id, number).
pub async fn insert_opinion(
    tx: &mut WriteTx,
    opinion: &NewOpinion<'_>,
    now_ms: i64,
) -> Result<(OpinionId, i64), sqlx::Error> {
    let highest: Option<i64> =
        sqlx::query("select max(number) from opinions where meeting_id = $1")
            .bind(opinion.meeting_id)
            .fetch_one(&mut **tx)
            .await?
            .try_get(0)?;
    let number = highest.unwrap_or(0) + 1;
    let id = sqlx::query(
        "insert into opinions (meeting_id, number, speaker, address, field, content, \
         competent_level, repeats_opinion_id, created_by, created_at_ms) \
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) returning id",
    )
    .bind(opinion.meeting_id)
    .bind(number)
    .bind(opinion.speaker)
    .bind(opinion.address)
    .bind(opinion.field.code())
    .bind(opinion.content)
    .bind(opinion.competent_level.code())
    .bind(opinion.repeats_opinion_id)
    .bind(opinion.created_by)
    .bind(now_ms)
    .fetch_one(&mut **tx)
    .await?
    .try_get(0)?;
    Ok((id, number))
}

/// The meeting an opinion belongs to.
pub async fn opinion_meeting(
    tx: &mut WriteTx,
    opinion_id: OpinionId,
) -> Result<Option<MeetingId>, sqlx::Error> {
    let row = sqlx::query("select meeting_id from opinions where id = $1")
        .bind(opinion_id)
        .fetch_optional(&mut **tx)
        .await?;
    row.map(|row| row.try_get(0)).transpose()
}

pub async fn insert_answer(
    tx: &mut WriteTx,
    opinion_id: OpinionId,
    answered_by: &str,
    content: &str,
    created_by: &str,
    now_ms: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query(
        "insert into answers (opinion_id, answered_by, content, created_by, created_at_ms) \
         values ($1, $2, $3, $4, $5) returning id",
    )
    .bind(opinion_id)
    .bind(answered_by)
    .bind(content)
    .bind(created_by)
    .bind(now_ms)
    .fetch_one(&mut **tx)
    .await?
    .try_get(0)
}

// ---- voters signed in by name ------------------------------------------------------------

/// A voter signing in at a meeting, cleaned by the service.
pub struct NewAttendee<'a> {
    pub meeting_id: MeetingId,
    pub full_name: &'a str,
    pub address: &'a str,
    pub gender: Option<Gender>,
    pub created_by: &'a str,
}

/// Records the sign-in; `None` when the same name already signed in from the same address
/// (compared without case or diacritics).
pub async fn insert_attendee(
    tx: &mut WriteTx,
    attendee: &NewAttendee<'_>,
    now_ms: i64,
) -> Result<Option<AttendeeId>, sqlx::Error> {
    let row = sqlx::query(
        "insert into meeting_attendees (meeting_id, full_name, name_folded, address, \
         address_folded, gender, created_by, created_at_ms) values ($1, $2, $3, $4, $5, $6, $7, $8) \
         on conflict (meeting_id, name_folded, address_folded) do nothing returning id",
    )
    .bind(attendee.meeting_id)
    .bind(attendee.full_name)
    .bind(fold(attendee.full_name))
    .bind(attendee.address)
    .bind(fold(attendee.address))
    .bind(attendee.gender.map_or("", Gender::code))
    .bind(attendee.created_by)
    .bind(now_ms)
    .fetch_optional(&mut **tx)
    .await?;
    row.map(|row| row.try_get(0)).transpose()
}

/// Removes a sign-in (entered by mistake); returns it as it was.
pub async fn delete_attendee(
    tx: &mut WriteTx,
    attendee_id: AttendeeId,
) -> Result<Option<Attendee>, sqlx::Error> {
    let row = sqlx::query(
        "delete from meeting_attendees where id = $1 returning id, full_name, address, gender",
    )
    .bind(attendee_id)
    .fetch_optional(&mut **tx)
    .await?;
    row.as_ref().map(attendee_from_row).transpose()
}

/// The meeting a sign-in belongs to.
pub async fn attendee_meeting(
    tx: &mut WriteTx,
    attendee_id: AttendeeId,
) -> Result<Option<MeetingId>, sqlx::Error> {
    let row = sqlx::query("select meeting_id from meeting_attendees where id = $1")
        .bind(attendee_id)
        .fetch_optional(&mut **tx)
        .await?;
    row.map(|row| row.try_get(0)).transpose()
}

/// How many voters signed in by name.
pub async fn attendee_count(tx: &mut WriteTx, meeting_id: MeetingId) -> Result<i64, sqlx::Error> {
    sqlx::query("select count(*) from meeting_attendees where meeting_id = $1")
        .bind(meeting_id)
        .fetch_one(&mut **tx)
        .await?
        .try_get(0)
}

fn attendee_from_row(row: &AnyRow) -> Result<Attendee, sqlx::Error> {
    let gender: String = row.try_get("gender")?;
    Ok(Attendee {
        id: row.try_get("id")?,
        full_name: row.try_get("full_name")?,
        address: row.try_get("address")?,
        gender: match gender.as_str() {
            "" => None,
            code => Some(known_code(Gender::from_code(code), "gender")?),
        },
    })
}

/// The meeting's sign-ins in the order they were made.
pub async fn attendees(
    conn: &mut AnyConnection,
    meeting_id: MeetingId,
) -> Result<Vec<Attendee>, sqlx::Error> {
    let rows = sqlx::query(
        "select id, full_name, address, gender from meeting_attendees \
         where meeting_id = $1 order by id",
    )
    .bind(meeting_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(attendee_from_row).collect()
}

const REF_COLUMNS: &str = "r.id as ref_id, r.meeting_id as ref_meeting_id, rm.title as ref_title, \
     rm.starts_at_ms as ref_start, r.number as ref_number, r.content as ref_content";

fn ref_from_row(row: &AnyRow) -> Result<Option<OpinionRef>, sqlx::Error> {
    let Some(opinion_id) = row.try_get::<Option<OpinionId>, _>("ref_id")? else {
        return Ok(None);
    };
    Ok(Some(OpinionRef {
        opinion_id,
        meeting_id: row.try_get("ref_meeting_id")?,
        meeting_title: row.try_get("ref_title")?,
        meeting_start_ms: row.try_get("ref_start")?,
        number: row.try_get("ref_number")?,
        content: row.try_get("ref_content")?,
    }))
}

/// The meeting's opinions in item order, each with the earlier petition it repeats.
pub async fn opinions(
    conn: &mut AnyConnection,
    meeting_id: MeetingId,
) -> Result<Vec<Opinion>, sqlx::Error> {
    let sql = format!(
        "select o.id, o.number, o.speaker, o.address, o.field, o.content, o.competent_level, \
         {REF_COLUMNS} from opinions o left join opinions r on r.id = o.repeats_opinion_id \
         left join meetings rm on rm.id = r.meeting_id where o.meeting_id = $1 order by o.number"
    );
    let rows = sqlx::query(&sql)
        .bind(meeting_id)
        .fetch_all(&mut *conn)
        .await?;
    rows.iter()
        .map(|row| {
            Ok(Opinion {
                id: row.try_get("id")?,
                number: row.try_get("number")?,
                speaker: row.try_get("speaker")?,
                address: row.try_get("address")?,
                field: known_code(
                    OpinionField::from_code(&row.try_get::<String, _>("field")?),
                    "opinions.field",
                )?,
                content: row.try_get("content")?,
                competent_level: known_code(
                    CompetentLevel::from_code(&row.try_get::<String, _>("competent_level")?),
                    "opinions.competent_level",
                )?,
                repeats: ref_from_row(row)?,
            })
        })
        .collect()
}

/// Answers to the meeting's opinions, in the order they were recorded.
pub async fn answers(
    conn: &mut AnyConnection,
    meeting_id: MeetingId,
) -> Result<Vec<Answer>, sqlx::Error> {
    let rows = sqlx::query(
        "select a.id, a.opinion_id, a.answered_by, a.content from answers a \
         join opinions o on o.id = a.opinion_id where o.meeting_id = $1 order by a.id",
    )
    .bind(meeting_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(Answer {
                id: row.try_get("id")?,
                opinion_id: row.try_get("opinion_id")?,
                answered_by: row.try_get("answered_by")?,
                content: row.try_get("content")?,
            })
        })
        .collect()
}

/// Opinions of meetings that started before `before_ms`, newest first, at most `limit`.
pub async fn earlier_opinions(
    pool: &AnyPool,
    before_ms: i64,
    limit: i64,
) -> Result<Vec<OpinionRef>, sqlx::Error> {
    let sql = format!(
        "select {REF_COLUMNS} from opinions r join meetings rm on rm.id = r.meeting_id \
         where rm.starts_at_ms < $1 order by rm.starts_at_ms desc, r.number limit $2"
    );
    let rows = sqlx::query(&sql)
        .bind(before_ms)
        .bind(limit)
        .fetch_all(pool)
        .await?;
    rows.iter()
        .filter_map(|row| ref_from_row(row).transpose())
        .collect()
}

// ---- versions of the finalised minutes ------------------------------------------------------

/// Reopens finalised minutes for a correction: the record is changeable ("held") again until it
/// is finalised as the next version.
pub async fn open_correction(
    tx: &mut WriteTx,
    id: MeetingId,
    reason: &str,
    now_ms: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "update meetings set status = 'held', correction_reason = $2, updated_at_ms = $3 \
         where id = $1",
    )
    .bind(id)
    .bind(reason)
    .bind(now_ms)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// How many versions of the meeting's minutes exist.
pub async fn version_count(tx: &mut WriteTx, meeting_id: MeetingId) -> Result<i64, sqlx::Error> {
    sqlx::query("select count(*) from meeting_minutes_versions where meeting_id = $1")
        .bind(meeting_id)
        .fetch_one(&mut **tx)
        .await?
        .try_get(0)
}

/// Stores the next version of the minutes; returns its number.
pub async fn insert_version(
    tx: &mut WriteTx,
    meeting_id: MeetingId,
    version: &MinutesVersion,
    record_json: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "insert into meeting_minutes_versions (meeting_id, version, reason, created_by, \
         created_at_ms, record) values ($1, $2, $3, $4, $5, $6)",
    )
    .bind(meeting_id)
    .bind(version.version)
    .bind(&version.reason)
    .bind(&version.created_by)
    .bind(version.created_at_ms)
    .bind(record_json)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

fn version_from_row(row: &AnyRow) -> Result<MinutesVersion, sqlx::Error> {
    Ok(MinutesVersion {
        version: row.try_get("version")?,
        reason: row.try_get("reason")?,
        created_by: row.try_get("created_by")?,
        created_at_ms: row.try_get("created_at_ms")?,
    })
}

/// The versions of a meeting's minutes, oldest first.
pub async fn versions(
    pool: &AnyPool,
    meeting_id: MeetingId,
) -> Result<Vec<MinutesVersion>, sqlx::Error> {
    let rows = sqlx::query(
        "select version, reason, created_by, created_at_ms from meeting_minutes_versions \
         where meeting_id = $1 order by version",
    )
    .bind(meeting_id)
    .fetch_all(pool)
    .await?;
    rows.iter().map(version_from_row).collect()
}

/// One version with the record it keeps (JSON), or the latest when `version` is `None`.
pub async fn version_record(
    pool: &AnyPool,
    meeting_id: MeetingId,
    version: Option<i64>,
) -> Result<Option<(MinutesVersion, String)>, sqlx::Error> {
    let row = sqlx::query(
        "select version, reason, created_by, created_at_ms, record from meeting_minutes_versions \
         where meeting_id = $1 and ($2 = 0 or version = $2) order by version desc limit 1",
    )
    .bind(meeting_id)
    .bind(version.unwrap_or(0))
    .fetch_optional(pool)
    .await?;
    row.map(|row| Ok((version_from_row(&row)?, row.try_get("record")?)))
        .transpose()
}
