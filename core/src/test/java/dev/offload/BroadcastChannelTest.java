package dev.offload;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.offload.shm.TransferableBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link BroadcastChannel} across event loops, as a hostile caller would use it. */
class BroadcastChannelTest {
    private final List<EventLoop> loops = new ArrayList<>();

    @BeforeEach
    void start() {
        for (int i = 0; i < 4; i++) {
            loops.add(EventLoop.start("bc-" + i));
        }
    }

    @AfterEach
    void stop() {
        loops.forEach(EventLoop::close);
    }

    @Test
    void everyOtherOpenChannelOfTheName_getsEachMessageOnce_inOrder_onItsOwnLoop_withItsOwnCopy() {
        String name = "fan-out-" + System.nanoTime();
        List<List<Object>> got = new ArrayList<>();
        List<BroadcastChannel> channels = new ArrayList<>();
        for (EventLoop loop : loops) {
            List<Object> mine = Collections.synchronizedList(new ArrayList<>());
            got.add(mine);
            channels.add(Await.onLoop(loop, () -> {
                BroadcastChannel c = new BroadcastChannel(name);
                c.onMessage(m -> mine.add(loop.inEventLoop() ? m : "off its loop"));
                return c;
            }));
        }
        BroadcastChannel otherName = Await.onLoop(loops.get(1), () -> {
            BroadcastChannel c = new BroadcastChannel(name + "-other");
            c.onMessage(m -> got.get(1).add("wrong group: " + m));
            return c;
        });
        int[] payload = {7, 8};
        Await.onLoop(loops.get(0), () -> {
            for (int i = 0; i < 100; i++) {
                channels.get(0).postMessage(i);
            }
            channels.get(0).postMessage(payload);
            return null;
        });
        for (int r = 1; r < 4; r++) {
            List<Object> mine = got.get(r);
            Await.until(() -> mine.size() == 101, "101 messages on receiver " + r);
            for (int i = 0; i < 100; i++) {
                assertEquals(i, mine.get(i), "receiver " + r + ", message " + i);
            }
            assertArrayEquals(payload, (int[]) mine.get(100));
        }
        assertNotSame(got.get(1).get(100), got.get(2).get(100), "each receiver has its own copy");
        Await.onLoop(loops.get(0), () -> "a pass of the sender's loop");
        assertEquals(List.of(), got.get(0), "the sender does not receive its own messages");
        channels.forEach(BroadcastChannel::close);
        otherName.close();
    }

    @Test
    void aChannelOpenedAfterAPost_orClosedBeforeDelivery_getsNothing() {
        String name = "late-" + System.nanoTime();
        BroadcastChannel sender = Await.onLoop(loops.get(0), () -> new BroadcastChannel(name));
        List<Object> closedOnes = Collections.synchronizedList(new ArrayList<>());
        BroadcastChannel closing = Await.onLoop(loops.get(1), () -> {
            BroadcastChannel c = new BroadcastChannel(name);
            c.onMessage(closedOnes::add);
            return c;
        });
        closing.close(); // from the test thread: any thread
        Await.onLoop(loops.get(0), () -> {
            sender.postMessage("before the late one opened");
            return null;
        });
        List<Object> late = Collections.synchronizedList(new ArrayList<>());
        BroadcastChannel lateOne = Await.onLoop(loops.get(2), () -> {
            BroadcastChannel c = new BroadcastChannel(name);
            c.onMessage(late::add);
            return c;
        });
        Await.onLoop(loops.get(0), () -> {
            sender.postMessage("after");
            return null;
        });
        Await.until(() -> late.size() == 1, "the late channel's one message");
        assertEquals(List.of("after"), late);
        Await.onLoop(loops.get(1), () -> "a pass of the closed channel's loop");
        assertEquals(List.of(), closedOnes, "a closed channel receives nothing");
        Throwable afterClose = Await.thrownOn(loops.get(1), () -> closing.postMessage("x"));
        assertInstanceOf(IllegalStateException.class, afterClose);
        sender.close();
        lateOne.close();
    }

    @Test
    void badInput_clearErrors_nothingDelivered() {
        String name = "bad-" + System.nanoTime();
        IllegalStateException offLoop = assertThrows(IllegalStateException.class, () -> new BroadcastChannel(name));
        assertTrue(offLoop.getMessage().contains("loop.execute"), offLoop.getMessage());
        BroadcastChannel sender = Await.onLoop(loops.get(0), () -> new BroadcastChannel(name));
        List<Object> got = Collections.synchronizedList(new ArrayList<>());
        BroadcastChannel receiver = Await.onLoop(loops.get(1), () -> {
            BroadcastChannel c = new BroadcastChannel(name);
            c.onMessage(got::add);
            return c;
        });
        Throwable wrongLoop = Await.thrownOn(loops.get(1), () -> sender.postMessage("from the wrong loop"));
        assertTrue(wrongLoop.getMessage().contains("'bc-0'"), wrongLoop.getMessage());
        Throwable unsendable = Await.thrownOn(loops.get(0), () -> sender.postMessage(List.of("ok", new Object())));
        assertInstanceOf(NotSendableException.class, unsendable);
        TransferableBuffer buffer = TransferableBuffer.allocate(8);
        Throwable buffered = Await.thrownOn(loops.get(0), () -> sender.postMessage(buffer));
        assertTrue(buffered.getMessage().contains("cannot move to many"), buffered.getMessage());
        assertTrue(!buffer.isDetached());
        MessageChannel channel = new MessageChannel();
        Throwable ported = Await.thrownOn(loops.get(0), () -> sender.postMessage(List.of(channel.port1())));
        assertTrue(ported.getMessage().contains("a port cannot move to many receivers"), ported.getMessage());
        assertTrue(ported.getMessage().contains("path=message[0]"), ported.getMessage());
        assertTrue(!channel.port1().isClosed());
        Await.onLoop(loops.get(0), () -> {
            sender.postMessage("good");
            return null;
        });
        Await.until(() -> got.size() == 1, "the good message");
        Await.onLoop(loops.get(1), () -> "a pass");
        assertEquals(List.of("good"), got);
        sender.close();
        sender.close(); // idempotent
        receiver.close();
    }

    static void broadcastOnce(MessagePort parentPort, Object workerData) {
        BroadcastChannel channel = new BroadcastChannel((String) workerData);
        channel.postMessage("hello from " + Thread.currentThread().getName());
        channel.close();
    }

    static void listenForever(MessagePort parentPort, Object workerData) {
        new BroadcastChannel((String) workerData).onMessage(m -> {});
    }

    @Test
    void workers_broadcast_andAnOpenChannelWithAHandler_keepsAWorkerRunning() {
        String name = "workers-" + System.nanoTime();
        EventLoop main = loops.get(0);
        List<Object> got = Collections.synchronizedList(new ArrayList<>());
        CompletableFuture<Integer> listenerExit = new CompletableFuture<>();
        Worker listener = Await.onLoop(main, () -> {
            BroadcastChannel c = new BroadcastChannel(name);
            c.onMessage(got::add);
            for (int i = 0; i < 5; i++) {
                Worker.builder(BroadcastChannelTest::broadcastOnce)
                        .workerData(name)
                        .name("bc-worker-" + i)
                        .start();
            }
            return Worker.start(BroadcastChannelTest::listenForever, name).onExit(listenerExit::complete);
        });
        Await.until(() -> got.size() == 5, "a hello from each of 5 workers");
        assertTrue(got.contains("hello from bc-worker-3"), got.toString());
        assertTrue(!listenerExit.isDone(), "a worker with an open channel and a handler keeps running");
        assertEquals(1, Await.result(listener.terminate().toCompletableFuture(), "the listener's terminate"));
    }
}
