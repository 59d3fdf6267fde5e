package dev.arcana.ee.rest;

import dev.arcana.api.spi.IdentityRequest;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriInfo;
import java.security.Principal;
import java.util.List;
import java.util.Optional;

/**
 * What an {@code IdentityResolver} may read from a JAX-RS request: headers, query parameters,
 * cookies and the container principal. A blank value counts as absent. Any of the three sources
 * may be null (e.g. in tests): it then answers nothing.
 */
public final class HttpIdentityRequest implements IdentityRequest {
    private final HttpHeaders headers;
    private final UriInfo uriInfo;
    private final SecurityContext security;

    public HttpIdentityRequest(HttpHeaders headers, UriInfo uriInfo, SecurityContext security) {
        this.headers = headers;
        this.uriInfo = uriInfo;
        this.security = security;
    }

    @Override
    public Optional<String> header(String name) {
        return headers == null ? Optional.empty() : first(headers.getRequestHeader(name));
    }

    @Override
    public Optional<String> queryParameter(String name) {
        return uriInfo == null ? Optional.empty() : first(uriInfo.getQueryParameters().get(name));
    }

    @Override
    public Optional<String> cookie(String name) {
        if (headers == null) {
            return Optional.empty();
        }
        Cookie cookie = headers.getCookies().get(name);
        return cookie == null ? Optional.empty() : nonBlank(cookie.getValue());
    }

    @Override
    public Optional<Principal> principal() {
        return security == null ? Optional.empty() : Optional.ofNullable(security.getUserPrincipal());
    }

    private static Optional<String> first(List<String> values) {
        return values == null || values.isEmpty() ? Optional.empty() : nonBlank(values.get(0));
    }

    private static Optional<String> nonBlank(String value) {
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
    }
}
