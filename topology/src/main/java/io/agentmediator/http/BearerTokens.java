package io.agentmediator.http;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
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
 * The bearer tokens of each role, from files: one token per line, blank lines and lines starting
 * with {@code #} ignored, so a file can hold a new token beside the old one while clients move over.
 * Only the SHA-256 of each token is kept; a caller is found by the SHA-256 of what it presents, so
 * no comparison runs over the secret itself.
 */
public final class BearerTokens {

    /** Shorter tokens are guessable; {@code openssl rand -hex 32} gives 64 characters. */
    static final int MIN_LENGTH = 24;

    private final Map<String, Set<Role>> rolesByDigest;

    private BearerTokens(Map<String, Set<Role>> rolesByDigest) {
        this.rolesByDigest = rolesByDigest;
    }

    /** The tokens of one role; none is a role nobody has. */
    static BearerTokens of(Role role, List<String> tokens) {
        Map<String, Set<Role>> roles = new LinkedHashMap<>();
        tokens.forEach(token -> roles.put(digest(token), EnumSet.of(role)));
        return new BearerTokens(roles);
    }

    /** These tokens and {@code other}'s: a token in both has the roles of both. */
    BearerTokens and(BearerTokens other) {
        Map<String, Set<Role>> roles = new LinkedHashMap<>();
        rolesByDigest.forEach((digest, those) -> roles.put(digest, EnumSet.copyOf(those)));
        other.rolesByDigest.forEach((digest, those) -> roles.computeIfAbsent(digest, none -> EnumSet.noneOf(Role.class)).addAll(those));
        return new BearerTokens(roles);
    }

    /**
     * The tokens in {@code content}, the bytes of {@code file}, in order; none when it holds only blank
     * lines and comments. Refuses, naming the file, bytes that are not UTF-8 and short tokens.
     */
    static List<String> tokensIn(Role role, Path file, byte[] content) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(content)).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("the " + role.label() + " token file " + file + " is not UTF-8 text", e);
        }
        List<String> lines = text.lines().toList();
        List<String> tokens = new ArrayList<>();
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
