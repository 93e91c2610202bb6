package io.agentmediator.contract;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;

/**
  * The released versions of the contract, kept in the repository as
  * {@code <dir>/<RecordName>/v<N>.avsc}, each a self-contained schema.
  *
  * <p>Agents in other languages are built against released schemas and keep writing them long
  * after we move on, so a change is only allowed when the current schema, as a reader, can read
  * data written with the last released one (Avro's backward compatibility). Run {@link #main}
  * with {@code release} to record the current schemas as the next released versions.
  */
public final class ReleasedSchemas {

    private static final Pattern VERSION_FILE = Pattern.compile("v(\\d+)\\.avsc");

    private final Path dir;

    public ReleasedSchemas(Path dir) {
        this.dir = dir;
    }

    /** The highest released version of a record, if it was ever released. */
    public Optional<Released> latest(String recordName) {
        Path recordDir = dir.resolve(recordName);
        if (!Files.isDirectory(recordDir)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.list(recordDir)) {
            return files
                    .map(file -> VERSION_FILE.matcher(file.getFileName().toString()))
                    .filter(Matcher::matches)
                    .map(m -> Integer.parseInt(m.group(1)))
                    .max(Integer::compare)
                    .map(version -> new Released(version, parse(recordDir.resolve("v" + version + ".avsc"))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
      * Every incompatibility between the current schemas and their last released versions, as
      * sentences; empty when all current schemas can read all released data. A record never
      * released is reported too, so nothing public escapes the check.
      */
    public List<String> problems(Map<String, Schema> current) {
        List<String> problems = new ArrayList<>();
        current.forEach(
                (name, schema) -> {
                    Optional<Released> released = latest(name);
                    if (released.isEmpty()) {
                        problems.add(name + ": no released version under " + dir.resolve(name));
                        return;
                    }
                    SchemaPairCompatibility result =
                            SchemaCompatibility.checkReaderWriterCompatibility(schema, released.get().schema());
                    if (result.getType() != SchemaCompatibilityType.COMPATIBLE) {
                        result
                                .getResult()
                                .getIncompatibilities()
                                .forEach(
                                        incompatibility ->
                                                problems.add(
                                                        name
                                                                + " cannot read v"
                                                                + released.get().version()
                                                                + ": "
                                                                + incompatibility.getType()
                                                                + " at "
                                                                + incompatibility.getLocation()
                                                                + " ("
                                                                + incompatibility.getMessage()
                                                                + ")"));
                    }
                });
        return problems;
    }

    /**
      * Writes each current schema whose text differs from its last release as the next version.
      * Returns the files written.
      */
    public List<Path> release(Map<String, Schema> current) {
        List<Path> written = new ArrayList<>();
        current.forEach(
                (name, schema) -> {
                    Optional<Released> released = latest(name);
                    if (released.isPresent() && released.get().schema().equals(schema)) {
                        return;
                    }
                    int next = released.map(r -> r.version() + 1).orElse(1);
                    Path file = dir.resolve(name).resolve("v" + next + ".avsc");
                    try {
                        Files.createDirectories(file.getParent());
                        Files.writeString(file, schema.toString(true) + "\n", StandardCharsets.UTF_8);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    written.add(file);
                });
        return written;
    }

    private static Schema parse(Path file) {
        try {
            return new Schema.Parser().parse(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One released version of a record. */
    public record Released(int version, Schema schema) {}

    /**
      * {@code release [DIR]}: records the current schemas as new released versions (default DIR
      * {@code schemas/released}); {@code check [DIR]}: prints incompatibilities, exit 1 if any.
      */
    public static void main(String[] args) {
        String command = args.length > 0 ? args[0] : "check";
        ReleasedSchemas released = new ReleasedSchemas(Path.of(args.length > 1 ? args[1] : "schemas/released"));
        switch (command) {
            case "release" -> released.release(Contracts.current()).forEach(f -> System.out.println("released " + f));
            case "check" -> {
                List<String> problems = released.problems(Contracts.current());
                problems.forEach(System.out::println);
                if (!problems.isEmpty()) {
                    System.exit(1);
                }
            }
            default -> {
                System.err.println("usage: ReleasedSchemas release|check [DIR]");
                System.exit(2);
            }
        }
    }
}
