//! Ward administration: user accounts and the audit log.

pub mod api;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
