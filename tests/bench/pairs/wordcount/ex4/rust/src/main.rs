//! Bench pair wordcount: the Rust port of python/wordcount.py.
use std::collections::HashMap;
use std::env;
use std::fs::File;
use std::io::{BufRead, BufReader};

const PUNCTUATION: &[char] = &['.', ',', ';', ':', '!', '?', '\'', '"', '(', ')', '[', ']'];

fn main() {
    let path = env::args().nth(1).expect("usage: wordcount INPUT");
    let reader = BufReader::new(File::open(&path).expect("cannot open the input"));
    let mut counts: HashMap<String, u64> = HashMap::new();
    let mut total = 0u64;
    let mut lower = String::new();
    for line in reader.lines() {
        let line = line.expect("cannot read the input");
        for word in line.split_ascii_whitespace() {
            let word = word.trim_matches(PUNCTUATION);
            if word.is_empty() {
                continue;
            }
            lower.clear();
            lower.push_str(word);
            lower.make_ascii_lowercase();
            if let Some(n) = counts.get_mut(lower.as_str()) {
                *n += 1;
            } else {
                counts.insert(lower.clone(), 1);
            }
            total += 1;
        }
    }
    println!("words: {}", total);
    println!("distinct: {}", counts.len());
    let longest = counts.keys().min_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
    println!("longest: {}", longest.map(String::as_str).unwrap_or(""));
    let mut ranked: Vec<(&String, &u64)> = counts.iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(a.1).then_with(|| a.0.cmp(b.0)));
    for (word, n) in ranked.iter().take(20) {
        println!("{} {}", n, word);
    }
}
