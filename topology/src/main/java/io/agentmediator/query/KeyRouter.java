package io.agentmediator.query;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntFunction;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Answers a question about one key of one store where that key lives: from this instance's
 * partition when it is active for it, otherwise by relaying the same request to the instance that is.
 * A request that was itself relayed is never relayed again (see {@link Peers}). While a rebalance
 * moves a store, the instance the metadata still names may be gone: that is answered 503 with a
 * Retry-After, as any other moment the key has no reachable home, and 502 only for a peer that is
 * there and fails, or for an answer that is not a mediator's (a JSON object) from whatever stands in front of it.
 */
final class KeyRouter {

    private final Peers peers;

    KeyRouter(Peers peers) {
        this.peers = peers;
    }

    /**
     * @param local answers from the local partition given
     * @param path       the path to ask the owning instance, decoded
     * @param parameters its query parameters, decoded
     */
    Answer route(Request request, String store, String key, String path, Map<String, String> parameters, IntFunction<Answer> local) {
        Optional<KeyQueryMetadata> where = peers.locate(store, key);
        if (where.isEmpty()) {
            return Answer.unavailable("no instance is active for " + store + " key \"" + key + "\" yet (starting or rebalancing); retry");
        }
        KeyQueryMetadata metadata = where.get();
        if (peers.isSelf(metadata.activeHost())) {
            return local.apply(metadata.partition());
        }
        if (request.forwarded()) {
            return Answer.unavailable(store + " key \"" + key + "\" moved away from this instance while the question was relayed; retry");
        }
        try {
            HttpResponse<String> relayed = peers.get(metadata.activeHost(), path, parameters);
            if (!isJsonObject(relayed.body())) {
                // Something between the instances (a proxy, a mesh sidecar) answered in its place: not an answer to pass on as ours.
                return Answer.error(502, "the instance holding " + store + " key \"" + key + "\" (" + address(metadata.activeHost()) + ") answered HTTP "
                        + relayed.statusCode() + " with what is not a mediator's answer: " + QueryJson.abbreviated(relayed.body()));
            }
            return new Answer(relayed.statusCode(), relayed.body());
        } catch (IOException e) {
            if (migrating(store, key, metadata, e)) {
                return Answer.unavailable("the instance that held " + store + " key \"" + key + "\" (" + address(metadata.activeHost())
                        + ") is gone and the store is moving to another; retry");
            }
            return Answer.error(502, "the instance holding " + store + " key \"" + key + "\" (" + address(metadata.activeHost()) + ") did not answer: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Answer.unavailable("interrupted while asking " + address(metadata.activeHost()));
        }
    }

    private static String address(HostInfo host) {
        return host.host() + ":" + host.port();
    }

    private static boolean isJsonObject(String body) {
        try {
            return QueryJson.read(body).isObject();
        } catch (IllegalArgumentException notJson) {
            return false;
        }
    }

    /**
     * A peer that refuses connections has left (or is restarting); so has one the metadata no longer
     * names for the key, or any while the group rebalances.
     */
    private boolean migrating(String store, String key, KeyQueryMetadata asked, IOException failure) {
        if (failure instanceof ConnectException || peers.rebalancing()) {
            return true;
        }
        return peers.locate(store, key).map(now -> !now.activeHost().equals(asked.activeHost())).orElse(true);
    }
}
