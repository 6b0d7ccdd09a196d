//! Rust port of python/featreport.py: per-column summary statistics, z-score outlier counts and
//! pairwise Pearson correlations of a CSV table. The output is byte-for-byte the Python output.

use std::collections::HashMap;
use std::env;
use std::fs;
use std::process::ExitCode;

const OUTLIER_Z: f64 = 3.0;

/// A finite number, or None. Mirrors the Python `parse_number`: the same character whitelist, so
/// that `float()` and `str::parse::<f64>` see exactly the same strings.
fn parse_number(text: &str) -> Option<f64> {
    if text.is_empty() || !text.chars().all(|c| "0123456789+-.eE".contains(c)) {
        return None;
    }
    match text.parse::<f64>() {
        Ok(v) if v.is_finite() => Some(v),
        _ => None,
    }
}

/// Python's str.strip(" \t"): only spaces and tabs, not every Unicode space as str::trim would.
fn trim_field(s: &str) -> &str {
    s.trim_matches(|c| c == ' ' || c == '\t')
}

fn fmt(x: f64) -> String {
    format!("{:.6}", x)
}

/// Plain left-to-right sum, like the Python loop, so both round the same way.
fn mean_of(values: &[f64]) -> f64 {
    let mut total = 0.0;
    for v in values {
        total += v;
    }
    total / values.len() as f64
}

fn numeric_summary(name: &str, values: &[f64], missing: usize) {
    let n = values.len();
    let mean = mean_of(values);
    let mut sq = 0.0;
    for v in values {
        sq += (v - mean) * (v - mean);
    }
    let std = (sq / n as f64).sqrt();
    // Python's min()/max() keep the first of equal values (0.0 and -0.0), so do the same
    // instead of f64::min, which may pick either.
    let mut lo = values[0];
    let mut hi = values[0];
    for &v in &values[1..] {
        if v < lo {
            lo = v;
        }
        if v > hi {
            hi = v;
        }
    }
    // A stable sort that treats 0.0 and -0.0 as equal, like Python's sorted(); total_cmp would not.
    let mut ordered = values.to_vec();
    ordered.sort_by(|a, b| a.partial_cmp(b).expect("values are finite"));
    let median = if n % 2 == 1 {
        ordered[n / 2]
    } else {
        (ordered[n / 2 - 1] + ordered[n / 2]) / 2.0
    };
    let mut outliers = 0;
    if std > 0.0 {
        for v in values {
            if ((v - mean) / std).abs() > OUTLIER_Z {
                outliers += 1;
            }
        }
    }
    println!(
        "column {} numeric count={} missing={} mean={} std={} min={} median={} max={} outliers={}",
        name,
        n,
        missing,
        fmt(mean),
        fmt(std),
        fmt(lo),
        fmt(median),
        fmt(hi),
        outliers
    );
}

fn categorical_summary(name: &str, fields: &[&str]) {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    let mut missing = 0;
    for f in fields {
        if f.is_empty() {
            missing += 1;
        } else {
            *counts.entry(f).or_insert(0) += 1;
        }
    }
    let present = fields.len() - missing;
    // Most frequent first, ties to the smallest value; HashMap order must not leak into the output.
    let top = counts
        .iter()
        .min_by(|a, b| b.1.cmp(a.1).then_with(|| a.0.cmp(b.0)));
    let top_text = match top {
        Some((value, count)) => format!("top={} top_count={}", value, count),
        None => "top=- top_count=0".to_string(),
    };
    println!(
        "column {} categorical count={} missing={} distinct={} {}",
        name,
        present,
        missing,
        counts.len(),
        top_text
    );
}

fn correlation(xs: &[Option<f64>], ys: &[Option<f64>]) -> Option<f64> {
    let pairs: Vec<(f64, f64)> = xs
        .iter()
        .zip(ys)
        .filter_map(|(x, y)| Some(((*x)?, (*y)?)))
        .collect();
    if pairs.len() < 2 {
        return None;
    }
    let px: Vec<f64> = pairs.iter().map(|p| p.0).collect();
    let py: Vec<f64> = pairs.iter().map(|p| p.1).collect();
    let (mx, my) = (mean_of(&px), mean_of(&py));
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for &(x, y) in &pairs {
        sxy += (x - mx) * (y - my);
        sxx += (x - mx) * (x - mx);
        syy += (y - my) * (y - my);
    }
    if sxx == 0.0 || syy == 0.0 {
        return None;
    }
    Some(sxy / (sxx * syy).sqrt())
}

fn main() -> ExitCode {
    let args: Vec<String> = env::args().collect();
    if args.len() != 2 {
        eprintln!("usage: featreport data.csv");
        return ExitCode::from(2);
    }
    let raw = match fs::read_to_string(&args[1]) {
        Ok(text) => text,
        Err(e) => {
            eprintln!("featreport: cannot read {}: {}", args[1], e);
            return ExitCode::from(1);
        }
    };
    // Python reads text files with universal newlines: \r\n and a lone \r both end a line.
    let text = raw.replace("\r\n", "\n").replace('\r', "\n");
    let lines: Vec<&str> = text.split('\n').filter(|l| !l.is_empty()).collect();
    if lines.is_empty() {
        println!("rows 0");
        return ExitCode::SUCCESS;
    }
    let header: Vec<&str> = lines[0].split(',').map(trim_field).collect();
    let mut columns: Vec<Vec<&str>> = vec![Vec::new(); header.len()];
    let mut skipped = 0;
    for (i, line) in lines[1..].iter().enumerate() {
        let fields: Vec<&str> = line.split(',').map(trim_field).collect();
        if fields.len() != header.len() {
            eprintln!(
                "line {}: expected {} fields, got {}; skipped",
                i + 2,
                header.len(),
                fields.len()
            );
            skipped += 1;
            continue;
        }
        for (column, field) in columns.iter_mut().zip(fields) {
            column.push(field);
        }
    }
    println!("rows {} skipped {}", columns[0].len(), skipped);

    let mut numeric: Vec<(&str, Vec<Option<f64>>)> = Vec::new();
    for (name, fields) in header.iter().zip(&columns) {
        let parsed: Vec<Option<f64>> = fields.iter().map(|f| parse_number(f)).collect();
        let bad = parsed.iter().zip(fields).any(|(p, f)| p.is_none() && !f.is_empty());
        let values: Vec<f64> = parsed.iter().flatten().copied().collect();
        if !values.is_empty() && !bad {
            numeric_summary(name, &values, fields.len() - values.len());
            numeric.push((name, parsed));
        } else {
            categorical_summary(name, fields);
        }
    }

    for i in 0..numeric.len() {
        for j in i + 1..numeric.len() {
            let shown = match correlation(&numeric[i].1, &numeric[j].1) {
                Some(r) => fmt(r),
                None => "n/a".to_string(),
            };
            println!("correlation {} {} {}", numeric[i].0, numeric[j].0, shown);
        }
    }
    ExitCode::SUCCESS
}
