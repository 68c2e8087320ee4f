//! Ward administration: user accounts, the audit log and backups.

pub mod api;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
