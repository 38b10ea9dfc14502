package dev.offload.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class SharedCounterTest {
    @Test
    void main_handsTheCounterOver_thenLosesNoIncrement() throws Exception {
        List<String> lines = Output.lines(Output.of(o -> SharedCounter.main(new String[0])));

        assertEquals(
                List.of("after the hand-off: 2", "after two threads added 1,000,000 each: 2000002 (expected 2000002)"),
                lines);
    }
}
