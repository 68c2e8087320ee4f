//! Importing voter lists from the files offices really have (ssr only).

pub mod columns;
pub mod rows;
pub mod table;
