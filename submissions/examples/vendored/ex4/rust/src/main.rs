//! Port of python/rolling_zscore.py: flags points more than 3 standard deviations away from the
//! mean of the previous `window` points. The statistics come from the tinystats crate (vendored).

use std::env;
use std::fs;
use std::io::{self, BufWriter, Write};
use std::process;

use tinystats::{mean, stddev, zscore, Ddof};

const THRESHOLD: f64 = 3.0;

fn main() {
    let args: Vec<String> = env::args().collect();
    if args.len() < 2 {
        eprintln!("usage: rolling_zscore series.txt [window]");
        process::exit(2);
    }
    let window: usize = match args.get(2).map(|w| w.parse()) {
        None => 8,
        Some(Ok(w)) if w > 0 => w,
        Some(_) => {
            eprintln!("rolling_zscore: window must be a positive integer, not {}", args[2]);
            process::exit(2);
        }
    };
    let text = fs::read_to_string(&args[1]).unwrap_or_else(|e| {
        eprintln!("rolling_zscore: {}: {}", args[1], e);
        process::exit(1);
    });
    let mut series = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        match line.parse::<f64>() {
            Ok(v) => series.push(v),
            Err(e) => {
                eprintln!("rolling_zscore: {}:{}: {:?}: {}", args[1], n + 1, line, e);
                process::exit(1);
            }
        }
    }

    // println! flushes at every newline; one buffered, locked handle makes one write per 8 KiB.
    let mut out = BufWriter::new(io::stdout().lock());
    if let Err(e) = report(&mut out, &series, window).and_then(|()| out.flush()) {
        eprintln!("rolling_zscore: writing the report: {}", e);
        process::exit(1);
    }
}

/// Prints one line per scored point and the summary line.
fn report(out: &mut impl Write, series: &[f64], window: usize) -> io::Result<()> {
    let mut anomalies = 0;
    for i in window..series.len() {
        let past = &series[i - window..i];
        // The window is never empty (window > 0), so both statistics exist.
        let m = mean(past).expect("non-empty window");
        let s = stddev(past, Ddof::Population).expect("non-empty window");
        match zscore(series[i], m, s) {
            None => writeln!(out, "{} {:.4} mean {:.4} std {:.4} z - ok", i, series[i], m, s)?,
            Some(z) => {
                let flag = if z.abs() > THRESHOLD { "ANOMALY" } else { "ok" };
                if flag == "ANOMALY" {
                    anomalies += 1;
                }
                writeln!(out, "{} {:.4} mean {:.4} std {:.4} z {:.3} {}", i, series[i], m, s, z, flag)?;
            }
        }
    }
    writeln!(
        out,
        "points {} scored {} anomalies {}",
        series.len(),
        series.len().saturating_sub(window),
        anomalies
    )
}
