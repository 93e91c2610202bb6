package io.agentmediator.testing;

/** Reading a Prometheus text exposition, as a scrape sees it. */
public final class MetricsText {

    private MetricsText() {}

    /** The sum of every sample of {@code metric}, whatever its labels; 0 when it has none. */
    public static double sampleSum(String exposition, String metric) {
        return exposition.lines()
                .filter(line -> line.startsWith(metric + "{") || line.startsWith(metric + " "))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }
}
