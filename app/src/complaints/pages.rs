//! The complaints register page: the election's complaints with their answer deadlines
//! (overdue ones marked in words, not only in colour), a form to enter a complaint, optionally
//! about a voter found by search, and a form to record an answer.

use crate::domain::ids::ElectionId;
use leptos::prelude::*;

use super::api::{complaints_overview, RecordComplaint, ResolveComplaint};
use super::model::{Complaint, ComplaintRegister};
use crate::domain::role::Permission;
use crate::i18n::Msg;
use crate::ui::guard::RequirePermission;
use crate::ui::status_pages::ErrorPanel;
use crate::ui::url::query_id;
use crate::ui::widgets::{reset_after_success, t, use_locale, FormOutcome};

#[component]
pub fn ComplaintsPage() -> impl IntoView {
    view! { <RequirePermission permission=Permission::ManageVoterLists children=|_| view! { <ComplaintsRegister/> }/> }
}

#[component]
fn ComplaintsRegister() -> impl IntoView {
    let selected = query_id::<ElectionId>("election");
    let record = ServerAction::<RecordComplaint>::new();
    let resolve = ServerAction::<ResolveComplaint>::new();
    let data = Resource::new(
        move || (selected(), record.version().get(), resolve.version().get()),
        |(election, ..)| complaints_overview(election),
    );
    view! {
        <h1>{t(Msg::ComplaintsTitle)}</h1>
        <p>{t(Msg::ComplaintsIntro)}</p>
        <Transition fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
            {move || data.get().map(|result| match result {
                Err(error) => view! { <ErrorPanel error/> }.into_any(),
                Ok(data) => view! { <Register data record resolve/> }.into_any(),
            })}
        </Transition>
    }
}

fn status_text(complaint: &Complaint) -> String {
    match complaint.resolved_on {
        Some(day) => format!("{} {}", t(Msg::ComplaintResolved), day.display()),
        None if complaint.overdue => format!("⚠ {}", t(Msg::ComplaintOverdue)),
        None => t(Msg::ComplaintOpen).to_string(),
    }
}

#[component]
fn Register(
    data: ComplaintRegister,
    record: ServerAction<RecordComplaint>,
    resolve: ServerAction<ResolveComplaint>,
) -> impl IntoView {
    let Some(election_id) = data.selected else {
        return view! { <p class="notice">{t(Msg::NoElections)}</p> }.into_any();
    };
    let election_links = (data.elections.len() > 1).then(|| {
        let links = data
            .elections
            .iter()
            .map(|e| {
                let current = e.id == election_id;
                view! {
                    <li>
                        <a href=format!("/voters/complaints?election={}", e.id) aria-current=current.then_some("page")>
                            {e.name.clone()}" — "{e.election_day.display()}
                        </a>
                    </li>
                }
            })
            .collect_view();
        view! { <ul class="election-list">{links}</ul> }
    });
    let overdue = data.complaints.iter().filter(|c| c.overdue).count();
    let rows = data
        .complaints
        .iter()
        .enumerate()
        .map(|(index, c)| {
            let voter = c.voter.as_ref().map(|v| {
                view! {
                    <a href=format!("/voters/{}", v.id)>{v.full_name.clone()}</a>
                    <small>{format!(" ({} {}, {} {})", t(Msg::PollingAreas), v.area_number, t(Msg::CardNumber), v.stt)}</small>
                }
            });
            view! {
                <tr id=format!("complaint-{}", c.id) class:overdue=c.overdue>
                    <td class="num">{index + 1}</td>
                    <td>
                        {c.received_on.display()}
                        {c.late.then(|| view! { <br/><small class="late-filing">"⚠ "{t(Msg::ComplaintLate)}</small> })}
                    </td>
                    <td>{c.complainant.clone()}</td>
                    <td>{voter}</td>
                    <td class="wrap">{c.content.clone()}</td>
                    <td class="deadline">{c.deadline.display()}</td>
                    <td class="complaint-status">{status_text(c)}</td>
                    <td class="wrap">{c.resolution.clone()}</td>
                </tr>
            }
        })
        .collect_view();
    let open: Vec<(usize, Complaint)> = data
        .complaints
        .iter()
        .cloned()
        .enumerate()
        .filter(|(_, c)| c.resolved_on.is_none())
        .collect();
    let today = data.today.display();
    let received_default = today.clone();
    let record_form = reset_after_success(record.version(), record.value().into());
    view! {
        {election_links}
        <section class="card">
            {(overdue > 0).then(|| view! {
                <p class="form-error" role="status" id="overdue-summary">"⚠ "{overdue}" "{t(Msg::OverdueSummary)}</p>
            })}
            {data.complaints.is_empty().then(|| view! { <p>{t(Msg::NoComplaints)}</p> })}
            <div class="table-wrap" class:hidden=data.complaints.is_empty()>
                <table id="complaints-table">
                    <thead>
                        <tr>
                            <th>{t(Msg::ComplaintNumber)}</th>
                            <th>{t(Msg::ReceivedOn)}</th>
                            <th>{t(Msg::Complainant)}</th>
                            <th>{t(Msg::ComplaintVoter)}</th>
                            <th>{t(Msg::ComplaintContent)}</th>
                            <th>{t(Msg::AnswerDeadline)}</th>
                            <th>{t(Msg::ComplaintStatus)}</th>
                            <th>{t(Msg::Resolution)}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            <p><a class="button secondary" id="complaints-register-pdf" target="_blank" rel="noopener"
                href=format!("/voters/complaints/register.pdf?election={election_id}")>{t(Msg::ComplaintsRegisterPdf)}</a></p>
        </section>
        <section class="card" id="record-complaint">
            <h2>{t(Msg::RecordComplaint)}</h2>
            <ActionForm action=record node_ref=record_form attr:id="complaint-form" attr:class="grid-form">
                <input type="hidden" name="election_id" value=election_id/>
                <label><span>{t(Msg::Complainant)}</span><input name="complainant" required autocomplete="off"/></label>
                <label><span>{t(Msg::ReceivedOn)}</span><input name="received_on" required inputmode="numeric" value=received_default/></label>
                <label class="wide"><span>{t(Msg::ComplaintContent)}</span><textarea name="content" required rows="3"></textarea></label>
                <VoterPicker election_id/>
                <div class="form-actions">
                    <FormOutcome value=record.value() ok_text=Msg::ComplaintRecorded/>
                    <button type="submit" class="button primary">{t(Msg::RecordComplaint)}</button>
                </div>
            </ActionForm>
        </section>
        <ResolveForm open today resolve/>
    }
    .into_any()
}

/// Finds a voter with the list's search and offers the results as choices for `voter_id`.
#[component]
fn VoterPicker(election_id: ElectionId) -> impl IntoView {
    let (text, set_text) = signal(String::new());
    let results = Resource::new(
        move || text.get(),
        move |text| async move {
            if text.trim().is_empty() {
                Ok(Vec::new())
            } else {
                crate::voters::api::search_voters(election_id, None, text).await
            }
        },
    );
    let locale = use_locale();
    view! {
        <fieldset class="voter-picker wide">
            <legend>{t(Msg::LinkVoter)}</legend>
            <label>
                <span>{t(Msg::SearchVoters)}</span>
                // No name: the search text is not part of the complaint. Enter would submit the
                // whole form, so it is kept for the search.
                <input
                    id="complaint-voter-search"
                    type="search"
                    autocomplete="off"
                    placeholder="VD: nguyen van a (không cần dấu)"
                    on:input=move |ev| set_text.set(event_target_value(&ev))
                    on:keydown=|ev| if ev.key() == "Enter" { ev.prevent_default() }
                />
            </label>
            <label class="choice">
                <input type="radio" name="voter_id" value="0" checked/>
                {t(Msg::NoVoterLinked)}
            </label>
            <Transition fallback=|| ()>
                {move || results.get().map(|result| match result {
                    Err(error) => view! { <p class="form-error" role="alert">{crate::i18n::error_message(&error, locale)}</p> }.into_any(),
                    Ok(rows) => rows.into_iter().map(|v| view! {
                        <label class="choice">
                            <input type="radio" name="voter_id" value=v.id/>
                            {format!("{} — {} — {} {}, {} {}", v.full_name, v.birth.display(), t(Msg::PollingAreas), v.area_number, t(Msg::CardNumber), v.stt)}
                        </label>
                    }).collect_view().into_any(),
                })}
            </Transition>
        </fieldset>
    }
}

#[component]
fn ResolveForm(
    open: Vec<(usize, Complaint)>,
    today: String,
    resolve: ServerAction<ResolveComplaint>,
) -> impl IntoView {
    let options = open
        .iter()
        .map(|(index, c)| {
            let label = format!(
                "{} {} — {} — {} {}{}",
                t(Msg::ComplaintNumber),
                index + 1,
                c.complainant,
                t(Msg::AnswerDeadline),
                c.deadline.display(),
                if c.overdue {
                    format!(" (⚠ {})", t(Msg::ComplaintOverdue))
                } else {
                    String::new()
                }
            );
            view! { <option value=c.id>{label}</option> }
        })
        .collect_view();
    let resolve_form = reset_after_success(resolve.version(), resolve.value().into());
    let form = if open.is_empty() {
        // Nothing left to answer; the outcome of the last answer stays visible.
        view! {
            <p>{t(Msg::NoOpenComplaints)}</p>
            <FormOutcome value=resolve.value() ok_text=Msg::ComplaintResolvedSaved/>
        }
        .into_any()
    } else {
        view! {
            <ActionForm action=resolve node_ref=resolve_form attr:id="resolve-form" attr:class="grid-form">
                <label><span>{t(Msg::ComplaintNumber)}</span><select name="complaint_id" required>{options}</select></label>
                <label><span>{t(Msg::ResolvedOn)}</span><input name="resolved_on" required inputmode="numeric" value=today/></label>
                <label class="wide"><span>{t(Msg::Resolution)}</span><textarea name="resolution" required rows="3"></textarea></label>
                <div class="form-actions">
                    <FormOutcome value=resolve.value() ok_text=Msg::ComplaintResolvedSaved/>
                    <button type="submit" class="button primary">{t(Msg::ResolveComplaint)}</button>
                </div>
            </ActionForm>
        }
        .into_any()
    };
    view! {
        <section class="card" id="resolve-complaint">
            <h2>{t(Msg::ResolveComplaint)}</h2>
            {form}
        </section>
    }
}
