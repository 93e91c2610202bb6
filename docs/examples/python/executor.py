#!/usr/bin/env python3
"""An executor: carries out what the mediator decided EXECUTE, after checking the mediator signed it.

    executor.py --bootstrap 127.0.0.1:9092 --registry http://127.0.0.1:8081 \\
                --outcome-schema Outcome.avsc --mediator-public-key MCowBQYDK2VwAyEA... \\
                [--executor-id ID --executor-key executor.pem] \\
                [--group-prefix PREFIX] [--actual-cost MICROS] [--expect N] [--timeout SECONDS]

Reads agent.decisions.execute with isolation.level=read_committed, verifies each decision's
Ed25519 signature over its canonical form exactly as docs/SIGNING.md shows, and checks that the
decision's intentSha256 is the SHA-256 of an intent it read from agent.intents with that id: it
executes that intent, never one with other bytes, and each intent id at most once. For each one it
executes it reports an Outcome (COMPLETED, with --actual-cost if given) to agent.outcomes, keyed by
the intent id, signed with --executor-key as --executor-id. An intent whose expiresAt has passed by
the time its decision is read here (an executor catching up after an outage) is not carried out: it
is reported FAILED, which releases its reservation and its resource holds at once; its expiresAt
says until when the action may start. A decision that does not verify, or
whose signed outcome is not EXECUTE (an escalation or a rejection put on this topic), is not
executed and gets no outcome. Prints one JSON line per decision; stops after --expect decisions or
--timeout seconds. Exit 0 when every decision read verified as an order to execute and --expect were read. Both topics are
read in one consumer group named after --group-prefix, so the executors' ACLs of docs/SECURITY.md
(and the Helm chart's executors KafkaUser) are all it needs.
"""
import argparse
import base64
import collections
import hashlib
import json
import sys
import time
import urllib.error
import uuid
from datetime import datetime, timedelta, timezone

from confluent_kafka import Consumer, Producer
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.serialization import load_der_public_key, load_pem_private_key

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

def _long(value):
    return b"~" if value is None else b"%d" % value

BOUND = ("intentSha256", "action", "target", "costMicros", "commitmentMicros")

def canonical(d, version):
    lines = [b"agent-mediator-decision-v%d" % version]
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
    if version == 2:
        add("intentSha256", _string(d.get("intentSha256")))
        add("action", _string(d.get("action")))
        add("target", _string(d.get("target")))
        add("costMicros", _long(d.get("costMicros")))
        add("commitmentMicros", _long(d.get("commitmentMicros")))
    return b"\n".join(lines) + b"\n"

def verify(decision, mediator_key):   # decision: the dict confluent-kafka's AvroDeserializer returns
    if decision["signature"] is None:
        return False
    # version 1 only for a decision from before version 2: one that binds no intent
    versions = (2, 1) if all(decision.get(name) is None for name in BOUND) else (2,)
    for version in versions:
        try:
            mediator_key.verify(decision["signature"], canonical(decision, version))
            return True
        except InvalidSignature:
            pass
    return False
# ----------------------------------------------------------------------------------------------


def readable_intent(registry, message):
    """The intent a record of agent.intents holds, or None when its bytes are not one.

    The mediator dead-letters what it cannot read (JSON, a null value, an unknown schema id, corrupt
    Avro), so no decision names such a record: it is skipped, or one bad record on the topic would stop
    this executor at every start. A registry that cannot be reached is not a bad record: that raises.
    """
    try:
        return mediator_wire.read(registry, message.value())
    except urllib.error.HTTPError as refused:
        if refused.code != 404:
            raise
        problem = refused
    except urllib.error.URLError:
        raise
    except Exception as unreadable:  # noqa: BLE001 -- whatever else is wrong with the bytes, they are no intent
        problem = unreadable
    print("skipping %s-%d@%d: not a readable intent (%s)" % (message.topic(), message.partition(), message.offset(), problem),
          file=sys.stderr, flush=True)
    return None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bootstrap", required=True)
    parser.add_argument("--registry", required=True)
    parser.add_argument("--outcome-schema", required=True, help="Outcome.avsc")
    parser.add_argument("--mediator-public-key", required=True, help="X.509 base64, as docs/SIGNING.md")
    parser.add_argument("--executor-id", default="python-executor", help="reportedBy: the id the policy lists it under")
    parser.add_argument("--executor-key", default=None, help="its Ed25519 private key, PEM; outcomes are unsigned without it")
    parser.add_argument("--group-prefix", default="agent-executor",
                        help="the consumer group prefix the executors' ACLs allow (strimzi.users.executorsGroupPrefix)")
    parser.add_argument("--actual-cost", type=int, default=None, help="actualCostMicros reported for each intent")
    parser.add_argument("--remember", type=int, default=100000,
                        help="how many intents' digests, waiting decisions and executed ids are kept; the oldest are forgotten")
    parser.add_argument("--expect", type=int, default=None)
    parser.add_argument("--timeout", type=float, default=60)
    args = parser.parse_args()
    if args.remember < 1:
        parser.error("--remember must be at least 1")

    mediator_key = load_der_public_key(base64.b64decode(args.mediator_public_key))
    executor_key = None
    if args.executor_key:
        with open(args.executor_key, "rb") as pem:
            executor_key = load_pem_private_key(pem.read(), password=None)
    registry = mediator_wire.Registry(args.registry)
    with open(args.outcome_schema) as schema:
        serialize_outcome = mediator_wire.Writer(registry, "agent.outcomes-value", schema.read())
    consumer = Consumer({"bootstrap.servers": args.bootstrap, "group.id": "%s-python-%s" % (args.group_prefix, uuid.uuid4().hex),
                         "auto.offset.reset": "earliest", "isolation.level": "read_committed"})
    # The intents too: a decision is executed only for the intent bytes its intentSha256 names.
    consumer.subscribe(["agent.decisions.execute", "agent.intents"])
    producer = Producer({"bootstrap.servers": args.bootstrap})

    # Each bounded, oldest first out: a running executor reads every intent, most of which no decision to execute names
    # (rejected, escalated), and would otherwise keep them all.
    digests = collections.OrderedDict()     # intent id -> {SHA-256 of each value read with that id: its expiresAt or None}
    waiting = collections.OrderedDict()     # intent id -> verified decision whose intent has not been read yet
    executed = collections.OrderedDict()    # an intent id is executed at most once (within the last --remember)

    def remember(kept, key, value):
        kept[key] = value
        kept.move_to_end(key)
        while len(kept) > args.remember:
            forgotten, old = kept.popitem(last=False)
            if kept is waiting:
                print("gave up on the decision of %s: its intent was not among the last %d read" % (forgotten, args.remember),
                      file=sys.stderr)
    done, forged = 0, 0
    give_up_at = time.monotonic() + args.timeout

    def report(decision, status, detail=None):
        # Naming the agent and the intent's digest, the signed outcome counts for this decision only: re-sent once the id
        # is used again, it is refused (ANOTHER_INTENT) instead of settling another intent.
        outcome = {"intentId": decision["intentId"], "status": status,
                   "actualCostMicros": args.actual_cost if status == "COMPLETED" else None,
                   "reportedBy": args.executor_id, "detail": detail, "agentId": decision["agentId"],
                   "intentSha256": decision.get("intentSha256")}
        value = serialize_outcome(outcome)
        headers = []
        if executor_key is not None:
            headers = [("mediator-signature", base64.b64encode(executor_key.sign(value))),
                       ("mediator-key-id", args.executor_id.encode("utf-8"))]
        producer.produce("agent.outcomes", key=decision["intentId"].encode("utf-8"), value=value, headers=headers)

    try:
        while (args.expect is None or done < args.expect) and time.monotonic() < give_up_at:
            message = consumer.poll(0.5)
            if message is not None:
                if message.error():
                    raise RuntimeError(message.error())
                if message.topic() == "agent.intents":
                    intent = readable_intent(registry, message)
                    if intent is None:
                        continue
                    remember(digests, intent["intentId"], {**digests.get(intent["intentId"], {}),
                                                           hashlib.sha256(message.value()).hexdigest(): intent.get("expiresAt")})
                else:
                    decision = mediator_wire.read(registry, message.value())
                    verified = verify(decision, mediator_key)
                    # An escalation or a rejection is signed as validly: only the signed outcome orders an execution.
                    if verified and decision["outcome"] == "EXECUTE":
                        remember(waiting, decision["intentId"], decision)
                    else:
                        forged += 1
                        done += 1
                        print(json.dumps({"intentId": decision["intentId"], "agentId": decision["agentId"],
                                          "verified": verified, "outcome": decision["outcome"]}), flush=True)
            for intent_id in [i for i in waiting if i in digests]:
                decision = waiting.pop(intent_id)
                line = {"intentId": intent_id, "agentId": decision["agentId"], "verified": True,
                        "digestMatches": decision["intentSha256"] in digests[intent_id]}
                if not line["digestMatches"]:
                    forged += 1
                elif intent_id not in executed:
                    remember(executed, intent_id, True)
                    expires_at = digests[intent_id][decision["intentSha256"]]
                    now = datetime.now(timezone.utc)
                    if expires_at is not None and now >= expires_at:
                        # Too late to start: said so at once, so that its budget and resources are not kept for it.
                        report(decision, "FAILED", "not carried out: read at %s, after its expiresAt %s"
                               % (now.isoformat(timespec="milliseconds"), expires_at.isoformat(timespec="milliseconds")))
                        line["reported"] = "FAILED"
                    else:
                        report(decision, "COMPLETED")
                        line["reported"] = "COMPLETED"
                done += 1
                print(json.dumps(line), flush=True)
        if producer.flush(30) > 0:
            print("outcomes not delivered", file=sys.stderr)
            return 1
    finally:
        consumer.close()
    if args.expect is not None and done < args.expect:
        print("decided on %d decisions of %d expected in %ss" % (done, args.expect, args.timeout), file=sys.stderr)
        return 1
    return 1 if forged else 0

if __name__ == "__main__":
    sys.exit(main())
