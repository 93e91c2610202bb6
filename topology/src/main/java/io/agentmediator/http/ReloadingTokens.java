package io.agentmediator.http;

import io.agentmediator.text.Printable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The token files, read again when they change, so a rotated Kubernetes Secret takes effect without a
 * restart. A request finds out: at most once every {@code interval} it reads the files (a few lines
 * each) and compares each one's content with what it last read, which catches an update whatever the
 * file system does with modification times and however the Secret's symlinks are swapped.
 *
 * <p>Each file counts for its own role. One that holds no token revokes that role's tokens: the
 * kubelet swaps a Secret's files in whole, by a symlink, so an empty read is what the Secret says, and
 * emptying the file is how a leaked token is switched off. One that cannot be read or holds a token
 * that cannot be one (a deleted key, a typo) keeps its role's tokens in force, is logged once, at WARN,
 * and counted, so that a rotation that never took effect raises an alert rather than waiting for
 * someone to read the log; the other files are read all the same, so one broken file holds up no
 * revocation. The instance file cannot be emptied: instances present its first token to each other.
 */
final class ReloadingTokens {

    private static final Logger log = LoggerFactory.getLogger(ReloadingTokens.class);

    private final Map<Role, Path> files;
    private final Duration interval;
    private final Clock clock;
    private final ReentrantLock checking = new ReentrantLock();
    private final Map<Role, BearerTokens> inForce = new EnumMap<>(Role.class);
    /** The SHA-256 of each file as last read; none while it cannot be read. */
    private final Map<Role, byte[]> lastContent = new EnumMap<>(Role.class);
    private String instanceToken;
    private volatile TokenSnapshot current;
    private volatile Instant nextCheck;
    private final LongAdder failures = new LongAdder();

    /** Reads the files once now; refuses one it cannot read or use, naming it, since nothing is in force yet. */
    ReloadingTokens(Map<Role, Path> files, Duration interval, Clock clock) {
        this.files = new EnumMap<>(files);
        this.interval = interval;
        this.clock = clock;
        this.files.forEach((role, file) -> {
            byte[] content = read(role, file);
            use(role, file, content);
            lastContent.put(role, digest(content));
        });
        this.current = snapshot();
        this.nextCheck = clock.instant().plus(interval);
    }

    /** How many changes of the files could not be used, each counted once, as it is logged. */
    long failures() {
        return failures.sum();
    }

    /** The tokens in force, read again first when the interval has passed (by one caller; the others use these). */
    TokenSnapshot current() {
        if (!clock.instant().isBefore(nextCheck) && checking.tryLock()) {
            try {
                nextCheck = clock.instant().plus(interval);
                reloadChanged();
            } finally {
                checking.unlock();
            }
        }
        return current;
    }

    private void reloadChanged() {
        boolean changed = false;
        for (Map.Entry<Role, Path> file : files.entrySet()) {
            changed |= reloadIfChanged(file.getKey(), file.getValue());
        }
        if (changed) {
            current = snapshot();
        }
    }

    /** Every role's tokens in force; a token listed for several roles has all of them. */
    private TokenSnapshot snapshot() {
        return new TokenSnapshot(inForce.values().stream().reduce(BearerTokens::and).orElseThrow(), instanceToken);
    }

    /** Whether the role's tokens changed. A file that cannot be read is logged when it becomes so, not at every check. */
    private boolean reloadIfChanged(Role role, Path file) {
        byte[] content;
        try {
            content = read(role, file);
        } catch (UncheckedIOException e) {
            if (lastContent.remove(role) != null) {
                failures.increment();
                log.warn("HTTP bearer token file {} cannot be read, the {} tokens read before stay in force: {}",
                        file, role.label(), Printable.escape(String.valueOf(e.getCause())));
            }
            return false;
        }
        byte[] digest = digest(content);
        if (MessageDigest.isEqual(digest, lastContent.get(role))) {
            return false;
        }
        lastContent.put(role, digest);
        try {
            use(role, file, content);
        } catch (IllegalArgumentException e) {
            failures.increment();
            log.warn("HTTP bearer token file changed but cannot be used, the {} tokens read before stay in force: {}",
                    role.label(), Printable.escape(e.getMessage()));
            return false;
        }
        log.info("HTTP bearer token file {} read again: the change is in force", file);
        return true;
    }

    /**
     * Puts the tokens of {@code content} in force for {@code role}; refuses them, naming the file, as
     * {@link BearerTokens#tokensIn} does, and an instance file without a token.
     */
    private void use(Role role, Path file, byte[] content) {
        List<String> tokens = BearerTokens.tokensIn(role, file, content);
        if (role == Role.INSTANCE) {
            if (tokens.isEmpty()) {
                throw new IllegalArgumentException("the instance token file " + file + " holds no token, and instances present its first "
                        + "to each other: replace the token rather than remove it (README, \"Locking down the HTTP endpoints\")");
            }
            instanceToken = tokens.get(0);
        } else if (tokens.isEmpty()) {
            log.warn("HTTP bearer token file {} holds no token: nobody has the {} role, every token it had is revoked", file, role.label());
        }
        inForce.put(role, BearerTokens.of(role, tokens));
    }

    private static byte[] read(Role role, Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the " + role.label() + " token file " + file, e);
        }
    }

    private static byte[] digest(byte[] content) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(content);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
