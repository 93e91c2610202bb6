#!/usr/bin/env python3
"""An agent that proposes intents to the mediator, with confluent-kafka's default settings.

    agent.py --bootstrap 127.0.0.1:9092 --registry http://127.0.0.1:8081 \\
             --schema AgentIntent.avsc --intents intents.jsonl [--sign AGENT_ID=KEY.pem ...]

Each line of the intents file is one AgentIntent as JSON (the field names of the schema;
instants as ISO-8601 strings). It is produced to agent.intents keyed by its agentId, with the
producer's default partitioner (librdkafka's CRC32, not Java's murmur2: the mediator moves it to
its agent's partition). Intents of an agent given with --sign are signed over their exact value
bytes (docs/SIGNING.md): headers mediator-signature (base64) and mediator-key-id (the agent id).
Prints one line per intent sent: its agent and the partition it landed on.
"""
import argparse
import base64
import json
import sys
from datetime import datetime

from confluent_kafka import Producer
from cryptography.hazmat.primitives.serialization import load_pem_private_key

import mediator_wire

TOPIC = "agent.intents"
INSTANTS = ("expiresAt",)
CLAIM_INSTANTS = ("from", "until")


def parse_instants(intent):
    """ISO-8601 strings to the datetimes python3-avro writes as timestamp-millis."""
    for name in INSTANTS:
        if intent.get(name):
            intent[name] = datetime.fromisoformat(intent[name].replace("Z", "+00:00"))
    for claim in intent.get("claims", []):
        claim.setdefault("quantity", 1)
        for name in CLAIM_INSTANTS:
            claim[name] = datetime.fromisoformat(claim[name].replace("Z", "+00:00")) if claim.get(name) else None
    return intent


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bootstrap", required=True)
    parser.add_argument("--registry", required=True)
    parser.add_argument("--schema", required=True, help="AgentIntent.avsc")
    parser.add_argument("--intents", required=True, help="JSON lines, one AgentIntent each")
    parser.add_argument("--sign", action="append", default=[], metavar="AGENT_ID=KEY.pem")
    args = parser.parse_args()

    keys = {}
    for entry in args.sign:
        agent_id, path = entry.split("=", 1)
        with open(path, "rb") as pem:
            keys[agent_id] = load_pem_private_key(pem.read(), password=None)
    with open(args.schema) as schema:
        serialize = mediator_wire.Writer(mediator_wire.Registry(args.registry), TOPIC + "-value", schema.read())

    producer = Producer({"bootstrap.servers": args.bootstrap})  # defaults otherwise: partitioner, acks, idempotence
    failures = []

    def delivered(error, message):
        if error is not None:
            failures.append(error)
        else:
            print(json.dumps({"agent": message.key().decode(), "partition": message.partition()}), flush=True)

    with open(args.intents) as lines:
        for line in lines:
            if not line.strip():
                continue
            intent = parse_instants(json.loads(line))
            value = serialize(intent)  # the exact bytes that go on the topic, and that are signed
            headers = []
            key = keys.get(intent["agentId"])
            if key is not None:
                headers = [("mediator-signature", base64.b64encode(key.sign(value))),
                           ("mediator-key-id", intent["agentId"].encode("utf-8"))]
            producer.produce(TOPIC, key=intent["agentId"].encode("utf-8"), value=value, headers=headers,
                             on_delivery=delivered)
            producer.poll(0)
    producer.flush(30)
    if failures:
        print("not delivered: %s" % failures, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
