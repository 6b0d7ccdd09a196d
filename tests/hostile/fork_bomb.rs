// expect: profile=rust-run verdict=time_limit|runtime_error opts="--wall 3s --cpu 2s --pids 32"
// Spawns copies of itself without end (std only: std::process::Command on its own binary).
use std::process::Command;
fn main() {
    let me = std::env::current_exe().unwrap();
    loop {
        let _ = Command::new(&me).spawn();
    }
}
