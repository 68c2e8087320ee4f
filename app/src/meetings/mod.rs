//! Deputy–voter meetings (tiếp xúc cử tri): deputies and venues, scheduling without conflicts,
//! attendance, opinions and answers, and the finalised minutes.

pub mod api;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
