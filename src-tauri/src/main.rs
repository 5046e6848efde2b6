// Keeps a console window from opening next to the app on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

// Syncs, exports and the simulators of demo mode allocate millions of small strings across
// threads; mimalloc cuts the time glibc's allocator spent on them by about half.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    paneldeck_app::run();
}
