"""A plain poplib polling loop: what a test without a mail fixture does (Mailpit's documented pattern,
over POP3). Reads "WAIT <token>" lines on stdin; for each, polls (a new session each time: USER/PASS,
UIDL, TOP n 0 for messages not seen before, QUIT, then sleep(INTERVAL)) until a message whose Subject
holds the token is there, and prints "FOUND <time.time() in ms>".

Usage: BENCH_POP3_PASSWORD=... python3 poplib_poll.py HOST PORT USER INTERVAL_SECONDS
"""
import os
import poplib
import sys
import time


def main() -> None:
    host, port, user, interval = sys.argv[1], int(sys.argv[2]), sys.argv[3], float(sys.argv[4])
    password = os.environ["BENCH_POP3_PASSWORD"]
    seen: dict[str, str] = {}
    for line in sys.stdin:
        token = line.strip().split(" ", 1)[1]
        while True:
            client = poplib.POP3(host, port, timeout=60)
            client.user(user)
            client.pass_(password)
            _, listing, _ = client.uidl()
            for entry in listing:
                number, uid = entry.decode().split(" ", 1)
                if uid not in seen:
                    _, lines, _ = client.top(int(number), 0)
                    subject = next((l.decode(errors="replace") for l in lines if l.lower().startswith(b"subject:")), "")
                    seen[uid] = subject
            client.quit()
            if any(token in subject for subject in seen.values()):
                print(f"FOUND {time.time() * 1000:.1f}", flush=True)
                break
            time.sleep(interval)


if __name__ == "__main__":
    main()
