package io.agentmediator.testing;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** One run of a command of the jar's command line, in process: its exit code and what it printed. */
public record CommandRun(int exit, String out, String err) {

    public static CommandRun of(Object command, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = new CommandLine(command);
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exit = commandLine.execute(args);
        return new CommandRun(exit, out.toString(), err.toString());
    }
}
