//! Election-day screens: choosing a polling area, the check-in station, the live turnout board
//! and the large public display.

use crate::domain::ids::{AreaId, CheckInId, ElectionId};
use leptos::prelude::*;

use super::api::{
    desk_areas, form_outcome, lookup, record, station, turnout_board, undo, RecordForm, SetHours,
};
use super::model::{CheckInRequest, DeskArea, DeskMatch, DeskVoter, LogLine, StationView};
use crate::domain::checkin::{refusal_seen_in_search, CheckInOutcome, Receipt};
use crate::domain::format;
use crate::domain::role::Permission;
use crate::domain::turnout::{Count, Turnout, LEVELS_IN_ORDER};
use crate::domain::voter::Levels;
use crate::error::AppError;
use crate::i18n::{error_message, level_label, refusal_text, undone_check_in_text, Msg};
use crate::turnout::api::load_reports;
use crate::turnout::pages::TurnoutReports;
use crate::ui::guard::RequirePermission;
use crate::ui::status_pages::ErrorPanel;
use crate::ui::url::{path_id, query_id};
use crate::ui::widgets::{t, use_locale, FormOutcome};
use crate::voters::pages::status_label;
use leptos::server_fn::ServerFn;
use leptos_router::hooks::use_query_map;

fn ballots_text(levels: Levels) -> String {
    LEVELS_IN_ORDER
        .iter()
        .filter(|level| levels.contains(**level))
        .map(|level| t(level_label(*level)))
        .collect::<Vec<_>>()
        .join(", ")
}

// --- choosing the polling area ---------------------------------------------------------------

#[component]
pub fn ElectionDayPage() -> impl IntoView {
    view! {
        <RequirePermission permission=Permission::CheckInVoters children=|user| {
            let may_set_hours = user.role.can(Permission::ManageElectionDay);
            view! { <DeskAreas may_set_hours/> }
        }/>
    }
}

#[component]
fn DeskAreas(may_set_hours: bool) -> impl IntoView {
    let areas = Resource::new(|| (), |_| desk_areas());
    view! {
        <h1>{t(Msg::NavElectionDay)}</h1>
        <p class="hint">{t(Msg::ChooseStation)}</p>
        <Transition fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
            {move || areas.get().map(|result| match result {
                Err(error) => view! { <ErrorPanel error/> }.into_any(),
                Ok(list) if list.is_empty() => view! { <p class="notice">{t(Msg::NoStationAreas)}</p> }.into_any(),
                Ok(list) => view! { <AreaChoices list may_set_hours/> }.into_any(),
            })}
        </Transition>
    }
}

/// An area's voting hours; the election board sets them here: later for a queue at closing,
/// earlier when everyone listed has voted, any hours for a drill on a test election.
#[component]
fn AreaHoursCell(area_id: AreaId, opens_at: String, closes_at: String) -> impl IntoView {
    let set_hours = ServerAction::<SetHours>::new();
    let stored = format!("{opens_at} – {closes_at}");
    let shown = move || match set_hours.value().get() {
        Some(Ok(hours)) => format!("{} – {}", hours.opens_at, hours.closes_at),
        _ => stored.clone(),
    };
    view! {
        <details class="hours-edit">
            <summary><span class="hours-shown">{shown}</span>" "<span class="button secondary">{t(Msg::ChangeHours)}</span></summary>
            <ActionForm action=set_hours attr:class="inline-form">
                <input type="hidden" name="area_id" value=area_id/>
                // Text, not type="time": that one shows AM/PM on a browser set up in English.
                <label><span>{t(Msg::HoursOpen)}</span>
                    <input name="opens" inputmode="numeric" required maxlength="5" placeholder="giờ:phút" value=opens_at/></label>
                <label><span>{t(Msg::HoursClose)}</span>
                    <input name="closes" inputmode="numeric" required maxlength="5" placeholder="giờ:phút" value=closes_at/></label>
                <button type="submit" class="button primary">{t(Msg::SaveHours)}</button>
                <FormOutcome value=set_hours.value() ok_text=Msg::HoursSaved/>
            </ActionForm>
        </details>
    }
}

#[component]
fn AreaChoices(list: Vec<DeskArea>, may_set_hours: bool) -> impl IntoView {
    let locale = use_locale();
    let rows = list
        .into_iter()
        .map(|area| {
            let href = format!("/election-day/areas/{}", area.area_id);
            let checklist = format!("/election-day/areas/{}/checklist.pdf", area.area_id);
            view! {
                <tr>
                    <td class="num">{area.number}</td>
                    <td><a href=href>{area.name}</a></td>
                    <td class="wrap">{area.election_name}</td>
                    <td>{if may_set_hours {
                        view! { <AreaHoursCell area_id=area.area_id opens_at=area.opens_at closes_at=area.closes_at/> }.into_any()
                    } else {
                        format!("{} – {}", area.opens_at, area.closes_at).into_any()
                    }}</td>
                    <td class="num">{format::count(area.voters, locale)}</td>
                    <td><a class="button secondary" href=checklist target="_blank" rel="noopener">{t(Msg::ChecklistPdf)}</a></td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-wrap">
            <table id="desk-areas">
                <thead>
                    <tr>
                        <th>{t(Msg::AreaNumber)}</th>
                        <th>{t(Msg::AreaName)}</th>
                        <th>{t(Msg::ElectionName)}</th>
                        <th>{t(Msg::VotingHours)}</th>
                        <th>{t(Msg::VoterCount)}</th>
                        <th>{t(Msg::Actions)}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}

// --- the station -----------------------------------------------------------------------------

#[component]
pub fn StationPage() -> impl IntoView {
    view! {
        <RequirePermission permission=Permission::CheckInVoters children=|user| {
            let is_manager = user.role.can(Permission::ManageElectionDay);
            view! { <Station is_manager/> }
        }/>
    }
}

/// A fresh id for each voter brought to the confirmation, so a retried request is recognised by
/// the server. `crypto.getRandomValues` rather than `randomUUID`: the latter exists only on HTTPS
/// or localhost, and a ward office may well serve the desk over plain HTTP on its own network.
/// The server makes them for the confirmation forms of the results it renders (`?q=`).
fn new_request_id() -> String {
    #[cfg(feature = "hydrate")]
    {
        let mut bytes = [0u8; 16];
        let random = web_sys::window()
            .and_then(|w| w.crypto().ok())
            .is_some_and(|c| c.get_random_values_with_u8_array(&mut bytes).is_ok());
        if !random {
            // Not cryptographic, but unique enough to tell one attempt from another.
            use web_sys::js_sys::{Date, Math};
            bytes[..8].copy_from_slice(&Date::now().to_bits().to_le_bytes());
            bytes[8..].copy_from_slice(&Math::random().to_bits().to_le_bytes());
        }
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }
    #[cfg(not(feature = "hydrate"))]
    crate::token::new_secret()
}

/// A key that types a character (what a card scanner sends), not a command key. Space is not:
/// it ticks the confirmation's boxes and presses its buttons, and neither a card code nor a
/// name begins with it.
fn is_typing_key(ev: &leptos::ev::KeyboardEvent) -> bool {
    let key = ev.key();
    key.chars().count() == 1 && key != " " && !ev.ctrl_key() && !ev.meta_key() && !ev.alt_key()
}

/// Keeps the highlighted result on screen while ↑/↓ move through a list longer than the window.
fn reveal_highlighted() {
    #[cfg(feature = "hydrate")]
    request_animation_frame(|| {
        let highlighted = document()
            .query_selector("#desk-results li.desk-result.highlight")
            .ok()
            .flatten();
        if let Some(item) = highlighted {
            let options = web_sys::ScrollIntoViewOptions::new();
            options.set_block(web_sys::ScrollLogicalPosition::Nearest);
            item.scroll_into_view_with_scroll_into_view_options(&options);
        }
    });
}

/// Search results and the text they were found for.
type Found = (String, Result<Vec<DeskMatch>, AppError>);

/// A result as the desk lists it, with the request id of its confirmation form when it has one.
type Row = (DeskMatch, Option<String>);

/// The results the server renders for the text in the page's address (`?q=`, what the search
/// form sends when no script runs), each voter the desk may check in with a form of its own.
async fn plain_results(
    area_id: AreaId,
    text: String,
) -> Option<(String, Result<Vec<Row>, AppError>)> {
    if text.trim().is_empty() {
        return None;
    }
    let rows = lookup(area_id, text.clone()).await.map(|rows| {
        rows.into_iter()
            .map(|row| {
                let request_id = match &row {
                    DeskMatch::Listed(found)
                        if refusal_seen_in_search(&found.voter, found.checked_in.as_ref())
                            .is_none() =>
                    {
                        Some(new_request_id())
                    }
                    _ => None,
                };
                (row, request_id)
            })
            .collect()
    });
    Some((text, rows))
}

/// The desk. Nothing here reads a resource outside its own `<Transition>`: a resource read under
/// the page guard's `<Suspense>` registers with it, and every later reload of that resource
/// would then take the whole desk out of the page for a moment, losing the keyboard focus (the
/// search results are therefore plain signals, not a resource).
///
/// Without script the desk works by plain forms: the search box sends `?q=`, for which the
/// server lists the results, each with a form confirming the voter (`record_form`), which sends
/// the browser back here with `?outcome=`. Both are resources of the page's address, read once
/// in their own `<Transition>`s, so the browser hydrates exactly what the server rendered; the
/// hydrated desk then works on its signals as before.
#[component]
fn Station(is_manager: bool) -> impl IntoView {
    let area_id = path_id::<AreaId>("id");
    let locale = use_locale();
    let query = use_query_map();
    let asked = query.read_untracked().get("q").unwrap_or_default();
    let plain_found = Resource::new(
        move || (area_id(), query.read().get("q").unwrap_or_default()),
        |(area, text)| plain_results(area, text),
    );
    let plain_outcome = Resource::new(
        move || (area_id(), query.read().get("outcome")),
        |(area, outcome_id)| async move { form_outcome(area, outcome_id?).await.ok().flatten() },
    );
    // The list the server rendered for `?q=` stays until this desk's own search replaces it.
    let (plain_shown, set_plain_shown) = signal(true);
    let (changes, set_changes) = signal(0u32);
    let view_data = Resource::new(move || (area_id(), changes.get()), |(id, _)| station(id));
    let (text, set_text) = signal(String::new());
    let (highlight, set_highlight) = signal(0usize);
    let (chosen, set_chosen) = signal(None::<DeskVoter>);
    let (mobile_box, set_mobile_box) = signal(false);
    let (hours_override, set_hours_override) = signal(false);
    let (last, set_last) = signal(None::<Result<CheckInOutcome, String>>);
    // The id of the check-in of the chosen voter: kept while the answer is unknown (a network
    // failure), so pressing Enter again retries the same request instead of making a second one.
    let (request_id, set_request_id) = signal(String::new());
    // Enter was pressed before the results for the text in the box had arrived (a scanner types
    // the code and Enter at once): choose as soon as they arrive.
    let (enter_waiting, set_enter_waiting) = signal(false);
    let search_box = NodeRef::<leptos::html::Input>::new();
    let confirm_button = NodeRef::<leptos::html::Button>::new();

    // Other desks of the area and a manager's undo change the count and the log too: follow the
    // turnout stream and reload the station when this area's count differs from the one shown.
    let (live_election, set_live_election) = signal(None::<ElectionId>);
    let (shown_voted, set_shown_voted) = signal(None::<i64>);
    Effect::new(move |_| {
        let Some(election_id) = live_election.get() else {
            return;
        };
        let area = area_id();
        follow_updates(election_id, move |turnout: Turnout| {
            let voted = turnout
                .areas
                .iter()
                .find(|a| a.area_id == area)
                .map(|a| a.all.voted);
            if voted.is_some() && voted != shown_voted.try_get_untracked().flatten() {
                set_changes.try_update(|n| *n += 1);
            }
        });
    });

    // The answer for the text now in the box, never one for an earlier, shorter text: Enter
    // must not pick a voter found for "CUTRI:ab" when the whole code has been scanned.
    let (found, set_found) = signal(None::<Found>);
    let search = move |query: String| {
        set_text.set(query.clone());
        set_highlight.set(0);
        if query.trim().is_empty() {
            set_found.set(None);
            set_plain_shown.set(false);
            return;
        }
        let area = area_id();
        leptos::task::spawn_local(async move {
            let answer = lookup(area, query.clone()).await;
            // The page may be gone by now, or the text changed while the lookup ran.
            if text.try_get_untracked().as_ref() == Some(&query) {
                set_found.set(Some((query, answer)));
            }
        });
    };
    // Typed or scanned while the page was still loading: the box holds text no handler saw.
    Effect::new(move |_| {
        if let Some(input) = search_box.get() {
            let early = input.value();
            if !early.is_empty() && text.get_untracked().is_empty() {
                search(early);
            }
        }
    });
    let results_for_text = move || -> Option<Vec<DeskMatch>> {
        match found.get_untracked()? {
            (for_text, Ok(rows)) if for_text == text.get_untracked() => Some(rows),
            _ => None,
        }
    };

    let focus_search = move || {
        if let Some(input) = search_box.get_untracked() {
            let _ = input.focus();
        }
    };
    let clear_search = move || {
        set_text.set(String::new());
        set_found.set(None);
        set_plain_shown.set(false);
        set_highlight.set(0);
        set_enter_waiting.set(false);
        if let Some(input) = search_box.get_untracked() {
            input.set_value("");
        }
    };

    let check_in = Action::new(move |request: &CheckInRequest| {
        let request = request.clone();
        async move { record(request).await }
    });
    Effect::new(move |_| match check_in.value().get() {
        Some(Ok(outcome)) => {
            set_last.set(Some(Ok(outcome)));
            set_chosen.set(None);
            set_request_id.set(String::new());
            clear_search();
            set_changes.update(|n| *n += 1);
            focus_search();
        }
        Some(Err(error)) => {
            // Not known whether it was recorded: the voter stays chosen with the same request id.
            set_last.set(Some(Err(error_message(&error, locale))));
            if let Some(button) = confirm_button.get_untracked() {
                let _ = button.focus();
            }
        }
        None => {}
    });

    let choose = move |voter: DeskVoter| {
        set_enter_waiting.set(false);
        // Nothing to confirm for a voter the search already shows as refused: say it at once.
        if let Some(refusal) = refusal_seen_in_search(&voter.voter, voter.checked_in.as_ref()) {
            set_chosen.set(None);
            set_last.set(Some(Ok(CheckInOutcome::Refused(refusal))));
            clear_search();
            focus_search();
            return;
        }
        set_mobile_box.set(false);
        set_hours_override.set(false);
        set_request_id.set(new_request_id());
        set_chosen.set(Some(voter));
        request_animation_frame(move || {
            if let Some(button) = confirm_button.get_untracked() {
                let _ = button.focus();
            }
        });
    };
    // A voter of another area is only told where to go: there is nothing to confirm here.
    let choose_highlighted = move |rows: &[DeskMatch]| {
        if let Some(DeskMatch::Listed(voter)) = rows.get(highlight.get_untracked()) {
            choose(voter.as_ref().clone());
        }
    };
    Effect::new(move |_| {
        if !enter_waiting.get() {
            return;
        }
        match found.get() {
            Some((for_text, Ok(rows))) if for_text == text.get_untracked() => {
                set_enter_waiting.set(false);
                choose_highlighted(&rows);
            }
            Some((_, Err(_))) => set_enter_waiting.set(false),
            _ => {}
        }
    });

    let on_search_key = move |ev: leptos::ev::KeyboardEvent| {
        let results = results_for_text();
        // The arrows move over the list on screen, which may still be the answer for a shorter
        // text while the one typed is looked up: a quick ↓ after typing is not lost.
        let shown = match found.get_untracked() {
            Some((_, Ok(rows))) => rows.len(),
            _ => 0,
        };
        match ev.key().as_str() {
            "ArrowDown" => {
                ev.prevent_default();
                if shown > 0 {
                    set_highlight.update(|i| *i = (*i + 1).min(shown - 1));
                    reveal_highlighted();
                }
            }
            "ArrowUp" => {
                ev.prevent_default();
                set_highlight.update(|i| *i = i.saturating_sub(1));
                reveal_highlighted();
            }
            "Enter" => {
                ev.prevent_default();
                match results {
                    Some(rows) => choose_highlighted(&rows),
                    None => set_enter_waiting.set(!text.get_untracked().trim().is_empty()),
                }
            }
            "Escape" => {
                ev.prevent_default();
                clear_search();
            }
            _ => {}
        }
    };

    let confirm = move || {
        if let Some(voter) = chosen.get_untracked() {
            check_in.dispatch(CheckInRequest {
                request_id: request_id.get_untracked(),
                area_id: area_id(),
                voter_id: voter.voter.id,
                mobile_box: mobile_box.get_untracked(),
                hours_override: hours_override.get_untracked(),
            });
        }
    };
    let cancel = move || {
        set_chosen.set(None);
        focus_search();
    };
    // Typing while the confirmation is open (the next voter's card being scanned) must never end
    // in Enter confirming the voter on screen: it goes back to an empty search box, which
    // receives the character being typed.
    let on_confirm_key = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Escape" {
            cancel();
        } else if is_typing_key(&ev) && !check_in.pending().get_untracked() {
            set_chosen.set(None);
            clear_search();
            focus_search();
        }
    };

    view! {
        <Transition fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
            {move || view_data.get().map(|result| match result {
                Err(error) => view! { <ErrorPanel error/> }.into_any(),
                Ok(data) => {
                    // Plain signals for the live updates below (see the note on `Station`).
                    if live_election.get_untracked() != Some(data.election_id) {
                        set_live_election.set(Some(data.election_id));
                    }
                    set_shown_voted.set(Some(data.voted));
                    view! { <StationHeader data/> }.into_any()
                }
            })}
        </Transition>
        <div class="station">
            <section class="card station-desk">
                // Sent only without script: the hydrated desk handles Enter itself.
                <form method="get" role="search">
                <label class="grow">
                    <span>{t(Msg::DeskSearch)}</span>
                    // A combobox: the highlighted result is what a screen reader announces.
                    <input
                        id="desk-search"
                        name="q"
                        value=asked
                        type="search"
                        role="combobox"
                        aria-autocomplete="list"
                        aria-controls="desk-results"
                        aria-expanded=move || if matches!(found.get(), Some((_, Ok(ref rows))) if !rows.is_empty()) { "true" } else { "false" }
                        aria-activedescendant=move || match found.get() {
                            Some((_, Ok(rows))) if !rows.is_empty() => Some(format!("desk-result-{}", highlight.get())),
                            _ => None,
                        }
                        autocomplete="off"
                        autofocus
                        placeholder="nguyen van a · 125 · CUTRI:…"
                        node_ref=search_box
                        on:input=move |ev| {
                            set_enter_waiting.set(false);
                            search(event_target_value(&ev));
                        }
                        on:keydown=on_search_key
                    />
                </label>
                </form>
                <p class="hint">{t(Msg::DeskHint)}</p>
                // The previous voter's outcome fades once the next voter is being looked up.
                <div aria-live="polite" id="desk-outcome" class:stale=move || !text.get().is_empty()>
                    {move || last.get().map(|outcome| view! { <DeskOutcome outcome/> })}
                    <Transition fallback=|| ()>
                        {move || last.get().is_none().then(|| plain_outcome.get().flatten().map(|outcome| view! { <DeskOutcome outcome=Ok(outcome)/> }))}
                    </Transition>
                </div>
                <Transition fallback=|| ()>
                    {move || match found.get() {
                        Some((for_text, result)) => {
                            let rows = result.map(|rows| rows.into_iter().map(|row| (row, None)).collect());
                            Some(desk_results(for_text, rows, false, area_id(), is_manager, highlight, choose))
                        }
                        None if plain_shown.get() => plain_found
                            .get()
                            .flatten()
                            .map(|(for_text, rows)| desk_results(for_text, rows, true, area_id(), is_manager, highlight, choose)),
                        None => None,
                    }}
                </Transition>
            </section>
            {move || chosen.get().map(|found| {
                let voter = found.voter.clone();
                view! {
                    <section class="card station-confirm" id="desk-confirm" aria-labelledby="desk-confirm-name" on:keydown=on_confirm_key>
                        <h2 id="desk-confirm-name">{voter.full_name.clone()}</h2>
                        <dl class="facts">
                            <dt>{t(Msg::BirthDate)}</dt><dd>{voter.birth.display()}</dd>
                            <dt>{t(Msg::Address)}</dt><dd>{voter.address().to_string()}</dd>
                            <dt>{t(Msg::CardNumber)}</dt><dd>{voter.stt}</dd>
                            <dt>{t(Msg::BallotLevels)}</dt><dd>{ballots_text(voter.levels)}</dd>
                        </dl>
                        {found.checked_in.clone().map(|c| view! {
                            <p class="desk-refused">{format!("⚠ {} #{} · {}", t(Msg::AlreadyVoted), c.number, format::date_time(c.at_ms))}</p>
                        })}
                        <label class="check"><input type="checkbox" id="desk-mobile-box"
                            on:change=move |ev| set_mobile_box.set(event_target_checked(&ev))/>{t(Msg::MobileBox)}</label>
                        {is_manager.then(|| view! {
                            <label class="check"><input type="checkbox" id="desk-override"
                                on:change=move |ev| set_hours_override.set(event_target_checked(&ev))/>{t(Msg::HoursOverride)}</label>
                        })}
                        <div class="actions">
                            <button class="button primary big" id="desk-confirm-button" node_ref=confirm_button
                                aria-describedby="desk-confirm-name"
                                disabled=move || check_in.pending().get()
                                on:click=move |_| confirm()>{t(Msg::ConfirmCheckIn)}</button>
                            <button class="button secondary" on:click=move |_| cancel()>{t(Msg::Cancel)}</button>
                        </div>
                    </section>
                }
            })}
        </div>
        <Transition fallback=|| ()>
            {move || view_data.get().and_then(Result::ok).map(|data| view! {
                <StationLog log=data.log.clone() on_undone=move || {
                    set_changes.update(|n| *n += 1);
                    // The undo button is gone with its row: the keyboard goes back to the search.
                    focus_search();
                }/>
            })}
        </Transition>
    }
}

/// The desk's search results. `choose` brings a voter to the hydrated desk's confirmation. In the
/// list the server rendered for `?q=` (`plain`), a row with a request id confirms by a plain form
/// post instead, and a voter the search already shows as refused says why at once, as the
/// hydrated desk does when such a voter is chosen.
fn desk_results(
    for_text: String,
    result: Result<Vec<Row>, AppError>,
    plain: bool,
    current_area: AreaId,
    is_manager: bool,
    highlight: ReadSignal<usize>,
    choose: impl Fn(DeskVoter) + Copy + Send + Sync + 'static,
) -> AnyView {
    let locale = use_locale();
    let rows = match result {
        Err(error) => {
            return view! { <p class="form-error" role="alert">{error_message(&error, locale)}</p> }
                .into_any()
        }
        Ok(rows) if rows.is_empty() => {
            return view! { <p class="notice">{format!("{} ({for_text})", t(Msg::NoResults))}</p> }
                .into_any()
        }
        Ok(rows) => rows,
    };
    // The hydrated desk's list is a combobox's listbox; the plain one holds forms, which an
    // option may not (its content is not interactive), so it is a plain list.
    let option = (!plain).then_some("option");
    let items = rows
        .into_iter()
        .enumerate()
        .map(|(index, (found, request_id))| {
            let found = match found {
                DeskMatch::Listed(found) => *found,
                DeskMatch::OtherArea(voter) => return view! {
                    <li class="desk-result other-area" class:highlight=move || !plain && highlight.get() == index
                        role=option id=format!("desk-result-{index}")
                        aria-selected=move || (!plain).then(|| (highlight.get() == index).to_string())>
                        <strong>{voter.full_name}</strong>
                        <span>{format!("{} {}", t(Msg::BornIn), voter.birth_year)}</span>
                        <span class="tag warn">{format!("{} {}", t(Msg::OfOtherArea), voter.area_number)}</span>
                    </li>
                }.into_any(),
            };
            let refused = plain
                .then(|| refusal_seen_in_search(&found.voter, found.checked_in.as_ref()))
                .flatten();
            let pick = found.clone();
            let voter = found.voter;
            let checked_in = found.checked_in;
            let elsewhere_area = (voter.area_id != current_area).then_some(voter.area_number);
            let voter_id = voter.id;
            view! {
                <li
                    class="desk-result"
                    role=option
                    id=format!("desk-result-{index}")
                    aria-selected=move || (!plain).then(|| (highlight.get() == index).to_string())
                    class:highlight=move || !plain && highlight.get() == index
                    class:done=checked_in.is_some()
                    on:click=move |_| choose(pick.clone())
                >
                    <strong>{voter.full_name.clone()}</strong>
                    <span>{voter.birth.display()}</span>
                    <span>{voter.address().to_string()}</span>
                    <span>{format!("{} {}", t(Msg::CardNumber), voter.stt)}</span>
                    {elsewhere_area.map(|n| view! { <span class="tag warn">{format!("{} {}", t(Msg::AreaShort), n)}</span> })}
                    {(voter.status != crate::domain::ward::VoterStatus::Active).then(|| view! { <span class="tag warn">{t(status_label(voter.status))}</span> })}
                    {checked_in.clone().map(|c| view! { <span class="tag done">{format!("{} #{} · {}", t(Msg::AlreadyVoted), c.number, format::date_time(c.at_ms))}</span> })}
                    {refused.map(|refusal| view! { <DeskOutcome outcome=Ok(CheckInOutcome::Refused(refusal))/> })}
                    {request_id.map(|request_id| view! {
                        // A click on the form is not a click choosing the row (in a page that
                        // has hydrated since): the form is sent, nothing else.
                        <form method="post" action=RecordForm::PATH class="desk-plain-confirm"
                            on:click=|ev| ev.stop_propagation()>
                            <input type="hidden" name="area_id" value=current_area.to_string()/>
                            <input type="hidden" name="voter_id" value=voter_id.to_string()/>
                            <input type="hidden" name="request_id" value=request_id/>
                            <label class="check"><input type="checkbox" name="mobile_box" value="true"/>{t(Msg::MobileBox)}</label>
                            {is_manager.then(|| view! {
                                <label class="check"><input type="checkbox" name="hours_override" value="true"/>{t(Msg::HoursOverride)}</label>
                            })}
                            <button type="submit" class="button primary">{t(Msg::ConfirmCheckIn)}</button>
                        </form>
                    })}
                </li>
            }
            .into_any()
        })
        .collect_view();
    let role = (!plain).then_some("listbox");
    view! { <ul id="desk-results" class="desk-results" role=role aria-label=t(Msg::DeskSearch)>{items}</ul> }.into_any()
}

#[component]
fn StationHeader(data: StationView) -> impl IntoView {
    let locale = use_locale();
    view! {
        <header class="station-header">
            <h1>{format!("{} {} — {}", t(Msg::AreaShort), data.area_number, data.area_name)}</h1>
            <p>{data.election_name.clone()}</p>
            <p class="hint">{format!("{}: {} · {} – {}", t(Msg::VotingHours), data.window.day.display(), data.window.opens.display(), data.window.closes.display())}</p>
            <p class="station-count" id="station-count">
                <span class="big-number">{format!("{}/{}", format::count(data.voted, locale), format::count(data.on_list, locale))}</span>
                " = "
                <span class="big-number">{format::percent(data.voted, data.on_list, locale)}</span>
            </p>
            <a class="button secondary" href=format!("/election-day/areas/{}/checklist.pdf", data.area_id) target="_blank" rel="noopener">{t(Msg::ChecklistPdf)}</a>
        </header>
    }
}

#[component]
fn DeskOutcome(outcome: Result<CheckInOutcome, String>) -> impl IntoView {
    let locale = use_locale();
    match outcome {
        Ok(CheckInOutcome::Recorded(receipt)) => {
            let Receipt {
                full_name,
                number,
                levels,
                mobile_box,
                at_ms,
                area_voted,
                area_on_list,
                ..
            } = receipt;
            view! {
                <p class="desk-ok" role="status">
                    <strong>{format!("✔ {} — {} #{}", full_name, t(Msg::CheckedIn), number)}</strong>
                    {format!(" · {} · {}", ballots_text(levels), format::date_time(at_ms))}
                    {mobile_box.then(|| format!(" · {}", t(Msg::MobileBox)))}
                    <br/>
                    {format!("{}: {}/{} = {}", t(Msg::AreaTurnout), format::count(area_voted, locale), format::count(area_on_list, locale), format::percent(area_voted, area_on_list, locale))}
                </p>
            }
            .into_any()
        }
        // Said in words, not only in red: what to do, then why.
        Ok(CheckInOutcome::Refused(refusal)) => view! {
            <p class="desk-refused" role="alert">
                <strong>{format!("✖ {}", t(Msg::DoNotIssueBallots))}</strong>
                <br/>
                {refusal_text(&refusal, locale)}
            </p>
        }
        .into_any(),
        Ok(CheckInOutcome::UndoneSince(undone)) => view! {
            <p class="desk-refused" role="alert">{undone_check_in_text(&undone, locale)}</p>
        }
        .into_any(),
        Err(message) => view! { <p class="form-error" role="alert">{message}</p> }.into_any(),
    }
}

#[component]
fn StationLog(
    log: Vec<LogLine>,
    on_undone: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let rows = log
        .into_iter()
        .map(|line| view! { <LogRow line on_undone/> })
        .collect_view();
    view! {
        <section class="card">
            <h2>{t(Msg::RecentCheckIns)}</h2>
            <div class="table-wrap">
                <table id="station-log">
                    <thead>
                        <tr>
                            <th>"#"</th>
                            <th>{t(Msg::AuditTime)}</th>
                            <th>{t(Msg::CardNumber)}</th>
                            <th>{t(Msg::FullName)}</th>
                            <th>{t(Msg::BallotLevels)}</th>
                            <th>{t(Msg::AuditActor)}</th>
                            <th>{t(Msg::Actions)}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </section>
    }
}

#[component]
fn LogRow(line: LogLine, on_undone: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let locale = use_locale();
    let (reason, set_reason) = signal(String::new());
    let (open, set_open) = signal(false);
    let undo_action = Action::new(move |(id, reason): &(CheckInId, String)| {
        let (id, reason) = (*id, reason.clone());
        async move { undo(id, reason).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(())) = undo_action.value().get() {
            on_undone();
        }
    });
    let check_in_id = line.check_in_id;
    let undone = line.undo_reason.clone();
    let mut notes = Vec::new();
    if line.mobile_box {
        notes.push(t(Msg::MobileBox).to_string());
    }
    if line.hours_override {
        notes.push(t(Msg::HoursOverride).to_string());
    }
    view! {
        <tr class:removed=line.undo_reason.is_some()>
            <td class="num">{line.number}</td>
            <td>{format::date_time(line.at_ms)}</td>
            <td class="num">{line.stt}</td>
            <td>{line.full_name.clone()}</td>
            <td>{ballots_text(line.levels)}{(!notes.is_empty()).then(|| format!(" · {}", notes.join(", ")))}</td>
            <td>{line.by.clone()}</td>
            <td>
                {match undone {
                    Some(reason) => view! { <span>{format!("{}: {}", t(Msg::Undone), reason)}</span> }.into_any(),
                    None if line.may_undo => view! {
                        <div class="undo">
                            <button class="button secondary" on:click=move |_| set_open.update(|o| *o = !*o)>{t(Msg::UndoCheckIn)}</button>
                            <Show when=move || open.get()>
                                <label><span>{t(Msg::Reason)}</span>
                                    <input class="undo-reason" required on:input=move |ev| set_reason.set(event_target_value(&ev))/></label>
                                <button class="button danger undo-confirm"
                                    on:click=move |_| { undo_action.dispatch((check_in_id, reason.get_untracked())); }>
                                    {t(Msg::UndoConfirm)}
                                </button>
                                {move || undo_action.value().get().and_then(Result::err).map(|e| view! { <p class="form-error" role="alert">{error_message(&e, locale)}</p> })}
                            </Show>
                        </div>
                    }.into_any(),
                    None => ().into_any(),
                }}
            </td>
        </tr>
    }
}

// --- turnout -----------------------------------------------------------------------------

#[component]
pub fn TurnoutPage() -> impl IntoView {
    view! {
        <RequirePermission permission=Permission::ViewTallies children=|user| {
            let is_manager = user.role.can(Permission::ManageElectionDay);
            view! { <LiveTurnout display=false is_manager/> }
        }/>
    }
}

#[component]
pub fn TurnoutDisplayPage() -> impl IntoView {
    view! { <RequirePermission permission=Permission::ViewTallies children=|_| view! { <LiveTurnout display=true is_manager=false/> }/> }
}

/// (id, name) of every election the user can see, newest first, without repeats.
fn elections_of(areas: &[DeskArea]) -> Vec<(ElectionId, String)> {
    let mut elections: Vec<(ElectionId, String)> = Vec::new();
    for area in areas {
        if !elections.iter().any(|(id, _)| *id == area.election_id) {
            elections.push((area.election_id, area.election_name.clone()));
        }
    }
    elections
}

/// The chosen election's turnout (`?election=ID`, else the newest), then every update the
/// server pushes.
#[component]
fn LiveTurnout(display: bool, is_manager: bool) -> impl IntoView {
    let chosen = query_id::<ElectionId>("election");
    // One resource for both calls: a resource whose source reads another resource is re-run
    // by the server after the page's owner is gone, and panics there.
    // The report section's first data comes with it too, for the same reason.
    let board = Resource::new(chosen, move |chosen| async move {
        let elections = elections_of(&desk_areas().await?);
        let id = chosen
            .filter(|id| elections.iter().any(|(e, _)| e == id))
            .or_else(|| elections.first().map(|(id, _)| *id));
        let Some(id) = id else {
            return Ok((elections, None, None));
        };
        let turnout = turnout_board(id).await?;
        let reports = if display {
            None
        } else {
            Some(load_reports(id).await?)
        };
        Ok((elections, Some(turnout), reports))
    });
    let (live, set_live) = signal(None::<Turnout>);
    Effect::new(move |_| {
        if let Some(Ok((_, Some(initial), _))) = board.get() {
            let election_id = initial.election_id;
            set_live.set(Some(initial));
            follow_updates(election_id, move |turnout| {
                set_live.try_set(Some(turnout));
            });
        }
    });
    view! {
        <Transition fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
            {move || board.get().map(|result| match result {
                Err(error) => view! { <ErrorPanel error/> }.into_any(),
                Ok((_, None, _)) => view! { <p class="notice">{t(Msg::NoElections)}</p> }.into_any(),
                Ok((elections, Some(initial), reports)) => {
                    let election_id = initial.election_id;
                    // The stream of the election shown, not of one chosen earlier on this page.
                    let current = Signal::derive(move || {
                        live.get()
                            .filter(|t| t.election_id == election_id)
                            .unwrap_or_else(|| initial.clone())
                    });
                    if display {
                        view! { <BigDisplay current/> }.into_any()
                    } else {
                        view! {
                            <ElectionChoice elections election_id/>
                            <TurnoutTable current/>
                            {reports.map(|initial| view! { <TurnoutReports initial is_manager/> }.into_any())}
                        }
                        .into_any()
                    }
                }
            })}
        </Transition>
    }
}

/// Subscribes to the server's turnout stream (the browser reconnects by itself).
fn follow_updates(election_id: ElectionId, on_update: impl Fn(Turnout) + 'static) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::closure::Closure;
        use wasm_bindgen::JsCast;
        let url = format!("/results/{election_id}/events");
        let Ok(source) = web_sys::EventSource::new(&url) else {
            return;
        };
        let on_update = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(
            move |event: web_sys::MessageEvent| {
                if let Some(text) = event.data().as_string() {
                    if let Ok(turnout) = serde_json::from_str::<Turnout>(&text) {
                        on_update(turnout);
                    }
                }
            },
        );
        let _ =
            source.add_event_listener_with_callback("turnout", on_update.as_ref().unchecked_ref());
        // The page keeps listening as long as it is open.
        on_update.forget();
        let source = send_wrapper::SendWrapper::new(source);
        on_cleanup(move || source.close());
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (election_id, on_update);
}

/// Voted, on the list and the share; `bar`: with a bar under the share, so areas lagging
/// behind stand out down the column (a `<meter>`: no inline style, which the CSP forbids).
fn percent_cell(count: Count, bar: bool) -> impl IntoView {
    let locale = use_locale();
    // The all-ballots columns carry the bar; a ballot level's may give way on a narrow screen.
    let level = !bar;
    view! {
        <td class="num" class:level-col=level>{format::count(count.voted, locale)}</td>
        <td class="num" class:level-col=level>{format::count(count.on_list, locale)}</td>
        <td class="num strong" class:level-col=level>
            {format::percent(count.voted, count.on_list, locale)}
            {bar.then(|| view! {
                <meter class="turnout-bar" min="0" max=count.on_list.max(1) value=count.voted aria-hidden="true"></meter>
            })}
        </td>
    }
}

/// A choice of election when the user can see several (a plain GET form: it works before the
/// page's script has loaded).
#[component]
fn ElectionChoice(elections: Vec<(ElectionId, String)>, election_id: ElectionId) -> impl IntoView {
    (elections.len() > 1).then(|| {
        let options = elections
            .into_iter()
            .map(|(id, name)| view! { <option value=id.to_string() selected=id == election_id>{name}</option> })
            .collect_view();
        view! {
            <form method="get" action="/results" class="election-choice" id="election-choice">
                <label>{t(Msg::ElectionChoice)}" " <select name="election">{options}</select></label>
                " "<button type="submit" class="secondary">{t(Msg::ShowElection)}</button>
            </form>
        }
    })
}

#[component]
fn TurnoutTable(current: Signal<Turnout>) -> impl IntoView {
    let locale = use_locale();
    let level_heads = move || {
        let levels = current.get().levels;
        LEVELS_IN_ORDER
            .iter()
            .filter(|l| levels.contains(**l))
            .map(|l| view! { <th colspan="3" class="level-col">{t(level_label(*l))}</th> })
            .collect_view()
    };
    let sub_heads = move || {
        let shown = 1 + LEVELS_IN_ORDER
            .iter()
            .filter(|l| current.get().levels.contains(**l))
            .count();
        // Each ballot level's three columns give way together on a narrow screen (see the CSS).
        (0..shown)
            .map(|group| {
                let level = group > 0;
                view! {
                    <th class:level-col=level>{t(Msg::Voted)}</th>
                    <th class:level-col=level>{t(Msg::OnList)}</th>
                    <th class:level-col=level>"%"</th>
                }
            })
            .collect_view()
    };
    let row = move |label: String,
                    latest: String,
                    all: Count,
                    per_level: [Count; 3],
                    levels: Levels| {
        let cells = LEVELS_IN_ORDER
            .iter()
            .zip(per_level)
            .filter(|(l, _)| levels.contains(**l))
            .map(|(_, count)| percent_cell(count, false))
            .collect_view();
        view! { <tr><th scope="row">{label}</th>{percent_cell(all, true)}{cells}<td class="latest">{latest}</td></tr> }
    };
    view! {
        <h1>{t(Msg::TurnoutTitle)}</h1>
        <p>{move || current.get().election_name}</p>
        <p class="hint" id="turnout-as-of">{move || format!("{} {}", t(Msg::AsOf), format::date_time(current.get().as_of_ms))}</p>
        <p class="ward-turnout-label">{t(Msg::WardTotal)}</p>
        <p class="ward-turnout" id="ward-turnout">
            {move || {
                let ward = current.get().ward;
                format!("{}/{} = {}", format::count(ward.voted, locale), format::count(ward.on_list, locale), format::percent(ward.voted, ward.on_list, locale))
            }}
        </p>
        <div class="table-wrap">
            <table id="turnout-table">
                <thead>
                    <tr><th rowspan="2">{t(Msg::PollingAreas)}</th><th colspan="3">{t(Msg::AllBallots)}</th>{level_heads}<th rowspan="2" class="latest">{t(Msg::LatestCheckIn)}</th></tr>
                    <tr>{sub_heads}</tr>
                </thead>
                <tbody>
                    {move || {
                        let board = current.get();
                        let levels = board.levels;
                        let mut rows = board
                            .areas
                            .iter()
                            .map(|a| {
                                let latest = a.latest.map(|(n, at)| format!("#{n} · {}", format::date_time(at))).unwrap_or_default();
                                row(format!("{} {} — {}", t(Msg::AreaShort), a.number, a.name), latest, a.all, a.per_level, levels)
                            })
                            .collect::<Vec<_>>();
                        rows.push(row(t(Msg::WardTotal).to_string(), String::new(), board.ward, board.ward_per_level, levels));
                        rows.collect_view()
                    }}
                </tbody>
            </table>
        </div>
        <p><a class="button secondary" href=move || format!("/results/display?election={}", current.get().election_id)>{t(Msg::PublicDisplay)}</a></p>
        <p><a class="button secondary" href="/results/counting">{t(Msg::CountingLink)}</a></p>
        <p><a class="button secondary" href="/results/outcome">{t(Msg::ResultsLink)}</a></p>
    }
}

#[component]
fn BigDisplay(current: Signal<Turnout>) -> impl IntoView {
    let locale = use_locale();
    view! {
        <section class="big-display" id="big-display">
            <h1>{move || current.get().election_name}</h1>
            <p class="giant">{move || { let w = current.get().ward; format::percent(w.voted, w.on_list, locale) }}</p>
            <p class="large">{move || { let w = current.get().ward; format!("{} / {} {}", format::count(w.voted, locale), format::count(w.on_list, locale), t(Msg::VotersWord)) }}</p>
            <ul class="display-areas">
                {move || current.get().areas.into_iter().map(|a| view! {
                    <li><span>{format!("{} {}", t(Msg::AreaShort), a.number)}</span>
                        <strong>{format::percent(a.all.voted, a.all.on_list, locale)}</strong></li>
                }).collect_view()}
            </ul>
            <p class="hint">{move || format!("{} {}", t(Msg::AsOf), format::date_time(current.get().as_of_ms))}</p>
        </section>
    }
}
