package dev.arcana.engine;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.UUID;

/**
 * Writes scalar values as JSON byte-for-byte like Go's {@code encoding/json.Marshal} does, so that
 * {@link ParamsHash} matches the hashes of the original Go engine.
 *
 * <p>Strings: {@code "} and backslash escaped with a backslash; newline, carriage return and tab
 * as {@code \n}, {@code \r}, {@code \t}; every other control character below U+0020 (backspace
 * and form feed included, as Go before 1.22 wrote them) as backslash-u-00XX with lowercase hex;
 * {@code <}, {@code >}, {@code &}, U+2028 and U+2029 as backslash-u escapes ({@code u003c},
 * {@code u003e}, {@code u0026}, {@code u2028}, {@code u2029}); a lone surrogate (invalid UTF-8 on
 * Go's side) as the escape of U+FFFD; everything else raw.
 *
 * <p>Numbers: integers in decimal; a {@code float64} as the shortest decimal that reads back as
 * the same double (the nearest such one), in plain notation when {@code 1e-6 <= |x| < 1e21} and
 * otherwise in exponent notation with Go's JSON clean-up ({@code 1e+21}, {@code 1e-7},
 * {@code 1.5e-10}); {@code -0.0} is {@code -0}. NaN and infinities are rejected, as Go rejects
 * them.
 */
public final class GoJson {

    private static final char[] HEX = "0123456789abcdef".toCharArray();
    /** Below 2^53 every integral double is exact and its shortest form is its plain integer. */
    private static final double EXACT_INTEGER_LIMIT = 9.007199254740992E15;

    private GoJson() {
    }

    /** The value as Go's {@code json.Marshal} would write it. */
    public static String json(Object value) {
        StringBuilder sb = new StringBuilder(32);
        appendValue(sb, value);
        return sb.toString();
    }

    /**
     * Appends a String, Long, Integer, Short, Byte, Double, Float (widened, like Go's
     * {@code float64(f)}), Boolean or UUID (as its text).
     *
     * @throws IllegalArgumentException for null, NaN, infinities and any other type
     */
    public static void appendValue(StringBuilder sb, Object value) {
        if (value instanceof String s) {
            appendString(sb, s);
        } else if (value instanceof Long || value instanceof Integer || value instanceof Short
                || value instanceof Byte) {
            sb.append(((Number) value).longValue());
        } else if (value instanceof Boolean b) {
            sb.append(b.booleanValue());
        } else if (value instanceof Double || value instanceof Float) {
            appendDouble(sb, ((Number) value).doubleValue());
        } else if (value instanceof UUID u) {
            appendString(sb, u.toString());
        } else if (value == null) {
            throw new IllegalArgumentException("null cannot be encoded here (resolved params never hold null)");
        } else {
            throw new IllegalArgumentException("cannot encode a " + value.getClass().getName()
                    + " as a param value (expected String, Long, Integer, Double or Boolean)");
        }
    }

    /** The JSON string literal of {@code s}, quotes included. */
    public static String string(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2);
        appendString(sb, s);
        return sb.toString();
    }

    /** Appends the JSON string literal of {@code s}, quotes included. */
    public static void appendString(StringBuilder sb, String s) {
        sb.append('"');
        int length = s.length();
        int start = 0;
        for (int i = 0; i < length; i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c < Character.MIN_SURROGATE && c != '"' && c != '\\' && c != '<' && c != '>'
                    && c != '&' && c != 0x2028 && c != 0x2029) {
                continue;
            }
            if (c > Character.MAX_SURROGATE) {
                continue;
            }
            if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
                continue;
            }
            sb.append(s, start, i);
            start = i + 1;
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (Character.isSurrogate(c)) {
                        sb.append("\\ufffd");
                    } else {
                        appendUnicodeEscape(sb, c);
                    }
                }
            }
        }
        sb.append(s, start, length);
        sb.append('"');
    }

    private static void appendUnicodeEscape(StringBuilder sb, char c) {
        sb.append('\\').append('u')
                .append(HEX[(c >> 12) & 0xF])
                .append(HEX[(c >> 8) & 0xF])
                .append(HEX[(c >> 4) & 0xF])
                .append(HEX[c & 0xF]);
    }

    /** Appends a float64 like Go's JSON encoder. */
    public static void appendDouble(StringBuilder sb, double d) {
        if (!Double.isFinite(d)) {
            throw new IllegalArgumentException("unsupported value: " + d + " (JSON has no NaN or infinity)");
        }
        if (d == 0) {
            sb.append(Double.doubleToRawLongBits(d) < 0 ? "-0" : "0");
            return;
        }
        double abs = Math.abs(d);
        if (abs < EXACT_INTEGER_LIMIT && abs == Math.rint(abs)) {
            sb.append((long) d);
            return;
        }
        BigDecimal shortest = shortest(abs).stripTrailingZeros();
        String digits = shortest.unscaledValue().toString();
        int nd = digits.length();
        int dp = nd - shortest.scale(); // value = 0.<digits> * 10^dp
        if (d < 0) {
            sb.append('-');
        }
        if (abs < 1e-6 || abs >= 1e21) {
            sb.append(digits.charAt(0));
            if (nd > 1) {
                sb.append('.').append(digits, 1, nd);
            }
            int exp = dp - 1;
            sb.append('e').append(exp < 0 ? '-' : '+');
            int magnitude = Math.abs(exp);
            if (exp > 0 && magnitude < 10) {
                sb.append('0'); // strconv writes at least two exponent digits; JSON trims only e-0X
            }
            sb.append(magnitude);
        } else if (dp <= 0) {
            sb.append("0.");
            for (int i = dp; i < 0; i++) {
                sb.append('0');
            }
            sb.append(digits);
        } else if (dp >= nd) {
            sb.append(digits);
            for (int i = nd; i < dp; i++) {
                sb.append('0');
            }
        } else {
            sb.append(digits, 0, dp).append('.').append(digits, dp, nd);
        }
    }

    /**
     * The shortest decimal that parses back to {@code abs} (positive, finite), and of those the
     * nearest to its exact value (ties to even), as Go's {@code strconv} (Ryū) picks it. JDK 17's
     * {@link Double#toString(double)} always reads back but is sometimes a digit longer than
     * needed (JDK-4511638), so its length is only the upper bound of the search.
     */
    static BigDecimal shortest(double abs) {
        BigDecimal exact = new BigDecimal(abs);
        int upper = new BigDecimal(Double.toString(abs)).stripTrailingZeros().precision();
        // Round-tripping is monotonic in the precision: if p digits can, p + 1 can. Usually the
        // JDK's length is already the shortest, which one failed check at upper - 1 proves.
        BigDecimal best = upper > 1 ? roundTrip(exact, upper - 1, abs) : null;
        if (best == null) {
            best = roundTrip(exact, upper, abs);
            return best != null ? best : exact; // null cannot happen: Double.toString reads back
        }
        int lo = 1;
        int hi = upper - 1; // invariant: hi digits read back (best), fewer than lo do not
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            BigDecimal candidate = roundTrip(exact, mid, abs);
            if (candidate != null) {
                hi = mid;
                best = candidate;
            } else {
                lo = mid + 1;
            }
        }
        return best;
    }

    /** The nearest {@code precision}-digit decimal to {@code exact} that reads back as {@code d}, or null. */
    private static BigDecimal roundTrip(BigDecimal exact, int precision, double d) {
        BigDecimal down = exact.round(new MathContext(precision, RoundingMode.FLOOR));
        BigDecimal up = exact.round(new MathContext(precision, RoundingMode.CEILING));
        boolean downOk = down.doubleValue() == d;
        boolean upOk = up.doubleValue() == d;
        if (downOk && upOk) {
            return exact.round(new MathContext(precision, RoundingMode.HALF_EVEN));
        }
        return downOk ? down : upOk ? up : null;
    }
}
