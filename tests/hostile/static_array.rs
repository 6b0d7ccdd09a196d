// expect: profile=rust-run verdict=memory_limit opts="--memory 256MiB"
// A 512 MB static array, touched page by page.
static mut BIG: [u8; 512 << 20] = [0; 512 << 20];
fn main() {
    let p = std::ptr::addr_of_mut!(BIG) as *mut u8;
    for i in (0..(512usize << 20)).step_by(4096) {
        unsafe { p.add(i).write_volatile(1) };
    }
    println!("ESCAPED: touched 512 MB under a 256 MiB limit");
}
