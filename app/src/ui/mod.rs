//! The pieces every page uses: the permission guard, status panels and widgets.

pub mod guard;
pub mod status_pages;
pub mod widgets;
