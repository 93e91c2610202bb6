package io.agentmediator.controls;

import io.agentmediator.config.GrouplessConsumer;
import io.agentmediator.limits.InputLimits;
import io.agentmediator.policy.CurrentPolicy;
import io.agentmediator.text.Printable;
import io.agentmediator.text.Utf8;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts a SUSPEND in force on this instance the moment it is read from the controls topic, before the mediator has judged
 * it. The {@link ControlAcceptor} judges each control once, in its key's partition, on whichever instance holds that
 * partition: while that instance is down, its partition waits for the group to give it to another (the consumers'
 * {@code session.timeout.ms}, 45 s by default), and an operator pulling the switch in an incident would watch the other
 * instances go on executing the agent's intents meanwhile.
 *
 * <p>Only a SUSPEND, and only one the acceptor would take: signed by the operator it names (or unsigned where the policy
 * allows it), within the limits, not dated ahead, and later than the control last accepted for its scope as this instance
 * has read it ({@link ControlJudge}). A SUSPEND can at worst stop an agent, never start one, so acting on it before its
 * judgement risks no action the policy forbids. Every other control (a RESUME above all) waits for its judgement. The
 * switch gives way to a judged control of its scope at least as late (a SUSPEND takes its place, a RESUME lifts it), and
 * lapses after {@code lapseAfter} if none comes ({@link Suspensions}).
 *
 * <p>Reads the controls topic from its end when it starts, on a thread and a consumer of its own, in no group: what was
 * sent before then is the acceptor's to judge. Refusals are not counted here; the acceptor counts each control once.
 */
public final class SuspendAtOnce implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SuspendAtOnce.class);
    private static final int QUOTED_CHARS = 200;
    private static final Duration POLL = Duration.ofMillis(500);
    /**
     * How long a switch put in force ahead of its judgement lasts without it: well past a session timeout, the partition's
     * move and its restore, the wait it covers.
     */
    public static final Duration LAPSE_AFTER = Duration.ofMinutes(10);

    private final CurrentPolicy policy;
    private final InputLimits limits;
    private final Suspensions suspensions;
    private final Duration lapseAfter;
    private final Clock clock;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Thread thread;
    /** Counted down once the instance closes. */
    private final CountDownLatch closing = new CountDownLatch(1);

    SuspendAtOnce(CurrentPolicy policy, InputLimits limits, Suspensions suspensions, Duration lapseAfter, Clock clock,
            KafkaConsumer<byte[], byte[]> consumer) {
        this.policy = policy;
        this.limits = limits;
        this.suspensions = suspensions;
        this.lapseAfter = lapseAfter;
        this.clock = clock;
        this.consumer = consumer;
        this.thread = new Thread(this::run, "mediator-suspend-at-once");
        this.thread.setDaemon(true);
    }

    /** Starts reading {@code controlsTopic} from its end with a client of its own, built from {@code clientSettings}. */
    public static SuspendAtOnce start(Map<String, Object> clientSettings, String controlsTopic, CurrentPolicy policy, InputLimits limits,
            Suspensions suspensions, Duration lapseAfter) {
        Map<String, Object> settings = GrouplessConsumer.settings(clientSettings);
        settings.put(ConsumerConfig.CLIENT_ID_CONFIG, "mediator-suspend-at-once");
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(settings, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        // A control sent between this start and the first poll is read.
        GrouplessConsumer.fromEnd(consumer, controlsTopic);
        SuspendAtOnce watch = new SuspendAtOnce(policy, limits, suspensions, lapseAfter, Clock.systemUTC(), consumer);
        watch.thread.start();
        return watch;
    }

    private void run() {
        try {
            while (!closed()) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                    try {
                        offer(record.key(), record.value(), record.headers(), Instant.ofEpochMilli(record.timestamp()));
                    } catch (RuntimeException e) {
                        // One record must not end reading for the instance's life; this one waits for its judgement.
                        log.error("could not read the control at {}-{}@{} ahead of its judgement, which it waits for", record.topic(),
                                record.partition(), record.offset(), e);
                    }
                }
                lapse();
            }
        } catch (WakeupException e) {
            log.debug("stopped reading the controls topic ahead of the judged controls");
        } catch (RuntimeException e) {
            if (!closed()) {
                log.error("cannot read the controls topic any more: from now on a SUSPEND is in force on this instance only once the"
                        + " mediator has judged it (README: The kill switch)", e);
                // What was put in force ahead still lapses, or a switch the mediator refused would stay until a restart.
                lapseUntilClosed();
            }
        } finally {
            consumer.close();
        }
    }

    private boolean closed() {
        return closing.getCount() == 0;
    }

    private void lapseUntilClosed() {
        try {
            while (!closing.await(POLL.toMillis(), TimeUnit.MILLISECONDS)) {
                lapse();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Puts the control in force now when it is a SUSPEND the acceptor would take; says nothing of any other. */
    void offer(byte[] key, byte[] value, Headers headers, Instant recordTime) {
        Optional<String> scope = key == null ? Optional.empty() : Utf8.strict(key);
        Optional<String> json = value == null ? Optional.empty() : Utf8.strict(value);
        if (scope.isEmpty() || json.isEmpty()) {
            return;
        }
        Control control;
        try {
            control = Control.fromJson(json.get());
        } catch (IllegalArgumentException e) {
            log.debug("not a control, left to the acceptor, which refuses it and says why: {}", Printable.escape(e.getMessage(), QUOTED_CHARS));
            return;
        }
        if (control.action() != ControlAction.SUSPEND) {
            return;
        }
        Instant now = clock.instant();
        AcceptedControl last = suspensions.accepted(scope.get());
        boolean counts = ControlJudge.overLimit(limits, scope.get(), control)
                .or(() -> ControlJudge.refusal(policy.get(), scope.get(), control, headers, last, recordTime, now))
                .isEmpty();
        if (counts && suspensions.suspendEarly(Suspension.of(scope.get(), control), last, now.plus(lapseAfter))) {
            log.warn("kill switch: {} suspended by {} at {}, in force at once, before the mediator has judged it: {}",
                    Printable.escape(scope.get(), QUOTED_CHARS), Printable.escape(control.by(), QUOTED_CHARS), control.at(),
                    Printable.escape(control.reason(), QUOTED_CHARS * 5));
        }
    }

    /** Lifts the switches put in force here whose judgement has not come within {@code lapseAfter}. */
    void lapse() {
        for (String scope : suspensions.lapse(clock.instant())) {
            log.warn("kill switch of {}, in force here ahead of its judgement, lifted: the mediator has not accepted it within {}"
                    + " (refused: its log says why on the instance that judged it)", Printable.escape(scope, QUOTED_CHARS), lapseAfter);
        }
    }

    @Override
    public void close() {
        // Woken, not interrupted: an interrupt would fail the consumer's own close.
        closing.countDown();
        consumer.wakeup();
        try {
            thread.join(Duration.ofSeconds(10).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
