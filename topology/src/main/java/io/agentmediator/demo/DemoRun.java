package io.agentmediator.demo;

import io.agentmediator.app.MediatorApp;
import io.agentmediator.config.ConfigKeys;
import io.agentmediator.config.MediatorConfig;
import io.agentmediator.embedded.EmbeddedKafkaBroker;
import io.agentmediator.health.HealthState;
import io.agentmediator.policy.AgentProfile;
import io.agentmediator.policy.Policy;
import io.agentmediator.policy.PolicySource;
import io.agentmediator.storage.TemporaryDirectory;
import io.agentmediator.schema.Decision;
import io.agentmediator.schema.DecisionOutcome;
import io.agentmediator.schema.ReasonCode;
import io.agentmediator.topics.Topics;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo: a real broker in process, the real pipeline, simulated agents sending through the
 * real serdes, simulated approvers answering the escalations and executors reporting outcomes,
 * and a tally of what was committed. Ends with the summary line.
 */
public final class DemoRun {

    private static final Logger log = LoggerFactory.getLogger(DemoRun.class);

    /** How often a long demo logs how far it got. */
    private static final Duration PROGRESS_INTERVAL = Duration.ofSeconds(5);

    private final int intents;
    private final long seed;
    private final Duration timeout;
    private final PrintStream out;

    /** {@code timeout} bounds all waiting for decisions, first ones and follow-ups together. */
    public DemoRun(int intents, long seed, Duration timeout, PrintStream out) {
        this.intents = intents;
        this.seed = seed;
        this.timeout = timeout;
        this.out = out;
    }

    /** Runs the demo and prints the summary line last, once the pipeline and broker are shut down. */
    public DemoReport run(MediatorConfig base) throws InterruptedException {
        return run(base, null);
    }

    /**
     * Runs the demo; with {@code keepUntil}, prints the summary line and the endpoints to try once the
     * demo is done, and keeps the broker, the pipeline and its endpoints (on the configured
     * {@code http.port}) up until the latch opens.
     */
    public DemoReport run(MediatorConfig base, CountDownLatch keepUntil) throws InterruptedException {
        DemoReport report;
        try (TemporaryDirectory stateDir = new TemporaryDirectory("agent-mediator-demo-state");
                EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
            MediatorConfig config =
                    base.with(ConfigKeys.BOOTSTRAP_SERVERS, broker.bootstrapServers())
                            .with(ConfigKeys.STATE_DIR, stateDir.path().toString())
                            // The simulated agents replay five hours of traffic with its own times (the first
                            // escalations overdue on arrival), as only producer timestamps can.
                            .with(ConfigKeys.TOPIC_INTENTS_TIMESTAMP_TYPE, "CreateTime");
            if (keepUntil == null) {
                // A demo that ends takes any free port, so it never clashes with something on 8080.
                config = config.with(ConfigKeys.HTTP_PORT, "0");
            }
            out.println("embedded Kafka broker at " + broker.bootstrapServers());
            try (MediatorApp app = MediatorApp.start(config, new HealthState())) {
                app.awaitRunning(Duration.ofSeconds(60));
                out.println("pipeline running; health at http://127.0.0.1:" + app.httpPort() + "/health/ready");
                Policy policy = PolicySource.load(config.get(ConfigKeys.POLICY_FILE)).policy();
                report = play(broker.bootstrapServers(), app.topics(), policy);
                if (keepUntil != null) {
                    out.println(report.summary());
                    printEndpoints(app.httpPort(), policy);
                    keepUntil.await();
                }
            }
        }
        if (keepUntil == null) {
            out.println(report.summary());
        }
        return report;
    }

    private void printEndpoints(int port, Policy policy) {
        String base = "http://localhost:" + port;
        String agent = policy.agents().keySet().stream().sorted().findFirst().orElse("<agentId>");
        out.println("still running until interrupted (Ctrl-C); try:");
        out.println("  " + base + "/metrics");
        out.println("  " + base + "/health/ready");
        out.println("  " + base + "/escalations");
        out.println("  " + base + "/agents/" + agent + "/budgets");
        out.println("  " + base + "/cases/<intentId>   (an intentId from /escalations)");
    }

    private DemoReport play(String bootstrapServers, Topics topics, Policy policy) {
        long giveUpAt = System.nanoTime() + timeout.toNanos();
        try (RecordSender sender = new RecordSender(bootstrapServers);
                DecisionTally tally = new DecisionTally(bootstrapServers, topics)) {
            SimulatedAgents agents = sendIntents(sender, topics);
            // Intents waiting for a dependency are decided once the executors report it, further down.
            long undecided = agents.waiting();
            long seen = awaitDecisions(tally, intents - undecided, giveUpAt);
            if (seen != intents - undecided) {
                printBreakdown(tally);
                throw new IllegalStateException("only " + seen + " of " + (intents - undecided) + " intents were decided within "
                        + timeout + " (" + undecided + " more wait for dependencies)");
            }

            Instant now = Instant.now();
            List<Decision> unanswered = tally.unansweredEscalations();
            long overdue = unanswered.stream().filter(escalation -> overdueAt(escalation, now)).count();
            SimulatedApprover.ApprovalRound round = new SimulatedApprover(
                    policy, topics.approvalSerde().serializer(), topics.approvals().name(), seed)
                    .answer(safelyOpen(unanswered, now.plus(remaining(giveUpAt))));
            out.println("escalations still unanswered: " + unanswered.size() + " (" + overdue + " overdue); simulated approvers answer "
                    + round.answers() + ", " + round.ineligible().size() + " of them first by someone the policy does not let answer");
            sender.sendAll(round.records());
            long expected = tally.followUps().size() + overdue + round.answers();
            long followedUp = tally.awaitFollowUps(expected, remaining(giveUpAt));

            SimulatedExecutors executors = new SimulatedExecutors(
                    topics.outcomeSerde().serializer(), topics.outcomes().name(), seed, agents::estimateOf, agents::scriptedOutcome);
            Set<String> reported = new HashSet<>();
            int outcomes = report(executors, tally, sender, reported);
            out.println("simulated executors report " + outcomes + " outcomes of " + reported.size() + " executed intents");
            // Each report may let the next step of a maintenance chain be decided, and executed, and reported.
            while (tally.total() < intents && !remaining(giveUpAt).isZero()) {
                tally.awaitTotal(intents, Duration.ofSeconds(1).compareTo(remaining(giveUpAt)) < 0 ? Duration.ofSeconds(1) : remaining(giveUpAt));
                outcomes += report(executors, tally, sender, reported);
            }
            DemoSummary summary = new DemoSummary(intents, tally.count(DecisionOutcome.EXECUTE), tally.count(DecisionOutcome.ESCALATE),
                    tally.count(DecisionOutcome.REJECT), tally.deadLettered());
            if (tally.total() != intents) {
                printBreakdown(tally);
                throw new IllegalStateException(
                        "only " + tally.total() + " of " + intents + " intents were decided within " + timeout + ": " + summary);
            }
            printLedger(tally, undecided, policy);

            printBreakdown(tally);
            HumanLoopSummary humanLoop = new HumanLoopSummary(tally.followUps(ReasonCode.APPROVED), tally.followUps(ReasonCode.DENIED),
                    round.ineligible().size(), tally.followUps(ReasonCode.ESCALATION_EXPIRED), outcomes);
            out.println(humanLoop);
            if (followedUp < expected) {
                throw new IllegalStateException("only " + followedUp + " of " + expected + " follow-up decisions arrived within " + timeout);
            }
            requireIneligibleIgnored(tally, round);
            return new DemoReport(summary, humanLoop);
        }
    }

    /** Reports what the executors did with the executed intents not reported yet; returns how many outcomes they sent. */
    private static int report(SimulatedExecutors executors, DecisionTally tally, RecordSender sender, Set<String> reported) {
        List<Decision> fresh = tally.executed().stream().filter(decision -> reported.add(decision.getIntentId())).toList();
        List<ProducerRecord<byte[], byte[]>> outcomes = executors.report(fresh);
        sender.sendAll(outcomes);
        return outcomes.size();
    }

    /** Waits for {@code expected} first decisions, logging how many arrived every few seconds so a long demo shows it is working. */
    private long awaitDecisions(DecisionTally tally, long expected, long giveUpAt) {
        while (true) {
            Duration left = remaining(giveUpAt);
            long seen = tally.awaitTotal(expected, left.compareTo(PROGRESS_INTERVAL) < 0 ? left : PROGRESS_INTERVAL);
            if (seen >= expected || remaining(giveUpAt).isZero()) {
                return seen;
            }
            log.info("{} of {} intents decided", seen, expected);
        }
    }

    private SimulatedAgents sendIntents(RecordSender sender, Topics topics) {
        SimulatedAgents agents = new SimulatedAgents(topics.intentSerde().serializer(), topics.intents().name(), seed);
        Timeline timeline = new Timeline(intents, Instant.now());
        out.println(intents + " records from simulated agents (the first " + timeline.stale()
                + " five hours old, so their escalations are overdue on arrival)");
        long nextProgress = System.nanoTime() + PROGRESS_INTERVAL.toNanos();
        for (int i = 0; i < intents; i++) {
            sender.send(agents.record(i, timeline.at(i)));
            if (System.nanoTime() - nextProgress >= 0) {
                log.info("{} of {} records sent", i + 1, intents);
                nextProgress = System.nanoTime() + PROGRESS_INTERVAL.toNanos();
            }
        }
        sender.flush();
        return agents;
    }

    /**
     * The escalations whose deadline cannot pass while the demo waits: answering one that might
     * would race the expiry check, and either could win.
     */
    private static List<Decision> safelyOpen(List<Decision> unanswered, Instant waitingUntil) {
        return unanswered.stream()
                .filter(escalation -> escalation.getDeadline() == null || escalation.getDeadline().isAfter(waitingUntil))
                .toList();
    }

    private static boolean overdueAt(Decision escalation, Instant now) {
        return escalation.getDeadline() != null && !now.isBefore(escalation.getDeadline());
    }

    /** An answer from someone the policy does not let answer must never decide anything. */
    private static void requireIneligibleIgnored(DecisionTally tally, SimulatedApprover.ApprovalRound round) {
        for (Decision followUp : tally.followUps()) {
            if (followUp.getDecidedBy().equals(round.ineligible().get(followUp.getIntentId()))) {
                throw new IllegalStateException(followUp.getDecidedBy() + " may not answer " + followUp.getIntentId()
                        + " but decided it: " + followUp.getOutcome());
            }
        }
    }

    /** What the resource ledger did: conflicts between agents (one shown, with both sides), pools, chains. */
    private void printLedger(DecisionTally tally, long waited, Policy policy) {
        List<Decision> conflicts = tally.firstsWith(ReasonCode.RESOURCE_CONFLICT);
        out.println("resource ledger: " + conflicts.size() + " conflicts escalated, "
                + tally.firstsWith(ReasonCode.POOL_BUDGET_EXCEEDED).size() + " shared pools exceeded");
        conflicts.stream().filter(conflict -> heldByAnotherDepartment(conflict, policy)).findFirst()
                .or(() -> conflicts.stream().findFirst())
                .ifPresent(conflict -> out.println("  e.g. " + conflict.getAgentId() + " " + conflict.getIntentId() + ": "
                        + conflictMessage(conflict)));
        out.println("dependency chains: " + waited + " steps waited for the step before; "
                + tally.firstsWith(ReasonCode.DEPENDENCY_FAILED).size() + " rejected because it failed");
    }

    /** Whether the conflict names a holder from another department than the claiming agent's. */
    private static boolean heldByAnotherDepartment(Decision conflict, Policy policy) {
        String department = policy.agent(conflict.getAgentId()).map(AgentProfile::department).orElse(null);
        String message = conflictMessage(conflict);
        return policy.agents().values().stream()
                .filter(agent -> agent.department() != null && !agent.department().equals(department))
                .anyMatch(agent -> message.contains("agent " + agent.id() + " ("));
    }

    private static String conflictMessage(Decision conflict) {
        return conflict.getReasons().stream().filter(reason -> reason.getCode() == ReasonCode.RESOURCE_CONFLICT).findFirst()
                .orElseThrow().getMessage();
    }

    private void printBreakdown(DecisionTally tally) {
        out.println("decisions by outcome and first reason:");
        tally.breakdown().forEach(out::println);
    }

    private static Duration remaining(long giveUpAt) {
        return Duration.ofNanos(Math.max(0, giveUpAt - System.nanoTime()));
    }
}
