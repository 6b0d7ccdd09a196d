// A build script that never ends.
fn main() { loop { std::hint::spin_loop(); } }
