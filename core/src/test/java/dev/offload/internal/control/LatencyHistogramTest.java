package dev.offload.internal.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LatencyHistogramTest {
    @Test
    void everyValue_landsInABucketWhoseTopIsWithinOnePercentAbove() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 200_000; i++) {
            long v = random.nextLong(1L << random.nextInt(1, 45));
            int index = LatencyHistogram.indexOf(v);
            long top = LatencyHistogram.highestOf(index);
            assertTrue(top >= v, "bucket top " + top + " below its value " + v);
            assertTrue(top - v <= Math.max(0, v / 128), "bucket of " + v + " too wide: top " + top);
            assertTrue(index == 0 || LatencyHistogram.highestOf(index - 1) < v, "value " + v + " in a later bucket");
        }
    }

    @Test
    void percentiles_areNeverBelowTheTrueOne_andWithinOnePercent() {
        SplittableRandom random = new SplittableRandom(11);
        long[] values = new long[10_001];
        LatencyHistogram h = new LatencyHistogram();
        for (int i = 0; i < values.length; i++) {
            values[i] = 1_000 + random.nextLong(50_000_000);
            h.record(values[i]);
        }
        Arrays.sort(values);
        for (double p : new double[] {50, 90, 99, 99.9, 100}) {
            long exact = values[(int) Math.ceil(p / 100 * values.length) - 1];
            long reported = h.percentile(p);
            assertTrue(reported >= exact, "p" + p + " " + reported + " below " + exact);
            assertTrue(reported <= exact + exact / 128, "p" + p + " " + reported + " too far above " + exact);
        }
        assertEquals(values[values.length - 1], h.max());
        assertEquals(values.length, h.count());
        assertEquals(Arrays.stream(values).average().orElseThrow(), h.mean(), 1e-6);
    }

    @Test
    void add_mergesCountsSumAndMax_andResetEmpties() {
        LatencyHistogram a = new LatencyHistogram();
        LatencyHistogram b = new LatencyHistogram();
        a.record(10);
        a.record(-5); // counts as 0
        b.record(1_000_000);
        a.add(b);
        assertEquals(3, a.count());
        assertEquals(1_000_000, a.max());
        assertEquals((10 + 0 + 1_000_000) / 3.0, a.mean(), 1e-9);
        assertEquals(0, a.percentile(1));
        a.reset();
        assertEquals(0, a.count());
        assertEquals(0, a.percentile(50));
        assertEquals(0, a.summary().count());
    }

    @Test
    void valuesAboveTheRange_countInTheTopBucket() {
        LatencyHistogram h = new LatencyHistogram();
        h.record(Long.MAX_VALUE);
        assertEquals(1, h.count());
        assertEquals((1L << 44) - 1, h.max());
    }
}
