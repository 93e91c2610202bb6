#!/usr/bin/env python3
"""executor.py's own tests: its main() over topics held in memory, its outcomes captured, its journal in a temporary folder.

    python3 docs/examples/python/test_executor.py

Stand-ins replace confluent_kafka (a consumer reading the records a test lists, in that order; a producer that delivers or
fails as the test says) and mediator_wire (records map to the dicts a test made); the signatures are real Ed25519.
PythonClientsIT runs this file, and executor.py against a real broker and mediator.
"""
import base64
import hashlib
import io
import json
import os
import sys
import tempfile
import types
import unittest
from contextlib import redirect_stderr, redirect_stdout
from datetime import datetime, timedelta, timezone

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

TOPICS = []     # (topic, value, headers) in the order the consumer reads them
RECORDS = {}    # value bytes -> the dict mediator_wire.read returns
PRODUCED = []   # the outcomes sent, delivered or not
DELIVERY = {"fails": False}


class Message:
    def __init__(self, topic, value, headers, offset):
        self._topic, self._value, self._headers, self._offset = topic, value, headers, offset

    def topic(self):
        return self._topic

    def value(self):
        return self._value

    def headers(self):
        return self._headers

    def error(self):
        return None

    def partition(self):
        return 0

    def offset(self):
        return self._offset


class Consumer:
    def __init__(self, config):
        self.read = 0

    def subscribe(self, topics):
        pass

    def poll(self, timeout):
        if self.read == len(TOPICS):
            return None
        topic, value, headers = TOPICS[self.read]
        self.read += 1
        return Message(topic, value, headers, self.read - 1)

    def close(self):
        pass


class Producer:
    def __init__(self, config):
        self.callbacks = []

    def produce(self, topic, key=None, value=None, headers=None, on_delivery=None):
        PRODUCED.append(json.loads(value))
        self.callbacks.append(on_delivery)

    def poll(self, timeout):
        callbacks, self.callbacks = self.callbacks, []
        for callback in callbacks:
            callback("broker down" if DELIVERY["fails"] else None, None)
        return len(callbacks)

    def flush(self, timeout):
        self.poll(0)
        return 0


confluent_kafka = types.ModuleType("confluent_kafka")
confluent_kafka.Consumer, confluent_kafka.Producer = Consumer, Producer
sys.modules["confluent_kafka"] = confluent_kafka


class Registry:
    def __init__(self, url):
        pass


class Writer:
    def __init__(self, registry, subject, schema_text):
        pass

    def __call__(self, record):
        return json.dumps(record).encode()


mediator_wire = types.ModuleType("mediator_wire")
mediator_wire.Registry, mediator_wire.Writer = Registry, Writer
mediator_wire.read = lambda registry, value: RECORDS[value]
sys.modules["mediator_wire"] = mediator_wire

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import executor  # noqa: E402 -- after its imports are stood in for

OUTCOME_SCHEMA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "schemas", "src", "main", "avro",
                              "Outcome.avsc")
NOW = datetime.now(timezone.utc).replace(microsecond=0)


def public_base64(key):
    return base64.b64encode(key.public_key().public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)).decode()


class ExecutorTest(unittest.TestCase):

    def setUp(self):
        TOPICS.clear()
        RECORDS.clear()
        PRODUCED.clear()
        DELIVERY["fails"] = False
        self.mediator = Ed25519PrivateKey.generate()
        self.folder = tempfile.mkdtemp()
        self.journal = os.path.join(self.folder, "executor.journal")

    def intent(self, intent_id, marker, expires_at=None):
        value = ("%s|%s" % (intent_id, marker)).encode()
        RECORDS[value] = {"intentId": intent_id, "agentId": "finance-analyst", "action": "invoice.create", "target": "erp",
                          "costMicros": 1000, "commitmentMicros": 0, "expiresAt": expires_at}
        TOPICS.append(("agent.intents", value, []))
        return value

    def decision(self, intent_value, key=None, key_id=None, decided_at=NOW):
        intent = RECORDS[intent_value]
        decision = {"intentId": intent["intentId"], "agentId": intent["agentId"], "correlationId": intent["intentId"],
                    "outcome": "EXECUTE", "tier": None, "reasons": [], "policyVersion": "p-1", "decidedAt": decided_at,
                    "decidedBy": "mediator", "deadline": None, "intentSha256": hashlib.sha256(intent_value).hexdigest(),
                    "action": intent["action"], "target": intent["target"], "costMicros": intent["costMicros"],
                    "commitmentMicros": intent["commitmentMicros"]}
        decision["signature"] = (key or self.mediator).sign(executor.canonical(decision, 2))
        value = ("decision|" + decision["intentSha256"]).encode()
        RECORDS[value] = decision
        TOPICS.append(("agent.decisions.execute", value, [] if key_id is None else [("mediator-key-id", key_id.encode())]))

    def run_executor(self, expect, *keys, extra=()):
        sys.argv = ["executor.py", "--bootstrap", "-", "--registry", "-", "--outcome-schema", OUTCOME_SCHEMA,
                    "--executor-id", "erp-executor", "--journal", self.journal, "--expect", str(expect), "--timeout", "1", *extra]
        for key in keys or (public_base64(self.mediator),):
            sys.argv += ["--mediator-public-key", key]
        printed = io.StringIO()
        with redirect_stdout(printed), redirect_stderr(io.StringIO()):
            status = executor.main()
        return status, [json.loads(line) for line in printed.getvalue().splitlines()]

    def statuses(self):
        return [outcome["status"] for outcome in PRODUCED]

    def test_a_restart_executes_nothing_again_and_reports_nothing_again(self):
        self.decision(self.intent("inv-1", "real"))
        self.run_executor(1)

        status, lines = self.run_executor(1)

        self.assertEqual(self.statuses(), ["COMPLETED"])
        self.assertEqual([line.get("reported") for line in lines], ["before"])
        self.assertEqual(status, 0)

    def test_a_restart_after_the_intents_expiry_does_not_report_failed_what_was_carried_out(self):
        self.decision(self.intent("room-1", "real", expires_at=NOW + timedelta(hours=1)))
        self.run_executor(1)
        RECORDS[TOPICS[0][1]]["expiresAt"] = NOW - timedelta(seconds=1)

        self.run_executor(1)

        self.assertEqual(self.statuses(), ["COMPLETED"])

    def test_a_restart_sends_again_an_outcome_whose_delivery_it_did_not_see_as_it_was_chosen(self):
        self.decision(self.intent("room-1", "real", expires_at=NOW + timedelta(hours=1)))
        DELIVERY["fails"] = True
        first, _ = self.run_executor(1)
        DELIVERY["fails"] = False
        RECORDS[TOPICS[0][1]]["expiresAt"] = NOW - timedelta(seconds=1)

        self.run_executor(1)

        self.assertEqual(first, 1, "an undelivered outcome is an error")
        self.assertEqual(self.statuses(), ["COMPLETED", "COMPLETED"])
        self.run_executor(1)
        self.assertEqual(self.statuses(), ["COMPLETED", "COMPLETED"], "delivered the second time: not sent a third")

    def test_another_record_under_the_id_read_first_does_not_cost_the_decision_its_intent(self):
        self.intent("inv-7", "an earlier intent under the id, or a forgery")
        real = ("inv-7|real").encode()
        RECORDS[real] = dict(RECORDS[TOPICS[0][1]])
        self.decision(real)
        TOPICS.append(("agent.intents", real, []))

        status, lines = self.run_executor(1)

        self.assertEqual([(o["intentId"], o["status"], o["intentSha256"]) for o in PRODUCED],
                         [("inv-7", "COMPLETED", hashlib.sha256(real).hexdigest())])
        self.assertEqual(status, 0, lines)

    def test_a_decision_whose_intent_never_comes_is_named_and_fails_the_run(self):
        self.intent("inv-8", "another intent under the id")
        other = ("inv-8|never sent").encode()
        RECORDS[other] = dict(RECORDS[TOPICS[0][1]])
        self.decision(other)

        status, lines = self.run_executor(1)

        self.assertEqual(PRODUCED, [])
        self.assertEqual(lines, [{"intentId": "inv-8", "agentId": "finance-analyst", "verified": True, "digestMatches": False,
                                  "intentsRead": 1}])
        self.assertEqual(status, 1)

    def test_during_a_rotation_decisions_signed_by_either_key_are_carried_out(self):
        new = Ed25519PrivateKey.generate()
        self.decision(self.intent("inv-1", "old key"), key_id="old")
        self.decision(self.intent("inv-2", "new key"), key=new, key_id="new")
        self.decision(self.intent("inv-3", "new key, no header"), key=new)

        status, lines = self.run_executor(3, "old=" + public_base64(self.mediator), "new=" + public_base64(new))

        self.assertEqual([(o["intentId"], o["status"]) for o in PRODUCED],
                         [("inv-1", "COMPLETED"), ("inv-2", "COMPLETED"), ("inv-3", "COMPLETED")])
        self.assertEqual(status, 0, lines)

    def test_a_decision_that_does_not_verify_with_the_key_its_header_names_is_refused(self):
        new = Ed25519PrivateKey.generate()
        self.decision(self.intent("inv-1", "signed by new, naming old"), key=new, key_id="old")

        status, lines = self.run_executor(1, "old=" + public_base64(self.mediator), "new=" + public_base64(new))

        self.assertEqual(PRODUCED, [])
        self.assertEqual([line["verified"] for line in lines], [False])
        self.assertEqual(status, 1)

    def test_a_restart_executes_nothing_again_however_many_more_intents_than_it_remembers_it_carried_out(self):
        for n in range(3):
            self.decision(self.intent("inv-%d" % n, "real"))
        sys_argv = ["--remember", "2"]
        self.run_executor(3, extra=sys_argv)

        self.run_executor(3, extra=sys_argv)

        self.assertEqual([outcome["intentId"] for outcome in PRODUCED], ["inv-0", "inv-1", "inv-2"])

    def test_the_journal_forgets_at_a_start_what_is_older_than_it_keeps(self):
        self.decision(self.intent("inv-old", "real"))
        self.run_executor(1)
        with open(self.journal, encoding="utf-8") as journal:
            entries = [json.loads(line) for line in journal]
        entries[0]["at"] = (NOW - timedelta(days=31)).isoformat()
        with open(self.journal, "w", encoding="utf-8") as journal:
            journal.writelines(json.dumps(entry) + "\n" for entry in entries)
        TOPICS.clear()   # gone from the topics too, as their retention does
        self.decision(self.intent("inv-new", "real"))
        self.run_executor(1)

        executor.Journal(self.journal, timedelta(days=30)).close()

        with open(self.journal, encoding="utf-8") as journal:
            kept = [json.loads(line)["intentId"] for line in journal]
        self.assertEqual(kept, ["inv-new", "inv-new"])

    def test_a_decision_older_than_the_journal_keeps_is_refused_as_a_replay_could_run_it_twice(self):
        self.decision(self.intent("inv-9", "paid a month ago"), decided_at=NOW - timedelta(days=31))

        status, lines = self.run_executor(1)

        self.assertEqual(PRODUCED, [])
        self.assertEqual([line.get("stale") for line in lines], [(NOW - timedelta(days=31)).isoformat(timespec="milliseconds")])
        self.assertEqual(status, 1)
        self.decision(self.intent("inv-10", "decided within the journal's days"), decided_at=NOW - timedelta(days=29))
        self.run_executor(2)
        self.assertEqual([outcome["intentId"] for outcome in PRODUCED], ["inv-10"])

    def test_an_earlier_decision_under_the_id_read_behind_the_waiting_one_does_not_take_its_place(self):
        today, last_week = ("inv-7|today: 10").encode(), ("inv-7|last week: 5000").encode()
        for value in (today, last_week):
            RECORDS[value] = {"intentId": "inv-7", "agentId": "finance-analyst", "action": "payment.send", "target": "bank",
                              "costMicros": 1000, "commitmentMicros": 0, "expiresAt": None}
        self.decision(today)
        self.decision(last_week, decided_at=NOW - timedelta(days=7))
        TOPICS.extend([("agent.intents", last_week, []), ("agent.intents", today, [])])

        status, lines = self.run_executor(2)

        self.assertEqual([outcome["intentSha256"] for outcome in PRODUCED], [hashlib.sha256(today).hexdigest()])
        self.assertEqual([line.get("supersededBy") for line in lines], [NOW.isoformat(timespec="milliseconds"), None])
        self.assertEqual(status, 1)

    def test_an_earlier_decision_read_first_gets_its_line_when_the_later_one_takes_its_place(self):
        today, last_week = ("inv-7|today: 10").encode(), ("inv-7|last week: 5000").encode()
        for value in (today, last_week):
            RECORDS[value] = {"intentId": "inv-7", "agentId": "finance-analyst", "action": "payment.send", "target": "bank",
                              "costMicros": 1000, "commitmentMicros": 0, "expiresAt": None}
        self.decision(last_week, decided_at=NOW - timedelta(days=7))
        self.decision(today)
        TOPICS.extend([("agent.intents", last_week, []), ("agent.intents", today, [])])

        status, lines = self.run_executor(2)

        self.assertEqual([outcome["intentSha256"] for outcome in PRODUCED], [hashlib.sha256(today).hexdigest()])
        self.assertEqual([line.get("supersededBy") for line in lines], [NOW.isoformat(timespec="milliseconds"), None])
        self.assertEqual(status, 1)

    def test_another_agents_decision_under_the_id_is_not_taken_for_a_replay(self):
        ids_of = {}
        for agent, decided_at in (("agent-a", NOW), ("agent-b", NOW - timedelta(minutes=1))):
            value = ("inv-7|" + agent).encode()
            RECORDS[value] = {"intentId": "inv-7", "agentId": agent, "action": "invoice.create", "target": "erp",
                              "costMicros": 1000, "commitmentMicros": 0, "expiresAt": None}
            ids_of[agent] = value
        TOPICS.append(("agent.intents", ids_of["agent-b"], []))
        self.decision(ids_of["agent-a"])
        self.decision(ids_of["agent-b"], decided_at=NOW - timedelta(minutes=1))
        TOPICS.append(("agent.intents", ids_of["agent-a"], []))

        status, lines = self.run_executor(2)

        self.assertFalse([line for line in lines if "supersededBy" in line], lines)
        self.assertEqual([outcome["agentId"] for outcome in PRODUCED], ["agent-b"])


if __name__ == "__main__":
    unittest.main(verbosity=2)
