//! Constituencies (đơn vị bầu cử) and their official candidate lists, set up by the election
//! board, and the result determination per constituency (Điều 78–80) from the finalised
//! counting tallies of its polling areas.

pub mod api;
pub mod model;
pub mod pages;

#[cfg(feature = "ssr")]
pub mod service;
