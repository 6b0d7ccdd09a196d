fn main() { println!("unreachable"); }
