//! The application shell and the pieces every page uses.

pub mod guard;
pub mod layout;
pub mod shell;
pub mod status_pages;
pub mod widgets;
