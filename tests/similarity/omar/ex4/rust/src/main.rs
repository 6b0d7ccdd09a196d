// column_summary in Rust: count, mean, standard deviation, min and max of one CSV column.
use std::env;
use std::fs;
use std::process;

fn read_column(path: &str, wanted: &str) -> Vec<f64> {
    let text = match fs::read_to_string(path) {
        Ok(t) => t,
        Err(err) => {
            eprintln!("cannot read {}: {}", path, err);
            process::exit(1);
        }
    };
    let mut rows = text.lines();
    let header: Vec<&str> = match rows.next() {
        Some(h) => h.split(',').collect(),
        None => return Vec::new(),
    };
    let mut idx = usize::MAX;
    for i in 0..header.len() {
        if header[i] == wanted {
            idx = i;
        }
    }
    let mut out = Vec::new();
    if idx == usize::MAX {
        return out;
    }
    for row in rows {
        let parts: Vec<&str> = row.split(',').collect();
        if idx < parts.len() {
            if let Ok(v) = parts[idx].parse::<f64>() {
                out.push(v);
            }
        }
    }
    out
}

fn mean(xs: &[f64]) -> f64 {
    let mut total = 0.0;
    for x in xs {
        total += x;
    }
    total / xs.len() as f64
}

fn stdev(xs: &[f64], m: f64) -> f64 {
    let mut s = 0.0;
    for x in xs {
        s += (x - m) * (x - m);
    }
    (s / xs.len() as f64).sqrt()
}

fn main() {
    let args: Vec<String> = env::args().collect();
    if args.len() < 3 {
        println!("need a file and a column name");
        process::exit(2);
    }
    let data = read_column(&args[1], &args[2]);
    if data.is_empty() {
        println!("no values");
        return;
    }
    let m = mean(&data);
    let mut lo = data[0];
    let mut hi = data[0];
    for &v in &data {
        if v < lo {
            lo = v;
        }
        if v > hi {
            hi = v;
        }
    }
    println!("count {}", data.len());
    println!("mean {:.6}", m);
    println!("std {:.6}", stdev(&data, m));
    println!("min {:.6} max {:.6}", lo, hi);
}
