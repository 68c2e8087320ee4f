//! Election day: check-in at the polling station, live turnout, the paper fallback.

pub mod api;
pub mod model;
pub mod pages;

#[cfg(feature = "ssr")]
pub mod service;
