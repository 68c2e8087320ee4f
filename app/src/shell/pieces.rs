//! Which pages travel in which piece of the browser bundle.
//!
//! The home page, sign-in and the check-in desk are in the main module: a station tablet signs in
//! and opens its desk with one download. Every other page sits in the piece of its area of work
//! (`#[lazy]`, cut apart by `scripts/wasm-split`), fetched the first time a page of that area
//! opens; on a first visit the server names the piece in the page's `<link rel="preload">`, so it
//! downloads beside the main module. One piece per area rather than per page: each piece point
//! multiplies the small shared pieces the splitter makes, and each is one more request on a
//! link with a long round trip (see ARCHITECTURE.md, "First load").

use leptos::prelude::*;
use leptos_router::LazyRoute;

use crate::admin::pages::{AuditLogPage, BackupsPage, UsersPage};
use crate::auth::pages::{AccountPage, SetupPage};
use crate::checkin::pages::{ElectionDayPage, TurnoutDisplayPage, TurnoutPage};
use crate::complaints::pages::ComplaintsPage;
use crate::constituencies::pages::{ConstituenciesPage, ResultsOutcomePage};
use crate::counting::pages::{CountingEntryPage, CountingOverviewPage};
use crate::meetings::pages::{
    EditMeetingPage, MeetingPage, MeetingsPage, NewMeetingPage, RegistryPage,
};
use crate::petitions::pages::PetitionsPage;
use crate::voters::pages::{ImportPage, VoterPage, VotersPage};

#[derive(Clone, Copy)]
pub enum AdminPage {
    Setup,
    Account,
    Users,
    Audit,
    Backups,
}

#[derive(Clone, Copy)]
pub enum VoterListPage {
    List,
    Import,
    Complaints,
    Voter,
}

#[derive(Clone, Copy)]
pub enum ElectionPage {
    Day,
    Turnout,
    TurnoutDisplay,
    CountingOverview,
    CountingEntry,
    Constituencies,
    Outcome,
}

#[derive(Clone, Copy)]
pub enum MeetingWork {
    List,
    New,
    Registry,
    Petitions,
    One,
    Edit,
}

#[leptos::lazy]
fn admin_piece(page: AdminPage) -> AnyView {
    match page {
        AdminPage::Setup => view! { <SetupPage/> }.into_any(),
        AdminPage::Account => view! { <AccountPage/> }.into_any(),
        AdminPage::Users => view! { <UsersPage/> }.into_any(),
        AdminPage::Audit => view! { <AuditLogPage/> }.into_any(),
        AdminPage::Backups => view! { <BackupsPage/> }.into_any(),
    }
}

#[leptos::lazy]
fn voter_list_piece(page: VoterListPage) -> AnyView {
    match page {
        VoterListPage::List => view! { <VotersPage/> }.into_any(),
        VoterListPage::Import => view! { <ImportPage/> }.into_any(),
        VoterListPage::Complaints => view! { <ComplaintsPage/> }.into_any(),
        VoterListPage::Voter => view! { <VoterPage/> }.into_any(),
    }
}

#[leptos::lazy]
fn election_piece(page: ElectionPage) -> AnyView {
    match page {
        ElectionPage::Day => view! { <ElectionDayPage/> }.into_any(),
        ElectionPage::Turnout => view! { <TurnoutPage/> }.into_any(),
        ElectionPage::TurnoutDisplay => view! { <TurnoutDisplayPage/> }.into_any(),
        ElectionPage::CountingOverview => view! { <CountingOverviewPage/> }.into_any(),
        ElectionPage::CountingEntry => view! { <CountingEntryPage/> }.into_any(),
        ElectionPage::Constituencies => view! { <ConstituenciesPage/> }.into_any(),
        ElectionPage::Outcome => view! { <ResultsOutcomePage/> }.into_any(),
    }
}

#[leptos::lazy]
fn meetings_piece(page: MeetingWork) -> AnyView {
    match page {
        MeetingWork::List => view! { <MeetingsPage/> }.into_any(),
        MeetingWork::New => view! { <NewMeetingPage/> }.into_any(),
        MeetingWork::Registry => view! { <RegistryPage/> }.into_any(),
        MeetingWork::Petitions => view! { <PetitionsPage/> }.into_any(),
        MeetingWork::One => view! { <MeetingPage/> }.into_any(),
        MeetingWork::Edit => view! { <EditMeetingPage/> }.into_any(),
    }
}

/// The routes whose pages come from one piece. A route preloads its piece before the router
/// hydrates or shows it, so the page is there at once and the server's HTML is matched as it is.
/// `__preload_<piece>` is made by `#[lazy]` in the browser build.
macro_rules! piece_routes {
    ($piece:ident, $preload:ident: $($route:ident => $page:expr,)*) => {
        $(
            pub struct $route;

            impl LazyRoute for $route {
                fn data() -> Self {
                    $route
                }

                fn view(_: Self) -> impl std::future::Future<Output = AnyView> {
                    $piece($page)
                }

                async fn preload() {
                    #[cfg(feature = "hydrate")]
                    $preload().await;
                }
            }
        )*
    };
}

piece_routes! {
    admin_piece, __preload_admin_piece:
    SetupRoute => AdminPage::Setup,
    AccountRoute => AdminPage::Account,
    UsersRoute => AdminPage::Users,
    AuditLogRoute => AdminPage::Audit,
    BackupsRoute => AdminPage::Backups,
}

piece_routes! {
    voter_list_piece, __preload_voter_list_piece:
    VotersRoute => VoterListPage::List,
    ImportRoute => VoterListPage::Import,
    ComplaintsRoute => VoterListPage::Complaints,
    VoterRoute => VoterListPage::Voter,
}

piece_routes! {
    election_piece, __preload_election_piece:
    ElectionDayRoute => ElectionPage::Day,
    TurnoutRoute => ElectionPage::Turnout,
    TurnoutDisplayRoute => ElectionPage::TurnoutDisplay,
    CountingOverviewRoute => ElectionPage::CountingOverview,
    CountingEntryRoute => ElectionPage::CountingEntry,
    ConstituenciesRoute => ElectionPage::Constituencies,
    ResultsOutcomeRoute => ElectionPage::Outcome,
}

piece_routes! {
    meetings_piece, __preload_meetings_piece:
    MeetingsRoute => MeetingWork::List,
    NewMeetingRoute => MeetingWork::New,
    RegistryRoute => MeetingWork::Registry,
    PetitionsRoute => MeetingWork::Petitions,
    MeetingRoute => MeetingWork::One,
    EditMeetingRoute => MeetingWork::Edit,
}
