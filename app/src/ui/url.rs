//! Typed ids read from the page's URL.

use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::domain::ids::RowId;

/// The id in the query's `name` (`?election=3`); `None` when absent or not a number.
pub fn query_id<Id: RowId + Send + Sync + 'static>(
    name: &'static str,
) -> impl Fn() -> Option<Id> + Copy + Send + Sync + 'static {
    let query = use_query_map();
    move || query.read().get(name).and_then(|value| value.parse().ok())
}

/// The id in the route's `:name` segment; one that does not parse is `RowId::UNKNOWN`.
pub fn path_id<Id: RowId + Send + Sync + 'static>(
    name: &'static str,
) -> impl Fn() -> Id + Copy + Send + Sync + 'static {
    let params = use_params_map();
    move || {
        params
            .read()
            .get(name)
            .and_then(|value| value.parse().ok())
            .unwrap_or(Id::UNKNOWN)
    }
}
