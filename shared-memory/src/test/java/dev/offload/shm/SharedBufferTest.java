package dev.offload.shm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.offload.shm.internal.WaitTable;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

class SharedBufferTest {
    private static final String IN_USE =
            "buffer in use by an I/O operation or native call: byteLength=16; close it after the operation returns";
    private static final Duration LONG_WAIT = Duration.ofSeconds(30);
    private static final int CROSS_CLOSE_ROUNDS = 3_000;

    @Test
    void allocate_zeroedWithLength() {
        SharedBuffer buffer = SharedBuffer.allocate(24);
        assertEquals(24, buffer.byteLength());
        LongArray longs = buffer.asLongArray();
        for (int i = 0; i < 3; i++) {
            assertEquals(0, longs.get(i), "element " + i + " not zeroed");
        }
        assertFalse(buffer.isCloseable());
        assertFalse(buffer.isMapped());
    }

    @Test
    void allocate_zeroLength_isEmpty() {
        assertEquals(0, SharedBuffer.allocate(0).asIntArray().length());
    }

    @Test
    void allocate_negativeLength_throws() {
        var e = assertThrows(IllegalArgumentException.class, () -> SharedBuffer.allocate(-1));
        assertEquals("byteLength must be >= 0: byteLength=-1", e.getMessage());
    }

    @Test
    void allocateCloseable_negativeLength_throws() {
        var e = assertThrows(IllegalArgumentException.class, () -> SharedBuffer.allocateCloseable(-5));
        assertEquals("byteLength must be >= 0: byteLength=-5", e.getMessage());
    }

    @Test
    void allocate_overflowingLength_throwsAndCorruptsNothing() {
        assertThrows(OutOfMemoryError.class, () -> SharedBuffer.allocate(Long.MAX_VALUE / 2));
        var e = assertThrows(IllegalArgumentException.class, () -> SharedBuffer.allocate(Long.MAX_VALUE - 7));
        assertEquals(
                "byteLength + alignment must not exceed Long.MAX_VALUE: byteLength=9223372036854775800, alignment=8",
                e.getMessage());
    }

    @Test
    void allocate_alignmentNotPowerOfTwo_throws() {
        var e = assertThrows(IllegalArgumentException.class, () -> SharedBuffer.allocate(8, 24));
        assertEquals("alignment must be a power of two >= 8: alignment=24", e.getMessage());
    }

    @Test
    void allocate_lengthPlusAlignmentPastLongMax_throwsWithBoth() {
        long alignment = 1L << 62;
        var e = assertThrows(
                IllegalArgumentException.class, () -> SharedBuffer.allocateCloseable(Long.MAX_VALUE - 7, alignment));
        assertEquals(
                "byteLength + alignment must not exceed Long.MAX_VALUE: byteLength=9223372036854775800, alignment="
                        + alignment,
                e.getMessage());
    }

    @Test
    void allocate_cacheLine_addressIsAligned() {
        SharedBuffer buffer = SharedBuffer.allocate(8, SharedBuffer.CACHE_LINE);
        assertEquals(0, buffer.segment().address() % SharedBuffer.CACHE_LINE);
        try (SharedBuffer closeable = SharedBuffer.allocateCloseable(8, SharedBuffer.CACHE_LINE)) {
            assertEquals(0, closeable.segment().address() % SharedBuffer.CACHE_LINE);
        }
    }

    @Test
    void slice_sharesMemory() {
        SharedBuffer buffer = SharedBuffer.allocate(32);
        SharedBuffer slice = buffer.slice(8, 16);
        slice.asIntArray().set(1, 42);
        assertEquals(16, slice.byteLength());
        assertEquals(42, buffer.asIntArray().get(3));
    }

    @Test
    void slice_outOfBounds_throws() {
        SharedBuffer buffer = SharedBuffer.allocate(16);
        var e = assertThrows(IndexOutOfBoundsException.class, () -> buffer.slice(8, 9));
        assertEquals("slice out of bounds: offset=8, length=9, byteLength=16", e.getMessage());
    }

    @Test
    void slice_negativeOffset_throws() {
        var e = assertThrows(
                IndexOutOfBoundsException.class, () -> SharedBuffer.allocate(16).slice(-1, 4));
        assertEquals("slice out of bounds: offset=-1, length=4, byteLength=16", e.getMessage());
    }

    @Test
    void asIntArray_misalignedOffset_throws() {
        var e = assertThrows(
                IllegalArgumentException.class, () -> SharedBuffer.allocate(16).asIntArray(3, 1));
        assertEquals("misaligned: byteOffset=3, alignment=4", e.getMessage());
    }

    @Test
    void asLongArray_misalignedSlice_throws() {
        SharedBuffer slice = SharedBuffer.allocate(32).slice(4, 16);
        var e = assertThrows(IllegalArgumentException.class, slice::asLongArray);
        assertEquals("misaligned: byteOffset=0, offsetInAllocation=4, alignment=8", e.getMessage());
    }

    @Test
    void asIntArray_viewWiderThanBuffer_throws() {
        var e = assertThrows(
                IndexOutOfBoundsException.class, () -> SharedBuffer.allocate(16).asIntArray(8, 3));
        assertEquals("view wider than buffer: byteOffset=8, length=3, elementSize=4, byteLength=16", e.getMessage());
    }

    @Test
    void asLongArray_overflowingLength_throws() {
        var e = assertThrows(
                IndexOutOfBoundsException.class, () -> SharedBuffer.allocate(16).asLongArray(0, Long.MAX_VALUE / 4));
        assertTrue(e.getMessage().startsWith("view wider than buffer: byteOffset=0"), e.getMessage());
    }

    @Test
    void asIntArray_negativeLength_throws() {
        var e = assertThrows(
                IllegalArgumentException.class, () -> SharedBuffer.allocate(16).asIntArray(0, -1));
        assertEquals("length must be >= 0: length=-1", e.getMessage());
    }

    @Test
    void asLongArray_lengthNotMultiple_throws() {
        var e = assertThrows(
                IllegalArgumentException.class, () -> SharedBuffer.allocate(12).asLongArray());
        assertEquals("byteLength must be a multiple of the element size: byteLength=12, elementSize=8", e.getMessage());
    }

    @Test
    void copyFromAndTo_roundTrip() {
        SharedBuffer buffer = SharedBuffer.allocate(8);
        buffer.copyFrom(2, new byte[] {9, 1, 2, 3}, 1, 3);
        byte[] out = new byte[5];
        buffer.copyTo(1, out, 0, 5);
        assertArrayEquals(new byte[] {0, 1, 2, 3, 0}, out);
    }

    @Test
    void copyFrom_rangeOutOfBounds_throws() {
        SharedBuffer buffer = SharedBuffer.allocate(8);
        var e = assertThrows(IndexOutOfBoundsException.class, () -> buffer.copyFrom(6, new byte[4], 0, 4));
        assertEquals("range out of bounds: offset=6, length=4, byteLength=8", e.getMessage());
    }

    @Test
    void copyTo_arrayRangeOutOfBounds_throws() {
        SharedBuffer buffer = SharedBuffer.allocate(8);
        var e = assertThrows(IndexOutOfBoundsException.class, () -> buffer.copyTo(0, new byte[4], 2, 3));
        assertEquals("array range out of bounds: arrayIndex=2, count=3, arrayLength=4", e.getMessage());
    }

    @Test
    void asByteBuffer_sharesMemoryInNativeOrder() {
        SharedBuffer buffer = SharedBuffer.allocate(8);
        ByteBuffer bytes = buffer.asByteBuffer();
        assertEquals(ByteOrder.nativeOrder(), bytes.order());
        bytes.putInt(4, 77);
        assertEquals(77, buffer.asIntArray().get(1));
        assertTrue(bytes.isDirect());
    }

    @Test
    void close_thenAccess_throwsIllegalState() {
        SharedBuffer buffer = SharedBuffer.allocateCloseable(16);
        IntArray ints = buffer.asIntArray();
        ByteBuffer bytes = buffer.asByteBuffer();
        buffer.close();
        var e = assertThrows(IllegalStateException.class, () -> ints.get(0));
        assertEquals("buffer closed: byteLength=16", e.getMessage());
        assertThrows(IllegalStateException.class, () -> ints.getAndAdd(0, 1));
        assertThrows(IllegalStateException.class, () -> bytes.get(0));
        assertThrows(IllegalStateException.class, () -> buffer.copyTo(0, new byte[1], 0, 1));
        assertThrows(IllegalStateException.class, buffer::asIntArray);
        assertThrows(IllegalStateException.class, () -> Atomics.notify(ints, 0, 1));
    }

    @Test
    void close_fromAnotherThread_accessHereThrows() throws Exception {
        SharedBuffer buffer = SharedBuffer.allocateCloseable(16);
        IntArray ints = buffer.asIntArray();
        ints.set(0, 5);
        CompletableFuture.runAsync(buffer::close).get(10, TimeUnit.SECONDS);
        assertThrows(IllegalStateException.class, () -> ints.getVolatile(0));
    }

    @Test
    void close_twice_secondDoesNothing() {
        SharedBuffer buffer = SharedBuffer.allocateCloseable(8);
        buffer.close();
        buffer.close();
        assertTrue(buffer.isCloseable());
    }

    @Test
    void close_thenMemoryAccessors_throwIllegalState() {
        SharedBuffer buffer = SharedBuffer.allocateCloseable(16);
        SharedBuffer slice = buffer.slice(8, 8);
        buffer.close();
        List<Executable> accessors = List.of(
                buffer::asByteBuffer,
                buffer::segment,
                () -> buffer.slice(0, 8),
                buffer::asIntArray,
                () -> buffer.asIntArray(0, 1),
                buffer::asLongArray,
                () -> buffer.asLongArray(8, 1),
                buffer::asDoubleArray,
                () -> buffer.asDoubleArray(0, 2),
                () -> buffer.copyFrom(0, new byte[1], 0, 1),
                () -> buffer.copyTo(0, new byte[1], 0, 1));
        for (int i = 0; i < accessors.size(); i++) {
            var e = assertThrows(IllegalStateException.class, accessors.get(i), "accessor " + i);
            assertEquals("buffer closed: byteLength=16", e.getMessage(), "accessor " + i);
        }
        var e = assertThrows(IllegalStateException.class, slice::asByteBuffer);
        assertEquals("buffer closed: byteLength=8", e.getMessage());
        assertThrows(IllegalStateException.class, slice::segment);
        assertEquals(16, buffer.byteLength(), "metadata still answers after close");
        assertTrue(buffer.isCloseable());
    }

    @Test
    void close_duringChannelRead_throwsInUseEveryTimeAndBufferStaysUsable() throws Exception {
        SharedBuffer buffer = SharedBuffer.allocateCloseable(16);
        IntArray ints = buffer.asIntArray();
        try (BlockedChannelRead read = BlockedChannelRead.into(buffer)) {
            for (int attempt = 1; attempt <= 2; attempt++) {
                var e = assertThrows(IllegalStateException.class, buffer::close, "attempt " + attempt);
                assertEquals(IN_USE, e.getMessage(), "attempt " + attempt);
            }
            ints.setVolatile(3, 42);
            assertEquals(42, buffer.asByteBuffer().getInt(12));
            assertEquals(42, buffer.segment().get(ValueLayout.JAVA_INT, 12));
            read.finish((byte) 7);
        }
        assertEquals(7, buffer.asByteBuffer().get(0), "the read landed in the buffer");
        buffer.close();
        var e = assertThrows(IllegalStateException.class, () -> ints.get(3));
        assertEquals("buffer closed: byteLength=16", e.getMessage());
        buffer.close();
    }

    @Test
    void close_afterInUseFailure_freesAndWakesWaiterOnceReadReturns() throws Exception {
        SharedBuffer buffer = SharedBuffer.allocateCloseable(16);
        IntArray ints = buffer.asIntArray();
        CompletableFuture<WaitResult> waiter = Waiters.onThread(() -> Atomics.wait(ints, 1, 0));
        Waiters.awaitRegistered(ints, 1, 1);
        try (BlockedChannelRead read = BlockedChannelRead.into(buffer)) {
            assertThrows(IllegalStateException.class, buffer::close);
            assertEquals(1, WaitTable.waiterCount(ints.address(1)), "a close that failed woke the waiter");
            read.finish((byte) 1);
        }
        buffer.close();
        var e = assertThrows(ExecutionException.class, () -> waiter.get(10, TimeUnit.SECONDS));
        assertEquals("buffer closed: byteLength=16", e.getCause().getMessage());
    }

    @Test
    void close_mappedDuringChannelRead_throwsInUseThenUnmapsAfterRead(@TempDir Path dir) throws Exception {
        SharedBuffer buffer = SharedBuffer.map(dir.resolve("in-use.bin"), 16);
        try (BlockedChannelRead read = BlockedChannelRead.into(buffer)) {
            var e = assertThrows(IllegalStateException.class, buffer::close);
            assertEquals(IN_USE, e.getMessage());
            read.finish((byte) 3);
        }
        assertEquals(3, buffer.asByteBuffer().get(0));
        buffer.close();
        assertThrows(IllegalStateException.class, buffer::asByteBuffer);
    }

    @Test
    void close_gcManagedBuffer_throwsUnsupported() {
        var e = assertThrows(UnsupportedOperationException.class, () -> SharedBuffer.allocate(8)
                .close());
        assertTrue(e.getMessage().startsWith("close of a GC-managed buffer"), e.getMessage());
    }

    @Test
    void close_slice_throwsUnsupported() {
        try (SharedBuffer buffer = SharedBuffer.allocateCloseable(16)) {
            var e = assertThrows(UnsupportedOperationException.class, () -> buffer.slice(0, 8)
                    .close());
            assertEquals("close of a slice: close the buffer it was sliced from", e.getMessage());
        }
    }

    @Test
    void map_createsAndGrowsFile_contentPersists(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("counter.bin");
        try (SharedBuffer buffer = SharedBuffer.map(file, 64)) {
            assertTrue(buffer.isMapped());
            assertEquals(0, buffer.segment().address() % 4096);
            buffer.asLongArray().setVolatile(7, 123L);
        }
        assertEquals(64, Files.size(file));
        try (SharedBuffer again = SharedBuffer.map(file, 64)) {
            assertEquals(123L, again.asLongArray().getVolatile(7));
            assertTrue(again.slice(8, 8).isMapped());
        }
    }

    @Test
    void map_negativeLength_throws(@TempDir Path dir) {
        var e = assertThrows(IllegalArgumentException.class, () -> SharedBuffer.map(dir.resolve("x"), -1));
        assertEquals("byteLength must be >= 0: byteLength=-1", e.getMessage());
    }

    @Test
    void map_unopenableFile_throwsUnchecked(@TempDir Path dir) {
        var e = assertThrows(java.io.UncheckedIOException.class, () -> SharedBuffer.map(dir, 8));
        assertTrue(e.getMessage().startsWith("map failed: file="), e.getMessage());
    }

    @Test
    void close_waitAsyncCallbacksCloseEachOther_bothClosesReturn() throws Exception {
        ExecutorService closers =
                Executors.newFixedThreadPool(2, Thread.ofPlatform().daemon().factory());
        try {
            CyclicBarrier start = new CyclicBarrier(2);
            for (int round = 1; round <= CROSS_CLOSE_ROUNDS; round++) {
                SharedBuffer a = SharedBuffer.allocateCloseable(8);
                SharedBuffer b = SharedBuffer.allocateCloseable(8);
                CompletableFuture<Void> aCallback = closeWhenWaitFails(a, b);
                CompletableFuture<Void> bCallback = closeWhenWaitFails(b, a);
                CompletableFuture<Void> closeA = CompletableFuture.runAsync(() -> closeAtStart(a, start), closers);
                CompletableFuture<Void> closeB = CompletableFuture.runAsync(() -> closeAtStart(b, start), closers);
                awaitReturn(closeA, "close of A", round, closeB, "close of B");
                awaitReturn(closeB, "close of B", round, closeA, "close of A");
                assertTrue(
                        aCallback.isDone(), "A's stage callback had not run when both closes returned: round=" + round);
                assertTrue(
                        bCallback.isDone(), "B's stage callback had not run when both closes returned: round=" + round);
                aCallback.join(); // its close of B returned normally
                bCallback.join();
            }
        } finally {
            closers.shutdown();
        }
    }

    @Test
    void close_waitAsyncCallbackClosesSameBuffer_bothReturn() throws Exception {
        SharedBuffer buffer = SharedBuffer.allocateCloseable(8);
        CompletableFuture<Void> callback = closeWhenWaitFails(buffer, buffer);
        CompletableFuture<Void> close = closeOnThread(buffer);
        awaitReturn(close, "close", 1, callback, "the callback's close");
        assertTrue(callback.isDone(), "the freeing close returned before its stage's callback ran");
        callback.join(); // the re-entrant close returned normally
        assertThrows(IllegalStateException.class, buffer::asIntArray);
    }

    @Test
    void close_onAnotherThreadWhileFreeingCloseRunsCallback_returnsWithoutWaitingForIt() throws Exception {
        SharedBuffer buffer = SharedBuffer.allocateCloseable(8);
        CompletableFuture<Void> otherClose = new CompletableFuture<>();
        Atomics.waitAsync(buffer.asIntArray(), 0, 0, LONG_WAIT).whenComplete((result, failure) -> {
            try {
                closeOnThread(buffer).get(10, TimeUnit.SECONDS);
                otherClose.complete(null);
            } catch (Throwable t) {
                otherClose.completeExceptionally(t);
            }
        });
        buffer.close();
        assertTrue(otherClose.isDone(), "the freeing close returned before its stage's callback ran");
        try {
            otherClose.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof TimeoutException) {
                fail("the other thread's close did not return within 10 s while the freeing close ran the callback");
            }
            throw e;
        }
    }

    /**
     * Waits asynchronously on {@code waitedOn}; when the stage fails, its callback closes {@code toClose}. The result
     * completes once that close returned, or with what went wrong.
     */
    private static CompletableFuture<Void> closeWhenWaitFails(SharedBuffer waitedOn, SharedBuffer toClose) {
        CompletableFuture<Void> closed = new CompletableFuture<>();
        Atomics.waitAsync(waitedOn.asIntArray(), 0, 0, LONG_WAIT).whenComplete((result, failure) -> {
            try {
                Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
                if (!(cause instanceof IllegalStateException)) {
                    throw new AssertionError(
                            "stage did not fail with IllegalStateException: result=" + result + ", failure=" + failure);
                }
                toClose.close();
                closed.complete(null);
            } catch (Throwable t) {
                closed.completeExceptionally(t);
            }
        });
        return closed;
    }

    private static void closeAtStart(SharedBuffer buffer, CyclicBarrier start) {
        try {
            start.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException | BrokenBarrierException | TimeoutException e) {
            throw new AssertionError("the other closer did not reach the start barrier within 10 s", e);
        }
        buffer.close();
    }

    private static CompletableFuture<Void> closeOnThread(SharedBuffer buffer) {
        CompletableFuture<Void> closed = new CompletableFuture<>();
        Thread.ofPlatform().daemon().start(() -> {
            try {
                buffer.close();
                closed.complete(null);
            } catch (Throwable t) {
                closed.completeExceptionally(t);
            }
        });
        return closed;
    }

    /** Waits up to 10 s for {@code close} to return; on timeout fails naming it and whether {@code other} returned. */
    private static void awaitReturn(
            CompletableFuture<Void> close, String name, int round, CompletableFuture<Void> other, String otherName)
            throws Exception {
        try {
            close.get(10, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            fail(name + " did not return within 10 s: round=" + round + ", " + otherName + " returned="
                    + other.isDone());
        }
    }
}
