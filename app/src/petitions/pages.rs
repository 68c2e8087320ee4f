//! The petitions page of a round (/meetings/petitions?term=XVI&session=2&timing=before):
//! session dates and deadline, collecting, merge suggestions, routing, official answers,
//! carrying to the next round, and the summary report downloads.

use crate::domain::ids::PetitionId;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::api::{
    get_petition_round, AnswerPetition, CarryPetitions, CollectPetitions, MergePetitions,
    RoutePetition, SaveSessionDates,
};
use super::model::{Petition, PetitionRound};
use crate::domain::meeting::{vietnam_date, CompetentLevel, SessionTiming};
use crate::domain::petition::AnswerOutcome;
use crate::domain::role::Permission;
use crate::i18n::Msg;
use crate::locale::Locale;
use crate::ui::guard::RequirePermission;
use crate::ui::status_pages::ErrorPanel;
use crate::ui::widgets::{t, use_locale, FormOutcome};

fn options<T: Copy + PartialEq + 'static>(
    all: &'static [T],
    code: fn(T) -> &'static str,
    label: fn(T, Locale) -> &'static str,
    selected: T,
) -> impl IntoView {
    let locale = use_locale();
    all.iter()
        .map(|v| view! { <option value=code(*v) selected=*v == selected>{label(*v, locale)}</option> })
        .collect_view()
}

#[component]
pub fn PetitionsPage() -> impl IntoView {
    view! { <RequirePermission permission=Permission::ManageMeetings children=|_| view! { <Petitions/> }/> }
}

/// The actions of the page; each refreshes the round when it completes.
#[derive(Clone, Copy)]
struct Actions {
    dates: ServerAction<SaveSessionDates>,
    collect: ServerAction<CollectPetitions>,
    merge: ServerAction<MergePetitions>,
    route: ServerAction<RoutePetition>,
    answer: ServerAction<AnswerPetition>,
    carry: ServerAction<CarryPetitions>,
}

#[component]
fn Petitions() -> impl IntoView {
    let query = use_query_map();
    let get = move |key: &str| query.read().get(key).unwrap_or_default();
    let actions = Actions {
        dates: ServerAction::new(),
        collect: ServerAction::new(),
        merge: ServerAction::new(),
        route: ServerAction::new(),
        answer: ServerAction::new(),
        carry: ServerAction::new(),
    };
    let round = Resource::new(
        move || {
            (
                get("term"),
                get("session").parse::<i64>().unwrap_or(0),
                get("timing"),
                (
                    actions.dates.version().get(),
                    actions.collect.version().get(),
                    actions.merge.version().get(),
                    actions.route.version().get(),
                    actions.answer.version().get(),
                    actions.carry.version().get(),
                ),
            )
        },
        |(term, session, timing, _)| async move {
            if term.is_empty() || session <= 0 {
                return None;
            }
            Some(get_petition_round(term, session, timing).await)
        },
    );
    let timing = move || SessionTiming::from_code(&get("timing")).unwrap_or(SessionTiming::Before);
    view! {
        <h1>{t(Msg::PetTitle)}</h1>
        <p class="actions-row">
            <a class="button secondary" href="/meetings">{t(Msg::MeetList)}</a>
        </p>
        <form method="get" action="/meetings/petitions" class="filter-bar" id="round-filter">
            <label><span>{t(Msg::MeetTerm)}</span><input name="term" value=get("term") placeholder="XVI" size="6" required/></label>
            <label><span>{t(Msg::MeetSession)}</span><input name="session" value=get("session") inputmode="numeric" size="4" required/></label>
            <label>
                <span>{t(Msg::MeetTiming)}</span>
                <select name="timing">{move || options(SessionTiming::ALL, SessionTiming::code, SessionTiming::label, timing())}</select>
            </label>
            <button type="submit" class="button secondary">{t(Msg::MeetFilter)}</button>
        </form>
        <Transition fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
            {move || round.get().flatten().map(|result| match result {
                Err(error) => view! { <ErrorPanel error/> }.into_any(),
                Ok(round) => view! { <RoundView round actions/> }.into_any(),
            })}
        </Transition>
    }
}

#[component]
fn RoundView(round: PetitionRound, actions: Actions) -> impl IntoView {
    let r = round.round.clone();
    let (term, session, timing) = (
        r.term.clone(),
        r.session_number.to_string(),
        r.timing.code(),
    );
    let (term2, session2, term3, session3) =
        (term.clone(), session.clone(), term.clone(), session.clone());
    let query = format!(
        "term={}&session={}&timing={}",
        r.term, r.session_number, timing
    );
    let (opens, closes) = round
        .session
        .map(|(o, c)| (o.display(), c.display()))
        .unwrap_or_default();
    let due = round.due.map(|d| d.display()).unwrap_or_else(|| "—".into());
    let text = |id: PetitionId| {
        round
            .petitions
            .iter()
            .find(|p| p.id == id)
            .map(|p| p.content.clone())
            .unwrap_or_default()
    };
    let suggestions = round
        .suggestions
        .into_iter()
        .map(|s| {
            let (keep_text, absorb_text) = (text(s.keep), text(s.absorb));
            view! {
                <li class="suggestion">
                    <p>{format!("#{} ↔ #{} ({}%)", s.keep, s.absorb, s.percent)}</p>
                    <p class="hint">{keep_text}</p>
                    <p class="hint">{absorb_text}</p>
                    <ActionForm action=actions.merge attr:class="inline-form">
                        <input type="hidden" name="keep_id" value=s.keep/>
                        <input type="hidden" name="absorb_id" value=s.absorb/>
                        <button type="submit" class="button secondary">{t(Msg::PetMerge)}</button>
                    </ActionForm>
                </li>
            }
        })
        .collect::<Vec<_>>();
    let rows = round
        .petitions
        .into_iter()
        .map(|p| view! { <PetitionRow p actions/> })
        .collect_view();
    view! {
        <section class="card">
            <h2>{t(Msg::PetSession)}</h2>
            <ActionForm action=actions.dates attr:id="session-dates-form" attr:class="grid-form">
                <input type="hidden" name="term" value=term/>
                <input type="hidden" name="session_number" value=session/>
                <label><span>{t(Msg::PetOpens)}</span><input name="opens" value=opens placeholder="ngày/tháng/năm" required/></label>
                <label><span>{t(Msg::PetCloses)}</span><input name="closes" value=closes placeholder="ngày/tháng/năm" required/></label>
                <div class="form-actions">
                    <FormOutcome value=actions.dates.value() ok_text=Msg::Saved/>
                    <button type="submit" class="button secondary">{t(Msg::Save)}</button>
                </div>
            </ActionForm>
            <p>{t(Msg::PetDue)}<strong id="due-date">{due}</strong></p>
            <p class="actions-row">
                <a class="button secondary" href=format!("/meetings/petitions/summary.pdf?{query}") target="_blank" rel="noopener">{t(Msg::PetSummaryPdf)}</a>
                <a class="button secondary" href=format!("/meetings/petitions/summary.xlsx?{query}")>{t(Msg::PetSummaryXlsx)}</a>
            </p>
        </section>
        <section class="card">
            <p>{format!("{} {}", t(Msg::PetUncollected), round.uncollected)}</p>
            <ActionForm action=actions.collect attr:id="collect-form">
                <input type="hidden" name="term" value=term2/>
                <input type="hidden" name="session_number" value=session2/>
                <input type="hidden" name="timing" value=timing/>
                <FormOutcome value=actions.collect.value()/>
                <button type="submit" class="button primary">{t(Msg::PetCollect)}</button>
            </ActionForm>
        </section>
        <section class="card">
            <h2>{t(Msg::PetDuplicates)}</h2>
            <FormOutcome value=actions.merge.value()/>
            <ul id="merge-suggestions">{suggestions}</ul>
        </section>
        <section class="card">
            <h2>{t(Msg::PetList)}</h2>
            <FormOutcome value=actions.route.value()/>
            <FormOutcome value=actions.answer.value()/>
            <div class="table-wrap">
                <table id="petitions">
                    <thead><tr>
                        <th>"#"</th>
                        <th>{t(Msg::PetField)}</th>
                        <th>{t(Msg::PetContent)}</th>
                        <th>{t(Msg::PetSources)}</th>
                        <th>{t(Msg::PetStatus)}</th>
                        <th>{t(Msg::PetRouteAnswer)}</th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            <ActionForm action=actions.carry attr:id="carry-form">
                <input type="hidden" name="term" value=term3/>
                <input type="hidden" name="session_number" value=session3/>
                <input type="hidden" name="timing" value=timing/>
                <FormOutcome value=actions.carry.value()/>
                <button type="submit" class="button secondary">{t(Msg::PetCarry)}</button>
            </ActionForm>
        </section>
    }
}

#[component]
fn PetitionRow(p: Petition, actions: Actions) -> impl IntoView {
    let locale = use_locale();
    let sources = p
        .sources
        .iter()
        .map(|s| {
            let when = vietnam_date(s.meeting_start_ms).display();
            view! {
                <li><a href=format!("/meetings/{}", s.meeting_id)>{format!("{} ({when})", s.meeting_title)}</a>
                {format!(" — {} {}: {}", t(Msg::PetItemWord), s.number, s.speaker)}</li>
            }
        })
        .collect_view();
    let answers = p
        .answers
        .iter()
        .map(|a| {
            view! {
                <li>{format!(
                    "{} — {} {} {} {}, {}: {}",
                    a.outcome.label(locale),
                    t(Msg::PetLetterWord),
                    a.document_number,
                    t(Msg::PetDateWord),
                    a.document_date.display(),
                    a.signer,
                    a.content
                )}</li>
            }
        })
        .collect_view();
    let id = p.id;
    view! {
        <tr class:overdue=p.overdue>
            <td>{id.to_string()}</td>
            <td>{p.field.label(locale)}<br/>{p.competent_level.label(locale)}</td>
            <td class="wrap">{p.content.clone()}{p.carried_from_id.map(|from| view! { <p class="hint">{format!("{} #{from}", t(Msg::PetCarriedFrom))}</p> })}</td>
            <td class="wrap"><ul>{sources}</ul></td>
            <td class="wrap">
                {p.status.label(locale)}
                {(!p.competent_body.is_empty()).then(|| view! { <p class="hint">{p.competent_body.clone()}</p> })}
                {p.overdue.then(|| view! { <p class="form-error">{t(Msg::PetOverdue)}</p> })}
                <ul class="answers">{answers}</ul>
            </td>
            <td>
                <ActionForm action=actions.route attr:class="inline-form">
                    <input type="hidden" name="petition_id" value=id/>
                    // A row's compact form has no room for visible labels; the select says what it is.
                    <select name="competent_level" aria-label=t(Msg::MeetCompetent)>{options(CompetentLevel::ALL, CompetentLevel::code, CompetentLevel::label, p.competent_level)}</select>
                    <input name="competent_body" value=p.competent_body.clone() placeholder="VD: UBND phường" required/>
                    <button type="submit" class="button secondary">{t(Msg::PetRoute)}</button>
                </ActionForm>
                <details>
                    <summary>{t(Msg::PetRecordAnswer)}</summary>
                    <ActionForm action=actions.answer attr:class="grid-form">
                        <input type="hidden" name="petition_id" value=id/>
                        <label><span>{t(Msg::Resolution)}</span><select name="answer[outcome]">{options(AnswerOutcome::ALL, AnswerOutcome::code, AnswerOutcome::label, AnswerOutcome::Resolved)}</select></label>
                        <label><span>{t(Msg::PetAnswerContent)}</span><textarea name="answer[content]" required></textarea></label>
                        <label><span>{t(Msg::PetRoadmap)}</span><input name="answer[roadmap]"/></label>
                        <label><span>{t(Msg::PetLetterNumber)}</span><input name="answer[document_number]" required/></label>
                        <label><span>{t(Msg::PetIssuedOn)}</span><input name="answer[document_date]" placeholder="ngày/tháng/năm" required/></label>
                        <label><span>{t(Msg::PetSigner)}</span><input name="answer[signer]" required/></label>
                        <label><span>{t(Msg::PetAnsweringBody)}</span><input name="answer[answering_body]"/></label>
                        <button type="submit" class="button primary">{t(Msg::Save)}</button>
                    </ActionForm>
                </details>
            </td>
        </tr>
    }
}
