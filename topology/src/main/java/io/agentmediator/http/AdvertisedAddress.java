package io.agentmediator.http;

import io.agentmediator.config.ConfigKeys;
import io.agentmediator.config.MediatorConfig;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Where the other instances reach this one's HTTP queries: {@code http.advertised.address} when set
 * (in Kubernetes, the pod's address), otherwise {@code http.host} with the port actually listened on,
 * and {@code localhost} for a wildcard {@code http.host}, which is right for the embedded default and
 * for instances sharing one machine.
 */
public final class AdvertisedAddress {

    private AdvertisedAddress() {}

    /** Names a malformed {@code http.advertised.address}, or an {@code http.host} that does not resolve, before anything starts. */
    public static void check(MediatorConfig config) {
        of(config, 0);
    }

    public static HostInfo of(MediatorConfig config, int listeningPort) {
        String advertised = config.get(ConfigKeys.HTTP_ADVERTISED_ADDRESS);
        if (!advertised.isBlank()) {
            HostInfo host;
            try {
                host = HostInfo.buildFromEndpoint(advertised.trim());
            } catch (ConfigException e) {
                throw new IllegalArgumentException(ConfigKeys.HTTP_ADVERTISED_ADDRESS.name() + " must be host:port, not \"" + advertised + "\"", e);
            }
            // Kafka Streams takes any number: the other instances would relay their queries to a port nothing listens on.
            if (host.port() < 1 || host.port() > 65_535) {
                throw new IllegalArgumentException(ConfigKeys.HTTP_ADVERTISED_ADDRESS.name() + " must name a port from 1 to 65535, not \""
                        + advertised + "\"");
            }
            return host;
        }
        String host = config.get(ConfigKeys.HTTP_HOST);
        return new HostInfo(isWildcard(host) ? "localhost" : host, listeningPort);
    }

    /**
     * Why the other instances may not reach this one where it says they can, if that is likely: a loopback address while a
     * broker is on another host, so the instances are too. Kafka Streams keys what each instance holds by its address, so
     * two instances left at the default {@code localhost:8080} on two hosts each take the other's partitions for their own:
     * each answers the budgets of half the agents and lists half the open escalations, with nothing to say the rest is missing.
     */
    public static Optional<String> doubt(MediatorConfig config, HostInfo advertised) {
        if (!isLoopback(advertised.host())) {
            return Optional.empty();
        }
        List<String> remote = Arrays.stream(config.get(ConfigKeys.BOOTSTRAP_SERVERS).split(","))
                .map(String::trim)
                .filter(server -> !server.isEmpty() && !isLoopback(hostOf(server)))
                .toList();
        if (remote.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("this instance advertises " + advertised.host() + ":" + advertised.port() + " for its queries while the brokers ("
                + String.join(", ", remote) + ") are on another host: instances on other hosts cannot reach it, and two left at one "
                + "address each answer for half the agents without saying so; set " + ConfigKeys.HTTP_ADVERTISED_ADDRESS.name()
                + " to an address of this instance's own that the others reach");
    }

    private static String hostOf(String server) {
        String hostAndPort = server.contains("://") ? server.substring(server.indexOf("://") + 3) : server;
        int colon = hostAndPort.lastIndexOf(':');
        String host = colon < 0 ? hostAndPort : hostAndPort.substring(0, colon);
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    /** Loopback by its name or its numbers; a name is not looked up, so a broker's name that does not resolve here counts as remote. */
    private static boolean isLoopback(String host) {
        String lower = host.toLowerCase(Locale.ROOT);
        return lower.equals("localhost") || lower.endsWith(".localhost") || lower.startsWith("127.") || lower.equals("::1")
                || lower.equals("0:0:0:0:0:0:0:1");
    }

    private static boolean isWildcard(String host) {
        try {
            return InetAddress.getByName(host).isAnyLocalAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(ConfigKeys.HTTP_HOST.name() + " \"" + host + "\" does not resolve", e);
        }
    }
}
