package dev.offload.examples.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LatenciesTest {
    @Test
    void percentiles_areNearestRank() {
        Latencies l = new Latencies();
        for (int i = 100; i >= 1; i--) {
            l.record(i);
        }

        assertEquals(Duration.ofNanos(50), l.percentile(50));
        assertEquals(Duration.ofNanos(99), l.percentile(99));
        assertEquals(Duration.ofNanos(100), l.max());
        assertEquals(Duration.ofNanos(1), l.percentile(0.5));
    }

    @Test
    void percentiles_ofNothing_areZero() {
        assertEquals(Duration.ZERO, new Latencies().percentile(99));
    }

    @Test
    void record_growsPastTheFirstArray_andAddAllMerges() {
        Latencies a = new Latencies();
        Latencies b = new Latencies();
        for (int i = 0; i < 3000; i++) {
            a.record(i);
            b.record(10_000 + i);
        }
        a.addAll(b);

        assertEquals(6000, a.count());
        assertEquals(Duration.ofNanos(12_999), a.max());
    }
}
