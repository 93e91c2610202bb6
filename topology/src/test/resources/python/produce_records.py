#!/usr/bin/env python3
"""Produces records exactly as described, with confluent-kafka (librdkafka) and its defaults otherwise.

    produce_records.py BOOTSTRAP RECORDS.json

RECORDS.json is a list of {"topic", "key", "value", "headers", "timestamp", "compression"}: key and
value hex strings or null, headers a list of [name, hex or null], timestamp milliseconds or null (the
client's own time), compression a compression.type or null; records up to 10 MB before compression. Records are sent in order, one producer
per compression type, with librdkafka's default partitioner (CRC32 of the key, random without one).
Prints one JSON line per record delivered: its topic, partition, offset and timestamp as the broker stored it.
"""
import json
import sys

from confluent_kafka import Producer


def unhex(text):
    return None if text is None else bytes.fromhex(text)


def main():
    bootstrap, path = sys.argv[1], sys.argv[2]
    with open(path) as file:
        records = json.load(file)
    producers = {}
    failures = []

    def delivered(error, message):
        if error is not None:
            failures.append(str(error))
        else:
            print(json.dumps({"topic": message.topic(), "partition": message.partition(),
                              "offset": message.offset(), "timestamp": message.timestamp()[1]}), flush=True)

    for record in records:
        compression = record.get("compression") or "none"
        if compression not in producers:
            # message.max.bytes raised: librdkafka checks it before compressing, the broker checks the compressed batch
            producers[compression] = Producer({"bootstrap.servers": bootstrap, "compression.type": compression,
                                               "message.max.bytes": 10000000})
        producer = producers[compression]
        extra = {}
        if record.get("timestamp") is not None:
            extra["timestamp"] = record["timestamp"]
        producer.produce(record["topic"], key=unhex(record.get("key")), value=unhex(record.get("value")),
                         headers=[(name, unhex(value)) for name, value in record.get("headers") or []],
                         on_delivery=delivered, **extra)
        producer.flush(30)
    if failures:
        print("not delivered: %s" % failures, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
