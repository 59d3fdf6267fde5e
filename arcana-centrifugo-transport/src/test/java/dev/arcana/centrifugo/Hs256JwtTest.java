package dev.arcana.centrifugo;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class Hs256JwtTest {

    /** RFC 7515 Appendix A.1: the HMAC SHA-256 example (its header and payload have CRLFs, so the input is given encoded). */
    @Test
    void signsTheRfc7515ExampleInput() {
        byte[] key = Base64.getUrlDecoder().decode(
                "AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow");
        String signingInput = "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9"
                + ".eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ";

        assertThat(new Hs256Jwt(key).signature(signingInput)).isEqualTo("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");
    }

    /** The widely published HS256 example token (header alg/typ, claims sub/name/iat, secret "your-256-bit-secret"). */
    @Test
    void buildsTheWellKnownExampleToken() {
        Hs256Jwt jwt = new Hs256Jwt("your-256-bit-secret".getBytes(StandardCharsets.UTF_8));

        String token = jwt.sign(Json.createObjectBuilder()
                .add("sub", "1234567890").add("name", "John Doe").add("iat", 1516239022).build());

        assertThat(token).isEqualTo("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9"
                + ".eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ"
                + ".SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c");
    }

    @Test
    void aDifferentSecretGivesADifferentSignature() {
        String input = Hs256Jwt.encode(Hs256Jwt.HEADER) + "." + Hs256Jwt.encode("{\"sub\":\"a\"}");
        assertThat(new Hs256Jwt(new byte[] {1}).signature(input)).isNotEqualTo(new Hs256Jwt(new byte[] {2}).signature(input));
    }
}
