//! Counting pages: the overview of every polling area × ballot level, and the entry page of one
//! of them (the form, the consistency findings with their codes, the check-in count beside the
//! entered number, the differences between the two entries, finalising).

use crate::domain::ids::AreaId;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use super::api::{counting_overview, counting_view, FinaliseTally, SaveTally};
use super::model::{candidates_text, members_text, CountingState, OverviewRow, TallyPage};
use crate::domain::checkin::ClockTime;
use crate::domain::counting::{BallotLevel, Field, Finding, Rule, Severity, Tally};
use crate::domain::format::{count, date_time};
use crate::domain::role::Permission;
use crate::i18n::Msg;
use crate::ui::guard::RequirePermission;
use crate::ui::status_pages::ErrorPanel;
use crate::ui::widgets::{t, use_locale, FormOutcome};

fn state_msg(state: CountingState) -> Msg {
    match state {
        CountingState::NotEntered => Msg::StateNotEntered,
        CountingState::FirstEntry => Msg::StateFirstEntry,
        CountingState::EntriesDiffer => Msg::StateEntriesDiffer,
        CountingState::Agreed => Msg::StateAgreed,
        CountingState::Finalised => Msg::StateFinalised,
    }
}

fn rule_msg(rule: Rule) -> Msg {
    match rule {
        Rule::C01CollectedIsValidPlusInvalid => Msg::RuleC01,
        Rule::C02CollectedAtMostIssued => Msg::RuleC02,
        Rule::C03IssuedAtMostOnList => Msg::RuleC03,
        Rule::C04CandidateAtMostValid => Msg::RuleC04,
        Rule::C05VotesAtMostValidTimesSeats => Msg::RuleC05,
        Rule::C06VotedAtMostOnList => Msg::RuleC06,
        Rule::C07VotesAtLeastValid => Msg::RuleC07,
        Rule::C08SeatsAndCandidates => Msg::RuleC08,
        Rule::W01VotedDiffersFromCheckIns => Msg::RuleW01,
        Rule::W02CollectedDiffersFromVoted => Msg::RuleW02,
        Rule::W03OnListDiffersFromList => Msg::RuleW03,
        Rule::W04CandidatesNotMoreThanSeats => Msg::RuleW04,
    }
}

/// Names a field where the entries differ; a candidate's figures by the candidate's name
/// (`names` in the official order), since "candidate 2" makes the Tổ count down a list.
fn field_label(field: Field, names: &[String]) -> String {
    let numbered = |msg: Msg, i: usize| format!("{} {}", t(msg), i + 1);
    let named = |msg: Msg, fallback: Msg, i: usize| match names.get(i) {
        Some(name) => format!("{} {name}", t(msg)),
        None => numbered(fallback, i),
    };
    match field {
        Field::Seats => t(Msg::SeatsField).to_string(),
        Field::VotersOnList => t(Msg::OnListField).to_string(),
        Field::VotersVoted => t(Msg::VotedField).to_string(),
        Field::BallotsIssued => t(Msg::IssuedField).to_string(),
        Field::BallotsCollected => t(Msg::CollectedField).to_string(),
        Field::BallotsValid => t(Msg::ValidField).to_string(),
        Field::BallotsInvalid => t(Msg::InvalidField).to_string(),
        Field::MemberCount => t(Msg::MemberCount).to_string(),
        Field::Member(i) => numbered(Msg::MemberRow, i),
        Field::Witness(i) => numbered(Msg::WitnessField, i),
        Field::CandidateCount => t(Msg::CandidateCount).to_string(),
        Field::CandidateName(i) => numbered(Msg::CandidateName, i),
        Field::CandidateBirth(i) => named(Msg::BirthOf, Msg::CandidateBirth, i),
        Field::CandidateVotes(i) => named(Msg::VotesOf, Msg::CandidateVotes, i),
        Field::Incidents => t(Msg::IncidentsField).to_string(),
        Field::Complaints => t(Msg::UnresolvedField).to_string(),
        Field::BallotBoxCheckedAt => t(Msg::BallotBoxCheckedAtField).to_string(),
        Field::VotingClosedAt => t(Msg::VotingClosedAtField).to_string(),
    }
}

fn minutes_href(area_id: AreaId, level: BallotLevel) -> String {
    format!("/results/counting/{area_id}/{}/minutes.pdf", level.slug())
}

#[component]
pub fn CountingOverviewPage() -> impl IntoView {
    view! { <RequirePermission permission=Permission::ViewTallies children=|_| view! { <Overview/> }/> }
}

#[component]
fn Overview() -> impl IntoView {
    let rows = Resource::new(|| (), |_| counting_overview());
    view! {
        <h1>{t(Msg::CountingTitle)}</h1>
        <p>{t(Msg::CountingIntro)}</p>
        <p>
            <a href="/results/outcome">{t(Msg::ResultsLink)}</a>" · "
            <a href="/results/constituencies">{t(Msg::ConstituenciesLink)}</a>
        </p>
        <Transition fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
            {move || rows.get().map(|result| match result {
                Err(error) => view! { <ErrorPanel error/> }.into_any(),
                Ok(rows) if rows.is_empty() => view! { <p class="notice">{t(Msg::NoCountingAreas)}</p> }.into_any(),
                Ok(rows) => view! { <OverviewTable rows/> }.into_any(),
            })}
        </Transition>
    }
}

#[component]
fn OverviewTable(rows: Vec<OverviewRow>) -> impl IntoView {
    let body = rows
        .into_iter()
        .map(|row| {
            let href = format!("/results/counting/{}/{}", row.area_id, row.level.slug());
            let state = row.state;
            view! {
                <tr class=format!("counting-{state:?}").to_lowercase()>
                    <td>{row.election_name}</td>
                    <td class="num">{row.area_number}</td>
                    <td><a href=href>{row.area_name}</a></td>
                    <td>{row.level.name_vi()}</td>
                    <td class="counting-state">{t(state_msg(state))}</td>
                    // No minutes to print before anything was entered.
                    <td>{(state != CountingState::NotEntered).then(|| view! {
                        <a href=minutes_href(row.area_id, row.level) target="_blank" rel="noopener">{t(Msg::MinutesPdf)}</a>
                    })}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-wrap">
            <table id="counting-overview">
                <thead>
                    <tr>
                        <th>{t(Msg::Elections)}</th>
                        <th>{t(Msg::AreaShort)}</th>
                        <th>{t(Msg::PollingAreas)}</th>
                        <th>{t(Msg::BallotLevelCol)}</th>
                        <th>{t(Msg::CountingStateCol)}</th>
                        <th></th>
                    </tr>
                </thead>
                <tbody>{body}</tbody>
            </table>
        </div>
    }
}

#[component]
pub fn CountingEntryPage() -> impl IntoView {
    view! { <RequirePermission permission=Permission::CheckInVoters children=|_| view! { <Entry/> }/> }
}

#[component]
fn Entry() -> impl IntoView {
    let params = use_params_map();
    let save = ServerAction::<SaveTally>::new();
    let finalise = ServerAction::<FinaliseTally>::new();
    let data = Resource::new(
        move || {
            let p = params.read();
            let area = p.get("area_id").and_then(|v| v.parse::<AreaId>().ok());
            let level = p.get("level").unwrap_or_default();
            (area, level, save.version().get(), finalise.version().get())
        },
        |(area, level, ..)| async move { counting_view(area.unwrap_or(AreaId::UNKNOWN), level).await },
    );
    view! {
        <Transition fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
            {move || data.get().map(|result| match result {
                Err(error) => view! { <ErrorPanel error/> }.into_any(),
                Ok(view_data) => view! { <EntryBody data=view_data save finalise/> }.into_any(),
            })}
        </Transition>
    }
}

#[component]
fn FindingList(findings: Vec<Finding>) -> impl IntoView {
    if findings.is_empty() {
        return view! { <p id="counting-findings" class="notice">{t(Msg::NoFindings)}</p> }
            .into_any();
    }
    let items = findings
        .into_iter()
        .map(|f| {
            let (class, label) = match f.rule.severity() {
                Severity::Error => ("form-error", t(Msg::FindingError)),
                Severity::Warning => ("warning", t(Msg::FindingWarning)),
            };
            view! {
                <li class=class data-code=f.rule.code()>
                    <strong>{f.rule.code()}" "{label}": "</strong>
                    {t(rule_msg(f.rule))}" ("{f.detail}")"
                </li>
            }
        })
        .collect_view();
    view! { <ul id="counting-findings" class="findings">{items}</ul> }.into_any()
}

#[component]
fn EntryBody(
    data: TallyPage,
    save: ServerAction<SaveTally>,
    finalise: ServerAction<FinaliseTally>,
) -> impl IntoView {
    let locale = use_locale();
    let level = data.level;
    let locked = data.state == CountingState::Finalised;
    let slot = data.my_slot();
    let prefill: Tally = data.prefill().cloned().unwrap_or_default();
    let entries = data
        .entries
        .iter()
        .map(|e| {
            let which = if e.slot == 1 {
                t(Msg::FirstEntry)
            } else {
                t(Msg::SecondEntry)
            };
            view! {
                <li>
                    {which}": "{t(Msg::EnteredBy)}" "{e.by.clone()}" — "{date_time(e.at_ms)}
                    {e.mine.then(|| view! { " "{t(Msg::YourEntry)} })}
                </li>
            }
        })
        .collect_view();
    let hidden = data.entries.iter().any(|e| e.tally.is_none());
    // The register's candidates, else those of the first entry: both are in the official order
    // the differences count in.
    let candidate_names: Vec<String> = match &data.register {
        Some(register) => register
            .candidates
            .iter()
            .map(|(name, _)| name.clone())
            .collect(),
        None => data
            .entries
            .iter()
            .find_map(|e| e.tally.as_ref())
            .map(|t| t.candidates.iter().map(|c| c.full_name.clone()).collect())
            .unwrap_or_default(),
    };
    let differences = (!data.differences.is_empty()).then(|| {
        let rows = data
            .differences
            .iter()
            .map(|d| {
                view! {
                    <tr>
                        <td>{field_label(d.field, &candidate_names)}</td>
                        <td>{d.first.clone()}</td>
                        <td>{d.second.clone()}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <section class="card" id="counting-differences">
                <h2>{t(Msg::DifferencesTitle)}</h2>
                <p>{t(Msg::DifferencesHint)}</p>
                <table>
                    <thead><tr><th>{t(Msg::FieldCol)}</th><th>{t(Msg::FirstEntry)}</th><th>{t(Msg::SecondEntry)}</th></tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </section>
        }
    });
    let finalised = data.finalised.clone().map(|(by, at)| {
        view! { <p class="notice" id="counting-finalised">{t(Msg::MinutesFinalised)}" "{by}" — "{date_time(at)}</p> }
    });
    let finalise_form = (data.may_finalise && data.state == CountingState::Agreed).then(|| {
        view! {
            <ActionForm action=finalise attr:id="counting-finalise">
                <input type="hidden" name="area_id" value=data.area_id/>
                <input type="hidden" name="level" value=level.slug()/>
                <FormOutcome value=finalise.value()/>
                <button type="submit" class="button primary">{t(Msg::FinaliseMinutes)}</button>
            </ActionForm>
        }
    });
    let figure = move |name: &'static str, label: Msg, value: i64, known: Option<(Msg, i64)>| {
        view! {
            <label>
                <span>{t(label)}</span>
                <input name=format!("form[{name}]") type="number" min="0" required value=value disabled=locked/>
                {known.map(|(msg, n)| view! { <small class="known">{t(msg)}" "{count(n, locale)}</small> })}
            </label>
        }
    };
    let w = prefill.witnesses.clone();
    // With a register, its seats and candidates are shown and only the votes are typed.
    let (seats_field, candidates_field) = match data.register.clone() {
        None => (
            figure("seats", Msg::SeatsField, prefill.seats, None).into_any(),
            view! {
                <label class="wide"><span>{t(Msg::CandidatesField)}</span>
                    <textarea name="form[candidates]" rows="6" disabled=locked>{candidates_text(&prefill)}</textarea></label>
            }
            .into_any(),
        ),
        Some(register) => {
            let rows = register
                .candidates
                .iter()
                .enumerate()
                .map(|(i, (name, birth))| {
                    let votes = prefill
                        .candidates
                        .iter()
                        .find(|c| c.full_name == *name && c.birth_date == *birth)
                        .map(|c| c.votes.to_string())
                        .unwrap_or_default();
                    view! {
                        <tr>
                            <td class="num">{i + 1}</td>
                            <td>{name.clone()}</td>
                            <td>{birth.clone()}</td>
                            <td><input name=format!("form[votes][{i}]") inputmode="numeric" required value=votes
                                disabled=locked aria-label=format!("{} {}", t(Msg::VotesForCandidate), name)/></td>
                        </tr>
                    }
                })
                .collect_view();
            (
                view! {
                    <p class="wide register-seats">{t(Msg::ConstituencyNumber)}" "{register.number}" ("{register.name.clone()}"): "
                        {t(Msg::SeatsField)}" "<strong>{register.seats}</strong></p>
                }
                .into_any(),
                view! {
                    <fieldset class="wide register-candidates">
                        <legend>{t(Msg::RegisterCandidates)}" "{register.number}</legend>
                        <table>
                            <thead><tr><th>{t(Msg::Stt)}</th><th>{t(Msg::FullName)}</th><th>{t(Msg::BirthDate)}</th><th>{t(Msg::VotesForCandidate)}</th></tr></thead>
                            <tbody>{rows}</tbody>
                        </table>
                    </fieldset>
                }
                .into_any(),
            )
        }
    };
    view! {
        <h1>{t(Msg::CountingTitle)}" — "{t(Msg::AreaShort)}" "{data.area_number}" "{data.area_name.clone()}" — "{level.name_vi()}</h1>
        <p>{data.election_name.clone()}</p>
        <p class="counting-state" id="counting-state">{t(state_msg(data.state))}</p>
        {finalised}
        <ul class="counting-entries">{entries}</ul>
        {hidden.then(|| view! { <p class="notice">{t(Msg::OtherEntryHidden)}</p> })}
        <section class="card">
            <h2>{t(Msg::FindingsTitle)}</h2>
            <FindingList findings=data.findings.clone()/>
        </section>
        {differences}
        {finalise_form}
        <p><a class="button secondary" href=minutes_href(data.area_id, level) target="_blank" rel="noopener">{t(Msg::MinutesPdf)}</a></p>
        <section class="card" id="counting-entry">
            <h2>{if slot == 1 { t(Msg::FirstEntry) } else { t(Msg::SecondEntry) }}</h2>
            <ActionForm action=save attr:id="counting-form" attr:class="grid-form">
                <input type="hidden" name="form[area_id]" value=data.area_id/>
                <input type="hidden" name="form[level]" value=level.slug()/>
                <input type="hidden" name="form[slot]" value=slot/>
                {seats_field}
                {figure("voters_on_list", Msg::OnListField, prefill.voters_on_list, Some((Msg::OnListKnown, data.known.on_list)))}
                {figure("voters_voted", Msg::VotedField, prefill.voters_voted, Some((Msg::CheckInsKnown, data.known.checked_in)))}
                {figure("ballots_issued", Msg::IssuedField, prefill.ballots_issued, None)}
                {figure("ballots_collected", Msg::CollectedField, prefill.ballots_collected, None)}
                {figure("ballots_valid", Msg::ValidField, prefill.ballots_valid, None)}
                {figure("ballots_invalid", Msg::InvalidField, prefill.ballots_invalid, None)}
                <label class="wide"><span>{t(Msg::MembersField)}</span>
                    <textarea name="form[members]" rows="5" disabled=locked>{members_text(&prefill)}</textarea></label>
                <fieldset class="wide minutes-times">
                    <legend>{t(Msg::VotingHours)}</legend>
                    <p class="hint">{t(Msg::MinutesTimesHint)}</p>
                    <label><span>{t(Msg::BallotBoxCheckedAtField)}</span>
                        <input name="form[ballot_box_checked_at]" inputmode="numeric" maxlength="5" placeholder="giờ:phút" disabled=locked
                            value=prefill.ballot_box_checked_at.map(ClockTime::display).unwrap_or_default()/></label>
                    <label><span>{t(Msg::VotingClosedAtField)}</span>
                        <input name="form[voting_closed_at]" inputmode="numeric" maxlength="5" placeholder="giờ:phút" disabled=locked
                            value=prefill.voting_closed_at.map(ClockTime::display).unwrap_or_default()/></label>
                </fieldset>
                {[0usize, 1].map(|i| view! {
                    <fieldset class="wide">
                        <legend>{t(Msg::WitnessField)}" "{i + 1}</legend>
                        <label><span>{t(Msg::WitnessName)}</span>
                            <input name=format!("form[witness{}_name]", i + 1) value=w[i].name.clone() disabled=locked/></label>
                        <label><span>{t(Msg::WitnessAddress)}</span>
                            <input name=format!("form[witness{}_address]", i + 1) value=w[i].address.clone() disabled=locked/></label>
                    </fieldset>
                }).collect_view()}
                {candidates_field}
                <label class="wide"><span>{t(Msg::IncidentsField)}</span>
                    <textarea name="form[incidents]" rows="3" disabled=locked>{prefill.incidents.clone()}</textarea></label>
                <label class="wide"><span>{t(Msg::UnresolvedField)}</span>
                    <textarea name="form[complaints]" rows="3" disabled=locked>{prefill.complaints.clone()}</textarea></label>
                <div class="form-actions">
                    <FormOutcome value=save.value() ok_text=Msg::EntrySaved/>
                    <button type="submit" class="button primary" disabled=locked>{t(Msg::SaveEntry)}</button>
                </div>
            </ActionForm>
        </section>
    }
}
