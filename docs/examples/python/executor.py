#!/usr/bin/env python3
"""An executor: carries out what the mediator decided EXECUTE, after checking the mediator signed it.

    executor.py --bootstrap 127.0.0.1:9092 --registry http://127.0.0.1:8081 \\
                --outcome-schema Outcome.avsc --mediator-public-key MCowBQYDK2VwAyEA... \\
                [--actual-cost MICROS] [--expect N] [--timeout SECONDS]

Reads agent.decisions.execute with isolation.level=read_committed, verifies each decision's
Ed25519 signature over its canonical form exactly as docs/SIGNING.md shows, and for each verified
one reports an Outcome (COMPLETED, with --actual-cost if given) to agent.outcomes, keyed by the
intent id. A decision that does not verify is not executed and gets no outcome. Prints one JSON
line per decision; stops after --expect decisions or --timeout seconds. Exit 0 when every decision
read verified and --expect were read.
"""
import argparse
import base64
import json
import sys
import time
import uuid
from datetime import datetime, timedelta, timezone

from confluent_kafka import Consumer, Producer
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.serialization import load_der_public_key

import mediator_wire

# --- verbatim from docs/SIGNING.md, "Python" -------------------------------------------------
EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)

def _string(value):
    if value is None:
        return b"~"
    data = value.encode("utf-8")
    return b"%d:%s" % (len(data), data)

def _instant(value):  # a datetime, as fastavro reads timestamp-millis, or None
    return b"~" if value is None else b"%d" % ((value - EPOCH) // timedelta(milliseconds=1))

def canonical_v1(d):
    lines = [b"agent-mediator-decision-v1"]
    add = lambda name, value: lines.append(name.encode() + b"=" + value)
    add("intentId", _string(d["intentId"]))
    add("agentId", _string(d["agentId"]))
    add("correlationId", _string(d["correlationId"]))
    add("outcome", _string(d["outcome"]))
    add("tier", _string(d["tier"]))
    add("reasons", b"%d" % len(d["reasons"]))
    for reason in d["reasons"]:
        add("reason.code", _string(reason["code"]))
        add("reason.ruleId", _string(reason["ruleId"]))
        add("reason.message", _string(reason["message"]))
    add("policyVersion", _string(d["policyVersion"]))
    add("decidedAt", _instant(d["decidedAt"]))
    add("decidedBy", _string(d["decidedBy"]))
    add("deadline", _instant(d["deadline"]))
    return b"\n".join(lines) + b"\n"

def verify(decision, mediator_key):   # decision: the dict confluent-kafka's AvroDeserializer returns
    if decision["signature"] is None:
        return False
    try:
        mediator_key.verify(decision["signature"], canonical_v1(decision))
        return True
    except InvalidSignature:
        return False
# ----------------------------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bootstrap", required=True)
    parser.add_argument("--registry", required=True)
    parser.add_argument("--outcome-schema", required=True, help="Outcome.avsc")
    parser.add_argument("--mediator-public-key", required=True, help="X.509 base64, as docs/SIGNING.md")
    parser.add_argument("--actual-cost", type=int, default=None, help="actualCostMicros reported for each intent")
    parser.add_argument("--expect", type=int, default=None)
    parser.add_argument("--timeout", type=float, default=60)
    args = parser.parse_args()

    mediator_key = load_der_public_key(base64.b64decode(args.mediator_public_key))
    registry = mediator_wire.Registry(args.registry)
    with open(args.outcome_schema) as schema:
        serialize_outcome = mediator_wire.Writer(registry, "agent.outcomes-value", schema.read())
    consumer = Consumer({"bootstrap.servers": args.bootstrap, "group.id": "python-executor-" + uuid.uuid4().hex,
                         "auto.offset.reset": "earliest", "isolation.level": "read_committed"})
    consumer.subscribe(["agent.decisions.execute"])
    producer = Producer({"bootstrap.servers": args.bootstrap})

    read, forged = 0, 0
    give_up_at = time.monotonic() + args.timeout
    try:
        while (args.expect is None or read < args.expect) and time.monotonic() < give_up_at:
            message = consumer.poll(0.5)
            if message is None:
                continue
            if message.error():
                raise RuntimeError(message.error())
            decision = mediator_wire.read(registry, message.value())
            read += 1
            verified = verify(decision, mediator_key)
            line = {"intentId": decision["intentId"], "agentId": decision["agentId"], "verified": verified}
            if verified:
                outcome = {"intentId": decision["intentId"], "status": "COMPLETED", "actualCostMicros": args.actual_cost,
                           "reportedBy": "python-executor", "detail": None}
                producer.produce("agent.outcomes", key=decision["intentId"].encode("utf-8"), value=serialize_outcome(outcome))
                line["reported"] = "COMPLETED"
            else:
                forged += 1
            print(json.dumps(line), flush=True)
        if producer.flush(30) > 0:
            print("outcomes not delivered", file=sys.stderr)
            return 1
    finally:
        consumer.close()
    if args.expect is not None and read < args.expect:
        print("read %d decisions of %d expected in %ss" % (read, args.expect, args.timeout), file=sys.stderr)
        return 1
    return 1 if forged else 0


if __name__ == "__main__":
    sys.exit(main())
