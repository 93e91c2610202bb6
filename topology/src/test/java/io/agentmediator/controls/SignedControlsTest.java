package io.agentmediator.controls;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import io.agentmediator.config.ConfigKeys;
import io.agentmediator.config.MediatorConfig;
import io.agentmediator.limits.RecordSize;
import io.agentmediator.policy.Policy;
import io.agentmediator.policy.PolicyCodec;
import io.agentmediator.policy.PolicyParser;
import io.agentmediator.schema.AgentIntent;
import io.agentmediator.schema.DecisionOutcome;
import io.agentmediator.schema.Reason;
import io.agentmediator.schema.ReasonCode;
import io.agentmediator.signing.IntentSignatures;
import io.agentmediator.testing.CapturedLog;
import io.agentmediator.testing.PipelineDriver;
import io.agentmediator.testing.TestKeys;
import io.agentmediator.topics.TopicSpec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Signed controls through the whole topology: a control counts only when signed by the operator it
 * names, with the key the policy lists for it; anything else is logged, counted and changes nothing.
 */
class SignedControlsTest {

    private static final Instant T0 = Instant.parse("2026-11-23T09:00:00Z");
    private static final String AGENTS = """
            version: "signed-controls-1"
            tiers: [MANAGER]
            agents:
              - { id: runaway, capabilities: { actions: ["*"], targets: ["*"] } }
            """;
    private static final String WITH_OPERATORS = AGENTS + """
            operators:
              - { id: alice, publicKey: "%s" }
              - { id: bob, publicKey: "%s" }
            """.formatted(TestKeys.publicKey("alice"), TestKeys.publicKey("bob"));

    private PipelineDriver mediator;

    @AfterEach
    void tearDown() {
        mediator.close();
    }

    @Test
    void shouldSuspendAndResumeWithControlsSignedByListedOperators() {
        // Given a policy listing operators (so controls must be signed)
        mediator = new PipelineDriver(WITH_OPERATORS, T0);

        // When alice suspends, signed, and bob resumes, signed
        Control suspend = new Control(ControlAction.SUSPEND, "runaway spending", "alice", T0.plusSeconds(1));
        signed("runaway", suspend, "alice", T0.plusSeconds(1));
        mediator.send(spend("during"), T0.plusSeconds(2));
        signed("runaway", new Control(ControlAction.RESUME, "fixed", "bob", T0.plusSeconds(3)), "bob", T0.plusSeconds(3));
        mediator.send(spend("after"), T0.plusSeconds(4));

        // Then the switch was on in between, and nothing was refused
        assertThat(mediator.decision("during").getReasons().get(0).getCode()).isEqualTo(ReasonCode.AGENT_SUSPENDED);
        assertThat(mediator.decision("after").getOutcome()).isEqualTo(DecisionOutcome.EXECUTE);
        assertThat(Arrays.stream(ControlRefusal.Reason.values()).mapToLong(mediator.suspensions().refusals()::total).sum()).isZero();
    }

    @Test
    void shouldPassOnOnlyTheControlsThatCountSoThatNoReaderJudgesThemAgain() {
        // Given alice's signed suspension, then an unsigned resumption and a tombstone, both refused
        mediator = new PipelineDriver(WITH_OPERATORS, T0);
        Control suspend = new Control(ControlAction.SUSPEND, "runaway spending", "alice", T0.plusSeconds(1));
        signed("runaway", suspend, "alice", T0.plusSeconds(1));
        mediator.pipe(mediator.topics().controls(), "runaway", new Control(ControlAction.RESUME, "forged", "alice", T0.plusSeconds(2)).toJson(),
                T0.plusSeconds(2));
        mediator.pipe(mediator.topics().controls(), "runaway", null, T0.plusSeconds(3));

        // Then the accepted controls, which every instance loads and the compaction of the controls topic cannot touch,
        // hold the suspension alone, as alice wrote it
        assertThat(mediator.written(mediator.topics().controlsAccepted())).containsExactly(suspend.toJson());
        assertThat(mediator.suspensions().of("runaway")).isPresent();
    }

    @Test
    void shouldPassOnTheSignedFieldsOfAControlNotThePaddingAroundThem() {
        // Given alice's signed suspension, copied with an unsigned field and 10 KB of blanks added
        mediator = new PipelineDriver(WITH_OPERATORS, T0);
        Control suspend = new Control(ControlAction.SUSPEND, "runaway spending", "alice", T0);
        Headers signature = ControlSignatures.sign("runaway", suspend, TestKeys.privateKey("alice"));
        String padded = suspend.toJson().replace("{", "{\"padding\":\"" + "x".repeat(2_000) + "\",") + " ".repeat(10_000);

        // When the copy arrives first, then alice's own record
        mediator.pipe(raw(), bytes("runaway"), bytes(padded), signature, T0);
        signed("runaway", suspend, "alice", T0.plusSeconds(1));

        // Then what counts is her suspension, as its signed fields say, and her own record is no later than it
        assertThat(mediator.written(mediator.topics().controlsAccepted())).containsExactly(suspend.toJson());
        assertRefused(ControlRefusal.Reason.STALE, DecisionOutcome.REJECT);
    }

    @Test
    void shouldRefuseAControlTooLargeToMoveWhereverItIsReadAndStillTakeTheOperatorsOwn() {
        // Given alice's signed suspension, copied with more blanks than the mediator's producer may send
        mediator = new PipelineDriver(WITH_OPERATORS, T0);
        Control suspend = new Control(ControlAction.SUSPEND, "runaway spending", "alice", T0);
        Headers signature = ControlSignatures.sign("runaway", suspend, TestKeys.privateKey("alice"));

        // When the copy arrives first, then alice's own record
        mediator.pipe(raw(), bytes("runaway"), bytes(suspend.toJson() + " ".repeat(1_100_000)), signature, T0);
        signed("runaway", suspend, "alice", T0.plusSeconds(1));

        // Then the copy was refused for its size, not dead-lettered, and her suspension is in force
        assertThat(mediator.deadLetters()).isEmpty();
        assertRefused(ControlRefusal.Reason.OVER_LIMIT, DecisionOutcome.REJECT);
    }

    @Test
    void shouldRefuseACopyThatFitsAsReadButNotAsPassedOnAndStillTakeTheOperatorsOwn() {
        // Given a mediator sending records of at most 60,000 bytes, and alice's signed suspension
        mediator = new PipelineDriver(WITH_OPERATORS, T0, MediatorConfig.layered(Map.of(), Map.of(), Map.of("producer.max.request.size", "60000")));
        Control suspend = new Control(ControlAction.SUSPEND, "runaway spending", "alice", T0.plusMillis(100));
        Headers signature = ControlSignatures.sign("runaway", suspend, TestKeys.privateKey("alice"));
        byte[] shortAt = bytes(suspend.toJson().replace(".100Z", ".1Z"));
        int padding = 60_000 - RecordSize.FRAMING_BYTES - shortAt.length - RecordSize.headerBytes(signature);
        Headers padded = new RecordHeaders();
        padded.add(IntentSignatures.SIGNATURE_HEADER, bytes(new String(signature.lastHeader(IntentSignatures.SIGNATURE_HEADER).value(),
                StandardCharsets.UTF_8) + " ".repeat(padding)));
        padded.add(signature.lastHeader(IntentSignatures.KEY_ID_HEADER));

        // When a copy arrives first with its at written shorter (the same millisecond, so the signature holds) and its
        // signature padded with blanks, so that it fits as read, exactly, but not once its at is written out again
        mediator.pipe(raw(), bytes("runaway"), shortAt, padded, T0);
        signed("runaway", suspend, "alice", T0.plusSeconds(1));

        // Then the copy is refused for its size rather than kept where no instance would ever read it, and hers counts
        assertRefused(ControlRefusal.Reason.OVER_LIMIT, DecisionOutcome.REJECT);
        assertThat(mediator.written(mediator.topics().controlsAccepted())).containsExactly(suspend.toJson());
    }

    @Test
    void shouldJudgeAControlsTimeToTheMillisecondItIsSignedTo() {
        // Given alice's signed suspension in force
        mediator = new PipelineDriver(WITH_OPERATORS, T0);
        Control suspend = new Control(ControlAction.SUSPEND, "runaway spending", "alice", T0);
        Headers signature = ControlSignatures.sign("runaway", suspend, TestKeys.privateKey("alice"));
        mediator.pipe(raw(), bytes("runaway"), bytes(suspend.toJson()), signature, T0);

        // When a copy dated a nanosecond later (the same signed millisecond) is written, and one dated past what a long holds
        mediator.pipe(raw(), bytes("runaway"), bytes(suspend.toJson().replace("09:00:00Z", "09:00:00.000000001Z")), signature, T0);
        mediator.pipe(raw(), bytes("runaway"), bytes(suspend.toJson().replace("2026-11-23T09:00:00Z", "+1000000000-01-01T00:00:00Z")),
                signature, T0);

        // Then the first is no later than the one in force, the second unreadable: each refused and counted, nothing dead-lettered
        assertThat(mediator.suspensions().refusals().total(ControlRefusal.Reason.STALE)).isEqualTo(1);
        assertThat(mediator.suspensions().refusals().total(ControlRefusal.Reason.UNREADABLE)).isEqualTo(1);
        assertThat(mediator.deadLetters()).isEmpty();
        assertThat(mediator.written(mediator.topics().controlsAccepted())).containsExactly(suspend.toJson());
    }

    @Test
    void shouldRefuseAControlWhoseKeyOrValueIsNotUtf8() {
        // Given controls are unsigned
        mediator = new PipelineDriver(AGENTS, T0);
        byte[] suspend = bytes(new Control(ControlAction.SUSPEND, "drill", "carol", T0).toJson());

        // When one has a key that is not UTF-8, and one a value with a byte that is not
        mediator.pipe(raw(), new byte[] {'r', 'u', 'n', (byte) 0x80}, suspend, T0);
        byte[] broken = Arrays.copyOf(suspend, suspend.length);
        broken[broken.length - 3] = (byte) 0xFF;
        mediator.pipe(raw(), bytes("runaway"), broken, T0);

        // Then both are unreadable: read leniently, keys of other bytes (on other partitions) would be one scope
        assertThat(mediator.suspensions().refusals().total(ControlRefusal.Reason.UNREADABLE)).isEqualTo(2);
        assertThat(mediator.written(mediator.topics().controlsAccepted())).isEmpty();
    }

    @Test
    void shouldRefuseAReplayOlderThanTheSwitchInForceEvenWhenTheJudgesOwnMemoryWasLost() {
        // Given a suspension every instance holds, which this judge never saw (its store lost: a new application id, a copy
        // of the accepted topic without its changelog)
        mediator = new PipelineDriver(WITH_OPERATORS, T0);
        mediator.pipe(mediator.topics().controlsAccepted(), "runaway",
                new Control(ControlAction.SUSPEND, "runaway spending", "alice", T0.plusSeconds(10)).toJson(), T0.plusSeconds(10));

        // When a signed resumption older than it is written again
        signed("runaway", new Control(ControlAction.RESUME, "fine", "alice", T0), "alice", T0.plusSeconds(20));

        // Then it is refused as stale, and the suspension stays
        assertRefused(ControlRefusal.Reason.STALE, DecisionOutcome.REJECT);
    }

    @Test
    void shouldPutAnAcceptedControlInForceWithoutJudgingItAgainUnderTheLaterPolicy() {
        // Given a policy in force whose operators no longer include the one who signed a control accepted before
        mediator = new PipelineDriver(WITH_OPERATORS, T0);

        // When that accepted control is read (as an instance rebuilding its kill switches reads them)
        mediator.pipe(mediator.topics().controlsAccepted(), "runaway",
                new Control(ControlAction.SUSPEND, "signed before the rotation", "dave", T0).toJson(), T0);

        // Then it is in force, and nothing is counted as refused
        assertRefused(null, DecisionOutcome.REJECT);
    }

    @Test
    void shouldRefuseASignedControlOverTheInputLimitsWhichEveryDecisionUnderItWouldQuote() {
        // Given records of at most 400 characters of text
        mediator = new PipelineDriver(WITH_OPERATORS, T0, MediatorConfig.defaults().with(ConfigKeys.LIMITS_TEXT_MAX_CHARS, "400"));

        // When alice signs a suspension whose reason is longer than that
        try (CapturedLog log = new CapturedLog(ControlAcceptor.class)) {
            signed("runaway", new Control(ControlAction.SUSPEND, "r".repeat(400), "alice", T0), "alice", T0);

            // Then it is refused, naming the limit, and changes nothing
            assertThat(log.messages(Level.WARN)).singleElement().satisfies(line -> assertThat(line)
                    .contains("refused (OVER_LIMIT)", "412 characters together, over limits.text.max.chars (400)"));
        }
        assertRefused(ControlRefusal.Reason.OVER_LIMIT, DecisionOutcome.EXECUTE);

        // And one within it counts
        signed("runaway", new Control(ControlAction.SUSPEND, "r".repeat(380), "alice", T0.plusSeconds(40)), "alice", T0.plusSeconds(40));
        mediator.send(spend("within"), T0.plusSeconds(41));
        assertThat(mediator.decision("within").getOutcome()).isEqualTo(DecisionOutcome.REJECT);
    }

    @Test
    void shouldRefuseAControlWithAKeyIdHeaderOfHalfAMegabyteInAShortLogLine() {
        // Given alice's valid signature under a key id header nobody issued: no header of a control has a bound of its own
        mediator = new PipelineDriver(WITH_OPERATORS, T0);
        Control suspend = new Control(ControlAction.SUSPEND, "drill", "alice", T0);
        Headers headers = new RecordHeaders();
        headers.add(ControlSignatures.sign("runaway", suspend, TestKeys.privateKey("alice")).lastHeader(IntentSignatures.SIGNATURE_HEADER));
        headers.add(IntentSignatures.KEY_ID_HEADER, bytes("k".repeat(500_000)));

        try (CapturedLog log = new CapturedLog(ControlAcceptor.class)) {
            // When
            mediator.pipe(raw(), bytes("runaway"), bytes(suspend.toJson()), headers, T0);

            // Then the refusal quotes the header cut, with its length
            assertThat(log.messages(Level.WARN)).singleElement().satisfies(line -> assertThat(line)
                    .hasSizeLessThan(1_500).contains("refused (SIGNATURE_INVALID)").contains(" chars]"));
        }
    }

    @Test
    void shouldLogForeignWritesOnTheAcceptedTopicKeyedByHalfAMegabyteOnShortLines() {
        // Given records on the accepted controls topic that no mediator wrote, keyed by half a megabyte and a forged line
        mediator = new PipelineDriver(WITH_OPERATORS, T0);
        String key = "runaway\nINFO all is well" + "k".repeat(500_000);

        try (CapturedLog log = new CapturedLog(ControlLoader.class)) {
            // When one does not read and one removes a switch
            mediator.pipe(mediator.topics().controlsAccepted(), key, "not json" + "j".repeat(500_000), T0);
            mediator.pipe(mediator.topics().controlsAccepted(), key, null, T0);

            // Then each is logged on one short line
            assertThat(log.messages(Level.ERROR)).singleElement().satisfies(line -> assertThat(line)
                    .doesNotContain("\n").contains("not readable").hasSizeLessThan(2_000));
            assertThat(log.messages(Level.INFO)).singleElement().satisfies(line -> assertThat(line)
                    .doesNotContain("\n").contains("removed").hasSizeLessThan(1_000));
        }
        mediator.send(spend("still-decided"), T0.plusSeconds(1));
        assertThat(mediator.decision("still-decided").getOutcome()).isEqualTo(DecisionOutcome.EXECUTE);
    }

    @Test
    void shouldRefuseAnUnsignedControlWhenThePolicyListsOperators() {
        // Given the default of a policy with operators: controls REQUIRED
        mediator = new PipelineDriver(WITH_OPERATORS, T0);

        try (CapturedLog log = new CapturedLog(ControlAcceptor.class)) {
            // When an unsigned control names alice
            mediator.pipe(mediator.topics().controls(), "runaway",
                    new Control(ControlAction.SUSPEND, "forged", "alice\nINFO all is well", T0).toJson(), T0);

            // Then it is logged on one line, counted, and the agent is not suspended
            assertThat(log.messages(Level.WARN)).singleElement().satisfies(line -> assertThat(line)
                    .contains("control for runaway refused (UNSIGNED)", "SUSPEND by alice\\u000aINFO all is well is not signed")
                    .doesNotContain("\n"));
        }
        assertRefused(ControlRefusal.Reason.UNSIGNED, DecisionOutcome.EXECUTE);
    }

    @Test
    void shouldRefuseAControlSignedWithAnotherKeyThanTheOperatorsListed() {
        // Given
        mediator = new PipelineDriver(WITH_OPERATORS, T0);

        // When bob's key signs a control that names alice
        signed("runaway", new Control(ControlAction.SUSPEND, "not mine", "alice", T0), "bob", T0);

        // Then
        assertRefused(ControlRefusal.Reason.SIGNATURE_INVALID, DecisionOutcome.EXECUTE);
    }

    @Test
    void shouldRefuseASignedControlOfAnOperatorThePolicyDoesNotList() {
        // Given
        mediator = new PipelineDriver(WITH_OPERATORS, T0);

        // When mallory signs with her own key
        signed("runaway", new Control(ControlAction.SUSPEND, "let me in", "mallory", T0), "mallory", T0);

        // Then
        assertRefused(ControlRefusal.Reason.UNKNOWN_OPERATOR, DecisionOutcome.EXECUTE);
    }

    @Test
    void shouldRefuseAControlSignedForAnotherScope() {
        // Given alice signed a suspension of every agent
        mediator = new PipelineDriver(WITH_OPERATORS, T0);
        Control everyone = new Control(ControlAction.SUSPEND, "incident", "alice", T0);
        Headers signedForAll = ControlSignatures.sign(Suspensions.ALL, everyone, TestKeys.privateKey("alice"));

        // When the same record is written under one agent's key
        mediator.pipe(mediator.topics().controls(), "runaway", everyone.toJson(), signedForAll, T0);

        // Then the scope is part of what was signed
        assertRefused(ControlRefusal.Reason.SIGNATURE_INVALID, DecisionOutcome.EXECUTE);
    }

    @Test
    void shouldRefuseAReplayOfAnOlderSignedControl() {
        // Given alice resumed, then suspended again
        mediator = new PipelineDriver(WITH_OPERATORS, T0);
        Control resume = new Control(ControlAction.RESUME, "fine", "alice", T0);
        Headers resumeSignature = ControlSignatures.sign("runaway", resume, TestKeys.privateKey("alice"));
        mediator.pipe(mediator.topics().controls(), "runaway", resume.toJson(), resumeSignature, T0);
        signed("runaway", new Control(ControlAction.SUSPEND, "again", "alice", T0.plusSeconds(5)), "alice", T0.plusSeconds(5));

        // When the captured RESUME is written again
        mediator.pipe(mediator.topics().controls(), "runaway", resume.toJson(), resumeSignature, T0.plusSeconds(6));

        // Then it is refused as stale and the suspension stays
        assertRefused(ControlRefusal.Reason.STALE, DecisionOutcome.REJECT);
    }

    @Test
    void shouldRefuseAControlDatedFarAheadOfItsRecordSoThatTheSwitchCanStillBeMoved() {
        // Given alice's clock a year ahead when she resumes the agent
        mediator = new PipelineDriver(WITH_OPERATORS, T0);
        signed("runaway", new Control(ControlAction.RESUME, "fine", "alice", T0.plus(Duration.ofDays(365))), "alice", T0);

        // Then it is refused: accepted, no control could be later than it, and the switch would be stuck
        assertRefused(ControlRefusal.Reason.FUTURE, DecisionOutcome.EXECUTE);

        // And a control dated when it is written, within minutes of its record, still counts
        signed("runaway", new Control(ControlAction.SUSPEND, "runaway", "alice", T0.plusSeconds(60 + 4 * 60)), "alice", T0.plusSeconds(60));
        mediator.send(spend("after"), T0.plusSeconds(90));
        assertThat(mediator.decision("after").getOutcome()).isEqualTo(DecisionOutcome.REJECT);
    }

    @Test
    void shouldRefuseAControlDatedFarAheadWhateverTimeItsWriterGaveTheRecord() {
        // Given a resume dated a year ahead (a leaked operator key), its record dated alike: agent.controls keeps its writers' times
        mediator = new PipelineDriver(WITH_OPERATORS, T0);
        Instant yearAhead = T0.plus(Duration.ofDays(365));
        signed("runaway", new Control(ControlAction.RESUME, "fine", "alice", yearAhead), "alice", yearAhead);

        // Then it is refused all the same: judged against the mediator's clock too, not only the record's
        assertRefused(ControlRefusal.Reason.FUTURE, DecisionOutcome.EXECUTE);
    }

    @Test
    void shouldRefuseATombstoneWhenControlsMustBeSigned() {
        // Given alice suspended the agent
        mediator = new PipelineDriver(WITH_OPERATORS, T0);
        signed("runaway", new Control(ControlAction.SUSPEND, "runaway", "alice", T0), "alice", T0);

        // When someone deletes the key
        mediator.pipe(mediator.topics().controls(), "runaway", null, T0.plusSeconds(1));

        // Then the suspension stays
        assertRefused(ControlRefusal.Reason.UNSIGNED, DecisionOutcome.REJECT);
    }

    @Test
    void shouldAcceptAnUnsignedControlWhereThePolicySaysControlsAreOptional() {
        // Given operators, but controls explicitly OPTIONAL
        mediator = new PipelineDriver(WITH_OPERATORS + "signatures: { controls: OPTIONAL }\n", T0);

        // When
        mediator.pipe(mediator.topics().controls(), "runaway", new Control(ControlAction.SUSPEND, "drill", "carol", T0).toJson(), T0);
        mediator.send(spend("during"), T0.plusSeconds(1));

        // Then
        assertThat(mediator.decision("during").getReasons().get(0).getMessage()).contains("suspended by carol");
    }

    @Test
    void shouldStillRefuseABadSignatureWhereControlsAreOptional() {
        // Given no operators: controls OPTIONAL by default
        mediator = new PipelineDriver(AGENTS, T0);

        // When a control is signed, but by nobody the policy lists
        signed("runaway", new Control(ControlAction.SUSPEND, "who knows", "mallory", T0), "mallory", T0);

        // Then a signature given must verify, as for approvals
        assertRefused(ControlRefusal.Reason.UNKNOWN_OPERATOR, DecisionOutcome.EXECUTE);
    }

    @Test
    void shouldJudgeEachControlUnderThePolicyInForceWhenItIsRead() {
        // Given a policy without operators, under which an unsigned suspension counts
        mediator = new PipelineDriver(AGENTS, T0);
        mediator.pipe(mediator.topics().controls(), "runaway", new Control(ControlAction.SUSPEND, "drill", "carol", T0).toJson(), T0);

        // When a policy listing operators is published, and then an unsigned resumption and alice's signed one arrive
        Policy withOperators = PolicyParser.parse("next.yaml", WITH_OPERATORS.replace("signed-controls-1", "signed-controls-2")).policy();
        mediator.pipe(mediator.topics().policies(), bytes("default"), mediator.topics().policySerde().serializer()
                .serialize(mediator.topics().policies().name(), PolicyCodec.toAvro(withOperators)), T0.plusSeconds(1));
        mediator.pipe(mediator.topics().controls(), "runaway",
                new Control(ControlAction.RESUME, "not me", "carol", T0.plusSeconds(2)).toJson(), T0.plusSeconds(2));
        mediator.send(spend("still-suspended"), T0.plusSeconds(3));
        signed("runaway", new Control(ControlAction.RESUME, "drill over", "alice", T0.plusSeconds(4)), "alice", T0.plusSeconds(4));

        // Then the suspension accepted before stayed in force, the unsigned resumption was refused, and alice's counted
        assertThat(mediator.decision("still-suspended").getReasons().get(0).getMessage()).contains("suspended by carol");
        assertRefused(ControlRefusal.Reason.UNSIGNED, DecisionOutcome.EXECUTE);
    }

    @Test
    void shouldPullTheSwitchAgainAfterAResumeFromAClockAheadAndKeepThatResumeFromBeingReplayed() {
        // Given alice's suspension, then bob's resumption from a clock three minutes ahead (written at 09:00:30, dated 09:03)
        mediator = new PipelineDriver(WITH_OPERATORS, T0);
        signed("runaway", new Control(ControlAction.SUSPEND, "runaway spending", "alice", T0), "alice", T0);
        Control resume = new Control(ControlAction.RESUME, "fixed", "bob", T0.plusSeconds(180));
        Headers resumeSignature = ControlSignatures.sign("runaway", resume, TestKeys.privateKey("bob"));
        mediator.pipe(raw(), bytes("runaway"), bytes(resume.toJson()), resumeSignature, T0.plusSeconds(30));

        // When, a minute later by every correct clock, alice pulls the switch again in an incident
        signed("runaway", new Control(ControlAction.SUSPEND, "it is at it again", "alice", T0.plusSeconds(60)), "alice",
                T0.plusSeconds(60));

        // Then it is suspended, and a copy of bob's resumption written again cannot lift it; alice's own later one can
        mediator.send(spend("stopped"), T0.plusSeconds(61));
        assertThat(mediator.decision("stopped").getReasons()).extracting(Reason::getCode).containsExactly(ReasonCode.AGENT_SUSPENDED);
        mediator.pipe(raw(), bytes("runaway"), bytes(resume.toJson()), resumeSignature, T0.plusSeconds(90));
        mediator.send(spend("still-stopped"), T0.plusSeconds(91));
        assertThat(mediator.decision("still-stopped").getReasons()).extracting(Reason::getCode)
                .containsExactly(ReasonCode.AGENT_SUSPENDED);
        assertThat(mediator.suspensions().refusals().total(ControlRefusal.Reason.STALE)).isEqualTo(1);
        signed("runaway", new Control(ControlAction.RESUME, "really fixed", "alice", T0.plusSeconds(181)), "alice", T0.plusSeconds(181));
        mediator.send(spend("going-again"), T0.plusSeconds(182));
        assertThat(mediator.decision("going-again").getOutcome()).isEqualTo(DecisionOutcome.EXECUTE);
    }

    @Test
    void shouldRefuseASuspensionOlderThanTheResumeInForceByMoreThanClocksMayDisagree() {
        // Given bob's resumption in force, dated 09:10
        mediator = new PipelineDriver(WITH_OPERATORS, T0.plusSeconds(600));
        signed("runaway", new Control(ControlAction.RESUME, "fixed", "bob", T0.plusSeconds(600)), "bob", T0.plusSeconds(600));

        // When a suspension dated 09:00, ten minutes before it, is written (a copy kept since)
        signed("runaway", new Control(ControlAction.SUSPEND, "old", "alice", T0), "alice", T0.plusSeconds(610));

        // Then it is stale, and the agent goes on
        assertRefused(ControlRefusal.Reason.STALE, DecisionOutcome.EXECUTE);
    }

    private void signed(String scope, Control control, String signer, Instant at) {
        mediator.pipe(mediator.topics().controls(), scope, control.toJson(),
                ControlSignatures.sign(scope, control, TestKeys.privateKey(signer)), at);
    }

    /** Exactly one control refused, for {@code reason} (none for null), and an intent sent afterwards decided as the switch was before it. */
    private void assertRefused(ControlRefusal.Reason reason, DecisionOutcome probeOutcome) {
        for (ControlRefusal.Reason each : ControlRefusal.Reason.values()) {
            assertThat(mediator.suspensions().refusals().total(each)).as(each.name()).isEqualTo(each == reason ? 1 : 0);
        }
        mediator.send(spend("probe"), T0.plusSeconds(30));
        assertThat(mediator.decision("probe").getOutcome()).isEqualTo(probeOutcome);
    }

    /** The controls topic as bytes, as a client that writes anything may write it. */
    private TopicSpec<byte[], byte[]> raw() {
        return new TopicSpec<>(mediator.topics().controls().name(), Serdes.ByteArray(), Serdes.ByteArray(), true);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static AgentIntent spend(String intentId) {
        return AgentIntent.newBuilder().setIntentId(intentId).setAgentId("runaway").setAction("llm.call").setTarget("llm:large")
                .setCostMicros(1_000).setCommitmentMicros(0).setConfidence(0.95).build();
    }
}
