// expect: profile=rust-run verdict=runtime_error
// A "port" that shells out to Python: rust-run binds no interpreter and no shell.
use std::process::Command;
fn main() {
    for prog in ["python3", "/usr/bin/python3", "/bin/sh", "python"] {
        match Command::new(prog).arg("-c").arg("print('ESCAPED: ran python')").status() {
            Ok(s) => println!("ESCAPED: {} ran ({})", prog, s),
            Err(e) => eprintln!("cannot run {}: {}", prog, e),
        }
    }
    std::process::exit(1);
}
