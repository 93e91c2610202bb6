package io.agentmediator.http;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The bearer tokens of each role, read from files: one token per line, blank lines and lines
 * starting with {@code #} ignored, so a file can hold a new token beside the old one while clients
 * move over. Only the SHA-256 of each token is kept; a caller is found by the SHA-256 of what it
 * presents, so no comparison runs over the secret itself.
 */
public final class BearerTokens {

    /** Shorter tokens are guessable; {@code openssl rand -hex 32} gives 64 characters. */
    static final int MIN_LENGTH = 24;

    private final Map<String, Set<Role>> rolesByDigest;

    private BearerTokens(Map<String, Set<Role>> rolesByDigest) {
        this.rolesByDigest = rolesByDigest;
    }

    /** Reads the token file of each role given; a token in several files has all their roles. */
    public static BearerTokens read(Map<Role, Path> files) {
        Map<String, Set<Role>> roles = new LinkedHashMap<>();
        files.forEach((role, file) -> tokensIn(role, file).forEach(token ->
                roles.computeIfAbsent(digest(token), digest -> EnumSet.noneOf(Role.class)).add(role)));
        return new BearerTokens(roles);
    }

    /** The tokens of a file, in order; refuses an unreadable file, an empty one and short tokens, naming the file. */
    static List<String> tokensIn(Role role, Path file) {
        List<String> tokens = new ArrayList<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the " + role.label() + " token file " + file, e);
        }
        for (int i = 0; i < lines.size(); i++) {
            String token = lines.get(i).trim();
            if (token.isEmpty() || token.startsWith("#")) {
                continue;
            }
            if (token.length() < MIN_LENGTH || token.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException("the " + role.label() + " token file " + file + ", line " + (i + 1)
                        + ": a token is one word of at least " + MIN_LENGTH + " characters (openssl rand -hex 32)");
            }
            tokens.add(token);
        }
        if (tokens.isEmpty()) {
            throw new IllegalArgumentException("the " + role.label() + " token file " + file + " holds no token");
        }
        return tokens;
    }

    /** Who presents {@code token}: its roles, named by the token's fingerprint; {@link Caller#anonymous()} if no file lists it. */
    public Caller caller(String token) {
        String digest = digest(token);
        Set<Role> roles = rolesByDigest.get(digest);
        if (roles == null) {
            return Caller.anonymous();
        }
        return new Caller(roles.stream().map(Role::label).sorted().toList() + " token " + digest.substring(0, 8), roles);
    }

    private static String digest(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
