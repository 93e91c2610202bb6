package io.agentmediator.policyreload;

import io.agentmediator.audit.PolicyCases;
import io.agentmediator.audit.CaseFiles;
import io.agentmediator.policy.CurrentPolicy;
import io.agentmediator.health.HealthState;
import io.agentmediator.limits.InputLimits;
import io.agentmediator.limits.RecordSize;
import io.agentmediator.policy.Policy;
import io.agentmediator.policy.PolicyCodec;
import io.agentmediator.policy.PolicyParseResult;
import io.agentmediator.policy.PolicyProblem;
import io.agentmediator.schema.PolicyDocument;
import io.agentmediator.text.Printable;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Guards the policy topic: only a document that reads and validates (CEL rules compiled
 * included) passes on to the accepted-policies topic that every instance loads, so an invalid
 * document never replaces a valid one.
 *
 * <p>Reads: {@code agent.policies} as bytes, keyed by policy id. Writes: valid documents to
 * {@code acceptedChild}; for every document, valid or not, a case file keyed
 * {@code policy:<id>:<version>} to {@code auditChild}, so "under which policy" has an answer and
 * a rejected document leaves a trace. A deletion (null value) is refused like an invalid
 * document: a policy is replaced by publishing the next version, never removed. A document whose schema the
 * registry cannot give yet waits for it in the registry client, as an intent does. A policy id (the record's key) longer
 * than any id ({@code limits.id.max.chars}) is refused, as is a document with a string over the input limits
 * ({@link PolicyStringLimits}): a refusal's case is keyed by the id and version, and the document's names end up in keys
 * and in every decision, so either could otherwise make records larger than the producer sends. A version accepted before
 * with other content, in this task's life or in force, is refused ({@link AcceptedVersions}). Owns no store.
 */
public final class PolicyValidator implements Processor<byte[], byte[], Object, Object> {

    private static final Logger log = LoggerFactory.getLogger(PolicyValidator.class);
    private static final int QUOTED_CHARS = 200;
    private static final int PROBLEMS_MAX_CHARS = 2_000;
    /** A refused document's case file lists at most this many problems, each cut to {@link #PROBLEM_MAX_CHARS}. */
    private static final int PROBLEMS_MAX = 100;
    private static final int PROBLEM_MAX_CHARS = 1_000;

    private final Deserializer<PolicyDocument> deserializer;
    private final CurrentPolicy current;
    private final HealthState health;
    private final String acceptedChild;
    private final String auditChild;
    private final int idMaxChars;
    private final PolicyStringLimits stringLimits;
    private final int maxRecordBytes;
    private final AcceptedVersions versions = new AcceptedVersions();
    private ProcessorContext<Object, Object> context;

    public PolicyValidator(
            Deserializer<PolicyDocument> deserializer,
            CurrentPolicy current,
            HealthState health,
            String acceptedChild,
            String auditChild,
            InputLimits limits,
            int maxRecordBytes) {
        this.deserializer = deserializer;
        this.current = current;
        this.health = health;
        this.acceptedChild = acceptedChild;
        this.auditChild = auditChild;
        this.idMaxChars = limits.idMaxChars();
        this.stringLimits = new PolicyStringLimits(limits);
        this.maxRecordBytes = maxRecordBytes;
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
        this.context = context;
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        RecordMetadata source = context.recordMetadata().orElseThrow();
        String policyId = record.key() == null ? "(no key)" : new String(record.key(), StandardCharsets.UTF_8);
        Instant at = Instant.ofEpochMilli(record.timestamp());
        String where = source.topic() + "-" + source.partition() + "@" + source.offset();
        if (record.value() == null) {
            refuse(record, policyId, "(deleted)", at, List.of("a policy cannot be deleted; publish its next version instead"));
            return;
        }
        Optional<String> longKey = stringLimits.idOverLimit("the policy id (the record's key)", policyId);
        if (longKey.isPresent()) {
            refuse(record, policyId, "(not read)", at, List.of(longKey.get()));
            return;
        }
        if (!RecordSize.fits(record.value().length, 0, maxRecordBytes)) {
            // Read uncompressed, it is what the accepted topic would be sent: refused here, not dead-lettered after an
            // audit case saying it was accepted.
            refuse(record, policyId, "(not read)", at, List.of("the document is " + record.value().length + " bytes, more than the "
                    + (maxRecordBytes - RecordSize.FRAMING_BYTES) + " the mediator's producer sends (max.request.size less "
                    + RecordSize.FRAMING_BYTES + " for key and framing)"));
            return;
        }
        PolicyDocument document;
        try {
            document = deserializer.deserialize(source.topic(), record.headers(), record.value());
        } catch (SerializationException e) {
            if (!RecordFaults.isRecordsFault(e)) {
                throw e;
            }
            refuse(record, policyId, "(unreadable)", at, List.of("unreadable policy record at " + where + ": " + e.getMessage()));
            return;
        }
        List<String> overlong = stringLimits.problems(document);
        if (!overlong.isEmpty()) {
            refuse(record, policyId, document.getVersion(), at, overlong);
            return;
        }
        PolicyParseResult result = PolicyCodec.fromAvro(document);
        if (!result.isValid()) {
            refuse(record, policyId, document.getVersion(), at, result.problems().stream().map(PolicyProblem::toString).toList());
            return;
        }
        Policy inForce = current.get();
        PolicyDocument bound = PolicyCodec.toAvro(result.policy());
        // Decisions name the version that made them; one version with two contents would make that a lie. Compared as
        // bound, not as written: a publisher whose schema predates a field (signatures.intentSha256) leaves it null,
        // which binds to its default, so the same content written by it again is the same policy. The policy in force
        // covers the version accepted before this task started.
        if (versions.acceptedOtherwise(policyId, bound)
                || inForce.version().equals(document.getVersion()) && !PolicyCodec.toAvro(inForce).equals(bound)) {
            refuse(record, policyId, document.getVersion(), at, List.of("version " + document.getVersion()
                    + " was accepted with other content; publish the change under a new version"));
            return;
        }
        versions.accept(policyId, bound);
        log.info("policy {} version {} accepted from {}", Printable.escape(policyId, QUOTED_CHARS), Printable.escape(document.getVersion(),
                QUOTED_CHARS), where);
        context.forward(written(record, policyId, document), acceptedChild);
        context.forward(
                written(record, PolicyCases.caseId(policyId, document.getVersion()), CaseFiles.policyAccepted(policyId, document.getVersion(), at)),
                auditChild);
    }

    private void refuse(Record<byte[], byte[]> record, String policyId, String version, Instant at, List<String> problems) {
        String inForce = current.get().version();
        // The key, the version and what is wrong quote the record, which any writer of the topic chooses.
        log.error("policy {} version {} refused, {} stays in force: {}", Printable.escape(policyId, QUOTED_CHARS),
                Printable.escape(version, QUOTED_CHARS), Printable.escape(inForce, QUOTED_CHARS),
                Printable.escape(String.join("; ", problems), PROBLEMS_MAX_CHARS));
        health.policyRefused();
        RecordMetadata source = context.recordMetadata().orElseThrow();
        // Where the record was read keeps the case id unique when the id or the version is cut.
        String shownVersion = Printable.escape(version, idMaxChars);
        String caseId = PolicyCases.refusedCaseId(Printable.escape(policyId, idMaxChars), shownVersion, source.partition(), source.offset());
        context.forward(
                written(record, caseId, CaseFiles.policyRefused(caseId, shownVersion, inForce, listed(problems), problems.size(), at)),
                auditChild);
    }

    /** A record of the mediator's own, at the time of {@code read}: the publisher's headers are not carried into the audit. */
    private static Record<Object, Object> written(Record<byte[], byte[]> read, Object key, Object value) {
        return new Record<>(key, value, read.timestamp());
    }

    /** The problems as the case file lists them: a document of a megabyte can have thousands, each quoting it. */
    private static List<String> listed(List<String> problems) {
        List<String> listed = new ArrayList<>(problems.stream().limit(PROBLEMS_MAX).map(p -> Printable.escape(p, PROBLEM_MAX_CHARS)).toList());
        if (problems.size() > PROBLEMS_MAX) {
            listed.add("and " + (problems.size() - PROBLEMS_MAX) + " more problems not listed");
        }
        return listed;
    }
}
