#!/usr/bin/env python3
"""Summarises a JFR recording of a benchmark by top frames, for BENCHMARKS.md.

Why: JDK 17's `jfr` tool prints events but does not aggregate them. This reads
`jfr print --json` and keeps the samples of JMH's benchmark thread only (JMH's own
threads and the JVM's are not the system under test).

CPU (default): jdk.ExecutionSample (running Java) and jdk.NativeMethodSample (in
native code, such as RocksDB through JNI), one count per sample.
--allocations: jdk.ObjectAllocationSample, weighted by the bytes each stands for.

Two tables:
  self       the frame on top of the stack, as a share of all samples
  component  the share of samples a component's frame was anywhere on the stack;
             components are the frames matching --focus (by default the parts of a
             decision and of a record's way through the topology)

Usage: jfr-top-frames.py RECORDING.jfr [--allocations] [--top N] [--focus REGEX]
"""
import argparse
import collections
import json
import re
import subprocess

COMPONENTS = r"\.(" + "|".join([
    r"AgentGate\.process", r"IntentDecoder\.process", r"GateDecider\.decide",
    r"CompiledRules\.evaluate", r"CelValueConverter\.mapContainer", r"CapabilitiesCheck\.check",
    r"BudgetLedger\.(tryReserve|usage|prune)", r"Money\.format", r"WindowCalendar\.windowAt",
    r"CaseFiles\.decided", r"DecisionFactory\.decide", r"InMemoryGateState\.apply",
    r"BudgetLedgerSerde\.(read|write)", r"AvroSerializer\.serialize", r"AvroDeserializer\.deserialize",
    r"InMemorySchemaRegistry\.register", r"MeteredKeyValueStore\.(get|put)", r"MeteredWindowStore\.(fetch|put)",
    r"RocksDB\.(get|put|iterator|flush|open)", r"StreamTask\.(prepareCommit|postCommit)",
    r"TopologyTestDriver\.captureOutputsAndReEnqueueInternalResults", r"TestOutputTopic\.readRecordsToList",
]) + r")$"


def frame_name(frame):
    method = frame["method"]
    return method["type"]["name"].replace("/", ".") + "." + method["name"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("recording")
    parser.add_argument("--allocations", action="store_true")
    parser.add_argument("--top", type=int, default=20)
    parser.add_argument("--focus", default=COMPONENTS)
    args = parser.parse_args()

    events = "jdk.ObjectAllocationSample" if args.allocations else "jdk.ExecutionSample,jdk.NativeMethodSample"
    printed = subprocess.run(["jfr", "print", "--json", "--stack-depth", "256", "--events", events, args.recording],
                             check=True, capture_output=True, text=True).stdout
    focus = re.compile(args.focus)

    self_weight = collections.Counter()
    components = collections.Counter()
    total = 0
    for event in json.loads(printed)["recording"]["events"]:
        values = event["values"]
        thread = (values.get("sampledThread") or values.get("eventThread") or {}).get("javaName") or ""
        frames = (values.get("stackTrace") or {}).get("frames") or []
        if "jmh-worker" not in thread or not frames:
            continue
        weight = values.get("weight", 1) if args.allocations else 1
        total += weight
        self_weight[frame_name(frames[0])] += weight
        for name in {frame_name(f) for f in frames if focus.search(frame_name(f))}:
            components[name] += weight

    unit = "bytes" if args.allocations else "samples"
    print(f"{events}: {total} {unit} on the benchmark thread")
    for title, counter in (("self", self_weight), ("component", components)):
        print(f"\n{title} (top {args.top}):")
        for name, weight in counter.most_common(args.top):
            print(f"  {100.0 * weight / total:5.1f}%  {name}")


if __name__ == "__main__":
    main()
