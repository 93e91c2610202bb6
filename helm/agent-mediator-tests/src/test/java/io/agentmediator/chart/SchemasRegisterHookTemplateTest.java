package io.agentmediator.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.agentmediator.embedded.EmbeddedSchemaRegistry;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Job Helm runs before an install or upgrade to register the subjects the release's version writes under, for a
 * registry its pods may only read: they refuse to start while one is missing.
 */
class SchemasRegisterHookTemplateTest {

    private static final String HOOK = Chart.RELEASE + "-agent-mediator-schemas-register";

    @TempDir Path dir;

    @Test
    void shouldRenderNoJobUnlessAskedFor() {
        assertThat(Chart.hooks(new Values()).kinds()).isEmpty();
        assertThat(Chart.hooks(Values.with("schemaRegistry.registerJob.enabled", true)).kinds()).containsExactlyInAnyOrder("ConfigMap", "Job");
    }

    @Test
    void shouldRegisterBeforeTheReleasesResourcesOnThePodsSettingsWithTheCredentialsAllowedToWrite() {
        // Given the pods reading the registry as one user, and the Job given another that may write
        Values values = Values.with("schemaRegistry.registerJob.enabled", true)
                .and("schemaRegistry.basicAuthSecret.name", "registry-reader")
                .and("schemaRegistry.registerJob.basicAuthSecret.name", "registry-writer")
                .and("schemaRegistry.registerJob.basicAuthSecret.key", "writer-info")
                .and("schemaRegistry.truststoreSecret.name", "registry-ca");
        Rendered hooks = Chart.hooks(values);
        Job job = hooks.one("Job", Job.class);
        ConfigMap config = hooks.configMap(HOOK);
        Container container = job.getSpec().getTemplate().getSpec().getContainers().get(0);

        // Then both are hooks run before install and upgrade, its settings first, and gone once it succeeded
        for (Map<String, String> annotations : List.of(job.getMetadata().getAnnotations(), config.getMetadata().getAnnotations())) {
            assertThat(annotations).contains(entry("helm.sh/hook", "pre-install,pre-upgrade"),
                    entry("helm.sh/hook-delete-policy", "before-hook-creation,hook-succeeded"));
        }
        assertThat(Integer.parseInt(config.getMetadata().getAnnotations().get("helm.sh/hook-weight")))
                .isLessThan(Integer.parseInt(job.getMetadata().getAnnotations().get("helm.sh/hook-weight")));
        // And it runs schemas register on the very settings the pods read, mounted where its argument says
        assertThat(container.getArgs()).containsExactly("schemas", "register", "--config", "/etc/agent-mediator/mediator.properties");
        assertThat(MediatorProperties.of(config)).isEqualTo(MediatorProperties.of(Chart.render(values)));
        VolumeMount mounted = container.getVolumeMounts().stream().filter(mount -> mount.getName().equals("config")).findFirst().orElseThrow();
        assertThat(mounted.getMountPath()).isEqualTo("/etc/agent-mediator/mediator.properties");
        assertThat(job.getSpec().getTemplate().getSpec().getVolumes()).anySatisfy(volume -> {
            assertThat(volume.getName()).isEqualTo("config");
            assertThat(volume.getConfigMap().getName()).isEqualTo(HOOK);
        });
        // And with the writer's credentials, and the registry's truststore as the pods have it
        assertThat(secretEnv(container, "MEDIATOR_BASIC_AUTH_USER_INFO")).containsExactly("registry-writer", "writer-info");
        assertThat(value(container, "MEDIATOR_BASIC_AUTH_CREDENTIALS_SOURCE")).isEqualTo("USER_INFO");
        assertThat(secretEnv(container, "MEDIATOR_SCHEMA_REGISTRY_SSL_TRUSTSTORE_PASSWORD")).containsExactly("registry-ca", "truststore.password");
        assertThat(container.getVolumeMounts()).extracting(VolumeMount::getMountPath)
                .contains("/etc/agent-mediator/secrets/registry-truststore");
        // And its pod is none of the mediators' to their Services and disruption budget
        Map<String, String> podLabels = job.getSpec().getTemplate().getMetadata().getLabels();
        Rendered release = Chart.render(values);
        assertThat(podLabels.entrySet().containsAll(release.statefulSet().getSpec().getSelector().getMatchLabels().entrySet()))
                .as("selected by the StatefulSet: %s", podLabels).isFalse();
        release.services().forEach(service -> assertThat(podLabels.entrySet().containsAll(service.getSpec().getSelector().entrySet()))
                .as("selected by %s: %s", service.getMetadata().getName(), podLabels).isFalse());
        // And without the release's ServiceAccount, which an install has not created yet
        assertThat(job.getSpec().getTemplate().getSpec().getServiceAccountName()).isNull();
        assertThat(job.getSpec().getTemplate().getSpec().getRestartPolicy()).isEqualTo("Never");
    }

    @Test
    void shouldUseThePodsRegistryCredentialsWhenTheJobIsGivenNone() {
        Container container = container(Chart.hooks(Values.with("schemaRegistry.registerJob.enabled", true)
                .and("schemaRegistry.basicAuthSecret.name", "registry-user")));
        assertThat(secretEnv(container, "MEDIATOR_BASIC_AUTH_USER_INFO")).containsExactly("registry-user", "user-info");

        Container anonymous = container(Chart.hooks(Values.with("schemaRegistry.registerJob.enabled", true)));
        assertThat(anonymous.getEnv()).extracting(EnvVar::getName).doesNotContain("MEDIATOR_BASIC_AUTH_USER_INFO",
                "MEDIATOR_BASIC_AUTH_CREDENTIALS_SOURCE");
    }

    @Test
    void shouldGiveTheJobWhatThePodsAreGivenBesideTheChartsOwnSettings() {
        // Given a registry key with a password of its own and a CA, given to the pods through extraEnv, extraVolumes and the JVM
        Map<String, Object> keyPassword = Map.of("name", "MEDIATOR_SCHEMA_REGISTRY_SSL_KEY_PASSWORD",
                "valueFrom", Map.of("secretKeyRef", Map.of("name", "registry-client", "key", "key.password")));
        Values values = Values.with("schemaRegistry.registerJob.enabled", true)
                .and("extraEnv", List.of(keyPassword))
                .and("extraVolumes", List.of(Map.of("name", "corporate-ca", "configMap", Map.of("name", "corporate-ca"))))
                .and("extraVolumeMounts", List.of(Map.of("name", "corporate-ca", "mountPath", "/etc/corporate-ca", "readOnly", true)))
                .and("jvmOptions", "-Djavax.net.ssl.trustStore=/etc/corporate-ca/ca.p12")
                .and("serviceAccount.create", false).and("serviceAccount.name", "mediators");

        // Then the Job has them too, and runs as the operator's ServiceAccount, which exists before the install
        Job job = Chart.hooks(values).one("Job", Job.class);
        Container container = job.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(secretEnv(container, "MEDIATOR_SCHEMA_REGISTRY_SSL_KEY_PASSWORD")).containsExactly("registry-client", "key.password");
        assertThat(value(container, "JAVA_TOOL_OPTIONS")).isEqualTo("-Djavax.net.ssl.trustStore=/etc/corporate-ca/ca.p12");
        assertThat(container.getVolumeMounts()).extracting(VolumeMount::getMountPath).contains("/etc/corporate-ca");
        assertThat(job.getSpec().getTemplate().getSpec().getVolumes()).extracting(volume -> volume.getName()).contains("corporate-ca");
        assertThat(job.getSpec().getTemplate().getSpec().getServiceAccountName()).isEqualTo("mediators");
    }

    @Test
    void shouldNameTheJobWithinTheLabelLimitWhateverTheReleaseNameHelmAllows() {
        // Given the longest release name Helm takes
        String release = "customer-support-prod-eu-central1-" + "x".repeat(53 - 34);
        Rendered hooks = Chart.hooks(release, Values.with("schemaRegistry.registerJob.enabled", true), UnaryOperator.identity());

        // Then the Job's name, which Kubernetes puts in a label of its pods, fits one, and names the ConfigMap it mounts
        Job job = hooks.one("Job", Job.class);
        assertThat(job.getMetadata().getName()).hasSizeLessThanOrEqualTo(63);
        assertThat(job.getSpec().getTemplate().getMetadata().getLabels().values()).allSatisfy(label -> assertThat(label).hasSizeLessThanOrEqualTo(63));
        assertThat(hooks.one("ConfigMap", ConfigMap.class).getMetadata().getName()).isEqualTo(job.getMetadata().getName());
        assertThat(job.getSpec().getTemplate().getSpec().getVolumes()).anySatisfy(volume ->
                assertThat(volume.getConfigMap() == null ? null : volume.getConfigMap().getName()).isEqualTo(job.getMetadata().getName()));
    }

    @Test
    void shouldTurnOnInAnUpgradeThatReusesTheValuesOfAReleaseFromBeforeTheJob() {
        // Given the values of a release installed before the chart had the Job: none of its defaults
        UnaryOperator<String> beforeTheJob = values -> values.replaceAll("(?s)\\n  # A Job Helm runs before each install.*?\\n(?=streams:)", "\n\n");
        assertThat(beforeTheJob.apply(Chart.file("values.yaml"))).doesNotContain("registerJob").contains("streams:");

        // When helm upgrade --reuse-values --set schemaRegistry.registerJob.enabled=true renders the new templates with them
        Job job = Chart.hooks(Chart.RELEASE, Values.with("schemaRegistry.registerJob.enabled", true)
                .and("schemaRegistry.basicAuthSecret.name", "registry-user"), beforeTheJob).one("Job", Job.class);

        // Then the Job is there, as the chart's defaults would have it
        assertThat(job.getSpec().getBackoffLimit()).isEqualTo(2);
        assertThat(job.getSpec().getActiveDeadlineSeconds()).isEqualTo(240L);
        assertThat(secretEnv(job.getSpec().getTemplate().getSpec().getContainers().get(0), "MEDIATOR_BASIC_AUTH_USER_INFO"))
                .containsExactly("registry-user", "user-info");
    }

    @Test
    void shouldRegisterEverySubjectThePodsRequireWhenItsContainerRunsAsRendered() throws Exception {
        try (EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start(0)) {
            // Given the release rendered for a registry nothing is registered in
            Rendered rendered = Chart.hooks(Values.with("schemaRegistry.registerJob.enabled", true)
                    .and("schemaRegistry.url", registry.url()).and("streams.applicationId", "mediator-prod"));
            Container container = container(rendered);
            Path config = Files.writeString(dir.resolve("mediator.properties"),
                    rendered.configMap(HOOK).getData().get("mediator.properties"));
            assertThat(mediator(container, "schemas", "check", "--config", config.toString()).exitCode()).as("missing before").isEqualTo(1);

            // When the Job's container runs: its arguments and environment, its config file where it is mounted
            List<String> args = container.getArgs().stream()
                    .map(arg -> arg.equals("/etc/agent-mediator/mediator.properties") ? config.toString() : arg).toList();
            Result registered = mediator(container, args.toArray(String[]::new));

            // Then it succeeds, and every subject the pods check at their start is there, the release's own among them
            assertThat(registered.exitCode()).as(registered.output()).isZero();
            assertThat(registered.output()).contains("subjects registered", "mediator-prod-");
            Result checked = mediator(container, "schemas", "check", "--config", config.toString());
            assertThat(checked.exitCode()).as(checked.output()).isZero();
            assertThat(checked.output()).contains("present  agent.decisions.execute-value").doesNotContain("missing");
        }
    }

    private record Result(int exitCode, String output) {}

    /** The mediator's command line in a JVM of its own, with the container's literal environment. */
    private static Result mediator(Container container, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "io.agentmediator.cli.MediatorCli"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        container.getEnv().stream().filter(env -> env.getValue() != null).forEach(env -> builder.environment().put(env.getName(), env.getValue()));
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
        return new Result(process.exitValue(), output);
    }

    private static Container container(Rendered rendered) {
        return rendered.one("Job", Job.class).getSpec().getTemplate().getSpec().getContainers().get(0);
    }

    private static List<String> secretEnv(Container container, String name) {
        EnvVar env = container.getEnv().stream().filter(each -> each.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + name));
        return List.of(env.getValueFrom().getSecretKeyRef().getName(), env.getValueFrom().getSecretKeyRef().getKey());
    }

    private static String value(Container container, String name) {
        return container.getEnv().stream().filter(each -> each.getName().equals(name)).findFirst().orElseThrow().getValue();
    }
}
