#!/usr/bin/env python3
"""Local HTTP(S) servers for the fx-pull web tests and bench, on 127.0.0.1.

Usage: server.py [--workers N] ROOT PORTFILE LISTEN...
  LISTEN is CERT:KEY for an HTTPS listener or "plain" for plain HTTP.
  --workers N forks N processes that accept on the same sockets, as a
  pre-forking web server does (one process by default).
Each listener takes a free port; PORTFILE gets one port per line, in order.
Files are served from ROOT/HOST/PATH (HOST without the port). Conventions:
  PATH.redirect   answer 302 with its content as Location
  PATH.status     answer with that status code and the file PATH's bytes
  ROOT/HOST/.headers  extra header lines sent with every answer
Anything else missing is a 404.
"""
import http.server
import mimetypes
import os
import socket
import socketserver
import ssl
import sys
import threading


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    root = "."

    def log_message(self, fmt, *args):
        pass

    def setup(self):
        # Headers and body are separate writes: without this, Nagle and
        # delayed ACKs cost a keep-alive client 40 ms a request.
        self.request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        if isinstance(self.request, ssl.SSLSocket):
            try:
                self.request.do_handshake()
            except (ssl.SSLError, OSError):
                self.request.close()
                raise
        super().setup()

    def _send(self, code, body, ctype, extra=()):
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in extra:
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_GET(self):
        host = (self.headers.get("Host") or "").rsplit(":", 1)[0].strip("[]")
        base = os.path.join(self.root, host)
        path = self.path.split("?", 1)[0].split("#", 1)[0]
        if path.endswith("/"):
            path += "index.html"
        local = os.path.normpath(os.path.join(base, path.lstrip("/")))
        extra = []
        hdr = os.path.join(base, ".headers")
        if os.path.exists(hdr):
            with open(hdr) as f:
                for line in f:
                    if ":" in line:
                        k, v = line.split(":", 1)
                        extra.append((k.strip(), v.strip()))
        if not local.startswith(os.path.normpath(base)):
            return self._send(403, b"forbidden\n", "text/plain")
        if os.path.exists(local + ".redirect"):
            with open(local + ".redirect") as f:
                loc = f.read().strip()
            return self._send(302, b"moved\n", "text/plain", extra + [("Location", loc)])
        code = 200
        if os.path.exists(local + ".status"):
            with open(local + ".status") as f:
                code = int(f.read().strip())
        if not os.path.isfile(local):
            return self._send(404, b"not found\n", "text/plain", extra)
        with open(local, "rb") as f:
            body = f.read()
        ctype = mimetypes.guess_type(local)[0] or "application/octet-stream"
        if ctype.startswith("text/"):
            ctype += "; charset=utf-8"
        self._send(code, body, ctype, extra)

    do_HEAD = do_GET


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128


def orphan_watch(parent):
    while True:
        if os.getppid() != parent:
            os._exit(0)
        threading.Event().wait(0.5)


def main():
    args = sys.argv[1:]
    workers = 1
    if args and args[0] == "--workers":
        workers = int(args[1])
        args = args[2:]
    root, portfile, listens = args[0], args[1], args[2:]
    # Threads serving parallel clients hand the interpreter lock on
    # sooner than every 5 ms: a parallel client is not made to wait.
    sys.setswitchinterval(0.0002)
    Handler.root = os.path.abspath(root)
    ports, servers = [], []
    for spec in listens:
        srv = Server(("127.0.0.1", 0), Handler)
        if spec != "plain":
            cert, key = spec.split(":")
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            ctx.load_cert_chain(cert, key)
            srv.socket = ctx.wrap_socket(srv.socket, server_side=True,
                                         do_handshake_on_connect=False)
        ports.append(str(srv.server_address[1]))
        servers.append(srv)
    parent = os.getpid()
    for _ in range(workers - 1):
        if os.fork() == 0:
            threading.Thread(target=orphan_watch, args=(parent,), daemon=True).start()
            break
    for srv in servers:
        threading.Thread(target=srv.serve_forever, daemon=True).start()
    if os.getpid() != parent:
        threading.Event().wait()
    with open(portfile + ".tmp", "w") as f:
        f.write("\n".join(ports) + "\n")
    os.rename(portfile + ".tmp", portfile)
    threading.Event().wait()


if __name__ == "__main__":
    main()
