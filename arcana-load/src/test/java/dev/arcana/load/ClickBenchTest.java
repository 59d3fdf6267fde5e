package dev.arcana.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClickBenchTest {

    @Test
    void theScriptsMillisecondsBecomeSortedMicroseconds() {
        ClickBench.Result result = ClickBench.parse("fast-path",
                "{\"shown\":[2.5,1.25],\"confirmed\":[12.0,9.9999],\"other\":[11,10.5],\"sent\":[0.5,0.25],"
                        + "\"firstFrame\":[6,5],\"answered\":[9,8],\"wireFirst\":[3,2],\"wireAnswer\":[4,3.5]}");

        assertThat(result.shown()).containsExactly(1250, 2500);
        assertThat(result.confirmed()).containsExactly(10000, 12000);
        assertThat(result.other()).containsExactly(10500, 11000);
        assertThat(result.sent()).containsExactly(250, 500);
        assertThat(result.firstFrame()).containsExactly(5000, 6000);
        assertThat(result.answered()).containsExactly(8000, 9000);
        assertThat(result.wireFirst()).containsExactly(2000, 3000);
        assertThat(result.wireAnswer()).containsExactly(3500, 4000);
    }

    @Test
    void theTableShowsEachVariantAndTheDetectorToFastPathRatio() {
        ClickBench.Result fast = ClickBench.parse("fast-path",
                "{\"shown\":[1,2],\"confirmed\":[10,20],\"other\":[8,16],\"sent\":[1,1],\"firstFrame\":[4,5],"
                        + "\"answered\":[7,9],\"wireFirst\":[2,2],\"wireAnswer\":[3,3]}");
        ClickBench.Result detector = ClickBench.parse("detector-path",
                "{\"shown\":[1,2],\"confirmed\":[15,40],\"other\":[12,24],\"sent\":[1,1],\"firstFrame\":[4,5],"
                        + "\"answered\":[11,30],\"wireFirst\":[2,2],\"wireAnswer\":[3,3]}");
        StringBuilder md = new StringBuilder();

        ClickBench.table(md, List.of(fast, detector));

        assertThat(md.toString())
                .contains("| fast-path | 2 | 1.0 / 2.0 / 2.0 / 2.0 ms | 10.0 / 20.0 / 20.0 / 20.0 ms | 8.0 / 16.0 / 16.0 / 16.0 ms |")
                .contains("| detector-path | 2 | 1.0 / 2.0 / 2.0 / 2.0 ms | 15.0 / 40.0 / 40.0 / 40.0 ms |")
                .contains("| fast-path | 1.0 | 4.0 | 7.0 | 10.0 | 2.0 | 3.0 |")
                .contains("confirmed 1.5× the p50, 2.0× the p99; other page 1.5× the p50, 1.5× the p99.");
    }
}
