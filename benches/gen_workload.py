#!/usr/bin/env python3
"""A large synthetic workload for benchmarks: `gen_workload.py EVENTS OUT.csv [SEED]`.

Keys under 1,000 prefixes, one object per 10 events; time-ordered over six months of 2026; ops about
10% PUT, 70% GET, 10% HEAD, 5% DELETE, 5% LIST; sizes from 1 KB to 64 MB. RFC 3339 timestamps.
Until `s3sim generate` exists (a later issue), benchmarks use this.
"""
import random
import sys
import datetime

def main():
    n = int(sys.argv[1])
    out = sys.argv[2]
    rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 42)
    keys = max(1, n // 10)
    start = datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc).timestamp()
    span = 181 * 86400
    sizes = [1024 * 2 ** i for i in range(17)]
    ops = ["PUT"] * 10 + ["GET"] * 70 + ["HEAD"] * 10 + ["DELETE"] * 5 + ["LIST"] * 5
    fmt = "%Y-%m-%dT%H:%M:%SZ"
    utc = datetime.timezone.utc
    with open(out, "w", buffering=1 << 22) as f:
        f.write("timestamp,op,key,size\n")
        step = span / n
        rows = []
        last_sec = None
        stamp = ""
        for i in range(n):
            sec = int(start + i * step)
            if sec != last_sec:
                stamp = datetime.datetime.fromtimestamp(sec, utc).strftime(fmt)
                last_sec = sec
            k = rng.randrange(keys)
            key = f"p{k % 1000:03d}/obj-{k}"
            op = ops[rng.randrange(100)] if i >= keys else "PUT"
            if op == "PUT":
                rows.append(f"{stamp},PUT,{key},{sizes[rng.randrange(17)]}\n")
            elif op == "LIST":
                rows.append(f"{stamp},LIST,p{k % 1000:03d}/,\n")
            else:
                rows.append(f"{stamp},{op},{key},\n")
            if len(rows) >= 100_000:
                f.write("".join(rows))
                rows.clear()
        f.write("".join(rows))

if __name__ == "__main__":
    main()
