package dev.offload.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class QuickStartTest {
    @Test
    void main_printsTheHashComputedOnAWorker_onTheLoopThread() throws Exception {
        String out = Output.of(o -> QuickStart.main(new String[0]));

        assertEquals(Passwords.hash("hunter2") + " on the loop: true", out.strip());
        Output.awaitNoThreads(Duration.ofSeconds(5), "main-loop", "offload-pool-");
    }
}
