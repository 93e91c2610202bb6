package io.agentmediator.chaos;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP relay on a fixed loopback port in front of the schema registry, which the mediator is given
 * as the registry's address: closing it is the registry going away (connections refused, open ones
 * cut), opening it again on the same port is the registry coming back. The test registry (Apicurio)
 * keeps its schemas in memory and would come back empty on another port, which is not what a
 * registry outage is; the relay lets the registry process live while the mediator loses it.
 */
final class RegistryGate implements AutoCloseable {

    private final int port;
    private final InetSocketAddress registry;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private ServerSocket server;

    private RegistryGate(int registryPort) throws IOException {
        this.registry = new InetSocketAddress(InetAddress.getLoopbackAddress(), registryPort);
        try (ServerSocket probe = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            this.port = probe.getLocalPort();
        }
    }

    /** Opens a relay to the registry listening on {@code registryPort}. */
    static RegistryGate open(int registryPort) throws IOException {
        RegistryGate gate = new RegistryGate(registryPort);
        gate.reopen();
        return gate;
    }

    /** The registry's Confluent-compatible URL through the relay. */
    String ccompatUrl() {
        return "http://127.0.0.1:" + port + "/apis/ccompat/v7";
    }

    /** Refuses new connections and cuts the open ones. */
    synchronized void shut() throws IOException {
        server.close();
        for (Socket socket : open) {
            socket.close();
        }
        open.clear();
    }

    /** Listens again on the same port. */
    synchronized void reopen() throws IOException {
        ServerSocket listening = new ServerSocket();
        listening.setReuseAddress(true);
        listening.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        server = listening;
        Thread acceptor = new Thread(() -> accept(listening), "registry-gate-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void accept(ServerSocket listening) {
        while (!listening.isClosed()) {
            try {
                Socket client = listening.accept();
                Socket upstream = new Socket(registry.getAddress(), registry.getPort());
                open.add(client);
                open.add(upstream);
                pump(client, upstream);
                pump(upstream, client);
            } catch (SocketException closed) {
                return;
            } catch (IOException e) {
                throw new IllegalStateException("registry relay on port " + port + " failed", e);
            }
        }
    }

    private void pump(Socket from, Socket to) {
        Thread thread = new Thread(() -> {
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                in.transferTo(out);
            } catch (IOException cut) {
                // One side closed: the other is closed below, as a registry's connection drop closes both.
            } finally {
                closeBoth(from, to);
            }
        }, "registry-gate-pump");
        thread.setDaemon(true);
        thread.start();
    }

    private void closeBoth(Socket a, Socket b) {
        for (Socket socket : new Socket[] {a, b}) {
            open.remove(socket);
            try {
                socket.close();
            } catch (IOException alreadyGone) {
                // Closing a socket that is gone has nothing left to release.
            }
        }
    }

    @Override
    public void close() throws IOException {
        shut();
    }
}
