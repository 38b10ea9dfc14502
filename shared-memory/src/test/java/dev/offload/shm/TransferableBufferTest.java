package dev.offload.shm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class TransferableBufferTest {
    private static final String TRANSFERRED =
            "buffer was transferred: detached=true, byteLength()=0, heldBytes=16; use the handle transfer() returned";

    @Test
    void transfer_movesMemoryToNewHandle() {
        TransferableBuffer sender = TransferableBuffer.allocate(16);
        sender.setInt(0, 7);
        sender.setLong(8, -2L);
        sender.setByte(4, (byte) 3);
        TransferableBuffer receiver = sender.transfer();
        assertTrue(sender.isDetached());
        assertFalse(receiver.isDetached());
        assertEquals(0, sender.byteLength(), "a detached handle reports byteLength 0");
        assertEquals(16, receiver.byteLength());
        assertEquals(7, receiver.getInt(0));
        assertEquals(-2L, receiver.getLong(8));
        assertEquals(3, receiver.getByte(4));
        assertEquals(16, receiver.segment().byteSize());
    }

    @Test
    void detachedHandle_everyUse_throwsTransferred() {
        TransferableBuffer sender = TransferableBuffer.allocate(16);
        sender.transfer();
        List<Runnable> uses = List.of(
                () -> sender.getInt(0),
                () -> sender.setInt(0, 1),
                () -> sender.getLong(0),
                () -> sender.setLong(0, 1),
                () -> sender.getByte(0),
                () -> sender.setByte(0, (byte) 1),
                sender::segment,
                sender::transfer,
                () -> sender.copyFrom(0, new byte[1], 0, 1),
                () -> sender.copyTo(0, new byte[1], 0, 1));
        for (Runnable use : uses) {
            var e = assertThrows(IllegalStateException.class, use::run);
            assertEquals(TRANSFERRED, e.getMessage());
        }
    }

    @Test
    void allocate_negativeLength_throws() {
        var e = assertThrows(IllegalArgumentException.class, () -> TransferableBuffer.allocate(-1));
        assertEquals("byteLength must be >= 0: byteLength=-1", e.getMessage());
    }

    @Test
    void getInt_outOfBounds_throws() {
        TransferableBuffer buffer = TransferableBuffer.allocate(8);
        var e = assertThrows(IndexOutOfBoundsException.class, () -> buffer.getInt(8));
        assertEquals("byteOffset out of bounds: byteOffset=8, size=4, byteLength=8", e.getMessage());
    }

    @Test
    void setLong_misaligned_throws() {
        TransferableBuffer buffer = TransferableBuffer.allocate(16);
        var e = assertThrows(IllegalArgumentException.class, () -> buffer.setLong(4, 1));
        assertEquals("misaligned: byteOffset=4, alignment=8", e.getMessage());
    }

    @Test
    void copyFromAndTo_roundTrip() {
        TransferableBuffer buffer = TransferableBuffer.allocate(4);
        buffer.copyFrom(1, new byte[] {1, 2, 3}, 0, 3);
        byte[] out = new byte[4];
        buffer.transfer().copyTo(0, out, 0, 4);
        assertArrayEquals(new byte[] {0, 1, 2, 3}, out);
    }

    @Test
    void transfer_racingThreads_exactlyOneSucceeds() throws Exception {
        for (int round = 0; round < 200; round++) {
            TransferableBuffer buffer = TransferableBuffer.allocate(8);
            CountDownLatch start = new CountDownLatch(1);
            AtomicInteger won = new AtomicInteger();
            AtomicInteger lost = new AtomicInteger();
            List<CompletableFuture<Void>> racers = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                racers.add(CompletableFuture.runAsync(() -> {
                    try {
                        start.await();
                        buffer.transfer();
                        won.incrementAndGet();
                    } catch (IllegalStateException e) {
                        lost.incrementAndGet();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }));
            }
            start.countDown();
            CompletableFuture.allOf(racers.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
            assertEquals(1, won.get(), "round " + round + ": transfers that succeeded");
            assertEquals(1, lost.get(), "round " + round + ": transfers that threw");
        }
    }
}
