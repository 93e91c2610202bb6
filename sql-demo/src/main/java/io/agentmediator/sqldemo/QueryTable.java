package io.agentmediator.sqldemo;

import java.sql.Array;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** A query's answer as psql would show it: a header, aligned columns, at most so many rows, and how many there were. */
final class QueryTable {

    private static final int WIDEST = 48;

    private QueryTable() {
    }

    static List<String> lines(List<Map<String, Object>> rows, int shown) throws SQLException {
        List<String> lines = new ArrayList<>();
        if (rows.isEmpty()) {
            lines.add("(0 rows)");
            return lines;
        }
        List<String> columns = List.copyOf(rows.get(0).keySet());
        List<List<String>> cells = new ArrayList<>();
        for (Map<String, Object> row : rows.subList(0, Math.min(shown, rows.size()))) {
            List<String> line = new ArrayList<>();
            for (String column : columns) {
                line.add(cell(row.get(column)));
            }
            cells.add(line);
        }
        int[] widths = new int[columns.size()];
        for (int i = 0; i < columns.size(); i++) {
            widths[i] = columns.get(i).length();
            for (List<String> line : cells) {
                widths[i] = Math.max(widths[i], line.get(i).length());
            }
        }
        lines.add(join(columns, widths));
        lines.add(join(Arrays.stream(widths).mapToObj("-"::repeat).toList(), widths));
        cells.forEach(line -> lines.add(join(line, widths)));
        lines.add(rows.size() > shown ? "(" + rows.size() + " rows, " + shown + " shown)" : "(" + rows.size() + " rows)");
        return lines;
    }

    private static String cell(Object value) throws SQLException {
        String text = value instanceof Array array ? Arrays.toString((Object[]) array.getArray()) : String.valueOf(value);
        return text.length() > WIDEST ? text.substring(0, WIDEST - 1) + "…" : text;
    }

    private static String join(List<String> cells, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            line.append(i == 0 ? " " : " | ").append(String.format("%-" + widths[i] + "s", cells.get(i)));
        }
        return line.toString().stripTrailing();
    }
}
