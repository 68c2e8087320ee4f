//! Pages: the constituency register (constituencies, their polling areas and candidate lists)
//! and the results of an election, constituency by constituency.

use crate::domain::ids::ElectionId;
use leptos::prelude::*;

use super::api::{constituency_register, election_results, SaveCandidates, SaveConstituency};
use super::model::{ConstituencyResult, ConstituencyRow, Determination, RegisterPage, ResultsPage};
use crate::domain::constituency::candidates_text;
use crate::domain::counting::{BallotLevel, Tally};
use crate::domain::format::{count, hundredths};
use crate::domain::role::Permission;
use crate::domain::voter::Gender;
use crate::domain::ward::AreaSummary;
use crate::i18n::Msg;
use crate::locale::Locale;
use crate::ui::guard::RequirePermission;
use crate::ui::status_pages::ErrorPanel;
use crate::ui::url::query_id;
use crate::ui::widgets::{reset_after_success, t, use_locale, FormOutcome};

fn chosen_election() -> impl Fn() -> Option<ElectionId> + Copy + Send + Sync + 'static {
    query_id("election")
}

/// A plain GET form choosing the election (works before the page's script has loaded).
#[component]
fn ElectionPick(
    elections: Vec<(ElectionId, String)>,
    election_id: ElectionId,
    action: &'static str,
) -> impl IntoView {
    (elections.len() > 1).then(|| {
        let options = elections
            .into_iter()
            .map(|(id, name)| view! { <option value=id.to_string() selected=id == election_id>{name}</option> })
            .collect_view();
        view! {
            <form method="get" action=action class="election-choice">
                <label>{t(Msg::ElectionChoice)}" " <select name="election">{options}</select></label>
                " "<button type="submit" class="secondary">{t(Msg::ShowElection)}</button>
            </form>
        }
    })
}

fn level_title(level: BallotLevel) -> Msg {
    match level {
        BallotLevel::NationalAssembly => Msg::LevelNationalAssembly,
        BallotLevel::Province => Msg::LevelProvince,
        BallotLevel::Commune => Msg::LevelCommune,
    }
}

// --- register ---

#[component]
pub fn ConstituenciesPage() -> impl IntoView {
    view! { <RequirePermission permission=Permission::ManageElectionDay children=|_| view! { <Register/> }/> }
}

#[component]
fn Register() -> impl IntoView {
    let chosen = chosen_election();
    let save = ServerAction::<SaveConstituency>::new();
    let candidates = ServerAction::<SaveCandidates>::new();
    let data = Resource::new(
        move || (chosen(), save.version().get(), candidates.version().get()),
        |(chosen, ..)| constituency_register(chosen),
    );
    view! {
        <h1>{t(Msg::ConstituenciesTitle)}</h1>
        <p>{t(Msg::ConstituenciesIntro)}</p>
        <p><a href="/results/outcome">{t(Msg::ResultsTitle)}</a></p>
        <Transition fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
            {move || data.get().map(|result| match result {
                Err(error) => view! { <ErrorPanel error/> }.into_any(),
                Ok(page) => match page.election_id {
                    None => view! { <p class="notice">{t(Msg::NoElections)}</p> }.into_any(),
                    Some(election_id) => view! { <RegisterBody page election_id save candidates/> }.into_any(),
                },
            })}
        </Transition>
    }
}

#[component]
fn RegisterBody(
    page: RegisterPage,
    election_id: ElectionId,
    save: ServerAction<SaveConstituency>,
    candidates: ServerAction<SaveCandidates>,
) -> impl IntoView {
    let sections = page
        .levels
        .iter()
        .map(|&level| {
            let areas: Vec<AreaSummary> = page
                .areas
                .iter()
                .filter(|a| a.levels.contains(level.levels()))
                .cloned()
                .collect();
            let cards = page
                .constituencies
                .iter()
                .filter(|c| c.level == level)
                .map(|c| view! { <ConstituencyCard row=c.clone() areas=areas.clone() election_id save candidates/> })
                .collect_view();
            view! {
                <section class="card" data-level=level.slug()>
                    <h2>{t(level_title(level))}</h2>
                    {cards}
                    <details>
                        <summary>{t(Msg::AddConstituency)}</summary>
                        <ConstituencyForm row=None level areas election_id save/>
                    </details>
                </section>
            }
        })
        .collect_view();
    view! {
        <ElectionPick elections=page.elections.clone() election_id action="/results/constituencies"/>
        <FormOutcome value=save.value() ok_text=Msg::ConstituencySaved/>
        <FormOutcome value=candidates.value() ok_text=Msg::CandidatesSaved/>
        {sections}
    }
}

#[component]
fn ConstituencyForm(
    row: Option<ConstituencyRow>,
    level: BallotLevel,
    areas: Vec<AreaSummary>,
    election_id: ElectionId,
    save: ServerAction<SaveConstituency>,
) -> impl IntoView {
    let checks = areas
        .iter()
        .map(|area| {
            let checked = row.as_ref().is_some_and(|r| r.area_ids.contains(&area.id));
            view! {
                <label>
                    <input type="checkbox" name="area_ids[]" value=area.id checked=checked/>
                    {format!("{} {} {}", t(Msg::AreaShort), area.number, area.name)}
                </label>
            }
        })
        .collect_view();
    let id_field = row
        .as_ref()
        .map(|r| view! { <input type="hidden" name="id" value=r.id/> });
    let number = row
        .as_ref()
        .map(|r| r.number.to_string())
        .unwrap_or_default();
    let name = row.as_ref().map(|r| r.name.clone()).unwrap_or_default();
    let seats = row
        .as_ref()
        .map(|r| r.seats.to_string())
        .unwrap_or_default();
    // The form adding a constituency empties itself after a save, so the next one starts blank.
    let form = reset_after_success(save.version(), save.value().into());
    view! {
        <ActionForm action=save node_ref=form attr:class="grid-form constituency-form">
            <input type="hidden" name="election_id" value=election_id/>
            <input type="hidden" name="level" value=level.slug()/>
            {id_field}
            <label><span>{t(Msg::ConstituencyNumber)}</span><input name="number" type="number" min="1" required value=number/></label>
            <label class="wide"><span>{t(Msg::ConstituencyName)}</span><input name="name" required value=name/></label>
            <label><span>{t(Msg::SeatsField)}</span><input name="seats" type="number" min="1" required value=seats/></label>
            <fieldset class="checks wide">
                <legend>{t(Msg::PollingAreas)}</legend>
                {checks}
            </fieldset>
            <div class="form-actions">
                <button type="submit" class="button primary">{t(Msg::Save)}</button>
            </div>
        </ActionForm>
    }
}

#[component]
fn ConstituencyCard(
    row: ConstituencyRow,
    areas: Vec<AreaSummary>,
    election_id: ElectionId,
    save: ServerAction<SaveConstituency>,
    candidates: ServerAction<SaveCandidates>,
) -> impl IntoView {
    let area_names: Vec<String> = areas
        .iter()
        .filter(|a| row.area_ids.contains(&a.id))
        .map(|a| format!("{} {}", a.number, a.name))
        .collect();
    let list = row
        .candidates
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let gender = match c.gender {
                Gender::Male => t(Msg::Male),
                Gender::Female => t(Msg::Female),
            };
            view! {
                <tr><td class="num">{i + 1}</td><td>{c.full_name.clone()}</td><td>{c.birth_date.clone()}</td><td>{gender}</td></tr>
            }
        })
        .collect_view();
    let text = candidates_text(&row.candidates);
    let shown = text.clone();
    let level = row.level;
    view! {
        <article class="constituency" id=format!("constituency-{}", row.id)>
            <h3>{t(Msg::ConstituencyNumber)}" "{row.number}" — "{row.name.clone()}" — "{row.seats}" "{t(Msg::SeatsWord)}</h3>
            <p>{t(Msg::PollingAreas)}": "{if area_names.is_empty() { "—".to_string() } else { area_names.join("; ") }}</p>
            <table class="candidate-register">
                <thead><tr><th>{t(Msg::Stt)}</th><th>{t(Msg::FullName)}</th><th>{t(Msg::BirthDate)}</th><th>{t(Msg::Gender)}</th></tr></thead>
                <tbody>{list}</tbody>
            </table>
            <details>
                <summary>{t(Msg::EditConstituency)}</summary>
                <ConstituencyForm row=Some(row.clone()) level areas election_id save/>
            </details>
            <ActionForm action=candidates attr:class="grid-form candidates-form">
                <input type="hidden" name="constituency_id" value=row.id/>
                <label class="wide"><span>{t(Msg::CandidateListField)}</span>
                    // The property too: after saving, the page is patched in place and the
                    // text shows the list as stored (in the official order), not as typed.
                    <textarea name="candidates" rows="6" prop:value=shown>{text}</textarea></label>
                <div class="form-actions">
                    <button type="submit" class="button secondary">{t(Msg::SaveCandidateList)}</button>
                </div>
            </ActionForm>
        </article>
    }
}

// --- results ---

#[component]
pub fn ResultsOutcomePage() -> impl IntoView {
    view! { <RequirePermission permission=Permission::ViewTallies children=|_| view! { <Results/> }/> }
}

#[component]
fn Results() -> impl IntoView {
    let chosen = chosen_election();
    let data = Resource::new(chosen, election_results);
    view! {
        <h1>{t(Msg::ResultsTitle)}</h1>
        <p>{t(Msg::ResultsIntro)}</p>
        <Transition fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
            {move || data.get().map(|result| match result {
                Err(error) => view! { <ErrorPanel error/> }.into_any(),
                Ok(page) => view! { <ResultsBody page/> }.into_any(),
            })}
        </Transition>
    }
}

#[component]
fn ResultsBody(page: ResultsPage) -> impl IntoView {
    let Some(election_id) = page.election_id else {
        return view! { <p class="notice">{t(Msg::NoElections)}</p> }.into_any();
    };
    if page.constituencies.is_empty() {
        return view! {
            <ElectionPick elections=page.elections.clone() election_id action="/results/outcome"/>
            <p class="notice">{t(Msg::NoConstituencies)}</p>
        }
        .into_any();
    }
    let cards = page
        .constituencies
        .into_iter()
        .map(|c| view! { <ResultCard result=c/> })
        .collect_view();
    view! {
        <ElectionPick elections=page.elections.clone() election_id action="/results/outcome"/>
        {cards}
    }
    .into_any()
}

fn pct(value: Option<i64>, locale: Locale) -> String {
    value.map_or("—".to_string(), |h| hundredths(h, locale))
}

#[component]
fn Figures(
    total: Tally,
    turnout: Option<i64>,
    valid: Option<i64>,
    invalid: Option<i64>,
) -> impl IntoView {
    let locale = use_locale();
    let row = move |label: Msg, n: i64, share: Option<String>| {
        view! { <tr><th scope="row">{t(label)}</th><td class="num">{count(n, locale)}</td><td class="num">{share}</td></tr> }
    };
    view! {
        <table class="result-figures">
            <tbody>
                {row(Msg::ConstituencyVoters, total.voters_on_list, None)}
                {row(Msg::VotedField, total.voters_voted, Some(pct(turnout, locale)))}
                {row(Msg::IssuedField, total.ballots_issued, None)}
                {row(Msg::CollectedField, total.ballots_collected, None)}
                {row(Msg::ValidField, total.ballots_valid, Some(pct(valid, locale)))}
                {row(Msg::InvalidField, total.ballots_invalid, Some(pct(invalid, locale)))}
            </tbody>
        </table>
    }
}

#[component]
fn ResultCard(result: ConstituencyResult) -> impl IntoView {
    let locale = use_locale();
    let missing: Vec<String> = result
        .missing()
        .iter()
        .map(|a| format!("{} {} ({})", t(Msg::AreaShort), a.number, a.name))
        .collect();
    let body = match (&result.determination, &result.total) {
        (Determination::NoAreas, _) => view! { <p class="notice">{t(Msg::ConstituencyHasNoAreas)}</p> }.into_any(),
        (Determination::Waiting, _) => view! {
            <p class="notice result-waiting">
                {format!("{} {} {}: {}", t(Msg::ResultWaiting), missing.len(), t(Msg::AreasNotFinalised), missing.join("; "))}
            </p>
        }
        .into_any(),
        (Determination::CandidatesDiffer, _) | (Determination::Determined { .. }, None) => {
            view! { <p class="form-error">{t(Msg::ResultCandidatesDiffer)}</p> }.into_any()
        }
        (
            Determination::Determined {
                outcome,
                shares,
                additional_election,
            },
            Some(total),
        ) => {
            let rows = total
                .candidates
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    let elected = outcome.winners.contains(&i);
                    view! {
                        <tr class:elected=elected>
                            <td class="num">{i + 1}</td>
                            <td>{c.full_name.clone()}</td>
                            <td class="num">{count(c.votes, locale)}</td>
                            <td class="num">{pct(shares.candidates.get(i).copied().flatten(), locale)}</td>
                            <td>{elected.then(|| t(Msg::Elected))}</td>
                        </tr>
                    }
                })
                .collect_view();
            let mut conclusions: Vec<String> = Vec::new();
            if !outcome.valid {
                conclusions.push(format!(
                    "{} {} {}",
                    t(Msg::ResultInvalidLead),
                    result.number,
                    t(Msg::ResultInvalidTail)
                ));
            } else {
                let winners: Vec<String> = outcome
                    .winners
                    .iter()
                    .map(|&i| {
                        format!(
                            "{} ({} {}, {})",
                            total.candidates[i].full_name,
                            count(total.candidates[i].votes, locale),
                            t(Msg::VotesWord),
                            pct(shares.candidates[i], locale)
                        )
                    })
                    .collect();
                if !winners.is_empty() {
                    conclusions.push(format!("{}: {}", t(Msg::WinnersLead), winners.join("; ")));
                }
                if outcome.unfilled > 0 {
                    let mut line = format!(
                        "{} {} {}, {} {}, {} {} {}.",
                        t(Msg::SeatsToElect),
                        result.seats,
                        t(Msg::SeatsWord),
                        t(Msg::ElectedSoFar),
                        result.seats - outcome.unfilled,
                        t(Msg::StillMissing),
                        outcome.unfilled,
                        t(Msg::SeatsWord)
                    );
                    if *additional_election {
                        line.push(' ');
                        line.push_str(t(Msg::AdditionalElection));
                    }
                    conclusions.push(line);
                }
            }
            let conclusions = conclusions
                .into_iter()
                .map(|c| view! { <li>{c}</li> })
                .collect_view();
            view! {
                <Figures total=total.clone() turnout=shares.turnout valid=shares.valid invalid=shares.invalid/>
                <table class="result-candidates">
                    <thead><tr><th>{t(Msg::Stt)}</th><th>{t(Msg::FullName)}</th><th class="num">{t(Msg::VotesCol)}</th><th class="num">{t(Msg::ShareOfValid)}</th><th></th></tr></thead>
                    <tbody>{rows}</tbody>
                </table>
                <h3>{t(Msg::Conclusions)}</h3>
                <ul class="conclusions">{conclusions}</ul>
            }
            .into_any()
        }
    };
    view! {
        <section class="card constituency-result" id=format!("result-{}", result.id) data-level=result.level.slug()>
            <h2>{t(level_title(result.level))}" — "{t(Msg::ConstituencyNumber)}" "{result.number}": "{result.name.clone()}</h2>
            <p>{t(Msg::SeatsField)}": "{result.seats}" · "{t(Msg::PollingAreas)}": "{result.areas.len()}</p>
            {body}
            <p><a class="button secondary" href=format!("/results/constituencies/{}/minutes.pdf", result.id) target="_blank" rel="noopener">{t(Msg::ResultMinutesPdf)}</a></p>
        </section>
    }
}
