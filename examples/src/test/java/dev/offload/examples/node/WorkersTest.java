package dev.offload.examples.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.offload.examples.Output;
import java.util.List;
import org.junit.jupiter.api.Test;

class WorkersTest {
    @Test
    void run_parsesInAWorker_sumsSharedMemoryWithNotify_andComputesOnStart() throws Exception {
        List<String> lines = Output.lines(Output.of(Workers::run));

        assertEquals(4, lines.size(), lines.toString());
        assertEquals("parsed: 2 statements", lines.get(0));
        // OK when the loop's wait began before the worker stored; NOT_EQUAL when the worker was first
        assertTrue(lines.get(1).matches("shared: (OK|NOT_EQUAL), sum in cell 0: 500500"), lines.get(1));
        assertEquals("computed: 500000500000, exit 1", lines.get(2));
        assertEquals("received: the worker is sending this", lines.get(3));
    }
}
