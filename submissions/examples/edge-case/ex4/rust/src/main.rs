//! Port of python/top_rated.py: ranks items by their mean rating (1 to 5 stars), best first.

use std::collections::HashMap;
use std::env;
use std::fs;
use std::process;

struct Item {
    name: String,
    total: u64,
    count: u64,
}

fn main() {
    let path = env::args().nth(1).unwrap_or_else(|| {
        eprintln!("usage: top_rated ratings.csv");
        process::exit(2);
    });
    let text = fs::read_to_string(&path).unwrap_or_else(|e| {
        eprintln!("top_rated: {}: {}", path, e);
        process::exit(1);
    });

    // Items in the order they first appear, and where each one is in that list.
    let mut items: Vec<Item> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for (lineno, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let (name, stars) = line.rsplit_once(',').unwrap_or_else(|| {
            eprintln!("line {}: expected item,stars", lineno + 1);
            process::exit(1);
        });
        let stars: u64 = match stars.trim().parse() {
            Ok(s @ 1..=5) => s,
            _ => {
                eprintln!("line {}: rating {} out of range 1..5", lineno + 1, stars);
                process::exit(1);
            }
        };
        let i = *index.entry(name.to_string()).or_insert_with(|| {
            items.push(Item { name: name.to_string(), total: 0, count: 0 });
            items.len() - 1
        });
        items[i].total += stars;
        items[i].count += 1;
    }

    let mean = |it: &Item| it.total as f64 / it.count as f64;
    // Best mean first.
    items.sort_by(|a, b| mean(b).partial_cmp(&mean(a)).unwrap());
    for (rank, it) in items.iter().enumerate() {
        println!("{}. {} {} {:.2}", rank + 1, it.name, it.count, mean(it));
    }
}
