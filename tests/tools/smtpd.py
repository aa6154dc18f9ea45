#!/usr/bin/python3
"""smtpd.py: a real SMTP server on loopback for the mail tests and bench.

aiosmtpd (Debian's python3-aiosmtpd) with its Mailbox handler: every message
accepted goes into a Maildir (DIR/tmp, new, cur) exactly as it arrived, byte
for byte, so a test can compare it with what kiosk wrote in a dry run. One
JSON line per accepted message goes to DIR/envelope.log (the Maildir key,
the envelope sender and recipients, whether the session was TLS and who
logged in), and one line per EHLO to DIR/ehlo.log (how many connections).

    smtpd.py --maildir DIR --port-file FILE [--refuse ADDR]... [--defer ADDR]...
             [--hang-up ADDR]... [--hold ADDR]... [--quota N [--quota-reply REPLY]]
             [--tls CERT KEY] [--login USER PASSWORD] [--discard]

--refuse ADDR answers RCPT TO:<ADDR> with 550 (a bad address: permanent).
--defer ADDR answers it with 451 the first time, then accepts (greylisting).
--hang-up ADDR keeps a message to ADDR, then closes the connection without
answering it (a server that stored it and dropped the line).
--hold ADDR keeps a message to ADDR and answers it only after 30 s (a
server slow to answer, for a stop while the answer is awaited).
--quota N accepts N messages, then answers every further one, after its
data, with REPLY (default Gmail's "550 5.4.5 Daily user sending quota
exceeded."; %s in it becomes the recipient): an account over its sending
limit, refused at the guest's stage. Refused messages are not kept.
--tls: STARTTLS offered and required; --login: AUTH required (after TLS).
--discard: accept and count, keep nothing (the bench).
The port (chosen by the system) is written to FILE once the server listens.
Runs until killed.
"""
import argparse
import asyncio
import json
import os
import ssl
import sys

from aiosmtpd.handlers import Mailbox
from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


class Handler(Mailbox):
    def __init__(self, args):
        for sub in ("tmp", "new", "cur"):
            os.makedirs(os.path.join(args.maildir, sub), exist_ok=True)
        super().__init__(args.maildir)
        self.args = args
        self.refuse = set(a.lower() for a in args.refuse)
        self.defer = set(a.lower() for a in args.defer)
        self.deferred = set()
        self.hang_up = set(a.lower() for a in args.hang_up)
        self.hold = set(a.lower() for a in args.hold)
        self.count = 0
        self.accepted = 0
        self.env = open(os.path.join(args.maildir, "envelope.log"), "a", buffering=1)
        self.ehlo = open(os.path.join(args.maildir, "ehlo.log"), "a", buffering=1)

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        session.host_name = hostname
        self.ehlo.write(json.dumps({"host": hostname, "tls": session.ssl is not None}) + "\n")
        return responses

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        a = address.lower()
        if a in self.refuse:
            return "550 5.1.1 <%s>: Recipient address rejected: User unknown" % address
        if a in self.defer and a not in self.deferred:
            self.deferred.add(a)
            return "451 4.7.1 <%s>: Recipient address rejected: Greylisted, try again" % address
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 Ok"

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        if self.args.quota is not None and self.accepted >= self.args.quota:
            reply = self.args.quota_reply
            return reply.replace("%s", ",".join(envelope.rcpt_tos)) if "%s" in reply else reply
        self.accepted += 1
        if self.args.discard:
            return "250 2.0.0 Ok: discarded %d" % self.count
        # The bytes as they arrived (dot-unstuffed, nothing added).
        key = self.mailbox.add(envelope.original_content)
        login = session.auth_data
        if isinstance(login, (bytes, bytearray)):
            login = login.decode()
        self.env.write(json.dumps({
            "key": key, "from": envelope.mail_from, "rcpt": envelope.rcpt_tos,
            "tls": session.ssl is not None, "login": login,
        }) + "\n")
        rcpt = set(a.lower() for a in envelope.rcpt_tos)
        if rcpt & self.hang_up:
            server.transport.close()
        elif rcpt & self.hold:
            await asyncio.sleep(30)
        return "250 2.0.0 Ok: queued as %s" % key


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--maildir", required=True)
    p.add_argument("--port-file", required=True)
    p.add_argument("--refuse", action="append", default=[])
    p.add_argument("--defer", action="append", default=[])
    p.add_argument("--hang-up", action="append", default=[])
    p.add_argument("--hold", action="append", default=[])
    p.add_argument("--quota", type=int)
    p.add_argument("--quota-reply", default="550 5.4.5 Daily user sending quota exceeded.")
    p.add_argument("--tls", nargs=2, metavar=("CERT", "KEY"))
    p.add_argument("--login", nargs=2, metavar=("USER", "PASSWORD"))
    p.add_argument("--discard", action="store_true")
    args = p.parse_args()

    handler = Handler(args)
    kw = {}
    if args.tls:
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ctx.load_cert_chain(args.tls[0], args.tls[1])
        kw.update(tls_context=ctx, require_starttls=True)
    if args.login:
        user, password = args.login[0].encode(), args.login[1].encode()

        def authenticator(server, session, envelope, mechanism, auth_data):
            ok = (isinstance(auth_data, LoginPassword) and auth_data.login == user
                  and auth_data.password == password)
            return AuthResult(success=ok, handled=False, auth_data=user if ok else None)

        kw.update(authenticator=authenticator, auth_required=True)

    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    server = loop.run_until_complete(loop.create_server(
        lambda: SMTP(handler, hostname="smtpd.test", loop=loop, **kw), "127.0.0.1", 0))
    port = server.sockets[0].getsockname()[1]
    tmp = args.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % port)
    os.rename(tmp, args.port_file)
    try:
        loop.run_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
