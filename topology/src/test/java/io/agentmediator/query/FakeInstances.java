package io.agentmediator.query;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import javax.net.ssl.SSLSession;
import org.apache.kafka.streams.state.HostInfo;

/** Other instances that answer as each test says: another query over stores of their own, a proxy's page, silence. */
final class FakeInstances implements OtherInstances {

    private final Map<HostInfo, Function<Map<String, String>, CompletableFuture<HttpResponse<String>>>> instances = new LinkedHashMap<>();

    /** An instance of this version: its own query answers what it is relayed. */
    FakeInstances answering(String host, Query query) {
        instances.put(new HostInfo(host, 8080), parameters -> {
            Answer answer = query.answer(new Request(EscalationsQuery.PATH, Map.copyOf(parameters), true));
            return CompletableFuture.completedFuture(response(answer.status(), answer.json()));
        });
        return this;
    }

    /** An instance that answers {@code body} with {@code status}, whatever it is asked. */
    FakeInstances replying(String host, int status, String body) {
        instances.put(new HostInfo(host, 8080), parameters -> CompletableFuture.completedFuture(response(status, body)));
        return this;
    }

    /** An instance that cannot be reached. */
    FakeInstances unreachable(String host) {
        instances.put(new HostInfo(host, 8080), parameters -> CompletableFuture.failedFuture(new IOException("connection refused")));
        return this;
    }

    @Override
    public List<HostInfo> others() {
        return List.copyOf(instances.keySet());
    }

    @Override
    public CompletableFuture<HttpResponse<String>> ask(HostInfo peer, String path, Map<String, String> parameters) {
        return instances.get(peer).apply(parameters);
    }

    private static HttpResponse<String> response(int status, String body) {
        return new HttpResponse<>() {
            @Override
            public int statusCode() {
                return status;
            }

            @Override
            public HttpRequest request() {
                return HttpRequest.newBuilder(uri()).build();
            }

            @Override
            public Optional<HttpResponse<String>> previousResponse() {
                return Optional.empty();
            }

            @Override
            public HttpHeaders headers() {
                return HttpHeaders.of(Map.of(), (name, value) -> true);
            }

            @Override
            public String body() {
                return body;
            }

            @Override
            public Optional<SSLSession> sslSession() {
                return Optional.empty();
            }

            @Override
            public URI uri() {
                return URI.create("http://peer:8080" + EscalationsQuery.PATH);
            }

            @Override
            public HttpClient.Version version() {
                return HttpClient.Version.HTTP_1_1;
            }
        };
    }
}
