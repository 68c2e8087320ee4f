//! Petitions across meetings (docs/domain.md §2.5): a round's opinions are collected into
//! petitions, near-duplicates are offered for merging and merged when the user confirms, each
//! petition is routed to its competent body and gets official answers, and what is still
//! unanswered is carried to the next round. A round is the meetings before (or after) one
//! session.

pub mod api;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
