package io.agentmediator.chart;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * The chart in helm/agent-mediator, rendered and linted by the Helm 3 that helm-java embeds, so
 * the tests see exactly what {@code helm template} and {@code helm lint} would.
 */
final class Chart {

    static final String RELEASE = "mediator";
    static final String NAMESPACE = "agents";
    /** A Kubernetes the chart supports; the embedded Helm's own default is older than the chart's kubeVersion. */
    static final String KUBE_VERSION = "1.30.0";

    private static final String HOOK = "helm.sh/hook";
    private static final String UNHOOKED = "chart-tests.example/hook";

    private static final ObjectMapper YAML = new YAMLMapper();

    private Chart() {}

    static Path directory() {
        return Path.of(System.getProperty("chart.dir", "../agent-mediator")).toAbsolutePath().normalize();
    }

    static LintResult lintStrict() {
        return new Helm(directory()).lint().strict().call();
    }

    /** {@code helm template} with the chart's defaults. */
    static Rendered render() {
        return render(new Values());
    }

    /** {@code helm template -f values.yaml}, the values written as an operator would write them. */
    static Rendered render(Values values) {
        return render(values, KUBE_VERSION);
    }

    /** {@code helm template -f values.yaml --kube-version}, for what the chart renders only on some Kubernetes. */
    static Rendered render(Values values, String kubeVersion) {
        try {
            Path file = Files.createTempFile("values-", ".yaml");
            try {
                YAML.writeValue(file.toFile(), values.asMap());
                String manifest =
                        new Helm(directory())
                                .template()
                                .withName(RELEASE)
                                .withNamespace(NAMESPACE)
                                .withKubeVersion(kubeVersion)
                                .withValuesFile(file)
                                .call();
                return Rendered.parse(manifest);
            } finally {
                Files.delete(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * templates/NOTES.txt rendered, as {@code helm install --dry-run} prints it after the release's status:
     * {@code helm template} leaves it out. Client-only, so no cluster is reached.
     */
    static String notes(Values values) {
        try {
            Path file = Files.createTempFile("values-", ".yaml");
            try {
                YAML.writeValue(file.toFile(), values.asMap());
                String output = new Helm(directory())
                        .install()
                        .withName(RELEASE)
                        .withNamespace(NAMESPACE)
                        .withKubeVersion(KUBE_VERSION)
                        .withValuesFile(file)
                        .clientOnly()
                        .dryRun()
                        .call()
                        .getOutput();
                int notes = output.indexOf("NOTES:\n");
                if (notes < 0) {
                    throw new AssertionError("helm install --dry-run printed no NOTES: " + output);
                }
                return output.substring(notes + "NOTES:\n".length());
            } finally {
                Files.delete(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The hooks Helm runs around an install or upgrade, rendered as {@code helm template} would: the embedded Helm leaves
     * them out of its output, and out of {@code install --dry-run}'s, so the chart is rendered from a copy whose
     * {@code helm.sh/hook} annotation is spelt otherwise, the spelling put back in what it rendered.
     */
    static Rendered hooks(Values values) {
        return hooks(RELEASE, values, UnaryOperator.identity());
    }

    /**
     * The hooks of release {@code release}, the chart's values.yaml changed by {@code defaults} first: {@code helm upgrade
     * --reuse-values} renders the new templates with the values of the release, without the defaults the chart added since.
     */
    static Rendered hooks(String release, Values values, UnaryOperator<String> defaults) {
        try {
            Path copy = Files.createTempDirectory("chart-");
            try (Stream<Path> files = Files.walk(directory())) {
                for (Path source : files.toList()) {
                    Path target = copy.resolve(directory().relativize(source).toString());
                    if (Files.isDirectory(source)) {
                        Files.createDirectories(target);
                    } else {
                        String text = Files.readString(source).replace(HOOK + ":", UNHOOKED + ":");
                        Files.writeString(target, source.equals(directory().resolve("values.yaml")) ? defaults.apply(text) : text);
                    }
                }
            }
            Path file = Files.createTempFile("values-", ".yaml");
            try {
                YAML.writeValue(file.toFile(), values.asMap());
                String manifest = new Helm(copy).template().withName(release).withNamespace(NAMESPACE).withKubeVersion(KUBE_VERSION)
                        .withValuesFile(file).call();
                return Rendered.parse(manifest.replace(UNHOOKED + ":", HOOK + ":")).annotated(HOOK);
            } finally {
                Files.delete(file);
                try (Stream<Path> files = Files.walk(copy)) {
                    for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
                        Files.delete(path);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String file(String relative) {
        try {
            return Files.readString(directory().resolve(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
