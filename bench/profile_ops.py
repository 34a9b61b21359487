#!/usr/bin/env python3
"""Sums a libtorch operator profile (the Chrome trace InProcessLimit --profile writes) per
operator: self time (an operator's time minus that of the operators it called), calls and share,
the top N as a Markdown table.

    /usr/bin/python3 bench/profile_ops.py PROFILE.json [--top 12]
"""
import argparse
import json
from collections import defaultdict


def self_times(events):
    """Per thread, complete events ("ph": "X") nest by time: a child's duration is taken out of
    its innermost enclosing parent's."""
    by_thread = defaultdict(list)
    for e in events:
        if e.get("ph") == "X" and "dur" in e:
            by_thread[(e.get("pid"), e.get("tid"))].append(e)
    totals = defaultdict(lambda: [0.0, 0])
    for thread_events in by_thread.values():
        thread_events.sort(key=lambda e: (e["ts"], -e["dur"]))
        stack = []  # [event, self time so far]
        for e in thread_events:
            while stack and e["ts"] >= stack[-1][0]["ts"] + stack[-1][0]["dur"]:
                done, own = stack.pop()
                totals[done["name"]][0] += own
                totals[done["name"]][1] += 1
            if stack:
                stack[-1][1] -= e["dur"]
            stack.append([e, e["dur"]])
        for done, own in stack:
            totals[done["name"]][0] += own
            totals[done["name"]][1] += 1
    return totals


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("profile")
    p.add_argument("--top", type=int, default=12)
    args = p.parse_args()
    trace = json.load(open(args.profile))
    events = trace["traceEvents"] if isinstance(trace, dict) else trace
    totals = self_times(events)
    whole = sum(t for t, _ in totals.values()) or 1
    print("| operator | self time (ms) | calls | share |")
    print("|---|---|---|---|")
    for name, (t, n) in sorted(totals.items(), key=lambda kv: -kv[1][0])[:args.top]:
        print(f"| `{name}` | {t / 1000:.0f} | {n} | {100 * t / whole:.1f} % |")


if __name__ == "__main__":
    main()
