//! k-means (Lloyd's algorithm) on 2-D points, a port of python/kmeans.py.
//! Usage: kmeans points.csv [k] [iterations]

use std::env;
use std::fs;
use std::process;

fn main() {
    let args: Vec<String> = env::args().collect();
    if args.len() < 2 {
        eprintln!("usage: kmeans points.csv [k] [iterations]");
        process::exit(2);
    }
    let k: usize = args.get(2).map_or(3, |s| s.parse().expect("k must be an integer"));
    let iterations: usize = args.get(3).map_or(10, |s| s.parse().expect("iterations must be an integer"));
    let text = fs::read_to_string(&args[1]).unwrap_or_else(|e| {
        eprintln!("kmeans: {}: {}", args[1], e);
        process::exit(1);
    });
    let mut points: Vec<(f64, f64)> = Vec::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let (x, y) = line.split_once(',').expect("each line must be x,y");
        points.push((x.trim().parse().expect("bad x"), y.trim().parse().expect("bad y")));
    }
    let mut centroids: Vec<(f64, f64)> = points.iter().take(k).copied().collect();
    let mut sizes = vec![0usize; centroids.len()];
    for _ in 0..iterations {
        let mut sums = vec![(0.0f64, 0.0f64); centroids.len()];
        sizes = vec![0; centroids.len()];
        for &(x, y) in &points {
            let mut best = 0;
            let mut best_d = f64::INFINITY;
            for (i, &(cx, cy)) in centroids.iter().enumerate() {
                let d = (x - cx).powi(2) + (y - cy).powi(2);
                if d < best_d {
                    best = i;
                    best_d = d;
                }
            }
            sums[best].0 += x;
            sums[best].1 += y;
            sizes[best] += 1;
        }
        for (i, c) in centroids.iter_mut().enumerate() {
            if sizes[i] > 0 {
                *c = (sums[i].0 / sizes[i] as f64, sums[i].1 / sizes[i] as f64);
            }
        }
    }
    for (&(cx, cy), n) in centroids.iter().zip(&sizes) {
        println!("{:.4} {:.4} {}", cx, cy, n);
    }
}
