package dev.offload.examples.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.offload.examples.Output;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class AbortTest {
    @Test
    void run_everyTaskStops_byCancelHookTimeLimitOrSignal_andNoWorkerIsAbandoned() throws Exception {
        List<String> lines = Output.lines(Output.of(Abort::run));

        assertEquals(
                List.of(
                        "counting primes, cancelled after 100 ms: cancelled",
                        "blocked in accept(), cancelled after 100 ms: cancelled",
                        "counting primes with a 100 ms time limit: failed with TaskTimeoutException",
                        "a part of the request, its signal aborted after 100 ms: cancelled, reason: client went away",
                        "a part of the request, its signal aborted after 100 ms: cancelled, reason: client went away",
                        "a part of the request, its signal aborted after 100 ms: cancelled, reason: client went away",
                        "pool: 5 cancelled, 1 timed out, 0 workers abandoned"),
                lines);
        Output.awaitNoThreads(Duration.ofSeconds(5), "main-loop", "offload-pool-");
    }
}
