// Quadratic port: Vec::contains inside the loop where the original used a set.
use std::hint::black_box;
use std::io::{self, BufRead, Write};

const STEPS: u32 = 600;
/* The hash is computed REPEAT times (the same value each time) so that the port does measurable
 * work at small sizes; black_box keeps the repeats. */
const REPEAT: u32 = 10;

fn hash(v: u32) -> u32 {
    let mut out = 0;
    for _ in 0..REPEAT {
        let mut x = black_box(v);
        for _ in 0..STEPS {
            x = x.wrapping_mul(1103515245).wrapping_add(12345);
        }
        out = x;
    }
    out
}

fn read() -> Vec<u32> {
    let stdin = io::stdin();
    let mut v = Vec::new();
    for line in stdin.lock().lines() {
        let line = line.expect("read stdin");
        let t = line.trim();
        if !t.is_empty() {
            v.push(t.parse().expect("a number"));
        }
    }
    v
}

fn main() {
    let values = read();
    let mut seen: Vec<String> = Vec::new();
    let mut total: u32 = 0;
    for &v in &values {
        total = total.wrapping_add(hash(v));
        let text = v.to_string();
        if !seen.contains(&text) {
            seen.push(text);
        }
    }
    writeln!(io::stdout(), "{} {}", seen.len(), total).unwrap();
}
