"""Avro in the Confluent wire format over a schema registry's REST API, with Debian's python3-avro.

Debian's python3-confluent-kafka has no schema-registry extras (they need requests and fastavro),
so this does by hand what their AvroSerializer does: register the schema under <topic>-value,
then write magic byte 0, the 4-byte big-endian schema id, and the Avro binary body. Reading looks
the writer's schema up by the id in the record (GET /schemas/ids/{id}) and caches it.
"""
import io
import json
import struct
import urllib.parse
import urllib.request

import avro.io
import avro.schema

_MAGIC = 0


class Registry:
    """The two Confluent REST calls a producer and a consumer need."""

    def __init__(self, url):
        self.url = url.rstrip("/")
        self._schemas = {}

    def _call(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode("utf-8")
        request = urllib.request.Request(self.url + path, data=data, method=method,
                                         headers={"Content-Type": "application/vnd.schemaregistry.v1+json"})
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.loads(response.read())

    def register(self, subject, schema_text):
        """POST /subjects/{subject}/versions: the schema's id, registering it if new."""
        return self._call("POST", "/subjects/%s/versions" % urllib.parse.quote(subject, safe=""),
                          {"schema": schema_text})["id"]

    def schema(self, schema_id):
        """GET /schemas/ids/{id}: the parsed schema, cached."""
        if schema_id not in self._schemas:
            self._schemas[schema_id] = avro.schema.parse(self._call("GET", "/schemas/ids/%d" % schema_id)["schema"])
        return self._schemas[schema_id]


class Writer:
    """Serializes dicts of one schema, registered once under a subject."""

    def __init__(self, registry, subject, schema_text):
        self.schema = avro.schema.parse(schema_text)
        self.schema_id = registry.register(subject, schema_text)
        self._writer = avro.io.DatumWriter(self.schema)

    def __call__(self, record):
        out = io.BytesIO()
        out.write(struct.pack(">bI", _MAGIC, self.schema_id))
        self._writer.write(with_defaults(self.schema, record), avro.io.BinaryEncoder(out))
        return out.getvalue()


def read(registry, value):
    """The record in wire-format bytes, as a dict (timestamp-millis as aware datetimes); ValueError if it is not one."""
    if value is None or len(value) < 5:
        raise ValueError("not the Confluent wire format (%s)" % ("no value" if value is None else "%d bytes" % len(value)))
    magic, schema_id = struct.unpack(">bI", value[:5])
    if magic != _MAGIC:
        raise ValueError("not the Confluent wire format (magic byte %d)" % magic)
    schema = registry.schema(schema_id)
    return avro.io.DatumReader(schema, schema).read(avro.io.BinaryDecoder(io.BytesIO(value[5:])))


def with_defaults(schema, record):
    """The record with every field it leaves out set to the schema's default, as Avro writers require."""
    full = dict(record)
    for field in schema.fields:
        if field.name not in full and field.has_default:
            full[field.name] = field.default
    return full
