package dev.lifvision.publish;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Locale;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/** Builds the socket factory for ssl:// brokers; failures name the file, since that is what the user must fix. */
final class Tls {
    private Tls() {
    }

    static SSLSocketFactory socketFactory(Path truststore, String password) {
        if (truststore == null) {
            try {
                return SSLContext.getDefault().getSocketFactory();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("the JVM's default TLS context is unavailable", e);
            }
        }
        KeyStore ks = load(truststore, password);
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx.getSocketFactory();
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("mqtt.truststore '" + truststore + "' cannot be used: " + e, e);
        }
    }

    static KeyStore load(Path truststore, String password) {
        if (!Files.isRegularFile(truststore)) {
            throw new IllegalArgumentException("mqtt.truststore '" + truststore + "' does not exist or is not a file");
        }
        String name = truststore.getFileName().toString().toLowerCase(Locale.ROOT);
        String type = name.endsWith(".p12") || name.endsWith(".pfx") ? "PKCS12" : "JKS";
        try (InputStream in = Files.newInputStream(truststore)) {
            KeyStore ks = KeyStore.getInstance(type);
            ks.load(in, password == null ? null : password.toCharArray());
            if (ks.size() == 0) {
                // An empty store trusts nothing; the handshake would fail later with a far vaguer message.
                throw new IllegalArgumentException("mqtt.truststore '" + truststore + "' contains no certificates");
            }
            return ks;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("mqtt.truststore '" + truststore + "' cannot be read as " + type
                    + " (wrong mqtt.truststore_password or file type?): " + e.getMessage(), e);
        }
    }
}
