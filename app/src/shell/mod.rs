//! The HTML document, the router and the pages that belong to no feature.

mod layout;
mod pieces;

use crate::domain::ids::ElectionId;
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{path, Lazy, SsrMode};

use crate::admin::api::preparation;
use crate::admin::model::{PreparationStatus, PreparationStep};
use crate::auth::api::whoami;
use crate::auth::pages::LoginPage;
use crate::checkin::pages::StationPage;
use crate::domain::format;
use crate::domain::role::Permission;
use crate::i18n::Msg;
use crate::locale::Locale;
use crate::ui::guard::{CurrentUser, RequirePermission};
use crate::ui::status_pages::NotFound;
use crate::ui::widgets::{t, use_locale};
use layout::{Header, AREAS};
use pieces::*;

/// Per-request CSP nonce, put into the request by the server's security layer.
#[cfg(feature = "ssr")]
#[derive(Clone, Debug)]
pub struct CspNonce(pub String);

/// The language of this request (server) or of the page being hydrated (browser).
fn request_locale() -> Locale {
    #[cfg(feature = "ssr")]
    {
        use_context::<http::request::Parts>()
            .and_then(|parts| {
                parts
                    .headers
                    .get(http::header::COOKIE)?
                    .to_str()
                    .ok()
                    .map(Locale::from_cookie_header)
            })
            .unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    {
        #[cfg(feature = "hydrate")]
        let lang = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
            .and_then(|root| root.get_attribute("lang"));
        #[cfg(not(feature = "hydrate"))]
        let lang: Option<String> = None;
        lang.and_then(|code| Locale::parse(&code))
            .unwrap_or_default()
    }
}

pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(nonce) =
        use_context::<http::request::Parts>().and_then(|p| p.extensions.get::<CspNonce>().cloned())
    {
        provide_context(leptos::nonce::Nonce::from_value(nonce.0));
    }
    let locale = request_locale();
    let stylesheet = format!("/{}/cutri.css", options.site_pkg_dir);
    let (site_root, pkg_dir) = (
        options.site_root.to_string(),
        options.site_pkg_dir.to_string(),
    );
    view! {
        <!DOCTYPE html>
        <html lang=locale.code()>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <link rel="stylesheet" href=stylesheet/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <HydrationScripts options/>
                <PiecePreloads site_root pkg_dir/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    provide_context(request_locale());
    let user = Resource::new_blocking(|| (), |_| whoami());
    provide_context(CurrentUser(user));
    view! {
        <Router>
            <PageTitle/>
            <Header/>
            // Focusable so that the skip link moves the keyboard here, not only the view.
            <main id="main" class="page" tabindex="-1">
                <Routes fallback=|| view! { <NotFound/> }>
                    <Route path=path!("/") view=HomePage ssr=SsrMode::Async/>
                    <Route path=path!("/login") view=LoginPage ssr=SsrMode::Async/>
                    <Route path=path!("/setup") view={Lazy::<SetupRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/account") view={Lazy::<AccountRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/admin/users") view={Lazy::<UsersRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/admin/audit") view={Lazy::<AuditLogRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/admin/backups") view={Lazy::<BackupsRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/voters") view={Lazy::<VotersRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/voters/import") view={Lazy::<ImportRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/voters/complaints") view={Lazy::<ComplaintsRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/voters/:id") view={Lazy::<VoterRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/election-day") view={Lazy::<ElectionDayRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/election-day/areas/:id") view=StationPage ssr=SsrMode::Async/>
                    <Route path=path!("/results") view={Lazy::<TurnoutRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/results/display") view={Lazy::<TurnoutDisplayRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/results/counting") view={Lazy::<CountingOverviewRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/results/constituencies") view={Lazy::<ConstituenciesRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/results/outcome") view={Lazy::<ResultsOutcomeRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/results/counting/:area_id/:level") view={Lazy::<CountingEntryRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/meetings") view={Lazy::<MeetingsRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/meetings/new") view={Lazy::<NewMeetingRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/meetings/registry") view={Lazy::<RegistryRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/meetings/petitions") view={Lazy::<PetitionsRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/meetings/:id") view={Lazy::<MeetingRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/meetings/:id/edit") view={Lazy::<EditMeetingRoute>::new()} ssr=SsrMode::Async/>
                </Routes>
            </main>
        </Router>
    }
}

/// The browser tab's title names the page, so that tabs, the history and a screen reader tell
/// pages apart ("Nhật ký thao tác — cutri").
fn page_title(path: &str) -> Option<Msg> {
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    Some(match segments.as_slice() {
        ["login"] => Msg::LoginTitle,
        ["setup"] => Msg::SetupTitle,
        ["account"] => Msg::NavAccount,
        ["admin", "users"] => Msg::UsersTitle,
        ["admin", "audit"] => Msg::AuditTitle,
        ["admin", "backups"] => Msg::BackupsTitle,
        ["voters"] => Msg::VotersTitle,
        ["voters", "import"] => Msg::ImportTitle,
        ["voters", "complaints"] => Msg::ComplaintsTitle,
        ["voters", _] => Msg::VoterTitle,
        ["election-day", ..] => Msg::NavElectionDay,
        ["results"] | ["results", "display"] => Msg::TurnoutTitle,
        ["results", "counting", ..] => Msg::CountingTitle,
        ["results", "constituencies"] => Msg::ConstituenciesTitle,
        ["results", "outcome"] => Msg::ResultsTitle,
        ["meetings", "new"] => Msg::MeetNew,
        ["meetings", "registry"] => Msg::MeetRegistry,
        ["meetings", "petitions"] => Msg::PetNav,
        ["meetings", _, "edit"] => Msg::MeetEdit,
        ["meetings", ..] => Msg::MeetTitle,
        _ => return None,
    })
}

#[component]
fn PageTitle() -> impl IntoView {
    let location = leptos_router::hooks::use_location();
    let text = move || match page_title(&location.pathname.get()) {
        Some(page) => format!("{} — {}", t(page), t(Msg::AppShortName)),
        None => t(Msg::AppName).to_string(),
    };
    view! { <Title text/> }
}

#[component]
fn HomePage() -> impl IntoView {
    view! {
        <RequirePermission children=|user| {
            let tiles = AREAS
                .into_iter()
                .filter(|(_, _, permission, _)| user.role.can(*permission))
                .map(|(label, href, _, hint)| view! {
                    <li>
                        <a class="tile" href=href>
                            <span class="tile-title">{t(label)}</span>
                            <span class="tile-hint">{t(hint)}</span>
                        </a>
                    </li>
                })
                .collect_view();
            let preparation = user.role.can(Permission::ManageUsers).then(|| view! { <PreparationSteps/> });
            view! {
                <h1>{t(Msg::HomeWelcome)}", "{user.display_name.clone()}</h1>
                {preparation}
                <p>{t(Msg::HomeIntro)}</p>
                <ul class="tiles">{tiles}</ul>
            }
        }/>
    }
}

/// The administrator's checklist from a fresh install to election day.
#[component]
fn PreparationSteps() -> impl IntoView {
    let preparation = Resource::new(|| (), |_| preparation());
    let locale = use_locale();
    view! {
        <Suspense fallback=|| ()>
            {move || preparation.get().and_then(Result::ok).map(|preparation| {
                let next = preparation.next_step();
                let items = preparation.steps().into_iter().map(|(step, done)| {
                    let (label, href) = step_text(step, preparation.election.as_ref().map(|e| e.id));
                    let detail = done.then(|| step_detail(step, &preparation, locale)).flatten();
                    let action = if Some(step) == next {
                        view! { <a class="button primary" href=href.clone()>{t(Msg::PrepNext)}</a> }.into_any()
                    } else {
                        view! { <a class="button secondary" href=href.clone()>{t(Msg::PrepOpen)}</a> }.into_any()
                    };
                    let state = if done { Msg::PrepDone } else { Msg::PrepToDo };
                    view! {
                        <li class="prep-step" class:done=done class:next=Some(step) == next>
                            <span class="prep-state">{t(state)}</span>
                            <span class="prep-label">
                                {t(label)}
                                {detail.map(|detail| view! { <small>{detail}</small> })}
                            </span>
                            {action}
                        </li>
                    }
                }).collect_view();
                let ready = next.is_none().then(|| view! { <p class="prep-ready">{t(Msg::PrepReady)}</p> });
                view! {
                    <section class="card preparation" aria-labelledby="prep-title">
                        <h2 id="prep-title">{t(Msg::PrepTitle)}</h2>
                        <ol class="prep-steps">{items}</ol>
                        {ready}
                    </section>
                }
            })}
        </Suspense>
    }
}

/// What a step is called and where it is done.
fn step_text(step: PreparationStep, election_id: Option<ElectionId>) -> (Msg, String) {
    match step {
        PreparationStep::Ward => (Msg::PrepWard, "/voters".into()),
        PreparationStep::Election => (Msg::PrepElection, "/voters".into()),
        PreparationStep::PollingAreas => (Msg::PrepAreas, "/voters".into()),
        PreparationStep::VoterList => (
            Msg::PrepVoters,
            election_id.map_or("/voters".into(), |id| {
                format!("/voters/import?election={id}")
            }),
        ),
        PreparationStep::Posting => (Msg::PrepPosting, "/voters".into()),
        PreparationStep::StationAccounts => (Msg::PrepStations, "/admin/users".into()),
    }
}

/// What a finished step amounts to ("6.688 cử tri trong danh sách").
fn step_detail(
    step: PreparationStep,
    preparation: &PreparationStatus,
    locale: Locale,
) -> Option<String> {
    let counted = |n: i64, what: Msg| format!("{} {}", format::count(n, locale), what.text(locale));
    match step {
        PreparationStep::Ward => preparation
            .ward
            .as_ref()
            .map(|ward| format!("{}, {}", ward.name, ward.province)),
        PreparationStep::Election => preparation
            .election
            .as_ref()
            .map(|e| format!("{} — {}", e.name, e.election_day.display())),
        PreparationStep::PollingAreas => {
            Some(counted(preparation.polling_areas, Msg::PrepAreasCount))
        }
        PreparationStep::VoterList => Some(counted(preparation.voters, Msg::PrepVotersCount)),
        PreparationStep::Posting => preparation
            .election
            .as_ref()
            .and_then(|e| e.posted_on)
            .map(|day| format!("{} {}", Msg::PrepPostedOn.text(locale), day.display())),
        PreparationStep::StationAccounts => Some(counted(
            preparation.station_accounts,
            Msg::PrepStationsCount,
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_page_has_its_own_title() {
        assert_eq!(page_title("/"), None);
        assert_eq!(page_title("/admin/audit"), Some(Msg::AuditTitle));
        assert_eq!(page_title("/voters/1675"), Some(Msg::VoterTitle));
        assert_eq!(page_title("/voters/import"), Some(Msg::ImportTitle));
        assert_eq!(
            page_title("/election-day/areas/3"),
            Some(Msg::NavElectionDay)
        );
        assert_eq!(
            page_title("/results/counting/3/quoc-hoi"),
            Some(Msg::CountingTitle)
        );
        assert_eq!(page_title("/meetings/7/edit"), Some(Msg::MeetEdit));
        assert_eq!(page_title("/meetings/7"), Some(Msg::MeetTitle));
        assert_eq!(page_title("/khong-co"), None);
    }
}
