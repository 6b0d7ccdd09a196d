fn main() { println!("built"); }
