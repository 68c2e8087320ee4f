//! `cutri-wasm-split <app.wasm> <out dir>`: splits the linked browser bundle at its
//! `#[lazy]`/`#[lazy_route]` points. Writes the main module (`cutri_split.wasm`, still to be run
//! through wasm-bindgen), one `.wasm` per piece, the JavaScript that loads the pieces, and
//! `pieces.json` (each piece's files), from which the server adds `<link rel="preload">` for the
//! piece a page needs (`app/src/shell/pieces.rs`), so it downloads beside the main module.
//! Not Leptos' `__wasm_split_manifest.json`: Leptos would add links of its own, and misses some.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The JavaScript module the split wasm imports its loaders from; Leptos names it so.
const LINK_NAME: &str = "./__wasm_split.______________________.js";
/// wasm-bindgen's JavaScript module, which the loaders import the main instance from.
const MAIN_MODULE: &str = "./cutri.js";
const MAIN_OUT: &str = "cutri_split.wasm";
const MANIFEST: &str = "pieces.json";

fn main() -> ExitCode {
    let args: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    let [input, out_dir] = args.as_slice() else {
        eprintln!("usage: cutri-wasm-split <app.wasm> <out dir>");
        return ExitCode::from(2);
    };
    match split(input, out_dir) {
        Ok(pieces) => {
            eprintln!("cutri-wasm-split: main module and {pieces} pieces");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("cutri-wasm-split: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn split(input: &Path, out_dir: &Path) -> Result<usize, Box<dyn std::error::Error>> {
    let wasm = std::fs::read(input).map_err(|e| format!("{}: {e}", input.display()))?;
    let main_out = out_dir.join(MAIN_OUT);
    let mut options = wasm_split_cli_support::Options::new(&wasm);
    options.output_dir = out_dir;
    options.main_out_path = &main_out;
    options.main_module = MAIN_MODULE;
    options.link_name = LINK_NAME;
    let split = wasm_split_cli_support::transform(options)?;
    std::fs::write(
        out_dir.join(MANIFEST),
        serde_json::to_string_pretty(&split.prefetch_map)?,
    )?;
    Ok(split.split_modules.len())
}
