package io.agentmediator.registry;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Self-signed server and client certificates in PKCS12 stores, made with the JDK's keytool at
 * test time so that no key material is checked in and none expires.
 *
 * @param serverKeystore the server's key and certificate, valid for 127.0.0.1 and localhost
 * @param clientTruststore trusts the server's certificate
 * @param clientKeystore the client's key and certificate, for mutual TLS
 * @param serverTruststore trusts the client's certificate
 */
public record TestCertificates(Path serverKeystore, Path clientTruststore, Path clientKeystore, Path serverTruststore) {

    public static final String PASSWORD = "changeit";

    public static TestCertificates generate(Path dir) throws IOException, InterruptedException {
        TestCertificates certificates = new TestCertificates(dir.resolve("server.p12"),
                dir.resolve("client-trust.p12"), dir.resolve("client.p12"), dir.resolve("server-trust.p12"));
        selfSigned(certificates.serverKeystore(), "server", "SAN=ip:127.0.0.1,dns:localhost");
        trust(certificates.serverKeystore(), "server", certificates.clientTruststore(), dir);
        selfSigned(certificates.clientKeystore(), "client", "KeyUsage=digitalSignature");
        trust(certificates.clientKeystore(), "client", certificates.serverTruststore(), dir);
        return certificates;
    }

    private static void selfSigned(Path keystore, String alias, String extension)
            throws IOException, InterruptedException {
        keytool("-genkeypair", "-alias", alias, "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=" + alias, "-ext", extension, "-validity", "2",
                "-storetype", "PKCS12", "-keystore", keystore.toString(),
                "-storepass", PASSWORD, "-keypass", PASSWORD);
    }

    private static void trust(Path keystore, String alias, Path truststore, Path dir)
            throws IOException, InterruptedException {
        Path certificate = dir.resolve(alias + ".pem");
        keytool("-exportcert", "-rfc", "-alias", alias, "-keystore", keystore.toString(),
                "-storepass", PASSWORD, "-file", certificate.toString());
        keytool("-importcert", "-noprompt", "-alias", alias, "-file", certificate.toString(),
                "-storetype", "PKCS12", "-keystore", truststore.toString(), "-storepass", PASSWORD);
    }

    private static void keytool(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("keytool " + String.join(" ", arguments) + " failed: " + output);
        }
    }
}
