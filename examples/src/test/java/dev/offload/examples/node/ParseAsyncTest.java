package dev.offload.examples.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.offload.examples.Output;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ParseAsyncTest {
    @Test
    void run_deliversValueErrorAndCrash_onTheLoop_andThePoolCarriesOn() throws Exception {
        List<String> lines = Output.lines(Output.of(ParseAsync::run));

        assertEquals(
                List.of(
                        "parse(\"1 + 2 * (3 + 4)\") = 15",
                        "parse(\"1 + * 2\") failed: IllegalArgumentException: unexpected '*' at 4",
                        "parse(\"((((((((... (200001 chars)\") failed: WorkerCrashedException (StackOverflowError)",
                        "parse(\"6 * 7\") = 42",
                        "workers that crashed and were replaced: 1"),
                lines);
        Output.awaitNoThreads(Duration.ofSeconds(5), "main-loop", "offload-pool-");
    }

    @Test
    void calculator_followsPrecedenceAndParentheses() {
        assertEquals(14L, ParseAsync.Calculator.evaluate("2 + 3 * 4"));
        assertEquals(20L, ParseAsync.Calculator.evaluate("(2 + 3) * 4"));
        assertEquals(1L, ParseAsync.Calculator.evaluate("7 - 3 - 3"));
        assertThrows(IllegalArgumentException.class, () -> ParseAsync.Calculator.evaluate("(1"));
        assertThrows(IllegalArgumentException.class, () -> ParseAsync.Calculator.evaluate("1 2"));
    }
}
