package io.agentmediator.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Arrays;

/** Ports on loopback nothing listens on, for a process the test starts with fixed ports. */
public final class FreePorts {

    private FreePorts() {}

    /** {@code count} free ports, all held open while they are chosen: chosen one at a time, the same port came twice. */
    public static int[] of(int count) throws IOException {
        ServerSocket[] sockets = new ServerSocket[count];
        try {
            for (int i = 0; i < count; i++) {
                sockets[i] = new ServerSocket(0, 0, InetAddress.getByName("127.0.0.1"));
            }
            return Arrays.stream(sockets).mapToInt(ServerSocket::getLocalPort).toArray();
        } finally {
            for (ServerSocket socket : sockets) {
                if (socket != null) {
                    socket.close();
                }
            }
        }
    }
}
