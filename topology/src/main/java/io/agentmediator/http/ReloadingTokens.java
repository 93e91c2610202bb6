package io.agentmediator.http;

import io.agentmediator.text.Printable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The token files, read again when they change, so a rotated Kubernetes Secret takes effect without a
 * restart. A request finds out: at most once every {@code interval} it reads the files (a few lines
 * each) and compares their content with what it last read, which catches an update whatever the
 * file system does with modification times and however the Secret's symlinks are swapped. New
 * content that cannot be used (unreadable, empty, a short token: a Secret caught mid-update, a typo)
 * keeps the tokens in force, is logged once, at WARN, and counted, so that a rotation that never took
 * effect raises an alert rather than waiting for someone to read the log.
 */
final class ReloadingTokens {

    private static final Logger log = LoggerFactory.getLogger(ReloadingTokens.class);

    private final Map<Role, Path> files;
    private final Duration interval;
    private final Clock clock;
    private final ReentrantLock checking = new ReentrantLock();
    private volatile TokenSnapshot current;
    private volatile Instant nextCheck;
    private byte[] lastContent;
    private final LongAdder failures = new LongAdder();

    /** Reads the files once now; refuses them as {@link TokenSnapshot#read} does, since nothing is in force yet. */
    ReloadingTokens(Map<Role, Path> files, Duration interval, Clock clock) {
        this.files = new EnumMap<>(files);
        this.interval = interval;
        this.clock = clock;
        this.current = TokenSnapshot.read(this.files);
        this.lastContent = content();
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
                reloadIfChanged();
            } finally {
                checking.unlock();
            }
        }
        return current;
    }

    private void reloadIfChanged() {
        byte[] content;
        try {
            content = content();
        } catch (UncheckedIOException e) {
            unreadable(e.getMessage());
            return;
        }
        if (MessageDigest.isEqual(content, lastContent)) {
            return;
        }
        lastContent = content;
        try {
            current = TokenSnapshot.read(files);
            log.info("HTTP bearer tokens read again from {}: the change is in force", files.values());
        } catch (IllegalArgumentException | UncheckedIOException e) {
            failures.increment();
            log.warn("HTTP bearer token files changed but cannot be used, the tokens read before stay in force: {}",
                    Printable.escape(e.getMessage()));
        }
    }

    /** Logged when a file becomes unreadable, not at every check while it stays so; readable again, it is read. */
    private void unreadable(String problem) {
        if (lastContent != null) {
            failures.increment();
            log.warn("HTTP bearer token files cannot be read, the tokens read before stay in force: {}", Printable.escape(problem));
        }
        lastContent = null;
    }

    /** The SHA-256 of every file's bytes, each preceded by its length, in role order. */
    private byte[] content() {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (Map.Entry<Role, Path> file : files.entrySet()) {
                byte[] bytes = Files.readAllBytes(file.getValue());
                digest.update(ByteBuffer.allocate(Integer.BYTES).putInt(bytes.length).array());
                digest.update(bytes);
            }
            return digest.digest();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read a token file of " + files.values(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
