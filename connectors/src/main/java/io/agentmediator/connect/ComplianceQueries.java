package io.agentmediator.connect;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The example queries of docs/AUDIT-SQL.md, read from the one file the document shows ({@code
 * connectors/sql/compliance-queries.sql}), so that what the document promises is what the tests and the demo run.
 * Each query follows a {@code -- name: <name>} line; its psql variables ({@code :'agent'}) become JDBC parameters.
 */
public final class ComplianceQueries {

    private static final String RESOURCE = "sql/compliance-queries.sql";
    private static final Pattern NAME = Pattern.compile("^-- name: (\\S+)\\s*$", Pattern.MULTILINE);
    private static final Pattern VARIABLE = Pattern.compile(":'([a-z_]+)'");

    private ComplianceQueries() {
    }

    /**
     * One query: its name, its text as written (psql variables, no semicolon), the SQL with {@code ?} for each
     * variable, and the variables in order.
     */
    public record Query(String name, String text, String sql, List<String> variables) {

        /** Runs the query with {@code values} for its variables; every row as column label to value, in order. */
        public List<Map<String, Object>> run(Connection connection, Map<String, ?> values) throws SQLException {
            for (String variable : variables) {
                if (!values.containsKey(variable)) {
                    throw new IllegalArgumentException("Query " + name + " needs a value for :'" + variable + "'");
                }
            }
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                for (int i = 0; i < variables.size(); i++) {
                    statement.setObject(i + 1, values.get(variables.get(i)));
                }
                List<Map<String, Object>> rows = new ArrayList<>();
                try (ResultSet result = statement.executeQuery()) {
                    ResultSetMetaData meta = result.getMetaData();
                    while (result.next()) {
                        Map<String, Object> row = new LinkedHashMap<>();
                        for (int column = 1; column <= meta.getColumnCount(); column++) {
                            row.put(meta.getColumnLabel(column), result.getObject(column));
                        }
                        rows.add(row);
                    }
                }
                return rows;
            }
        }
    }

    /** Every query of the file, by name, in the file's order. */
    public static Map<String, Query> all() {
        String text = read();
        Map<String, Query> queries = new LinkedHashMap<>();
        Matcher names = NAME.matcher(text);
        List<int[]> starts = new ArrayList<>();
        List<String> order = new ArrayList<>();
        while (names.find()) {
            starts.add(new int[] {names.start(), names.end()});
            order.add(names.group(1));
        }
        for (int i = 0; i < order.size(); i++) {
            int end = i + 1 < starts.size() ? starts.get(i + 1)[0] : text.length();
            queries.put(order.get(i), parse(order.get(i), text.substring(starts.get(i)[1], end)));
        }
        return queries;
    }

    private static Query parse(String name, String block) {
        StringBuilder sql = new StringBuilder();
        block.lines().filter(line -> !line.startsWith("--")).forEach(line -> sql.append(line).append('\n'));
        String statement = sql.toString().strip();
        if (!statement.endsWith(";")) {
            throw new IllegalStateException("Query " + name + " in " + RESOURCE + " does not end with a semicolon");
        }
        statement = statement.substring(0, statement.length() - 1);
        List<String> variables = new ArrayList<>();
        Matcher matcher = VARIABLE.matcher(statement);
        StringBuilder jdbc = new StringBuilder();
        while (matcher.find()) {
            variables.add(matcher.group(1));
            matcher.appendReplacement(jdbc, "?");
        }
        return new Query(name, statement, matcher.appendTail(jdbc).toString(), List.copyOf(variables));
    }

    private static String read() {
        try (InputStream in = ComplianceQueries.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("No " + RESOURCE + " beside " + ComplianceQueries.class.getName());
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + RESOURCE, e);
        }
    }
}
