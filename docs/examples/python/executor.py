#!/usr/bin/env python3
"""An executor: carries out what the mediator decided EXECUTE, after checking the mediator signed it.

    executor.py --bootstrap 127.0.0.1:9092 --registry http://127.0.0.1:8081 \\
                --outcome-schema Outcome.avsc --mediator-public-key [ID=]MCowBQYDK2VwAyEA... \\
                [--executor-id ID --executor-key executor.pem] [--journal FILE] \\
                [--group-prefix PREFIX] [--actual-cost MICROS] [--expect N] [--timeout SECONDS]

Reads agent.decisions.execute with isolation.level=read_committed, verifies each decision's
Ed25519 signature over its canonical form exactly as docs/SIGNING.md shows, and checks that the
decision's intentSha256 is the SHA-256 of an intent it read from agent.intents with that id: it
executes that intent, never one with other bytes (a decision waits for its intent's bytes however many
other records under its id come first), and each intent id at most once, across restarts: what it
carried out is written to --journal before it is reported, so a restarted executor executes nothing
again and re-sends only the outcomes whose delivery it had not seen, with the status it had chosen.
During a rotation of the mediator's key give --mediator-public-key once per key: each decision is
verified with the key its mediator-key-id header names (an ID= given, else the key's fingerprint),
or with each key when it names none of them. For each one it
executes it reports an Outcome (COMPLETED, with --actual-cost if given) to agent.outcomes, keyed by
the intent id, signed with --executor-key as --executor-id. An intent whose expiresAt has passed by
the time its decision is read here (an executor catching up after an outage) is not carried out: it
is reported FAILED, which releases its reservation and its resource holds at once; its expiresAt
says until when the action may start. A decision that does not verify, or
whose signed outcome is not EXECUTE (an escalation or a rejection put on this topic), is not
executed and gets no outcome; nor is one decided longer ago than --journal-days ("stale": the journal may have forgotten
carrying it out, so a copy written again would run twice), nor an agent's decision under an id for which a later one
of the agent's was read ("supersededBy"). Prints one JSON line per decision; stops after --expect decisions or
--timeout seconds. Exit 0 when every decision read verified as an order to execute, none was stale or superseded, and
--expect were read. Both topics are
read in one consumer group named after --group-prefix, so the executors' ACLs of docs/SECURITY.md
(and the Helm chart's executors KafkaUser) are all it needs.
"""
import argparse
import base64
import collections
import hashlib
import json
import os
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
    parser.add_argument("--mediator-public-key", required=True, action="append",
                        help="[ID=]X.509 base64, as docs/SIGNING.md; once per key during a rotation (ID: its signing.key.id)")
    parser.add_argument("--journal", default=None,
                        help="file of the intents carried out and whether their outcome was delivered (default EXECUTOR-ID.journal)")
    parser.add_argument("--journal-days", type=float, default=30,
                        help="how long the journal keeps an intent: at least the retention of agent.decisions.execute (Kafka's default"
                             " 7 days), since every start reads the decisions still on it; a decision made longer ago is refused")
    parser.add_argument("--executor-id", default="python-executor", help="reportedBy: the id the policy lists it under")
    parser.add_argument("--executor-key", default=None, help="its Ed25519 private key, PEM; outcomes are unsigned without it")
    parser.add_argument("--group-prefix", default="agent-executor",
                        help="the consumer group prefix the executors' ACLs allow (strimzi.users.executorsGroupPrefix)")
    parser.add_argument("--actual-cost", type=int, default=None, help="actualCostMicros reported for each intent")
    parser.add_argument("--remember", type=int, default=100000,
                        help="how many intents' digests and waiting decisions are kept; the oldest are forgotten")
    parser.add_argument("--expect", type=int, default=None)
    parser.add_argument("--timeout", type=float, default=60)
    args = parser.parse_args()
    if args.remember < 1:
        parser.error("--remember must be at least 1")

    mediator_keys = {}
    for given in args.mediator_public_key:
        # Base64 has "=" only as its padding, at the end: one before is the ID's.
        key_id, _, encoded = given.partition("=") if "=" in given.rstrip("=") else ("", "", given)
        der = base64.b64decode(encoded)
        mediator_keys[key_id or hashlib.sha256(der).hexdigest()[:16]] = load_der_public_key(der)
    journal = Journal(args.journal or args.executor_id.replace("/", "_") + ".journal", timedelta(days=args.journal_days))
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

    def remember(kept, key, value):
        kept[key] = value
        kept.move_to_end(key)
        while len(kept) > args.remember:
            forgotten, old = kept.popitem(last=False)
            if kept is waiting:
                print("gave up on the decision of %s (agent %s): its intent was not among the last %d read"
                      % (forgotten[0], forgotten[1], args.remember), file=sys.stderr)
    done, forged, undelivered = 0, 0, []
    # A decision is carried out only while the journal would remember it: its decidedAt is signed.
    forgets_before = datetime.now(timezone.utc) - timedelta(days=args.journal_days)
    give_up_at = time.monotonic() + args.timeout

    def outcome_of(decision, status, detail=None):
        # Naming the agent and the intent's digest, the signed outcome counts for this decision only: re-sent once the id
        # is used again, it is refused (ANOTHER_INTENT) instead of settling another intent.
        return {"intentId": decision["intentId"], "status": status,
                "actualCostMicros": args.actual_cost if status == "COMPLETED" else None,
                "reportedBy": args.executor_id, "detail": detail, "agentId": decision["agentId"],
                "intentSha256": decision.get("intentSha256")}

    def report(outcome):
        value = serialize_outcome(outcome)
        headers = []
        if executor_key is not None:
            headers = [("mediator-signature", base64.b64encode(executor_key.sign(value))),
                       ("mediator-key-id", args.executor_id.encode("utf-8"))]

        def delivered(error, message):
            if error is None:
                journal.delivered(outcome["intentId"])
            else:
                undelivered.append((outcome["intentId"], error))
        producer.produce("agent.outcomes", key=outcome["intentId"].encode("utf-8"), value=value, headers=headers,
                         on_delivery=delivered)

    # A restart re-sends what a stop (or a crash) left undelivered, as it was decided: never FAILED for what was carried out.
    for outcome in journal.undelivered():
        report(outcome)

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
                    verified = any(verify(decision, key) for key in keys_named(mediator_keys, message.headers()))
                    # Per agent: ids are unique within an agent only, and another agent's decision under the id is no replay.
                    waits_as = (decision["intentId"], decision["agentId"])
                    kept = waiting.get(waits_as)
                    # An escalation or a rejection is signed as validly: only the signed outcome orders an execution.
                    if verified and decision["outcome"] == "EXECUTE" and decision["decidedAt"] < forgets_before:
                        # The journal may have forgotten carrying it out: a copy re-published after that would run twice.
                        forged += 1
                        done += 1
                        print(json.dumps({"intentId": decision["intentId"], "agentId": decision["agentId"], "verified": True,
                                          "stale": decision["decidedAt"].isoformat(timespec="milliseconds")}), flush=True)
                    elif verified and decision["outcome"] == "EXECUTE" and kept is not None and kept["decidedAt"] >= decision["decidedAt"]:
                        # An earlier decision of the agent's under the id, re-published behind the one waiting, does not take its place.
                        forged += 1
                        done += 1
                        print(json.dumps({"intentId": decision["intentId"], "agentId": decision["agentId"], "verified": True,
                                          "supersededBy": kept["decidedAt"].isoformat(timespec="milliseconds")}), flush=True)
                    elif verified and decision["outcome"] == "EXECUTE":
                        if kept is not None:
                            # Read first, the earlier one is given its line as if it had been read second.
                            forged += 1
                            done += 1
                            print(json.dumps({"intentId": kept["intentId"], "agentId": kept["agentId"], "verified": True,
                                              "supersededBy": decision["decidedAt"].isoformat(timespec="milliseconds")}), flush=True)
                        remember(waiting, waits_as, decision)
                    else:
                        forged += 1
                        done += 1
                        print(json.dumps({"intentId": decision["intentId"], "agentId": decision["agentId"],
                                          "verified": verified, "outcome": decision["outcome"]}), flush=True)
            # Another record under the id (an intent the id named before, a forgery) is no reason to drop the decision: it
            # waits for the bytes it names.
            for waits_as in [w for w in waiting if waiting[w]["intentSha256"] in digests.get(w[0], {})]:
                decision = waiting.pop(waits_as)
                intent_id = waits_as[0]
                line = {"intentId": intent_id, "agentId": decision["agentId"], "verified": True, "digestMatches": True}
                if journal.has(intent_id):
                    line["reported"] = "before"
                else:
                    expires_at = digests[intent_id][decision["intentSha256"]]
                    now = datetime.now(timezone.utc)
                    if expires_at is not None and now >= expires_at:
                        # Too late to start: said so at once, so that its budget and resources are not kept for it.
                        outcome = outcome_of(decision, "FAILED", "not carried out: read at %s, after its expiresAt %s"
                                             % (now.isoformat(timespec="milliseconds"), expires_at.isoformat(timespec="milliseconds")))
                    else:
                        outcome = outcome_of(decision, "COMPLETED")   # the action itself would run here, before the journal
                    journal.carried_out(outcome)
                    report(outcome)
                    line["reported"] = outcome["status"]
                done += 1
                print(json.dumps(line), flush=True)
            producer.poll(0)
        if producer.flush(30) > 0 or undelivered:
            print("outcomes not delivered: %s" % undelivered, file=sys.stderr)
            return 1
    finally:
        consumer.close()
        journal.close()
    for (intent_id, _), decision in waiting.items():
        forged += 1
        print(json.dumps({"intentId": intent_id, "agentId": decision["agentId"], "verified": True, "digestMatches": False,
                          "intentsRead": len(digests.get(intent_id, {}))}), flush=True)
    if args.expect is not None and done < args.expect:
        print("decided on %d decisions of %d expected in %ss" % (done, args.expect, args.timeout), file=sys.stderr)
        return 1
    return 1 if forged else 0


def keys_named(keys, headers):
    """The key a decision's mediator-key-id header names (the last one, if several), else every key: it only picks a key."""
    named = [value.decode("utf-8", "replace") for name, value in (headers or []) if name == "mediator-key-id"]
    return [keys[named[-1]]] if named and named[-1] in keys else list(keys.values())


class Journal:
    """What this executor carried out, one JSON line each, and then that its outcome was delivered.

    An intent is written as carried out before its outcome is sent: a restart finds it, executes nothing again, and re-sends
    the outcome it had chosen if it had not seen it delivered. (An action interrupted between running and being written here
    runs again at the restart: write the journal first where running twice costs more than not running.)
    """

    def __init__(self, path, keep_for):
        self.outcomes = collections.OrderedDict()   # intent id -> outcome chosen
        self.written = {}                           # intent id -> when it was journalled (ISO-8601)
        self.sent = set()                           # intent ids whose outcome was delivered
        try:
            with open(path, encoding="utf-8") as lines:
                for line in lines:
                    if not line.endswith("\n"):
                        break   # the last line of a crash mid-write: its outcome was never sent
                    entry = json.loads(line)
                    if "outcome" in entry:
                        self.outcomes[entry["intentId"]] = entry["outcome"]
                        self.written[entry["intentId"]] = entry["at"]
                    else:
                        self.sent.add(entry["intentId"])
        except FileNotFoundError:
            pass
        # Written anew at each start without what is older than --journal-days: by then its decision has left the topic (a
        # start reads every decision still on it, so one forgotten sooner would run again), and the journal does not grow
        # for ever.
        oldest = (datetime.now(timezone.utc) - keep_for).isoformat()
        for intent_id in [i for i, at in self.written.items() if at < oldest]:
            del self.outcomes[intent_id]
            del self.written[intent_id]
            self.sent.discard(intent_id)
        with open(path + ".new", "w", encoding="utf-8") as fresh:
            for intent_id, outcome in self.outcomes.items():
                fresh.write(json.dumps({"intentId": intent_id, "at": self.written[intent_id], "outcome": outcome}) + "\n")
                if intent_id in self.sent:
                    fresh.write(json.dumps({"intentId": intent_id, "delivered": True}) + "\n")
            fresh.flush()
            os.fsync(fresh.fileno())
        os.replace(path + ".new", path)
        self.file = open(path, "a", encoding="utf-8")

    def has(self, intent_id):
        return intent_id in self.outcomes

    def undelivered(self):
        return [outcome for intent_id, outcome in self.outcomes.items() if intent_id not in self.sent]

    def carried_out(self, outcome):
        at = datetime.now(timezone.utc).isoformat()
        self.outcomes[outcome["intentId"]] = outcome
        self.written[outcome["intentId"]] = at
        self._append({"intentId": outcome["intentId"], "at": at, "outcome": outcome})

    def delivered(self, intent_id):
        self.sent.add(intent_id)
        self._append({"intentId": intent_id, "delivered": True})

    def _append(self, entry):
        self.file.write(json.dumps(entry) + "\n")
        self.file.flush()
        os.fsync(self.file.fileno())

    def close(self):
        self.file.close()

if __name__ == "__main__":
    sys.exit(main())
