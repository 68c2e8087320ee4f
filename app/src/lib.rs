//! cutri: voter lists, election day and deputy–voter meetings for Vietnamese ward offices.
//!
//! This crate is compiled twice: to WebAssembly for the browser (`hydrate`) and into the server
//! (`ssr`). Server-only code (storage, password hashing, services) sits behind `ssr`.

#![forbid(unsafe_code)]
// The import preview is one deeply nested view type; the default limit is too small for it.
#![recursion_limit = "256"]

pub mod admin;
pub mod auth;
pub mod checkin;
pub mod complaints;
pub mod constituencies;
pub mod counting;
pub mod domain;
#[cfg(feature = "ssr")]
pub mod engine;
pub mod error;
pub mod i18n;
pub mod import;
pub mod locale;
pub mod meetings;
pub mod petitions;
pub mod shell;
pub mod turnout;
pub mod ui;
pub mod voters;

#[cfg(feature = "ssr")]
pub mod request;
#[cfg(feature = "ssr")]
pub mod state;
#[cfg(feature = "ssr")]
pub mod storage;
#[cfg(feature = "ssr")]
pub mod token;

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // Asynchronous: a page's own code is a piece of the bundle fetched while hydrating. Spawned
    // on wasm-bindgen's queue: Leptos' executor is started by the hydration itself.
    wasm_bindgen_futures::spawn_local(async {
        let app = leptos::mount::hydrate_from_async(
            leptos::prelude::document()
                .body()
                .expect("the page has a body"),
            shell::App,
        )
        .await;
        app.forget();
        // Lets people and browser tests know the page is interactive now.
        if let Some(root) = leptos::prelude::document().document_element() {
            let _ = root.set_attribute("data-hydrated", "1");
        }
    });
}
