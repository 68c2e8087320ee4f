//! Meeting pages: the list (filters, week view), deputies and venues, the new-meeting form and
//! a meeting's record (attendance, opinions, answers, finalising, the minutes PDF).

use crate::domain::ids::{DeputyId, MeetingId};
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};

use super::api::{
    get_meeting, get_registry, list_meetings, AddAnswer, AddAttendee, AddOpinion, CancelMeeting,
    CorrectMinutes, CreateMeeting, FinaliseMeeting, RecordAttendance, RemoveAttendee, SaveDeputy,
    SaveVenue, UpdateMeeting,
};
use crate::domain::format;
use crate::domain::meeting::{
    add_days, clock, composition, month_start, span_text, vietnam_date, vietnam_instant,
    week_start, CompetentLevel, DeputyLevel, MeetingFormat, MeetingKind, MeetingStatus,
    OpinionField, SessionTiming,
};
use crate::domain::meeting_record::{
    Attendee, Meeting, MeetingDetail, MeetingFilter, MinutesVersion,
};
use crate::domain::role::Permission;
use crate::domain::text::{capitalise, clause, excerpt};
use crate::domain::voter::{Date, Gender};
use crate::i18n::Msg;
use crate::locale::Locale;
use crate::ui::guard::RequirePermission;
use crate::ui::status_pages::ErrorPanel;
use crate::ui::url::path_id;
use crate::ui::widgets::{reset_after_success, t, use_locale, FormOutcome};

/// `<option>`s for the codes of a closed list, labelled in the page's language, the one with
/// the code `selected` chosen.
fn code_options<T: Copy + 'static>(
    all: &'static [T],
    code: fn(T) -> &'static str,
    label: fn(T, Locale) -> &'static str,
    selected: Option<&'static str>,
) -> impl IntoView {
    let locale = use_locale();
    all.iter()
        .map(|v| {
            let chosen = selected == Some(code(*v));
            view! { <option value=code(*v) selected=chosen>{label(*v, locale)}</option> }
        })
        .collect_view()
}

/// Links shared by the meeting pages.
#[component]
fn MeetingsNav() -> impl IntoView {
    view! {
        <p class="actions-row">
            <a class="button secondary" href="/meetings">{t(Msg::MeetList)}</a>
            <a class="button secondary" href="/meetings?view=week">{t(Msg::MeetWeek)}</a>
            <a class="button secondary" id="month-link" href="/meetings?view=month">{t(Msg::MeetMonth)}</a>
            <a class="button primary" id="new-meeting-link" href="/meetings/new">{t(Msg::MeetNew)}</a>
            <a class="button secondary" id="registry-link" href="/meetings/registry">{t(Msg::MeetRegistry)}</a>
            <a class="button secondary" id="petitions-link" href="/meetings/petitions">{t(Msg::PetNav)}</a>
        </p>
    }
}

#[component]
pub fn MeetingsPage() -> impl IntoView {
    view! { <RequirePermission permission=Permission::ManageMeetings children=|_| view! { <MeetingsOverview/> }/> }
}

#[component]
fn MeetingsOverview() -> impl IntoView {
    let query = use_query_map();
    let get = move |key: &str| query.read().get(key).unwrap_or_default();
    let week = move || {
        (get("view") == "week").then(|| {
            let today = vietnam_date(now_ms());
            week_start(Date::parse(&get("week")).unwrap_or(today))
        })
    };
    let month = move || {
        (get("view") == "month").then(|| {
            let today = vietnam_date(now_ms());
            month_start(Date::parse(&get("month")).unwrap_or(today), 0)
        })
    };
    // The filters as query text, carried over by the calendar's previous/next links.
    let filter_query = move || {
        ["deputy", "area", "term", "session"]
            .into_iter()
            .filter_map(|key| {
                let value = get(key);
                (!value.is_empty())
                    .then(|| format!("&{key}={}", crate::ui::widgets::encode_query_value(&value)))
            })
            .collect::<String>()
    };
    let filter = move || {
        let mut filter = MeetingFilter {
            deputy_id: get("deputy")
                .parse()
                .ok()
                .filter(|id| *id != DeputyId::UNKNOWN),
            area: get("area"),
            term: get("term"),
            session_number: get("session").parse().ok().filter(|n| *n > 0),
            ..MeetingFilter::default()
        };
        if let Some(monday) = week() {
            filter.from_ms = Some(vietnam_instant(monday, 0));
            filter.to_ms = Some(vietnam_instant(add_days(monday, 7), 0));
        }
        if let Some(first) = month() {
            filter.from_ms = Some(vietnam_instant(first, 0));
            filter.to_ms = Some(vietnam_instant(month_start(first, 1), 0));
        }
        filter
    };
    let meetings = Resource::new(filter, list_meetings);
    let people = Resource::new(|| (), |_| get_registry());
    view! {
        <h1>{t(Msg::MeetTitle)}</h1>
        <MeetingsNav/>
        <Transition fallback=|| ()>
            {move || people.get().and_then(Result::ok).map(|r| {
                let deputies = r.deputies.into_iter().map(|d| {
                    let selected = get("deputy") == d.id.to_string();
                    view! { <option value=d.id selected=selected>{d.full_name}</option> }
                }).collect_view();
                view! {
                    <form method="get" action="/meetings" class="filter-bar" id="meeting-filter">
                        {week().map(|monday| view! {
                            <input type="hidden" name="view" value="week"/>
                            <input type="hidden" name="week" value=monday.iso()/>
                        })}
                        {month().map(|first| view! {
                            <input type="hidden" name="view" value="month"/>
                            <input type="hidden" name="month" value=first.iso()/>
                        })}
                        <label>
                            <span>{t(Msg::MeetDeputy)}</span>
                            <select name="deputy">
                                <option value="">{t(Msg::MeetAllDeputies)}</option>
                                {deputies}
                            </select>
                        </label>
                        <label><span>{t(Msg::MeetAreas)}</span><input name="area" value=get("area") placeholder="VD: Khóm 3"/></label>
                        <label><span>{t(Msg::MeetTerm)}</span><input name="term" value=get("term") placeholder="XVI" size="6"/></label>
                        <label><span>{t(Msg::MeetSession)}</span><input name="session" value=get("session") inputmode="numeric" size="4"/></label>
                        <button type="submit" class="button secondary">{t(Msg::MeetFilter)}</button>
                    </form>
                }
            })}
        </Transition>
        <Transition fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
            {move || meetings.get().map(|result| match result {
                Err(error) => view! { <ErrorPanel error/> }.into_any(),
                Ok(rows) => match (week(), month()) {
                    (Some(monday), _) => view! { <WeekView monday rows filters=filter_query()/> }.into_any(),
                    (_, Some(first)) => view! { <MonthView first rows filters=filter_query()/> }.into_any(),
                    _ => view! { <MeetingTable rows/> }.into_any(),
                },
            })}
        </Transition>
    }
}

/// Now, for the week shown when none is chosen. Server and browser agree except within
/// moments of midnight on Sunday, and then the browser simply loads its own week.
#[cfg(feature = "ssr")]
fn now_ms() -> i64 {
    crate::storage::db::now_ms()
}

#[cfg(all(feature = "hydrate", not(feature = "ssr")))]
#[expect(
    clippy::cast_possible_truncation,
    reason = "Date.now() is whole milliseconds since 1970, far inside i64"
)]
fn now_ms() -> i64 {
    web_sys::js_sys::Date::now() as i64
}

#[cfg(not(any(feature = "ssr", feature = "hydrate")))]
fn now_ms() -> i64 {
    0
}

fn status_class(m: &Meeting) -> &'static str {
    match (m.cancellation.is_some(), m.status) {
        (true, _) => "status-cancelled",
        (_, MeetingStatus::Draft) => "status-draft",
        (_, MeetingStatus::Held) => "status-held",
        (_, MeetingStatus::Finalised) => "status-final",
    }
}

/// "Đã hủy" for a cancelled meeting, otherwise its status.
fn status_text(m: &Meeting, locale: Locale) -> &'static str {
    if m.cancellation.is_some() {
        Msg::MeetCancelled.text(locale)
    } else {
        m.status.label(locale)
    }
}

#[component]
fn MeetingTable(rows: Vec<Meeting>) -> impl IntoView {
    let locale = use_locale();
    if rows.is_empty() {
        return view! { <p id="no-meetings">{t(Msg::MeetNone)}</p> }.into_any();
    }
    let body = rows
        .into_iter()
        .map(|m| {
            let deputies = m
                .deputies
                .iter()
                .map(|d| d.full_name.clone())
                .collect::<Vec<_>>()
                .join(", ");
            view! {
                <tr>
                    <td><a href=format!("/meetings/{}", m.id)>{m.title.clone()}</a></td>
                    <td>{span_text(m.span, locale == Locale::Vi)}</td>
                    <td>{m.venue.as_ref().map(|v| v.name.clone()).unwrap_or_else(|| m.format.label(locale).to_string())}</td>
                    <td>{m.areas.clone()}</td>
                    <td>{deputies}</td>
                    <td>{format!("{} {} {}", m.timing.label(locale), m.session_number, m.term)}</td>
                    <td class=status_class(&m)>{status_text(&m, locale)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-wrap">
            <table id="meetings-table">
                <thead>
                    <tr>
                        <th>{t(Msg::MeetName)}</th>
                        <th>{t(Msg::MeetWhen)}</th>
                        <th>{t(Msg::MeetVenue)}</th>
                        <th>{t(Msg::MeetAreas)}</th>
                        <th>{t(Msg::MeetDeputies)}</th>
                        <th>{t(Msg::MeetSession)}</th>
                        <th>{t(Msg::MeetStatus)}</th>
                    </tr>
                </thead>
                <tbody>{body}</tbody>
            </table>
        </div>
    }
    .into_any()
}

/// Seven day columns, Monday first, each listing that day's meetings in time order.
#[component]
fn WeekView(monday: Date, rows: Vec<Meeting>, filters: String) -> impl IntoView {
    let link = |date: Date| format!("/meetings?view=week&week={}{filters}", date.iso());
    let days = DAY_NAMES
        .iter()
        .zip(0..)
        .map(|(&day_name, i)| {
            let day = add_days(monday, i);
            let name = t(day_name);
            let items = rows
                .iter()
                .filter(|m| vietnam_date(m.span.start_ms) == day)
                .map(|m| {
                    view! {
                        <li class=m.cancellation.is_some().then_some("cancelled")>
                            <a href=format!("/meetings/{}", m.id)>
                                <strong>{format!("{}–{}", clock(m.span.start_ms), clock(m.span.end_ms))}</strong>
                                " "{m.title.clone()}
                            </a>
                            <small>{m.deputies.iter().map(|d| d.full_name.clone()).collect::<Vec<_>>().join(", ")}</small>
                        </li>
                    }
                })
                .collect_view();
            view! {
                <section class="week-day">
                    <h3>{name}" "{day.display()}</h3>
                    <ul>{items}</ul>
                </section>
            }
        })
        .collect_view();
    view! {
        <p class="actions-row">
            <a class="button secondary" href=link(add_days(monday, -7))>{t(Msg::MeetPrevWeek)}</a>
            <strong>{format!("{} – {}", monday.display(), add_days(monday, 6).display())}</strong>
            <a class="button secondary" href=link(add_days(monday, 7))>{t(Msg::MeetNextWeek)}</a>
        </p>
        <div class="week-view" id="week-view">{days}</div>
    }
}

/// The week's days, Monday first.
const DAY_NAMES: [Msg; 7] = [
    Msg::DayMon,
    Msg::DayTue,
    Msg::DayWed,
    Msg::DayThu,
    Msg::DayFri,
    Msg::DaySat,
    Msg::DaySun,
];

/// A month as a grid of weeks, Monday first, each day listing its meetings in time order
/// (time, name, venue), today marked, days of the neighbouring months dimmed.
#[component]
fn MonthView(first: Date, rows: Vec<Meeting>, filters: String) -> impl IntoView {
    let locale = use_locale();
    let today = vietnam_date(now_ms());
    let link = |date: Date| format!("/meetings?view=month&month={}{filters}", date.iso());
    let grid_start = week_start(first);
    let next_month = month_start(first, 1);
    let weeks = (0..6)
        .map(|w| add_days(grid_start, 7 * w))
        .take_while(|monday| *monday < next_month)
        .map(|monday| {
            let days = (0..7)
                .map(|i| {
                    let day = add_days(monday, i);
                    let mut class = String::from("day wrap");
                    if day.month != first.month {
                        class.push_str(" other-month");
                    }
                    if day == today {
                        class.push_str(" today");
                    }
                    let items = rows
                        .iter()
                        .filter(|m| vietnam_date(m.span.start_ms) == day)
                        .map(|m| {
                            let venue = m
                                .venue
                                .as_ref()
                                .map(|v| v.name.clone())
                                .unwrap_or_else(|| m.format.label(locale).to_string());
                            let cancelled = m.cancellation.is_some();
                            view! {
                                <li class=cancelled.then_some("cancelled")>
                                    <a href=format!("/meetings/{}", m.id)>
                                        <strong>{format!("{}–{}", clock(m.span.start_ms), clock(m.span.end_ms))}</strong>
                                        " "{m.title.clone()}
                                    </a>
                                    <small>{venue}{cancelled.then(|| format!(" · {}", t(Msg::MeetCancelled)))}</small>
                                </li>
                            }
                        })
                        .collect_view();
                    view! {
                        <td class=class aria-current=(day == today).then_some("date") data-date=day.iso()>
                            <span class="day-number">{day.day}</span>
                            {(day == today).then(|| view! { <span class="today-mark">{t(Msg::MeetToday)}</span> })}
                            <ul>{items}</ul>
                        </td>
                    }
                })
                .collect_view();
            view! { <tr>{days}</tr> }
        })
        .collect_view();
    let heads = DAY_NAMES
        .iter()
        .map(|name| view! { <th scope="col">{t(*name)}</th> })
        .collect_view();
    view! {
        <p class="actions-row">
            <a class="button secondary" id="prev-month" href=link(month_start(first, -1))>{t(Msg::MeetPrevMonth)}</a>
            <strong id="month-title">{format!("{} {:02}/{}", t(Msg::MeetMonthWord), first.month, first.year)}</strong>
            <a class="button secondary" id="next-month" href=link(month_start(first, 1))>{t(Msg::MeetNextMonth)}</a>
        </p>
        <div class="table-wrap">
            <table class="month-grid" id="month-view">
                <thead><tr>{heads}</tr></thead>
                <tbody>{weeks}</tbody>
            </table>
        </div>
    }
}

#[component]
pub fn RegistryPage() -> impl IntoView {
    view! { <RequirePermission permission=Permission::ManageMeetings children=|_| view! { <Registry/> }/> }
}

#[component]
fn Registry() -> impl IntoView {
    let save_deputy = ServerAction::<SaveDeputy>::new();
    let save_venue = ServerAction::<SaveVenue>::new();
    let data = Resource::new(
        move || (save_deputy.version().get(), save_venue.version().get()),
        |_| get_registry(),
    );
    let locale = use_locale();
    view! {
        <h1>{t(Msg::MeetRegistry)}</h1>
        <MeetingsNav/>
        <Transition fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
            {move || data.get().map(|result| match result {
                Err(error) => view! { <ErrorPanel error/> }.into_any(),
                Ok(r) => {
                    let ward = r.ward;
                    let deputies = r.deputies.into_iter().map(|d| view! {
                        <tr>
                            <td>{d.full_name}</td>
                            <td>{d.level.council_label(ward.as_ref(), locale)}</td>
                            <td>{d.position}</td>
                            <td>{d.constituency}</td>
                            <td>{d.deputy_group}</td>
                            <td>{d.contact}</td>
                            <td><a href=format!("/meetings/deputies/{}.ics", d.id)>{t(Msg::MeetIcsLink)}</a></td>
                        </tr>
                    }).collect_view();
                    let venues = r.venues.into_iter().map(|v| view! {
                        <tr>
                            <td>{v.name}</td>
                            <td>{v.address}</td>
                            <td class="num">{(v.capacity > 0).then(|| format::count(v.capacity, locale))}</td>
                        </tr>
                    }).collect_view();
                    view! {
                        <section class="card">
                            <h2>{t(Msg::MeetDeputies)}</h2>
                            <div class="table-wrap">
                                <table id="deputies-table">
                                    <thead><tr>
                                        <th>{t(Msg::FullName)}</th>
                                        <th>{t(Msg::MeetLevel)}</th>
                                        <th>{t(Msg::MeetPosition)}</th>
                                        <th>{t(Msg::MeetConstituency)}</th>
                                        <th>{t(Msg::MeetDeputyGroup)}</th>
                                        <th>{t(Msg::MeetContact)}</th>
                                        <th>{t(Msg::MeetCalendar)}</th>
                                    </tr></thead>
                                    <tbody>{deputies}</tbody>
                                </table>
                            </div>
                        </section>
                        <section class="card">
                            <h2>{t(Msg::MeetVenues)}</h2>
                            <div class="table-wrap">
                                <table id="venues-table">
                                    <thead><tr>
                                        <th>{t(Msg::MeetVenue)}</th>
                                        <th>{t(Msg::MeetAddress)}</th>
                                        <th>{t(Msg::MeetCapacity)}</th>
                                    </tr></thead>
                                    <tbody>{venues}</tbody>
                                </table>
                            </div>
                        </section>
                    }.into_any()
                }
            })}
        </Transition>
        <section class="card">
            <h2>{t(Msg::MeetAddDeputy)}</h2>
            <ActionForm action=save_deputy attr:id="deputy-form" attr:class="grid-form">
                <input type="hidden" name="deputy_id" value="0"/>
                <label><span>{t(Msg::FullName)}</span><input name="deputy[full_name]" required/></label>
                <label>
                    <span>{t(Msg::MeetLevel)}</span>
                    <select name="deputy[level]">{code_options(DeputyLevel::ALL, DeputyLevel::code, DeputyLevel::label, None)}</select>
                </label>
                <label><span>{t(Msg::MeetPosition)}</span><input name="deputy[position]"/></label>
                <label><span>{t(Msg::MeetConstituency)}</span><input name="deputy[constituency]"/></label>
                <label><span>{t(Msg::MeetDeputyGroup)}</span><input name="deputy[deputy_group]"/></label>
                <label><span>{t(Msg::MeetContact)}</span><input name="deputy[contact]"/></label>
                <div class="form-actions">
                    <FormOutcome value=save_deputy.value() ok_text=Msg::Saved/>
                    <button type="submit" class="button primary">{t(Msg::MeetAddDeputy)}</button>
                </div>
            </ActionForm>
        </section>
        <section class="card">
            <h2>{t(Msg::MeetAddVenue)}</h2>
            <ActionForm action=save_venue attr:id="venue-form" attr:class="grid-form">
                <input type="hidden" name="venue_id" value="0"/>
                <label><span>{t(Msg::MeetVenue)}</span><input name="venue[name]" required placeholder="VD: Nhà văn hóa khóm 3"/></label>
                <label><span>{t(Msg::MeetAddress)}</span><input name="venue[address]"/></label>
                <label><span>{t(Msg::MeetCapacity)}</span><input name="venue[capacity]" inputmode="numeric"/></label>
                <div class="form-actions">
                    <FormOutcome value=save_venue.value() ok_text=Msg::Saved/>
                    <button type="submit" class="button primary">{t(Msg::MeetAddVenue)}</button>
                </div>
            </ActionForm>
        </section>
    }
}

#[component]
pub fn NewMeetingPage() -> impl IntoView {
    view! { <RequirePermission permission=Permission::ManageMeetings children=|_| view! { <NewMeeting/> }/> }
}

#[component]
fn NewMeeting() -> impl IntoView {
    let create = ServerAction::<CreateMeeting>::new();
    let people = Resource::new(|| (), |_| get_registry());
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(id)) = create.value().get() {
            navigate(&format!("/meetings/{id}"), Default::default());
        }
    });
    view! {
        <h1>{t(Msg::MeetNew)}</h1>
        <MeetingsNav/>
        <ActionForm action=create attr:id="meeting-form" attr:class="grid-form card">
            <PlanFields plan=None people/>
            <div class="form-actions">
                <FormOutcome value=create.value()/>
                <button type="submit" class="button primary">{t(Msg::MeetSchedule)}</button>
            </div>
        </ActionForm>
    }
}

#[component]
pub fn EditMeetingPage() -> impl IntoView {
    view! { <RequirePermission permission=Permission::ManageMeetings children=|_| view! { <EditMeeting/> }/> }
}

#[component]
fn EditMeeting() -> impl IntoView {
    let id = path_id::<MeetingId>("id");
    let update = ServerAction::<UpdateMeeting>::new();
    let detail = Resource::new(id, get_meeting);
    // Made here, not in `PlanFields` under the Transition of `detail`: a resource created
    // while that Transition renders is not the one the server filled, so the page loaded
    // directly failed to hydrate.
    let people = Resource::new(|| (), |_| get_registry());
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(())) = update.value().get() {
            navigate(&format!("/meetings/{}", id()), Default::default());
        }
    });
    view! {
        <h1>{t(Msg::MeetEdit)}</h1>
        <MeetingsNav/>
        <Transition fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
            {move || detail.get().map(|result| match result {
                Err(error) => view! { <ErrorPanel error/> }.into_any(),
                Ok(d) => {
                    let id = d.meeting.id;
                    view! {
                        <ActionForm action=update attr:id="meeting-form" attr:class="grid-form card">
                            <input type="hidden" name="meeting_id" value=id/>
                            <PlanFields plan=Some(d.meeting) people/>
                            <div class="form-actions">
                                <FormOutcome value=update.value()/>
                                <a class="button secondary" href=format!("/meetings/{id}")>{t(Msg::MeetBackToMeeting)}</a>
                                <button type="submit" class="button primary">{t(Msg::MeetSaveChanges)}</button>
                            </div>
                        </ActionForm>
                    }.into_any()
                }
            })}
        </Transition>
    }
}

/// The plan's fields, named `meeting[…]`, empty for a new meeting or filled from `plan`;
/// `people` are the deputies and venues to choose from.
#[component]
fn PlanFields(
    plan: Option<Meeting>,
    people: Resource<Result<super::model::Registry, crate::error::AppError>>,
) -> impl IntoView {
    let text = |value: Option<String>| value.unwrap_or_default();
    let p = plan.as_ref();
    let timing = p.map(|m| m.timing.code());
    let kind = p.map(|m| m.kind.code());
    let format_code = p.map(|m| m.format.code());
    let venue_id = p.and_then(|m| m.venue.as_ref().map(|v| v.id));
    let deputy_ids: Vec<DeputyId> = p
        .map(|m| m.deputies.iter().map(|d| d.id).collect())
        .unwrap_or_default();
    view! {
        <label><span>{t(Msg::MeetName)}</span><input name="meeting[title]" placeholder="VD: Khóm 3" value=text(p.map(|m| m.title.clone()))/></label>
        <label><span>{t(Msg::MeetTerm)}</span><input name="meeting[term]" required placeholder="XVI" value=text(p.map(|m| m.term.clone()))/></label>
        <label><span>{t(Msg::MeetSession)}</span><input name="meeting[session_number]" required inputmode="numeric" value=text(p.map(|m| m.session_number.to_string()))/></label>
        <label>
            <span>{t(Msg::MeetTiming)}</span>
            <select name="meeting[timing]">{code_options(SessionTiming::ALL, SessionTiming::code, SessionTiming::label, timing)}</select>
        </label>
        <label>
            <span>{t(Msg::MeetKind)}</span>
            <select name="meeting[kind]">{code_options(MeetingKind::ALL, MeetingKind::code, MeetingKind::label, kind)}</select>
        </label>
        <label>
            <span>{t(Msg::MeetFormat)}</span>
            <select name="meeting[format]">{code_options(MeetingFormat::ALL, MeetingFormat::code, MeetingFormat::label, format_code)}</select>
        </label>
        <label><span>{t(Msg::MeetDate)}</span><input name="meeting[date]" required placeholder="ngày/tháng/năm" inputmode="numeric" value=text(p.map(|m| vietnam_date(m.span.start_ms).display()))/></label>
        <label><span>{t(Msg::MeetStarts)}</span><input name="meeting[starts_at]" required placeholder="giờ:phút" value=text(p.map(|m| clock(m.span.start_ms)))/></label>
        <label><span>{t(Msg::MeetEnds)}</span><input name="meeting[ends_at]" required placeholder="giờ:phút" value=text(p.map(|m| clock(m.span.end_ms)))/></label>
        <Transition fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
            {move || {
                let deputy_ids = deputy_ids.clone();
                people.get().map(|result| match result {
                    Err(error) => view! { <ErrorPanel error/> }.into_any(),
                    Ok(r) => {
                        let venues = r.venues.into_iter().map(|v| {
                            let selected = venue_id == Some(v.id);
                            view! { <option value=v.id selected=selected>{v.name}</option> }
                        }).collect_view();
                        let locale = use_locale();
                        let ward = r.ward;
                        let deputies = r.deputies.into_iter().enumerate().map(|(i, d)| {
                            let checked = deputy_ids.contains(&d.id);
                            view! {
                                <label>
                                    <input type="checkbox" name=format!("meeting[deputy_ids][{i}]") value=d.id checked=checked/>
                                    {d.full_name}" ("{d.level.council_label(ward.as_ref(), locale)}")"
                                </label>
                            }
                        }).collect_view();
                        view! {
                            <label>
                                <span>{t(Msg::MeetVenue)}</span>
                                <select name="meeting[venue_id]">
                                    <option value="">{t(Msg::MeetNoVenue)}</option>
                                    {venues}
                                </select>
                            </label>
                            <fieldset class="checks" id="meeting-deputies">
                                <legend>{t(Msg::MeetDeputies)}</legend>
                                {deputies}
                            </fieldset>
                        }.into_any()
                    }
                })
            }}
        </Transition>
        <label><span>{t(Msg::MeetAreas)}</span><input name="meeting[areas]" placeholder="VD: Khóm 3, Khóm 4" value=text(p.map(|m| m.areas.clone()))/></label>
        <label><span>{t(Msg::MeetChair)}</span><input name="meeting[chair]" value=text(p.map(|m| m.chair.clone()))/></label>
        <label><span>{t(Msg::MeetSecretary)}</span><input name="meeting[secretary]" value=text(p.map(|m| m.secretary.clone()))/></label>
        <label><span>{t(Msg::MeetInvited)}</span><input name="meeting[invited_count]" inputmode="numeric" value=text(p.map(|m| m.invited_count.to_string()))/></label>
        <label><span>{t(Msg::Notes)}</span><input name="meeting[notes]" value=text(p.map(|m| m.notes.clone()))/></label>
    }
}

#[component]
pub fn MeetingPage() -> impl IntoView {
    view! { <RequirePermission permission=Permission::ManageMeetings children=|_| view! { <MeetingRecord/> }/> }
}

#[component]
fn MeetingRecord() -> impl IntoView {
    let meeting_id = path_id::<MeetingId>("id");
    let attendance = ServerAction::<RecordAttendance>::new();
    let sign_in = ServerAction::<AddAttendee>::new();
    let remove_sign_in = ServerAction::<RemoveAttendee>::new();
    let opinion = ServerAction::<AddOpinion>::new();
    let answer = ServerAction::<AddAnswer>::new();
    let finalise = ServerAction::<FinaliseMeeting>::new();
    let cancel = ServerAction::<CancelMeeting>::new();
    let correct = ServerAction::<CorrectMinutes>::new();
    let detail = Resource::new(
        move || {
            let id = meeting_id();
            (
                id,
                attendance.version().get(),
                sign_in.version().get(),
                remove_sign_in.version().get(),
                opinion.version().get(),
                answer.version().get(),
                finalise.version().get(),
                cancel.version().get(),
                correct.version().get(),
            )
        },
        |(id, ..)| get_meeting(id),
    );
    let actions = RecordActions {
        attendance,
        sign_in,
        sign_in_form: reset_after_success(sign_in.version(), sign_in.value().into()),
        remove_sign_in,
        opinion_form: reset_after_success(opinion.version(), opinion.value().into()),
        answer_form: reset_after_success(answer.version(), answer.value().into()),
        opinion,
        answer,
        finalise,
        cancel,
        correct,
    };
    view! {
        <MeetingsNav/>
        <Transition fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
            {move || detail.get().map(|result| match result {
                Err(error) => view! { <ErrorPanel error/> }.into_any(),
                Ok(d) => view! { <MeetingView d actions/> }.into_any(),
            })}
        </Transition>
    }
}

#[derive(Clone, Copy)]
struct RecordActions {
    attendance: ServerAction<RecordAttendance>,
    sign_in: ServerAction<AddAttendee>,
    /// Emptied after each sign-in, ready for the next name on the sheet.
    sign_in_form: NodeRef<leptos::html::Form>,
    remove_sign_in: ServerAction<RemoveAttendee>,
    opinion: ServerAction<AddOpinion>,
    opinion_form: NodeRef<leptos::html::Form>,
    answer_form: NodeRef<leptos::html::Form>,
    answer: ServerAction<AddAnswer>,
    finalise: ServerAction<FinaliseMeeting>,
    cancel: ServerAction<CancelMeeting>,
    correct: ServerAction<CorrectMinutes>,
}

/// The kept versions of the minutes, newest first, each printable; the newest is the current one.
#[component]
fn MinutesVersions(id: MeetingId, versions: Vec<MinutesVersion>) -> impl IntoView {
    let latest = versions.last().map_or(0, |v| v.version);
    let items = versions
        .into_iter()
        .rev()
        .map(|v| {
            let name = if v.version == 1 {
                t(Msg::MeetVersionFirst).to_string()
            } else {
                format!("{} {}", t(Msg::MeetVersionCorrection), v.version - 1)
            };
            let current =
                (v.version == latest).then(|| format!(" ({})", t(Msg::MeetVersionLatest)));
            let reason = (!v.reason.is_empty()).then(|| format!(" — {}", v.reason));
            view! {
                <li>
                    <a href=format!("/meetings/{id}/minutes.pdf?version={}", v.version) target="_blank" rel="noopener">{name}</a>
                    {current}
                    {format!(" · {} {}", format::date_time(v.created_at_ms), v.created_by)}
                    {reason}
                </li>
            }
        })
        .collect_view();
    view! {
        <h2>{t(Msg::MeetVersions)}</h2>
        <ul id="minutes-versions">{items}</ul>
    }
}

/// The voters who signed in by name, their composition, and (until the minutes are locked)
/// the sign-in form and a remove button per name.
#[component]
fn SignedIn(
    meeting_id: MeetingId,
    attendees: Vec<Attendee>,
    present: Option<i64>,
    locked: bool,
    actions: RecordActions,
) -> impl IntoView {
    let locale = use_locale();
    let counted = composition(attendees.iter().map(|a| (a.address.as_str(), a.gender)));
    let mut summary = format!(
        "{}: {} ({} {}, {} {})",
        t(Msg::MeetSignedInCount),
        format::count(counted.total, locale),
        format::count(counted.men, locale),
        t(Msg::Male).to_lowercase(),
        format::count(counted.women, locale),
        t(Msg::Female).to_lowercase(),
    );
    for (address, n) in &counted.by_address {
        let place = if address.is_empty() {
            t(Msg::MeetNoAddress).to_string()
        } else {
            address.clone()
        };
        summary.push_str(&format!("; {place}: {}", format::count(*n, locale)));
    }
    let more_than_present = !attendees.is_empty()
        && present.unwrap_or(0) < i64::try_from(counted.total).unwrap_or(i64::MAX);
    let rows = attendees
        .into_iter()
        .enumerate()
        .map(|(index, a)| {
            let gender = match a.gender {
                Some(Gender::Male) => t(Msg::Male),
                Some(Gender::Female) => t(Msg::Female),
                None => "",
            };
            view! {
                <tr>
                    <td class="num">{index + 1}</td>
                    <td>{a.full_name.clone()}</td>
                    <td>{a.address.clone()}</td>
                    <td>{gender}</td>
                    {(!locked).then(|| view! {
                        <td>
                            <ActionForm action=actions.remove_sign_in attr:class="inline-form">
                                <input type="hidden" name="attendee_id" value=a.id/>
                                <button type="submit" class="button secondary" title=a.full_name.clone()>{t(Msg::MeetRemove)}</button>
                            </ActionForm>
                        </td>
                    })}
                </tr>
            }
        })
        .collect_view();
    let empty = counted.total == 0;
    view! {
        <section class="card" id="attendees">
            <h2>{t(Msg::MeetSignedIn)}</h2>
            <p class="hint">{t(Msg::MeetSignedInHint)}</p>
            {if empty {
                view! { <p>{t(Msg::MeetNoSignedIn)}</p> }.into_any()
            } else {
                view! {
                    <p id="attendee-composition">{summary}</p>
                    <div class="table-wrap">
                        <table id="attendees-table">
                            <thead><tr>
                                <th>{t(Msg::Stt)}</th>
                                <th>{t(Msg::FullName)}</th>
                                <th>{t(Msg::MeetAddress)}</th>
                                <th>{t(Msg::Gender)}</th>
                                {(!locked).then(|| view! { <th></th> })}
                            </tr></thead>
                            <tbody>{rows}</tbody>
                        </table>
                    </div>
                }.into_any()
            }}
            {more_than_present.then(|| view! { <p class="notice" id="attendees-over-present">{t(Msg::MeetSignedOverPresent)}</p> })}
            <FormOutcome value=actions.remove_sign_in.value()/>
            {(!locked).then(|| view! {
                <ActionForm action=actions.sign_in node_ref=actions.sign_in_form attr:id="attendee-form" attr:class="grid-form">
                    <input type="hidden" name="meeting_id" value=meeting_id/>
                    <label><span>{t(Msg::FullName)}</span><input name="attendee[full_name]" required/></label>
                    <label><span>{t(Msg::MeetAddress)}</span><input name="attendee[address]" placeholder="VD: Tổ 5, khóm 3"/></label>
                    <label>
                        <span>{t(Msg::Gender)}</span>
                        <select name="attendee[gender]">
                            <option value="">{t(Msg::MeetGenderNotGiven)}</option>
                            <option value="nam">{t(Msg::Male)}</option>
                            <option value="nu">{t(Msg::Female)}</option>
                        </select>
                    </label>
                    <div class="form-actions">
                        <FormOutcome value=actions.sign_in.value() ok_text=Msg::Saved/>
                        <button type="submit" class="button primary">{t(Msg::MeetSignIn)}</button>
                    </div>
                </ActionForm>
            })}
        </section>
    }
}

#[component]
fn MeetingView(d: MeetingDetail, actions: RecordActions) -> impl IntoView {
    let locale = use_locale();
    let m = d.meeting.clone();
    let id = m.id;
    let cancelled = m.cancellation.is_some();
    let locked = m.status == MeetingStatus::Finalised || cancelled;
    let cancellable = m.status == MeetingStatus::Draft && !cancelled;
    let correcting = m.correction_reason.is_some();
    let ward = d.ward.as_ref();
    let deputies = m
        .deputies
        .iter()
        .map(|d| {
            let council = d.level.council_label(ward, locale);
            let position = [council.as_str(), clause(&d.position)]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(", ");
            format!("{} ({position})", d.full_name)
        })
        .collect::<Vec<_>>()
        .join("; ");
    let session = match locale {
        // Each body with its own term, as the minutes' title names them.
        Locale::Vi => capitalise(&m.session_title(ward)),
        Locale::En => format!(
            "{} {} {}, {} {}",
            m.timing.label(locale),
            t(Msg::MeetSessionWord),
            m.session_number,
            t(Msg::MeetTermWord),
            m.term
        ),
    };
    let fields: Vec<(Msg, String)> = vec![
        (Msg::MeetWhen, span_text(m.span, locale == Locale::Vi)),
        (Msg::MeetSession, session),
        (Msg::MeetKind, m.kind.label(locale).to_string()),
        (Msg::MeetFormat, m.format.label(locale).to_string()),
        (
            Msg::MeetVenue,
            m.venue
                .as_ref()
                .map(|v| format!("{}, {}", v.name, v.address))
                .unwrap_or_default(),
        ),
        (Msg::MeetAreas, m.areas.clone()),
        (Msg::MeetDeputies, deputies),
        (Msg::MeetChair, m.chair.clone()),
        (Msg::MeetSecretary, m.secretary.clone()),
        (Msg::MeetInvited, format::count(m.invited_count, locale)),
        (
            Msg::MeetPresent,
            m.present_count
                .map(|n| format::count(n, locale))
                .unwrap_or_default(),
        ),
        (Msg::Notes, m.notes.clone()),
        (Msg::MeetStatus, status_text(&m, locale).to_string()),
    ];
    let rows = fields
        .into_iter()
        .filter(|(_, value)| !value.trim_matches([',', ' ']).is_empty())
        .map(
            |(label, value)| view! { <div class="field"><dt>{t(label)}</dt><dd>{value}</dd></div> },
        )
        .collect_view();
    let opinions = d
        .opinions
        .iter()
        .map(|o| {
            let answers = d
                .answers
                .iter()
                .filter(|a| a.opinion_id == o.id)
                .map(|a| view! { <li><strong>{a.answered_by.clone()}": "</strong>{a.content.clone()}</li> })
                .collect_view();
            let repeats = o.repeats.as_ref().map(|r| {
                view! {
                    <div class="hint">
                        {t(Msg::MeetRepeats)}": "
                        <a href=format!("/meetings/{}", r.meeting_id)>{format!("{} — {} {}", r.meeting_title, t(Msg::MeetItem), r.number)}</a>
                    </div>
                }
            });
            view! {
                <tr>
                    <td class="num">{o.number}</td>
                    <td>{o.speaker.clone()}<div class="hint">{o.address.clone()}</div></td>
                    <td>{o.field.label(locale)}</td>
                    <td class="wrap">{o.content.clone()}{repeats}</td>
                    <td>{o.competent_level.label(locale)}</td>
                    <td class="wrap"><ul class="answers">{answers}</ul></td>
                </tr>
            }
        })
        .collect_view();
    let opinion_choices = d
        .opinions
        .iter()
        .map(|o| view! { <option value=o.id>{format!("{} {}: {}", t(Msg::MeetItem), o.number, o.speaker)}</option> })
        .collect_view();
    let earlier_choices = d
        .earlier_opinions
        .iter()
        .map(|r| {
            let content = excerpt(&r.content, 60);
            let label = format!(
                "{} ({}) — {} {}: {content}",
                r.meeting_title,
                vietnam_date(r.meeting_start_ms).display(),
                t(Msg::MeetItem),
                r.number
            );
            view! { <option value=r.opinion_id>{label}</option> }
        })
        .collect_view();
    let has_opinions = !d.opinions.is_empty();
    view! {
        <section class="card">
            <h1 id="meeting-title">{t(Msg::MeetConference)}": "{m.title.clone()}</h1>
            <dl class="fields">{rows}</dl>
            <p class="actions-row">
                {(!cancelled).then(|| view! {
                    <a class="button secondary" id="invitation-pdf" href=format!("/meetings/{id}/invitation.pdf") target="_blank" rel="noopener">{t(Msg::MeetInvitationPdf)}</a>
                })}
                <a class="button secondary" id="minutes-pdf" href=format!("/meetings/{id}/minutes.pdf") target="_blank" rel="noopener">{t(Msg::MeetMinutesPdf)}</a>
            </p>
            {m.cancellation.clone().map(|c| view! {
                <p class="notice" id="meeting-cancelled">
                    {t(Msg::MeetCancelled)}": "{c.reason}
                    {format!(" ({} {})", format::date_time(c.at_ms), c.by)}
                </p>
            })}
            {(m.status == MeetingStatus::Finalised).then(|| view! {
                <p class="notice" id="meeting-locked">
                    {t(Msg::MeetLockedNotice)}
                    {m.finalised_at_ms.map(|at| format!(" ({} {})", format::date_time(at), m.finalised_by.clone().unwrap_or_default()))}
                </p>
            })}
            {m.correction_reason.clone().map(|reason| view! {
                <p class="notice" id="correction-open">{t(Msg::MeetCorrectionOpen)}": "{reason}</p>
            })}
            {(!d.versions.is_empty()).then(|| view! { <MinutesVersions id versions=d.versions.clone()/> })}
            {(m.status == MeetingStatus::Finalised && !cancelled).then(|| view! {
                <ActionForm action=actions.correct attr:id="correct-form" attr:class="grid-form">
                    <input type="hidden" name="meeting_id" value=id/>
                    <p class="hint wide">{t(Msg::MeetCorrectHint)}</p>
                    <label class="wide"><span>{t(Msg::MeetCorrectReason)}</span><input name="reason" required/></label>
                    <div class="form-actions">
                        <FormOutcome value=actions.correct.value()/>
                        <button type="submit" class="button secondary">{t(Msg::MeetCorrect)}</button>
                    </div>
                </ActionForm>
            })}
        </section>
        <SignedIn meeting_id=id attendees=d.attendees.clone() present=m.present_count locked actions/>
        <section class="card" id="opinions">
            <h2>{t(Msg::MeetOpinions)}</h2>
            {(!has_opinions).then(|| view! { <p>{t(Msg::MeetNoOpinions)}</p> })}
            <div class="table-wrap">
                <table id="opinions-table">
                    <thead><tr>
                        <th>{t(Msg::MeetItem)}</th>
                        <th>{t(Msg::MeetSpeaker)}</th>
                        <th>{t(Msg::MeetField)}</th>
                        <th>{t(Msg::MeetContent)}</th>
                        <th>{t(Msg::MeetCompetent)}</th>
                        <th>{t(Msg::MeetAnswers)}</th>
                    </tr></thead>
                    <tbody>{opinions}</tbody>
                </table>
            </div>
        </section>
        {(!locked).then(move || view! {
            <p class="actions-row">
                <a class="button secondary" id="edit-meeting" href=format!("/meetings/{id}/edit")>{t(Msg::MeetEdit)}</a>
            </p>
            {cancellable.then(|| view! {
                <section class="card">
                    <h2>{t(Msg::MeetCancel)}</h2>
                    <p class="hint">{t(Msg::MeetCancelHint)}</p>
                    <ActionForm action=actions.cancel attr:id="cancel-form" attr:class="grid-form">
                        <input type="hidden" name="meeting_id" value=id/>
                        <label class="wide"><span>{t(Msg::MeetCancelReason)}</span><input name="reason" required/></label>
                        <div class="form-actions">
                            <FormOutcome value=actions.cancel.value()/>
                            <button type="submit" class="button danger">{t(Msg::MeetCancel)}</button>
                        </div>
                    </ActionForm>
                </section>
            })}
            <section class="card">
                <h2>{t(Msg::MeetAttendance)}</h2>
                <ActionForm action=actions.attendance attr:id="attendance-form" attr:class="grid-form">
                    <input type="hidden" name="meeting_id" value=id/>
                    <label><span>{t(Msg::MeetPresent)}</span><input name="attendance[present_count]" required inputmode="numeric" value=m.present_count.map(|n| n.to_string())/></label>
                    <label><span>{t(Msg::MeetOthers)}</span><input name="attendance[other_attendees]" value=m.other_attendees.clone()/></label>
                    <label class="wide"><span>{t(Msg::MeetReported)}</span><textarea name="attendance[content_reported]" rows="3">{m.content_reported.clone()}</textarea></label>
                    <label><span>{t(Msg::MeetEndedAt)}</span><input name="attendance[ended_at]" placeholder="giờ:phút" value=m.ended_at_ms.map(clock)/></label>
                    <div class="form-actions">
                        <FormOutcome value=actions.attendance.value() ok_text=Msg::Saved/>
                        <button type="submit" class="button primary">{t(Msg::Save)}</button>
                    </div>
                </ActionForm>
            </section>
            <section class="card">
                <h2>{t(Msg::MeetAddOpinion)}</h2>
                <ActionForm action=actions.opinion node_ref=actions.opinion_form attr:id="opinion-form" attr:class="grid-form">
                    <input type="hidden" name="meeting_id" value=id/>
                    <label><span>{t(Msg::MeetSpeaker)}</span><input name="opinion[speaker]" required/></label>
                    <label><span>{t(Msg::MeetAddress)}</span><input name="opinion[address]" placeholder="VD: Tổ 5, khóm 3"/></label>
                    <label>
                        <span>{t(Msg::MeetField)}</span>
                        <select name="opinion[field]">{code_options(OpinionField::ALL, OpinionField::code, OpinionField::label, None)}</select>
                    </label>
                    <label>
                        <span>{t(Msg::MeetCompetent)}</span>
                        <select name="opinion[competent_level]">{code_options(CompetentLevel::ALL, CompetentLevel::code, CompetentLevel::label, None)}</select>
                    </label>
                    <label class="wide"><span>{t(Msg::MeetContent)}</span><textarea name="opinion[content]" required rows="3"></textarea></label>
                    <label class="wide">
                        <span>{t(Msg::MeetRepeats)}</span>
                        <select name="opinion[repeats_opinion_id]">
                            <option value="">{t(Msg::MeetNotRepeat)}</option>
                            {earlier_choices}
                        </select>
                    </label>
                    <div class="form-actions">
                        <FormOutcome value=actions.opinion.value() ok_text=Msg::Saved/>
                        <button type="submit" class="button primary">{t(Msg::MeetAddOpinion)}</button>
                    </div>
                </ActionForm>
            </section>
            {has_opinions.then(|| view! {
                <section class="card">
                    <h2>{t(Msg::MeetAddAnswer)}</h2>
                    <ActionForm action=actions.answer node_ref=actions.answer_form attr:id="answer-form" attr:class="grid-form">
                        <label><span>{t(Msg::MeetItem)}</span><select name="opinion_id" required>{opinion_choices}</select></label>
                        <label><span>{t(Msg::MeetAnsweredBy)}</span><input name="answered_by" required/></label>
                        <label class="wide"><span>{t(Msg::MeetAnswerText)}</span><textarea name="content" required rows="3"></textarea></label>
                        <div class="form-actions">
                            <FormOutcome value=actions.answer.value() ok_text=Msg::Saved/>
                            <button type="submit" class="button primary">{t(Msg::MeetAddAnswer)}</button>
                        </div>
                    </ActionForm>
                </section>
            })}
            <section class="card">
                <h2>{t(Msg::MeetFinalise)}</h2>
                <p class="hint">{t(Msg::MeetFinaliseHint)}</p>
                <ActionForm action=actions.finalise attr:id="finalise-form">
                    <input type="hidden" name="meeting_id" value=id/>
                    <FormOutcome value=actions.finalise.value()/>
                    <button type="submit" class="button primary">
                        {t(if correcting { Msg::MeetFinaliseCorrection } else { Msg::MeetFinalise })}
                    </button>
                </ActionForm>
            </section>
        })}
    }
}
