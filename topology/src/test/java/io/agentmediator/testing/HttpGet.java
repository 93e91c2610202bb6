package io.agentmediator.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** GET requests to a running mediator's HTTP port. */
public final class HttpGet {

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private HttpGet() {}

    public static HttpResponse<String> get(int port, String pathAndQuery, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + pathAndQuery)).timeout(Duration.ofSeconds(20));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return CLIENT.send(request.GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * GETs until the answer is not 503 or the time is up, and returns the last answer: a query is
     * answered 503 while a rebalance moves the partitions it reads.
     */
    public static HttpResponse<String> retryingWhileUnavailable(int port, String pathAndQuery, Duration timeout, String... headers)
            throws IOException, InterruptedException {
        long giveUpAt = System.nanoTime() + timeout.toNanos();
        HttpResponse<String> response = get(port, pathAndQuery, headers);
        while (response.statusCode() == 503 && System.nanoTime() - giveUpAt < 0) {
            Thread.sleep(200);
            response = get(port, pathAndQuery, headers);
        }
        return response;
    }
}
