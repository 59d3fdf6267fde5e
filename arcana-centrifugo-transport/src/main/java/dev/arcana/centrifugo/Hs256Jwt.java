package dev.arcana.centrifugo;

import jakarta.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Compact JWS with HMAC SHA-256 (RFC 7515 §7.1, RFC 7518 §3.2), enough for Centrifugo's
 * connection and subscription tokens: {@code base64url(header) . base64url(claims) . base64url(mac)},
 * header {@code {"alg":"HS256","typ":"JWT"}}, no padding.
 */
public final class Hs256Jwt {
    /** The protected header, always the same bytes. */
    static final String HEADER = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();
    private static final String ALGORITHM = "HmacSHA256";

    private final SecretKeySpec key;

    public Hs256Jwt(byte[] secret) {
        if (secret == null || secret.length == 0) {
            throw new IllegalArgumentException("an HS256 secret must not be empty");
        }
        this.key = new SecretKeySpec(secret, ALGORITHM);
    }

    /** A signed token carrying {@code claims} (serialised as given, in key order). */
    public String sign(JsonObject claims) {
        String input = encode(HEADER) + "." + encode(claims.toString());
        return input + "." + signature(input);
    }

    /** The base64url HMAC SHA-256 of a JWS signing input ({@code header.payload}). */
    public String signature(String signingInput) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM); // Mac is not thread-safe: one per call
            mac.init(key);
            return BASE64URL.encodeToString(mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JDK", e);
        }
    }

    static String encode(String json) {
        return BASE64URL.encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
