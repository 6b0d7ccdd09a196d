// expect: profile=rust-run verdict=runtime_error
// Unbounded recursion: Rust's guard page turns it into "stack overflow" and SIGABRT.
fn deep(n: u64, pad: [u8; 256]) -> u64 {
    if n == u64::MAX { return pad[0] as u64; }
    deep(n + 1, pad) + pad[(n % 256) as usize] as u64
}
fn main() {
    println!("{}", deep(0, [1; 256]));
}
