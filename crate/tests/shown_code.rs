//! The Rust that the playground's "Show the code" gives for its default
//! settings, kept verbatim in `shown_code/default_settings.rs`
//! (tests/page-show-code.test.mjs checks that the page shows exactly it):
//! compiled and run here, so the code the page hands out works.

#![cfg(not(target_arch = "wasm32"))]

mod shown {
    include!("shown_code/default_settings.rs");

    pub fn run() {
        main();
    }
}

#[test]
fn the_rust_the_page_shows_for_its_default_settings_runs() {
    shown::run();
}

// The lessons' compiled examples: the Lessons tab shows their marked
// regions (`// snippet: NAME`), so each runs here as shown.
mod control_comparison {
    include!("shown_code/control_comparison.rs");
}
mod connections {
    include!("shown_code/connections.rs");
}
mod cancel_timeout {
    include!("shown_code/cancel_timeout.rs");
}
mod traps {
    include!("shown_code/traps.rs");
}
mod best_practices {
    include!("shown_code/best_practices.rs");
}

#[test]
fn the_control_comparison_lesson_runs() {
    control_comparison::main();
}

#[test]
fn the_connections_lesson_runs_with_at_most_three_connections_in_use() {
    connections::main();
}

#[test]
fn the_cancel_timeout_lesson_times_out_the_slow_tasks() {
    cancel_timeout::main();
}

#[test]
fn the_traps_lesson_config_runs() {
    traps::main();
}

#[test]
fn the_best_practices_lesson_runs() {
    best_practices::main();
}
