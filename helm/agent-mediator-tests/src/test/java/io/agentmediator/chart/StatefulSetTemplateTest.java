package io.agentmediator.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class StatefulSetTemplateTest {

    @Test
    void shouldMountEachPodsOwnClaimAtTheStateDirTheMediatorReads() {
        // Given a state directory other than the default
        Rendered rendered = Chart.render(Values.with("stateDir", "/data/mediator-state"));

        // When the StatefulSet and the properties are read
        StatefulSet statefulSet = rendered.statefulSet();
        Properties properties = MediatorProperties.of(rendered);

        // Then the volume claim template's volume is mounted exactly where state.dir points
        assertThat(statefulSet.getSpec().getVolumeClaimTemplates())
                .singleElement()
                .satisfies(claim -> assertThat(claim.getMetadata().getName()).isEqualTo("state"));
        assertThat(mount(container(statefulSet), "state").getMountPath())
                .isEqualTo(properties.getProperty("state.dir"))
                .isEqualTo("/data/mediator-state");
    }

    @Test
    void shouldKeepStateOnAnEmptyDirWhenPersistenceIsOff() {
        // Given persistence turned off
        StatefulSet statefulSet = Chart.render(Values.with("persistence.enabled", false)).statefulSet();

        // Then no claim is asked for and the state volume is still mounted, from an emptyDir
        assertThat(statefulSet.getSpec().getVolumeClaimTemplates()).isEmpty();
        assertThat(statefulSet.getSpec().getTemplate().getSpec().getVolumes())
                .filteredOn(volume -> volume.getName().equals("state"))
                .singleElement()
                .satisfies(volume -> assertThat(volume.getEmptyDir()).isNotNull());
        assertThat(mount(container(statefulSet), "state").getMountPath()).isEqualTo("/var/lib/agent-mediator");
    }

    @Test
    void shouldProbeTheMediatorsHealthEndpointsOnItsHttpPort() {
        // Given a non-default HTTP port
        Rendered rendered = Chart.render(Values.with("http.port", 9090));

        // When the container is read
        Container container = container(rendered.statefulSet());

        // Then liveness and startup ask /health/live, readiness /health/ready, on the port http.port names
        assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/health/live");
        assertThat(container.getStartupProbe().getHttpGet().getPath()).isEqualTo("/health/live");
        assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/health/ready");
        assertThat(container.getLivenessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("http");
        assertThat(container.getPorts())
                .singleElement()
                .satisfies(port -> {
                    assertThat(port.getName()).isEqualTo("http");
                    assertThat(port.getContainerPort()).isEqualTo(9090);
                });
        assertThat(MediatorProperties.of(rendered).getProperty("http.port")).isEqualTo("9090");
    }

    @Test
    void shouldAdvertiseThePodsStableNameUnderTheHeadlessService() {
        // Given the defaults
        Rendered rendered = Chart.render();
        StatefulSet statefulSet = rendered.statefulSet();

        // When the headless Service the StatefulSet names is found
        Service headless = rendered.services().stream()
                .filter(service -> service.getMetadata().getName().equals(statefulSet.getSpec().getServiceName()))
                .findFirst()
                .orElseThrow();

        // Then it is headless and publishes pods before they are ready, and each pod advertises its own name under it
        assertThat(headless.getSpec().getClusterIP()).isEqualTo("None");
        assertThat(headless.getSpec().getPublishNotReadyAddresses()).isTrue();
        List<EnvVar> env = container(statefulSet).getEnv();
        assertThat(value(env, "MEDIATOR_HTTP_ADVERTISED_ADDRESS"))
                .isEqualTo("$(POD_NAME)." + headless.getMetadata().getName() + ".$(POD_NAMESPACE).svc.cluster.local:8080");
        assertThat(env.get(indexOf(env, "POD_NAME")).getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.name");
        assertThat(env.get(indexOf(env, "POD_NAMESPACE")).getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.namespace");
        // Kubernetes expands $(VAR) only from variables declared before
        assertThat(indexOf(env, "POD_NAME")).isLessThan(indexOf(env, "MEDIATOR_HTTP_ADVERTISED_ADDRESS"));
        assertThat(indexOf(env, "POD_NAMESPACE")).isLessThan(indexOf(env, "MEDIATOR_HTTP_ADVERTISED_ADDRESS"));
    }

    @Test
    void shouldJoinTheGroupUnderThePodNameSoARestartedPodRejoinsAsItself() {
        // Given the defaults
        List<EnvVar> env = container(Chart.render().statefulSet()).getEnv();

        // Then instance.id is the pod name, defined before it is used
        assertThat(value(env, "MEDIATOR_INSTANCE_ID")).isEqualTo("$(POD_NAME)");
        assertThat(indexOf(env, "POD_NAME")).isLessThan(indexOf(env, "MEDIATOR_INSTANCE_ID"));
    }

    @Test
    void shouldLeaveMembershipDynamicWhenStaticMembershipIsOff() {
        // Given static membership turned off
        List<EnvVar> env = container(Chart.render(Values.with("streams.staticMembership", false)).statefulSet()).getEnv();

        // Then no instance.id reaches the pod
        assertThat(env).extracting(EnvVar::getName).doesNotContain("MEDIATOR_INSTANCE_ID");
    }

    @Test
    void shouldAdvertiseThePodIpWhenAskedTo() {
        // Given advertising by IP
        StatefulSet statefulSet = Chart.render(Values.with("http.advertise", "podIP")).statefulSet();

        // When the container's environment is read
        List<EnvVar> env = container(statefulSet).getEnv();

        // Then the address is the pod's own IP, declared before it is used
        assertThat(value(env, "MEDIATOR_HTTP_ADVERTISED_ADDRESS")).isEqualTo("$(POD_IP):8080");
        assertThat(env.get(indexOf(env, "POD_IP")).getValueFrom().getFieldRef().getFieldPath()).isEqualTo("status.podIP");
        assertThat(indexOf(env, "POD_IP")).isLessThan(indexOf(env, "MEDIATOR_HTTP_ADVERTISED_ADDRESS"));
    }

    @Test
    void shouldRunThreeInstancesWithStandbysAndReplicationByDefault() {
        // Given the defaults
        Rendered rendered = Chart.render();
        StatefulSet statefulSet = rendered.statefulSet();
        Properties properties = MediatorProperties.of(rendered);

        // Then three pods share one application id, each store has a standby, topics are replicated three times
        assertThat(statefulSet.getSpec().getReplicas()).isEqualTo(3);
        assertThat(properties.getProperty("num.standby.replicas")).isEqualTo("1");
        assertThat(properties.getProperty("replication.factor")).isEqualTo("3");
        assertThat(properties.getProperty("topic.replication.factor")).isEqualTo("3");
        // And Kafka Streams' 30 s close fits in the grace period
        assertThat(statefulSet.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds()).isGreaterThan(30L);
        // And a drain takes one pod at a time, pods preferring different nodes
        assertThat(rendered.one("PodDisruptionBudget", PodDisruptionBudget.class).getSpec().getMaxUnavailable().getIntVal())
                .isEqualTo(1);
        assertThat(statefulSet.getSpec().getTemplate().getSpec().getAffinity().getPodAntiAffinity()
                        .getPreferredDuringSchedulingIgnoredDuringExecution())
                .singleElement()
                .satisfies(term -> assertThat(term.getPodAffinityTerm().getTopologyKey()).isEqualTo("kubernetes.io/hostname"));
    }

    @Test
    void shouldLetADrainEvictNotReadyPodsSinceReadinessFollowsKafkaAndTheRegistry() {
        // Given the defaults, on a Kubernetes that knows unhealthyPodEvictionPolicy and on 1.25, which does not
        PodDisruptionBudget current = Chart.render().one("PodDisruptionBudget", PodDisruptionBudget.class);
        PodDisruptionBudget old = Chart.render(new Values(), "1.25.0").one("PodDisruptionBudget", PodDisruptionBudget.class);

        // Then pods that are not ready may be evicted whatever the budget: while the brokers or the registry are away
        // every pod is, and with the default policy (IfHealthyBudget) no drain could proceed
        assertThat(current.getSpec().getUnhealthyPodEvictionPolicy()).isEqualTo("AlwaysAllow");
        // And an API server without the field is not sent it
        assertThat(old.getSpec().getUnhealthyPodEvictionPolicy()).isNull();
    }

    @Test
    void shouldRunTheJarsRunCommandOnTheMountedPropertiesAsNonRoot() {
        // Given the defaults
        StatefulSet statefulSet = Chart.render().statefulSet();
        Container container = container(statefulSet);

        // Then the image's entrypoint is given run --config at the file the ConfigMap is mounted as
        assertThat(container.getArgs()).containsExactly("run", "--config", "/etc/agent-mediator/mediator.properties");
        assertThat(mount(container, "config").getMountPath()).isEqualTo("/etc/agent-mediator/mediator.properties");
        assertThat(container.getImage()).isEqualTo("agent-mediator:" + System.getProperty("project.version"));
        assertThat(statefulSet.getSpec().getTemplate().getSpec().getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    }

    @Test
    void shouldNotHaveTheKubeletChownTheWholeStateVolumeAtEveryStart() {
        // Given the defaults
        StatefulSet statefulSet = Chart.render().statefulSet();

        // Then the volume is handed to the fsGroup only when its root is not already: with Kubernetes' default (Always)
        // the kubelet walks every RocksDB file at each start, longer as the state grows, while the static member's
        // session runs out and its partitions move to the standbys
        assertThat(statefulSet.getSpec().getTemplate().getSpec().getSecurityContext().getFsGroup()).isEqualTo(10001L);
        assertThat(statefulSet.getSpec().getTemplate().getSpec().getSecurityContext().getFsGroupChangePolicy())
                .isEqualTo("OnRootMismatch");
    }

    @Test
    void shouldKeepServiceLinksOutOfTheEnvironmentTheMediatorReadsItsConfigurationFrom() {
        // Given the defaults
        StatefulSet statefulSet = Chart.render().statefulSet();

        // Then Kubernetes injects no variables for the namespace's Services: one named mediator-http would set
        // MEDIATOR_HTTP_PORT=tcp://..., which the mediator reads as http.port
        assertThat(statefulSet.getSpec().getTemplate().getSpec().getEnableServiceLinks()).isFalse();
    }

    @Test
    void shouldNameEverythingAfterTheNameOverride() {
        // Given another name for the chart
        Rendered rendered = Chart.render(Values.with("nameOverride", "mediation"));
        StatefulSet statefulSet = rendered.statefulSet();

        // Then the resources are named <release>-<name>, the pods are labelled with it, and the pods mount the
        // ConfigMap the chart renders under that name
        assertThat(statefulSet.getMetadata().getName()).isEqualTo(Chart.RELEASE + "-mediation");
        assertThat(statefulSet.getSpec().getSelector().getMatchLabels()).containsEntry("app.kubernetes.io/name", "mediation");
        assertThat(statefulSet.getSpec().getTemplate().getMetadata().getLabels()).containsEntry("app.kubernetes.io/name", "mediation");
        assertThat(statefulSet.getSpec().getTemplate().getSpec().getVolumes())
                .filteredOn(volume -> volume.getName().equals("config"))
                .singleElement()
                .satisfies(volume -> assertThat(volume.getConfigMap().getName()).isEqualTo(Chart.RELEASE + "-mediation-config"));
        assertThat(rendered.configMap(Chart.RELEASE + "-mediation-config")).isNotNull();
    }

    @Test
    void shouldRefuseAHeapPercentageTheImagesOwnFlagWouldOverride() {
        // Given a heap percentage among the JVM options, which the JVM reads before the image's -XX:MaxRAMPercentage=50
        Values values = Values.with("jvmOptions", "-XX:MaxRAMPercentage=75");

        // When the chart is rendered, then it is refused, pointing to -Xmx
        assertThatThrownBy(() -> Chart.render(values)).hasMessageContaining("jvmOptions").hasMessageContaining("-Xmx");
    }

    static Container container(StatefulSet statefulSet) {
        return statefulSet.getSpec().getTemplate().getSpec().getContainers().get(0);
    }

    static VolumeMount mount(Container container, String volume) {
        return container.getVolumeMounts().stream()
                .filter(mount -> mount.getName().equals(volume))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no mount of volume " + volume));
    }

    private static String value(List<EnvVar> env, String name) {
        return env.get(indexOf(env, name)).getValue();
    }

    private static int indexOf(List<EnvVar> env, String name) {
        for (int i = 0; i < env.size(); i++) {
            if (env.get(i).getName().equals(name)) {
                return i;
            }
        }
        throw new AssertionError("no env var " + name);
    }
}
