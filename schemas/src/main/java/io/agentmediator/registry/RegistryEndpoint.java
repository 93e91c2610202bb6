package io.agentmediator.registry;

import static io.agentmediator.registry.SchemaRegistryClientConfig.BASIC_AUTH_CREDENTIALS_SOURCE;
import static io.agentmediator.registry.SchemaRegistryClientConfig.BASIC_AUTH_CREDENTIALS_SOURCE_DEFAULT;
import static io.agentmediator.registry.SchemaRegistryClientConfig.BASIC_AUTH_USER_INFO;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One registry base URL, without credentials, and the {@code Authorization} header to send to it.
 * Credentials are kept out of the URL so that no message or log line that names the URL can leak
 * them.
 */
final class RegistryEndpoint {

    private static final Pattern USER_INFO_IN_URL = Pattern.compile("(?<=//)[^/@]*@");

    private final URI baseUri;
    private final Optional<String> authorization;

    private RegistryEndpoint(URI baseUri, Optional<String> authorization) {
        this.baseUri = baseUri;
        this.authorization = authorization;
    }

    /**
     * Parses a comma-separated list of {@code http(s)} URLs and resolves basic auth for each,
     * following Confluent's {@code basic.auth.credentials.source} rules.
     *
     * @throws IllegalArgumentException naming the offending URL or key
     */
    static List<RegistryEndpoint> parseAll(String urls, Map<String, ?> config) {
        String source = ConfigValues.string(config, BASIC_AUTH_CREDENTIALS_SOURCE,
                BASIC_AUTH_CREDENTIALS_SOURCE_DEFAULT);
        Optional<String> configuredUserInfo = switch (source) {
            case "URL" -> Optional.empty();
            case "USER_INFO" -> Optional.of(ConfigValues.string(config, BASIC_AUTH_USER_INFO)
                    .orElseThrow(() -> new IllegalArgumentException(BASIC_AUTH_CREDENTIALS_SOURCE
                            + "=USER_INFO needs " + BASIC_AUTH_USER_INFO + "=user:password")));
            default -> throw new IllegalArgumentException("Unsupported " + BASIC_AUTH_CREDENTIALS_SOURCE
                    + "=" + source + "; use URL or USER_INFO");
        };
        List<RegistryEndpoint> endpoints = new ArrayList<>();
        for (String url : urls.split(",")) {
            URI uri = parseUrl(url.trim(), urls);
            Optional<String> userInfo = configuredUserInfo.or(() -> Optional.ofNullable(uri.getUserInfo()));
            endpoints.add(new RegistryEndpoint(withoutUserInfo(uri), userInfo.map(RegistryEndpoint::basic)));
        }
        return List.copyOf(endpoints);
    }

    /** Hides the {@code user:password@} part of URLs in text meant for messages and logs. */
    static String redact(String urls) {
        return USER_INFO_IN_URL.matcher(urls).replaceAll("***@");
    }

    /** The URI of an API path, such as {@code /schemas/ids/1}, under this base URL. */
    URI resolve(String path) {
        return URI.create(baseUri + path);
    }

    void authorize(HttpRequest.Builder request) {
        authorization.ifPresent(value -> request.header("Authorization", value));
    }

    @Override
    public String toString() {
        return baseUri.toString();
    }

    private static URI parseUrl(String url, String allUrls) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(badUrl(url, allUrls) + ": " + redact(e.getMessage()), e);
        }
        boolean http = "http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme());
        if (!http || uri.getHost() == null || uri.getQuery() != null || uri.getFragment() != null) {
            throw new IllegalArgumentException(badUrl(url, allUrls));
        }
        return uri;
    }

    private static String badUrl(String url, String allUrls) {
        return "Unsupported schema registry URL '" + redact(url) + "' in '" + redact(allUrls)
                + "': expected http(s)://host[:port][/path][,...] or mock://<scope>";
    }

    private static URI withoutUserInfo(URI uri) {
        // Trailing slashes dropped so that base + "/subjects/..." has exactly one slash.
        String path = uri.getRawPath() == null ? "" : uri.getRawPath().replaceAll("/+$", "");
        String port = uri.getPort() == -1 ? "" : ":" + uri.getPort();
        return URI.create(uri.getScheme().toLowerCase() + "://" + uri.getHost() + port + path);
    }

    private static String basic(String userInfo) {
        return "Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8));
    }
}
