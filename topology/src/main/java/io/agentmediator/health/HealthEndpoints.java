package io.agentmediator.health;

import com.sun.net.httpserver.HttpExchange;
import io.agentmediator.http.HttpEndpoints;
import io.agentmediator.http.Responses;
import java.io.IOException;
import java.util.List;

/**
 * {@code /health/live} and {@code /health/ready} for Kubernetes probes: 200 when healthy, 503
 * otherwise, with a small JSON body naming every problem so an operator reading the probe output
 * learns why (streams not running, no policy, schema registry unavailable).
 */
public final class HealthEndpoints {

    private HealthEndpoints() {}

    public static void mount(HttpEndpoints http, HealthState health) {
        http.mount("/health/live", exchange -> answer(exchange, health.live(), health.live() ? List.of() : health.problems()));
        http.mount("/health/ready", exchange -> answer(exchange, health.ready(), health.problems()));
    }

    private static void answer(HttpExchange exchange, boolean healthy, List<String> problems) throws IOException {
        try (exchange) {
            if (Responses.requireGet(exchange)) {
                Responses.json(exchange, healthy ? 200 : 503, json(healthy, problems));
            }
        }
    }

    private static String json(boolean healthy, List<String> problems) {
        StringBuilder json = new StringBuilder("{\"status\":\"").append(healthy ? "UP" : "DOWN").append("\",\"problems\":[");
        for (int i = 0; i < problems.size(); i++) {
            json.append(i == 0 ? "" : ",").append('"').append(escape(problems.get(i))).append('"');
        }
        return json.append("]}").toString();
    }

    private static String escape(String text) {
        StringBuilder out = new StringBuilder();
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }
}
