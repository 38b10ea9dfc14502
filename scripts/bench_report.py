#!/usr/bin/env python3
"""Turns JMH results of interleaved rounds into the README's benchmark tables and an SVG chart.

    scripts/bench_report.py RESULTS_DIR [MORE_DIR_OR_JSON ...] [--readme README.md] [--svg docs/benchmarks.svg]

RESULTS_DIR holds the files scripts/interleaved.py writes: roundK-GROUP.json, one short JMH fork of every benchmark
of GROUP in round K. A target compares benchmarks of the same round (peers measured minutes apart on this machine
compare machine states, not code); its figure is the median of the per-round ratios, with their range. The README
section between '<!-- bench:begin -->' and '<!-- bench:end -->' (or another, --section) is replaced. Standard
library only.
"""
import argparse
import datetime
import glob
import html
import json
import os
import re
import statistics
import sys

ROUND_FILE = re.compile(r"round(\d+)-([\w-]+)\.json$")


def load(paths):
    """Rows of every JMH result, each tagged with its round (0 when the file is not a round's)."""
    files = []
    for path in paths:
        files += sorted(glob.glob(os.path.join(path, "*.json"))) if os.path.isdir(path) else [path]
    rows = []
    for path in files:
        m = ROUND_FILE.search(os.path.basename(path))
        with open(path) as f:
            try:
                data = json.load(f)
            except json.JSONDecodeError:
                sys.exit(f"{path}: not JMH JSON")
        for r in data:
            r["_round"] = int(m.group(1)) if m else 0
            r["_group"] = m.group(2) if m else os.path.basename(path)
            r["_baseline"] = r["_group"].endswith("-baseline")
            rows.append(r)
    return rows


def short(r):
    return r["benchmark"].rsplit(".", 2)[-2] + "." + r["benchmark"].rsplit(".", 1)[-1]


def profiled(r):
    return "gc.alloc.rate.norm" in r.get("secondaryMetrics", {})


def rounds(rows):
    return sorted({r["_round"] for r in rows if not profiled(r)})


def find(rows, rnd, name, baseline=False, **params):
    for r in rows:
        if r["_round"] == rnd and short(r) == name and not profiled(r) and r["_baseline"] == baseline and all(
                str(r.get("params", {}).get(k)) == str(v) for k, v in params.items()):
            return r
    return None


def score(r):
    return r["primaryMetric"]["score"] if r else None


def secondary(r, name):
    if not r or name not in r.get("secondaryMetrics", {}):
        return None
    return r["secondaryMetrics"][name]["score"]


def loop_ns(input_kind, metric):
    """A row's value: LoopCostBenchmark's secondary metric (ns per task) for one kind of input."""
    return lambda rows, k: secondary(find(rows, k, "LoopCostBenchmark.offload", input=input_kind), metric)


def ratio(a, b):
    return None if a is None or b is None or b == 0 else a / b


def spread(values):
    """(median, min, max) of the values that are not None, or None."""
    vs = [v for v in values if v is not None]
    return (statistics.median(vs), min(vs), max(vs)) if vs else None


def fmt(x, digits=2):
    if x is None:
        return "n/a"
    if abs(x) >= 1000:
        return f"{x:,.0f}"
    return f"{x:.{digits}f}"


# Each target: (id, what, goal text, test on the median, function(rows, round) -> per-round figure).
def speedup(bench, peer, **params):
    """How many times faster `bench` is than `peer` in a round (scores in time per operation)."""
    return lambda rows, k: ratio(score(find(rows, k, peer, **params)), score(find(rows, k, bench, **params)))


def throughput_ratio(bench, peer):
    return lambda rows, k: ratio(score(find(rows, k, bench)), score(find(rows, k, peer)))


TARGETS = [
    ("P11", "real work, 2.5 µs tasks (SHA-256 of 4 KiB): offload / inline on one thread (× faster)", "≥ 1.8",
     lambda v: v >= 1.8, speedup("RealWorkBenchmark.offload", "RealWorkBenchmark.inline", work="sha256x1",
                                 isolation="CHECKED")),
    ("P11", "same: offload / TPE(cores) + loop (× faster)", "≥ 1.5",
     lambda v: v >= 1.5, speedup("RealWorkBenchmark.offload", "RealWorkBenchmark.tpeLoop", work="sha256x1",
                                 isolation="CHECKED")),
    ("P11", "same: offload / Vert.x executeBlocking (× faster)", "≥ 1.5",
     lambda v: v >= 1.5, speedup("RealWorkBenchmark.offload", "RealWorkBenchmark.vertx", work="sha256x1",
                                 isolation="CHECKED")),
    ("P11", "same: bare threads, no loop / inline (the ceiling on this machine, × faster)", "-",
     None, speedup("RealWorkBenchmark.bareThreads", "RealWorkBenchmark.inline", work="sha256x1")),
    ("P11", "same, offload with Isolation.TRUSTED (input not copied) / inline (× faster)", "-",
     None, lambda rows, k: ratio(score(find(rows, k, "RealWorkBenchmark.inline", work="sha256x1")),
                                 score(find(rows, k, "RealWorkBenchmark.offload", work="sha256x1",
                                            isolation="TRUSTED")))),
    ("P12", "real work, 25 µs tasks: offload / inline (× faster)", "≥ 1.9",
     lambda v: v >= 1.9, speedup("RealWorkBenchmark.offload", "RealWorkBenchmark.inline", work="sha256x10",
                                 isolation="CHECKED")),
    ("P12", "same: bare threads / inline (the ceiling, × faster)", "-",
     None, speedup("RealWorkBenchmark.bareThreads", "RealWorkBenchmark.inline", work="sha256x10")),
    ("P12", "real work, 250 µs tasks: offload / inline (× faster)", "≥ 1.9",
     lambda v: v >= 1.9, speedup("RealWorkBenchmark.offload", "RealWorkBenchmark.inline", work="sha256x100",
                                 isolation="CHECKED")),
    ("P12", "same: bare threads / inline (the ceiling, × faster)", "-",
     None, speedup("RealWorkBenchmark.bareThreads", "RealWorkBenchmark.inline", work="sha256x100")),
    ("P13", "loop timer p99 delay under P11's load, offload, µs", "≤ 100",
     lambda v: v <= 100, lambda rows, k: secondary(find(rows, k, "LoopResponsivenessBenchmark.offload"),
                                                    "timerP99Micros")),
    ("P13", "same, offload / TPE + loop measured the same way", "≤ 1",
     lambda v: v <= 1, lambda rows, k: ratio(
         secondary(find(rows, k, "LoopResponsivenessBenchmark.offload"), "timerP99Micros"),
         secondary(find(rows, k, "LoopResponsivenessBenchmark.tpeLoop"), "timerP99Micros"))),
    ("P1", "no-op round trip, LATENCY / spin floor", "≤ 1.5", lambda v: v <= 1.5,
     lambda rows, k: ratio(score(find(rows, k, "RoundTripBenchmark.offload", idle="LATENCY")),
                           score(find(rows, k, "RoundTripBenchmark.spinFloor")))),
    ("P2", "no-op round trip, BALANCED / spin floor", "≤ 5", lambda v: v <= 5,
     lambda rows, k: ratio(score(find(rows, k, "RoundTripBenchmark.offload", idle="BALANCED")),
                           score(find(rows, k, "RoundTripBenchmark.spinFloor")))),
    ("P2", "no-op round trip, BALANCED / Vert.x executeBlocking", "≤ 0.05", lambda v: v <= 0.05,
     lambda rows, k: ratio(score(find(rows, k, "RoundTripBenchmark.offload", idle="BALANCED")),
                           score(find(rows, k, "RoundTripBenchmark.vertx")))),
    ("P3", "1000 no-op tasks in flight, throughput / Vert.x executeBlocking", "≥ 3", lambda v: v >= 3,
     throughput_ratio("PipelineBenchmark.offload", "PipelineBenchmark.vertx")),
    ("P3", "same / TPE(1) + loop", "≥ 3", lambda v: v >= 3,
     throughput_ratio("PipelineBenchmark.offload", "PipelineBenchmark.tpeLoop")),
    ("P3", "same / bare TPE(1), no loop", "≥ 2", lambda v: v >= 2,
     throughput_ratio("PipelineBenchmark.offload", "PipelineBenchmark.bareTpe")),
    ("P5", "100 µs CPU tasks, 2 workers / 1", "≥ 1.85", lambda v: v >= 1.85,
     lambda rows, k: ratio(score(find(rows, k, "CpuBoundScalingBenchmark.cpuBoundTasks", workers=2, perWorker=8)),
                           score(find(rows, k, "CpuBoundScalingBenchmark.cpuBoundTasks", workers=1, perWorker=8)))),
    ("P6", "short-task p99 on the loop, with / without 1 ms tasks beside", "≤ 2", lambda v: v <= 2,
     lambda rows, k: ratio(secondary(find(rows, k, "HeadOfLineBenchmark.shortTask", longTasks="true"), "loopP99Micros"),
                           secondary(find(rows, k, "HeadOfLineBenchmark.shortTask", longTasks="false"),
                                     "loopP99Micros"))),
    ("P9", "idle pool of 2 + loop, % of one core", "< 1", lambda v: v < 1,
     lambda rows, k: secondary(find(rows, k, "IdleCpuBenchmark.idleCpu", idle="BALANCED"), "totalCpuPercent")),
    ("P10", "no-op round trip, Vert.x / offload BALANCED (× faster)", "> 1", lambda v: v > 1,
     speedup("RoundTripBenchmark.offload", "RoundTripBenchmark.vertx", idle="BALANCED")),
    ("P10", "no-op throughput, offload / Vert.x", "> 1", lambda v: v > 1,
     throughput_ratio("PipelineBenchmark.offload", "PipelineBenchmark.vertx")),
    ("P14", "bursts of 256 SHA-256-of-4-KiB tasks, 64 in flight: offload time per task / bare threads'", "≤ 1.2",
     lambda v: v <= 1.2, lambda rows, k: ratio(
         score(find(rows, k, "BurstBenchmark.offload", burst=256, work="sha256x1", isolation="CHECKED")),
         score(find(rows, k, "BurstBenchmark.bareThreads", burst=256, work="sha256x1", isolation="CHECKED")))),
    ("P14", "same, offload with Isolation.TRUSTED (input not copied) / bare threads'", "-", None,
     lambda rows, k: ratio(
         score(find(rows, k, "BurstBenchmark.offload", burst=256, work="sha256x1", isolation="TRUSTED")),
         score(find(rows, k, "BurstBenchmark.bareThreads", burst=256, work="sha256x1", isolation="CHECKED")))),
    ("P14", "same: offload / TPE(cores) + loop (× faster)", "≥ 1.5", lambda v: v >= 1.5,
     speedup("BurstBenchmark.offload", "BurstBenchmark.tpeLoop", burst=256, work="sha256x1", isolation="CHECKED")),
    ("P14", "same: offload / Vert.x (× faster)", "-", None,
     speedup("BurstBenchmark.offload", "BurstBenchmark.vertx", burst=256, work="sha256x1", isolation="CHECKED")),
    ("P14", "same: offload / inline (× faster)", "-", None,
     speedup("BurstBenchmark.offload", "BurstBenchmark.inline", burst=256, work="sha256x1", isolation="CHECKED")),
    ("P14", "bursts of 4,096: offload time per task / bare threads'", "-", None, lambda rows, k: ratio(
        score(find(rows, k, "BurstBenchmark.offload", burst=4096, work="sha256x1", isolation="CHECKED")),
        score(find(rows, k, "BurstBenchmark.bareThreads", burst=4096, work="sha256x1", isolation="CHECKED")))),
    ("P14", "bursts of 256, 25 µs tasks: offload time per task / bare threads'", "-", None, lambda rows, k: ratio(
        score(find(rows, k, "BurstBenchmark.offload", burst=256, work="sha256x10", isolation="CHECKED")),
        score(find(rows, k, "BurstBenchmark.bareThreads", burst=256, work="sha256x10", isolation="CHECKED")))),
    ("P15", "loop CPU per task, 4 KiB input, CHECKED (copied on submit), ns", "≤ 250", lambda v: v <= 250,
     loop_ns("bytes4k-checked", "loopCpuNsPerTask")),
    ("P15", "a 4 KiB clone() alone, into fresh memory, one thread (the floor of a CHECKED input), ns", "-", None,
     lambda rows, k: score(find(rows, k, "LoopCostBenchmark.copy4kFresh"))),
    ("P15", "the same copy into an array already in a cache, ns", "-", None,
     lambda rows, k: score(find(rows, k, "LoopCostBenchmark.copy4kReused"))),
    ("P15", "same, the input moved (TaskOptions.withMoved), ns", "≤ 250", lambda v: v <= 250,
     loop_ns("bytes4k-moved", "loopCpuNsPerTask")),
    ("P15", "same, Isolation.TRUSTED, ns", "-", None,
     loop_ns("bytes4k-trusted", "loopCpuNsPerTask")),
    ("P15", "loop active time per task (CPU without idle spinning), 4 KiB CHECKED, ns", "-", None,
     loop_ns("bytes4k-checked", "loopActiveNsPerTask")),
    ("P15", "same, the input moved, ns", "≤ 250", lambda v: v <= 250,
     loop_ns("bytes4k-moved", "loopActiveNsPerTask")),
    ("P15", "same, TRUSTED, ns", "-", None,
     loop_ns("bytes4k-trusted", "loopActiveNsPerTask")),
    ("P15", "same, no-op task, ns", "-", None,
     loop_ns("noop", "loopActiveNsPerTask")),
    ("P15", "loop CPU per no-op task, ns", "-", None,
     loop_ns("noop", "loopCpuNsPerTask")),
    ("P15", "feed rate: no-op tasks one loop submits and completes, millions per second", "-", None,
     lambda rows, k: ratio(1e3, score(find(rows, k, "LoopCostBenchmark.offload", input="noop")))),
    ("P15", "feed rate, 4 KiB CHECKED inputs, millions per second", "-", None,
     lambda rows, k: ratio(1e3, score(find(rows, k, "LoopCostBenchmark.offload", input="bytes4k-checked")))),
    ("P17", "port-to-port ping-pong between two loops, LATENCY / spin floor", "≤ 2", lambda v: v <= 2,
     lambda rows, k: ratio(score(find(rows, k, "PortPingPongBenchmark.ports", idle="LATENCY")),
                           score(find(rows, k, "RoundTripBenchmark.spinFloor")))),
    ("P17", "same, BALANCED (the default) / spin floor", "-", None,
     lambda rows, k: ratio(score(find(rows, k, "PortPingPongBenchmark.ports", idle="BALANCED")),
                           score(find(rows, k, "RoundTripBenchmark.spinFloor")))),
    ("P17", "same, LATENCY: ports / the pool's no-op round trip", "-", None,
     lambda rows, k: ratio(score(find(rows, k, "PortPingPongBenchmark.ports", idle="LATENCY")),
                           score(find(rows, k, "RoundTripBenchmark.offload", idle="LATENCY")))),
    ("P17", "same, LATENCY: ports / LinkedTransferQueue hand-off (× faster)", "-", None,
     lambda rows, k: ratio(score(find(rows, k, "PortPingPongBenchmark.transferQueue")),
                           score(find(rows, k, "PortPingPongBenchmark.ports", idle="LATENCY")))),
    ("P18", "streaming 1 → 1, small messages, window 256: ports (LATENCY) throughput / bare JCTools SPSC", "≥ 0.7",
     lambda v: v >= 0.7, lambda rows, k: ratio(
         score(find(rows, k, "StreamingBenchmark.jctoolsSpsc")),
         score(find(rows, k, "StreamingBenchmark.ports", idle="LATENCY")))),
    ("P18", "same, ports BALANCED / bare SPSC", "-", None, lambda rows, k: ratio(
        score(find(rows, k, "StreamingBenchmark.jctoolsSpsc")),
        score(find(rows, k, "StreamingBenchmark.ports", idle="BALANCED")))),
    ("P18", "same, the pool's task stream (LATENCY) / bare SPSC", "-", None, lambda rows, k: ratio(
        score(find(rows, k, "StreamingBenchmark.jctoolsSpsc")),
        score(find(rows, k, "StreamingBenchmark.taskStream", idle="LATENCY")))),
    ("ports", "BroadcastChannel to 4 receivers: time per message / the same over 4 MessageChannels", "-", None,
     lambda rows, k: ratio(score(find(rows, k, "BroadcastBenchmark.broadcast")),
                           score(find(rows, k, "BroadcastBenchmark.ports")))),
    ("ports", "TransferableBuffer moved between two loops: 1 MiB / 4 KiB round trip (1: does not scale)", "-", None,
     lambda rows, k: ratio(score(find(rows, k, "TransferBenchmark.moved", size=1048576)),
                           score(find(rows, k, "TransferBenchmark.moved", size=4096)))),
    ("ports", "1 MiB round trip: copied byte[] / moved buffer", "-", None,
     lambda rows, k: ratio(score(find(rows, k, "TransferBenchmark.copied", size=1048576)),
                           score(find(rows, k, "TransferBenchmark.moved", size=1048576)))),
]


def targets(rows):
    out = []
    ks = rounds(rows)
    for tid, what, goal, test, fn in TARGETS:
        s = spread([fn(rows, k) for k in ks])
        if s:
            out.append((tid, what, s, goal, None if test is None else test(s[0])))
    alloc = [secondary(r, "gc.alloc.rate.norm") for r in rows
             if profiled(r) and short(r) == "PipelineBenchmark.offload" and not r["_baseline"]]
    if alloc:
        s = spread(alloc)
        # JMH's own per-iteration allocations add a fraction of a byte per op; objects come in 8-byte steps.
        out.append(("P4", "allocation per no-op task, B/op (all threads, -prof gc)", s, "≤ 128", round(s[0]) <= 128))
    return out


def regressions(rows):
    """(what, (median, lo, hi)) of this build against the baseline build, per round: >1 means this build is slower."""
    out = []
    ks = rounds(rows)
    for bench, unit_time in (("RoundTripBenchmark.offload", True), ("PipelineBenchmark.offload", False)):
        extra = {"idle": "BALANCED"} if bench.startswith("RoundTrip") else {}
        for sup in ("default", "timeouts", "off"):
            def fig(k, sup=sup, bench=bench, extra=extra, unit_time=unit_time):
                now = score(find(rows, k, bench, supervision=sup, **extra))
                before = score(find(rows, k, bench, baseline=True, **extra))
                return ratio(now, before) if unit_time else ratio(before, now)
            s = spread([fig(k) for k in ks])
            if s:
                out.append((f"{bench}, supervision={sup}: time per task, this build / before", s))
    # Real work against the baseline, which runs its default isolation (CHECKED) only.
    for bench, params, what in (("BurstBenchmark.offload", {"burst": 256, "work": "sha256x1"}, "burst=256"),
                                ("RealWorkBenchmark.offload", {"work": "sha256x1"},
                                 "work=sha256x1 (the steady stream)")):
        s = spread([ratio(score(find(rows, k, bench, isolation="CHECKED", **params)),
                          score(find(rows, k, bench, baseline=True, **params))) for k in ks])
        if s:
            out.append((f"{bench}, {what}: time per task, this build / before", s))
    for input_kind in ("noop", "bytes4k-checked", "bytes4k-trusted", "bytes4k-moved"):
        def cpu(k, baseline, input_kind=input_kind):
            return secondary(find(rows, k, "LoopCostBenchmark.offload", baseline=baseline, input=input_kind),
                             "loopCpuNsPerTask")
        s = spread([ratio(cpu(k, False), cpu(k, True)) for k in ks])
        if s:
            out.append((f"LoopCostBenchmark.offload, input={input_kind}: loop CPU per task, this build / before", s))
    for bench, what in (("PortPingPongBenchmark.ports", "time per round trip"),
                        ("StreamingBenchmark.ports", "time per message")):
        for idle in ("LATENCY", "BALANCED"):
            s = spread([ratio(score(find(rows, k, bench, idle=idle)), score(find(rows, k, bench, baseline=True,
                                                                                  idle=idle))) for k in ks])
            if s:
                out.append((f"{bench}, idle={idle}: {what}, this build / before", s))
    return out


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown CPU"


def markdown(rows, date):
    timed = [r for r in rows if not profiled(r)] or rows
    first = timed[0]
    ks = rounds(rows)
    flags = (f"JMH {first.get('jmhVersion', '?')}, {first['forks']} fork × {first['warmupIterations']} × "
             f"{first['warmupTime']} warm-up, {first['measurementIterations']} × {first['measurementTime']} "
             f"measurement")
    other = sorted({(r["benchmark"].rsplit(".", 2)[-2], r["warmupIterations"], r["warmupTime"]) for r in timed
                    if (r["warmupIterations"], r["warmupTime"]) != (first["warmupIterations"], first["warmupTime"])})
    if other:
        flags += " (" + "; ".join(f"{c}: {n} × {t} warm-up" for c, n, t in other) + ")"
    lines = [
        f"Measured {date} on {cpu_model()}, {os.cpu_count()} cores, JDK {first.get('jdkVersion', '?')} "
        f"({first.get('vmName', '')}), {flags} per benchmark per round, in {len(ks)} interleaved rounds "
        "(`scripts/interleaved.py`): each round runs every benchmark once, peers next to each other, and a target's "
        "figure is the median of its per-round ratios, with their range."
        + (" P4 comes from a `-prof gc` run." if any(profiled(r) for r in rows) else "")
        + " Generated by `scripts/bench_report.py`.",
        "",
        "| target | what | median | range over rounds | goal | met |",
        "|---|---|---|---|---|---|",
    ]
    for tid, what, (med, lo, hi), goal, met in targets(rows):
        verdict = "-" if met is None else "yes" if met else "**no**"
        lines.append(f"| {tid} | {what} | {fmt(med)} | {fmt(lo)} – {fmt(hi)} | {goal} | {verdict} |")
    regress = regressions(rows)
    if regress:
        lines += ["", "Against the build before this change, same rounds (above 1: slower now):", "",
                  "| what | median | range over rounds |", "|---|---|---|"]
        for what, (med, lo, hi) in regress:
            lines.append(f"| {what} | {fmt(med)} | {fmt(lo)} – {fmt(hi)} |")
    lines += ["", "| benchmark | params | median | per-round scores | unit |", "|---|---|---|---|---|"]
    keys = {}
    for r in (r for r in timed if not r["_baseline"]):
        params = ", ".join(f"{k}={v}" for k, v in sorted(r.get("params", {}).items()))
        keys.setdefault((short(r), params, r["primaryMetric"]["scoreUnit"]), {})[r["_round"]] = r
    for (name, params, unit), by_round in sorted(keys.items()):
        scores = [score(by_round[k]) for k in sorted(by_round)]
        aux = ""
        p99 = [secondary(by_round[k], "timerP99Micros") for k in sorted(by_round)]
        if any(v is not None for v in p99):
            aux = f" (timer p99 µs: {', '.join(fmt(v) for v in p99)})"
        lines.append(f"| {name} | {params} | {fmt(statistics.median(scores))} | "
                     f"{', '.join(fmt(s) for s in scores)}{aux} | {unit} |")
    return "\n".join(lines)


def svg(rows):
    """Bars: real work with 2.5 µs tasks, nanoseconds per task (median over rounds), lower is better."""
    bars = []
    for variant in ("inline", "bareThreads", "offload", "tpeLoop", "forkJoinLoop", "vertx"):
        extra = {"isolation": "CHECKED"} if variant == "offload" else {}
        values = [score(find(rows, k, "RealWorkBenchmark." + variant, work="sha256x1", **extra)) for k in rounds(rows)]
        s = spread(values)
        if s:
            bars.append((variant, s[0]))
    if not bars:
        return None
    width, left, bar_h, gap = 720, 150, 22, 8
    height = 40 + len(bars) * (bar_h + gap)
    top = max(b[1] for b in bars)
    scale = (width - left - 90) / top
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" '
             f'font-size="12"><text x="10" y="20" font-weight="bold">Loop + a worker per core, SHA-256 of 4 KiB per '
             f'task, 64 in flight: ns per task (lower is better)</text>']
    for i, (label, value) in enumerate(bars):
        y = 34 + i * (bar_h + gap)
        w = max(2, scale * value)
        color = "#2b7bb9" if label == "offload" else "#999999"
        parts.append(f'<text x="10" y="{y + 15}">{html.escape(label)}</text>'
                     f'<rect x="{left}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="{color}"/>'
                     f'<text x="{left + w + 6:.1f}" y="{y + 15}">{fmt(value, 0)}</text>')
    parts.append("</svg>")
    return "\n".join(parts)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("results", nargs="+", help="folders from scripts/interleaved.py, or JMH JSON files")
    ap.add_argument("--readme")
    ap.add_argument("--svg")
    ap.add_argument("--date", default=datetime.date.today().isoformat())
    ap.add_argument("--section", default="bench",
                    help="the README section to replace: '<!-- SECTION:begin -->' ... '<!-- SECTION:end -->'")
    args = ap.parse_args()
    rows = load(args.results)
    if not rows:
        sys.exit("no JMH results in " + ", ".join(args.results))
    table = markdown(rows, args.date)
    if args.svg:
        chart = svg(rows)
        if chart:
            os.makedirs(os.path.dirname(args.svg) or ".", exist_ok=True)
            with open(args.svg, "w") as f:
                f.write(chart + "\n")
            table += f"\n\n![real work chart]({args.svg})"
    if args.readme:
        with open(args.readme) as f:
            text = f.read()
        sec = re.escape(args.section)
        new, n = re.subn(rf"(<!-- {sec}:begin -->\n).*?(<!-- {sec}:end -->)",
                         lambda m: m.group(1) + table + "\n" + m.group(2), text, flags=re.S)
        if n != 1:
            sys.exit(f"{args.readme} needs exactly one '<!-- {args.section}:begin -->' ... "
                     f"'<!-- {args.section}:end -->' section")
        with open(args.readme, "w") as f:
            f.write(new)
    else:
        print(table)


if __name__ == "__main__":
    main()
