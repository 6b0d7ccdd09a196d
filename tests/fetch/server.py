#!/usr/bin/env python3
# tests/fetch/server.py: small servers on 127.0.0.1 for the fetch tests, one per mode:
#   http  --root DIR [--token T]  git smart HTTP (git http-backend as CGI); with --token, asks for
#                                 Basic credentials whose password is T and counts the attempts
#   stall                         accepts connections, reads, never answers
#   tls   --cert C --key K        a TLS server with the given (self-signed) certificate
#   redirect --to BASE            answers every request with a 302 to BASE + the request's path
# --host picks the loopback address to listen on (default 127.0.0.1; e.g. 127.0.0.2).
# It binds port 0, writes the port to --port-file once it listens, and runs until killed.
import argparse
import base64
import os
import socket
import ssl
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def read_body(handler):
    if handler.headers.get("Transfer-Encoding", "").lower() == "chunked":
        out = bytearray()
        while True:
            size = int(handler.rfile.readline().strip().split(b";")[0], 16)
            if size == 0:
                handler.rfile.readline()
                return bytes(out)
            out += handler.rfile.read(size)
            handler.rfile.readline()
    n = int(handler.headers.get("Content-Length") or 0)
    return handler.rfile.read(n) if n else b""


def make_git_handler(root, token, attempts_file):
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def authorised(self):
            if token is None:
                return True
            got = self.headers.get("Authorization", "")
            if got.startswith("Basic "):
                with lock:  # count every credential the client offers
                    n = int(open(attempts_file).read() or 0) if os.path.exists(attempts_file) else 0
                    with open(attempts_file, "w") as f:
                        f.write(str(n + 1))
                user, _, password = base64.b64decode(got[6:]).decode("utf-8", "replace").partition(":")
                if password == token:
                    return True
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Basic realm="course"')
            self.send_header("Content-Length", "0")
            self.end_headers()
            return False

        def serve(self):
            body = read_body(self)
            if not self.authorised():
                return
            path, _, query = self.path.partition("?")
            env = {
                "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
                "GIT_PROJECT_ROOT": root,
                "GIT_HTTP_EXPORT_ALL": "1",
                "PATH_INFO": path,
                "QUERY_STRING": query,
                "REQUEST_METHOD": self.command,
                "CONTENT_TYPE": self.headers.get("Content-Type", ""),
                "CONTENT_LENGTH": str(len(body)),
                "REMOTE_ADDR": "127.0.0.1",
                "GIT_PROTOCOL": self.headers.get("Git-Protocol", ""),
            }
            if self.headers.get("Content-Encoding") == "gzip":
                env["HTTP_CONTENT_ENCODING"] = "gzip"
            out = subprocess.run(["git", "http-backend"], input=body, env=env,
                                 stdout=subprocess.PIPE, check=False).stdout
            head, _, payload = out.partition(b"\r\n\r\n")
            if not _:
                head, _, payload = out.partition(b"\n\n")
            status, headers = 200, []
            for line in head.decode("latin-1").splitlines():
                name, _, value = line.partition(":")
                if name.lower() == "status":
                    status = int(value.strip().split()[0])
                elif name:
                    headers.append((name, value.strip()))
            self.send_response(status)
            for name, value in headers:
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        do_GET = serve
        do_POST = serve

    return Handler


def make_redirect_handler(to):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def do_GET(self):
            self.send_response(302)
            self.send_header("Location", to + self.path)
            self.send_header("Content-Length", "0")
            self.end_headers()

        do_POST = do_GET

    return Handler


def stall(sock):
    held = []
    while True:
        conn, _ = sock.accept()
        held.append(conn)  # never answer, never close


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=["http", "stall", "tls", "redirect"])
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--to")
    ap.add_argument("--root")
    ap.add_argument("--token")
    ap.add_argument("--attempts-file")
    ap.add_argument("--cert")
    ap.add_argument("--key")
    ap.add_argument("--port-file", required=True)
    a = ap.parse_args()

    if not a.host.startswith("127."):
        sys.exit("server.py: loopback addresses only")
    if a.mode in ("http", "redirect"):
        handler = make_git_handler(a.root, a.token, a.attempts_file) if a.mode == "http" else make_redirect_handler(a.to)
        srv = ThreadingHTTPServer((a.host, 0), handler)
        port = srv.server_address[1]
        run = srv.serve_forever
    else:
        sock = socket.socket()
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((a.host, 0))
        sock.listen(16)
        port = sock.getsockname()[1]
        if a.mode == "tls":
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            ctx.load_cert_chain(a.cert, a.key)

            def run():
                while True:
                    conn, _ = sock.accept()
                    try:
                        ctx.wrap_socket(conn, server_side=True).close()
                    except (ssl.SSLError, OSError):
                        conn.close()
        else:
            def run():
                stall(sock)
    tmp = a.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write(str(port))
    os.rename(tmp, a.port_file)
    run()


if __name__ == "__main__":
    main()
