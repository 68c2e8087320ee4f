//! The register of complaints about the voter list (Điều 33): each complaint with the day it
//! was received, its 5-day answer deadline, and the answer once given. Every entry and answer
//! is audited.

pub mod api;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
