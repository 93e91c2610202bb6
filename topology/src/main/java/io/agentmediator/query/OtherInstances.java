package io.agentmediator.query;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.streams.state.HostInfo;

/** The other instances of the application, as a question that needs all of them sees them. */
interface OtherInstances {

    /** Every other instance. */
    List<HostInfo> others();

    /** GETs {@code path} with {@code parameters} (both decoded) from one of them, marked as relayed, without waiting. */
    CompletableFuture<HttpResponse<String>> ask(HostInfo peer, String path, Map<String, String> parameters);
}
