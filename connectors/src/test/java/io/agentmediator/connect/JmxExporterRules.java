package io.agentmediator.connect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * The rules of a Prometheus JMX exporter configuration applied to this JVM's beans the way the exporter applies them,
 * so that a test sees the series a worker would export without the exporter agent: each readable attribute is
 * matched as {@code domain<key=value, key=value><>attribute: value} against the rules in order, the first match
 * names it (groups substituted, lower-cased, runs of characters Prometheus refuses turned into one {@code _}), and a
 * rule's {@code value} counts for a text attribute.
 */
final class JmxExporterRules {

    private record Rule(Pattern pattern, String name, Map<String, String> labels, String value) {
    }

    private final List<Rule> rules;

    private JmxExporterRules(List<Rule> rules) {
        this.rules = rules;
    }

    static JmxExporterRules read(Path file) throws IOException {
        List<Rule> rules = new ArrayList<>();
        for (JsonNode rule : new YAMLMapper().readTree(file.toFile()).path("rules")) {
            Map<String, String> labels = new TreeMap<>();
            rule.path("labels").fields().forEachRemaining(label -> labels.put(label.getKey(), label.getValue().asText()));
            rules.add(new Rule(Pattern.compile("^.*(?:" + rule.path("pattern").asText() + ").*$"), rule.path("name").asText(), labels,
                    rule.hasNonNull("value") ? rule.path("value").asText() : null));
        }
        return new JmxExporterRules(rules);
    }

    /** Every series the rules make of the beans of {@code domain}: {@code name{label="value",...}} to its value. */
    Map<String, Double> scrape(String domain) throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        Map<String, Double> series = new TreeMap<>();
        for (ObjectName bean : server.queryNames(new ObjectName(domain + ":*"), null)) {
            String properties = Arrays.stream(bean.getKeyPropertyListString().split(",")).collect(Collectors.joining(", "));
            for (MBeanAttributeInfo attribute : server.getMBeanInfo(bean).getAttributes()) {
                Object value;
                try {
                    value = server.getAttribute(bean, attribute.getName());
                } catch (Exception gone) {
                    continue;
                }
                String subject = domain + "<" + properties + "><>" + attribute.getName() + ": " + value;
                for (Rule rule : rules) {
                    Matcher matcher = rule.pattern().matcher(subject);
                    if (matcher.matches()) {
                        Double number = rule.value() != null ? Double.valueOf(matcher.replaceAll(rule.value()))
                                : value instanceof Number n ? n.doubleValue() : null;
                        if (number != null) {
                            series.put(name(rule, matcher), number);
                        }
                        break;
                    }
                }
            }
        }
        return series;
    }

    private static String name(Rule rule, Matcher matcher) {
        String labels = rule.labels().entrySet().stream()
                .map(label -> safe(label.getKey()) + "=\"" + matcher.replaceAll(label.getValue()) + "\"")
                .collect(Collectors.joining(","));
        return safe(matcher.replaceAll(rule.name())).toLowerCase() + "{" + labels + "}";
    }

    private static String safe(String name) {
        return name.replaceAll("[^a-zA-Z0-9:_]", "_").replaceAll("_{2,}", "_");
    }
}
