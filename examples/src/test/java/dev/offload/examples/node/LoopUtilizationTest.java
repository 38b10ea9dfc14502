package dev.offload.examples.node;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.offload.EventLoopUtilization;
import dev.offload.examples.Output;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class LoopUtilizationTest {
    @Test
    void run_aSpinningLoopIsBusierThanAnIdleOne() throws Exception {
        EventLoopUtilization[] measured = new EventLoopUtilization[2];
        List<String> lines = Output.lines(
                Output.of(o -> System.arraycopy(LoopUtilization.run(3, Duration.ofMillis(30), o), 0, measured, 0, 2)));

        // Both intervals are measured by the loop itself, so a slow machine changes both alike.
        assertTrue(measured[0].utilization() > measured[1].utilization(), measured[0] + " vs " + measured[1]);
        assertTrue(measured[0].active().compareTo(Duration.ofMillis(90)) >= 0, measured[0].toString());
        assertTrue(lines.get(0).startsWith("3 callbacks spinning 30 ms each: utilization "), lines.get(0));
        assertTrue(lines.get(1).startsWith("then nothing to do:             utilization "), lines.get(1));
    }
}
