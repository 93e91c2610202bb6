package io.agentmediator.policy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * Loads a policy from a file, or from the classpath ({@code classpath:policies/example.yaml}) for the
 * embedded default. A source that cannot be read is reported like any other problem, so
 * {@code policy validate} and start-up explain it the same way.
 */
public final class PolicySource {

    public static final String CLASSPATH_PREFIX = "classpath:";

    private PolicySource() {
    }

    /** A file path, or {@code classpath:} followed by a resource name. */
    public static PolicyParseResult load(String location) {
        if (location.startsWith(CLASSPATH_PREFIX)) {
            return loadResource(location.substring(CLASSPATH_PREFIX.length()));
        }
        return load(Path.of(location));
    }

    public static PolicyParseResult load(Path file) {
        String source = String.valueOf(file.getFileName());
        try {
            return PolicyParser.parse(source, Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return unreadable(source, file + ": " + (e instanceof NoSuchFileException ? "no such file" : e));
        }
    }

    private static PolicyParseResult loadResource(String resource) {
        String name = resource.startsWith("/") ? resource.substring(1) : resource;
        String source = name.substring(name.lastIndexOf('/') + 1);
        try (InputStream in = PolicySource.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                return unreadable(source, CLASSPATH_PREFIX + name + ": no such resource");
            }
            return PolicyParser.parse(source, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            return unreadable(source, CLASSPATH_PREFIX + name + ": " + e);
        }
    }

    private static PolicyParseResult unreadable(String source, String reason) {
        return PolicyParseResult.invalid(List.of(new PolicyProblem(source, "", 0, 0, "cannot read " + reason)));
    }
}
