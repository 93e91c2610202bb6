package io.agentmediator.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Asking another instance: with the instance token in force when asked, and never for longer than its timeout. */
class PeersTest {

    private final ServerSocket peer;
    private final List<Socket> held = new CopyOnWriteArrayList<>();
    private final List<String> authorizations = new CopyOnWriteArrayList<>();

    PeersTest() throws IOException {
        peer = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    }

    @AfterEach
    void close() throws IOException {
        for (Socket socket : held) {
            socket.close();
        }
        peer.close();
    }

    @Test
    void shouldGiveUpOnAPeerThatStopsHalfwayThroughItsAnswer() throws Exception {
        // Given a peer that sends its headers and the start of a body of 1,000 bytes, then nothing (a frozen pod)
        serve("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"escalations\":[");
        Peers peers = new Peers(null, new HostInfo("127.0.0.1", 1), Optional::empty);
        HostInfo frozen = new HostInfo("127.0.0.1", peer.getLocalPort());

        // When the escalations are gathered from it, and meanwhile a key it holds is asked for
        var gathered = peers.ask(frozen, EscalationsQuery.PATH, Map.of());
        long started = System.nanoTime();
        assertThatThrownBy(() -> peers.get(frozen, "/agents/buyer/budgets", Map.of()))
                .isInstanceOf(HttpTimeoutException.class).hasMessageContaining("did not finish its answer to /agents/buyer/budgets");
        Duration waited = Duration.ofNanos(System.nanoTime() - started);

        // Then each gives up: the relay after its answer timeout (10 s), not when the connection closes
        assertThat(waited).isLessThan(Duration.ofSeconds(30));
        assertThatThrownBy(() -> gathered.get(30, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(HttpTimeoutException.class);
    }

    @Test
    void shouldPresentTheInstanceTokenInForceWhenItAsks() throws Exception {
        // Given a peer that answers, and the instance token rotated between two questions
        serve("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}");
        AtomicReference<String> token = new AtomicReference<>("Bearer old");
        Peers peers = new Peers(null, new HostInfo("127.0.0.1", 1), () -> Optional.of(token.get()));
        HostInfo other = new HostInfo("127.0.0.1", peer.getLocalPort());

        // When it asks before and after the rotation
        assertThat(peers.get(other, "/agents/buyer/budgets", Map.of()).statusCode()).isEqualTo(200);
        token.set("Bearer new");
        assertThat(peers.get(other, "/agents/buyer/budgets", Map.of()).statusCode()).isEqualTo(200);

        // Then each question carried the token in force then
        assertThat(authorizations).containsExactly("Bearer old", "Bearer new");
    }

    @Test
    void shouldReachAPeerAdvertisedByAnIpv6AddressWithoutBrackets() throws Exception {
        // Given a peer listening on ::1, advertised as the chart's http.advertise=podIP gives it on an IPv6 cluster:
        // $(POD_IP):port, the address unbracketed
        ServerSocket ipv6;
        try {
            ipv6 = new ServerSocket(0, 50, InetAddress.getByName("::1"));
        } catch (IOException noIpv6) {
            Assumptions.abort("no IPv6 loopback on this machine: " + noIpv6);
            return;
        }
        try (ipv6) {
            Thread answering = new Thread(() -> {
                try (Socket socket = ipv6.accept()) {
                    headers(socket.getInputStream());
                    socket.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}"
                            .getBytes(StandardCharsets.US_ASCII));
                } catch (IOException closed) {
                    // the test is over
                }
            });
            answering.setDaemon(true);
            answering.start();
            HostInfo advertised = HostInfo.buildFromEndpoint("0:0:0:0:0:0:0:1:" + ipv6.getLocalPort());

            // When it is asked
            var answer = new Peers(null, new HostInfo("127.0.0.1", 1), Optional::empty).get(advertised, "/agents/buyer/budgets", Map.of());

            // Then the address was read as host and port and the request reached it
            assertThat(advertised.host()).isEqualTo("0:0:0:0:0:0:0:1");
            assertThat(answer.statusCode()).isEqualTo(200);
        }
    }

    /** Accepts connections, reads each one's request headers, and writes {@code response}; closes it when the response says so. */
    private void serve(String response) {
        Thread serving = new Thread(() -> {
            try {
                while (true) {
                    Socket socket = peer.accept();
                    held.add(socket);
                    for (String header : headers(socket.getInputStream()).split("\r\n")) {
                        if (header.regionMatches(true, 0, "Authorization:", 0, 14)) {
                            authorizations.add(header.substring(14).trim());
                        }
                    }
                    socket.getOutputStream().write(response.getBytes(StandardCharsets.US_ASCII));
                    socket.getOutputStream().flush();
                    if (response.contains("Connection: close")) {
                        socket.close();
                    }
                }
            } catch (IOException closed) {
                // the test is over
            }
        });
        serving.setDaemon(true);
        serving.start();
    }

    private static String headers(InputStream in) throws IOException {
        StringBuilder read = new StringBuilder();
        while (!read.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            read.append((char) b);
        }
        return read.toString();
    }
}
