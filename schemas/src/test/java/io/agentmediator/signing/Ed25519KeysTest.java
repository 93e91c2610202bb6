package io.agentmediator.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class Ed25519KeysTest {

    @Test
    void shouldParseThePemThatOpensslWrites() {
        // Given the golden key as `openssl genpkey -algorithm ed25519` writes it
        String pem = "-----BEGIN PRIVATE KEY-----\n" + GoldenVector.PRIVATE_KEY_PKCS8 + "\n-----END PRIVATE KEY-----\n";

        // When
        PrivateKey key = Ed25519Keys.privateKeyFromPkcs8(pem);

        // Then
        assertThat(key.getEncoded()).isEqualTo(Base64.getDecoder().decode(GoldenVector.PRIVATE_KEY_PKCS8));
        assertThat(Ed25519Keys.toBase64(Ed25519Keys.publicKeyOf(key))).isEqualTo(GoldenVector.PUBLIC_KEY_X509);
    }

    @Test
    void shouldParseBareBase64AndPemWithWrappedLinesAndTextAround() {
        // Given the same key as bare base64 and as a PEM with CRLF, wrapped body and a note before it
        String base64 = " " + GoldenVector.PRIVATE_KEY_PKCS8 + "\n";
        String pem = "mediator key, rotated 2026-11\r\n-----BEGIN PRIVATE KEY-----\r\n"
                + GoldenVector.PRIVATE_KEY_PKCS8.substring(0, 20) + "\r\n" + GoldenVector.PRIVATE_KEY_PKCS8.substring(20)
                + "\r\n-----END PRIVATE KEY-----\r\n";

        // When
        PrivateKey fromBase64 = Ed25519Keys.privateKeyFromPkcs8(base64);
        PrivateKey fromPem = Ed25519Keys.privateKeyFromPkcs8(pem);

        // Then
        assertThat(fromBase64.getEncoded()).isEqualTo(fromPem.getEncoded());
    }

    @Test
    void shouldRoundTripAPublicKeyThroughBase64() {
        // Given
        PublicKey key = Ed25519Keys.generate().getPublic();

        // When
        PublicKey parsed = Ed25519Keys.publicKeyFromBase64(Ed25519Keys.toBase64(key));

        // Then
        assertThat(parsed.getEncoded()).isEqualTo(key.getEncoded());
    }

    @Test
    void shouldDeriveThePublicKeyOfAGeneratedPair() {
        // Given
        KeyPair pair = Ed25519Keys.generate();

        // When
        PublicKey derived = Ed25519Keys.publicKeyOf(pair.getPrivate());

        // Then
        assertThat(derived.getEncoded()).isEqualTo(pair.getPublic().getEncoded());
    }

    @Test
    void shouldFingerprintAsTheFirst16HexCharactersOfTheSha256OfTheX509Bytes() {
        // Given
        PublicKey key = Ed25519Keys.publicKeyFromBase64(GoldenVector.PUBLIC_KEY_X509);

        // When
        String fingerprint = Ed25519Keys.fingerprint(key);

        // Then `openssl pkey -pubout -outform DER | sha256sum | cut -c1-16` prints the same
        assertThat(fingerprint).isEqualTo(GoldenVector.FINGERPRINT);
    }

    @Test
    void shouldRefuseAnRsaPrivateKeyNamingItsType() throws Exception {
        // Given
        String rsa = Base64.getEncoder().encodeToString(rsaPair().getPrivate().getEncoded());

        // When / Then
        assertThatThrownBy(() -> Ed25519Keys.privateKeyFromPkcs8(rsa))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("private key is a key of type RSA, not Ed25519 "
                        + "(create one with: openssl genpkey -algorithm ed25519)");
    }

    @Test
    void shouldRefuseAPublicKeyWhoseBytesAreNotAPointOfTheCurve() {
        // Given a valid key with one character changed: the JDK's key factory takes any 32 bytes
        String offCurve = "MCowBQYDK2VwAyEA11qYAYKxCrfUS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=";

        // When / Then
        assertThatThrownBy(() -> Ed25519Keys.publicKeyFromBase64(offCurve))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("not a point of the Ed25519 curve");
    }

    @Test
    void shouldRefuseAnRsaPublicKeyNamingItsType() throws Exception {
        // Given
        String rsa = Base64.getEncoder().encodeToString(rsaPair().getPublic().getEncoded());

        // When / Then
        assertThatThrownBy(() -> Ed25519Keys.publicKeyFromBase64(rsa))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("public key is a key of type RSA, not Ed25519");
    }

    @Test
    void shouldRefuseAnEd448KeyThoughItIsEdDsaToo() throws Exception {
        // Given
        PublicKey ed448 = KeyPairGenerator.getInstance("Ed448").generateKeyPair().getPublic();

        // When / Then
        assertThatThrownBy(() -> Ed25519Keys.publicKeyFromBase64(Base64.getEncoder().encodeToString(ed448.getEncoded())))
                .hasMessageStartingWith("public key is a key of type Ed448, not Ed25519");
        assertThatThrownBy(() -> Ed25519Keys.fingerprint(ed448)).hasMessage("expected an Ed25519 key, got Ed448");
    }

    @Test
    void shouldRefuseAPemThatIsNotUnencryptedPkcs8() {
        // Given a "traditional" RSA PEM, as older openssl versions write
        String traditional = "-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----\n";
        String encrypted = "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIB\n-----END ENCRYPTED PRIVATE KEY-----\n";

        // When / Then
        assertThatThrownBy(() -> Ed25519Keys.privateKeyFromPkcs8(traditional))
                .hasMessage("PEM 'RSA PRIVATE KEY' is not supported; expected an unencrypted PKCS#8 "
                        + "'-----BEGIN PRIVATE KEY-----', as written by: openssl genpkey -algorithm ed25519");
        assertThatThrownBy(() -> Ed25519Keys.privateKeyFromPkcs8(encrypted))
                .hasMessageStartingWith("PEM 'ENCRYPTED PRIVATE KEY' is not supported");
    }

    @Test
    void shouldRefuseAPemWithoutItsEndLine() {
        assertThatThrownBy(() -> Ed25519Keys.privateKeyFromPkcs8("-----BEGIN PRIVATE KEY-----\n"
                + GoldenVector.PRIVATE_KEY_PKCS8 + "\n"))
                .hasMessage("malformed PEM: no '-----END PRIVATE KEY-----' line");
    }

    @Test
    void shouldRefuseTextThatIsNotBase64() {
        assertThatThrownBy(() -> Ed25519Keys.publicKeyFromBase64("not a key!"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("public key is not base64");
        assertThatThrownBy(() -> Ed25519Keys.privateKeyFromPkcs8("not a key!"))
                .hasMessageStartingWith("private key is not base64");
    }

    @Test
    void shouldRefuseBase64ThatIsNotAKey() {
        assertThatThrownBy(() -> Ed25519Keys.privateKeyFromPkcs8("aGVsbG8gd29ybGQ="))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("private key is not an Ed25519 key in PKCS#8 DER");
    }

    private static KeyPair rsaPair() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(1024);
        return generator.generateKeyPair();
    }
}
