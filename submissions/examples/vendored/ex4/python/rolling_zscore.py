#!/usr/bin/env python3
"""Rolling z-score anomaly detection on a metric series:
python3 rolling_zscore.py series.txt [window]

One number per line (blank lines and lines starting with '#' are skipped).
For every point after the first `window` (default 8), the mean and the
population standard deviation of the previous `window` points give the
point's z-score; |z| > 3 flags an anomaly. A flat window (std 0) gives no
z-score. Prints one line per scored point, then a summary line."""
import math
import sys

THRESHOLD = 3.0


def mean(xs):
    total = 0.0
    for x in xs:
        total += x
    return total / len(xs)


def pstdev(xs):
    m = mean(xs)
    sq = 0.0
    for x in xs:
        sq += (x - m) * (x - m)
    return math.sqrt(sq / len(xs))


def main():
    window = int(sys.argv[2]) if len(sys.argv) > 2 else 8
    with open(sys.argv[1], encoding="utf-8") as f:
        series = [float(s) for s in (line.strip() for line in f) if s and not s.startswith("#")]
    anomalies = 0
    for i in range(window, len(series)):
        past = series[i - window:i]
        m, s = mean(past), pstdev(past)
        if s == 0.0:
            print(f"{i} {series[i]:.4f} mean {m:.4f} std {s:.4f} z - ok")
            continue
        z = (series[i] - m) / s
        flag = "ANOMALY" if abs(z) > THRESHOLD else "ok"
        anomalies += flag == "ANOMALY"
        print(f"{i} {series[i]:.4f} mean {m:.4f} std {s:.4f} z {z:.3f} {flag}")
    print(f"points {len(series)} scored {max(0, len(series) - window)} anomalies {anomalies}")


if __name__ == "__main__":
    main()
