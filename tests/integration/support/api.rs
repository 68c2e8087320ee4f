//! One typed call per server function the tests use, grouped by feature as in `app/src`: the
//! method is named after the endpoint (`checkin/undo` → `Client::checkin_undo`) and takes the
//! server function's arguments by name and type, so a renamed field or a changed type fails to
//! compile here instead of becoming a 422 in some test.
//!
//! Form-encoded calls send what the browser's form sends: every field the server function
//! requires; an `Option` argument only when it is `Some`; a `#[serde(default)]` field of a form
//! struct only when it is not empty (the server reads an absent one as empty). A form struct is
//! taken apart without `..`, so a field added to it does not compile here until it is sent.
//! Tests about the raw wire (malformed bodies, foreign origins, a cut connection) and the
//! access matrix (which compares endpoint names with the registered ones) use `Client::post`
//! and friends.

use std::fmt::Display;

use super::{Client, Reply};

mod admin;
mod auth;
mod checkin;
mod complaints;
mod constituencies;
mod counting;
mod meetings;
mod petitions;
mod turnout;
mod voters;

pub use voters::{import_request, voter};

/// The fields of one form post, named as the server function reads them.
#[derive(Default)]
struct Form(Vec<(String, String)>);

impl Form {
    fn new() -> Form {
        Form::default()
    }

    /// A field the server function always reads.
    fn field(mut self, name: &str, value: impl Display) -> Form {
        self.0.push((name.to_string(), value.to_string()));
        self
    }

    /// An `Option` argument: left out when `None`.
    fn optional(self, name: &str, value: Option<impl Display>) -> Form {
        match value {
            Some(value) => self.field(name, value),
            None => self,
        }
    }

    /// A `#[serde(default)]` text field of a form struct: left out when empty.
    fn unless_empty(self, name: &str, value: &str) -> Form {
        if value.is_empty() {
            self
        } else {
            self.field(name, value)
        }
    }

    /// A list as the browser's checkboxes send it: `name[]` once per value.
    fn each(self, name: &str, values: impl IntoIterator<Item = impl Display>) -> Form {
        let name = format!("{name}[]");
        values
            .into_iter()
            .fold(self, |form, value| form.field(&name, value))
    }

    /// A list as a form of numbered inputs sends it: `name[0]`, `name[1]`, …
    fn numbered(self, name: &str, values: impl IntoIterator<Item = impl Display>) -> Form {
        values
            .into_iter()
            .enumerate()
            .fold(self, |form, (i, value)| {
                form.field(&format!("{name}[{i}]"), value)
            })
    }
}

impl Client {
    /// Posts `form` to the server function at /api/`endpoint`.
    async fn send_form(&self, endpoint: &str, form: Form) -> Reply {
        let fields: Vec<(&str, &str)> = form
            .0
            .iter()
            .map(|(name, value)| (name.as_str(), value.as_str()))
            .collect();
        self.post(endpoint, &fields).await
    }

    /// Posts the arguments of a server function that takes JSON.
    async fn send_json(&self, endpoint: &str, arguments: serde_json::Value) -> Reply {
        self.post_json(endpoint, &arguments.to_string()).await
    }
}
