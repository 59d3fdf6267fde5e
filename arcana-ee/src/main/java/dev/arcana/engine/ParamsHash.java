package dev.arcana.engine;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Map;

/**
 * The {@code params_hash} of a subscription (PROTOCOL.md, "params_hash"): the lowercase hex
 * SHA-256 of
 *
 * <pre>
 * UTF-8(graphKey) 0x00 { UTF-8(name) 0x00 UTF-8(goJson(value)) 0x00 }   for each param by name
 * </pre>
 *
 * <p>Every param, the last included, ends with 0x00; no params leaves just the key and one 0x00.
 * Names are sorted like Go's {@code sort.Strings} (by UTF-8 bytes, i.e. by code point), values
 * are encoded by {@link GoJson}, so the hashes equal the Go engine's.
 */
public final class ParamsHash {

    private static final char[] HEX = "0123456789abcdef".toCharArray();
    /** Code point order, which is UTF-8 byte order (String.compareTo is UTF-16 unit order). */
    private static final Comparator<String> BYTE_ORDER = ParamsHash::compareCodePoints;
    private static final int MAX_KEPT_BUFFER = 4096;
    private static final MessageDigest PROTOTYPE = sha256();
    private static final ThreadLocal<State> STATE = ThreadLocal.withInitial(State::new);

    private ParamsHash() {
    }

    /**
     * Hashes {@code graphKey} and its resolved params (String, Long/Integer, Double, Boolean).
     *
     * @throws IllegalArgumentException for a null key, name or value, or a value of another type
     */
    public static String of(String graphKey, Map<String, ?> resolvedParams) {
        if (graphKey == null) {
            throw new IllegalArgumentException("graph key is null");
        }
        State state = STATE.get();
        StringBuilder input = state.input;
        input.setLength(0);
        try {
            input.append(graphKey).append('\0');
            if (resolvedParams != null && !resolvedParams.isEmpty()) {
                String[] names = resolvedParams.keySet().toArray(new String[0]);
                if (names.length > 1) {
                    Arrays.sort(names, BYTE_ORDER);
                }
                for (String name : names) {
                    if (name == null) {
                        throw new IllegalArgumentException("a param name is null");
                    }
                    Object value = resolvedParams.get(name);
                    if (value == null) {
                        throw new IllegalArgumentException("param '" + name + "' is null; resolved params never hold null");
                    }
                    input.append(name).append('\0');
                    GoJson.appendValue(input, value);
                    input.append('\0');
                }
            }
            byte[] digest = state.digest.digest(input.toString().getBytes(StandardCharsets.UTF_8));
            return hex(digest);
        } finally {
            if (input.capacity() > MAX_KEPT_BUFFER) {
                state.input = new StringBuilder(256);
            }
            state.digest.reset();
        }
    }

    private static String hex(byte[] bytes) {
        char[] out = new char[bytes.length * 2];
        for (int i = 0; i < bytes.length; i++) {
            out[2 * i] = HEX[(bytes[i] >> 4) & 0xF];
            out[2 * i + 1] = HEX[bytes[i] & 0xF];
        }
        return new String(out);
    }

    private static int compareCodePoints(String a, String b) {
        int length = Math.min(a.length(), b.length());
        for (int i = 0; i < length; i++) {
            char ca = a.charAt(i);
            char cb = b.charAt(i);
            if (ca != cb) {
                // Surrogates (U+D800..U+DFFF) encode code points above every BMP char.
                boolean sa = Character.isSurrogate(ca);
                boolean sb = Character.isSurrogate(cb);
                if (sa != sb) {
                    return sa ? 1 : -1;
                }
                return ca - cb;
            }
        }
        return a.length() - b.length();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    private static MessageDigest newDigest() {
        try {
            return (MessageDigest) PROTOTYPE.clone();
        } catch (CloneNotSupportedException e) {
            return sha256();
        }
    }

    private static final class State {
        private final MessageDigest digest = newDigest();
        private StringBuilder input = new StringBuilder(256);
    }
}
