package io.agentmediator.cli;

import io.agentmediator.backtest.BacktestCommand;
import io.agentmediator.contract.Contracts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The one entry point of the jar: {@code demo}, {@code run}, {@code policy validate|publish},
 * {@code backtest}, {@code bench}, {@code schemas check|register}, and for people {@code approve}, {@code deny}, {@code pending}, {@code audit}.
 */
@Command(
        name = "agent-mediator",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Governs autonomous AI agents: every intent is executed, escalated or rejected.",
        subcommands = {
            DemoCommand.class, RunCommand.class, PolicyCommand.class, BacktestCommand.class, BenchCommand.class,
            ApproveCommand.class, DenyCommand.class, PendingCommand.class, AuditCommand.class, SuspendCommand.class, ResumeCommand.class,
            SchemasCommand.class
        })
public final class MediatorCli implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(MediatorCli.class);

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
    }

    public static void main(String[] args) {
        Contracts.trustGeneratedClasses();
        System.exit(commandLine().execute(args));
    }

    /** The command line with its error handling, for main and for tests. */
    static CommandLine commandLine() {
        return new CommandLine(new MediatorCli())
                .setExecutionExceptionHandler(
                        (exception, commandLine, parseResult) -> {
                            // Operators read the message; the stack trace is for developers.
                            commandLine.getErr().println("error: " + describe(exception));
                            log.debug("command failed", exception);
                            return 1;
                        });
    }

    private static String describe(Throwable exception) {
        StringBuilder text = new StringBuilder(String.valueOf(exception.getMessage()));
        for (Throwable cause = exception.getCause(); cause != null; cause = cause.getCause()) {
            text.append("\n  caused by: ").append(cause.getClass().getSimpleName()).append(": ").append(cause.getMessage());
        }
        return text.toString();
    }
}
