package io.agentmediator.policy;

/**
 * Parses a policy from YAML text (the format of DESIGN.md's policy document) and reports every
 * problem with its file, line and column, so an author fixes them all in one round.
 */
public final class PolicyParser {

    private PolicyParser() {
    }

    /**
     * @param source the name problems are reported under, usually the file name
     * @param yaml   the policy document
     */
    public static PolicyParseResult parse(String source, String yaml) {
        Problems problems = new Problems(source);
        PolicyNode root = YamlTreeReader.read(yaml, problems);
        return PolicyBinder.bind(root, problems);
    }
}
