//! Bench pair mandel: the Rust port of python/mandel.py (same floating-point operations).
use std::env;
use std::fs;
use std::io::{self, BufWriter, Write};

const X0: f64 = -2.2;
const X1: f64 = 0.8;
const Y0: f64 = -1.2;
const Y1: f64 = 1.2;

fn main() -> io::Result<()> {
    let path = env::args().nth(1).expect("usage: mandel INPUT");
    let text = fs::read_to_string(&path).expect("cannot read the input");
    let v: Vec<u64> = text.split_whitespace().map(|x| x.parse().expect("not an integer")).collect();
    let (width, height, limit) = (v[0], v[1], v[2]);
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let (mut total, mut inside) = (0u64, 0u64);
    for row in 0..height {
        let ci = Y0 + (Y1 - Y0) * row as f64 / height as f64;
        let (mut row_sum, mut row_inside) = (0u64, 0u64);
        for col in 0..width {
            let cr = X0 + (X1 - X0) * col as f64 / width as f64;
            let (mut zr, mut zi) = (0.0f64, 0.0f64);
            let mut n = 0;
            while n < limit {
                let zr2 = zr * zr;
                let zi2 = zi * zi;
                if zr2 + zi2 > 4.0 {
                    break;
                }
                zi = 2.0 * zr * zi + ci;
                zr = zr2 - zi2 + cr;
                n += 1;
            }
            row_sum += n;
            if n == limit {
                row_inside += 1;
            }
        }
        writeln!(out, "{} {} {}", row, row_sum, row_inside)?;
        total += row_sum;
        inside += row_inside;
    }
    writeln!(out, "total {} inside {}", total, inside)?;
    out.flush()
}
