#!/usr/bin/env python3
"""Runs the P16 warm-up probe for offload and inline in alternate fresh JVMs, and compares them round by round.

    scripts/warmup.py [--rounds 5] [--seconds 10] [--isolation CHECKED|TRUSTED] [--out results/DIR]

Each run is `java -cp benchmarks/target/benchmarks.jar dev.offload.bench.WarmupProbe VARIANT SECONDS ISOLATION` with
the JDK that `scripts/java25 --home` names, one JVM per run, one run at a time; the order of the two flips every other
round, so that a drift of the machine within a round favours neither. Per round it prints both variants' time to
steady state and microseconds per task over the first second, and the ratios offload/inline; at the end, the median
ratio and its range (P16: offload's time to steady state within 2 times inline's). With --out, each run's output is
kept as roundK-VARIANT.txt. --isolation is offload's (CHECKED, the default, copies each 4 KiB input on submit;
TRUSTED passes it as is). Standard library only.
"""
import argparse
import os
import statistics
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VARIANTS = ("offload", "inline")
PROBE = "dev.offload.bench.WarmupProbe"


def java25():
    return subprocess.run([os.path.join(ROOT, "scripts", "java25"), "--home"], check=True, capture_output=True,
                          text=True).stdout.strip()


def summary(output):
    """The key=value pairs of the probe's 'summary' line."""
    for line in output.splitlines():
        if line.startswith("summary "):
            return dict(pair.split("=", 1) for pair in line.split()[1:])
    return None


def run(java, jar, variant, seconds, isolation, timeout):
    cmd = [java, "-cp", jar, PROBE, variant, str(seconds), isolation]
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        sys.exit(f"the probe did not end within {timeout} s: {' '.join(cmd)}")
    if done.returncode != 0:
        sys.exit(f"the probe failed (exit {done.returncode}): {' '.join(cmd)}\n{done.stdout}{done.stderr}")
    found = summary(done.stdout)
    if found is None:
        sys.exit(f"the probe printed no summary line: {' '.join(cmd)}\n{done.stdout}")
    return found, done.stdout


def ratio(a, b):
    return a / b if b else float("nan")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--seconds", type=int, default=10, help="seconds per run (at least 3)")
    ap.add_argument("--isolation", choices=("CHECKED", "TRUSTED"), default="CHECKED", help="offload's isolation")
    ap.add_argument("--out", help="a folder for each run's full output")
    args = ap.parse_args()
    jar = os.path.join(ROOT, "benchmarks", "target", "benchmarks.jar")
    if not os.path.exists(jar):
        sys.exit(f"{jar} not found: build it first with `mvn -B -DskipTests package`")
    java = os.path.join(java25(), "bin", "java")
    if args.out:
        os.makedirs(args.out, exist_ok=True)
    timeout = args.seconds + 60  # JVM start, the pool's build and its bounded close
    print(f"{'round':>5} {'offload steady ms':>17} {'inline steady ms':>16} {'ratio':>6}   "
          f"{'offload 1st s µs':>16} {'inline 1st s µs':>15} {'ratio':>6}", flush=True)
    steady_ratios, first_ratios = [], []
    for k in range(1, args.rounds + 1):
        order = VARIANTS if k % 2 == 1 else tuple(reversed(VARIANTS))
        got = {}
        for variant in order:
            got[variant], output = run(java, jar, variant, args.seconds, args.isolation, timeout)
            if args.out:
                with open(os.path.join(args.out, f"round{k}-{variant}.txt"), "w") as f:
                    f.write(output)
        o, i = got["offload"], got["inline"]
        steady = ratio(float(o["timeToSteadyMs"]), float(i["timeToSteadyMs"]))
        first = ratio(float(o["firstSecondUsPerTask"]), float(i["firstSecondUsPerTask"]))
        steady_ratios.append(steady)
        first_ratios.append(first)
        print(f"{k:>5} {float(o['timeToSteadyMs']):>17.0f} {float(i['timeToSteadyMs']):>16.0f} {steady:>6.2f}   "
              f"{float(o['firstSecondUsPerTask']):>16.3f} {float(i['firstSecondUsPerTask']):>15.3f} {first:>6.2f}",
              flush=True)
    print(f"time to steady state, offload/inline: median {statistics.median(steady_ratios):.2f} "
          f"(range {min(steady_ratios):.2f}-{max(steady_ratios):.2f}); P16 target <= 2")
    print(f"µs per task over the first second, offload/inline: median {statistics.median(first_ratios):.2f} "
          f"(range {min(first_ratios):.2f}-{max(first_ratios):.2f})")


if __name__ == "__main__":
    main()
