#!/usr/bin/env python3
"""A CE's /update-kick endpoint stand-in for tests/e2e/config_server.sh.

Listens on ADDRESS:PORT and answers every GET or POST with 200 at once,
appending "<unix time> <method> <path>" to LOG for each request, so the
test can tell when the config server kicked and what it asked for.
Usage: kick_recorder.py ADDRESS PORT LOG
"""
import http.server
import sys
import time

address, port, log = sys.argv[1], int(sys.argv[2]), sys.argv[3]


class Recorder(http.server.BaseHTTPRequestHandler):
    def answer(self):
        with open(log, "a", encoding="ascii") as out:
            out.write(f"{time.time():.6f} {self.command} {self.path}\n")
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_GET = answer
    do_POST = answer

    def log_message(self, *args):
        pass  # the LOG file is the record


http.server.HTTPServer((address, port), Recorder).serve_forever()
