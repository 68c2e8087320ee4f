//! Accounts, sign-in, sessions and the permission check every server function starts with.

pub mod api;
#[cfg(feature = "ssr")]
pub mod cookies;
pub mod pages;

#[cfg(feature = "ssr")]
pub mod service;
