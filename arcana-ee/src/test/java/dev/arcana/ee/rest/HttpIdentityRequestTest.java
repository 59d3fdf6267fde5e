package dev.arcana.ee.rest;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriInfo;
import java.lang.reflect.Proxy;
import java.security.Principal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HttpIdentityRequestTest {

    // Cookie cannot be built without a JAX-RS implementation (its static initialiser needs one): cookies
    // are read on the server only; here the map of cookies stays empty.

    @Test
    void readsHeadersQueryParametersAndThePrincipal() {
        HttpIdentityRequest request = new HttpIdentityRequest(
                headers(Map.of("X-Seance-ID", List.of("s1", "s2")), Map.of()),
                query(Map.of("workspace", List.of("acme"))),
                security(() -> "alice"));

        assertThat(request.header("X-Seance-ID")).contains("s1");
        assertThat(request.queryParameter("workspace")).contains("acme");
        assertThat(request.cookie("session")).isEmpty();
        assertThat(request.principal()).map(Principal::getName).contains("alice");
    }

    @Test
    void missingAndBlankValuesAreAbsent() {
        HttpIdentityRequest request = new HttpIdentityRequest(
                headers(Map.of("X-User-ID", List.of(" ")), Map.of()),
                query(Map.of("seance", List.of(""))),
                security(null));

        assertThat(request.header("X-User-ID")).isEmpty();
        assertThat(request.header("X-Other")).isEmpty();
        assertThat(request.queryParameter("seance")).isEmpty();
        assertThat(request.cookie("none")).isEmpty();
        assertThat(request.principal()).isEmpty();
        assertThat(request.token()).isEmpty();
    }

    @Test
    void absentSourcesAnswerNothing() {
        HttpIdentityRequest request = new HttpIdentityRequest(null, null, null);

        assertThat(request.header("a")).isEmpty();
        assertThat(request.queryParameter("a")).isEmpty();
        assertThat(request.cookie("a")).isEmpty();
        assertThat(request.principal()).isEmpty();
    }

    private static HttpHeaders headers(Map<String, List<String>> values, Map<String, Cookie> cookies) {
        return stub(HttpHeaders.class, (method, args) -> switch (method) {
            case "getRequestHeader" -> values.get((String) args[0]);
            case "getCookies" -> cookies;
            default -> throw new UnsupportedOperationException(method);
        });
    }

    private static UriInfo query(Map<String, List<String>> values) {
        MultivaluedHashMap<String, String> parameters = new MultivaluedHashMap<>();
        values.forEach(parameters::addAll);
        return stub(UriInfo.class, (method, args) -> {
            if (method.equals("getQueryParameters")) {
                return parameters;
            }
            throw new UnsupportedOperationException(method);
        });
    }

    private static SecurityContext security(Principal principal) {
        return stub(SecurityContext.class, (method, args) -> {
            if (method.equals("getUserPrincipal")) {
                return principal;
            }
            throw new UnsupportedOperationException(method);
        });
    }

    interface Answer {
        Object answer(String method, Object[] args);
    }

    private static <T> T stub(Class<T> type, Answer answer) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
                (proxy, method, args) -> answer.answer(method.getName(), args)));
    }
}
