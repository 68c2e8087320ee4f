//! Ward administration: user accounts, the audit log and backups.

pub mod api;
#[cfg(feature = "ssr")]
pub mod backup;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
