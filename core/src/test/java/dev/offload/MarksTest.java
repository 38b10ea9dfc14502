package dev.offload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.offload.shm.TransferableBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** {@link Worker#markAsUncloneable} and {@link Worker#markAsUntransferable}: a marked value never crosses. */
class MarksTest {
    record Holder(Object inside) {}

    @Test
    void aMarkedObject_isRefusedWithItsPath_asATaskInput_orInsideOne_andEqualUnmarkedOnesStillCross() {
        ArrayList<Integer> marked = new ArrayList<>(List.of(1, 2));
        Worker.markAsUncloneable(marked);
        ArrayList<Integer> equalButOther = new ArrayList<>(List.of(1, 2));
        try (WorkerPool pool = WorkerPool.create(1)) {
            NotSendableException direct = assertThrows(NotSendableException.class, () -> pool.submit(x -> 0, marked));
            assertEquals("input", direct.path());
            assertTrue(direct.getMessage().contains("markAsUncloneable"), direct.getMessage());
            NotSendableException nested = assertThrows(
                    NotSendableException.class, () -> pool.submit(x -> 0, Map.of("k", List.of(0, marked))));
            assertTrue(nested.path().startsWith("input"), nested.path());
            assertTrue(nested.path().endsWith("[1]"), nested.path());
            Holder record = new Holder("immutable");
            Worker.markAsUncloneable(record);
            assertThrows(NotSendableException.class, () -> pool.submit(x -> 0, record));
            assertEquals(List.of(1, 2), pool.submit(x -> x, equalButOther).join(), "marks are by identity");
        }
    }

    @Test
    void aMarkedBuffer_neverMoves_inATaskInput_orAMessage_andItsHolderKeepsIt() {
        TransferableBuffer buffer = TransferableBuffer.allocate(8);
        assertFalse(Worker.isMarkedAsUntransferable(buffer));
        Worker.markAsUntransferable(buffer);
        assertTrue(Worker.isMarkedAsUntransferable(buffer));
        try (WorkerPool pool = WorkerPool.create(1);
                EventLoop loop = EventLoop.start("marks")) {
            NotSendableException input = assertThrows(NotSendableException.class, () -> pool.submit(b -> 0, buffer));
            assertTrue(input.getMessage().contains("markAsUntransferable"), input.getMessage());
            MessageChannel channel = new MessageChannel();
            CompletableFuture<Throwable> posted = new CompletableFuture<>();
            loop.execute(() -> {
                try {
                    channel.port1().postMessage(List.of(buffer), buffer);
                    posted.complete(null);
                } catch (Throwable t) {
                    posted.complete(t);
                }
            });
            Throwable t = posted.join();
            assertInstanceOf(NotSendableException.class, t);
            assertEquals("message[0]", ((NotSendableException) t).path());
            assertFalse(buffer.isDetached(), "the holder keeps it");
            CompletableFuture<Integer> output = pool.submit(
                            x -> {
                                TransferableBuffer other = TransferableBuffer.allocate(4);
                                Worker.markAsUntransferable(other);
                                return other;
                            },
                            0)
                    .thenApply(b -> 1);
            CompletionException fromWorker = assertThrows(CompletionException.class, output::join);
            assertInstanceOf(NotSendableException.class, fromWorker.getCause(), "a marked output is refused too");
        }
    }
}
