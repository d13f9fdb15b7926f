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
