//! Bench pair fasta: the Rust port of python/fasta.py (same generator, same bytes out).
use std::env;
use std::fs;
use std::io::{self, BufWriter, Write};

const WIDTH: usize = 60;
const MODULUS: u64 = 2147483648;
const MOTIF: &[u8] = b"GATTACACCTGGAATTCCGGTACGATCGTTAGCAAGCTTGCGGCCGCATCGATGGTACCTT\
AGGCCTAAGCTTCTAGAGTCGACCTGCAGGCATGCAAGCTTGGCACTGGCCGTCGTTTTAC";
const NUCLEOTIDES: &[(u8, f64)] = &[(b'a', 0.30), (b'c', 0.20), (b'g', 0.20), (b't', 0.30)];
const AMINO: &[(u8, f64)] = &[
    (b'A', 0.08), (b'R', 0.05), (b'N', 0.04), (b'D', 0.05), (b'C', 0.02), (b'Q', 0.04),
    (b'E', 0.07), (b'G', 0.07), (b'H', 0.02), (b'I', 0.06), (b'L', 0.10), (b'K', 0.06),
    (b'M', 0.02), (b'F', 0.04), (b'P', 0.05), (b'S', 0.06), (b'T', 0.05), (b'W', 0.01),
    (b'Y', 0.03), (b'V', 0.08),
];

struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> f64 {
        self.0 = (self.0 * 1103515245 + 12345) % MODULUS;
        self.0 as f64 / MODULUS as f64
    }
}

fn repeated(out: &mut impl Write, title: &str, n: usize) -> io::Result<()> {
    writeln!(out, "{}", title)?;
    let mut k = 0;
    let mut start = 0;
    while start < n {
        let mut count = WIDTH.min(n - start);
        while count > 0 {
            let take = count.min(MOTIF.len() - k);
            out.write_all(&MOTIF[k..k + take])?;
            k = (k + take) % MOTIF.len();
            count -= take;
        }
        out.write_all(b"\n")?;
        start += WIDTH;
    }
    Ok(())
}

fn weighted(out: &mut impl Write, title: &str, table: &[(u8, f64)], n: usize, rng: &mut Lcg) -> io::Result<()> {
    writeln!(out, "{}", title)?;
    let mut bounds = Vec::with_capacity(table.len());
    let mut total = 0.0;
    for &(_, p) in table {
        total += p;
        bounds.push(total);
    }
    let last = bounds.len() - 1;
    bounds[last] = 1.0;
    let mut row = Vec::with_capacity(WIDTH + 1);
    let mut start = 0;
    while start < n {
        row.clear();
        for _ in 0..WIDTH.min(n - start) {
            let r = rng.next();
            let mut i = 0;
            while i < last && r >= bounds[i] {
                i += 1;
            }
            row.push(table[i].0);
        }
        row.push(b'\n');
        out.write_all(&row)?;
        start += WIDTH;
    }
    Ok(())
}

fn main() -> io::Result<()> {
    let path = env::args().nth(1).expect("usage: fasta INPUT");
    let text = fs::read_to_string(&path).expect("cannot read the input");
    let n: usize = text.split_whitespace().next().expect("empty input").parse().expect("not an integer");
    let stdout = io::stdout();
    let mut out = BufWriter::with_capacity(1 << 16, stdout.lock());
    let mut rng = Lcg(42);
    repeated(&mut out, ">ONE motif repeated", 10 * n)?;
    weighted(&mut out, ">TWO weighted nucleotides", NUCLEOTIDES, 3 * n, &mut rng)?;
    weighted(&mut out, ">THREE weighted amino acids", AMINO, 5 * n, &mut rng)?;
    out.flush()
}
