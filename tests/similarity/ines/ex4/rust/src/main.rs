//! Summary statistics of one numeric column of a CSV file (port of python/colstats.py).
use std::io::{BufRead, BufReader};

/// Welford's running mean and variance, with the extremes.
#[derive(Default)]
struct Running {
    n: u64,
    mean: f64,
    m2: f64,
    lo: Option<f64>,
    hi: Option<f64>,
}

impl Running {
    fn push(&mut self, x: f64) {
        self.n += 1;
        let delta = x - self.mean;
        self.mean += delta / self.n as f64;
        self.m2 += delta * (x - self.mean);
        self.lo = Some(self.lo.map_or(x, |v| v.min(x)));
        self.hi = Some(self.hi.map_or(x, |v| v.max(x)));
    }
}

fn main() {
    let argv: Vec<String> = std::env::args().collect();
    if argv.len() != 3 {
        eprintln!("usage: colstats FILE COLUMN");
        std::process::exit(1);
    }
    let file = std::fs::File::open(&argv[1]).unwrap_or_else(|e| {
        eprintln!("{}: {}", argv[1], e);
        std::process::exit(1)
    });
    let mut lines = BufReader::new(file).lines().map_while(Result::ok);
    let header = lines.next().unwrap_or_default();
    let Some(col) = header.split(',').position(|h| h == argv[2]) else {
        println!("no values");
        return;
    };
    let mut acc = Running::default();
    for line in lines {
        if let Some(x) = line.split(',').nth(col).and_then(|f| f.trim().parse::<f64>().ok()) {
            acc.push(x);
        }
    }
    match (acc.lo, acc.hi) {
        (Some(lo), Some(hi)) => {
            println!("count {}", acc.n);
            println!("mean {:.6}", acc.mean);
            println!("std {:.6}", (acc.m2 / acc.n as f64).sqrt());
            println!("min {:.6} max {:.6}", lo, hi);
        }
        _ => println!("no values"),
    }
}
