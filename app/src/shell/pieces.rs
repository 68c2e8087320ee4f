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

/// The piece whose `#[lazy]` function draws the page at `path`; `None` for the pages of the main
/// module. Follows the route table in `shell::App` (a test walks it).
#[cfg(feature = "ssr")]
pub fn piece_of_path(path: &str) -> Option<&'static str> {
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    Some(match segments.as_slice() {
        ["setup"] | ["account"] | ["admin", ..] => "admin_piece",
        ["voters", ..] => "voter_list_piece",
        ["election-day"] | ["results", ..] => "election_piece",
        ["meetings", ..] => "meetings_piece",
        _ => return None,
    })
}

/// `<link rel="preload">` for the files of the piece the requested page needs, so they download
/// beside the main module rather than after it. Drawn from the route table rather than from what
/// a render asked for: Leptos 0.8 starts collecting that only after the render has begun, and
/// missed about one first render in 15. `pieces.json` (written by `scripts/wasm-split`) names
/// each piece's files.
#[component]
pub fn PiecePreloads(site_root: String, pkg_dir: String) -> impl IntoView {
    #[cfg(feature = "ssr")]
    {
        let path = use_context::<http::request::Parts>()
            .map(|parts| parts.uri.path().to_string())
            .unwrap_or_default();
        let files = piece_of_path(&path)
            .map(|piece| piece_files(&site_root, &pkg_dir, piece))
            .unwrap_or_default();
        let loader = (!files.is_empty()).then(|| {
            view! {
                <link rel="modulepreload" href=format!("/{pkg_dir}/{LOADER}") crossorigin="anonymous"/>
            }
        });
        let links = files
            .into_iter()
            .map(|file| {
                view! {
                    <link rel="preload" href=format!("/{pkg_dir}/{file}.wasm") r#as="fetch"
                        r#type="application/wasm" crossorigin="anonymous"/>
                }
            })
            .collect_view();
        view! { {links}{loader} }
    }
    #[cfg(not(feature = "ssr"))]
    {
        let _ = (site_root, pkg_dir);
    }
}

/// The JavaScript module that loads the pieces.
#[cfg(feature = "ssr")]
const LOADER: &str = "__wasm_split.______________________.js";

/// The files of `piece` in the bundle at `site_root/pkg_dir`, read once per process (a process
/// serves one bundle, `server/src/site.rs`).
#[cfg(feature = "ssr")]
fn piece_files(site_root: &str, pkg_dir: &str, piece: &str) -> Vec<String> {
    use std::collections::HashMap;
    use std::sync::OnceLock;
    static PIECES: OnceLock<HashMap<String, Vec<String>>> = OnceLock::new();
    let pieces = PIECES.get_or_init(|| {
        let file = std::path::Path::new(site_root)
            .join(pkg_dir)
            .join("pieces.json");
        std::fs::read_to_string(file)
            .ok()
            .and_then(|text| serde_json::from_str(&text).ok())
            .unwrap_or_default()
    });
    // The splitter names a piece after its function and a hash of where it is declared.
    let prefix = format!("{piece}_");
    pieces
        .iter()
        .find(|(name, _)| {
            name.strip_prefix(&prefix)
                .is_some_and(|hash| !hash.is_empty() && hash.bytes().all(|b| b.is_ascii_digit()))
        })
        .map(|(_, files)| files.clone())
        .unwrap_or_default()
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::piece_of_path;

    #[test]
    fn every_office_page_has_its_piece_and_the_desk_has_none() {
        for (path, piece) in [
            ("/", None),
            ("/login", None),
            ("/election-day/areas/7", None),
            ("/setup", Some("admin_piece")),
            ("/account", Some("admin_piece")),
            ("/admin/users", Some("admin_piece")),
            ("/admin/audit", Some("admin_piece")),
            ("/admin/backups", Some("admin_piece")),
            ("/voters", Some("voter_list_piece")),
            ("/voters/import", Some("voter_list_piece")),
            ("/voters/complaints", Some("voter_list_piece")),
            ("/voters/12", Some("voter_list_piece")),
            ("/election-day", Some("election_piece")),
            ("/results", Some("election_piece")),
            ("/results/display", Some("election_piece")),
            ("/results/counting", Some("election_piece")),
            ("/results/counting/3/7", Some("election_piece")),
            ("/results/constituencies", Some("election_piece")),
            ("/results/outcome", Some("election_piece")),
            ("/meetings", Some("meetings_piece")),
            ("/meetings/new", Some("meetings_piece")),
            ("/meetings/registry", Some("meetings_piece")),
            ("/meetings/petitions", Some("meetings_piece")),
            ("/meetings/4", Some("meetings_piece")),
            ("/meetings/4/edit", Some("meetings_piece")),
        ] {
            assert_eq!(piece_of_path(path), piece, "{path}");
        }
    }
}
