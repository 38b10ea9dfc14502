package dev.offload.examples.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.offload.examples.Output;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class BroadcastTest {
    @Test
    void run_theMainLoopGetsOneMessageFromEachOfTenWorkers_thenCloses() throws Exception {
        List<String> lines = Output.lines(Output.of(Broadcast::run));

        List<String> expected = new ArrayList<>(Collections.nCopies(10, "hello from every worker"));
        expected.add("10 messages, then closed");
        assertEquals(expected, lines);
    }
}
