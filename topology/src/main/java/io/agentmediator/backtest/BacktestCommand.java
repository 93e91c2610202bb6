package io.agentmediator.backtest;

import io.agentmediator.config.MediatorConfig;
import io.agentmediator.config.MisspeltKeys;
import io.agentmediator.limits.InputLimits;
import io.agentmediator.policy.PolicyParseResult;
import io.agentmediator.policy.PolicySource;
import io.agentmediator.policyreload.PolicyStringLimits;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code backtest --policy FILE --events FILE}: plays a file of events through the real topology
 * under a policy and prints every decision as one JSON line, so a policy can be tried before it is
 * published. Decisions go to standard output and nothing else does; problems and progress go to
 * standard error. Exit 0, or 1 with {@code line N: …} for the first line that cannot be played.
 */
@Command(
        name = "backtest",
        mixinStandardHelpOptions = true,
        description = {
            "Runs the topology in process (no broker) over a JSON-lines event file and prints every decision",
            "as one JSON line, in order. Event lines: {\"type\":\"intent|approval|outcome|tick\",\"at\":T,...};",
            "at is an ISO-8601 instant or epoch milliseconds, the record timestamp and the clock, never going back.",
            "A captured record replays byte for byte, signature and all, as {\"type\":\"raw\",\"at\":T,\"topic\":\"approvals\",",
            "\"key\":\"...\",\"value\":\"<base64 wire bytes>\",\"headers\":{...}} (docs/POLICY.md)."
        })
public final class BacktestCommand implements Callable<Integer> {

    static final long PROGRESS_EVERY = 10_000;

    @Option(
            names = "--policy",
            required = true,
            paramLabel = "FILE",
            description = "The policy YAML file, or classpath:policies/example.yaml for the built-in example.")
    String policy;

    @Option(names = "--events", required = true, paramLabel = "FILE", description = "The events, one JSON object a line.")
    Path events;

    @Option(names = "--config", paramLabel = "FILE",
            description = "The deployment's properties file (and MEDIATOR_* variables), for the settings that change decisions:"
                    + " dedupe.retention, limits.*, case.retention, claims.timeout, case.owner.wait, the checks' intervals."
                    + " Default: the embedded defaults.")
    Path config;

    @Spec CommandSpec spec;

    /** For picocli. */
    public BacktestCommand() {}

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        PolicyParseResult parsed = PolicySource.load(policy);
        if (!parsed.isValid()) {
            parsed.problems().forEach(err::println);
            return 1;
        }
        MediatorConfig settings;
        try {
            settings = config == null ? MediatorConfig.defaults() : MediatorConfig.load(config, Map.of());
        } catch (NoSuchFileException e) {
            err.println("cannot read " + config + ": no such file");
            return 1;
        }
        // As run refuses it: a misspelt key would otherwise decide silently under its default.
        Optional<String> misspelt = MisspeltKeys.find(settings);
        if (misspelt.isPresent()) {
            err.println(config + ": " + misspelt.get());
            return 1;
        }
        // A policy the mediators would refuse has no decisions to predict.
        List<String> overLimits = new PolicyStringLimits(InputLimits.of(settings)).problems(parsed.policy());
        if (!overLimits.isEmpty()) {
            overLimits.forEach(problem -> err.println(policy + ": " + problem));
            return 1;
        }
        if (Files.isDirectory(events)) {
            err.println("cannot read " + events + ": a directory, not a file of events");
            return 1;
        }
        Path copy = null;
        try (Backtest backtest = new Backtest(parsed.policy(), settings)) {
            // Read twice (below): a pipe (/dev/stdin, <(...)) would be empty the second time, so it is read into a file first.
            Path file = events;
            if (Files.exists(events) && !Files.isRegularFile(events)) {
                copy = Files.createTempFile("backtest-events", ".jsonl");
                Files.copy(events, copy, StandardCopyOption.REPLACE_EXISTING);
                file = copy;
            }
            // A first pass reads every line, so a mistake anywhere is reported before any decision is printed.
            EventFileReader.read(file, backtest::check);
            DecisionPrinter printer = new DecisionPrinter(backtest, out, err, PROGRESS_EVERY);
            EventFileReader.read(file, printer);
            printer.finish();
            out.flush();
            err.println(printer.summary());
            return 0;
        } catch (BacktestInputException e) {
            err.println(e.getMessage());
            return 1;
        } catch (NoSuchFileException e) {
            err.println("cannot read " + events + ": no such file");
            return 1;
        } finally {
            if (copy != null) {
                Files.deleteIfExists(copy);
            }
        }
    }
}
