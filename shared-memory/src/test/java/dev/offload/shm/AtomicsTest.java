package dev.offload.shm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.offload.shm.internal.WaitTable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AtomicsTest {
    private static final Duration LONG_WAIT = Duration.ofSeconds(30);

    @Test
    void javaScriptNames_int_behaveLikeAtomics() {
        IntArray a = SharedBuffer.allocate(8).asIntArray();
        assertEquals(5, Atomics.store(a, 0, 5));
        assertEquals(5, Atomics.add(a, 0, 3));
        assertEquals(8, Atomics.sub(a, 0, 2));
        assertEquals(6, Atomics.and(a, 0, 0b0101));
        assertEquals(4, Atomics.or(a, 0, 0b0011));
        assertEquals(7, Atomics.xor(a, 0, 0b0001));
        assertEquals(6, Atomics.exchange(a, 0, 9));
        assertEquals(9, Atomics.compareExchange(a, 0, 9, 1));
        assertEquals(1, Atomics.compareExchange(a, 0, 9, 2));
        assertEquals(1, Atomics.load(a, 0));
    }

    @Test
    void javaScriptNames_long_behaveLikeAtomics() {
        LongArray a = SharedBuffer.allocate(8).asLongArray();
        assertEquals(5L, Atomics.store(a, 0, 5L));
        assertEquals(5L, Atomics.add(a, 0, 3L));
        assertEquals(8L, Atomics.sub(a, 0, 2L));
        assertEquals(6L, Atomics.and(a, 0, 0b0101L));
        assertEquals(4L, Atomics.or(a, 0, 0b0011L));
        assertEquals(7L, Atomics.xor(a, 0, 0b0001L));
        assertEquals(6L, Atomics.exchange(a, 0, 9L));
        assertEquals(9L, Atomics.compareExchange(a, 0, 9L, 1L));
        assertEquals(1L, Atomics.load(a, 0));
    }

    @Test
    void isLockFree_fourAndEight_only() {
        assertTrue(Atomics.isLockFree(4));
        assertTrue(Atomics.isLockFree(8));
        assertFalse(Atomics.isLockFree(3));
        assertFalse(Atomics.isLockFree(16));
    }

    @Test
    void wait_valueDiffers_returnsNotEqual() throws Exception {
        IntArray a = SharedBuffer.allocate(8).asIntArray();
        a.set(0, 1);
        assertEquals(WaitResult.NOT_EQUAL, Atomics.wait(a, 0, 0, LONG_WAIT));
        assertEquals(WaitResult.NOT_EQUAL, Atomics.wait(a, 0, 0));
    }

    @Test
    void wait_zeroTimeout_returnsTimedOut() throws Exception {
        LongArray a = SharedBuffer.allocate(8).asLongArray();
        assertEquals(WaitResult.TIMED_OUT, Atomics.wait(a, 0, 0L, Duration.ZERO));
    }

    @Test
    void wait_shortTimeoutNoNotify_returnsTimedOut() throws Exception {
        IntArray a = SharedBuffer.allocate(8).asIntArray();
        assertEquals(WaitResult.TIMED_OUT, Atomics.wait(a, 0, 0, Duration.ofMillis(20)));
        assertEquals(0, WaitTable.waiterCount(a.address(0)), "timed-out waiter left registered");
    }

    @Test
    void wait_negativeTimeout_throws() {
        IntArray a = SharedBuffer.allocate(8).asIntArray();
        var e = assertThrows(IllegalArgumentException.class, () -> Atomics.wait(a, 0, 0, Duration.ofSeconds(-1)));
        assertEquals("timeout must be >= 0: timeout=PT-1S", e.getMessage());
    }

    @Test
    void wait_indexOutOfBounds_throws() {
        IntArray a = SharedBuffer.allocate(8).asIntArray();
        var e = assertThrows(IndexOutOfBoundsException.class, () -> Atomics.wait(a, 2, 0, LONG_WAIT));
        assertEquals("index out of bounds: index=2, length=2", e.getMessage());
    }

    @Test
    void notify_negativeCount_throws() {
        IntArray a = SharedBuffer.allocate(8).asIntArray();
        var e = assertThrows(IllegalArgumentException.class, () -> Atomics.notify(a, 0, -1));
        assertEquals("count must be >= 0: count=-1", e.getMessage());
    }

    @Test
    void notify_noWaiters_returnsZero() {
        IntArray a = SharedBuffer.allocate(8).asIntArray();
        assertEquals(0, Atomics.notify(a, 0, 1));
        assertEquals(0, Atomics.notify(a, 1));
    }

    @Test
    void waitThenNotify_otherThread_waiterReturnsOk() throws Exception {
        IntArray a = SharedBuffer.allocate(8).asIntArray();
        CompletableFuture<WaitResult> waiter = Waiters.onThread(() -> Atomics.wait(a, 0, 0, LONG_WAIT));
        Waiters.awaitRegistered(a, 0, 1);
        Atomics.store(a, 0, 1);
        assertEquals(1, Atomics.notify(a, 0, 1), "notify did not wake the registered waiter");
        assertEquals(WaitResult.OK, waiter.get(10, TimeUnit.SECONDS));
    }

    @Test
    void wait_longArrayNoTimeout_wokenByNotify() throws Exception {
        LongArray a = SharedBuffer.allocate(16).asLongArray();
        CompletableFuture<WaitResult> waiter = Waiters.onThread(() -> Atomics.wait(a, 1, 0L));
        Waiters.awaitRegistered(a, 1, 1);
        assertEquals(1, Atomics.notify(a, 1));
        assertEquals(WaitResult.OK, waiter.get(10, TimeUnit.SECONDS));
    }

    @Test
    void notify_countTwoOfThree_wakesExactlyTwo() throws Exception {
        IntArray a = SharedBuffer.allocate(8).asIntArray();
        List<CompletableFuture<WaitResult>> waiters = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            waiters.add(Waiters.onThread(() -> Atomics.wait(a, 0, 0, LONG_WAIT)));
        }
        Waiters.awaitRegistered(a, 0, 3);
        assertEquals(2, Atomics.notify(a, 0, 2));
        assertEquals(1, WaitTable.waiterCount(a.address(0)), "notify(2) must leave one of three waiting");
        assertEquals(1, Atomics.notify(a, 0, 5));
        for (CompletableFuture<WaitResult> w : waiters) {
            assertEquals(WaitResult.OK, w.get(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void notify_otherElement_wakesNobody() throws Exception {
        IntArray a = SharedBuffer.allocate(8).asIntArray();
        CompletableFuture<WaitResult> waiter = Waiters.onThread(() -> Atomics.wait(a, 0, 0, LONG_WAIT));
        Waiters.awaitRegistered(a, 0, 1);
        assertEquals(0, Atomics.notify(a, 1, 1));
        assertFalse(waiter.isDone(), "a notify on element 1 woke a waiter on element 0");
        assertEquals(1, Atomics.notify(a, 0, 1));
        assertEquals(WaitResult.OK, waiter.get(10, TimeUnit.SECONDS));
    }

    @Test
    void wait_interrupted_throwsInterruptedException() throws Exception {
        IntArray a = SharedBuffer.allocate(8).asIntArray();
        CompletableFuture<Thread> thread = new CompletableFuture<>();
        CompletableFuture<WaitResult> waiter = Waiters.onThread(() -> {
            thread.complete(Thread.currentThread());
            return Atomics.wait(a, 0, 0, LONG_WAIT);
        });
        Waiters.awaitRegistered(a, 0, 1);
        thread.get(10, TimeUnit.SECONDS).interrupt();
        var e = assertThrows(ExecutionException.class, () -> waiter.get(10, TimeUnit.SECONDS));
        assertInstanceOf(InterruptedException.class, e.getCause());
        assertEquals(0, WaitTable.waiterCount(a.address(0)), "interrupted waiter left registered");
    }

    @Test
    void wait_bufferClosed_waiterThrowsIllegalState() throws Exception {
        SharedBuffer buffer = SharedBuffer.allocateCloseable(8);
        IntArray a = buffer.asIntArray();
        CompletableFuture<WaitResult> waiter = Waiters.onThread(() -> Atomics.wait(a, 0, 0, LONG_WAIT));
        CompletionStage<WaitResult> async = Atomics.waitAsync(a, 1, 0, LONG_WAIT);
        Waiters.awaitRegistered(a, 0, 1);
        buffer.close();
        var e = assertThrows(ExecutionException.class, () -> waiter.get(10, TimeUnit.SECONDS));
        assertEquals("buffer closed: byteLength=8", e.getCause().getMessage());
        var e2 = assertThrows(
                ExecutionException.class, () -> async.toCompletableFuture().get(10, TimeUnit.SECONDS));
        assertInstanceOf(IllegalStateException.class, e2.getCause());
    }

    @Test
    void waitAsync_notified_completesOkOnce() throws Exception {
        IntArray a = SharedBuffer.allocate(8).asIntArray();
        AtomicInteger completions = new AtomicInteger();
        CompletionStage<WaitResult> stage = Atomics.waitAsync(a, 0, 0, LONG_WAIT);
        stage.whenComplete((r, t) -> completions.incrementAndGet());
        assertFalse(stage.toCompletableFuture().isDone(), "waitAsync completed before any notify");
        assertEquals(1, Atomics.notify(a, 0, 1));
        assertEquals(0, Atomics.notify(a, 0, 1), "an async waiter was woken twice");
        assertEquals(WaitResult.OK, stage.toCompletableFuture().get(10, TimeUnit.SECONDS));
        assertEquals(1, completions.get());
    }

    /** As {@code Atomics.notify} resolves {@code waitAsync} promises in JavaScript: in the order they began waiting. */
    @Test
    void notify_completesAsyncWaiters_oldestFirst() {
        IntArray a = SharedBuffer.allocate(8).asIntArray();
        List<Integer> order = new ArrayList<>(); // the completions run on this thread, in notify
        for (int i = 0; i < 5; i++) {
            int id = i;
            Atomics.waitAsync(a, 0, 0, LONG_WAIT).thenAccept(r -> order.add(id));
        }
        assertEquals(3, Atomics.notify(a, 0, 3));
        assertEquals(List.of(0, 1, 2), order, "the three oldest, oldest first");
        assertEquals(2, Atomics.notify(a, 0));
        assertEquals(List.of(0, 1, 2, 3, 4), order);
    }

    @Test
    void waitAsync_timeout_completesTimedOut() throws Exception {
        LongArray a = SharedBuffer.allocate(8).asLongArray();
        CompletionStage<WaitResult> stage = Atomics.waitAsync(a, 0, 0L, Duration.ofMillis(10));
        assertEquals(WaitResult.TIMED_OUT, stage.toCompletableFuture().get(10, TimeUnit.SECONDS));
        assertEquals(0, Atomics.notify(a, 0, 1), "timed-out async waiter left registered");
    }

    @Test
    void waitAsync_notEqualOrZeroTimeout_completesAtOnce() throws Exception {
        IntArray a = SharedBuffer.allocate(8).asIntArray();
        a.set(0, 3);
        assertEquals(WaitResult.NOT_EQUAL, done(Atomics.waitAsync(a, 0, 0, LONG_WAIT)));
        assertEquals(WaitResult.TIMED_OUT, done(Atomics.waitAsync(a, 0, 3, Duration.ZERO)));
    }

    @Test
    void waitAsync_negativeTimeout_throws() {
        IntArray a = SharedBuffer.allocate(8).asIntArray();
        var e = assertThrows(IllegalArgumentException.class, () -> Atomics.waitAsync(a, 0, 0, Duration.ofNanos(-1)));
        assertEquals("timeout must be >= 0: timeout=PT-0.000000001S", e.getMessage());
    }

    @Test
    void wait_mappedBuffer_returnsOkWhenValueChangesWithoutNotify(
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        try (SharedBuffer buffer = SharedBuffer.map(dir.resolve("cell"), 8)) {
            IntArray a = buffer.asIntArray();
            CompletableFuture<WaitResult> waiter = Waiters.onThread(() -> Atomics.wait(a, 0, 0, LONG_WAIT));
            CompletionStage<WaitResult> async = Atomics.waitAsync(a, 0, 0, LONG_WAIT);
            Waiters.awaitRegistered(a, 0, 2);
            a.setVolatile(0, 1); // no notify: another process could have written it
            assertEquals(WaitResult.OK, waiter.get(10, TimeUnit.SECONDS), "polling waiter missed the change");
            assertEquals(WaitResult.OK, async.toCompletableFuture().get(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void readmeExample_twoThreadsShareCounterAndWakeEachOther() throws Exception {
        IntArray counter = SharedBuffer.allocate(Integer.BYTES).asIntArray();
        Thread.ofPlatform().start(() -> {
            try {
                Atomics.wait(counter, 0, 0);
            } catch (InterruptedException e) {
                return;
            }
            Atomics.add(counter, 0, 1);
            Atomics.notify(counter, 0);
        });
        Atomics.add(counter, 0, 1);
        Atomics.notify(counter, 0);
        assertTrue(Atomics.wait(counter, 0, 1, LONG_WAIT) != WaitResult.TIMED_OUT, "the thread never woke main");
        assertEquals(2, Atomics.load(counter, 0));
    }

    private static WaitResult done(CompletionStage<WaitResult> stage) {
        CompletableFuture<WaitResult> f = stage.toCompletableFuture();
        assertTrue(f.isDone(), "stage not complete at once");
        return f.join();
    }
}
