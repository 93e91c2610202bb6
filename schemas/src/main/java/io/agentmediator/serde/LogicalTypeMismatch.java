package io.agentmediator.serde;

import java.util.HashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.apache.avro.LogicalType;
import org.apache.avro.Schema;

/**
 * Where a writer's schema gives a value another logical type than the reader's: {@code timestamp-micros} where we read
 * {@code timestamp-millis}, say. Avro resolves the two longs as one and its compatibility check (a registry's too) does not
 * compare logical types, so such a record would be read as something it is not: an {@code expiresAt} in microseconds read
 * as milliseconds lies fifty thousand years ahead, and an expired intent would be executed. A writer value without a
 * logical type is read as ours, as Avro reads it; so is a string, whatever its logical type.
 */
final class LogicalTypeMismatch {

    private LogicalTypeMismatch() {}

    /** The first place where {@code writer} gives a value another logical type than {@code reader}, or empty. */
    static Optional<String> of(Schema writer, Schema reader) {
        return find(writer, reader, reader.getName(), new HashSet<>());
    }

    private static Optional<String> find(Schema writer, Schema reader, String path, Set<String> compared) {
        if (writer.getType() == Schema.Type.UNION) {
            for (Schema branch : writer.getTypes()) {
                Optional<String> found = find(branch, reader, path, compared);
                if (found.isPresent()) {
                    return found;
                }
            }
            return Optional.empty();
        }
        if (reader.getType() == Schema.Type.UNION) {
            return reader.getTypes().stream().filter(branch -> sameKind(writer, branch)).findFirst()
                    .flatMap(branch -> find(writer, branch, path, compared));
        }
        if (!sameKind(writer, reader)) {
            return Optional.empty();
        }
        String writerType = name(writer.getLogicalType());
        // A string reads as the same characters whatever it is called: a writer's uuid (Avro IDL, Python's schema generators)
        // on an id we read as a plain string is that id.
        if (writerType != null && !writerType.equals(name(reader.getLogicalType())) && writer.getType() != Schema.Type.STRING) {
            return Optional.of(path + " is " + writerType + " in the writer's schema, "
                    + Objects.requireNonNullElse(name(reader.getLogicalType()), "a plain " + reader.getType().getName()) + " in ours");
        }
        return switch (writer.getType()) {
            case RECORD -> compared.add(writer.getFullName() + "/" + reader.getFullName()) ? fields(writer, reader, path, compared)
                    : Optional.empty();
            case ARRAY -> find(writer.getElementType(), reader.getElementType(), path + "[]", compared);
            case MAP -> find(writer.getValueType(), reader.getValueType(), path + "{}", compared);
            default -> Optional.empty();
        };
    }

    private static Optional<String> fields(Schema writer, Schema reader, String path, Set<String> compared) {
        for (Schema.Field field : reader.getFields()) {
            Schema.Field written = writer.getField(field.name());
            if (written == null) {
                written = field.aliases().stream().map(writer::getField).filter(Objects::nonNull).findFirst().orElse(null);
            }
            if (written != null) {
                Optional<String> found = find(written.schema(), field.schema(), path + "." + field.name(), compared);
                if (found.isPresent()) {
                    return found;
                }
            }
        }
        return Optional.empty();
    }

    /** Whether Avro would resolve the one to the other as the same kind of value (a long to a long, a record to one named alike). */
    private static boolean sameKind(Schema writer, Schema reader) {
        if (writer.getType() != reader.getType()) {
            return false;
        }
        return switch (writer.getType()) {
            case RECORD, ENUM, FIXED -> writer.getName().equals(reader.getName());
            default -> true;
        };
    }

    private static String name(LogicalType type) {
        return type == null ? null : type.getName();
    }
}
