package dev.offload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.offload.shm.TransferableBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link Worker#postMessageToThread}: a loop reaches another by thread id, with acknowledgement and a timeout. */
class ThreadMessageTest {
    private static final Duration SECONDS_5 = Duration.ofSeconds(5);
    private EventLoop sender;
    private EventLoop receiver;

    @BeforeEach
    void loops() {
        sender = EventLoop.start("tm-sender");
        receiver = EventLoop.start("tm-receiver");
    }

    @AfterEach
    void close() {
        sender.close();
        receiver.close();
    }

    private ThreadMessageException failureOf(int threadId, Object message, Duration timeout) {
        CompletableFuture<Void> stage =
                Await.onLoop(sender, () -> Worker.postMessageToThread(threadId, message, timeout)
                        .toCompletableFuture());
        Throwable t = Await.failure(stage, "a message that is not handled");
        return assertInstanceOf(ThreadMessageException.class, t);
    }

    @Test
    void aMessageByThreadId_reachesTheHandlerOnTheReceiversLoop_withTheSendersId_andTheStageCompletesAfter() {
        List<Object> got = new CopyOnWriteArrayList<>();
        Await.onLoop(receiver, () -> {
            Worker.onThreadMessage((m, source) -> got.add(
                    m + " from " + source + " on " + Thread.currentThread().getName()));
            return null;
        });
        CompletableFuture<Void> stage =
                Await.onLoop(sender, () -> Worker.postMessageToThread(receiver.threadId(), "hi", SECONDS_5)
                        .toCompletableFuture());
        Await.result(stage, "the acknowledgement");
        assertEquals(List.of("hi from " + sender.threadId() + " on tm-receiver"), got, "handled before the stage");
    }

    static void listen(MessagePort parentPort, Object workerData) {
        Worker.onThreadMessage((m, source) -> parentPort.postMessage("worker got " + m));
        parentPort.onMessage(m -> {}); // stays until terminated
    }

    @Test
    void aWorker_isReachedByItsThreadId() {
        CompletableFuture<Object> relayed = new CompletableFuture<>();
        Worker w = Await.onLoop(
                sender, () -> Worker.start(ThreadMessageTest::listen, null).onMessage(relayed::complete));
        Await.until(
                () -> {
                    CompletableFuture<Void> s =
                            Await.onLoop(sender, () -> Worker.postMessageToThread(w.threadId(), "ping", SECONDS_5)
                                    .toCompletableFuture());
                    try {
                        s.get(5, TimeUnit.SECONDS);
                        return true;
                    } catch (Exception e) { // NO_HANDLER until the worker's main has run
                        return false;
                    }
                },
                "a message the worker handled");
        assertEquals("worker got ping", Await.result(relayed, "the worker's relay"));
        w.close();
    }

    @Test
    void eachFailure_hasItsReason_andNothingMovesToAThreadThatDoesNotExist() throws Exception {
        ThreadMessageException none = failureOf(Integer.MAX_VALUE, "x", SECONDS_5);
        assertEquals(ThreadMessageException.Reason.NO_SUCH_THREAD, none.reason());

        TransferableBuffer buffer = TransferableBuffer.allocate(8);
        CompletableFuture<Void> toNobody =
                Await.onLoop(sender, () -> Worker.postMessageToThread(Integer.MAX_VALUE, buffer, SECONDS_5, buffer)
                        .toCompletableFuture());
        Await.failure(toNobody, "a buffer to nobody");
        assertFalse(buffer.isDetached(), "nothing moved");

        ThreadMessageException noHandler = failureOf(receiver.threadId(), "x", SECONDS_5);
        assertEquals(ThreadMessageException.Reason.NO_HANDLER, noHandler.reason());

        Await.onLoop(receiver, () -> {
            Worker.onThreadMessage((m, source) -> {
                throw new IllegalStateException("handler refuses " + m);
            });
            return null;
        });
        ThreadMessageException threw = failureOf(receiver.threadId(), "x", SECONDS_5);
        assertEquals(ThreadMessageException.Reason.HANDLER_FAILED, threw.reason());
        assertEquals("handler refuses x", threw.getCause().getMessage());

        CountDownLatch release = new CountDownLatch(1);
        List<Object> late = new CopyOnWriteArrayList<>();
        Await.onLoop(receiver, () -> {
            Worker.onThreadMessage((m, source) -> late.add(m));
            return null;
        });
        receiver.execute(() -> {
            try {
                release.await(10, TimeUnit.SECONDS); // the receiver is busy past the timeout
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        ThreadMessageException timedOut = failureOf(receiver.threadId(), "slow", Duration.ofMillis(50));
        assertEquals(ThreadMessageException.Reason.TIMED_OUT, timedOut.reason());
        release.countDown();
        Await.onLoop(receiver, () -> "a pass after the busy callback");
        assertEquals(List.of(), late, "a message whose sender was told it timed out is not handled after");
    }

    @Test
    void aPortSentByThreadId_thatNoHandlerGets_closes_andOneThatArrives_belongsToTheReceiver() {
        MessageChannel unwanted = new MessageChannel();
        CompletableFuture<Void> unwantedClosed = new CompletableFuture<>();
        Await.onLoop(sender, () -> {
            unwanted.port2().onClose(() -> unwantedClosed.complete(null));
            return null;
        });
        CompletableFuture<Void> noHandler = Await.onLoop(sender, () -> Worker.postMessageToThread(
                        receiver.threadId(), unwanted.port1(), SECONDS_5, unwanted.port1())
                .toCompletableFuture());
        Await.failure(noHandler, "a port to a loop with no handler");
        Await.result(unwantedClosed, "onClose of the peer of a port that no handler got");

        MessageChannel wanted = new MessageChannel();
        CompletableFuture<Object> arrived = new CompletableFuture<>();
        Await.onLoop(receiver, () -> {
            Worker.onThreadMessage((m, source) -> arrived.complete(m));
            return null;
        });
        Await.result(
                Await.onLoop(sender, () -> Worker.postMessageToThread(
                                receiver.threadId(), wanted.port1(), SECONDS_5, wanted.port1())
                        .toCompletableFuture()),
                "a port to a loop with a handler");
        MessagePort port = (MessagePort) Await.result(arrived, "the port on the receiver");
        Throwable elsewhere = Await.thrownOn(sender, () -> port.onMessage(m -> {}));
        assertTrue(elsewhere.getMessage().contains("tm-receiver"), elsewhere.getMessage());
    }

    @Test
    void badInput_clearErrors() {
        assertThrows(
                IllegalStateException.class, () -> Worker.postMessageToThread(receiver.threadId(), "x", SECONDS_5));
        CompletableFuture<Object> self = new CompletableFuture<>();
        sender.execute(() -> {
            try {
                Worker.postMessageToThread(sender.threadId(), "x", SECONDS_5);
                self.complete(null);
            } catch (Throwable t) {
                self.complete(t);
            }
        });
        Object t = Await.result(self, "a post to itself");
        assertInstanceOf(IllegalArgumentException.class, t);
        assertTrue(((Throwable) t).getMessage().contains("itself"));
        assertThrows(IllegalStateException.class, () -> Worker.onThreadMessage((m, s) -> {}));
    }
}
