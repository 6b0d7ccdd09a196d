//! Bench pair bintrees: the Rust port of python/bintrees.py (one heap allocation per node).
use std::env;
use std::fs;

struct Node {
    children: Option<(Box<Node>, Box<Node>)>,
    value: i64,
}

fn build(depth: u32, value: i64) -> Box<Node> {
    if depth == 0 {
        return Box::new(Node { children: None, value });
    }
    let left = build(depth - 1, 2 * value);
    let right = build(depth - 1, 2 * value + 1);
    Box::new(Node { children: Some((left, right)), value })
}

/// (nodes, checksum) of a tree; the checksum alternates signs by level.
fn walk(node: &Node) -> (i64, i64) {
    match &node.children {
        None => (1, node.value),
        Some((l, r)) => {
            let (ln, lc) = walk(l);
            let (rn, rc) = walk(r);
            (1 + ln + rn, node.value - lc + rc)
        }
    }
}

fn main() {
    let path = env::args().nth(1).expect("usage: bintrees INPUT");
    let text = fs::read_to_string(&path).expect("cannot read the input");
    let depth: u32 = text.split_whitespace().next().expect("empty input").parse().expect("not an integer");
    let (n, c) = walk(&build(depth + 1, 1));
    println!("stretch depth {}: {} nodes, checksum {}", depth + 1, n, c);
    let kept = build(depth, 1);
    let mut d = 4;
    while d <= depth {
        let trees: i64 = 1 << (depth - d + 4);
        let (mut nodes, mut checksum) = (0i64, 0i64);
        for i in 0..trees {
            let (n, c) = walk(&build(d, i));
            nodes += n;
            checksum += c;
        }
        println!("{} trees of depth {}: {} nodes, checksum {}", trees, d, nodes, checksum);
        d += 2;
    }
    let (n, c) = walk(&kept);
    println!("kept depth {}: {} nodes, checksum {}", depth, n, c);
}
