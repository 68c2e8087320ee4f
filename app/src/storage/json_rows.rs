//! PostgreSQL multi-row inserts with one parameter: the rows as a `jsonb` array of arrays, taken
//! apart by the server (`insert … select … from jsonb_array_elements($1::jsonb)`).
//!
//! Two reasons over a multi-row `VALUES` list of bound parameters: thousands of parameters per
//! statement cost the server and the driver far more than writing the rows, and a `VALUES` list of each length is a statement text
//! of its own, which the driver must prepare again (a round trip) whenever the length changes,
//! as it does with every check-in batch. `jsonb`, parsed once, not `json`, which every `->>`
//! parses again.

use std::fmt::Write as _;

/// The rows of one statement, written as JSON while they are added.
pub struct JsonRows {
    json: String,
}

impl JsonRows {
    /// `bytes_per_row`: a guess, to allocate once.
    pub fn with_capacity(rows: usize, bytes_per_row: usize) -> JsonRows {
        let mut json = String::with_capacity(rows * bytes_per_row + 2);
        json.push('[');
        JsonRows { json }
    }

    /// Starts a row; its values follow in the order of the statement's columns.
    pub fn row(&mut self) -> &mut JsonRows {
        if self.json.len() > 1 {
            self.json.push_str("],");
        }
        self.json.push('[');
        self
    }

    pub fn text(&mut self, value: Option<&str>) -> &mut JsonRows {
        self.separate();
        match value {
            Some(value) => self
                .json
                .push_str(&serde_json::Value::from(value).to_string()),
            None => self.json.push_str("null"),
        }
        self
    }

    /// A number or a typed id, or null.
    pub fn number(&mut self, value: Option<impl Into<i64>>) -> &mut JsonRows {
        self.separate();
        match value.map(Into::into) {
            Some(value) => {
                let _ = write!(self.json, "{value}");
            }
            None => self.json.push_str("null"),
        }
        self
    }

    fn separate(&mut self) {
        if !self.json.ends_with('[') {
            self.json.push(',');
        }
    }

    /// The JSON to bind as the statement's one parameter.
    pub fn finish(mut self) -> String {
        if self.json.len() > 1 {
            self.json.push(']');
        }
        self.json.push(']');
        self.json
    }
}

/// `insert into {table} ({columns}) select … from jsonb_array_elements($1::jsonb)`, where
/// `types` are the PostgreSQL types of `columns`, in order.
pub fn insert_statement(table: &str, columns: &str, types: &[&str]) -> String {
    let fields = types
        .iter()
        .enumerate()
        .map(|(index, kind)| format!("(row->>{index})::{kind}"))
        .collect::<Vec<_>>()
        .join(", ");
    format!("insert into {table} ({columns}) select {fields} from jsonb_array_elements($1::jsonb) as row")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_become_a_json_array_of_arrays() {
        let mut rows = JsonRows::with_capacity(2, 16);
        rows.row()
            .number(Some(1))
            .text(Some("Đỗ \"Bé\""))
            .number(None::<i64>);
        rows.row().number(Some(-2)).text(None).text(Some(""));
        let json: serde_json::Value = serde_json::from_str(&rows.finish()).unwrap();
        assert_eq!(
            json,
            serde_json::json!([[1, "Đỗ \"Bé\"", null], [-2, null, ""]])
        );
    }

    #[test]
    fn no_rows_is_an_empty_array() {
        assert_eq!(JsonRows::with_capacity(0, 0).finish(), "[]");
    }

    #[test]
    fn each_field_is_cast_to_its_column_type() {
        assert_eq!(
            insert_statement("t", "a, b", &["bigint", "text"]),
            "insert into t (a, b) select (row->>0)::bigint, (row->>1)::text \
             from jsonb_array_elements($1::jsonb) as row"
        );
    }
}
