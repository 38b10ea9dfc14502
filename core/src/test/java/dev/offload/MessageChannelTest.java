package dev.offload;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.offload.shm.SharedBuffer;
import dev.offload.shm.TransferableBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link MessageChannel} and {@link MessagePort} between two event loops, used as a hostile caller would. */
class MessageChannelTest {
    private final ConcurrentLinkedQueue<Throwable> uncaught = new ConcurrentLinkedQueue<>();
    private EventLoop a;
    private EventLoop b;

    @BeforeEach
    void loops() {
        a = EventLoop.builder()
                .name("port-a")
                .onUncaughtException(uncaught::add)
                .start();
        b = EventLoop.builder()
                .name("port-b")
                .onUncaughtException(uncaught::add)
                .start();
    }

    @AfterEach
    void close() {
        a.close();
        b.close();
    }

    @Test
    void messages_arriveInOrder_onTheReceivingLoopsThread() {
        MessageChannel channel = new MessageChannel();
        int n = 20_000;
        List<Integer> got = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch all = new CountDownLatch(1);
        AtomicReference<Thread> wrongThread = new AtomicReference<>();
        Await.onLoop(b, () -> {
            channel.port2().onMessage(m -> {
                if (!b.inEventLoop()) {
                    wrongThread.set(Thread.currentThread());
                }
                got.add((Integer) m);
                if (got.size() == n) {
                    all.countDown();
                }
            });
            return null;
        });
        a.execute(() -> {
            for (int i = 0; i < n; i++) {
                channel.port1().postMessage(i);
            }
        });
        Await.latch(all, n + " messages on port2");
        assertNull(wrongThread.get(), "a message handler ran off the receiving loop");
        for (int i = 0; i < n; i++) {
            assertEquals(i, got.get(i), "message " + i + " out of order");
        }
    }

    @Test
    void aMessage_reachesItsReceiver_whileTheCallbackThatPostedItStillRuns() {
        // The posts of a callback share one fence and keep the port's posting flag set until the callback returns;
        // the receiver must still get each message at once, parked or not, not when the sender's callback ends.
        MessageChannel channel = new MessageChannel();
        CountDownLatch received = new CountDownLatch(2);
        Await.onLoop(b, () -> {
            channel.port2().onMessage(m -> received.countDown());
            return null;
        });
        CompletableFuture<Boolean> sawBoth = new CompletableFuture<>();
        a.execute(() -> {
            try {
                channel.port1().postMessage("first");
                Thread.sleep(50); // the receiving loop parks meanwhile (the default idle strategy)
                channel.port1().postMessage("second");
                sawBoth.complete(received.await(Await.SECONDS / 2, TimeUnit.SECONDS)); // still inside the callback
            } catch (Throwable t) {
                sawBoth.completeExceptionally(t);
            }
        });
        assertTrue(
                Await.result(sawBoth, "the posting callback's wait"),
                "the receiver did not get both messages while the callback that posted them was still running");
        assertTrue(uncaught.isEmpty(), "uncaught: " + uncaught);
    }

    @Test
    void aCallbackThatPosts_thenClosesTheReceivingLoop_getsItDelivered_andTheCloseDoesNotWaitForTheCallback() {
        // The callback still holds its port's posting flag while it waits in close(): the receiving loop must deliver
        // what was posted and end, not wait for the callback to return (before, close() waited its 30 s timeout).
        MessageChannel channel = new MessageChannel();
        CompletableFuture<Object> got = new CompletableFuture<>();
        Await.onLoop(b, () -> {
            channel.port2().onMessage(got::complete);
            return null;
        });
        CompletableFuture<Void> closed = new CompletableFuture<>();
        a.execute(() -> {
            try {
                channel.port1().postMessage("last words");
                b.close();
                closed.complete(null);
            } catch (Throwable t) {
                closed.completeExceptionally(t);
            }
        });
        Await.result(closed, "the receiving loop's close, called from the callback that posted to it");
        assertEquals("last words", Await.result(got, "the message posted before the close"));
        assertTrue(uncaught.isEmpty(), "uncaught: " + uncaught);
    }

    @Test
    void messagesPostedBeforeTheHandler_areDeliveredFirst_thenTheRest() {
        MessageChannel channel = new MessageChannel();
        Await.onLoop(a, () -> {
            channel.port1().postMessage("early-1");
            channel.port1().postMessage("early-2");
            return null;
        });
        List<Object> got = Collections.synchronizedList(new ArrayList<>());
        Await.onLoop(b, () -> {
            channel.port2().onMessage(got::add);
            return null;
        });
        Await.onLoop(a, () -> {
            channel.port1().postMessage("late");
            return null;
        });
        Await.until(() -> got.size() == 3, "three messages on port2");
        assertEquals(List.of("early-1", "early-2", "late"), got);
    }

    @Test
    void bothDirections_pingPong_10000RoundTrips() {
        MessageChannel channel = new MessageChannel();
        CompletableFuture<Integer> done = new CompletableFuture<>();
        Await.onLoop(b, () -> {
            channel.port2().onMessage(m -> channel.port2().postMessage((Integer) m + 1));
            return null;
        });
        Await.onLoop(a, () -> {
            channel.port1().onMessage(m -> {
                int v = (Integer) m;
                if (v >= 20_000) {
                    done.complete(v);
                } else {
                    channel.port1().postMessage(v + 1);
                }
            });
            channel.port1().postMessage(0);
            return null;
        });
        // port1 posts the even numbers, port2 answers with the odd ones: 10,000 round trips end at 20,001.
        assertEquals(20_001, Await.result(done, "10,000 round trips"));
    }

    /**
     * Each message is posted after the receiver had time to park (a timer on the sender between an acknowledgement
     * and the next post), so every post races the receiver's park: a lost wake-up leaves a message undelivered.
     */
    @Test
    void postsThatFindTheReceiverParking_eachWakesIt() {
        MessageChannel channel = new MessageChannel();
        int messages = 300;
        CompletableFuture<Integer> done = new CompletableFuture<>();
        java.util.SplittableRandom random = new java.util.SplittableRandom(7);
        Await.onLoop(b, () -> {
            channel.port2().onMessage(m -> channel.port2().postMessage(m));
            return null;
        });
        Await.onLoop(a, () -> {
            channel.port1().onMessage(new java.util.function.Consumer<Object>() {
                @Override
                public void accept(Object m) {
                    int v = (Integer) m;
                    if (v == messages) {
                        done.complete(v);
                        return;
                    }
                    // 0 to 400 µs: around the receiver's spin and yield budgets, and past them (it parks)
                    a.schedule(Duration.ofNanos(random.nextLong(400_000)), () -> channel.port1()
                            .postMessage(v + 1));
                }
            });
            channel.port1().postMessage(0);
            return null;
        });
        assertEquals(messages, Await.result(done, "300 acknowledged posts, each racing the receiver's park"));
    }

    /**
     * A callback that posts and then waits in place for the reply with {@code receiveMessage} (a synchronous request,
     * as Node code does with {@code receiveMessageOnPort}) gets it: the post wakes the parked receiver at once, not
     * when the posting callback returns.
     */
    @Test
    void aCallbackThatPostsThenWaitsInPlace_getsTheReply_fromAParkedReceiver() throws Exception {
        MessageChannel channel = new MessageChannel();
        Await.onLoop(b, () -> {
            channel.port2().onMessage(m -> channel.port2().postMessage("reply to " + m));
            return null;
        });
        Thread.sleep(50); // b has been idle long enough to park
        Object reply = Await.onLoop(a, () -> {
            channel.port1().postMessage("request");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline) {
                java.util.Optional<MessagePort.Received> r = channel.port1().receiveMessage();
                if (r.isPresent()) {
                    return r.get().message();
                }
                Thread.onSpinWait();
            }
            return "no reply within 10 s while the posting callback waited";
        });
        assertEquals("reply to request", reply);
    }

    @Test
    void messages_followTheIsolationRules_copiedSharedOrByReference() {
        MessageChannel channel = new MessageChannel();
        record Point(int x, int y) {}
        int[] array = {1, 2, 3};
        ArrayList<Object> list = new ArrayList<>(List.of("x"));
        list.add(list); // a cycle keeps its shape
        SharedBuffer shared = SharedBuffer.allocate(64);
        Point point = new Point(1, 2);
        List<Object> got = Collections.synchronizedList(new ArrayList<>());
        Await.onLoop(b, () -> {
            channel.port2().onMessage(got::add);
            return null;
        });
        Await.onLoop(a, () -> {
            channel.port1().postMessage(array);
            array[0] = 99; // after the post: the receiver's copy keeps 1
            channel.port1().postMessage(list);
            channel.port1().postMessage(shared);
            channel.port1().postMessage(point);
            return null;
        });
        Await.until(() -> got.size() == 4, "four messages");
        assertArrayEquals(new int[] {1, 2, 3}, (int[]) got.get(0));
        List<?> copy = (List<?>) got.get(1);
        assertNotSame(list, copy);
        assertSame(copy, copy.get(1), "the cycle points at the copy, not at the sender's list");
        assertSame(shared, got.get(2), "a SharedBuffer is shared");
        assertSame(point, got.get(3), "an immutable record crosses by reference");
    }

    @Test
    void transferableBuffer_movesWhenListed_senderDetached_receiverHasTheBytes() {
        MessageChannel channel = new MessageChannel();
        TransferableBuffer buffer = TransferableBuffer.allocate(1 << 20);
        buffer.setInt(0, 42);
        CompletableFuture<Object> got = new CompletableFuture<>();
        Await.onLoop(b, () -> {
            channel.port2().onMessage(got::complete);
            return null;
        });
        Await.onLoop(a, () -> {
            channel.port1().postMessage(List.of("frame", buffer), buffer);
            return null;
        });
        List<?> message = (List<?>) Await.result(got, "the message with the buffer");
        TransferableBuffer received = (TransferableBuffer) message.get(1);
        assertTrue(buffer.isDetached(), "the sender's handle is detached");
        assertFalse(received.isDetached());
        assertEquals(42, received.getInt(0));
        assertThrows(IllegalStateException.class, () -> buffer.getInt(0), "use of the old handle throws");
    }

    @Test
    void badTransferLists_throw_andNothingMoves_nothingArrives() {
        MessageChannel channel = new MessageChannel();
        AtomicInteger arrived = new AtomicInteger();
        Await.onLoop(b, () -> {
            channel.port2().onMessage(m -> arrived.incrementAndGet());
            return null;
        });
        TransferableBuffer inMessage = TransferableBuffer.allocate(16);
        TransferableBuffer other = TransferableBuffer.allocate(16);
        MessagePort port = channel.port1();

        Throwable unlisted = Await.thrownOn(a, () -> port.postMessage(List.of(inMessage)));
        assertInstanceOf(NotSendableException.class, unlisted);
        assertTrue(unlisted.getMessage().contains("path=message[0]"), unlisted.getMessage());
        assertTrue(unlisted.getMessage().contains("transfer list"), unlisted.getMessage());

        Throwable notInMessage = Await.thrownOn(a, () -> port.postMessage(List.of(inMessage), inMessage, other));
        assertInstanceOf(IllegalArgumentException.class, notInMessage);
        assertTrue(notInMessage.getMessage().contains("does not hold"), notInMessage.getMessage());

        Throwable twice = Await.thrownOn(a, () -> port.postMessage(List.of(inMessage), inMessage, inMessage));
        assertInstanceOf(IllegalArgumentException.class, twice);
        assertTrue(twice.getMessage().contains("twice"), twice.getMessage());

        Throwable notABuffer = Await.thrownOn(a, () -> port.postMessage("text", "text"));
        assertInstanceOf(IllegalArgumentException.class, notABuffer);
        assertTrue(notABuffer.getMessage().contains("cannot be transferred"), notABuffer.getMessage());

        Throwable nullEntry = Await.thrownOn(a, () -> port.postMessage("text", (Object) null));
        assertInstanceOf(IllegalArgumentException.class, nullEntry);

        Throwable notSendable = Await.thrownOn(a, () -> port.postMessage(List.of(inMessage, new Object()), inMessage));
        assertInstanceOf(NotSendableException.class, notSendable);

        assertFalse(inMessage.isDetached(), "no refused post moved the buffer");
        assertFalse(other.isDetached());
        TransferableBuffer moved = inMessage.transfer();
        Throwable detached = Await.thrownOn(a, () -> port.postMessage(List.of(inMessage), inMessage));
        assertInstanceOf(IllegalArgumentException.class, detached);
        assertTrue(detached.getMessage().contains("detached"), detached.getMessage());
        assertFalse(moved.isDetached());

        Await.onLoop(a, () -> {
            port.postMessage("the only one that counts");
            return null;
        });
        Await.until(() -> arrived.get() == 1, "the good message");
        Await.onLoop(b, () -> "a pass of port-b's loop after it");
        assertEquals(1, arrived.get(), "only the good message arrived");
    }

    @Test
    void aPort_fromNoLoop_orFromAnotherLoop_isRefused_withTheFix() {
        MessageChannel channel = new MessageChannel();
        IllegalStateException noLoop =
                assertThrows(IllegalStateException.class, () -> channel.port1().postMessage("x"));
        assertTrue(noLoop.getMessage().contains("event loop thread"), noLoop.getMessage());
        assertTrue(noLoop.getMessage().contains("loop.execute"), noLoop.getMessage());
        assertThrows(IllegalStateException.class, () -> channel.port1().onMessage(m -> {}));
        assertThrows(IllegalStateException.class, () -> channel.port1().receiveMessage());

        Await.onLoop(a, () -> {
            channel.port1().postMessage("bind to a");
            return null;
        });
        Throwable other = Await.thrownOn(b, () -> channel.port1().postMessage("from b"));
        assertInstanceOf(IllegalStateException.class, other);
        assertTrue(
                other.getMessage().contains("'port-a'") && other.getMessage().contains("'port-b'"), other.getMessage());
        assertInstanceOf(NullPointerException.class, Await.thrownOn(a, () -> channel.port1()
                .onMessage(null)));
    }

    @Test
    void close_deliversWhatWasPosted_thenOnCloseOnBothLoops_thenPostsThrow() {
        MessageChannel channel = new MessageChannel();
        List<Object> got = Collections.synchronizedList(new ArrayList<>());
        CompletableFuture<Integer> closedB = new CompletableFuture<>();
        CompletableFuture<Boolean> closedA = new CompletableFuture<>();
        Await.onLoop(b, () -> {
            channel.port2().onMessage(got::add);
            channel.port2().onClose(() -> closedB.complete(got.size()));
            return null;
        });
        Await.onLoop(a, () -> {
            channel.port1().onClose(() -> closedA.complete(a.inEventLoop()));
            for (int i = 0; i < 1000; i++) {
                channel.port1().postMessage(i);
            }
            channel.port1().close();
            channel.port1().close(); // idempotent
            return null;
        });
        assertEquals(1000, Await.result(closedB, "port2's onClose"), "every message before the close, then onClose");
        assertTrue(Await.result(closedA, "port1's onClose"), "port1's onClose runs on its own loop");
        Throwable late = Await.thrownOn(a, () -> channel.port1().postMessage("late"));
        assertTrue(late.getMessage().contains("port closed"), late.getMessage());
        Throwable lateBack = Await.thrownOn(b, () -> channel.port2().postMessage("late"));
        assertTrue(lateBack.getMessage().contains("port closed"), lateBack.getMessage());
        assertTrue(channel.port1().isClosed() && channel.port2().isClosed());
    }

    @Test
    void close_fromAThreadThatIsNoLoop_closesBothSides() {
        MessageChannel channel = new MessageChannel();
        CountDownLatch closed = new CountDownLatch(2);
        Await.onLoop(a, () -> {
            channel.port1().onClose(closed::countDown);
            return null;
        });
        Await.onLoop(b, () -> {
            channel.port2().onClose(closed::countDown);
            return null;
        });
        channel.port2().close();
        Await.latch(closed, "onClose on both loops after a close from the test thread");
    }

    @Test
    void receiveMessage_takesWithoutWaiting_nullMessagesToo_andTheHandlerDoesNotGetThem() {
        MessageChannel channel = new MessageChannel();
        assertEquals(Optional.empty(), Await.onLoop(b, () -> channel.port2().receiveMessage()));
        Await.onLoop(a, () -> {
            channel.port1().postMessage(null);
            channel.port1().postMessage("second");
            return null;
        });
        Await.until(
                () -> Await.onLoop(b, () -> channel.port2().receiveMessage())
                        .map(r -> {
                            assertNull(r.message());
                            return true;
                        })
                        .orElse(false),
                "the null message");
        assertEquals(
                "second",
                Await.onLoop(b, () -> channel.port2().receiveMessage())
                        .orElseThrow()
                        .message());
        List<Object> handled = Collections.synchronizedList(new ArrayList<>());
        Await.onLoop(b, () -> {
            channel.port2().onMessage(handled::add);
            return null;
        });
        Await.onLoop(a, () -> "a pass of port-a");
        Await.onLoop(b, () -> "a pass of port-b");
        assertEquals(List.of(), handled, "messages taken by receiveMessage are not delivered again");
    }

    @Test
    void aHandlerThatThrows_orLeavesAnInterrupt_doesNotStopTheNextMessage() {
        MessageChannel channel = new MessageChannel();
        List<Object> got = Collections.synchronizedList(new ArrayList<>());
        List<Boolean> interruptedAtStart = Collections.synchronizedList(new ArrayList<>());
        Await.onLoop(b, () -> {
            channel.port2().onMessage(m -> {
                interruptedAtStart.add(Thread.currentThread().isInterrupted());
                got.add(m);
                if ("boom".equals(m)) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("handler failed on purpose");
                }
            });
            return null;
        });
        Await.onLoop(a, () -> {
            channel.port1().postMessage("boom");
            channel.port1().postMessage("after");
            return null;
        });
        Await.until(() -> got.size() == 2, "both messages");
        assertEquals(List.of("boom", "after"), got);
        assertEquals(List.of(false, false), interruptedAtStart, "the interrupt stayed behind");
        Await.until(() -> !uncaught.isEmpty(), "the handler's exception on the loop's uncaught handler");
        assertEquals("handler failed on purpose", uncaught.poll().getMessage());
    }

    @Test
    void aLoopThatEnds_closesItsPortsChannels_thePeerHearsOnClose_andPostsThrow() {
        EventLoop doomed = EventLoop.start("port-doomed");
        MessageChannel channel = new MessageChannel();
        CompletableFuture<Void> peerClosed = new CompletableFuture<>();
        Await.onLoop(doomed, () -> {
            channel.port2().onMessage(m -> {});
            return null;
        });
        Await.onLoop(a, () -> {
            channel.port1().onClose(() -> peerClosed.complete(null));
            return null;
        });
        doomed.close();
        Await.result(peerClosed, "port1's onClose after port2's loop ended");
        Throwable late = Await.thrownOn(a, () -> channel.port1().postMessage("to nobody"));
        assertTrue(late.getMessage().contains("port closed"), late.getMessage());
    }

    @Test
    void aHandlerThatClosesItsPort_midStream_getsOnCloseAfterTheMessagesBeforeTheClose() {
        MessageChannel channel = new MessageChannel();
        List<Object> got = Collections.synchronizedList(new ArrayList<>());
        CompletableFuture<List<Object>> closed = new CompletableFuture<>();
        AtomicInteger refused = new AtomicInteger();
        Await.onLoop(b, () -> {
            channel.port2().onMessage(m -> {
                got.add(m);
                if ((Integer) m == 10) {
                    channel.port2().close();
                }
            });
            channel.port2().onClose(() -> closed.complete(List.copyOf(got)));
            return null;
        });
        Await.onLoop(a, () -> {
            for (int i = 0; i <= 500; i++) {
                try {
                    channel.port1().postMessage(i);
                } catch (IllegalStateException e) {
                    refused.incrementAndGet();
                }
            }
            return null;
        });
        List<Object> before = Await.result(closed, "port2's onClose");
        assertEquals(501, before.size() + refused.get(), "each post was delivered before onClose or refused");
        for (int i = 0; i < before.size(); i++) {
            assertEquals(i, before.get(i));
        }
        Await.onLoop(b, () -> "a pass of port-b after onClose");
        assertEquals(before.size(), got.size(), "nothing is delivered after onClose");
    }

    @Test
    void aPortTransferredInAMessage_movesToTheReceiversLoop_withWhatWasQueuedForIt_andTheOldHandleIsDead() {
        MessageChannel carrier = new MessageChannel(); // a: port1, b: port2
        MessageChannel moved = new MessageChannel(); // a keeps port2, sends port1 to b
        List<Object> onA = Collections.synchronizedList(new ArrayList<>());
        List<Object> onB = Collections.synchronizedList(new ArrayList<>());
        List<Object> oldHandler = Collections.synchronizedList(new ArrayList<>());
        Await.onLoop(b, () -> {
            carrier.port2().onMessage(m -> {
                MessagePort received = (MessagePort) ((List<?>) m).get(1);
                received.onMessage(
                        x -> onB.add(x + " on " + Thread.currentThread().getName()));
                received.postMessage("hello back through the moved port");
            });
            return null;
        });
        Await.onLoop(a, () -> {
            moved.port2().onMessage(onA::add);
            moved.port1().onMessage(oldHandler::add); // a held it first: its handler goes with the transfer
            moved.port2().postMessage("queued before the transfer");
            carrier.port1().postMessage(List.of("here is your port", moved.port1()), moved.port1());
            moved.port2().postMessage("after the transfer");
            return null;
        });
        Await.until(() -> onB.size() == 2 && onA.size() == 1, "both messages on b, the answer on a");
        assertEquals(List.of("queued before the transfer on port-b", "after the transfer on port-b"), onB);
        assertEquals(List.of("hello back through the moved port"), onA);
        Await.onLoop(a, () -> "a pass of port-a");
        assertTrue(oldHandler.size() <= 1, "the old holder's handler got at most what came before the transfer");
        Throwable dead = Await.thrownOn(a, () -> moved.port1().postMessage("from the old handle"));
        assertInstanceOf(IllegalStateException.class, dead);
        assertTrue(dead.getMessage().contains("transferred"), dead.getMessage());
        moved.port1().close(); // as in Node, closing the old handle does nothing: the port is b's
        assertFalse(moved.port2().isClosed(), "the old handle's close closed the channel");
    }

    @Test
    void portsUsedOnlyToPostOrToReceive_leaveTheirLoops_onceTheirChannelsCloseAndAreRead() {
        int n = 300;
        List<MessageChannel> channels = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            channels.add(new MessageChannel());
        }
        int boundOnA = Await.onLoop(a, () -> a.core().boundCount());
        int boundOnB = Await.onLoop(b, () -> b.core().boundCount());
        Await.onLoop(a, () -> {
            channels.forEach(c -> c.port1().postMessage("x")); // a only posts
            return null;
        });
        // b only receives; it reads a third of the messages now, the rest after the close
        Await.onLoop(b, () -> {
            for (int i = 0; i < n; i += 3) {
                assertEquals(
                        "x",
                        channels.get(i).port2().receiveMessage().orElseThrow().message());
            }
            return null;
        });
        // closed by the poster's loop, by the receiver's, or by a thread that is neither
        Await.onLoop(a, () -> {
            for (int i = 0; i < n; i += 3) {
                channels.get(i).port1().close();
            }
            return null;
        });
        Await.onLoop(b, () -> {
            for (int i = 1; i < n; i += 3) {
                channels.get(i).port2().close();
            }
            return null;
        });
        for (int i = 2; i < n; i += 3) {
            channels.get(i).port1().close();
        }
        Await.onLoop(b, () -> {
            for (int i = 0; i < n; i++) {
                MessagePort port = channels.get(i).port2();
                if (i % 3 != 0) {
                    assertEquals("x", port.receiveMessage().orElseThrow().message(), "channel " + i);
                }
                assertTrue(port.receiveMessage().isEmpty(), "channel " + i);
            }
            return null;
        });
        // Before, each such port stayed in its loop's set of bound things until the loop ended: about 3 KB a
        // channel, without bound in a long-lived loop.
        Await.until(
                () -> Await.onLoop(a, () -> a.core().boundCount()) == boundOnA
                        && Await.onLoop(b, () -> b.core().boundCount()) == boundOnB,
                "the closed ports leaving their loops: bound on a " + boundOnA + " before, on b " + boundOnB);
        assertEquals(List.of(), List.copyOf(uncaught));
    }

    @Test
    void aPortThatArrivesInAMessage_belongsToTheReceivingLoop_andClosesWhenItEnds_evenUnused() {
        EventLoop doomed = EventLoop.start("port-doomed");
        MessageChannel carrier = new MessageChannel();
        MessageChannel moved = new MessageChannel();
        CompletableFuture<Object> arrived = new CompletableFuture<>();
        CompletableFuture<Void> peerClosed = new CompletableFuture<>();
        Await.onLoop(doomed, () -> {
            carrier.port2().onMessage(arrived::complete); // takes the port, never uses it
            return null;
        });
        Await.onLoop(a, () -> {
            moved.port2().onClose(() -> peerClosed.complete(null));
            carrier.port1().postMessage(moved.port1(), moved.port1());
            return null;
        });
        MessagePort received = (MessagePort) Await.result(arrived, "the port on the receiving loop");
        Throwable elsewhere = Await.thrownOn(b, () -> received.onMessage(m -> {}));
        assertTrue(elsewhere.getMessage().contains("port-doomed"), elsewhere.getMessage());
        doomed.close();
        Await.result(peerClosed, "the peer's onClose once the loop that received the port ended");
    }

    @Test
    void portsInMessagesThatAreNeverDelivered_close_andSoDoThePortsQueuedForThem() {
        EventLoop doomed = EventLoop.start("port-doomed");
        MessageChannel carrier = new MessageChannel();
        MessageChannel outer = new MessageChannel(); // its port2 travels, with inner's port1 queued for it
        MessageChannel inner = new MessageChannel();
        CompletableFuture<Void> outerClosed = new CompletableFuture<>();
        CompletableFuture<Void> innerClosed = new CompletableFuture<>();
        Await.onLoop(doomed, () -> carrier.port2().receiveMessage()); // binds it to doomed, which reads no more
        Await.onLoop(a, () -> {
            outer.port1().onClose(() -> outerClosed.complete(null));
            inner.port2().onClose(() -> innerClosed.complete(null));
            outer.port1().postMessage(inner.port1(), inner.port1()); // queued for outer.port2, held by no loop
            carrier.port1().postMessage(outer.port2(), outer.port2()); // queued for doomed, never read
            return null;
        });
        doomed.close(); // drops its queued message: outer.port2 closes, and the message queued for it drops too
        Await.result(outerClosed, "onClose of the peer of a port in a message its receiver's loop never read");
        Await.result(innerClosed, "onClose of the peer of a port in a message queued for that dropped port");
        assertEquals(List.of(), List.copyOf(uncaught));
    }

    /**
     * A handler transfers its own port to another loop and keeps running while that loop binds it and starts
     * delivering: the rest of the queue goes to the new handler on the new loop only; the old loop neither runs the old
     * handler again nor the new one on its own thread. Ten rounds, 2,000 messages each.
     */
    @Test
    void aHandlerThatTransfersItsOwnPort_andKeepsRunning_leavesTheRestToTheNewLoop() {
        EventLoop c = EventLoop.start("port-c");
        try {
            for (int round = 0; round < 10; round++) {
                int messages = 2_000;
                MessageChannel carrier = new MessageChannel(); // a: port1, b: port2
                MessageChannel moved = new MessageChannel(); // a holds port1 until its handler sends it; c posts
                List<String> oldHandler = Collections.synchronizedList(new ArrayList<>());
                List<Integer> onB = Collections.synchronizedList(new ArrayList<>());
                List<String> wrong = Collections.synchronizedList(new ArrayList<>());
                Await.onLoop(b, () -> {
                    carrier.port2().onMessage(m -> ((MessagePort) m).onMessage(x -> {
                        if (!Thread.currentThread().getName().equals("port-b")) {
                            wrong.add("the new handler ran on "
                                    + Thread.currentThread().getName());
                        }
                        onB.add((Integer) x);
                    }));
                    return null;
                });
                Await.onLoop(a, () -> {
                    moved.port1().onMessage(m -> {
                        oldHandler.add(m + " on " + Thread.currentThread().getName());
                        if (oldHandler.size() == 1) {
                            carrier.port1().postMessage(moved.port1(), moved.port1());
                            long until = System.nanoTime() + 2_000_000; // b binds it meanwhile
                            while (System.nanoTime() < until) {
                                Thread.onSpinWait();
                            }
                        }
                    });
                    return null;
                });
                Await.onLoop(c, () -> {
                    for (int i = 0; i < messages; i++) {
                        moved.port2().postMessage(i);
                    }
                    return null;
                });
                int r = round;
                Await.until(() -> onB.size() == messages - 1, "round " + r + ": the rest of the messages on b");
                assertEquals(List.of("0 on port-a"), List.copyOf(oldHandler), "round " + round + ": the old handler");
                assertEquals(List.of(), List.copyOf(wrong), "round " + round);
                for (int i = 0; i < messages - 1; i++) {
                    assertEquals(i + 1, onB.get(i), "round " + round + ": in order, once");
                }
            }
        } finally {
            c.close();
        }
    }

    /**
     * A loop holding many quiet ports stops polling them (each sleeps after a while) and a post or a close still
     * reaches each one: 300 channels, idle long enough to sleep, then a message on every one, then half of them closed
     * from a thread that is no loop, then another message on the rest.
     */
    @Test
    void manyQuietPorts_eachWokenByAPost_orAClose() throws Exception {
        int channels = 300;
        List<MessageChannel> all = new ArrayList<>();
        for (int i = 0; i < channels; i++) {
            all.add(new MessageChannel());
        }
        AtomicInteger received = new AtomicInteger();
        AtomicInteger closedOnB = new AtomicInteger();
        AtomicInteger closedOnA = new AtomicInteger();
        Await.onLoop(b, () -> {
            for (MessageChannel ch : all) {
                ch.port2().onMessage(m -> received.incrementAndGet());
                ch.port2().onClose(closedOnB::incrementAndGet);
            }
            return null;
        });
        Await.onLoop(a, () -> {
            for (MessageChannel ch : all) {
                ch.port1().onMessage(m -> {});
                ch.port1().onClose(closedOnA::incrementAndGet);
            }
            return null;
        });
        Thread.sleep(50); // every port has slept by now
        Await.onLoop(a, () -> {
            for (MessageChannel ch : all) {
                ch.port1().postMessage("wake");
            }
            return null;
        });
        Await.until(() -> received.get() == channels, "a message on each of 300 quiet ports");
        Thread.sleep(50);
        for (int i = 0; i < channels; i += 2) {
            all.get(i).port1().close();
        }
        Await.until(
                () -> closedOnA.get() == channels / 2 && closedOnB.get() == channels / 2,
                "onClose on both sides of the 150 closed channels");
        Thread.sleep(50);
        Await.onLoop(a, () -> {
            for (int i = 1; i < channels; i += 2) {
                all.get(i).port1().postMessage("again");
            }
            return null;
        });
        Await.until(() -> received.get() == channels + channels / 2, "a second message on each open port");
    }

    @Test
    void badPortTransfers_throw_andNothingMoves() {
        MessageChannel carrier = new MessageChannel();
        MessageChannel other = new MessageChannel();
        MessagePort sender = carrier.port1();
        Throwable unlisted = Await.thrownOn(a, () -> sender.postMessage(other.port1()));
        assertInstanceOf(NotSendableException.class, unlisted);
        assertTrue(unlisted.getMessage().contains("transfer list"), unlisted.getMessage());
        Throwable itself = Await.thrownOn(a, () -> sender.postMessage(sender, sender));
        assertTrue(itself.getMessage().contains("cannot send itself"), itself.getMessage());
        Throwable peer = Await.thrownOn(a, () -> sender.postMessage(carrier.port2(), carrier.port2()));
        assertTrue(peer.getMessage().contains("travel through itself"), peer.getMessage());
        Await.onLoop(b, () -> {
            other.port2().onMessage(m -> {});
            return null;
        });
        Throwable heldElsewhere = Await.thrownOn(a, () -> sender.postMessage(other.port2(), other.port2()));
        assertInstanceOf(IllegalStateException.class, heldElsewhere);
        assertTrue(heldElsewhere.getMessage().contains("'port-b'"), heldElsewhere.getMessage());
        Await.onLoop(a, () -> {
            sender.postMessage(other.port1(), other.port1());
            return null;
        });
        Throwable twice = Await.thrownOn(a, () -> sender.postMessage(other.port1(), other.port1()));
        assertInstanceOf(IllegalArgumentException.class, twice);
        assertTrue(twice.getMessage().contains("detached"), twice.getMessage());
    }
}
