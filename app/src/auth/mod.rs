//! Accounts, sign-in, sessions and the permission check every server function starts with.

pub mod api;
pub mod pages;

#[cfg(feature = "ssr")]
pub mod context;
#[cfg(feature = "ssr")]
pub mod login_limits;
#[cfg(feature = "ssr")]
pub mod password;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod session_cache;
#[cfg(feature = "ssr")]
pub mod token;

use serde::{Deserialize, Serialize};

use crate::domain::role::Role;

/// The signed-in person as the UI knows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthUser {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
}
