//! Port of python/softmax.py: softmax probabilities, argmax, log-sum-exp and entropy per line of
//! comma-separated logits. Numbers are printed with six decimals (Python prints the shortest repr).

use std::env;
use std::fs;
use std::io::{self, BufWriter, Write};
use std::process;

/// Numerically stable softmax; also returns log(sum(exp(logits))).
fn softmax(logits: &[f64]) -> (Vec<f64>, f64) {
    let m = logits.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let exps: Vec<f64> = logits.iter().map(|x| (x - m).exp()).collect();
    let total: f64 = exps.iter().sum();
    (exps.iter().map(|e| e / total).collect(), m + total.ln())
}

fn main() {
    let path = env::args().nth(1).unwrap_or_else(|| {
        eprintln!("usage: softmax logits.txt");
        process::exit(2);
    });
    let text = fs::read_to_string(&path).unwrap_or_else(|e| {
        eprintln!("softmax: {}: {}", path, e);
        process::exit(1);
    });
    // println! writes every line with its own system call, even into a pipe: buffer them.
    let mut out = BufWriter::new(io::stdout().lock());
    for (n, line) in text.lines().map(str::trim).enumerate() {
        if line.is_empty() {
            continue;
        }
        let logits: Vec<f64> = match line.split(',').map(|x| x.trim().parse()).collect() {
            Ok(v) => v,
            Err(e) => {
                let _ = out.flush(); // the rows before the bad one, as Python prints them
                eprintln!("softmax: {}:{}: {}", path, n + 1, e);
                process::exit(1);
            }
        };
        let (probs, lse) = softmax(&logits);
        let mut best = 0;
        for (i, &p) in probs.iter().enumerate() {
            if p > probs[best] {
                best = i;
            }
        }
        let entropy: f64 = -probs.iter().filter(|&&p| p > 0.0).map(|p| p * p.ln()).sum::<f64>();
        let shown: Vec<String> = probs.iter().map(|p| format!("{:.6}", p)).collect();
        let written = writeln!(out, "probs {}", shown.join(" "))
            .and_then(|_| writeln!(out, "argmax {} logsumexp {:.6} entropy {:.6}", best, lse, entropy));
        if let Err(e) = written {
            write_failed(e);
        }
    }
    if let Err(e) = out.flush() {
        write_failed(e);
    }
}

fn write_failed(e: io::Error) -> ! {
    eprintln!("softmax: writing the output: {}", e);
    process::exit(1);
}
