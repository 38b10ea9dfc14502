package dev.offload.examples.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.offload.examples.Output;
import java.util.List;
import org.junit.jupiter.api.Test;

class EnvironmentDataTest {
    @Test
    void run_everyWorkerGetsTheData_inItsOwnState_madeOnItsOwnThread() throws Exception {
        List<String> lines = Output.lines(Output.of(EnvironmentData::run));

        assertEquals(
                List.of(
                        "every task read: Hello = World!, from this worker's own state",
                        "initializer runs: 2 (once per worker, on the worker's own thread)"),
                lines);
    }
}
