package io.agentmediator.http;

import io.agentmediator.config.ConfigKeys;
import io.agentmediator.text.Printable;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one HTTP port of the mediator (health, metrics, queries), on Jetty. It starts before the
 * streams, because the port it got is what the instance advertises to the others
 * ({@code application.server}); endpoints that need the streams are mounted once those exist.
 *
 * <p>Why Jetty and not the JDK's server: the JDK's reads a request on a worker thread, so a few
 * clients that open a connection and send one byte hold every worker and {@code /health/live} waits
 * behind them until the pod is restarted. Jetty reads requests without a thread until they are
 * complete, closes connections idle for {@code http.idle.timeout}, and writes answers without
 * waiting for slow readers. Endpoints that may block (queries ask other instances, scrapes read
 * stores) share {@link #BLOCKING_SLOTS} of the workers; health never waits for one.
 */
public final class HttpEndpoints implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HttpEndpoints.class);
    private static final int QUOTED_CHARS = 200;

    private static final int MAX_THREADS = 32;
    private static final int MIN_THREADS = 4;
    /** Workers that queries and scrapes may hold at once; the rest stay free for health probes. */
    static final int BLOCKING_SLOTS = 16;

    private final Server server;
    private final ServerConnector connector;
    private final List<Mount> mounts = new CopyOnWriteArrayList<>();

    private HttpEndpoints(Server server, ServerConnector connector) {
        this.server = server;
        this.connector = connector;
    }

    /** Starts listening on host:port (port 0: any free port) with no endpoints yet. */
    public static HttpEndpoints start(String host, int port, Duration idleTimeout, HttpAuthentication authentication) {
        QueuedThreadPool threads = new QueuedThreadPool(MAX_THREADS, MIN_THREADS);
        threads.setName("mediator-http");
        threads.setDaemon(true);
        Server server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        // Ids may hold a slash (an intent id "orders/2026/inv-1"), a percent sign ("discount-15%"), a backslash or a control
        // character, which the gate accepts: sent as %2F, %25, %5C, %09, Jetty refuses such a path by default. It is routed by
        // the path as sent, where none of them separates anything, and each id decoded from its own segment.
        http.setUriCompliance(UriCompliance.DEFAULT.with("agent-mediator ids", UriCompliance.Violation.AMBIGUOUS_PATH_SEPARATOR,
                UriCompliance.Violation.AMBIGUOUS_PATH_ENCODING, UriCompliance.Violation.SUSPICIOUS_PATH_CHARACTERS));
        http.setSendServerVersion(false);
        http.setSendDateHeader(false);
        ServerConnector connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
        connector.setHost(host);
        connector.setPort(port);
        connector.setIdleTimeout(idleTimeout.toMillis());
        server.addConnector(connector);
        HttpEndpoints endpoints = new HttpEndpoints(server, connector);
        server.setHandler(endpoints.new Dispatcher(authentication));
        try {
            server.start();
        } catch (Exception e) {
            endpoints.close();
            throw new IllegalStateException("could not listen for HTTP on " + host + ":" + port + ": " + e.getMessage() + "; set "
                    + ConfigKeys.HTTP_PORT.name() + " (" + ConfigKeys.HTTP_PORT.environmentVariable() + ") to another port", e);
        }
        log.info("HTTP endpoints on http://{}:{}/ (idle timeout {}, {})", host, endpoints.port(), idleTimeout,
                authentication.enforced() ? "bearer tokens required but for /health/*" : "no authentication");
        return endpoints;
    }

    /** Serves GETs of {@code path} and everything under it with {@code endpoint}, to the callers {@code access} admits. */
    public HttpEndpoints mount(String path, Access access, Endpoint endpoint) {
        mounts.add(new Mount(path, access, endpoint));
        mounts.sort(Comparator.comparingInt((Mount mount) -> mount.path().length()).reversed());
        return this;
    }

    public int port() {
        return connector.getLocalPort();
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("could not stop the HTTP endpoints", e);
        }
    }

    private record Mount(String path, Access access, Endpoint endpoint) {

        /** The mounted path itself and what lies under it: {@code /metrics/x}, not {@code /metricsx}. */
        boolean serves(String requested) {
            return requested.equals(path) || requested.startsWith(path.endsWith("/") ? path : path + "/");
        }
    }

    /** Finds the endpoint of a path (longest mounted prefix), checks the caller, answers. */
    private final class Dispatcher extends Handler.Abstract {

        private final HttpAuthentication authentication;
        private final Semaphore blockingSlots = new Semaphore(BLOCKING_SLOTS);

        Dispatcher(HttpAuthentication authentication) {
            this.authentication = authentication;
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            // Routed as sent (an encoded slash inside an id is no separator); said decoded, as ids read (a space, %20 on the wire).
            String rawPath = request.getHttpURI().getPath();
            String path = request.getHttpURI().getDecodedPath();
            if (rawPath.indexOf(';') >= 0) {
                // Jetty takes what follows a bare ';' in a segment as path parameters and drops them from the decoded path:
                // /cases/a;b would be answered for the case "a".
                return send(response, callback, error(400, "a ';' in a path must be sent as %3B"));
            }
            Mount mount = mounts.stream().filter(m -> m.serves(rawPath)).findFirst().orElse(null);
            if (mount == null) {
                return send(response, callback, error(404, "nothing here; try /health/ready, /metrics, /escalations"));
            }
            if (!HttpMethod.GET.is(request.getMethod())) {
                return send(response, callback, error(405, "only GET").withHeader("Allow", "GET"));
            }
            Caller caller = authentication.caller(request.getHeaders().get(HttpHeader.AUTHORIZATION));
            if (!mount.access().allows(caller)) {
                return send(response, callback, refused(mount.access(), caller, path));
            }
            HttpCall call = new HttpCall(path, rawPath, request.getHttpURI().getQuery(), request.getHeaders()::get, caller);
            if (mount.access().anyone()) {
                return send(response, callback, mount.endpoint().answer(call));
            }
            if (!blockingSlots.tryAcquire()) {
                return send(response, callback, error(503, "too many queries at once; retry").withHeader("Retry-After", "1"));
            }
            try {
                return send(response, callback, mount.endpoint().answer(call));
            } finally {
                blockingSlots.release();
            }
        }

        private Reply refused(Access access, Caller caller, String path) {
            if (caller.roles().isEmpty()) {
                return error(401, "a bearer token is required: Authorization: Bearer <token>")
                        .withHeader("WWW-Authenticate", "Bearer realm=\"agent-mediator\"");
            }
            // The path is the caller's choice: escaped and cut, so that it can neither forge a line nor fill the log.
            log.info("HTTP {} refused to {}: needs {}", Printable.escape(path, QUOTED_CHARS), caller.name(), access.describe());
            return error(403, "this token may not read " + path + "; it needs the " + access.describe() + " role");
        }

        /** {@code {"error": message}}; the message may quote the request's path, so it is escaped as JSON. */
        private static Reply error(int status, String message) {
            return Reply.json(status, "{\"error\":\"" + new String(JsonStringEncoder.getInstance().quoteAsString(message)) + "\"}");
        }

        /** Writes the reply without waiting for the client to read it; Jetty completes {@code callback}. */
        private static boolean send(Response response, Callback callback, Reply reply) {
            byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
            response.setStatus(reply.status());
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, reply.contentType());
            for (Map.Entry<String, String> header : reply.headers().entrySet()) {
                response.getHeaders().put(new HttpField(header.getKey(), header.getValue()));
            }
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
            response.write(true, ByteBuffer.wrap(body), callback);
            return true;
        }
    }
}
