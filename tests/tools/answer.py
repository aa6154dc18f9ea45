#!/usr/bin/env python3
"""answer.py: an HTTP server for the integration tests that answers every
request, GET or POST, any path, the same way: a web server in front of the
hub, a hub that failed or refuses a door, a false hub.

    answer.py STATUS [--type TYPE] [--body TEXT | --body-file FILE]
              [--header 'NAME: VALUE']... [--port N] [--log FILE]

It listens on 127.0.0.1 (port N, or a free one), prints the port on its
first line, and serves until it is killed. --log appends a line to FILE for
each request, so that a test can tell it was asked.
"""
import argparse
import http.server


def main():
    p = argparse.ArgumentParser()
    p.add_argument("status", type=int)
    p.add_argument("--type", default="text/html")
    body = p.add_mutually_exclusive_group()
    body.add_argument("--body", default="")
    body.add_argument("--body-file")
    p.add_argument("--header", action="append", default=[])
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--log")
    args = p.parse_args()
    if args.body_file:
        with open(args.body_file, "rb") as f:
            data = f.read()
    else:
        data = args.body.encode()
    headers = [h.split(":", 1) for h in args.header]

    class Handler(http.server.BaseHTTPRequestHandler):
        def answer(self):
            if args.log:
                with open(args.log, "a") as f:
                    f.write("asked %s %s\n" % (self.command, self.path))
            self.send_response(args.status)
            self.send_header("Content-Type", args.type)
            for name, value in headers:
                self.send_header(name.strip(), value.strip())
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = answer

        def log_message(self, *a):
            pass

    s = http.server.HTTPServer(("127.0.0.1", args.port), Handler)
    print(s.server_address[1], flush=True)
    s.serve_forever()


if __name__ == "__main__":
    main()
