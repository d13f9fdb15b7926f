//! lib/wire.ts — the TypeScript of every value that crosses from Rust into
//! JavaScript — is generated from the Rust types here. This test fails when
//! the committed file is stale; `npm run wire` (WWP_WRITE_WIRE=1) rewrites it.

use std::path::PathBuf;

use ts_rs::{Config, TS};
use wasm_worker_pool::runtime::RuntimeInfo;
use wasm_worker_pool::session::lessons::{CommonError, CommonErrorReport, Observed, VariantReport};
use wasm_worker_pool::session::{
    ErrorKind, RunConfig, RunSummary, StrategyKind, WireError, WorkerCount, EVENT_STRIDE,
};
use wasm_worker_pool::stats::{Percentiles, StatsSnapshot, WorkerSnapshot, WorkerState};
use wasm_worker_pool::task::OutcomeKind;
use wasm_worker_pool::TaskKind;

const HEADER: &str = "\
// Generated from the Rust types by crate/tests/wire_types.rs: do not edit.
// Regenerate with `npm run wire`; `npm test` fails while this file is stale.
";

/// Each type's doc comment and declaration.
macro_rules! declarations {
    ($cfg:expr; $($t:ty),* $(,)?) => {
        vec![$((<$t>::docs(), <$t>::decl($cfg))),*]
    };
}

fn declarations(cfg: &Config) -> Vec<(Option<String>, String)> {
    declarations![cfg;
        StrategyKind, TaskKind, RunConfig, OutcomeKind, Percentiles, WorkerState,
        WorkerSnapshot, StatsSnapshot, WorkerCount, RunSummary, RuntimeInfo,
        CommonError, Observed, VariantReport, CommonErrorReport, ErrorKind, WireError,
    ]
}

fn quoted(names: impl IntoIterator<Item = String>) -> String {
    names
        .into_iter()
        .map(|n| format!("'{n}'"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn generate() -> String {
    // serde-wasm-bindgen sends u64 as a JavaScript number (every count here
    // stays far below 2^53), not as the bigint ts-rs assumes by default.
    let cfg = Config::new().with_large_int("number");
    let mut out = String::from(HEADER);
    for (docs, decl) in declarations(&cfg) {
        out.push('\n');
        if let Some(docs) = docs {
            out.push_str(&docs);
        }
        out.push_str("export ");
        out.push_str(&decl);
        out.push('\n');
    }
    let outcomes = quoted(OutcomeKind::ALL.map(|k| k.name().to_string()));
    let errors = quoted(CommonError::ALL.map(|e| e.name().to_string()));
    out.push_str(&format!(
        "\n/** Outcome codes, in the order timeline events encode them. */\n\
         export const OUTCOMES: readonly OutcomeKind[] = [{outcomes}];\n\
         \n/** The tutorial's common errors, each reproduced by `demonstrate()`. */\n\
         export const COMMON_ERRORS: readonly CommonError[] = [{errors}];\n\
         \n/** Numbers per timeline event in a progress message's `events`. */\n\
         export const EVENT_STRIDE = {EVENT_STRIDE};\n"
    ));
    // ts-rs ends a field's line with ", ": no trailing blanks in the file.
    out.lines().map(|l| format!("{}\n", l.trim_end())).collect()
}

#[test]
fn lib_wire_ts_is_generated_from_the_rust_types() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../lib/wire.ts");
    let generated = generate();
    if std::env::var_os("WWP_WRITE_WIRE").is_some() {
        std::fs::write(&path, &generated).expect("write lib/wire.ts");
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    if committed != generated {
        let line = committed
            .lines()
            .zip(generated.lines())
            .position(|(a, b)| a != b)
            .unwrap_or_else(|| committed.lines().count().min(generated.lines().count()));
        panic!(
            "lib/wire.ts is stale (first difference at line {}): run `npm run wire` and commit it",
            line + 1
        );
    }
}
