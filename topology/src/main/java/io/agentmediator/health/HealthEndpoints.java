package io.agentmediator.health;

import io.agentmediator.http.Access;
import io.agentmediator.http.HttpEndpoints;
import io.agentmediator.http.Reply;
import java.util.List;

/**
 * {@code /health/live} and {@code /health/ready} for Kubernetes probes: 200 when healthy, 503
 * otherwise, with a small JSON body naming every problem so an operator reading the probe output
 * learns why (streams not running, no policy, schema registry unavailable). Open to anyone, tokens
 * or not: kubelets send none, and the answer tells nothing a case file would.
 */
public final class HealthEndpoints {

    private HealthEndpoints() {}

    public static void mount(HttpEndpoints http, HealthState health) {
        http.mount("/health/live", Access.open(), call -> answer(health.live(), health.live() ? List.of() : health.problems()));
        http.mount("/health/ready", Access.open(), call -> answer(health.ready(), health.problems()));
    }

    private static Reply answer(boolean healthy, List<String> problems) {
        return Reply.json(healthy ? 200 : 503, json(healthy, problems));
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
