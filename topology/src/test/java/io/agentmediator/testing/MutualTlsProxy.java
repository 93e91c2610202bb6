package io.agentmediator.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;

/**
 * An {@code https} front on loopback for a plain {@code http} server, which answers only clients that present a
 * certificate its truststore trusts: a schema registry behind mutual TLS, as many operators run one. It remembers
 * who each answered request came from.
 */
public final class MutualTlsProxy implements AutoCloseable {

    private final HttpsServer server;
    private final HttpClient backend = HttpClient.newHttpClient();
    private final String target;
    private final List<String> answeredClients = new CopyOnWriteArrayList<>();

    private MutualTlsProxy(HttpsServer server, String target) {
        this.server = server;
        this.target = target;
    }

    /** Serves {@code target} (e.g. {@code http://127.0.0.1:8081}) with the key of {@code keystore}, to clients {@code truststore} trusts. */
    public static MutualTlsProxy start(Path keystore, Path truststore, String password, String target)
            throws IOException, GeneralSecurityException {
        SSLContext context = SSLContext.getInstance("TLS");
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(load(keystore, password), password.toCharArray());
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(load(truststore, password));
        context.init(keys.getKeyManagers(), trust.getTrustManagers(), null);
        HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(context) {
            @Override
            public void configure(HttpsParameters parameters) {
                // The JDK's server applies its SSLParameters, not the older setNeedClientAuth alone.
                SSLParameters required = getSSLContext().getDefaultSSLParameters();
                required.setNeedClientAuth(true);
                parameters.setSSLParameters(required);
            }
        });
        MutualTlsProxy proxy = new MutualTlsProxy(server, target);
        server.createContext("/", proxy::forward);
        server.start();
        return proxy;
    }

    public String url() {
        return "https://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The certificate subject of the client of each request answered so far, in order. */
    public List<String> answeredClients() {
        return List.copyOf(answeredClients);
    }

    private void forward(HttpExchange exchange) throws IOException {
        try (exchange) {
            // Asked first: a client without a certificate gets no answer at all.
            String client = ((HttpsExchange) exchange).getSSLSession().getPeerPrincipal().getName();
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target + exchange.getRequestURI()))
                    .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(exchange.getRequestBody().readAllBytes()));
            String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
            if (contentType != null) {
                request.header("Content-Type", contentType);
            }
            HttpResponse<byte[]> response = backend.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            response.headers().firstValue("Content-Type").ifPresent(type -> exchange.getResponseHeaders().set("Content-Type", type));
            byte[] body = response.body();
            exchange.sendResponseHeaders(response.statusCode(), body.length == 0 ? -1 : body.length);
            exchange.getResponseBody().write(body);
            answeredClients.add(client);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while asking " + target, e);
        }
    }

    private static KeyStore load(Path store, String password) throws IOException, GeneralSecurityException {
        try (InputStream in = Files.newInputStream(store)) {
            KeyStore keyStore = KeyStore.getInstance("PKCS12");
            keyStore.load(in, password.toCharArray());
            return keyStore;
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
