package dev.arcana.websocket;

import dev.arcana.api.spi.IdentityRequest;
import jakarta.websocket.server.HandshakeRequest;
import java.security.Principal;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What an {@code IdentityResolver} may read from a WebSocket handshake: headers (names
 * case-insensitive), query parameters, cookies and the container principal, captured once when
 * the handshake happens (the {@link HandshakeRequest} is not usable afterwards), plus the token of
 * an {@code auth} frame when there is one. A blank value counts as absent; for repeated names the
 * first value wins.
 */
final class HandshakeIdentityRequest implements IdentityRequest {

    /** A handshake that carried nothing (e.g. a container that did not run the configurator). */
    static final HandshakeIdentityRequest EMPTY =
            new HandshakeIdentityRequest(new String[0], new String[0], Map.of(), Map.of(), null, null);

    /*
     * Kept for the connection's life (an auth frame resolves again): the headers as two arrays sorted by name,
     * case-insensitively, rather than a TreeMap (about 400 bytes less per connection), the rest as immutable maps.
     */
    private final String[] headerNames;
    private final String[] headerValues;
    private final Map<String, String> query;
    private final Map<String, String> cookies;
    private final Principal principal;
    private final String token;

    private HandshakeIdentityRequest(String[] headerNames, String[] headerValues, Map<String, String> query,
                                     Map<String, String> cookies, Principal principal, String token) {
        this.headerNames = headerNames;
        this.headerValues = headerValues;
        this.query = query;
        this.cookies = cookies;
        this.principal = principal;
        this.token = token;
    }

    /** Copies what a resolver may need out of the handshake. */
    static HandshakeIdentityRequest capture(HandshakeRequest request) {
        return of(request.getHeaders(), request.getParameterMap(), request.getUserPrincipal());
    }

    /** From raw maps (tests; {@link #capture}). Cookies come from the {@code Cookie} header(s). */
    static HandshakeIdentityRequest of(Map<String, List<String>> headers, Map<String, List<String>> parameters,
                                       Principal principal) {
        Map<String, String> headerValues = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        Map<String, String> cookieValues = new LinkedHashMap<>();
        if (headers != null) {
            headers.forEach((name, values) -> {
                if (name == null || values == null) {
                    return;
                }
                first(values).ifPresent(value -> headerValues.putIfAbsent(name, value));
                if (name.equalsIgnoreCase("Cookie")) {
                    values.forEach(value -> parseCookies(value, cookieValues));
                }
            });
        }
        Map<String, String> queryValues = new LinkedHashMap<>();
        if (parameters != null) {
            parameters.forEach((name, values) -> {
                if (name != null && values != null) {
                    first(values).ifPresent(value -> queryValues.putIfAbsent(name, value));
                }
            });
        }
        return new HandshakeIdentityRequest(headerValues.keySet().toArray(String[]::new),
                headerValues.values().toArray(String[]::new), Map.copyOf(queryValues), Map.copyOf(cookieValues),
                principal, null);
    }

    /** The same handshake, plus the token of an {@code auth} frame. */
    HandshakeIdentityRequest withToken(String authToken) {
        return new HandshakeIdentityRequest(headerNames, headerValues, query, cookies, principal, authToken);
    }

    @Override
    public Optional<String> header(String name) {
        int at = name == null ? -1 : Arrays.binarySearch(headerNames, name, String.CASE_INSENSITIVE_ORDER);
        return at < 0 ? Optional.empty() : Optional.of(headerValues[at]);
    }

    @Override
    public Optional<String> queryParameter(String name) {
        return Optional.ofNullable(query.get(name));
    }

    @Override
    public Optional<String> cookie(String name) {
        return Optional.ofNullable(cookies.get(name));
    }

    @Override
    public Optional<Principal> principal() {
        return Optional.ofNullable(principal);
    }

    @Override
    public Optional<String> token() {
        return nonBlank(token);
    }

    @Override
    public String toString() {
        // names only: values may be credentials
        return "HandshakeIdentityRequest[headers=" + Arrays.toString(headerNames) + ", query=" + query.keySet()
                + ", cookies=" + cookies.keySet() + ", principal=" + (principal != null)
                + ", token=" + (token != null) + "]";
    }

    /** {@code a=1; b="2"} → a→1, b→2 (RFC 6265 cookie-string; quotes stripped, first occurrence wins). */
    private static void parseCookies(String header, Map<String, String> into) {
        if (header == null) {
            return;
        }
        for (String pair : header.split(";")) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String name = pair.substring(0, eq).trim();
            String value = pair.substring(eq + 1).trim();
            if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                value = value.substring(1, value.length() - 1);
            }
            if (!name.isEmpty() && !value.isBlank()) {
                into.putIfAbsent(name, value);
            }
        }
    }

    private static Optional<String> first(List<String> values) {
        return values.isEmpty() ? Optional.empty() : nonBlank(values.get(0));
    }

    private static Optional<String> nonBlank(String value) {
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
    }
}
