//! Official turnout reports: the report times of an election, the snapshots of the live turnout
//! frozen at each of them (automatically by the server, or at once by a manager), the chart.

pub mod api;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
