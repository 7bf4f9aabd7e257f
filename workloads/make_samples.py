#!/usr/bin/env python3
"""Writes the bundled sample workloads (deterministic: fixed seeds).

    python3 workloads/make_samples.py

Small on purpose (a few thousand events each) so that `s3sim run` with no arguments finishes in
a second. `s3sim generate` (a later issue) will replace this script.
"""
import math
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))
DAY = 86400
JAN_1_2026 = 1767225600  # 2026-01-01T00:00:00Z


def iso(t):
    import datetime
    return datetime.datetime.fromtimestamp(t, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def write(name, header, rows):
    rows.sort(key=lambda r: r[0])
    with open(os.path.join(HERE, name), "w") as f:
        f.write(header)
        for r in rows:
            f.write(",".join([iso(r[0])] + [str(x) for x in r[1:]]) + "\n")


def web_assets():
    """Images and scripts: steady uploads Jan-Mar, reads that decay with age (half-life ~7 days)."""
    rng = random.Random(1)
    rows = []
    for i in range(400):
        created = JAN_1_2026 + int(rng.uniform(0, 90 * DAY))
        size = int(math.exp(rng.gauss(math.log(200 * 1024), 1.0)))
        key = f"assets/{i % 8}/img-{i:04d}.jpg"
        rows.append((created, "PUT", key, size, ""))
        end = JAN_1_2026 + 181 * DAY
        if rng.random() < 0.1:
            end = created + int(rng.uniform(5, 40) * DAY)
            rows.append((end, "DELETE", key, "", ""))
        reads = int(rng.expovariate(1 / 6)) + 1
        for _ in range(reads):
            age = rng.expovariate(math.log(2) / (7 * DAY))
            t = created + 1 + int(age)
            if t < end:
                rows.append((t, "GET", key, "", ""))
    write("web-assets.csv", "timestamp,op,key,size,storage_class\n", rows)


def logs():
    """Application logs: 12 objects a day for 4 months, a third under 128 KB, read in the first days
    and, rarely, months later (an audit that hits archived logs)."""
    rng = random.Random(2)
    rows = []
    for d in range(120):
        day = JAN_1_2026 + d * DAY
        for n in range(12):
            t = day + n * 7200 + rng.randrange(3600)
            path = iso(day)[:10].replace("-", "/")
            key = f"logs/{path}/app-{n:02d}.log.gz"
            size = rng.randrange(16 * 1024, 120 * 1024) if n % 3 == 0 else rng.randrange(256 * 1024, 8 * 1024 * 1024)
            rows.append((t, "PUT", key, size, "type=app"))
            if rng.random() < 0.4:
                rows.append((t + int(rng.uniform(0.1, 3) * DAY), "GET", key, "", ""))
            if rng.random() < 0.01:
                rows.append((t + int(rng.uniform(100, 170) * DAY), "GET", key, "", ""))
        if d % 7 == 0:
            rows.append((day + 3600, "LIST", f"logs/{iso(day)[:7].replace('-', '/')}/", "", ""))
    write("logs.csv", "timestamp,op,key,size,tags\n", rows)


def backups():
    """Nightly database dumps of 2-3 GB kept for 35 days, then deleted by the backup tool."""
    rng = random.Random(3)
    rows = []
    for d in range(150):
        t = JAN_1_2026 + d * DAY + 2 * 3600
        key = f"backups/db/{iso(t)[:10]}.dump"
        size = rng.randrange(2 << 30, 3 << 30)
        rows.append((t, "PUT", key, size, ""))
        if d + 35 < 180:
            rows.append((t + 35 * DAY, "DELETE", key, "", ""))
        if d % 30 == 10:
            rows.append((t + 20 * DAY, "GET", key, "", ""))  # a restore drill
    write("backups.csv", "timestamp,op,key,size,tags\n", [r[:4] + ("",) for r in rows])


if __name__ == "__main__":
    web_assets()
    logs()
    backups()
