"""What sequential POP3 clients do: Python's poplib, one command at a time.

Usage: BENCH_POP3_PASSWORD=... python3 poplib_sequential.py HOST PORT USER
Logs in (USER/PASS), sends STAT, LIST, UIDL, then TOP n 0 for every message (newest first), then QUIT,
and prints {"ms": <time from connecting to QUIT's answer>, "headers": <TOP replies>} as JSON.
"""
import json
import os
import poplib
import sys
import time


def main() -> None:
    host, port, user = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    password = os.environ["BENCH_POP3_PASSWORD"]
    started = time.perf_counter()
    client = poplib.POP3(host, port, timeout=60)
    client.user(user)
    client.pass_(password)
    count, _size = client.stat()
    client.list()
    client.uidl()
    headers = 0
    for number in range(count, 0, -1):
        client.top(number, 0)
        headers += 1
    client.quit()
    elapsed = (time.perf_counter() - started) * 1000
    print(json.dumps({"ms": elapsed, "headers": headers}))


if __name__ == "__main__":
    main()
