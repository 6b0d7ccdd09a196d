//! Port of python/wordfreq.py: the N most frequent words of a text, without stop words.

use std::collections::HashMap;
use std::env;
use std::fs;

const STOPWORDS: [&str; 22] = [
    "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "in", "is", "it", "of", "on",
    "or", "that", "the", "this", "to", "was", "with",
];

/// Lower-case ASCII letters, digits and inner apostrophes of a token.
fn normalise(token: &str) -> String {
    let kept: String = token
        .to_lowercase()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '\'')
        .collect();
    kept.trim_matches('\'').to_string()
}

fn main() {
    let args: Vec<String> = env::args().collect();
    let top_n: usize = match args.get(2) {
        Some(n) => n.parse().expect("N must be a number"),
        None => 10,
    };
    let text = fs::read_to_string(&args[1]).expect("cannot read the corpus");

    let mut counts: HashMap<&str, usize> = HashMap::new();
    for line in text.lines() {
        for raw in line.split_whitespace() {
            let word = normalise(raw);
            if word.is_empty() || STOPWORDS.contains(&word.as_str()) {
                continue;
            }
            *counts.entry(word.as_str()).or_insert(0) += 1;
        }
    }

    let mut ranked: Vec<(&str, usize)> = counts.iter().map(|(w, n)| (*w, *n)).collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    for (word, n) in ranked.iter().take(top_n) {
        println!("{:6} {}", n, word);
    }
    println!("vocabulary {}", counts.len());
}
