package io.agentmediator.http;

import io.agentmediator.config.ConfigKeys;
import io.agentmediator.config.MediatorConfig;
import java.net.InetAddress;
import java.net.UnknownHostException;
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
            try {
                return HostInfo.buildFromEndpoint(advertised.trim());
            } catch (ConfigException e) {
                throw new IllegalArgumentException(ConfigKeys.HTTP_ADVERTISED_ADDRESS.name() + " must be host:port, not \"" + advertised + "\"", e);
            }
        }
        String host = config.get(ConfigKeys.HTTP_HOST);
        return new HostInfo(isWildcard(host) ? "localhost" : host, listeningPort);
    }

    private static boolean isWildcard(String host) {
        try {
            return InetAddress.getByName(host).isAnyLocalAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(ConfigKeys.HTTP_HOST.name() + " \"" + host + "\" does not resolve", e);
        }
    }
}
