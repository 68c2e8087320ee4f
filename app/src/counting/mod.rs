//! Counting results per polling area and ballot level: double entry by two people, the
//! consistency rules, finalising (which locks the tally) and the minutes (Mẫu 18/23).

pub mod api;
pub mod model;
pub mod pages;

#[cfg(feature = "ssr")]
pub mod service;
