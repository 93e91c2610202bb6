package io.agentmediator.query;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.Optional;
import java.util.function.IntFunction;
import org.apache.kafka.streams.KeyQueryMetadata;

/**
 * Answers a question about one key of one store where that key lives: from this instance's
 * partition when it is active for it, otherwise by relaying the same request to the instance that is.
 * A request that was itself relayed is never relayed again (see {@link Peers}).
 */
final class KeyRouter {

    private final Peers peers;

    KeyRouter(Peers peers) {
        this.peers = peers;
    }

    /**
     * @param local answers from the local partition given
     * @param path  the path to ask the owning instance, with {@code query} (may be null), decoded
     */
    Answer route(Request request, String store, String key, String path, String query, IntFunction<Answer> local) {
        Optional<KeyQueryMetadata> where = peers.locate(store, key);
        if (where.isEmpty()) {
            return Answer.error(503, "no instance is active for " + store + " key \"" + key + "\" yet (starting or rebalancing); retry");
        }
        KeyQueryMetadata metadata = where.get();
        if (peers.isSelf(metadata.activeHost())) {
            return local.apply(metadata.partition());
        }
        if (request.forwarded()) {
            return Answer.error(503, store + " key \"" + key + "\" moved away from this instance while the question was relayed; retry");
        }
        try {
            HttpResponse<String> relayed = peers.get(metadata.activeHost(), path, query);
            return new Answer(relayed.statusCode(), relayed.body());
        } catch (IOException e) {
            return Answer.error(502, "the instance holding " + store + " key \"" + key + "\" (" + metadata.activeHost() + ") did not answer: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Answer.error(503, "interrupted while asking " + metadata.activeHost());
        }
    }
}
