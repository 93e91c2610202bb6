package io.agentmediator.config;

import java.util.List;

/** Every setting the mediator itself reads. The README's configuration table lists them all. */
public final class ConfigKeys {

    private ConfigKeys() {}

    public static final ConfigKey BOOTSTRAP_SERVERS =
            new ConfigKey("bootstrap.servers", "localhost:9092", "Kafka brokers to connect to. Ignored with --embedded, which starts its own.");
    public static final ConfigKey APPLICATION_ID =
            new ConfigKey("application.id", "agent-mediator", "Kafka Streams application id: the consumer group, and the prefix of internal topics. Letters, digits, dots, underscores and hyphens only, as in a topic name.");
    public static final ConfigKey SCHEMA_REGISTRY_URL =
            new ConfigKey("schema.registry.url", "mock://agent-mediator",
                    "Confluent-compatible registry: http(s)://host:port[,...], or mock://<scope> for an in-memory one (one JVM "
                            + "only). Unset, the commands that write or read the topics (approve, deny, pending, audit, suspend, "
                            + "resume, policy publish) use the one run --embedded serves: http://127.0.0.1:<embedded.registry.port>.");
    public static final ConfigKey TOPIC_PREFIX =
            new ConfigKey("topic.prefix", "agent.", "Prefix of every topic name: <prefix>intents, <prefix>decisions.execute, ... Letters, digits, dots, underscores and hyphens only, or empty.");
    public static final ConfigKey TOPIC_PARTITIONS =
            new ConfigKey("topic.partitions", "3", "Partitions of topics the mediator creates. The intents partition count bounds parallelism.");
    public static final ConfigKey TOPIC_REPLICATION_FACTOR =
            new ConfigKey("topic.replication.factor", "1", "Replication of topics the mediator creates and of its internal topics. Use 3 in production.");
    public static final ConfigKey TOPIC_CREATE =
            new ConfigKey("topic.create", "true", "Create missing topics at start. When false, missing topics stop the start with a clear message.");
    public static final ConfigKey TOPIC_INTENTS_TIMESTAMP_TYPE =
            new ConfigKey("topic.intents.timestamp.type", "LogAppendTime",
                    "Who stamps intents' record timestamps, the time they are judged at: LogAppendTime, the broker (the intents topic is created so, "
                            + "and an existing one that is not stops the start), or CreateTime, the producer, only for replaying history or benchmarks.");
    public static final ConfigKey TOPIC_APPROVALS_TIMESTAMP_TYPE =
            new ConfigKey("topic.approvals.timestamp.type", "LogAppendTime",
                    "Who stamps approvals' record timestamps, the time a case file records an answer at and counts case.retention from: "
                            + "LogAppendTime, the broker (the approvals topic is created so, and an existing one that is not stops the start), "
                            + "or CreateTime, the producer, only for replaying history.");
    public static final ConfigKey TOPIC_OUTCOMES_TIMESTAMP_TYPE =
            new ConfigKey("topic.outcomes.timestamp.type", "LogAppendTime",
                    "Who stamps outcomes' record timestamps, the time a case file records an outcome at and counts case.retention from: "
                            + "LogAppendTime, the broker (the outcomes topic is created so, and an existing one that is not stops the start), "
                            + "or CreateTime, the producer, only for replaying history.");
    public static final ConfigKey TOPIC_INTERNAL_PURGE_INTERVAL =
            new ConfigKey("topic.internal.purge.interval", "PT30S",
                    "How often each instance deletes the records its consumer group has read from the internal topics in transit"
                            + " (the placed topics, case-events, ledger-requests, ledger-replies), which keep their records until read"
                            + " (retention.ms=-1) as Kafka Streams' repartition topics do (ISO-8601 duration).");
    public static final ConfigKey POLICY_FILE =
            new ConfigKey("policy.file", "classpath:policies/example.yaml", "Policy document (YAML) loaded at start: a path, or classpath:<resource>.");
    public static final ConfigKey POLICY_ID =
            new ConfigKey("policy.id", "default",
                    "Key on the policies topic of the document this mediator enforces. Until one is accepted there, policy.file decides.");
    public static final ConfigKey DEDUPE_RETENTION =
            new ConfigKey("dedupe.retention", "P7D",
                    "How long an intent id is remembered: a retry within it is answered DUPLICATE (ISO-8601 duration).");
    public static final ConfigKey ESCALATION_CHECK_INTERVAL =
            new ConfigKey("escalation.check.interval", "PT10S",
                    "How often, in wall-clock time, open escalations are checked for a passed deadline or a suspended agent"
                            + " (or one the policy no longer lists). A check rejects at most 25 per partition a pass; while more"
                            + " are due, the next pass follows 100 ms later, so a burst due together never holds fresh intents back"
                            + " for long.");
    public static final ConfigKey HOUSEKEEPING_INTERVAL =
            new ConfigKey("housekeeping.interval", "PT10S",
                    "How often, in wall-clock time, the resource ledger drops holds past their window, and intents waiting past the dependency timeout are rejected."
                            + " The same runs reject intents waiting past claims.timeout, forget executed cases and finished tasks past case.retention"
                            + " and budget windows that are over, and record answers that waited past case.owner.wait. Each decides or forgets in bounded passes,"
                            + " and comes back 100 ms later while a pass stopped at its bound; otherwise it checks no more often than this.");
    public static final ConfigKey CLAIMS_TIMEOUT =
            new ConfigKey("claims.timeout", "PT5M",
                    "How long, in wall-clock time, an intent waits for the resource ledger to answer its claims before it is rejected CLAIMS_UNANSWERED and its reservation released (ISO-8601 duration).");
    public static final ConfigKey CASE_RETENTION =
            new ConfigKey("case.retention", "P30D",
                    "How long an executed case (and what it holds) is kept for its outcome after its last change, and a finished task for intents that depend on it (ISO-8601 duration).");
    public static final ConfigKey CASE_OWNER_WAIT =
            new ConfigKey("case.owner.wait", "PT30S",
                    "How long, in wall-clock time, an approval or outcome read before its intent's owner waits for it; after that it is recorded as matching no case and changes nothing (ISO-8601 duration).");
    public static final ConfigKey SIGNING_KEY_FILE =
            new ConfigKey("signing.key.file", "",
                    "The mediator's Ed25519 private key (PKCS#8, PEM or base64) that signs decisions. Empty: an ephemeral key, "
                            + "logged at start.");
    public static final ConfigKey SIGNING_KEY_ID =
            new ConfigKey("signing.key.id", "", "Key id executors look the public key up by. Empty: the key's fingerprint.");
    public static final ConfigKey STATE_DIR =
            new ConfigKey("state.dir", "${java.io.tmpdir}/agent-mediator", "Where Kafka Streams keeps local state. A persistent volume per pod in production. Unset with --embedded and no "
                            + "embedded.data.dir: a temporary directory removed at exit, as the broker's data is.");
    public static final ConfigKey ROCKSDB_MEMORY_BYTES =
            new ConfigKey("rocksdb.memory.bytes", "268435456",
                    "Off-heap memory all the RocksDB stores of the process share (block cache, index and filter blocks, memtables: a quarter at most), in bytes. Count it beside the heap when sizing a container.");
    public static final ConfigKey INSTANCE_ID =
            new ConfigKey("instance.id", "",
                    "A name of this instance that stays the same across its restarts (in Kubernetes the pod name; the chart sets "
                            + "it): Kafka's static membership (group.instance.id), so a restarted instance takes its partitions back at once "
                            + "instead of waiting for the group to drop the old one (45 s, session.timeout.ms). Unique per instance. Empty: "
                            + "dynamic membership, and the instance leaves the group when it stops.");
    public static final ConfigKey HEALTH_BROKER_GRACE =
            new ConfigKey("health.broker.grace", "PT30S",
                    "How long the Kafka brokers may be unreachable before /health/ready reports it (ISO-8601 duration).");
    public static final ConfigKey REGISTRY_RETRY_MAX_MS =
            new ConfigKey("registry.retry.max.ms", "30000",
                    "How long a call to an unreachable schema registry (to read or write any record whose schema is not cached) is "
                            + "retried before the error stops its stream thread, which is replaced and reads the record again.");
    public static final ConfigKey HTTP_HOST =
            new ConfigKey("http.host", "0.0.0.0", "Address the HTTP endpoints (health, metrics, queries) listen on.");
    public static final ConfigKey HTTP_PORT =
            new ConfigKey("http.port", "8080",
                    "Port of /health/live, /health/ready (200, or 503 with every reason as JSON), /metrics and the queries. 0: any "
                            + "free port.");
    public static final ConfigKey HTTP_ADVERTISED_ADDRESS =
            new ConfigKey("http.advertised.address", "",
                    "host:port at which the other instances reach this one's queries (Kafka Streams application.server). Empty: "
                            + "http.host and the port listened on, localhost for a wildcard http.host. In Kubernetes, the pod's stable name "
                            + "under a headless Service and http.port, as the chart sets it (http.advertise=podIP for the pod IP, which "
                            + "changes with every restart).");
    public static final ConfigKey HTTP_IDLE_TIMEOUT =
            new ConfigKey("http.idle.timeout", "PT30S",
                    "An HTTP connection that sends or reads nothing for this long is closed, half-sent requests included (ISO-8601 duration).");
    public static final ConfigKey HTTP_AUTH_METRICS_TOKENS_FILE =
            new ConfigKey("http.auth.metrics.tokens.file", "",
                    "Bearer tokens (one a line) that may read /metrics. Any http.auth.*.tokens.file set: every endpoint but "
                            + "/health/* needs a token. All empty: open, with a WARN at start.");
    public static final ConfigKey HTTP_AUTH_APPROVER_TOKENS_FILE =
            new ConfigKey("http.auth.approver.tokens.file", "",
                    "Bearer tokens (one a line) of approvers: they may read /cases, /escalations, /agents/{id}/budgets and /owners.");
    public static final ConfigKey HTTP_AUTH_OPERATOR_TOKENS_FILE =
            new ConfigKey("http.auth.operator.tokens.file", "",
                    "Bearer tokens (one a line) of operators: the queries and /metrics.");
    public static final ConfigKey HTTP_AUTH_INSTANCE_TOKENS_FILE =
            new ConfigKey("http.auth.instance.tokens.file", "",
                    "The token instances present to each other (the first line; later lines are still accepted, for rotation). "
                            + "Required once any token file is set; only callers holding it may mark a query as relayed.");
    public static final ConfigKey HTTP_AUTH_TOKENS_CHECK_INTERVAL =
            new ConfigKey("http.auth.tokens.check.interval", "PT5S",
                    "How often at most the token files are read again (when a request arrives), so a changed file, such as a "
                            + "rotated Kubernetes Secret, is in force without a restart; an emptied file revokes its role's tokens; a changed"
                            + " file that cannot be used keeps its tokens in force, with a WARN, counted in "
                            + "mediator_http_token_reload_failures_total (ISO-8601 duration).");
    public static final ConfigKey METRICS_AGENT_LABEL_LIMIT =
            new ConfigKey("metrics.agent.label.limit", "200",
                    "How many agents the policy in force does not name get their own agent label on decision metrics; later ones are"
                            + " counted under agent=\"_other\". The policy's agents always keep theirs.");
    public static final ConfigKey EMBEDDED_DATA_DIR =
            new ConfigKey("embedded.data.dir", "", "With --embedded: broker log directory kept across runs, with the embedded registry's schemas (their ids name them in every kept record). Empty: a temporary directory removed at exit.");

    public static final ConfigKey EMBEDDED_PORT =
            new ConfigKey("embedded.port", "9092",
                    "With --embedded: the broker's port on 127.0.0.1, the agents' bootstrap.servers. Taken: the start fails naming "
                            + "it (agents need a known address). 0: any free port.");
    public static final ConfigKey EMBEDDED_REGISTRY_PORT =
            new ConfigKey("embedded.registry.port", "8081",
                    "With --embedded: port on 127.0.0.1 of the in-memory schema registry served with the Confluent REST API at its "
                            + "root; the mediator registers and reads through it too, unless schema.registry.url is an http(s) URL (then that"
                            + " registry is used and none is started). 0: any free port.");

    public static final ConfigKey LIMITS_ID_MAX_CHARS =
            new ConfigKey("limits.id.max.chars", "255",
                    "Longest id accepted: intentId, agentId, correlationId, claims' resourceId, dependsOn entries, approverId, "
                            + "reportedBy, a control's by, record keys, a policy's key, and its ids, version and the names decisions quote. At most 384"
                            + " (the audit trail in SQL keys its rows by the case file's key, which PostgreSQL indexes up to 2,704 bytes of).");
    public static final ConfigKey LIMITS_CLAIMS_MAX =
            new ConfigKey("limits.claims.max", "64", "Most resource claims one intent may make.");
    public static final ConfigKey LIMITS_DEPENDS_ON_MAX =
            new ConfigKey("limits.depends.on.max", "64", "Most intents one intent may depend on.");
    public static final ConfigKey LIMITS_WAITING_MAX =
            new ConfigKey("limits.waiting.max", "1000", "Most intents of one agent waiting for their dependencies at once; more are rejected RATE_LIMITED (each is kept in memory while it waits).");
    public static final ConfigKey LIMITS_AGENT_KEPT_BYTES =
            new ConfigKey("limits.agent.kept.bytes", "33554432",
                    "Most bytes the mediator keeps in memory for one agent's open escalations, intents waiting for their dependencies and"
                            + " intents whose claims are out, together; while an agent is at it, its intents that would be kept so are rejected"
                            + " RATE_LIMITED (texts of 65,536 characters make one some 200-400 KB). At most 2147483647.");
    public static final ConfigKey LIMITS_ANSWERS_WAITING_MAX =
            new ConfigKey("limits.answers.waiting.max", "10000",
                    "Most approvals and outcomes one partition keeps while they wait for their intent's owner (case.owner.wait); more are "
                            + "recorded at once as matching no case (each is kept in memory while it waits).");
    public static final ConfigKey LIMITS_ANSWERS_WAITING_BYTES =
            new ConfigKey("limits.answers.waiting.bytes", "67108864",
                    "Most bytes of approvals and outcomes one partition keeps while they wait for their intent's owner; past it, as past "
                            + "limits.answers.waiting.max, they are recorded at once as matching no case (texts of 65,536 characters make an "
                            + "answer some 200 KB). At most 2147483647.");
    public static final ConfigKey LIMITS_ATTRIBUTES_MAX =
            new ConfigKey("limits.attributes.max", "64", "Most attributes one intent may carry.");
    public static final ConfigKey LIMITS_ALTERNATIVES_MAX =
            new ConfigKey("limits.alternatives.max", "64", "Most alternatives one intent may list.");
    public static final ConfigKey LIMITS_DATA_CLASSES_MAX =
            new ConfigKey("limits.data.classes.max", "32", "Most data classes, and most departments, one intent may name.");
    public static final ConfigKey LIMITS_TEXT_MAX_CHARS =
            new ConfigKey("limits.text.max.chars", "65536",
                    "Most characters in all the strings of one intent, approval, outcome or control together (reasoning, attributes, comments...),"
                            + " and in each other string of a policy.");

    public static List<ConfigKey> all() {
        return List.of(
                BOOTSTRAP_SERVERS,
                APPLICATION_ID,
                SCHEMA_REGISTRY_URL,
                TOPIC_PREFIX,
                TOPIC_PARTITIONS,
                TOPIC_REPLICATION_FACTOR,
                TOPIC_CREATE,
                TOPIC_INTENTS_TIMESTAMP_TYPE,
                TOPIC_APPROVALS_TIMESTAMP_TYPE,
                TOPIC_OUTCOMES_TIMESTAMP_TYPE,
                TOPIC_INTERNAL_PURGE_INTERVAL,
                POLICY_FILE,
                POLICY_ID,
                DEDUPE_RETENTION,
                ESCALATION_CHECK_INTERVAL,
                HOUSEKEEPING_INTERVAL,
                CLAIMS_TIMEOUT,
                CASE_RETENTION,
                CASE_OWNER_WAIT,
                SIGNING_KEY_FILE,
                SIGNING_KEY_ID,
                STATE_DIR,
                ROCKSDB_MEMORY_BYTES,
                INSTANCE_ID,
                HEALTH_BROKER_GRACE,
                REGISTRY_RETRY_MAX_MS,
                HTTP_HOST,
                HTTP_PORT,
                HTTP_ADVERTISED_ADDRESS,
                HTTP_IDLE_TIMEOUT,
                HTTP_AUTH_METRICS_TOKENS_FILE,
                HTTP_AUTH_APPROVER_TOKENS_FILE,
                HTTP_AUTH_OPERATOR_TOKENS_FILE,
                HTTP_AUTH_INSTANCE_TOKENS_FILE,
                HTTP_AUTH_TOKENS_CHECK_INTERVAL,
                METRICS_AGENT_LABEL_LIMIT,
                EMBEDDED_DATA_DIR,
                EMBEDDED_PORT,
                EMBEDDED_REGISTRY_PORT,
                LIMITS_ID_MAX_CHARS,
                LIMITS_CLAIMS_MAX,
                LIMITS_DEPENDS_ON_MAX,
                LIMITS_WAITING_MAX,
                LIMITS_ANSWERS_WAITING_MAX,
                LIMITS_ANSWERS_WAITING_BYTES,
                LIMITS_AGENT_KEPT_BYTES,
                LIMITS_ATTRIBUTES_MAX,
                LIMITS_ALTERNATIVES_MAX,
                LIMITS_DATA_CLASSES_MAX,
                LIMITS_TEXT_MAX_CHARS);
    }
}
