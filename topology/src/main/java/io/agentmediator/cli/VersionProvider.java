package io.agentmediator.cli;

import picocli.CommandLine;

/** The jar's version from its manifest, so `--version` says which build is running. */
final class VersionProvider implements CommandLine.IVersionProvider {

    @Override
    public String[] getVersion() {
        String version = MediatorCli.class.getPackage().getImplementationVersion();
        return new String[] {"agent-mediator " + (version == null ? "(development build)" : version)};
    }
}
