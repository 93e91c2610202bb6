package io.agentmediator.controls;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.config.MediatorConfig;
import io.agentmediator.limits.InputLimits;
import io.agentmediator.policy.CurrentPolicy;
import io.agentmediator.policy.PolicyParser;
import io.agentmediator.testing.SteppedClock;
import io.agentmediator.testing.TestKeys;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

/**
 * A SUSPEND read from the controls topic is in force on this instance at once, when the acceptor would take it, and until its
 * judgement comes (or lapses without one); nothing else is put in force before it is judged.
 */
class SuspendAtOnceTest {

    private static final Instant T0 = Instant.parse("2026-11-23T09:00:00Z");
    private static final Duration LAPSE = Duration.ofMinutes(10);
    private static final CurrentPolicy POLICY = new CurrentPolicy(PolicyParser.parse("suspend-at-once.yaml", """
            version: "suspend-at-once-1"
            agents:
              - { id: runaway, capabilities: { actions: ["*"], targets: ["*"] } }
            operators:
              - { id: alice, publicKey: "%s" }
            """.formatted(TestKeys.publicKey("alice"))).policy());

    private final Suspensions suspensions = new Suspensions();
    private final SteppedClock clock = new SteppedClock(T0);
    private final SuspendAtOnce watch = new SuspendAtOnce(POLICY, InputLimits.of(MediatorConfig.defaults()), suspensions, LAPSE, clock, null);

    @Test
    void shouldPutASignedSuspendInForceAtOnceAndLeaveAResumeToItsJudgement() {
        // When alice's signed SUSPEND of runaway is read
        offer("runaway", new Control(ControlAction.SUSPEND, "runaway spending", "alice", T0), "alice");

        // Then runaway is suspended on this instance before any judgement, and the escalation check is told to look again
        assertThat(suspensions.of("runaway")).hasValueSatisfying(switched -> assertThat(switched.by()).isEqualTo("alice"));
        assertThat(suspensions.pulls()).isEqualTo(1);

        // And her RESUME, read next, changes nothing until the mediator has judged it
        offer("runaway", new Control(ControlAction.RESUME, "fixed", "alice", T0.plusSeconds(1)), "alice");
        assertThat(suspensions.of("runaway")).isPresent();
    }

    @Test
    void shouldPutInForceNoSuspendTheAcceptorWouldRefuse() {
        // Given a RESUME of runaway accepted at T0
        suspensions.accept("runaway", AcceptedControl.of(new Control(ControlAction.RESUME, "fixed", "alice", T0)));

        // When SUSPENDs arrive unsigned, signed with another key than the operator's, older than the RESUME by more than clocks
        // disagree (a captured one replayed), dated far ahead, and naming an operator the policy does not list
        offer("runaway", new Control(ControlAction.SUSPEND, "unsigned", "alice", T0.plusSeconds(1)), null);
        offer("runaway", new Control(ControlAction.SUSPEND, "forged", "alice", T0.plusSeconds(1)), "bob");
        offer("runaway", new Control(ControlAction.SUSPEND, "replayed", "alice", T0.minus(Duration.ofMinutes(10))), "alice");
        offer("runaway", new Control(ControlAction.SUSPEND, "ahead", "alice", T0.plus(Duration.ofHours(1))), "alice");
        offer("runaway", new Control(ControlAction.SUSPEND, "stranger", "mallory", T0.plusSeconds(1)), "mallory");

        // Then none is in force; one that counts is
        assertThat(suspensions.of("runaway")).isEmpty();
        offer("runaway", new Control(ControlAction.SUSPEND, "counts", "alice", T0.plusSeconds(1)), "alice");
        assertThat(suspensions.of("runaway")).hasValueSatisfying(switched -> assertThat(switched.reason()).isEqualTo("counts"));
    }

    @Test
    void shouldLiftASwitchWhoseJudgementDoesNotComeAndKeepOneThatCame() {
        // Given runaway and every agent suspended here ahead of their judgement
        offer("runaway", new Control(ControlAction.SUSPEND, "runaway spending", "alice", T0), "alice");
        offer(Suspensions.ALL, new Control(ControlAction.SUSPEND, "incident 42", "alice", T0), "alice");

        // When the mediator accepts the switch of every agent, and the lapse passes
        suspensions.accept(Suspensions.ALL, AcceptedControl.of(new Control(ControlAction.SUSPEND, "incident 42", "alice", T0)));
        clock.advance(LAPSE);
        watch.lapse();

        // Then the one never judged is lifted, and the accepted one stays until a RESUME is accepted
        assertThat(suspensions.all()).containsOnlyKeys(Suspensions.ALL);
        suspensions.accept(Suspensions.ALL, AcceptedControl.of(new Control(ControlAction.RESUME, "over", "alice", T0.plusSeconds(1))));
        assertThat(suspensions.all()).isEmpty();
    }

    @Test
    void shouldLeaveASwitchAlreadyInForceAsItIs() {
        // Given runaway suspended by an accepted control
        suspensions.accept("runaway", AcceptedControl.of(new Control(ControlAction.SUSPEND, "accepted", "alice", T0)));

        // When a later SUSPEND is read, then the lapse passes without its judgement
        offer("runaway", new Control(ControlAction.SUSPEND, "again", "alice", T0.plusSeconds(5)), "alice");
        clock.advance(LAPSE);
        watch.lapse();

        // Then the accepted switch is the one in force, before and after
        assertThat(suspensions.of("runaway")).hasValueSatisfying(switched -> assertThat(switched.reason()).isEqualTo("accepted"));
    }

    @Test
    void shouldNotPutInForceASuspendWhoseScopeWasResumedWhileItWasJudged() {
        // Given alice's SUSPEND, and the mediator accepting it and then a RESUME while this instance checks its signature
        Control suspend = new Control(ControlAction.SUSPEND, "runaway spending", "alice", T0);
        Control resume = new Control(ControlAction.RESUME, "fixed", "alice", T0.plus(Duration.ofMinutes(6)));
        Headers signed = ControlSignatures.sign("runaway", suspend, TestKeys.privateKey("alice"));
        AtomicBoolean judging = new AtomicBoolean(true);
        Headers meanwhile = new RecordHeaders(signed.toArray()) {
            @Override
            public Header lastHeader(String key) {
                if (judging.getAndSet(false)) {
                    suspensions.accept("runaway", AcceptedControl.of(suspend));
                    suspensions.accept("runaway", AcceptedControl.of(resume));
                }
                return super.lastHeader(key);
            }
        };

        // When this instance has judged it
        watch.offer("runaway".getBytes(StandardCharsets.UTF_8), suspend.toTree().toString().getBytes(StandardCharsets.UTF_8), meanwhile, T0);

        // Then it is not put in force: it was judged against a control no longer the last accepted
        assertThat(suspensions.of("runaway")).isEmpty();
    }

    @Test
    void shouldKeepASuspendPutInForceAheadWhenAnOlderResumeIsAppliedAndLiftItForALaterOne() {
        // Given alice's SUSPEND in force ahead of its judgement, as on an instance starting during an incident
        offer("runaway", new Control(ControlAction.SUSPEND, "runaway spending", "alice", T0), "alice");

        // When the RESUME of last week is applied (the start reads the last control accepted), and the tombstone of a control
        suspensions.accept("runaway", AcceptedControl.of(new Control(ControlAction.RESUME, "fixed", "alice", T0.minus(Duration.ofDays(7)))));
        suspensions.forget("runaway");

        // Then the switch stays; a RESUME later than it lifts it
        assertThat(suspensions.of("runaway")).isPresent();
        suspensions.accept("runaway", AcceptedControl.of(new Control(ControlAction.RESUME, "fixed", "alice", T0.plusSeconds(1))));
        assertThat(suspensions.of("runaway")).isEmpty();
    }

    @Test
    void shouldLapseOnlyTheSwitchPutInForceAheadNotTheJudgedOneThatReplacedIt() {
        // Given a switch put in force ahead, then the judged SUSPEND of the same fields
        Control suspend = new Control(ControlAction.SUSPEND, "runaway spending", "alice", T0);
        offer("runaway", suspend, "alice");
        suspensions.accept("runaway", AcceptedControl.of(suspend));

        // When the lapse passes
        clock.advance(LAPSE);
        watch.lapse();

        // Then the judged one stays
        assertThat(suspensions.of("runaway")).isPresent();
    }

    @Test
    void shouldKeepASuspendPutInForceAheadThroughTheReplayOfAnOlderSuspendAndResume() {
        // Given alice's SUSPEND of now in force ahead, on an instance starting while the judge is down
        Control now = new Control(ControlAction.SUSPEND, "incident 42", "alice", T0);
        offer("runaway", now, "alice");

        // When its global thread replays what was accepted before: an older SUSPEND, then a RESUME, both older than it
        MockProcessorContext<Void, Void> context = new MockProcessorContext<>();
        KeyValueStore<String, String> store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("accepted-controls"),
                Serdes.String(), Serdes.String()).withLoggingDisabled().build();
        store.init(context.getStateStoreContext(), store);
        context.addStateStore(store);
        ControlLoader loader = new ControlLoader("accepted-controls", suspensions);
        loader.init(context);
        loader.process(new Record<>("runaway", AcceptedControl.of(new Control(ControlAction.SUSPEND, "old", "alice",
                T0.minus(Duration.ofMinutes(10)))).toJson(), 0L));
        loader.process(new Record<>("runaway", AcceptedControl.of(new Control(ControlAction.RESUME, "fixed", "alice",
                T0.minus(Duration.ofMinutes(5)))).toJson(), 0L));

        // Then the agent stays suspended by the later SUSPEND, which the judge has yet to see
        assertThat(suspensions.of("runaway")).hasValueSatisfying(switched -> assertThat(switched.reason()).isEqualTo("incident 42"));
    }

    @Test
    void shouldPutInForceALaterSuspendOverOneInForceAndFallBackToTheJudgedOneWhenItLapses() {
        // Given runaway suspended by an accepted control, and alice's SUSPEND before it in force ahead, then a later one read
        suspensions.accept("runaway", AcceptedControl.of(new Control(ControlAction.SUSPEND, "judged", "alice", T0.minus(Duration.ofMinutes(20)))));
        offer("runaway", new Control(ControlAction.SUSPEND, "earlier", "alice", T0.minus(Duration.ofMinutes(30))), "alice");
        offer("runaway", new Control(ControlAction.SUSPEND, "incident 42", "alice", T0), "alice");

        // Then the later one is in force; older judged controls leave it; when it lapses, the judged switch is in force again
        assertThat(suspensions.of("runaway")).hasValueSatisfying(switched -> assertThat(switched.reason()).isEqualTo("incident 42"));
        suspensions.accept("runaway", AcceptedControl.of(new Control(ControlAction.SUSPEND, "judged again", "alice", T0.minus(Duration.ofMinutes(1)))));
        assertThat(suspensions.of("runaway")).hasValueSatisfying(switched -> assertThat(switched.reason()).isEqualTo("incident 42"));
        clock.advance(LAPSE);
        watch.lapse();
        assertThat(suspensions.of("runaway")).hasValueSatisfying(switched -> assertThat(switched.reason()).isEqualTo("judged again"));
    }

    private void offer(String scope, Control control, String signer) {
        Headers headers = signer == null ? new RecordHeaders() : ControlSignatures.sign(scope, control, TestKeys.privateKey(signer));
        watch.offer(scope.getBytes(StandardCharsets.UTF_8), control.toTree().toString().getBytes(StandardCharsets.UTF_8), headers, clock.instant());
    }
}
