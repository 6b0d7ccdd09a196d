//! Port of python/impute.py: replaces missing values of a numeric CSV by their column mean.

use std::env;
use std::fs;

fn main() {
    let path = env::args().nth(1).expect("usage: impute data.csv");
    let text = fs::read_to_string(&path).expect("cannot read the input file");
    let mut lines = text.lines().filter(|l| !l.trim().is_empty());
    let header: Vec<&str> = match lines.next() {
        Some(h) => h.split(',').collect(),
        None => return,
    };

    // Parse every row first: the means need the whole column.
    let mut rows: Vec<Vec<Option<f64>>> = Vec::new();
    for line in lines {
        let row: Vec<Option<f64>> = line
            .split(',')
            .map(|field| Some(field.trim().parse::<f64>().unwrap()))
            .collect();
        rows.push(row);
    }

    let mut means = vec![0.0; header.len()];
    let mut missing = vec![0usize; header.len()];
    for (i, mean) in means.iter_mut().enumerate() {
        let present: Vec<f64> = rows.iter().filter_map(|r| r[i]).collect();
        missing[i] = rows.len() - present.len();
        if !present.is_empty() {
            *mean = present.iter().sum::<f64>() / present.len() as f64;
        }
    }

    println!("{}", header.join(","));
    for row in &rows {
        let out: Vec<String> = row
            .iter()
            .enumerate()
            .map(|(i, v)| format!("{:.4}", v.unwrap_or(means[i])))
            .collect();
        println!("{}", out.join(","));
    }
    for (i, name) in header.iter().enumerate() {
        if missing[i] > 0 {
            println!("# imputed {} {} {:.4}", name, missing[i], means[i]);
        }
    }
}
