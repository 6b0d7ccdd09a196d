// expect: profile=rust-run verdict=runtime_error opts="--pids 32"
// Thousands of threads: spawning fails at the pids limit and the program panics.
fn main() {
    let mut v = Vec::new();
    for i in 0..5000 {
        v.push(std::thread::spawn(move || { std::thread::sleep(std::time::Duration::from_secs(100)); i }));
    }
    println!("ESCAPED: {} threads", v.len());
}
