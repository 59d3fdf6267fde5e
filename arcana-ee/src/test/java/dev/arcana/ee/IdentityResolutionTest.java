package dev.arcana.ee;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arcana.api.ArcanaException;
import dev.arcana.api.ErrorCode;
import dev.arcana.api.ForbiddenException;
import dev.arcana.api.Identity;
import dev.arcana.api.spi.IdentityRequest;
import java.security.Principal;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class IdentityResolutionTest {

    @Test
    void withoutAResolverEveryRequestIsUnauthorized() {
        IdentityResolution resolution = IdentityResolution.of(null);

        assertThat(resolution.isConfigured()).isFalse();
        assertUnauthorized(() -> resolution.resolve(Headers.of(Map.of("X-User", "u1"))));
    }

    @Test
    void anEmptyAnswerIsUnauthorized() {
        IdentityResolution resolution = IdentityResolution.of(request -> Optional.empty());

        assertUnauthorized(() -> resolution.resolve(Headers.of(Map.of())));
    }

    @Test
    void aNullAnswerIsUnauthorized() {
        IdentityResolution resolution = IdentityResolution.of(request -> null);

        assertUnauthorized(() -> resolution.resolve(Headers.of(Map.of())));
    }

    @Test
    void aFailingResolverRefusesInsteadOfFailingTheRequest() {
        // the classic: new Identity(...) over a header the client did not send
        IdentityResolution resolution = IdentityResolution.of(request -> Optional.of(
                new Identity(request.header("X-Seance").orElse(null), "u1", "acme")));

        assertUnauthorized(() -> resolution.resolve(Headers.of(Map.of())));
    }

    @Test
    void theResolversOwnProtocolErrorIsKept() {
        IdentityResolution resolution = IdentityResolution.of(request -> {
            throw new ForbiddenException("account locked");
        });

        assertThatThrownBy(() -> resolution.resolve(Headers.of(Map.of())))
                .isInstanceOfSatisfying(ArcanaException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.FORBIDDEN))
                .hasMessage("account locked");
    }

    @Test
    void aResolvedIdentityIsReturned() {
        IdentityResolution resolution = IdentityResolution.of(request -> Optional.of(
                new Identity(request.header("X-Seance").orElseThrow(), "u1", "acme")));

        assertThat(resolution.resolve(Headers.of(Map.of("X-Seance", "s1"))))
                .isEqualTo(new Identity("s1", "u1", "acme"));
    }

    private static void assertUnauthorized(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        assertThatThrownBy(call)
                .isInstanceOfSatisfying(ArcanaException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAUTHORIZED))
                .hasMessage("not authenticated");
    }

    /** A request with headers only. */
    record Headers(Map<String, String> values) implements IdentityRequest {
        static Headers of(Map<String, String> values) {
            return new Headers(values);
        }

        @Override
        public Optional<String> header(String name) {
            return Optional.ofNullable(values.get(name));
        }

        @Override
        public Optional<String> queryParameter(String name) {
            return Optional.empty();
        }

        @Override
        public Optional<String> cookie(String name) {
            return Optional.empty();
        }

        @Override
        public Optional<Principal> principal() {
            return Optional.empty();
        }
    }
}
