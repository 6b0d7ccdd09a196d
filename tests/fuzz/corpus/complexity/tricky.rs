fn f<F: Fn(i32) -> i32>(g: F) -> Option<i32> {
    /* a /* nested */ comment */
    let s = r#"// not a comment"#;
    match g(1) { 0 => None, n if n > 1 && n < 9 => Some(n), _ => Some(g(2)?) }
}
impl T for U { fn m(&self); }
