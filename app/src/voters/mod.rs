//! Voter lists: elections, polling areas, import, search, amendments.

#[cfg(feature = "ssr")]
pub mod amend;
pub mod api;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
