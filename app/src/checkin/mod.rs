//! Election day: check-in at the polling station, live turnout, the paper fallback.

pub mod api;
pub mod model;
pub mod pages;
pub mod reports;

#[cfg(feature = "ssr")]
pub mod desk;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod tally;
