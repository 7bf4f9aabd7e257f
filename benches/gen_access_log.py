#!/usr/bin/env python3
"""A large S3 server access log for benchmarks: `gen_access_log.py LINES OUT.log`.

Records in the documented 26-field layout (S3_FACTS.md §8.2), one per 50 ms from 2026-01-01,
80% GET, 10% PUT, 5% HEAD, 5% DELETE over 100,000 keys under 100 prefixes.
"""
import datetime
import random
import sys

def main():
    n, out = int(sys.argv[1]), sys.argv[2]
    rng = random.Random(42)
    start = datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)
    ops = ["REST.GET.OBJECT"] * 16 + ["REST.PUT.OBJECT"] * 2 + ["REST.HEAD.OBJECT", "REST.DELETE.OBJECT"]
    with open(out, "w", buffering=1 << 22) as f:
        rows = []
        last = None
        for i in range(n):
            t = start + datetime.timedelta(milliseconds=50 * i)
            sec = t.replace(microsecond=0)
            if sec != last:
                stamp = sec.strftime("%d/%b/%Y:%H:%M:%S +0000")
                last = sec
            k = rng.randrange(100_000)
            key = f"data/p{k % 100:02d}/object%20{k}.bin"
            op = ops[rng.randrange(20)]
            method = op.split(".")[1]
            sent = "-" if op != "REST.GET.OBJECT" else "4096"
            size = "4096"
            rows.append(
                f'79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be examplebucket [{stamp}] 192.0.2.3 '
                f'79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be 3E57427F3EXAMPLE {op} {key} '
                f'"{method} /examplebucket/{key} HTTP/1.1" 200 - {sent} {size} 70 10 "-" "aws-cli/2.15 Python/3.11" - '
                f'HostIdExample= SigV4 ECDHE-RSA-AES128-GCM-SHA256 AuthHeader examplebucket.s3.us-east-1.amazonaws.com TLSv1.2 - -\n'
            )
            if len(rows) >= 100_000:
                f.write("".join(rows))
                rows.clear()
        f.write("".join(rows))

if __name__ == "__main__":
    main()
