package dev.offload.shm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TypedViewTest {
    private static final int THREADS = 4;
    private static final int ADDS = 100_000;

    @Test
    void intArray_everyAccessMode_readsWhatWasWritten() {
        IntArray a = SharedBuffer.allocate(16).asIntArray();
        assertEquals(4, a.length());
        a.set(0, 1);
        assertEquals(1, a.get(0));
        a.setOpaque(1, 2);
        assertEquals(2, a.getOpaque(1));
        a.setRelease(2, 3);
        assertEquals(3, a.getAcquire(2));
        a.setVolatile(3, 4);
        assertEquals(4, a.getVolatile(3));
    }

    @Test
    void intArray_atomicUpdates_returnPreviousValue() {
        IntArray a = SharedBuffer.allocate(8).asIntArray();
        assertTrue(a.compareAndSet(0, 0, 10));
        assertFalse(a.compareAndSet(0, 0, 11));
        assertEquals(10, a.compareAndExchange(0, 10, 12));
        assertEquals(12, a.compareAndExchange(0, 99, 13));
        assertEquals(12, a.getAndSet(0, 0b1100));
        assertEquals(0b1100, a.getAndAdd(0, 1));
        assertEquals(0b1101, a.getAndBitwiseAnd(0, 0b0110));
        assertEquals(0b0100, a.getAndBitwiseOr(0, 0b0011));
        assertEquals(0b0111, a.getAndBitwiseXor(0, 0b0101));
        assertEquals(0b0010, a.get(0));
        a.set(1, Integer.MAX_VALUE);
        assertEquals(Integer.MAX_VALUE, a.getAndAdd(1, 1));
        assertEquals(Integer.MIN_VALUE, a.get(1), "getAndAdd must wrap on overflow");
    }

    @Test
    void longArray_everyOperation() {
        LongArray a = SharedBuffer.allocate(32).asLongArray();
        a.set(0, 1L << 40);
        assertEquals(1L << 40, a.get(0));
        a.setOpaque(1, 2);
        assertEquals(2, a.getOpaque(1));
        a.setRelease(2, 3);
        assertEquals(3, a.getAcquire(2));
        a.setVolatile(3, 4);
        assertEquals(4, a.getVolatile(3));
        assertTrue(a.compareAndSet(0, 1L << 40, 5));
        assertEquals(5, a.compareAndExchange(0, 5, 6));
        assertEquals(6, a.getAndSet(0, 0b1100));
        assertEquals(0b1100, a.getAndAdd(0, 1));
        assertEquals(0b1101, a.getAndBitwiseAnd(0, 0b0110));
        assertEquals(0b0100, a.getAndBitwiseOr(0, 0b0011));
        assertEquals(0b0111, a.getAndBitwiseXor(0, 0b0101));
        assertEquals(0b0010, a.get(0));
    }

    @Test
    void doubleArray_everyOperation() {
        SharedBuffer buffer = SharedBuffer.allocate(32);
        DoubleArray a = buffer.asDoubleArray();
        a.set(0, 1.5);
        assertEquals(1.5, a.get(0));
        a.setOpaque(1, 2.5);
        assertEquals(2.5, a.getOpaque(1));
        a.setRelease(2, 3.5);
        assertEquals(3.5, a.getAcquire(2));
        a.setVolatile(3, 4.5);
        assertEquals(4.5, a.getVolatile(3));
        assertTrue(a.compareAndSet(0, 1.5, 2.0));
        assertEquals(2.0, a.compareAndExchange(0, 2.0, 3.0));
        assertEquals(3.0, a.getAndSet(0, 10.0));
        assertEquals(10.0, a.getAndAdd(0, 0.25));
        assertEquals(10.25, a.get(0));
        assertSame(buffer, a.buffer());
    }

    @Test
    void views_overSlice_seeSameMemory() {
        SharedBuffer buffer = SharedBuffer.allocate(64);
        LongArray slice = buffer.slice(16, 16).asLongArray();
        slice.set(1, -1L);
        assertEquals(-1, buffer.asIntArray(24, 2).get(0));
        assertEquals(-1L, buffer.asLongArray().get(3));
    }

    @Test
    void intArray_indexOutOfBounds_throws() {
        IntArray a = SharedBuffer.allocate(32).asIntArray();
        var e = assertThrows(IndexOutOfBoundsException.class, () -> a.get(12));
        assertEquals("index out of bounds: index=12, length=8", e.getMessage());
    }

    @Test
    void longArray_negativeIndex_throws() {
        LongArray a = SharedBuffer.allocate(32).asLongArray();
        var e = assertThrows(IndexOutOfBoundsException.class, () -> a.getAndAdd(-1, 1));
        assertEquals("index out of bounds: index=-1, length=4", e.getMessage());
    }

    @Test
    void doubleArray_indexOutOfBounds_throws() {
        DoubleArray a = SharedBuffer.allocate(8).asDoubleArray();
        var e = assertThrows(IndexOutOfBoundsException.class, () -> a.setVolatile(1, 1.0));
        assertEquals("index out of bounds: index=1, length=1", e.getMessage());
    }

    @Test
    void bulkCopy_intsLongsDoubles_roundTrip() {
        SharedBuffer buffer = SharedBuffer.allocate(64);
        buffer.asIntArray().copyFrom(2, new int[] {7, 8, 9}, 0, 3);
        int[] ints = new int[3];
        buffer.asIntArray().copyTo(2, ints, 0, 3);
        assertArrayEquals(new int[] {7, 8, 9}, ints);
        buffer.asLongArray().copyFrom(4, new long[] {1, 2}, 0, 2);
        long[] longs = new long[4];
        buffer.asLongArray().copyTo(4, longs, 2, 2);
        assertArrayEquals(new long[] {0, 0, 1, 2}, longs);
        buffer.asDoubleArray().copyFrom(0, new double[] {0.5}, 0, 1);
        double[] doubles = new double[1];
        buffer.asDoubleArray().copyTo(0, doubles, 0, 1);
        assertArrayEquals(new double[] {0.5}, doubles);
    }

    @Test
    void bulkCopy_viewRangeOutOfBounds_throws() {
        IntArray a = SharedBuffer.allocate(16).asIntArray();
        var e = assertThrows(IndexOutOfBoundsException.class, () -> a.copyFrom(2, new int[3], 0, 3));
        assertEquals("range out of bounds: index=2, count=3, length=4", e.getMessage());
    }

    @Test
    void getAndAdd_concurrentThreads_sumIsExact() throws Exception {
        IntArray a = SharedBuffer.allocate(8).asIntArray();
        LongArray l = SharedBuffer.allocate(8).asLongArray();
        DoubleArray d = SharedBuffer.allocate(8).asDoubleArray();
        runConcurrently(() -> {
            for (int i = 0; i < ADDS; i++) {
                a.getAndAdd(0, 1);
                l.getAndAdd(0, 1);
                d.getAndAdd(0, 1.0);
            }
        });
        assertEquals(THREADS * ADDS, a.getVolatile(0), "int getAndAdd lost updates");
        assertEquals(THREADS * ADDS, l.getVolatile(0), "long getAndAdd lost updates");
        assertEquals(THREADS * ADDS, d.getVolatile(0), "double getAndAdd lost updates");
    }

    @Test
    void compareAndSet_concurrentIncrements_sumIsExact() throws Exception {
        IntArray a = SharedBuffer.allocate(8).asIntArray();
        runConcurrently(() -> {
            for (int i = 0; i < ADDS; i++) {
                int v;
                do {
                    v = a.getVolatile(1);
                } while (!a.compareAndSet(1, v, v + 1));
            }
        });
        assertEquals(THREADS * ADDS, a.getVolatile(1), "compareAndSet increments lost updates");
    }

    private static void runConcurrently(Runnable body) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    body.run();
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : futures) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
