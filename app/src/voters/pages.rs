//! Voter-list pages: overview (ward, elections, polling areas, search), import, voter detail.

use crate::domain::ids::{AreaId, ElectionId, VoterId};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::api::{
    get_voter, overview, preview_import, voter_history, AddVoter, CommitImport, CreateArea,
    CreateElection, DeleteArea, DeleteElection, EditVoter, RecordPosting, SaveWard, SetVoterStatus,
    UpdateArea, UpdateElection,
};
use super::model::{
    AreaPage, HistoryLine, ImportMode, ImportPreview, ImportRequest, PreviewOutcome,
    AREA_PAGE_SIZE, SEARCH_LIMIT,
};
use crate::domain::format;
use crate::domain::list_update::ListUpdate;
use crate::domain::role::Permission;
use crate::domain::ward::{AreaSummary, ElectionSummary};
use crate::domain::ward::{VoterStatus, VoterSummary};
use crate::i18n::Msg;
use crate::import::columns::Field;
use crate::import::progress::{ImportProgress, ImportStage};
use crate::import::rows::Severity;
use crate::import::texts::{
    already_listed_text, file_problem_text, header_only_text, import_problem_text,
    problem_code_label, renumbered_text, severity_label, voter_field_label,
};
use crate::locale::Locale;
use crate::ui::guard::RequirePermission;
use crate::ui::status_pages::ErrorPanel;
use crate::ui::url::{path_id, query_id};
use crate::ui::widgets::{reset_after_success, t, use_locale, FormOutcome};

pub fn status_label(status: VoterStatus) -> Msg {
    match status {
        VoterStatus::Active => Msg::StatusActive,
        VoterStatus::Removed => Msg::StatusRemoved,
        VoterStatus::Elsewhere => Msg::StatusElsewhere,
    }
}

#[component]
pub fn VotersPage() -> impl IntoView {
    view! { <RequirePermission permission=Permission::ManageVoterLists children=|_| view! { <VotersOverview/> }/> }
}

#[component]
fn VotersOverview() -> impl IntoView {
    let selected = query_id::<ElectionId>("election");
    let save_ward = ServerAction::<SaveWard>::new();
    let create_election = ServerAction::<CreateElection>::new();
    let create_area = ServerAction::<CreateArea>::new();
    let record_posting = ServerAction::<RecordPosting>::new();
    let setup = SetupActions::new();
    let data = Resource::new(
        move || {
            (
                selected(),
                save_ward.version().get(),
                create_election.version().get(),
                create_area.version().get(),
                record_posting.version().get(),
                setup.version(),
            )
        },
        |(election, ..)| overview(election),
    );
    let locale = use_locale();
    let election_form =
        reset_after_success(create_election.version(), create_election.value().into());
    let area_form = reset_after_success(create_area.version(), create_area.value().into());
    view! {
        <h1>{t(Msg::VotersTitle)}</h1>
        <Transition fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
            {move || data.get().map(|result| match result {
                Err(error) => view! { <ErrorPanel error/> }.into_any(),
                Ok(data) => {
                    let ward = data.ward.clone();
                    let election = data.selected.and_then(|id| data.elections.iter().find(|e| e.id == id).cloned());
                    let election_links = data.elections.iter().map(|e| {
                        let current = Some(e.id) == data.selected;
                        view! {
                            <li>
                                <a href=format!("/voters?election={}", e.id) aria-current=current.then_some("page")>
                                    {e.name.clone()}" — "{e.election_day.display()}
                                </a>
                            </li>
                        }
                    }).collect_view();
                    let areas = data.areas.iter().map(|area| view! {
                        <AreaRow area=area.clone() setup locale/>
                    }).collect_view();
                    let areas_data = data.areas.clone();
                    let next_number = data.areas.iter().map(|a| a.number).max().unwrap_or(0) + 1;
                    view! {
                        <section class="card">
                            <h2>{t(Msg::WardTitle)}</h2>
                            {ward.is_none().then(|| view! { <p class="notice">{t(Msg::WardMissing)}</p> })}
                            <ActionForm action=save_ward attr:id="ward-form" attr:class="grid-form">
                                <label>
                                    <span>{t(Msg::WardName)}</span>
                                    <input name="name" required value=ward.as_ref().map(|w| w.name.clone()) placeholder="VD: Phường Mỹ Thới"/>
                                </label>
                                <label>
                                    <span>{t(Msg::Province)}</span>
                                    <input name="province" required value=ward.as_ref().map(|w| w.province.clone()) placeholder="VD: Tỉnh An Giang"/>
                                </label>
                                <div class="form-actions">
                                    <FormOutcome value=save_ward.value()/>
                                    <button type="submit" class="button primary">{t(Msg::Save)}</button>
                                </div>
                            </ActionForm>
                        </section>
                        <section class="card">
                            <h2>{t(Msg::Elections)}</h2>
                            {data.elections.is_empty().then(|| view! { <p>{t(Msg::NoElections)}</p> })}
                            <ul class="election-list">{election_links}</ul>
                            <ActionForm action=create_election node_ref=election_form attr:id="election-form" attr:class="grid-form">
                                <label>
                                    <span>{t(Msg::ElectionName)}</span>
                                    <input name="name" required placeholder="VD: Bầu cử ĐBQH khóa XVI và HĐND các cấp nhiệm kỳ 2026–2031"/>
                                </label>
                                <label>
                                    <span>{t(Msg::ElectionDay)}</span>
                                    <input name="election_day" required placeholder="ngày/tháng/năm" inputmode="numeric"/>
                                </label>
                                <fieldset class="checks">
                                    <legend>{t(Msg::BallotLevels)}</legend>
                                    <label><input type="checkbox" name="national_assembly" value="1" checked/>{t(Msg::LevelNationalAssembly)}</label>
                                    <label><input type="checkbox" name="province" value="1" checked/>{t(Msg::LevelProvince)}</label>
                                    <label><input type="checkbox" name="commune" value="1" checked/>{t(Msg::LevelCommune)}</label>
                                </fieldset>
                                <div class="form-actions">
                                    <FormOutcome value=create_election.value()/>
                                    <button type="submit" class="button primary">{t(Msg::CreateElection)}</button>
                                </div>
                            </ActionForm>
                        </section>
                        {election.map(|election| {
                            let election_id = election.id;
                            view! {
                                <ElectionSettings election=election.clone() setup/>
                                <ListPosting election=election.clone() action=record_posting/>
                                <section class="card">
                                    <h2>{t(Msg::PollingAreas)}" — "{election.name.clone()}</h2>
                                    <div class="table-wrap">
                                        <table id="areas-table">
                                            <thead>
                                                <tr>
                                                    <th>{t(Msg::AreaNumber)}</th>
                                                    <th>{t(Msg::AreaName)}</th>
                                                    <th>{t(Msg::AreaAddress)}</th>
                                                    <th>{t(Msg::VoterCount)}</th>
                                                    <th>{t(Msg::Actions)}</th>
                                                </tr>
                                            </thead>
                                            <tbody>{areas}</tbody>
                                        </table>
                                    </div>
                                    <ActionForm action=create_area node_ref=area_form attr:id="area-form" attr:class="grid-form">
                                        <input type="hidden" name="election_id" value=election_id/>
                                        <label>
                                            <span>{t(Msg::AreaNumber)}</span>
                                            <input name="number" required inputmode="numeric" prop:value=next_number.to_string()/>
                                        </label>
                                        <label>
                                            <span>{t(Msg::AreaName)}</span>
                                            <input name="name" required placeholder="VD: Khóm Thới An" prop:value=String::new()/>
                                        </label>
                                        <label>
                                            <span>{t(Msg::AreaAddress)}</span>
                                            <input name="address" placeholder="VD: Nhà văn hóa khóm Thới An" prop:value=String::new()/>
                                        </label>
                                        <div class="form-actions">
                                            <FormOutcome value=create_area.value()/>
                                            <button type="submit" class="button primary">{t(Msg::CreateArea)}</button>
                                        </div>
                                    </ActionForm>
                                    <p class="actions-row">
                                        <a class="button primary" id="import-link" href=format!("/voters/import?election={election_id}")>
                                            {t(Msg::ImportVoters)}
                                        </a>
                                        <a class="button secondary" id="complaints-link" href=format!("/voters/complaints?election={election_id}")>
                                            {t(Msg::ComplaintsLink)}
                                        </a>
                                    </p>
                                </section>
                                <VoterSearch election_id areas=areas_data.clone()/>
                                <AddVoterForm areas=areas_data.clone()/>
                            }
                        })}
                    }.into_any()
                }
            })}
        </Transition>
    }
}

/// The corrections of the setup: an area's or the election's details, and deleting what was
/// created by mistake. The overview reloads after each one that succeeded; after a refusal it
/// stays as it is, so the open form keeps showing why.
#[derive(Clone, Copy)]
struct SetupActions {
    update_area: ServerAction<UpdateArea>,
    delete_area: ServerAction<DeleteArea>,
    update_election: ServerAction<UpdateElection>,
    delete_election: ServerAction<DeleteElection>,
    succeeded: RwSignal<usize>,
}

impl SetupActions {
    fn new() -> SetupActions {
        let succeeded = RwSignal::new(0);
        let count_success = |value: Signal<Option<Result<(), crate::error::AppError>>>| {
            Effect::new(move |_| {
                if matches!(value.get(), Some(Ok(()))) {
                    succeeded.update(|count| *count += 1);
                }
            });
        };
        let actions = SetupActions {
            update_area: ServerAction::new(),
            delete_area: ServerAction::new(),
            update_election: ServerAction::new(),
            delete_election: ServerAction::new(),
            succeeded,
        };
        count_success(actions.update_area.value().into());
        count_success(actions.delete_area.value().into());
        count_success(actions.update_election.value().into());
        count_success(actions.delete_election.value().into());
        actions
    }

    fn version(self) -> usize {
        self.succeeded.get()
    }
}

/// One polling area: its documents, and a fold-out to correct or delete it (plain forms, so
/// they work before the page's script has loaded).
#[component]
fn AreaRow(area: AreaSummary, setup: SetupActions, locale: Locale) -> impl IntoView {
    let id = area.id;
    view! {
        <tr>
            <td class="num">{area.number}</td>
            <td>{area.name.clone()}</td>
            <td>{area.address.clone()}</td>
            <td class="num">{format::count(area.voters, locale)}</td>
            <td class="row-actions">
                <a class="button secondary" href=format!("/voters/areas/{id}/list.pdf") target="_blank" rel="noopener">{t(Msg::ListPdf)}</a>
                <a class="button secondary" href=format!("/voters/areas/{id}/cards.pdf") target="_blank" rel="noopener">{t(Msg::CardsPdf)}</a>
                <a class="button secondary" href=format!("/voters/areas/{id}/list.csv") download>{t(Msg::ListCsv)}</a>
                <a class="button secondary" href=format!("/voters/areas/{id}/list.xlsx") download>{t(Msg::ListXlsx)}</a>
                <details class="area-edit">
                    <summary class="button secondary">{t(Msg::EditArea)}</summary>
                    <ActionForm action=setup.update_area attr:class="grid-form">
                        <input type="hidden" name="area_id" value=id/>
                        <label>
                            <span>{t(Msg::AreaNumber)}</span>
                            <input name="number" required inputmode="numeric" value=area.number.to_string()/>
                        </label>
                        <label>
                            <span>{t(Msg::AreaName)}</span>
                            <input name="name" required value=area.name.clone()/>
                        </label>
                        <label>
                            <span>{t(Msg::AreaAddress)}</span>
                            <input name="address" value=area.address.clone()/>
                        </label>
                        <div class="form-actions">
                            <FormOutcome value=setup.update_area.value()/>
                            <button type="submit" class="button primary">{t(Msg::SaveArea)}</button>
                        </div>
                    </ActionForm>
                    <ActionForm action=setup.delete_area attr:class="inline-form">
                        <input type="hidden" name="area_id" value=id/>
                        <p class="hint">{t(Msg::DeleteAreaHint)}</p>
                        <FormOutcome value=setup.delete_area.value()/>
                        <button type="submit" class="button danger">{t(Msg::DeleteArea)}</button>
                    </ActionForm>
                </details>
            </td>
        </tr>
    }
}

/// Corrects the election's name and day, or deletes an election created by mistake.
#[component]
fn ElectionSettings(election: ElectionSummary, setup: SetupActions) -> impl IntoView {
    view! {
        <details class="card" id="election-settings">
            <summary><h2>{t(Msg::ElectionSettings)}</h2></summary>
            <ActionForm action=setup.update_election attr:id="election-edit-form" attr:class="grid-form">
                <input type="hidden" name="election_id" value=election.id/>
                <label>
                    <span>{t(Msg::ElectionName)}</span>
                    <input name="name" required value=election.name.clone()/>
                </label>
                <label>
                    <span>{t(Msg::ElectionDay)}</span>
                    <input name="election_day" required inputmode="numeric" value=election.election_day.display()/>
                </label>
                <div class="form-actions">
                    <FormOutcome value=setup.update_election.value()/>
                    <button type="submit" class="button primary">{t(Msg::SaveElection)}</button>
                </div>
            </ActionForm>
            <ActionForm action=setup.delete_election attr:id="election-delete-form" attr:class="inline-form">
                <input type="hidden" name="election_id" value=election.id/>
                <p class="hint">{t(Msg::DeleteElectionHint)}</p>
                <FormOutcome value=setup.delete_election.value()/>
                <button type="submit" class="button danger">{t(Msg::DeleteElection)}</button>
            </ActionForm>
        </details>
    }
}

/// When the list was posted (niêm yết) and so until when complaints run; the form records or
/// corrects the day.
#[component]
fn ListPosting(election: ElectionSummary, action: ServerAction<RecordPosting>) -> impl IntoView {
    use crate::domain::complaint::filing_closes;
    use crate::domain::voter::latest_posting_day;

    let latest = latest_posting_day(election.election_day);
    let status = match election.posted_on {
        Some(posted) => view! {
            <p id="posting-status">
                {t(Msg::PostedOn)}" "<strong>{posted.display()}</strong>" · "
                {t(Msg::ComplaintsUntil)}" "<strong>{filing_closes(posted).display()}</strong>
            </p>
            {(posted > latest).then(|| view! {
                <p class="notice" id="posting-late">"⚠ "{t(Msg::PostedLate)}" "{latest.display()}</p>
            })}
        }
        .into_any(),
        None => view! {
            <p id="posting-status">{t(Msg::NotPostedYet)}" "{latest.display()}</p>
        }
        .into_any(),
    };
    view! {
        <section class="card">
            <h2>{t(Msg::ListPosting)}</h2>
            {status}
            <ActionForm action attr:id="posting-form" attr:class="grid-form">
                <input type="hidden" name="election_id" value=election.id/>
                <label>
                    <span>{t(Msg::PostingDay)}</span>
                    <input name="posted_on" required placeholder=latest.display() inputmode="numeric"
                        value=election.posted_on.map(|day| day.display())/>
                </label>
                <div class="form-actions">
                    <FormOutcome value=action.value()/>
                    <button type="submit" class="button primary">{t(Msg::RecordPosting)}</button>
                </div>
            </ActionForm>
        </section>
    }
}

/// What the search card shows: nothing yet, a search's results, or a page of an area's list.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
enum Listing {
    Nothing,
    Found(Vec<VoterSummary>),
    Page(AreaPage),
}

/// Search as you type; with the box empty, the chosen area's list page by page. Results link
/// to the voter.
#[component]
fn VoterSearch(election_id: ElectionId, areas: Vec<AreaSummary>) -> impl IntoView {
    let area_options = area_options(&areas);
    let (text, set_text) = signal(String::new());
    let (area, set_area) = signal(None::<AreaId>);
    let (page, set_page) = signal(0u32);
    let results = Resource::new(
        move || (text.get(), area.get(), page.get()),
        move |(text, area, page)| async move {
            match area {
                _ if !text.trim().is_empty() => super::api::search_voters(election_id, area, text)
                    .await
                    .map(Listing::Found),
                Some(area) => super::api::list_area(area, page).await.map(Listing::Page),
                None => Ok(Listing::Nothing),
            }
        },
    );
    let locale = use_locale();
    let at_limit = usize::try_from(SEARCH_LIMIT).unwrap_or(usize::MAX);
    let pager = move |shown: &AreaPage| {
        let first = u64::from(shown.page) * AREA_PAGE_SIZE.unsigned_abs() + 1;
        let last = first + shown.voters.len() as u64 - 1;
        view! {
            <div class="actions-row" id="area-pager">
                <span>{format!("{} {first}–{last}", t(Msg::ListRows))}</span>
                {(shown.page > 0).then(|| view! {
                    <button type="button" class="button" id="previous-page"
                        on:click=move |_| set_page.update(|n| *n = n.saturating_sub(1))>
                        {t(Msg::PreviousPage)}
                    </button>
                })}
                {shown.more.then(|| view! {
                    <button type="button" class="button" id="next-page"
                        on:click=move |_| set_page.update(|n| *n += 1)>
                        {t(Msg::MoreVoters)}
                    </button>
                })}
            </div>
        }
    };
    view! {
        <section class="card" id="voter-search">
            <h2>{t(Msg::SearchVoters)}</h2>
            <div class="filter-bar">
                <label class="grow">
                    <span>{t(Msg::SearchVoters)}</span>
                    <input
                        id="search-input"
                        type="search"
                        autocomplete="off"
                        placeholder="VD: nguyen van a (không cần dấu)"
                        on:input=move |ev| {
                            set_page.set(0);
                            set_text.set(event_target_value(&ev));
                        }
                    />
                </label>
                <label>
                    <span>{t(Msg::PollingAreas)}</span>
                    <select id="search-area" on:change=move |ev| {
                        set_page.set(0);
                        set_area.set(event_target_value(&ev).parse().ok());
                    }>
                        <option value="">{t(Msg::AllAreas)}</option>
                        {area_options}
                    </select>
                </label>
            </div>
            <p class="hint">{t(Msg::SearchHint)}" "{t(Msg::BrowseHint)}</p>
            <Transition fallback=|| ()>
                {move || results.get().map(|result| match result {
                    Err(error) => view! { <p class="form-error" role="alert">{crate::i18n::error_message(&error, locale)}</p> }.into_any(),
                    Ok(Listing::Nothing) => ().into_any(),
                    Ok(Listing::Found(rows)) if rows.is_empty() => {
                        view! { <p>{t(Msg::NoResults)}</p> }.into_any()
                    }
                    Ok(Listing::Found(rows)) => {
                        let more = rows.len() >= at_limit;
                        view! {
                            <VoterResults rows/>
                            {more.then(|| view! { <p class="notice" id="search-more">{t(Msg::SearchAtLimit)}</p> })}
                        }
                        .into_any()
                    }
                    Ok(Listing::Page(shown)) if shown.voters.is_empty() => {
                        view! { <p>{t(Msg::AreaListEmpty)}</p> }.into_any()
                    }
                    Ok(Listing::Page(shown)) => {
                        let pager = pager(&shown);
                        view! { <VoterResults rows=shown.voters/>{pager} }.into_any()
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
pub fn VoterResults(rows: Vec<VoterSummary>) -> impl IntoView {
    let body = rows
        .into_iter()
        .map(|v| {
            let href = format!("/voters/{}", v.id);
            view! {
                <tr class:removed=v.status != VoterStatus::Active>
                    <td><a href=href>{v.full_name.clone()}</a></td>
                    <td>{v.birth.display()}</td>
                    <td>{v.address().to_string()}</td>
                    <td class="num">{v.area_number}</td>
                    <td class="num">{v.stt}</td>
                    <td>{t(status_label(v.status))}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-wrap">
            <table id="search-results">
                <thead>
                    <tr>
                        <th>{t(Msg::FullName)}</th>
                        <th>{t(Msg::BirthDate)}</th>
                        <th>{t(Msg::Address)}</th>
                        <th>{t(Msg::AreaNumber)}</th>
                        <th>{t(Msg::CardNumber)}</th>
                        <th>{t(Msg::VoterStatusLabel)}</th>
                    </tr>
                </thead>
                <tbody>{body}</tbody>
            </table>
        </div>
    }
}

#[component]
pub fn VoterPage() -> impl IntoView {
    view! { <RequirePermission permission=Permission::ManageVoterLists children=|_| view! { <VoterDetail/> }/> }
}

#[component]
fn VoterDetail() -> impl IntoView {
    let voter_id = path_id::<VoterId>("id");
    let set_status = ServerAction::<SetVoterStatus>::new();
    let edit = ServerAction::<EditVoter>::new();
    let voter = Resource::new(
        move || (voter_id(), set_status.version().get(), edit.version().get()),
        |(id, ..)| get_voter(id),
    );
    view! {
        <Transition fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
            {move || voter.get().map(|result| match result {
                Err(error) => view! { <ErrorPanel error/> }.into_any(),
                Ok(v) => view! { <VoterCard v=v set_status edit/> }.into_any(),
            })}
        </Transition>
        <VoterHistory voter_id set_status edit/>
    }
}

/// The voter's recorded changes in words, newest first, reloaded after a change on this page.
#[component]
fn VoterHistory(
    voter_id: impl Fn() -> VoterId + Copy + Send + Sync + 'static,
    set_status: ServerAction<SetVoterStatus>,
    edit: ServerAction<EditVoter>,
) -> impl IntoView {
    let locale = use_locale();
    let history = Resource::new(
        move || (voter_id(), set_status.version().get(), edit.version().get()),
        |(id, ..)| voter_history(id),
    );
    use crate::ui::widgets::ChangeSummary;
    let line = move |line: HistoryLine| {
        let words = crate::i18n::audit_words::action_words(&line.action, locale);
        view! {
            <tr>
                <td>{format::date_time(line.at_ms)}</td>
                <td>{words}</td>
                <td>{line.actor}</td>
                <td class="summary"><ChangeSummary text=line.before/></td>
                <td class="summary"><ChangeSummary text=line.after/></td>
            </tr>
        }
    };
    view! {
        <Transition fallback=|| ()>
            {move || history.get().map(|result| match result {
                Err(error) => view! { <ErrorPanel error/> }.into_any(),
                Ok(lines) if lines.is_empty() => view! {
                    <section class="card" id="voter-history"><h2>{t(Msg::VoterHistory)}</h2><p>{t(Msg::NoHistory)}</p></section>
                }.into_any(),
                Ok(lines) => view! {
                    <section class="card" id="voter-history">
                        <h2>{t(Msg::VoterHistory)}</h2>
                        <div class="table-wrap" tabindex="0">
                            <table>
                                <thead>
                                    <tr>
                                        <th>{t(Msg::AuditTime)}</th>
                                        <th>{t(Msg::AuditAction)}</th>
                                        <th>{t(Msg::AuditActor)}</th>
                                        <th>{t(Msg::AuditBefore)}</th>
                                        <th>{t(Msg::AuditAfter)}</th>
                                    </tr>
                                </thead>
                                <tbody>{lines.into_iter().map(line).collect_view()}</tbody>
                            </table>
                        </div>
                    </section>
                }.into_any(),
            })}
        </Transition>
    }
}

#[component]
fn VoterCard(
    v: VoterSummary,
    set_status: ServerAction<SetVoterStatus>,
    edit: ServerAction<EditVoter>,
) -> impl IntoView {
    let fields: Vec<(Msg, String)> = vec![
        (
            Msg::CardNumber,
            format!("{} — {} {}", v.stt, t(Msg::PollingAreas), v.area_number),
        ),
        (Msg::BirthDate, v.birth.display()),
        (Msg::Gender, v.gender.label().to_string()),
        (Msg::Ethnicity, v.ethnicity.clone()),
        (Msg::Occupation, v.occupation.clone()),
        (
            Msg::IdNumber,
            v.cccd
                .as_ref()
                .map(|c| c.as_str().to_string())
                .unwrap_or_default(),
        ),
        (Msg::PermanentAddress, v.permanent_address.clone()),
        (Msg::TemporaryAddress, v.temporary_address.clone()),
        (
            Msg::HouseholdHead,
            if v.is_head {
                "✓".into()
            } else {
                String::new()
            },
        ),
        (Msg::VoterStatusLabel, t(status_label(v.status)).to_string()),
        (Msg::Reason, v.status_reason.clone()),
        (Msg::CertificateNo, v.certificate_no.clone()),
        (Msg::Notes, v.notes.clone()),
    ];
    let rows = fields
        .into_iter()
        .filter(|(_, value)| !value.is_empty())
        .map(
            |(label, value)| view! { <div class="field"><dt>{t(label)}</dt><dd>{value}</dd></div> },
        )
        .collect_view();
    let active = v.status == VoterStatus::Active;
    let id = v.id;
    view! {
        <section class="card">
            <h1 id="voter-name">{v.full_name.clone()}</h1>
            <dl class="fields">{rows}</dl>
            {active.then(|| view! {
                <p><a class="button secondary" id="voter-card-pdf" href=format!("/voters/{id}/card.pdf")
                    target="_blank" rel="noopener">{t(Msg::ReprintCard)}</a></p>
            })}
        </section>
        <section class="card" id="voter-amend">
            <h2>{t(Msg::AmendTitle)}</h2>
            <FormOutcome value=set_status.value() ok_text=Msg::Saved/>
            {if active {
                view! {
                    <ActionForm action=set_status attr:id="remove-form" attr:class="grid-form">
                        <input type="hidden" name="voter_id" value=id/>
                        <input type="hidden" name="status" value="removed"/>
                        <label><span>{t(Msg::Reason)}</span><input name="reason" required placeholder="VD: Chuyển hộ khẩu đi nơi khác"/></label>
                        <div class="form-actions"><button type="submit" class="button secondary">{t(Msg::RemoveVoter)}</button></div>
                    </ActionForm>
                    <ActionForm action=set_status attr:id="elsewhere-form" attr:class="grid-form">
                        <input type="hidden" name="voter_id" value=id/>
                        <input type="hidden" name="status" value="elsewhere"/>
                        <label><span>{t(Msg::CertificateNo)}</span><input name="certificate_no" required/></label>
                        <label><span>{t(Msg::Reason)}</span><input name="reason" required placeholder="VD: Đi công tác"/></label>
                        <div class="form-actions"><button type="submit" class="button secondary">{t(Msg::StatusElsewhere)}</button></div>
                    </ActionForm>
                }.into_any()
            } else {
                view! {
                    <ActionForm action=set_status attr:id="restore-form" attr:class="grid-form">
                        <input type="hidden" name="voter_id" value=id/>
                        <input type="hidden" name="status" value="active"/>
                        <label><span>{t(Msg::Reason)}</span><input name="reason" required/></label>
                        <div class="form-actions"><button type="submit" class="button secondary">{t(Msg::RestoreVoter)}</button></div>
                    </ActionForm>
                }.into_any()
            }}
            <h3>{t(Msg::EditVoter)}</h3>
            <ActionForm action=edit attr:id="edit-form" attr:class="grid-form">
                <input type="hidden" name="voter_id" value=id/>
                <VoterFields v=Some(v.clone())/>
                <label><span>{t(Msg::Reason)}</span><input name="reason" required/></label>
                <div class="form-actions">
                    <FormOutcome value=edit.value() ok_text=Msg::Saved/>
                    <button type="submit" class="button primary">{t(Msg::Save)}</button>
                </div>
            </ActionForm>
        </section>
    }
}

/// The inputs of a voter's facts, named `voter[…]` for the add and edit server functions.
#[component]
fn VoterFields(v: Option<VoterSummary>) -> impl IntoView {
    let value = |f: &dyn Fn(&VoterSummary) -> String| v.as_ref().map(f).unwrap_or_default();
    let male = v
        .as_ref()
        .is_some_and(|v| v.gender == crate::domain::voter::Gender::Male);
    view! {
        <label><span>{t(Msg::FullName)}</span><input name="voter[full_name]" required value=value(&|v| v.full_name.clone())/></label>
        <label><span>{t(Msg::BirthDate)}</span><input name="voter[birth_date]" required placeholder="ngày/tháng/năm" value=value(&|v| v.birth.display())/></label>
        <label>
            <span>{t(Msg::Gender)}</span>
            <select name="voter[gender]">
                <option value="Nam" selected=male>"Nam"</option>
                <option value="Nữ" selected=!male>"Nữ"</option>
            </select>
        </label>
        <label><span>{t(Msg::Ethnicity)}</span><input name="voter[ethnicity]" value=value(&|v| v.ethnicity.clone())/></label>
        <label><span>{t(Msg::Occupation)}</span><input name="voter[occupation]" value=value(&|v| v.occupation.clone())/></label>
        <label><span>{t(Msg::IdNumber)}</span><input name="voter[cccd]" inputmode="numeric" value=value(&|v| v.cccd.as_ref().map(|c| c.as_str().to_string()).unwrap_or_default())/></label>
        <label><span>{t(Msg::PermanentAddress)}</span><input name="voter[permanent_address]" value=value(&|v| v.permanent_address.clone())/></label>
        <label><span>{t(Msg::TemporaryAddress)}</span><input name="voter[temporary_address]" value=value(&|v| v.temporary_address.clone())/></label>
        <label><span>{t(Msg::TemporarySince)}</span><input name="voter[temporary_since]" placeholder="ngày/tháng/năm" value=value(&|v| v.temporary_since.map(|d| d.display()).unwrap_or_default())/></label>
        <label><span>{t(Msg::Notes)}</span><input name="voter[notes]" value=value(&|v| v.notes.clone())/></label>
    }
}

fn area_options(areas: &[AreaSummary]) -> impl IntoView {
    areas
        .iter()
        .map(|a| view! { <option value=a.id>{format!("{} — {}", a.number, a.name)}</option> })
        .collect_view()
}

/// Adding a voter to a posted list: the card number continues after the area's highest.
#[component]
fn AddVoterForm(areas: Vec<AreaSummary>) -> impl IntoView {
    let area_options = area_options(&areas);
    let add = ServerAction::<AddVoter>::new();
    view! {
        <section class="card" id="add-voter">
            <h2>{t(Msg::AddVoter)}</h2>
            <ActionForm action=add attr:id="add-voter-form" attr:class="grid-form">
                <label><span>{t(Msg::PollingAreas)}</span><select name="area_id" required>{area_options}</select></label>
                <VoterFields v=None/>
                <label><span>{t(Msg::Reason)}</span><input name="reason" required placeholder="VD: Chuyển đến cư trú"/></label>
                <div class="form-actions">
                    <FormOutcome value=add.value()/>
                    {move || add.value().get().and_then(Result::ok).map(|v| view! {
                        <p class="form-ok" role="status" id="voter-added">
                            <a href=format!("/voters/{}", v.id)>{v.full_name.clone()}</a>
                            " — "{t(Msg::CardNumber)}" "{v.stt}
                        </p>
                    })}
                    <button type="submit" class="button primary">{t(Msg::AddVoter)}</button>
                </div>
            </ActionForm>
        </section>
    }
}

#[component]
pub fn ImportPage() -> impl IntoView {
    view! { <RequirePermission permission=Permission::ManageVoterLists children=|_| view! { <Import/> }/> }
}

#[component]
fn Import() -> impl IntoView {
    let query = use_query_map();
    let request = move || {
        let query = query.read();
        ImportRequest::from_query(|key| query.get(key))
    };
    let mode = move || ImportMode::from_query(query.read().get("mode").as_deref());
    let overview_data = Resource::new(move || request().election_id, |id| overview(Some(id)));
    let preview = Resource::new(
        move || (request(), mode()),
        |(request, mode)| async move {
            if request.token.is_empty() {
                Ok(None)
            } else {
                preview_import(request, Some(mode)).await.map(Some)
            }
        },
    );
    view! {
        <h1>{t(Msg::ImportTitle)}</h1>
        <p>{t(Msg::ImportIntro)}</p>
        <Transition fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
            {move || {
                let request = request();
                match (preview.get(), overview_data.get()) {
                    (Some(Err(error)), _) | (_, Some(Err(error))) => Some(view! { <ErrorPanel error/> }.into_any()),
                    (Some(Ok(None)), Some(Ok(data))) => Some(view! { <UploadForm election_id=request.election_id areas=data.areas/> }.into_any()),
                    (Some(Ok(Some(PreviewOutcome::Rejected(problem)))), Some(Ok(data))) => {
                        let text = file_problem_text(&problem, use_locale());
                        Some(view! {
                            <p class="form-error" role="alert" id="file-problem">{text}</p>
                            <UploadForm election_id=request.election_id areas=data.areas/>
                        }.into_any())
                    }
                    (Some(Ok(Some(PreviewOutcome::Preview(preview)))), Some(Ok(_))) => {
                        let preview = *preview;
                        let mode = mode();
                        Some(view! { <PreviewPanel preview request mode/> }.into_any())
                    }
                    _ => None,
                }
            }}
        </Transition>
    }
}

#[component]
fn UploadForm(election_id: ElectionId, areas: Vec<AreaSummary>) -> impl IntoView {
    let options = areas
        .into_iter()
        .map(|a| view! { <option value=a.id>{format!("{} — {}", a.number, a.name)}</option> })
        .collect_view();
    // A plain multipart form, so it works before the page is interactive (the server answers
    // with a redirect to the preview). Once it is, the form is sent by script instead, to show
    // how much of a large file has gone up.
    let (sent, set_sent) = signal(None::<(f64, f64)>);
    let (failure, set_failure) = signal(None::<String>);
    // Once the file is up, the dry run reads it while the preview page loads (seconds for a
    // million rows): how far it has come.
    let (reading, set_reading) = signal(None::<ImportProgress>);
    let on_submit = move |event: leptos::ev::SubmitEvent| {
        #[cfg(feature = "hydrate")]
        upload_with_progress(event, set_sent, set_failure, set_reading);
        #[cfg(not(feature = "hydrate"))]
        let _ = (event, set_sent, set_failure, set_reading);
    };
    view! {
        <form id="upload-form" class="card stack" method="post" action="/voters/import/upload" enctype="multipart/form-data" on:submit=on_submit>
            <input type="hidden" name="election_id" value=election_id/>
            <label>
                <span>{t(Msg::DefaultArea)}</span>
                <select name="default_area">
                    <option value="">{t(Msg::NoDefaultArea)}</option>
                    {options}
                </select>
            </label>
            <label>
                <span>{t(Msg::ImportFile)}</span>
                <input type="file" name="file" accept=".csv,.txt,.xlsx,.xls,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,application/vnd.ms-excel" required/>
            </label>
            {move || sent.get().map(|(loaded, total)| {
                #[expect(
                    clippy::cast_possible_truncation,
                    reason = "the bytes sent are at most the total, so the share is in 0..=100"
                )]
                let share = if total > 0.0 { (loaded * 100.0 / total).floor() as i64 } else { 0 };
                view! {
                    <div class="import-progress" role="status" id="upload-progress">
                        <progress value=loaded max=total></progress>
                        <span>{format!("{}: {share}%", t(Msg::UploadSent))}</span>
                    </div>
                }
            })}
            {move || reading.get().map(|now| view! { <StageProgress id="dry-run-progress" now/> })}
            {move || failure.get().map(|message| view! { <p class="form-error" role="alert">{message}</p> })}
            <button type="submit" class="button primary" disabled=move || sent.get().is_some()>{t(Msg::Upload)}</button>
        </form>
    }
}

/// Sends the upload form with XMLHttpRequest to follow its progress, then goes to the dry run
/// (or shows what went wrong). Leaves the event alone, so the browser sends the form itself,
/// if any step of that cannot start.
#[cfg(feature = "hydrate")]
fn upload_with_progress(
    event: leptos::ev::SubmitEvent,
    set_sent: WriteSignal<Option<(f64, f64)>>,
    set_failure: WriteSignal<Option<String>>,
    set_reading: WriteSignal<Option<ImportProgress>>,
) {
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;

    let Some(form) = event
        .target()
        .and_then(|target| target.dyn_into::<web_sys::HtmlFormElement>().ok())
    else {
        return;
    };
    let (Ok(data), Ok(request)) = (
        web_sys::FormData::new_with_form(&form),
        web_sys::XmlHttpRequest::new(),
    ) else {
        return;
    };
    if request.open("POST", &form.action()).is_err()
        || request.set_request_header("X-Cutri-Upload", "1").is_err()
    {
        return;
    }
    let on_progress = Closure::<dyn FnMut(web_sys::ProgressEvent)>::new(
        move |progress: web_sys::ProgressEvent| {
            if progress.length_computable() {
                set_sent.set(Some((progress.loaded(), progress.total())));
            }
        },
    );
    if let Ok(upload) = request.upload() {
        upload.set_onprogress(Some(on_progress.as_ref().unchecked_ref()));
    }
    let answered = request.clone();
    // Read now: the handler runs outside the component, where the locale is not reachable.
    let upload_failed = t(Msg::UploadFailed);
    let on_end = Closure::<dyn FnMut()>::new(move || {
        let body = answered.response_text().ok().flatten().unwrap_or_default();
        match answered.status() {
            Ok(200) if body.starts_with("/voters/import?") => {
                follow_dry_run(&body, set_reading);
                crate::ui::widgets::reload_to(&body);
            }
            Ok(status) => {
                set_sent.set(None);
                set_failure.set(Some(if status == 0 || body.is_empty() {
                    upload_failed.to_string()
                } else {
                    body
                }));
            }
            Err(_) => set_sent.set(None),
        }
    });
    request.set_onloadend(Some(on_end.as_ref().unchecked_ref()));
    if request.send_with_opt_form_data(Some(&data)).is_err() {
        return;
    }
    event.prevent_default();
    set_failure.set(None);
    set_sent.set(Some((0.0, 1.0)));
    // The request owns nothing on the Rust side: the handlers live as long as the page.
    on_progress.forget();
    on_end.forget();
}

/// Shows the dry run's progress on this page until the browser has the preview page: the
/// dry run starts when the browser asks for that page, and this page stays up meanwhile.
#[cfg(feature = "hydrate")]
fn follow_dry_run(preview_path: &str, set_reading: WriteSignal<Option<ImportProgress>>) {
    let Some(token) = preview_path
        .split(['?', '&'])
        .find_map(|pair| pair.strip_prefix("token="))
        .map(str::to_string)
    else {
        return;
    };
    set_reading.set(Some(ImportProgress {
        stage: ImportStage::Reading,
        done: 0,
        total: 0,
    }));
    let poll = move || {
        let token = token.clone();
        leptos::task::spawn_local(async move {
            if let Ok(Some(now)) = super::api::import_commit_progress(token).await {
                if now.stage == ImportStage::Reading {
                    set_reading.try_set(Some(now));
                }
            }
        });
    };
    // The page goes away with the interval; nothing to clear.
    let _ = set_interval_with_handle(poll, std::time::Duration::from_millis(300));
}

#[component]
fn PreviewPanel(preview: ImportPreview, request: ImportRequest, mode: ImportMode) -> impl IntoView {
    let locale = use_locale();
    let commit = ServerAction::<CommitImport>::new();
    let area_name = |id: AreaId| {
        preview
            .areas
            .iter()
            .find(|(area, ..)| *area == id)
            .map(|(_, n, name)| format!("{n} — {name}"))
            .unwrap_or_default()
    };
    let columns = preview
        .columns
        .iter()
        .map(|column| {
            let options = Field::ALL
                .into_iter()
                .map(|field| view! { <option value=field.code() selected=column.field == Some(field)>{field.label()}</option> })
                .collect_view();
            view! {
                <tr>
                    <td class="num">{column.index + 1}</td>
                    <td>{column.heading.clone()}</td>
                    <td>
                        <select name=format!("c{}", column.index) aria-label=format!("{} {}", t(Msg::FileColumn), column.index + 1)>
                            <option value="" selected=column.field.is_none()>{t(Msg::Ignored)}</option>
                            {options}
                        </select>
                    </td>
                    <td class="samples">{column.samples.join(" · ")}</td>
                </tr>
            }
        })
        .collect_view();
    let per_area = preview
        .totals
        .per_area
        .iter()
        .map(|a| {
            view! {
                <tr>
                    <td>{area_name(a.area_id)}</td>
                    <td class="num">{format::count(a.voters, locale)}</td>
                    <td class="num">{format::count(a.men, locale)}</td>
                    <td class="num">{format::count(a.women, locale)}</td>
                </tr>
            }
        })
        .collect_view();
    let level = |severity: Severity| severity_label(severity, locale);
    let problems = preview
        .problems
        .iter()
        .map(|p| {
            let error = p.kind.severity() == Severity::Error;
            view! {
                <tr class:problem-error=error class:problem-warning=!error>
                    <td class="num">{p.row}</td>
                    <td>{p.column.map(|c| c.label()).unwrap_or("")}</td>
                    <td>{level(p.kind.severity())}</td>
                    <td>{import_problem_text(&p.kind, locale)}</td>
                    <td>{p.name.clone()}</td>
                </tr>
            }
        })
        .collect_view();
    let by_kind = preview
        .problems_by_kind
        .iter()
        .map(|kind| {
            let error = kind.code.severity() == Severity::Error;
            view! {
                <tr class:problem-error=error class:problem-warning=!error data-code=format!("{:?}", kind.code)>
                    <td>{problem_code_label(kind.code, locale)}</td>
                    <td>{level(kind.code.severity())}</td>
                    <td class="num">{format::count(kind.count, locale)}</td>
                </tr>
            }
        })
        .collect_view();
    let encodings = [("utf-8", "Unicode (UTF-8, UTF-16)"), ("tcvn3", "TCVN3 (ABC, .VnTime)"), ("vni", "VNI-Windows"), ("windows-1258", "Windows-1258 (ANSI tiếng Việt)"), ("windows-1252", "Windows-1252")]
        .into_iter()
        .map(|(code, label)| view! { <option value=code selected=preview.encoding == code>{label}</option> })
        .collect_view();
    // Only a workbook with more than one sheet to offer has a choice to make.
    let sheets = preview.sheet.clone().filter(|choice| choice.offered.len() > 1).map(|choice| {
        let options = choice
            .offered
            .into_iter()
            .map(|(position, name)| view! { <option value=position selected=position == choice.read>{name}</option> })
            .collect_view();
        view! {
            <input type="hidden" name="mapped_sheet" value=choice.read/>
            <label>
                <span>{t(Msg::SheetRead)}</span>
                <select name="sheet" id="sheet-select">{options}</select>
            </label>
        }
        // Type-erased: the preview's view type is already near the compiler's depth limit.
        .into_any()
    });
    let separator = match preview.separator {
        Some('\t') => format!("{}: Tab", t(Msg::Separator)),
        Some(other) => format!("{}: “{other}”", t(Msg::Separator)),
        None => t(Msg::SpreadsheetFile).to_string(),
    };
    let commit_request = request.clone();
    let token = request.token.clone();
    let can_commit = preview.can_commit;
    let already_listed = preview
        .already_listed
        .map(|listed| already_listed_text(listed, preview.voter_rows, locale));
    let header_only =
        (preview.voter_rows == 0).then(|| header_only_text(preview.header_row, locale));
    // Nobody new and nothing wrong: no error, just nothing to write (rows with errors are in
    // none of the counts, so with errors the file is blocked as any other).
    let has_errors = preview
        .problems_by_kind
        .iter()
        .any(|kind| kind.code.severity() == Severity::Error);
    let nothing_new = !has_errors
        && preview.voter_rows > 0
        && preview
            .update
            .as_ref()
            .is_some_and(|update| update.added == 0);
    let blocked = !can_commit && already_listed.is_none() && header_only.is_none() && !nothing_new;
    let renumbered = (preview.renumbered.rows > 0).then(|| {
        renumbered_text(
            &preview.renumbered,
            |id| {
                preview
                    .areas
                    .iter()
                    .find(|(area, ..)| *area == id)
                    .map(|(_, number, _)| number.to_string())
                    .unwrap_or_default()
            },
            locale,
        )
    });
    let shown_line = format!(
        "{} {} / {}.",
        t(Msg::ProblemsErrorsFirst),
        format::count(preview.problems.len(), locale),
        format::count(preview.problem_count, locale)
    );
    // The download lists the problems of the mode on screen: in "only new voters" a person
    // already listed is not one.
    let problems_csv = format!(
        "/voters/import/problems.csv?{}&mode={}",
        request.query(),
        mode.query_value()
    );
    let nothing_to_say =
        already_listed.is_none() && header_only.is_none() && renumbered.is_none() && !blocked;
    let modes = [
        (ImportMode::All, Msg::ImportModeAll),
        (ImportMode::OnlyNew, Msg::ImportModeOnlyNew),
    ]
    .into_iter()
    .map(|(value, label)| view! { <option value=value.query_value() selected=mode == value>{t(label)}</option> })
    .collect_view();
    // Type-erased: the preview's view type is already near the compiler's depth limit.
    let update = preview
        .update
        .clone()
        .map(|update| view! { <ListUpdatePanel update nothing_new/> }.into_any());
    view! {
        <section class="card" id="import-preview">
            <h2>{preview.file_name.clone()}</h2>
            <form method="get" action="/voters/import" id="mapping-form" class="stack">
                <input type="hidden" name="token" value=request.token.clone()/>
                <input type="hidden" name="election" value=request.election_id/>
                <input type="hidden" name="area" value=request.default_area.map(|a| a.to_string()).unwrap_or_default()/>
                <div class="filter-bar">
                    <label>
                        <span>{t(Msg::DetectedEncoding)}</span>
                        <select name="encoding" id="encoding-select">{encodings}</select>
                    </label>
                    {sheets}
                    <label>
                        <span>{t(Msg::ImportModeLabel)}</span>
                        <select name="mode" id="import-mode">{modes}</select>
                    </label>
                    <p>{separator}" · "{t(Msg::HeaderRow)}": "{preview.header_row}</p>
                </div>
                {preview.dates_month_first.then(|| view! { <p class="notice" id="dates-month-first">{t(Msg::DatesMonthFirst)}</p> })}
                <h3>{t(Msg::ColumnMapping)}</h3>
                <div class="table-wrap">
                    <table id="mapping-table">
                        <thead>
                            <tr>
                                <th>{t(Msg::FileColumn)}</th>
                                <th>{t(Msg::Heading)}</th>
                                <th>{t(Msg::MapsTo)}</th>
                                <th>{t(Msg::Samples)}</th>
                            </tr>
                        </thead>
                        <tbody>{columns}</tbody>
                    </table>
                </div>
                <button type="submit" class="button secondary" id="apply-mapping">{t(Msg::ApplyChanges)}</button>
            </form>
        </section>
        <section class="card" id="import-totals">
            <h2>{t(Msg::ControlTotals)}</h2>
            <p id="totals-line">
                {t(Msg::RowsReady)}": "<strong>{format::count(preview.totals.rows, locale)}</strong>
                " · "{t(Msg::Men)}": "{format::count(preview.totals.men, locale)}
                " · "{t(Msg::Women)}": "{format::count(preview.totals.women, locale)}
            </p>
            <div class="table-wrap">
                <table>
                    <thead>
                        <tr>
                            <th>{t(Msg::PollingAreas)}</th>
                            <th>{t(Msg::VoterCount)}</th>
                            <th>{t(Msg::Men)}</th>
                            <th>{t(Msg::Women)}</th>
                        </tr>
                    </thead>
                    <tbody>{per_area}</tbody>
                </table>
            </div>
        </section>
        <section class="card" id="import-verdict" class:hidden=nothing_to_say>
            {already_listed.map(|text| view! { <p class="notice" id="import-already-listed">{text}</p> })}
            {header_only.map(|text| view! { <p class="notice" id="import-header-only">{text}</p> })}
            {blocked.then(|| view! { <p class="notice" id="import-blocked">{t(Msg::ImportBlocked)}</p> })}
            {renumbered.map(|text| view! { <p class="notice" id="import-renumbered">{text}</p> })}
        </section>
        <section class="card" id="import-problems">
            <h2>{t(Msg::Problems)}" ("{format::count(preview.problem_count, locale)}")"</h2>
            {preview.problems.is_empty().then(|| view! { <p>{t(Msg::NoProblems)}</p> })}
            <div class:hidden=preview.problems.is_empty()>
                <div class="table-wrap">
                    <table id="problems-by-kind">
                        <thead>
                            <tr>
                                <th>{t(Msg::ProblemKind)}</th>
                                <th>{t(Msg::Status)}</th>
                                <th>{t(Msg::ProblemsOfKind)}</th>
                            </tr>
                        </thead>
                        <tbody>{by_kind}</tbody>
                    </table>
                </div>
                <p id="problems-shown">
                    {shown_line}" "
                    <a href=problems_csv download id="problems-csv">{t(Msg::DownloadAllProblems)}</a>
                </p>
                <div class="table-wrap">
                    <table id="problems-table">
                        <thead>
                            <tr>
                                <th>{t(Msg::Row)}</th>
                                <th>{t(Msg::Column)}</th>
                                <th>{t(Msg::Status)}</th>
                                <th>{t(Msg::Problem)}</th>
                                <th>{t(Msg::FullName)}</th>
                            </tr>
                        </thead>
                        <tbody>{problems}</tbody>
                    </table>
                </div>
            </div>
        </section>
        {update}
        <section class="card">
            <FormOutcome value=commit.value()/>
            {move || commit.value().get().and_then(Result::ok).map(|count| view! {
                <p class="form-ok" role="status" id="import-done">
                    {t(Msg::Imported)}": "{format::count(count, locale)}" "{t(Msg::VotersUnit)}". "
                    <a href=format!("/voters?election={}", commit_request.election_id)>{t(Msg::VotersTitle)}</a>
                </p>
            })}
            <CommitProgress token running=commit.pending()/>
            <button
                type="button"
                class="button primary"
                id="commit-import"
                disabled=move || !can_commit || commit.pending().get() || matches!(commit.value().get(), Some(Ok(_)))
                on:click={
                    let request = request.clone();
                    move |_| {
                        commit.dispatch(CommitImport { request: request.clone(), mode: Some(mode) });
                    }
                }
            >
                {t(Msg::CommitImport)}
            </button>
        </section>
    }
}

/// An updated file against the list: how many people it adds, writes otherwise and leaves
/// alone; who is new; and what differs, with a link to each voter's page, where a difference
/// is amended with its reason (the import never writes one).
#[component]
fn ListUpdatePanel(update: ListUpdate, nothing_new: bool) -> impl IntoView {
    let locale = use_locale();
    let shown_first = |shown: usize, all: usize| {
        (shown < all).then(|| {
            format!(
                "{} {} / {}.",
                t(Msg::ListUpdateShownFirst),
                format::count(shown, locale),
                format::count(all, locale)
            )
        })
    };
    let added_more = shown_first(update.added_rows.len(), update.added);
    let changed_more = shown_first(update.changed_rows.len(), update.changed);
    let added = update
        .added_rows
        .into_iter()
        .map(|row| view! { <tr><td class="num">{row.row}</td><td>{row.full_name}</td></tr> })
        .collect_view();
    let changed = update
        .changed_rows
        .into_iter()
        .flat_map(|row| {
            let (file_row, voter_id, name) = (row.row, row.voter_id, row.full_name);
            row.changes.into_iter().map(move |change| {
                view! {
                    <tr>
                        <td class="num">{file_row}</td>
                        <td><a href=format!("/voters/{voter_id}")>{name.clone()}</a></td>
                        <td>{voter_field_label(change.field, locale)}</td>
                        <td>{change.old}</td>
                        <td>{change.new}</td>
                    </tr>
                }
            })
        })
        .collect_view();
    view! {
        <section class="card" id="import-update">
            <h2>{t(Msg::ListUpdateTitle)}</h2>
            <p id="update-counts" class="update-counts">
                {t(Msg::ListUpdateAdded)}": "<strong id="update-added">{format::count(update.added, locale)}</strong>
                " · "{t(Msg::ListUpdateChanged)}": "<strong id="update-changed">{format::count(update.changed, locale)}</strong>
                " · "{t(Msg::ListUpdateUnchanged)}": "<strong id="update-unchanged">{format::count(update.unchanged, locale)}</strong>
            </p>
            {nothing_new.then(|| view! { <p class="notice" id="import-nothing-new">{t(Msg::ListUpdateNothingNew)}</p> })}
            <div class:hidden=update.added == 0>
                <h3>{t(Msg::ListUpdateNewPeople)}</h3>
                {added_more.map(|text| view! { <p>{text}</p> })}
                <div class="table-wrap">
                    <table id="update-added-table">
                        <thead>
                            <tr>
                                <th>{t(Msg::Row)}</th>
                                <th>{t(Msg::FullName)}</th>
                            </tr>
                        </thead>
                        <tbody>{added}</tbody>
                    </table>
                </div>
            </div>
            <div class:hidden=update.changed == 0>
                <h3>{t(Msg::ListUpdateChangedPeople)}</h3>
                <p class="notice" id="import-changes-not-written">{t(Msg::ListUpdateChangesNotWritten)}</p>
                {changed_more.map(|text| view! { <p>{text}</p> })}
                <div class="table-wrap">
                    <table id="update-changed-table">
                        <thead>
                            <tr>
                                <th>{t(Msg::Row)}</th>
                                <th>{t(Msg::FullName)}</th>
                                <th>{t(Msg::ListUpdateFact)}</th>
                                <th>{t(Msg::ListUpdateOnList)}</th>
                                <th>{t(Msg::ListUpdateInFile)}</th>
                            </tr>
                        </thead>
                        <tbody>{changed}</tbody>
                    </table>
                </div>
            </div>
        </section>
    }
}

/// While a commit runs, asks the server twice a second how far it has come and shows it.
#[component]
fn CommitProgress(token: String, running: Memo<bool>) -> impl IntoView {
    let (progress, set_progress) = signal(None::<ImportProgress>);
    #[cfg(feature = "hydrate")]
    Effect::new(move |poller: Option<Option<IntervalHandle>>| {
        if let Some(Some(poller)) = poller {
            poller.clear();
        }
        if !running.get() {
            set_progress.set(None);
            return None;
        }
        let token = token.clone();
        set_interval_with_handle(
            move || {
                let token = token.clone();
                leptos::task::spawn_local(async move {
                    if let Ok(now) = super::api::import_commit_progress(token).await {
                        set_progress.try_set(now);
                    }
                });
            },
            std::time::Duration::from_millis(500),
        )
        .ok()
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = (token, set_progress, running);
    move || {
        progress
            .get()
            .map(|now| view! { <StageProgress id="import-progress" now/> })
    }
}

/// A stage of a dry run or commit as a bar with its text; the bar moves when the stage counts
/// rows.
#[component]
fn StageProgress(id: &'static str, now: ImportProgress) -> impl IntoView {
    let (label, value, max) = progress_label(now, use_locale());
    view! {
        <div class="import-progress" role="status" id=id>
            <progress value=value max=max></progress>
            <span>{label}</span>
        </div>
    }
}

/// What a progress bar shows for a stage: its text, and the bar's value and maximum when the
/// stage counts rows.
fn progress_label(now: ImportProgress, locale: Locale) -> (String, Option<u64>, Option<u64>) {
    let counted = |stage: Msg| {
        if now.total == 0 {
            return (format!("{}…", stage.text(locale)), None, None);
        }
        (
            format!(
                "{}: {}/{} {}",
                stage.text(locale),
                format::count(now.done, locale),
                format::count(now.total, locale),
                Msg::RowsUnit.text(locale)
            ),
            Some(now.done),
            Some(now.total),
        )
    };
    match now.stage {
        ImportStage::Reading => counted(Msg::ImportReading),
        ImportStage::Checking => (Msg::ImportChecking.text(locale).to_string(), None, None),
        ImportStage::Writing => counted(Msg::ImportWriting),
        ImportStage::Indexing => (Msg::ImportIndexing.text(locale).to_string(), None, None),
    }
}
