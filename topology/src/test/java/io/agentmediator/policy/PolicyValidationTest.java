package io.agentmediator.policy;

import io.agentmediator.rules.Rule;
import io.agentmediator.rules.RuleEffect;
import io.agentmediator.rules.RuleMode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.agentmediator.rules.RuleLimits;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Base64;
import io.agentmediator.testing.TestKeys;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** One focused case per check the parser makes; the broken fixture shows them reported together. */
class PolicyValidationTest {

    private static PolicyParseResult parse(String yaml) {
        return PolicyParser.parse("policy.yaml", yaml);
    }

    /** The single problem {@code yaml} has. */
    private static PolicyProblem onlyProblem(String yaml) {
        List<PolicyProblem> problems = parse(yaml).problems();
        assertThat(problems).hasSize(1);
        return problems.get(0);
    }

    private static String agentWith(String lines) {
        return """
                version: "1"
                agents:
                  - id: bot
                """ + lines.indent(4);
    }

    private static String publicKeyOf(String algorithm) throws NoSuchAlgorithmException {
        byte[] x509 = KeyPairGenerator.getInstance(algorithm).generateKeyPair().getPublic().getEncoded();
        return Base64.getEncoder().encodeToString(x509);
    }

    @Nested
    class Structure {

        @Test
        void shouldSuggestTheNearKeyForAnUnknownOne() {
            // Given a typo in a budget's key
            String yaml = agentWith("budgets: [ { window: DAY, limitMicros: 1, warnat: 0.8 } ]");

            // When
            PolicyProblem problem = onlyProblem(yaml);

            // Then
            assertThat(problem.path()).isEqualTo("agents[0].budgets[0].warnat");
            assertThat(problem.line()).isEqualTo(4);
            assertThat(problem.message()).isEqualTo("unknown key \"warnat\" (did you mean \"warnAt\"?)");
        }

        @Test
        void shouldListTheKnownKeysWhenNoneIsNear() {
            // Given
            String yaml = "version: \"1\"\ncolour: blue\n";

            // When
            PolicyProblem problem = onlyProblem(yaml);

            // Then
            assertThat(problem.path()).isEqualTo("colour");
            assertThat(problem.line()).isEqualTo(2);
            assertThat(problem.column()).isEqualTo(1);
            assertThat(problem.message()).isEqualTo("unknown key \"colour\" (expected one of version, defaults, "
                    + "tiers, agents, pools, resources, dataFlows, approvers, executors, operators, signatures, rules)");
        }

        @Test
        void shouldReportADuplicateKeyWhereItIsRepeated() {
            // Given
            String yaml = "version: \"1\"\ntiers: [MANAGER]\ntiers: [BOARD]\n";

            // When
            PolicyProblem problem = onlyProblem(yaml);

            // Then
            assertThat(problem.path()).isEqualTo("tiers");
            assertThat(problem.line()).isEqualTo(3);
            assertThat(problem.message()).isEqualTo("duplicate key \"tiers\" (first at line 2)");
        }

        @Test
        void shouldRequireAVersion() {
            // Given
            String yaml = "tiers: [MANAGER]\n";

            // When
            PolicyProblem problem = onlyProblem(yaml);

            // Then
            assertThat(problem.path()).isEqualTo("version");
            assertThat(problem.line()).isEqualTo(1);
            assertThat(problem.message()).isEqualTo("required, but missing");
        }

        @Test
        void shouldRejectBlankText() {
            // Given
            String yaml = "version: \"  \"\n";

            // When
            PolicyProblem problem = onlyProblem(yaml);

            // Then
            assertThat(problem.path()).isEqualTo("version");
            assertThat(problem.message()).isEqualTo("must not be blank");
        }

        @Test
        void shouldTakeANumberWhereTextIsExpectedAsWritten() {
            // Given a version YAML reads as a number
            String yaml = "version: 1.10\n";

            // When
            Policy policy = parse(yaml).policy();

            // Then the digits are kept as written, not as the number 1.1
            assertThat(policy.version()).isEqualTo("1.10");
        }

        @Test
        void shouldReportAValueOfTheWrongShape() {
            // Given a text where a list belongs, and a list where a mapping belongs
            String yaml = "version: \"1\"\ntiers: MANAGER\ndefaults: [UTC]\n";

            // When
            List<PolicyProblem> problems = parse(yaml).problems();

            // Then
            assertThat(problems).extracting(PolicyProblem::path, PolicyProblem::message).containsExactly(
                    tuple("tiers", "expected a list, found the string \"MANAGER\""),
                    tuple("defaults", "expected a mapping, found a list"));
        }

        @Test
        void shouldReportTextWhereABooleanIsExpected() {
            // Given
            String yaml = agentWith("suspended: \"yes\"");

            // When
            PolicyProblem problem = onlyProblem(yaml);

            // Then
            assertThat(problem.path()).isEqualTo("agents[0].suspended");
            assertThat(problem.message()).isEqualTo("expected true or false, found the string \"yes\"");
        }

        @Test
        void shouldRequireTheDocumentToBeAMapping() {
            // Given
            String yaml = "- version: \"1\"\n";

            // When
            PolicyProblem problem = onlyProblem(yaml);

            // Then
            assertThat(problem.path()).isEmpty();
            assertThat(problem.line()).isEqualTo(1);
            assertThat(problem.message()).isEqualTo("expected a mapping, found a list");
        }

        @Test
        void shouldReportAnEmptyPolicy() {
            // Given a file with nothing but a comment
            String yaml = "# nothing yet\n";

            // When
            PolicyProblem problem = onlyProblem(yaml);

            // Then
            assertThat(problem.message()).isEqualTo("the policy is empty");
        }

        @Test
        void shouldReportASecondDocument() {
            // Given
            String yaml = "version: \"1\"\n---\nversion: \"2\"\n";

            // When
            PolicyProblem problem = onlyProblem(yaml);

            // Then
            assertThat(problem.line()).isEqualTo(3);
            assertThat(problem.message()).startsWith("a policy is one YAML document");
        }

        @Test
        void shouldReportAnAliasRatherThanGuessItsValue() {
            // Given
            String yaml = "version: &v \"1\"\ntiers: [*v]\n";

            // When
            PolicyProblem problem = onlyProblem(yaml);

            // Then
            assertThat(problem.path()).isEqualTo("tiers[0]");
            assertThat(problem.line()).isEqualTo(2);
            assertThat(problem.message()).isEqualTo("YAML aliases (*v) are not supported; write the value out");
        }
    }

    @Nested
    class Amounts {

        @Test
        void shouldRejectAFractionOfAMicroUnit() {
            // Given
            String yaml = agentWith("budgets: [ { window: DAY, limitMicros: 1.5 } ]");

            // When
            PolicyProblem problem = onlyProblem(yaml);

            // Then
            assertThat(problem.path()).isEqualTo("agents[0].budgets[0].limitMicros");
            assertThat(problem.message()).isEqualTo(
                    "expected an amount in whole micro-units (1.00 = 1000000), found the number 1.5");
        }

        @Test
        void shouldRejectANegativeAmount() {
            // Given
            String yaml = agentWith("authority: { maxCommitmentMicros: -1 }");

            // When
            PolicyProblem problem = onlyProblem(yaml);

            // Then
            assertThat(problem.path()).isEqualTo("agents[0].authority.maxCommitmentMicros");
            assertThat(problem.message()).isEqualTo("must not be negative, found -1");
        }

        @Test
        void shouldRejectAnAmountWrittenAsText() {
            // Given
            String yaml = agentWith("budgets: [ { window: DAY, limitMicros: \"5000\" } ]");

            // When
            PolicyProblem problem = onlyProblem(yaml);

            // Then
            assertThat(problem.message()).endsWith("found the string \"5000\"");
        }

        @Test
        void shouldRejectAnAmountBeyondALong() {
            // Given
            String yaml = agentWith("authority: { maxCommitmentMicros: 99999999999999999999 }");

            // When
            PolicyProblem problem = onlyProblem(yaml);

            // Then
            assertThat(problem.message()).isEqualTo(
                    "out of range: 99999999999999999999 does not fit in 64 bits (at most 9223372036854775807)");
        }

        @Test
        void shouldAcceptAZeroAmount() {
            // Given an agent that may commit nothing on its own
            String yaml = agentWith("authority: { maxCommitmentMicros: 0 }");

            // When
            AgentProfile agent = parse(yaml).policy().agent("bot").orElseThrow();

            // Then
            assertThat(agent.maxCommitmentMicros()).isZero();
        }
    }

    @Nested
    class Budgets {

        @Test
        void shouldRequireWindowAndLimit() {
            // Given
            String yaml = agentWith("budgets: [ { warnAt: 0.5 } ]");

            // When
            List<PolicyProblem> problems = parse(yaml).problems();

            // Then
            assertThat(problems).extracting(PolicyProblem::path)
                    .containsExactly("agents[0].budgets[0].window", "agents[0].budgets[0].limitMicros");
            assertThat(problems).extracting(PolicyProblem::message).containsOnly("required, but missing");
        }

        @Test
        void shouldRejectAnUnknownWindow() {
            // Given
            String yaml = agentWith("budgets: [ { window: YEAR, limitMicros: 1 } ]");

            // When
            PolicyProblem problem = onlyProblem(yaml);

            // Then
            assertThat(problem.toString()).isEqualTo("policy.yaml:4:26: agents[0].budgets[0].window: "
                    + "unknown window \"YEAR\" (expected HOUR, DAY, WEEK or MONTH)");
        }

        @Test
        void shouldRejectAWindowListedTwice() {
            // Given
            String yaml = agentWith("""
                    budgets:
                      - { window: DAY, limitMicros: 1 }
                      - { window: DAY, limitMicros: 2 }
                    """);

            // When
            PolicyProblem problem = onlyProblem(yaml);

            // Then
            assertThat(problem.path()).isEqualTo("agents[0].budgets[1].window");
            assertThat(problem.line()).isEqualTo(6);
            assertThat(problem.message()).isEqualTo(
                    "duplicate budget window \"DAY\" (first at agents[0].budgets[0].window)");
        }

        @ParameterizedTest
        @ValueSource(strings = {"0", "-0.5", "1.01"})
        void shouldRejectAWarningShareOutsideZeroToOne(String warnAt) {
            // Given
            String yaml = agentWith("budgets: [ { window: DAY, limitMicros: 1, warnAt: " + warnAt + " } ]");

            // When
            PolicyProblem problem = onlyProblem(yaml);

            // Then
            assertThat(problem.path()).isEqualTo("agents[0].budgets[0].warnAt");
            assertThat(problem.message()).startsWith("must be a share of the limit above 0 and at most 1");
        }

        @Test
        void shouldAcceptAWarningAtTheLimitItself() {
            // Given
            String yaml = agentWith("budgets: [ { window: DAY, limitMicros: 1, warnAt: 1 } ]");

            // When
            AgentProfile agent = parse(yaml).policy().agent("bot").orElseThrow();

            // Then
            assertThat(agent.budgets()).containsExactly(new BudgetLimit(BudgetWindow.DAY, 1, 1.0));
        }
    }

    @Nested
    class RateLimits {

        @Test
        void shouldRequireACapacityOfAtLeastOne() {
            // Given
            String yaml = agentWith("rateLimit: { capacity: 0, refillPerSecond: 1 }");

            // When
            PolicyProblem problem = onlyProblem(yaml);

            // Then
            assertThat(problem.path()).isEqualTo("agents[0].rateLimit.capacity");
            assertThat(problem.message()).isEqualTo("must be at least 1 (the largest burst), found 0");
        }

        @ParameterizedTest
        @ValueSource(strings = {"0", "-1", ".inf", ".nan"})
        void shouldRequireAPositiveFiniteRefill(String refill) {
            // Given
            String yaml = agentWith("rateLimit: { capacity: 5, refillPerSecond: " + refill + " }");

            // When
            PolicyProblem problem = onlyProblem(yaml);

            // Then
            assertThat(problem.path()).isEqualTo("agents[0].rateLimit.refillPerSecond");
            assertThat(problem.message()).matches("must be (above 0|a finite number), found .*");
        }

        @Test
        void shouldRequireBothCapacityAndRefill() {
            // Given
            String yaml = agentWith("rateLimit: { capacity: 5 }");

            // When
            PolicyProblem problem = onlyProblem(yaml);

            // Then
            assertThat(problem.path()).isEqualTo("agents[0].rateLimit.refillPerSecond");
            assertThat(problem.message()).isEqualTo("required, but missing");
        }
    }

    @Nested
    class Defaults {

        @Test
        void shouldApplyTheDocumentedDefaults() {
            // Given a policy that says nothing about defaults
            String yaml = "version: \"1\"\ntiers: [MANAGER, DIRECTOR, BOARD]\n";

            // When
            PolicyDefaults defaults = parse(yaml).policy().defaults();

            // Then cross-department goes to the highest tier and conflicts to the lowest
            assertThat(defaults).isEqualTo(new PolicyDefaults(ZoneId.of("UTC"), 0.0, Duration.ofHours(4),
                    Duration.ofHours(24), "BOARD", "MANAGER", RuleLimits.DEFAULT, IntentIdPrefix.NONE));
        }

        @Test
        void shouldApplyDefaultsForTheKeysLeftOut() {
            // Given
            String yaml = "version: \"1\"\ntiers: [MANAGER, BOARD]\ndefaults: { zone: Europe/Berlin }\n";

            // When
            PolicyDefaults defaults = parse(yaml).policy().defaults();

            // Then
            assertThat(defaults).isEqualTo(new PolicyDefaults(ZoneId.of("Europe/Berlin"), 0.0, Duration.ofHours(4),
                    Duration.ofHours(24), "BOARD", "MANAGER", RuleLimits.DEFAULT, IntentIdPrefix.NONE));
        }

        @Test
        void shouldRefuseUnderPrefixedIntentIdsAnAgentIdWithTheSeparatorOrAReservedPrefix() {
            // Given ids that must name their agent, and agents whose prefix is no agent's alone, or a key of the audit topic's
            String agents = """
                    agents: [ { id: a }, { id: "a:b" }, { id: policy }, { id: c } ]
                    """;

            // When the setting is on, and when it is off
            List<PolicyProblem> problems = parse("version: \"1\"\ndefaults: { intentIdPrefix: AGENT }\n" + agents).problems();
            PolicyParseResult unprefixed = parse("version: \"1\"\n" + agents);

            // Then each is refused, saying why
            assertThat(problems).extracting(PolicyProblem::path).containsExactly("agents[1].id", "agents[2].id");
            assertThat(problems.get(0).message()).isEqualTo("agent id \"a:b\" contains \":\", which defaults.intentIdPrefix AGENT puts"
                    + " between the agent id and the rest of an intent id: another agent's ids could then start with this agent's prefix");
            assertThat(problems.get(1).message()).startsWith("agent id \"policy\" cannot prefix intent ids under defaults.intentIdPrefix"
                    + " AGENT: intentId starts with \"policy:\"");
            assertThat(unprefixed.problems()).isEmpty();
            assertThat(unprefixed.policy().defaults().intentIdPrefix()).isEqualTo(IntentIdPrefix.NONE);
        }

        @Test
        void shouldRejectAnUnknownIntentIdPrefix() {
            PolicyProblem problem = onlyProblem("version: \"1\"\ndefaults: { intentIdPrefix: AGENT_ID }\n");

            assertThat(problem.path()).isEqualTo("defaults.intentIdPrefix");
            assertThat(problem.message()).isEqualTo("unknown intent id prefix \"AGENT_ID\" (expected NONE or AGENT)");
        }

        @ParameterizedTest
        @ValueSource(strings = {"-0.1", "1.5"})
        void shouldRequireAMinimumConfidenceBetweenZeroAndOne(String minConfidence) {
            // Given
            String yaml = "version: \"1\"\ndefaults: { minConfidence: " + minConfidence + " }\n";

            // When
            PolicyProblem problem = onlyProblem(yaml);

            // Then
            assertThat(problem.path()).isEqualTo("defaults.minConfidence");
            assertThat(problem.message()).isEqualTo("must be between 0 and 1, found " + minConfidence);
        }

        @ParameterizedTest
        @ValueSource(strings = {"4 hours", "4h", "P1M"})
        void shouldRequireAnIsoDuration(String duration) {
            // Given
            String yaml = "version: \"1\"\ndefaults: { escalationTimeout: " + duration + " }\n";

            // When
            PolicyProblem problem = onlyProblem(yaml);

            // Then
            assertThat(problem.path()).isEqualTo("defaults.escalationTimeout");
            assertThat(problem.message()).startsWith("not an ISO-8601 duration such as PT4H or P1D");
        }

        @ParameterizedTest
        @ValueSource(strings = {"PT0S", "-PT1H"})
        void shouldRequireALongerThanZeroDuration(String duration) {
            // Given
            String yaml = "version: \"1\"\ndefaults: { dependencyTimeout: " + duration + " }\n";

            // When
            PolicyProblem problem = onlyProblem(yaml);

            // Then
            assertThat(problem.path()).isEqualTo("defaults.dependencyTimeout");
            assertThat(problem.message()).isEqualTo("must be longer than zero, found " + duration);
        }

        @ParameterizedTest
        @ValueSource(strings = {"Europe/Atlantis", "+02:00", "CEST"})
        void shouldRequireAnIanaZone(String zone) {
            // Given
            String yaml = "version: \"1\"\ndefaults:\n  zone: \"" + zone + "\"\n";

            // When
            PolicyProblem problem = onlyProblem(yaml);

            // Then
            assertThat(problem.path()).isEqualTo("defaults.zone");
            assertThat(problem.line()).isEqualTo(3);
            assertThat(problem.column()).isEqualTo(9);
            assertThat(problem.message()).startsWith("unknown time zone \"" + zone + "\"");
        }
    }

    @Nested
    class TierNames {

        @Test
        void shouldRejectATierListedTwice() {
            // Given
            String yaml = "version: \"1\"\ntiers: [MANAGER, BOARD, MANAGER]\n";

            // When
            PolicyProblem problem = onlyProblem(yaml);

            // Then
            assertThat(problem.path()).isEqualTo("tiers[2]");
            assertThat(problem.message()).isEqualTo("duplicate tier \"MANAGER\" (first at tiers[0])");
        }

        @Test
        void shouldRequireTiersOnceAnythingNamesOne() {
            // Given an approver with a tier, in a policy without tiers
            String yaml = "version: \"1\"\napprovers: [ { id: boss, tier: MANAGER } ]\n";

            // When
            PolicyProblem problem = onlyProblem(yaml);

            // Then
            assertThat(problem.path()).isEqualTo("approvers[0].tier");
            assertThat(problem.message()).isEqualTo(
                    "tier \"MANAGER\" is not declared: the policy has no tiers (add tiers: [MANAGER, ...])");
        }

        @Test
        void shouldRequireEveryTierReferenceToBeDeclared() {
            // Given four references to tiers that do not exist
            String yaml = """
                    version: "1"
                    tiers: [MANAGER, BOARD]
                    defaults: { crossDepartmentTier: CEO, conflictTier: TEAM_LEAD }
                    approvers: [ { id: boss, tier: DIRECTOR } ]
                    rules: [ { id: r, when: "true", effect: ESCALATE, tier: MANGER } ]
                    """;

            // When
            List<PolicyProblem> problems = parse(yaml).problems();

            // Then
            assertThat(problems).extracting(PolicyProblem::path).containsExactly(
                    "defaults.crossDepartmentTier", "defaults.conflictTier", "approvers[0].tier", "rules[0].tier");
            assertThat(problems.get(3).message()).isEqualTo("unknown tier \"MANGER\" (tiers are MANAGER, BOARD)");
        }

        @Test
        void shouldAllowAPolicyWithoutTiersThatNamesNone() {
            // Given
            String yaml = "version: \"1\"\n";

            // When
            Policy policy = parse(yaml).policy();

            // Then
            assertThat(policy.tiers()).isEmpty();
            assertThat(policy.defaults().crossDepartmentTier()).isNull();
            assertThat(policy.defaults().conflictTier()).isNull();
        }
    }

    @Nested
    class Ids {

        @Test
        void shouldRequireIdsAndRequiredFieldsEverywhere() {
            // Given an agent, pool, resource, approver and rule each missing what they need
            String yaml = """
                    version: "1"
                    tiers: [MANAGER]
                    agents: [ { owner: someone } ]
                    pools: [ { budgets: [] } ]
                    resources: [ { capacity: 2 } ]
                    approvers: [ { departments: [finance] } ]
                    rules: [ { message: "nothing else" } ]
                    """;

            // When
            List<PolicyProblem> problems = parse(yaml).problems();

            // Then
            assertThat(problems).extracting(PolicyProblem::path).containsExactly(
                    "agents[0].id", "pools[0].id", "resources[0].pattern", "approvers[0].id", "approvers[0].tier",
                    "rules[0].id", "rules[0].when", "rules[0].effect");
            assertThat(problems).extracting(PolicyProblem::message).containsOnly("required, but missing");
        }

        @Test
        void shouldRequireEachOperatorsIdAndAnEd25519KeyAndRejectADuplicate() {
            // Given operators without an id, without a key, with a key that is not one, and twice the same
            String yaml = """
                    version: "1"
                    operators:
                      - { publicKey: "%s" }
                      - { id: bob }
                      - { id: carol, publicKey: "bm90IGEga2V5" }
                      - { id: dave, publicKey: "%s" }
                      - { id: dave, publicKey: "%s" }
                    """.formatted(TestKeys.publicKey("x"), TestKeys.publicKey("dave"), TestKeys.publicKey("dave"));

            // When
            List<PolicyProblem> problems = parse(yaml).problems();

            // Then
            assertThat(problems).extracting(PolicyProblem::path).containsExactly(
                    "operators[0].id", "operators[1].publicKey", "operators[2].publicKey", "operators[4].id");
            assertThat(problems.get(2).message()).startsWith("not an Ed25519 public key");
            assertThat(problems.get(3).message()).isEqualTo("duplicate operator id \"dave\" (first at operators[3].id)");
        }

        @Test
        void shouldRejectDuplicateIds() {
            // Given each kind of id twice
            String yaml = """
                    version: "1"
                    tiers: [MANAGER]
                    agents: [ { id: a }, { id: a } ]
                    pools: [ { id: p }, { id: p } ]
                    approvers: [ { id: x, tier: MANAGER }, { id: x, tier: MANAGER } ]
                    rules: [ { id: r, when: "true", effect: REJECT }, { id: r, when: "false", effect: REJECT } ]
                    """;

            // When
            List<PolicyProblem> problems = parse(yaml).problems();

            // Then
            assertThat(problems).extracting(PolicyProblem::message).containsExactly(
                    "duplicate agent id \"a\" (first at agents[0].id)",
                    "duplicate pool id \"p\" (first at pools[0].id)",
                    "duplicate approver id \"x\" (first at approvers[0].id)",
                    "duplicate rule id \"r\" (first at rules[0].id)");
        }

        @Test
        void shouldRejectAResourcePatternListedTwice() {
            // Given the second pattern could never apply: the first match wins
            String yaml = """
                    version: "1"
                    resources: [ { pattern: "room:*" }, { pattern: "room:*", capacity: 3 } ]
                    """;

            // When
            PolicyProblem problem = onlyProblem(yaml);

            // Then
            assertThat(problem.path()).isEqualTo("resources[1].pattern");
        }

        @Test
        void shouldRejectAResourcePatternOutsideUnicodeNfcWhichNoClaimCouldMatch() {
            // Given a pattern whose é is an e and a combining accent
            String yaml = "version: \"1\"\nresources: [ { pattern: \"salle:e\u0301t\u00E9-*\", capacity: 2 } ]\n";

            // When
            PolicyProblem problem = onlyProblem(yaml);

            // Then
            assertThat(problem.path()).isEqualTo("resources[0].pattern");
            assertThat(problem.message()).contains("not in Unicode normalization form C (NFC)");
        }

        @Test
        void shouldRequireAResourceCapacityOfAtLeastOne() {
            // Given
            String yaml = "version: \"1\"\nresources: [ { pattern: \"room:*\", capacity: 0 } ]\n";

            // When
            PolicyProblem problem = onlyProblem(yaml);

            // Then
            assertThat(problem.path()).isEqualTo("resources[0].capacity");
            assertThat(problem.message()).isEqualTo("must be at least 1, found 0");
        }

        @Test
        void shouldGiveAResourceWithoutCapacityCapacityOne() {
            // Given
            String yaml = "version: \"1\"\nresources: [ { pattern: \"room:*\" } ]\n";

            // When
            Policy policy = parse(yaml).policy();

            // Then
            assertThat(policy.resources()).containsExactly(new ResourceCapacity("room:*", 1));
        }
    }

    @Nested
    class Rules {

        private String rule(String fields) {
            return "version: \"1\"\ntiers: [MANAGER]\nrules:\n  - { id: r, " + fields + " }\n";
        }

        @Test
        void shouldEnforceARuleUnlessToldToAudit() {
            // Given
            String yaml = rule("when: \"intent.costMicros > 5\", effect: REJECT, message: \"too dear\"");

            // When
            Rule rule = parse(yaml).policy().rules().get(0);

            // Then
            assertThat(rule).isEqualTo(new Rule("r", "intent.costMicros > 5", RuleEffect.REJECT, null,
                    RuleMode.ENFORCE, "too dear"));
        }

        @Test
        void shouldKeepAnAuditRule() {
            // Given
            String yaml = rule("when: \"true\", effect: ESCALATE, tier: MANAGER, mode: AUDIT");

            // When
            Rule rule = parse(yaml).policy().rules().get(0);

            // Then
            assertThat(rule.mode()).isEqualTo(RuleMode.AUDIT);
            assertThat(rule.tier()).isEqualTo("MANAGER");
        }

        @Test
        void shouldRejectAnUnknownEffectAndMode() {
            // Given
            String yaml = rule("when: \"true\", effect: WARN, mode: DRY_RUN");

            // When
            List<PolicyProblem> problems = parse(yaml).problems();

            // Then
            assertThat(problems).extracting(PolicyProblem::message).containsExactly(
                    "unknown effect \"WARN\" (expected REJECT or ESCALATE)",
                    "unknown mode \"DRY_RUN\" (expected ENFORCE or AUDIT)");
        }

        @Test
        void shouldRequireATierToEscalateTo() {
            // Given
            String yaml = rule("when: \"true\", effect: ESCALATE");

            // When
            PolicyProblem problem = onlyProblem(yaml);

            // Then
            assertThat(problem.path()).isEqualTo("rules[0].tier");
            assertThat(problem.line()).isEqualTo(4);
            assertThat(problem.message()).isEqualTo("an ESCALATE rule needs the tier to escalate to");
        }

        @Test
        void shouldRejectATierOnARejectRule() {
            // Given
            String yaml = rule("when: \"true\", effect: REJECT, tier: MANAGER");

            // When
            PolicyProblem problem = onlyProblem(yaml);

            // Then
            assertThat(problem.path()).isEqualTo("rules[0].tier");
            assertThat(problem.message()).isEqualTo("a REJECT rule has no tier; only ESCALATE rules escalate");
        }

        @Test
        void shouldRejectAConditionOutsideUnicodeNfcWhoseTextWouldEqualNoResourceId() {
            // Given a rule naming room:Å as an A and a combining ring, which no claim may spell so
            String yaml = rule("when: \"intent.claims.exists(c, c.resourceId == 'room:A\u030A')\", effect: REJECT");

            // When
            PolicyProblem problem = onlyProblem(yaml);

            // Then
            assertThat(problem.path()).isEqualTo("rules[0].when");
            assertThat(problem.message()).contains("not in Unicode normalization form C (NFC)");
        }

        @Test
        void shouldAcceptAConditionInNfcOrWithTheCharacterAsACelEscape() {
            // Given the same rule with Å as one code point, and as an escape CEL reads
            String composed = rule("when: \"intent.claims.exists(c, c.resourceId == 'room:\u00C5')\", effect: REJECT");
            String escaped = rule("when: \"intent.claims.exists(c, c.resourceId == 'room:\\\\u00C5')\", effect: REJECT");

            // Then both are valid policies
            assertThat(parse(composed).problems()).isEmpty();
            assertThat(parse(escaped).problems()).isEmpty();
        }

        @Test
        void shouldRequireANonBlankCondition() {
            // Given
            String yaml = rule("when: \" \", effect: REJECT");

            // When
            PolicyProblem problem = onlyProblem(yaml);

            // Then
            assertThat(problem.path()).isEqualTo("rules[0].when");
            assertThat(problem.message()).isEqualTo("must not be blank");
        }
    }

    @Nested
    class Agents {

        @Test
        void shouldRequireAnAgentsPoolToBeDeclared() {
            // Given
            String yaml = agentWith("pool: finance-teem") + "pools: [ { id: finance-team } ]\n";

            // When
            PolicyProblem problem = onlyProblem(yaml);

            // Then
            assertThat(problem.path()).isEqualTo("agents[0].pool");
            assertThat(problem.message()).isEqualTo("unknown pool \"finance-teem\" (pools are finance-team)");
        }

        @Test
        void shouldSayWhenThereAreNoPoolsAtAll() {
            // Given
            String yaml = agentWith("pool: finance-team");

            // When
            PolicyProblem problem = onlyProblem(yaml);

            // Then
            assertThat(problem.message()).isEqualTo("unknown pool \"finance-team\": the policy declares no pools");
        }

        @Test
        void shouldDecodeAnEd25519PublicKey() throws Exception {
            // Given
            String key = publicKeyOf("Ed25519");

            // When
            AgentProfile agent = parse(agentWith("publicKey: \"" + key + "\"")).policy().agent("bot").orElseThrow();

            // Then
            assertThat(agent.publicKeyBase64()).isEqualTo(key);
            assertThat(Base64.getEncoder().encodeToString(agent.publicKey().getEncoded())).isEqualTo(key);
        }

        @ParameterizedTest
        @ValueSource(strings = {"Ed448", "X25519", "EC", "RSA"})
        void shouldRejectAKeyOfAnotherAlgorithm(String algorithm) throws Exception {
            // Given
            String yaml = agentWith("publicKey: \"" + publicKeyOf(algorithm) + "\"");

            // When
            PolicyProblem problem = onlyProblem(yaml);

            // Then
            assertThat(problem.path()).isEqualTo("agents[0].publicKey");
            assertThat(problem.message()).startsWith("not an Ed25519 public key (X.509, base64): ");
        }

        @Test
        void shouldRejectAKeyWhoseBytesAreNotAPointOfTheCurve() {
            // Given a valid key with one character changed: 32 bytes the JDK takes as a key, under which
            // nothing verifies, so that agent's signed intents would be dead-lettered rather than decided
            String yaml = agentWith("publicKey: \"MCowBQYDK2VwAyEA11qYAYKxCrfUS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=\"");

            // When
            PolicyProblem problem = onlyProblem(yaml);

            // Then
            assertThat(problem.path()).isEqualTo("agents[0].publicKey");
            assertThat(problem.message()).startsWith("not an Ed25519 public key (X.509, base64): not a point of the Ed25519 curve");
        }

        @Test
        void shouldRejectAKeyThatIsNotBase64() {
            // Given DESIGN.md's truncated example key
            String yaml = agentWith("publicKey: \"MCowBQYDK2VwAyEA…\"");

            // When
            PolicyProblem problem = onlyProblem(yaml);

            // Then
            assertThat(problem.message()).startsWith("not an Ed25519 public key (X.509, base64): not base64");
        }

        @Test
        void shouldLeaveAnAgentActiveUnlessSuspended() {
            // Given
            String yaml = agentWith("owner: someone@example.com");

            // When
            AgentProfile agent = parse(yaml).policy().agent("bot").orElseThrow();

            // Then
            assertThat(agent.suspended()).isFalse();
            assertThat(agent.publicKey()).isNull();
            assertThat(agent.rateLimit()).isNull();
            assertThat(agent.maxCommitmentMicros()).isNull();
            assertThat(agent.capabilities()).isEqualTo(new Capabilities(List.of(), List.of(), List.of()));
        }
    }
}
