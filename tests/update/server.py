#!/usr/bin/env python3
"""HTTPS server for tests/update/update.sh (test-only; standard library).

usage: server.py ROOT CERT KEY PORTFILE LOGFILE

Binds 127.0.0.1 on a free port (written to PORTFILE) and serves the files of ROOT:
  /files/NAME  the file, with ETag (SHA-256 of the bytes) and Last-Modified; a request whose
               If-None-Match is that ETag gets 304
  /trunc/NAME  announces the whole length, sends the first half, closes the connection
  /slow/NAME   waits 4 seconds, then as /files/NAME
  anything else, or a missing file: 404
Every request is logged to LOGFILE as "PATH STATUS".
"""
import hashlib, http.server, os, ssl, sys, time

root, cert, key, portfile, logfile = sys.argv[1:6]
LASTMOD = "Wed, 02 Dec 2026 00:00:00 GMT"


class H(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def note(self, status):
        with open(logfile, "a") as f:
            f.write("%s %d\n" % (self.path, status))

    def send_plain(self, status, body=b""):
        self.note(status)
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        parts = self.path.split("/")
        if len(parts) != 3 or parts[1] not in ("files", "trunc", "slow") or "/" in parts[2] \
                or parts[2].startswith("."):
            return self.send_plain(404, b"not found\n")
        path = os.path.join(root, parts[2])
        if not os.path.isfile(path):
            return self.send_plain(404, b"not found\n")
        with open(path, "rb") as f:
            body = f.read()
        etag = '"%s"' % hashlib.sha256(body).hexdigest()
        if parts[1] == "slow":
            time.sleep(4)
        if parts[1] == "trunc":
            self.note(200)
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            self.close_connection = True
            return
        if self.headers.get("If-None-Match") == etag:
            self.note(304)
            self.send_response(304)
            self.send_header("ETag", etag)
            self.end_headers()
            return
        self.note(200)
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("ETag", etag)
        self.send_header("Last-Modified", LASTMOD)
        self.end_headers()
        self.wfile.write(body)


class S(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        pass  # a client that gave up (the timeout test) is expected


srv = S(("127.0.0.1", 0), H)
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(cert, key)
srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
with open(portfile + ".tmp", "w") as f:
    f.write("%d\n" % srv.server_address[1])
os.rename(portfile + ".tmp", portfile)
srv.serve_forever()
