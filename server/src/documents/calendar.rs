//! A deputy's meetings as an iCalendar feed, for a calendar program.

use app::domain::ids::DeputyId;
use app::domain::meeting_record::MeetingFilter;
use app::domain::role::Permission;
use app::request::CurrentSession;
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Extension, Router};

use super::wording::venue_line;
use super::{allowed, internal, DocState, Refusal};

pub(super) fn routes(state: DocState) -> Router {
    Router::new()
        .route("/meetings/deputies/{file}", get(deputy_calendar))
        .with_state(state)
}

/// GET /meetings/deputies/{id}.ics: the deputy's meetings, for a calendar program.
async fn deputy_calendar(
    State(state): State<DocState>,
    session: Option<Extension<CurrentSession>>,
    Path(file): Path<String>,
) -> Result<Response, Refusal> {
    allowed(&session, Permission::ManageMeetings)?;
    let not_found = || Refusal::page(StatusCode::NOT_FOUND, "Không tìm thấy đại biểu.");
    let id: DeputyId = file
        .strip_suffix(".ics")
        .and_then(|id| id.parse().ok())
        .ok_or_else(not_found)?;
    let db = &state.app.db;
    let deputy = app::storage::meetings::deputy(db.pool(), id)
        .await
        .map_err(|e| internal("deputy calendar data", &e))?
        .ok_or_else(not_found)?;
    let filter = MeetingFilter {
        deputy_id: Some(id),
        ..MeetingFilter::default()
    };
    let ward = state.ward().await?;
    let meetings = app::meetings::service::list(db, &filter)
        .await
        .map_err(|e| internal("deputy calendar data", &format!("{e:?}")))?;
    let events: Vec<ics::Event> = meetings
        .iter()
        .map(|m| {
            let location = m.venue.as_ref().map(venue_line);
            let mut description = vec![format!(
                "Hội nghị tiếp xúc cử tri của {}",
                m.purpose(ward.as_ref())
            )];
            if !m.areas.is_empty() {
                description.push(format!("Cử tri được mời: {}", m.areas));
            }
            if !m.chair.is_empty() {
                description.push(format!("Chủ trì: {}", m.chair));
            }
            ics::Event {
                uid: format!("meeting-{}@cutri", m.id),
                span: m.span,
                summary: format!("Tiếp xúc cử tri: {}", m.title),
                location: location.unwrap_or_else(|| m.format.vi().to_string()),
                description: description.join("\n"),
            }
        })
        .collect();
    let body = ics::calendar(
        &format!("Lịch tiếp xúc cử tri - {}", deputy.full_name),
        &events,
        app::storage::db::now_ms(),
    );
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "text/calendar; charset=utf-8".to_string(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"dai-bieu-{id}.ics\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        body,
    )
        .into_response())
}

/// iCalendar (RFC 5545) writing: CRLF line ends, content lines folded at 75 octets, TEXT values
/// escaped, instants in UTC with "Z", UIDs from meeting ids so a re-import updates events.
mod ics {
    use app::domain::format::VietnamTime;
    use app::domain::meeting::Interval;

    pub struct Event {
        pub uid: String,
        pub span: Interval,
        pub summary: String,
        pub location: String,
        pub description: String,
    }

    /// TEXT escaping (RFC 5545 §3.3.11): backslash, semicolon and comma get a backslash, a line
    /// break becomes "\n"; a lone CR is dropped.
    pub fn escape(text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        for c in text.chars() {
            match c {
                '\\' => out.push_str("\\\\"),
                ';' => out.push_str("\\;"),
                ',' => out.push_str("\\,"),
                '\n' => out.push_str("\\n"),
                '\r' => {}
                c => out.push(c),
            }
        }
        out
    }

    /// One content line, folded (§3.1): no line longer than 75 octets without its CRLF, each
    /// continuation starting with a space, and never inside a UTF-8 character.
    pub fn fold(line: &str) -> String {
        let mut out = String::with_capacity(line.len() + line.len() / 70 * 3 + 2);
        let mut used = 0;
        for c in line.chars() {
            if used + c.len_utf8() > 75 {
                out.push_str("\r\n ");
                used = 1;
            }
            out.push(c);
            used += c.len_utf8();
        }
        out.push_str("\r\n");
        out
    }

    /// "20261205T010000Z".
    pub fn utc(unix_ms: i64) -> String {
        // VietnamTime is UTC+7; shifting the instant back 7 hours reads the UTC fields.
        let t = VietnamTime::from_unix_ms(unix_ms - 7 * 3_600_000);
        format!(
            "{:04}{:02}{:02}T{:02}{:02}{:02}Z",
            t.year, t.month, t.day, t.hour, t.minute, t.second
        )
    }

    pub fn calendar(name: &str, events: &[Event], now_ms: i64) -> String {
        let mut out = String::new();
        let mut line = |text: String| out.push_str(&fold(&text));
        line("BEGIN:VCALENDAR".into());
        line("VERSION:2.0".into());
        line("PRODID:-//cutri//Tiep xuc cu tri//VI".into());
        line("CALSCALE:GREGORIAN".into());
        line("METHOD:PUBLISH".into());
        line(format!("X-WR-CALNAME:{}", escape(name)));
        line("X-WR-TIMEZONE:Asia/Ho_Chi_Minh".into());
        for event in events {
            line("BEGIN:VEVENT".into());
            line(format!("UID:{}", event.uid));
            line(format!("DTSTAMP:{}", utc(now_ms)));
            line(format!("DTSTART:{}", utc(event.span.start_ms)));
            line(format!("DTEND:{}", utc(event.span.end_ms)));
            line(format!("SUMMARY:{}", escape(&event.summary)));
            line(format!("LOCATION:{}", escape(&event.location)));
            line(format!("DESCRIPTION:{}", escape(&event.description)));
            line("END:VEVENT".into());
        }
        line("END:VCALENDAR".into());
        out
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn text_escapes_backslash_semicolon_comma_and_newlines() {
            assert_eq!(
                escape("Khóm 3, Tổ 5; a\\b\r\nxong"),
                "Khóm 3\\, Tổ 5\\; a\\\\b\\nxong"
            );
        }

        #[test]
        fn short_lines_are_kept_whole_with_crlf() {
            assert_eq!(fold("VERSION:2.0"), "VERSION:2.0\r\n");
            let exactly = "X".repeat(75);
            assert_eq!(fold(&exactly), format!("{exactly}\r\n"));
        }

        #[test]
        fn long_lines_fold_at_75_octets_without_splitting_characters() {
            let line = format!("SUMMARY:{}", "Tiếp xúc cử tri khóm Thới Hòa, ".repeat(6));
            let folded = fold(&line);
            assert!(folded.ends_with("\r\n"));
            let parts: Vec<&str> = folded.trim_end_matches("\r\n").split("\r\n").collect();
            assert!(parts.len() > 2);
            for (i, part) in parts.iter().enumerate() {
                assert!(part.len() <= 75, "{part:?} is {} octets", part.len());
                assert_eq!(part.starts_with(' '), i > 0, "{part:?}");
            }
            // Unfolding (remove CRLF + one space) gives the line back.
            let unfolded: String = parts
                .iter()
                .enumerate()
                .map(|(i, p)| if i == 0 { *p } else { &p[1..] })
                .collect();
            assert_eq!(unfolded, line);
        }

        #[test]
        fn times_are_utc() {
            // 05/12/2026 08:00 in Vietnam is 01:00 UTC.
            let start = app::domain::meeting::vietnam_instant(
                app::domain::voter::Date::new(2026, 12, 5).unwrap(),
                8 * 60,
            );
            assert_eq!(utc(start), "20261205T010000Z");
        }
    }
}
