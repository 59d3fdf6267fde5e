package dev.arcana.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Expected texts are what Go's {@code json.Marshal} writes (float texts cross-checked against
 * Python's shortest repr, re-formatted the way Go's JSON encoder formats them).
 */
class GoJsonTest {

    @Test
    void plainStringsAreQuotedRaw() {
        assertThat(GoJson.string("")).isEqualTo("\"\"");
        assertThat(GoJson.string("user_list")).isEqualTo("\"user_list\"");
        assertThat(GoJson.string("550e8400-e29b-41d4-a716-446655440000"))
                .isEqualTo("\"550e8400-e29b-41d4-a716-446655440000\"");
    }

    @Test
    void quoteAndBackslashAreEscapedWithABackslash() {
        assertThat(GoJson.string("a\"b\\c")).isEqualTo("\"a\\\"b\\\\c\"");
    }

    @Test
    void newlineCarriageReturnAndTabUseTwoCharacterEscapes() {
        assertThat(GoJson.string("a\nb\rc\td")).isEqualTo("\"a\\nb\\rc\\td\"");
    }

    @Test
    void otherControlCharactersUseLowercaseUnicodeEscapes() {
        assertThat(GoJson.string("\u0000\u0001\u001f")).isEqualTo("\"\\u0000\\u0001\\u001f\"");
        // Go before 1.22 wrote backspace and form feed as \\u0008 and \\u000c, not \\b and \\f
        assertThat(GoJson.string("\b\f")).isEqualTo("\"\\u0008\\u000c\"");
        assertThat(GoJson.string("\u001b[0m")).isEqualTo("\"\\u001b[0m\"");
    }

    @Test
    void deleteCharacterIsNotEscaped() {
        assertThat(GoJson.string("\u007f")).isEqualTo("\"\u007f\"");
    }

    @Test
    void htmlCharactersAreEscapedLikeGo() {
        assertThat(GoJson.string("a<b&c")).isEqualTo("\"a\\u003cb\\u0026c\"");
        assertThat(GoJson.string("<script>")).isEqualTo("\"\\u003cscript\\u003e\"");
    }

    @Test
    void lineAndParagraphSeparatorsAreEscaped() {
        assertThat(GoJson.string("a\u2028b\u2029c")).isEqualTo("\"a\\u2028b\\u2029c\"");
    }

    @Test
    void nonAsciiIsWrittenRaw() {
        assertThat(GoJson.string("héllo wörld ✓ 日本")).isEqualTo("\"héllo wörld ✓ 日本\"");
        assertThat(GoJson.string("emoji \uD83D\uDE00")).isEqualTo("\"emoji \uD83D\uDE00\"");
        assertThat(GoJson.string("\uFFFD")).isEqualTo("\"\uFFFD\"");
    }

    @Test
    void loneSurrogatesBecomeTheReplacementEscapeLikeInvalidUtf8InGo() {
        assertThat(GoJson.string("a\uD83Db")).isEqualTo("\"a\\ufffdb\"");
        assertThat(GoJson.string("\uDE00")).isEqualTo("\"\\ufffd\"");
        assertThat(GoJson.string("x\uD83D")).isEqualTo("\"x\\ufffd\"");
    }

    @Test
    void integersAreDecimal() {
        assertThat(GoJson.json(20L)).isEqualTo("20");
        assertThat(GoJson.json(20)).isEqualTo("20");
        assertThat(GoJson.json(-7L)).isEqualTo("-7");
        assertThat(GoJson.json(0L)).isEqualTo("0");
        assertThat(GoJson.json(Long.MAX_VALUE)).isEqualTo("9223372036854775807");
        assertThat(GoJson.json(Long.MIN_VALUE)).isEqualTo("-9223372036854775808");
        assertThat(GoJson.json((short) 3)).isEqualTo("3");
        assertThat(GoJson.json((byte) -4)).isEqualTo("-4");
    }

    @Test
    void booleansAreTrueAndFalse() {
        assertThat(GoJson.json(true)).isEqualTo("true");
        assertThat(GoJson.json(Boolean.FALSE)).isEqualTo("false");
    }

    @Test
    void uuidIsWrittenAsItsText() {
        UUID id = UUID.fromString("550e8400-e29b-41d4-a716-446655440000");
        assertThat(GoJson.json(id)).isEqualTo("\"550e8400-e29b-41d4-a716-446655440000\"");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "2.0 | 2",
        "1.5 | 1.5",
        "-1.5 | -1.5",
        "0.1 | 0.1",
        "0.3 | 0.3",
        "0.30000000000000004 | 0.30000000000000004",
        "100.0 | 100",
        "-250.0 | -250",
        "123.456 | 123.456",
        "3.141592653589793 | 3.141592653589793",
        "0.4087 | 0.4087",
        "-916471.2555183731 | -916471.2555183731",
        "-5684244808809.103 | -5684244808809.103",
        // the plain/exponent boundaries: 1e-6 <= |x| < 1e21 is plain
        "1e-6 | 0.000001",
        "0.0000015 | 0.0000015",
        "9.999999999999997e-7 | 9.999999999999997e-7",
        "1e-7 | 1e-7",
        "-1e-7 | -1e-7",
        "7.6103e-7 | 7.6103e-7",
        "1.1871e-11 | 1.1871e-11",
        "1e-10 | 1e-10",
        "1e21 | 1e+21",
        "-1e21 | -1e+21",
        "1.5e21 | 1.5e+21",
        "9.999999999999999e20 | 999999999999999900000",
        "1e20 | 100000000000000000000",
        "1e23 | 1e+23",
        "2.6868225514074025e116 | 2.6868225514074025e+116",
        "-4.9497629030939065e-225 | -4.9497629030939065e-225",
        "1.7976931348623157e308 | 1.7976931348623157e+308",
        "2.2250738585072014e-308 | 2.2250738585072014e-308",
        // beyond 2^53 integral doubles print their shortest digits, zero-padded
        "9007199254740992.0 | 9007199254740992",
        "9007199254740994.0 | 9007199254740994",
        "9.223372036854776e18 | 9223372036854776000",
        "1.2345678901234568e20 | 123456789012345680000",
    })
    void floatsAreFormattedLikeGo(double value, String expected) {
        assertThat(GoJson.json(value)).isEqualTo(expected);
    }

    @Test
    void zeroAndNegativeZero() {
        assertThat(GoJson.json(0.0)).isEqualTo("0");
        assertThat(GoJson.json(-0.0)).isEqualTo("-0");
    }

    @Test
    void usesTheShortestDigitsWhereJdk17DoubleToStringDoesNot() {
        // JDK 17's Double.toString gives 4.9E-324 and 1.37342863480957901E18 here (JDK-4511638)
        assertThat(GoJson.json(Double.MIN_VALUE)).isEqualTo("5e-324");
        assertThat(GoJson.json(1.37342863480957901E18)).isEqualTo("1373428634809579000");
        assertThat(GoJson.json(-9.3344655345798208E17)).isEqualTo("-933446553457982100");
        assertThat(GoJson.json(2.15556435655560672E17)).isEqualTo("215556435655560670");
        assertThat(GoJson.json(7.0555538952148429E18)).isEqualTo("7055553895214843000");
        assertThat(GoJson.json(5.2990648348713776E16)).isEqualTo("52990648348713780");
    }

    @Test
    void floatIsWidenedToFloat64LikeGo() {
        assertThat(GoJson.json(1.5f)).isEqualTo("1.5");
        assertThat(GoJson.json(0.1f)).isEqualTo("0.10000000149011612");
    }

    @Test
    void shortestOutputReadsBackAndNoShorterDigitsDo() {
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < 5_000; i++) {
            double d = Double.longBitsToDouble(random.nextLong());
            if (!Double.isFinite(d) || d == 0) {
                continue;
            }
            String text = GoJson.json(d);
            assertThat(Double.parseDouble(text)).as(text).isEqualTo(d);
            BigDecimal shortest = GoJson.shortest(Math.abs(d)).stripTrailingZeros();
            int precision = shortest.precision();
            if (precision > 1) {
                BigDecimal exact = new BigDecimal(Math.abs(d));
                for (java.math.RoundingMode mode : List.of(java.math.RoundingMode.FLOOR, java.math.RoundingMode.CEILING)) {
                    double shorter = exact.round(new java.math.MathContext(precision - 1, mode)).doubleValue();
                    assertThat(shorter).as("%s has a shorter form", text).isNotEqualTo(Math.abs(d));
                }
            }
        }
    }

    @Test
    void nanAndInfinityAreRejectedLikeGo() {
        assertThatThrownBy(() -> GoJson.json(Double.NaN))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unsupported value: NaN (JSON has no NaN or infinity)");
        assertThatThrownBy(() -> GoJson.json(Double.POSITIVE_INFINITY))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unsupported value: Infinity (JSON has no NaN or infinity)");
    }

    @Test
    void nullAndOtherTypesAreRejected() {
        assertThatThrownBy(() -> GoJson.json(null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("null cannot be encoded here (resolved params never hold null)");
        assertThatThrownBy(() -> GoJson.json(new BigDecimal("1.5")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cannot encode a java.math.BigDecimal as a param value"
                        + " (expected String, Long, Integer, Double or Boolean)");
    }

    @Test
    void appendValueAppendsToTheBuilder() {
        StringBuilder sb = new StringBuilder("x=");
        GoJson.appendValue(sb, "a&b");
        assertThat(sb).hasToString("x=\"a\\u0026b\"");
    }
}
