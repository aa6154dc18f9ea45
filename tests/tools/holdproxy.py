#!/usr/bin/env python3
"""holdproxy.py: a TCP proxy for the integration tests that plays the
network a laptop wakes to after its lid was shut mid-sync.

    holdproxy.py TARGET_PORT MODE_FILE

It listens on 127.0.0.1 (a free port), prints the port on its first line,
and forwards each connection to 127.0.0.1:TARGET_PORT, both ways, until it
is killed. What it does with a connection is chosen when it is accepted, by
the first word of MODE_FILE (read then; missing or empty: pass):

    pass   forward it
    hold   read what comes and never answer nor close it: a connection
           the hub closed while this computer slept, of which no word
           reached it (it stays so after the mode changes)
    close  close it at once: a hub that is down

Each accepted connection is logged on stdout as "MODE N" (N counts from 1),
so that a test can tell when a door tried.
"""
import os
import socket
import sys
import threading


def pipe(a, b):
    try:
        while True:
            data = a.recv(65536)
            if not data:
                break
            b.sendall(data)
    except OSError:
        pass
    for s in (a, b):
        try:
            s.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


def hold(c):
    try:
        while c.recv(65536):
            pass
    except OSError:
        pass


def mode(path):
    try:
        with open(path) as f:
            words = f.read().split()
    except OSError:
        return "pass"
    return words[0] if words else "pass"


def main():
    target, mode_file = int(sys.argv[1]), sys.argv[2]
    ls = socket.socket()
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind(("127.0.0.1", 0))
    ls.listen(64)
    print(ls.getsockname()[1], flush=True)
    held, n = [], 0
    while True:
        c, _ = ls.accept()
        n += 1
        m = mode(mode_file)
        print(m, n, flush=True)
        if m == "hold":
            held.append(c)  # kept open for good
            threading.Thread(target=hold, args=(c,), daemon=True).start()
        elif m == "close":
            c.close()
        else:
            try:
                t = socket.create_connection(("127.0.0.1", target))
            except OSError:
                c.close()
                continue
            threading.Thread(target=pipe, args=(c, t), daemon=True).start()
            threading.Thread(target=pipe, args=(t, c), daemon=True).start()


if __name__ == "__main__":
    main()
