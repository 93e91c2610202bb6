package io.agentmediator.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BearerTokensTest {

    private static final String OLD = "old-token-0123456789abcdef0123";
    private static final String NEW = "new-token-0123456789abcdef0123";

    @TempDir Path dir;

    @Test
    void shouldAcceptEveryTokenOfAFileSoOneCanBeRotated() {
        BearerTokens tokens = tokens(Role.APPROVER, "# rotate: new first\n" + NEW + "\n\n  " + OLD + "  \n");

        assertThat(tokens.caller(NEW).roles()).containsExactly(Role.APPROVER);
        assertThat(tokens.caller(OLD).roles()).containsExactly(Role.APPROVER);
        assertThat(tokens.caller(NEW + "x").roles()).isEmpty();
        assertThat(tokens.caller(NEW).name()).startsWith("[approver] token ").doesNotContain(NEW);
    }

    @Test
    void shouldGiveATokenListedInTwoFilesBothRoles() {
        BearerTokens tokens = tokens(Role.METRICS, NEW).and(tokens(Role.OPERATOR, NEW));

        assertThat(tokens.caller(NEW).roles()).containsExactlyInAnyOrder(Role.METRICS, Role.OPERATOR);
    }

    @Test
    void shouldRefuseShortTokensAndBytesThatAreNotTextNamingTheFile() {
        Path file = dir.resolve("metrics");

        assertThatThrownBy(() -> BearerTokens.tokensIn(Role.METRICS, file, "# a typo\nsecret\n".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining(file.toString()).hasMessageContaining("line 2").hasMessageContaining("at least 24");
        assertThatThrownBy(() -> BearerTokens.tokensIn(Role.METRICS, file, new byte[] {(byte) 0xff, 'a'}))
                .hasMessageContaining(file.toString()).hasMessageContaining("not UTF-8");
    }

    @Test
    void shouldRefuseAtStartATokenFileItCannotReadOrAnInstanceFileWithoutAToken() throws IOException {
        Path instance = file("instance", OLD);

        assertThatThrownBy(() -> HttpAuthentication.fromFiles(Map.of(Role.METRICS, dir.resolve("absent"), Role.INSTANCE, instance)))
                .hasMessageContaining("cannot read the metrics token file").hasMessageContaining("absent");
        assertThatThrownBy(() -> HttpAuthentication.fromFiles(Map.of(Role.INSTANCE, file("empty-instance", "# none\n"))))
                .hasMessageContaining("instance token file").hasMessageContaining("holds no token");
    }

    @Test
    void shouldRequireAnInstanceTokenOnceAnyTokenIsConfigured() throws IOException {
        Path metrics = file("metrics", NEW);

        assertThatThrownBy(() -> HttpAuthentication.fromFiles(Map.of(Role.METRICS, metrics)))
                .hasMessageContaining("http.auth.instance.tokens.file");
        HttpAuthentication authentication = HttpAuthentication.fromFiles(Map.of(Role.METRICS, metrics, Role.INSTANCE, file("instance", OLD)));
        assertThat(authentication.instanceAuthorization()).contains("Bearer " + OLD);
        assertThat(authentication.caller("bearer " + OLD).has(Role.INSTANCE)).isTrue();
        assertThat(authentication.caller("Basic " + OLD).roles()).isEmpty();
        assertThat(HttpAuthentication.off().caller(null).has(Role.INSTANCE)).isTrue();
    }

    private Path file(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }

    private BearerTokens tokens(Role role, String content) {
        return BearerTokens.of(role, BearerTokens.tokensIn(role, dir.resolve(role.label()), content.getBytes(StandardCharsets.UTF_8)));
    }
}
