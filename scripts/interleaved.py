#!/usr/bin/env python3
"""Runs JMH benchmarks in interleaved rounds, so that peers are compared on the same machine state.

    scripts/interleaved.py [--rounds 5] [--out results/DIR] [--jmh "-f 1 -wi 2 -i 3"] [GROUP ...]

This machine switches between a fast and a slow period over minutes, and JMH runs a benchmark's forks back to back,
so forks of one benchmark and of its peer can land in different periods. Instead, each round runs one short fork of
every benchmark of every group, peers next to each other; a target's figure is then the ratio within each round, and
the report gives the median of those ratios with their range. Each round of each group is one JMH run writing
ROUND-GROUP.json into the output folder; scripts/bench_report.py reads the folder. `--help` lists the groups; by
default all run but 'gc'.
"""
import argparse
import datetime
import os
import shlex
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# Each group: a JMH include regex and extra arguments (parameters). Peers sit in the same group, so they run in the
# same round, one after the other.
GROUPS = {
    "roundtrip": {"what": "P1, P2, P10: loop-driven round trip, peers and the spin floor",
                  "args": ["RoundTripBenchmark"]},
    "pipeline": {"what": "P3, P10: 1000 no-op tasks in flight, peers", "args": ["PipelineBenchmark"]},
    "ports": {"what": "P17: port-to-port ping-pong between two loops; LinkedTransferQueue, pool round trip, spin floor",
              "args": ["PortPingPongBenchmark|RoundTripBenchmark.(offload|spinFloor)", "-p", "idle=LATENCY,BALANCED"]},
    "streaming": {"what": "P18: 64 Ki small messages, 1 producer -> 1 consumer with backpressure: ports, the pool's"
                            " task stream, a bare JCTools SPSC queue between two spinning threads",
                  "args": ["StreamingBenchmark"]},
    "broadcast": {"what": "fan-out to 4 receiver loops: BroadcastChannel against 4 MessageChannels",
                  "args": ["BroadcastBenchmark"]},
    "transfer": {"what": "4 KiB and 1 MiB round trips between two loops: TransferableBuffer moved, byte[] copied",
                 "args": ["TransferBenchmark"]},
    "realwork": {"what": "P11, P12: loop + a worker per core, 64 SHA-256 tasks in flight, peers",
                 "args": ["RealWorkBenchmark"]},
    "realwork-trusted": {"what": "the same, offload with Isolation.TRUSTED (no copy of the 4 KiB input)",
                         "args": ["RealWorkBenchmark.offload", "-p", "isolation=TRUSTED"]},
    "burst": {"what": "P14: bursts of 256 or 4096 SHA-256 tasks handed to the loop from outside, 64 in flight, peers",
              "args": ["BurstBenchmark"]},
    "burst256": {"what": "P14's own row only: bursts of 256 SHA-256 tasks, 64 in flight, peers",
                 "args": ["BurstBenchmark", "-p", "burst=256", "-p", "work=sha256x1"],
                 "baseline_args": ["BurstBenchmark.offload", "-p", "burst=256", "-p", "work=sha256x1"]},
    "burst256-trusted": {"what": "P14's row, offload with Isolation.TRUSTED (no copy of the 4 KiB input)",
                         "args": ["BurstBenchmark.offload", "-p", "burst=256", "-p", "work=sha256x1",
                                  "-p", "isolation=TRUSTED"]},
    "loopcost": {"what": "P15: the loop's CPU per task and its feed rate, trivial tasks, 256 in flight; no-op, "
                 "4 KiB CHECKED and TRUSTED inputs",
                 "args": ["LoopCostBenchmark"], "baseline_args": ["LoopCostBenchmark"]},
    # P13 is a steady-state figure: in a JVM's first seconds C2 compiles on the same 2 cores and delays any loop's
    # timers, so this group warms up longer (both peers alike); "jmh" replaces the same options of --jmh.
    "responsive": {"what": "P13: loop timer delay while the pool is saturated, peer",
                   "args": ["LoopResponsivenessBenchmark"], "jmh": ["-wi", "6"]},
    "scaling": {"what": "P5: 100 µs CPU tasks, 2 workers against 1", "args": ["CpuBoundScalingBenchmark"]},
    "headofline": {"what": "P6: short tasks beside long ones", "args": ["HeadOfLineBenchmark"]},
    "idle": {"what": "P9: CPU of an idle pool and loop", "args": ["IdleCpuBenchmark"]},
    "gc": {"what": "P4: allocation per task (-prof gc; timings from it are not used)",
           "args": ["PipelineBenchmark.offload", "-prof", "gc"],
           "baseline_args": ["PipelineBenchmark.offload", "-prof", "gc"]},
    # A change that must leave speed as it was (a restructuring): offload alone, against the build before it.
    "change": {"what": "offload's round trip and pipeline, to compare with --baseline",
               "args": ["(RoundTripBenchmark|PipelineBenchmark).offload", "-p", "idle=BALANCED"],
               "baseline_args": ["(RoundTripBenchmark|PipelineBenchmark).offload", "-p", "idle=BALANCED"]},
    "change-ports": {"what": "P17, P18: ports' ping-pong and streaming with their peers, to compare with --baseline",
                     "args": ["PortPingPongBenchmark.ports|StreamingBenchmark.(ports|jctoolsSpsc)"
                              "|RoundTripBenchmark.spinFloor", "-p", "idle=LATENCY,BALANCED"],
                     "baseline_args": ["PortPingPongBenchmark.ports|StreamingBenchmark.ports",
                                       "-p", "idle=LATENCY,BALANCED"]},
    "change-realwork": {"what": "P11's offload and inline (the machine's state), to compare with --baseline",
                        "args": ["RealWorkBenchmark.(offload|inline)", "-p", "work=sha256x1"],
                        "baseline_args": ["RealWorkBenchmark.offload", "-p", "work=sha256x1"]},
    "supervision": {"what": "round trip and pipeline with the supervisor's watchdog, time limits, or neither",
                    "args": ["(RoundTripBenchmark|PipelineBenchmark).offload", "-p", "idle=BALANCED",
                             "-p", "supervision=default,timeouts,off"],
                    "baseline_args": ["(RoundTripBenchmark|PipelineBenchmark).offload", "-p", "idle=BALANCED"]},
}
DEFAULT_GROUPS = [g for g in GROUPS if g not in ("gc", "supervision", "change", "change-realwork", "change-ports",
                                                 "burst256")]


def java25():
    return subprocess.run([os.path.join(ROOT, "scripts", "java25"), "--home"], check=True, capture_output=True,
                          text=True).stdout.strip()


def jmh_options(common, group):
    """The common JMH options with the group's own in place of the same ones (JMH refuses an option given twice)."""
    own = {group[i] for i in range(0, len(group), 2)}
    tokens = shlex.split(common)
    kept = []
    i = 0
    while i < len(tokens):
        if tokens[i] in own:
            i += 2  # the option and its value
        else:
            kept.append(tokens[i])
            i += 1
    return kept + group


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("groups", nargs="*", default=DEFAULT_GROUPS, help="groups to run: " + ", ".join(GROUPS))
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--out", default=os.path.join("results", datetime.datetime.now().strftime("%Y%m%d-%H%M%S")))
    ap.add_argument("--jmh", default="-f 1 -wi 2 -i 3", help="JMH options for every run (one short fork)")
    ap.add_argument("--baseline", help="a benchmarks.jar built from an earlier commit: each group that names "
                    "baseline_args also runs them on it, in the same round (ROUND-GROUP-baseline.json)")
    args = ap.parse_args()
    unknown = [g for g in args.groups if g not in GROUPS]
    if unknown:
        sys.exit(f"unknown group(s): {', '.join(unknown)}; valid: {', '.join(GROUPS)}")
    jar = os.path.join(ROOT, "benchmarks", "target", "benchmarks.jar")
    if not os.path.exists(jar):
        sys.exit(f"{jar} not found: build it first with `mvn -B -DskipTests package`")
    java = os.path.join(java25(), "bin", "java")
    os.makedirs(args.out, exist_ok=True)
    for k in range(1, args.rounds + 1):
        for group in args.groups:
            runs = [(group, jar, GROUPS[group]["args"])]
            if args.baseline and "baseline_args" in GROUPS[group]:
                runs.append((group + "-baseline", args.baseline, GROUPS[group]["baseline_args"]))
                if k % 2 == 0:
                    runs.reverse()  # the baseline first in every other round: a drift within a round favours neither
            for name, jar_path, jmh_args in runs:
                out = os.path.join(args.out, f"round{k}-{name}.json")
                cmd = [java, "-jar", jar_path] + jmh_args + jmh_options(args.jmh, GROUPS[group].get("jmh", []))
                cmd += ["-rf", "json", "-rff", out]
                print(f"[round {k}/{args.rounds}] {name}: {' '.join(shlex.quote(c) for c in cmd)}", flush=True)
                with open(os.path.join(args.out, f"round{k}-{name}.log"), "w") as log:
                    rc = subprocess.run(cmd, stdout=log, stderr=subprocess.STDOUT).returncode
                if rc != 0:
                    sys.exit(f"JMH failed (exit {rc}) in round {k}, run {name}: see {out[:-5]}.log")
    print(f"done: {args.out}; report: python3 scripts/bench_report.py {args.out} --readme README.md "
          f"--svg docs/benchmarks.svg")


if __name__ == "__main__":
    main()
