package dev.lifvision.publish;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.SocketFactory;
import javax.net.ssl.SSLSocketFactory;

/**
 * Keeps hold of the sockets Paho opens so that they can be closed from outside. Paho 1.2.5 has no CONNACK timeout
 * (a broker that accepts TCP but never answers hangs the connect forever) and no way to drop a connection without
 * sending DISCONNECT; closing the socket under it gives both, through Paho's ordinary connection-lost path.
 */
final class TrackedSockets {
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();

    /** Paho refuses a plain factory for ssl:// and an SSLSocketFactory for tcp://, hence two wrappers. */
    SocketFactory wrap(SocketFactory delegate) {
        if (delegate instanceof SSLSocketFactory ssl) {
            return new Ssl(ssl, this);
        }
        return new Plain(delegate, this);
    }

    /** Closes every socket still open; returns how many there were. */
    int closeAll() {
        int n = 0;
        for (Socket s : open) {
            open.remove(s);
            if (!s.isClosed()) {
                n++;
            }
            try {
                s.close();
            } catch (IOException ignored) {
                // Closing is all we wanted; a failure leaves nothing to do.
            }
        }
        return n;
    }

    private Socket track(Socket s) {
        open.removeIf(Socket::isClosed);
        open.add(s);
        return s;
    }

    private static final class Plain extends SocketFactory {
        private final SocketFactory d;
        private final TrackedSockets t;

        Plain(SocketFactory d, TrackedSockets t) {
            this.d = d;
            this.t = t;
        }

        @Override
        public Socket createSocket() throws IOException {
            return t.track(d.createSocket());
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            return t.track(d.createSocket(host, port));
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
            return t.track(d.createSocket(host, port, localHost, localPort));
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            return t.track(d.createSocket(host, port));
        }

        @Override
        public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
                throws IOException {
            return t.track(d.createSocket(address, port, localAddress, localPort));
        }
    }

    private static final class Ssl extends SSLSocketFactory {
        private final SSLSocketFactory d;
        private final TrackedSockets t;

        Ssl(SSLSocketFactory d, TrackedSockets t) {
            this.d = d;
            this.t = t;
        }

        @Override
        public String[] getDefaultCipherSuites() {
            return d.getDefaultCipherSuites();
        }

        @Override
        public String[] getSupportedCipherSuites() {
            return d.getSupportedCipherSuites();
        }

        @Override
        public Socket createSocket() throws IOException {
            return t.track(d.createSocket());
        }

        @Override
        public Socket createSocket(Socket s, String host, int port, boolean autoClose) throws IOException {
            return t.track(d.createSocket(s, host, port, autoClose));
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            return t.track(d.createSocket(host, port));
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
            return t.track(d.createSocket(host, port, localHost, localPort));
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            return t.track(d.createSocket(host, port));
        }

        @Override
        public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
                throws IOException {
            return t.track(d.createSocket(address, port, localAddress, localPort));
        }
    }
}
