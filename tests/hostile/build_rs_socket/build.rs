// A build script that phones home (to a server the test runs on the host's 127.0.0.1) and
// resolves a name: the build sandbox has no network. Fails the build only if it got through.
use std::net::{TcpStream, ToSocketAddrs};
fn main() {
    let port = std::env::var("HOSTILE_PORT").unwrap_or_else(|_| "9".into());
    if TcpStream::connect(format!("127.0.0.1:{}", port)).is_ok() {
        panic!("ESCAPED: build.rs connected to 127.0.0.1:{}", port);
    }
    if ("crates.io", 443).to_socket_addrs().is_ok() {
        panic!("ESCAPED: build.rs resolved crates.io");
    }
}
