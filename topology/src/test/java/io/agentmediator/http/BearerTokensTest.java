package io.agentmediator.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
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
    void shouldAcceptEveryTokenOfAFileSoOneCanBeRotated() throws IOException {
        BearerTokens tokens = BearerTokens.read(Map.of(Role.APPROVER, file("approvers", "# rotate: new first\n" + NEW + "\n\n  " + OLD + "  \n")));

        assertThat(tokens.caller(NEW).roles()).containsExactly(Role.APPROVER);
        assertThat(tokens.caller(OLD).roles()).containsExactly(Role.APPROVER);
        assertThat(tokens.caller(NEW + "x").roles()).isEmpty();
        assertThat(tokens.caller(NEW).name()).startsWith("[approver] token ").doesNotContain(NEW);
    }

    @Test
    void shouldGiveATokenListedInTwoFilesBothRoles() throws IOException {
        BearerTokens tokens = BearerTokens.read(Map.of(Role.METRICS, file("metrics", NEW), Role.OPERATOR, file("operators", NEW)));

        assertThat(tokens.caller(NEW).roles()).containsExactlyInAnyOrder(Role.METRICS, Role.OPERATOR);
    }

    @Test
    void shouldRefuseShortTokensEmptyFilesAndMissingOnesNamingTheFile() throws IOException {
        Path shortToken = file("short", "secret\n");
        Path empty = file("empty", "# nothing yet\n");

        assertThatThrownBy(() -> BearerTokens.read(Map.of(Role.METRICS, shortToken)))
                .hasMessageContaining(shortToken.toString()).hasMessageContaining("line 1").hasMessageContaining("at least 24");
        assertThatThrownBy(() -> BearerTokens.read(Map.of(Role.METRICS, empty))).hasMessageContaining("holds no token");
        assertThatThrownBy(() -> BearerTokens.read(Map.of(Role.METRICS, dir.resolve("absent")))).hasMessageContaining("metrics token file");
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
}
