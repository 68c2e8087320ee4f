//! The pieces every page uses: the permission guard, status panels, widgets and ids from the URL.

pub mod guard;
pub mod status_pages;
pub mod url;
pub mod widgets;
