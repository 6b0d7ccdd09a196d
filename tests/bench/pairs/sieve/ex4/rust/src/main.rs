//! Bench pair sieve: the Rust port of python/sieve.py.
use std::env;
use std::fs;

fn main() {
    let path = env::args().nth(1).expect("usage: sieve INPUT");
    let text = fs::read_to_string(&path).expect("cannot read the input");
    let n: usize = text.split_whitespace().next().expect("empty input").parse().expect("not an integer");
    let mut composite = vec![false; n + 1];
    let mut primes: Vec<u64> = Vec::new();
    for i in 2..=n {
        if !composite[i] {
            primes.push(i as u64);
            let mut j = i * i;
            while j <= n {
                composite[j] = true;
                j += i;
            }
        }
    }
    let mut twins = 0;
    let (mut gap, mut gap_at) = (0, 0);
    for w in primes.windows(2) {
        let d = w[1] - w[0];
        if d == 2 {
            twins += 1;
        }
        if d > gap {
            gap = d;
            gap_at = w[0];
        }
    }
    println!("primes up to {}: {}", n, primes.len());
    println!("sum: {}", primes.iter().sum::<u64>());
    println!("largest: {}", primes.last().copied().unwrap_or(0));
    println!("twin pairs: {}", twins);
    println!("largest gap: {} after {}", gap, gap_at);
}
