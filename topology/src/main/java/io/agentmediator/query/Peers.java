package io.agentmediator.query;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.state.HostInfo;

/**
 * The other instances of this application, as Kafka Streams knows them from their
 * {@code application.server}: which one is active for a key of a store, and asking one of them.
 * A request sent to a peer carries {@link #FORWARDED_HEADER}; an instance receiving it answers from
 * its own stores only and never forwards it again, so a rebalance in flight cannot make two
 * instances send one question back and forth. With HTTP tokens configured it presents the instance
 * token, without which the receiver ignores the header.
 */
public final class Peers implements OtherInstances {

    /** Marks a request one instance sent to another; its value names the sender. */
    public static final String FORWARDED_HEADER = "X-Mediator-Forwarded-By";

    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    /** From sending the request to the last byte of the answer: a connection and its headers within TIMEOUT, the rest soon after. */
    private static final Duration ANSWER_TIMEOUT = TIMEOUT.multipliedBy(2);

    private final KafkaStreams streams;
    private final HostInfo self;
    private final Supplier<Optional<String>> authorization;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    /**
     * @param authorization the {@code Authorization} header to send peers, asked for each request: the instance token file
     *                      is read again when it changes, and a token rotated out is refused by peers that read it since;
     *                      empty with HTTP authentication off
     */
    public Peers(KafkaStreams streams, HostInfo self, Supplier<Optional<String>> authorization) {
        this.streams = streams;
        this.self = self;
        this.authorization = authorization;
    }

    /** Where the store's partition holding {@code key} is active; empty while no instance is (a rebalance). */
    public Optional<KeyQueryMetadata> locate(String store, String key) {
        RunningClient.require(streams);
        KeyQueryMetadata metadata = RunningClient.read(streams, () -> streams.queryMetadataForKey(store, key, Serdes.String().serializer()));
        if (metadata == null || metadata.equals(KeyQueryMetadata.NOT_AVAILABLE)) {
            return Optional.empty();
        }
        return Optional.of(metadata);
    }

    /** Whether the group is moving partitions between instances right now: a peer that just left is then expected to be gone. */
    public boolean rebalancing() {
        return streams.state() == KafkaStreams.State.REBALANCING;
    }


    public boolean isSelf(HostInfo host) {
        return self.equals(host);
    }

    @Override
    public List<HostInfo> others() {
        RunningClient.require(streams);
        return RunningClient.read(streams, streams::metadataForAllStreamsClients).stream()
                .map(StreamsMetadata::hostInfo)
                .filter(host -> !isSelf(host))
                .distinct()
                .toList();
    }

    /** GETs {@code path} with {@code parameters} from a peer, marked as forwarded; see {@link #ask}. */
    public HttpResponse<String> get(HostInfo peer, String path, Map<String, String> parameters) throws IOException, InterruptedException {
        CompletableFuture<HttpResponse<String>> asked = ask(peer, path, parameters);
        try {
            return asked.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException failure ? failure
                    : new IOException("asking " + peer + " for " + path + " failed: " + e.getCause(), e.getCause());
        }
    }

    /**
     * Asks a peer without waiting, so that several are asked at once. The path is given encoded (each id in it by
     * {@link PeerUris#segment}), the parameters decoded, as the asking instance read them, and encoded here: a value
     * holding {@code &}, {@code +} or {@code ;} reaches the peer as the same value.
     */
    @Override
    public CompletableFuture<HttpResponse<String>> ask(HostInfo peer, String path, Map<String, String> parameters) {
        // The request's timeout ends when the headers arrive: a peer that stops halfway through its body would otherwise hold
        // the query (and one of the few query workers) for as long as its connection stays open.
        return client.sendAsync(request(peer, path, parameters), HttpResponse.BodyHandlers.ofString())
                .orTimeout(ANSWER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .exceptionallyCompose(failure -> {
                    Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
                    return CompletableFuture.failedFuture(cause instanceof TimeoutException
                            ? new HttpTimeoutException(peer + " did not finish its answer to " + path + " within " + ANSWER_TIMEOUT) : cause);
                });
    }

    private HttpRequest request(HostInfo peer, String path, Map<String, String> parameters) {
        URI uri;
        try {
            URI origin = new URI("http", null, peer.host(), peer.port(), null, null, null);
            uri = URI.create(origin + path + PeerUris.query(parameters));
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("cannot address " + peer + path, e);
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(TIMEOUT)
                .header(FORWARDED_HEADER, self.host() + ":" + self.port());
        authorization.get().ifPresent(value -> request.header("Authorization", value));
        return request.GET().build();
    }
}
