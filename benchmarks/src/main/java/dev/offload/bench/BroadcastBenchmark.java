package dev.offload.bench;

import dev.offload.BroadcastChannel;
import dev.offload.EventLoop;
import dev.offload.IdleStrategy;
import dev.offload.MessageChannel;
import dev.offload.MessagePort;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Fan-out from one event loop to {@value #RECEIVERS}: the sender loop posts {@value #MESSAGES} small messages per
 * invocation (sequence numbers, boxed {@code Integer}s) and each of {@value #RECEIVERS} receiver loops gets every
 * one, in order (each checks); one operation is one message that all of them received. Variants:
 *
 * <ul>
 *   <li>{@code broadcast}: the sender posts each message once on a {@link BroadcastChannel}; each receiver loop has
 *       opened a channel of the same name (unique to the trial) and counts in its handler.
 *   <li>{@code ports}: the peer, the same fan-out point to point: one {@link MessageChannel} per receiver, and the
 *       sender posts each message on each of its {@value #RECEIVERS} ports.
 * </ul>
 *
 * <p>Flow control, the same in both, so that no queue grows without bound: each receiver acknowledges every
 * {@value #ACK_EVERY} messages with its running total over a {@link MessageChannel} back to the sender (in
 * {@code ports}, the reverse direction of its channel; in {@code broadcast}, a channel used for nothing else), and the
 * sender posts only while it is fewer than {@value #WINDOW} messages ahead of the slowest receiver, resuming from the
 * acknowledgement's handler. An invocation ends when every receiver has acknowledged the last message. The ratio
 * {@code broadcast / ports} is what a broadcast costs over the point-to-point messages it replaces.
 *
 * <p>Five loops share this machine's two cores, so the default is {@code BALANCED}: with {@code LATENCY} five threads
 * would spin on two cores and the figure would measure the OS scheduler.
 *
 * <p>Target: none in the table; the ratio is stated.
 *
 * <p>Run: {@code scripts/java25 -jar benchmarks/target/benchmarks.jar BroadcastBenchmark -f 1 -wi 5 -i 5}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class BroadcastBenchmark {
    static final int RECEIVERS = 4;

    /** Messages per invocation (16 Ki); a multiple of {@link #ACK_EVERY}, so the last one is acknowledged. */
    static final int MESSAGES = 16_384;

    /** The most messages the sender may be ahead of the slowest receiver. */
    static final int WINDOW = 256;

    /** A receiver acknowledges every this many messages. */
    static final int ACK_EVERY = WINDOW / 4;

    private static final AtomicInteger TRIALS = new AtomicInteger();

    /** A sender loop, {@value #RECEIVERS} receiver loops and a channel from each receiver back to the sender. */
    public abstract static class FanOut {
        @Param({"BALANCED"})
        public IdleStrategy idle;

        EventLoop senderLoop;
        final EventLoop[] receiverLoops = new EventLoop[RECEIVERS];
        final MessagePort[] senderEnds = new MessagePort[RECEIVERS]; // the sender loop's ends of the channels
        private Sender sender;
        volatile CompletableFuture<Integer> done; // the running invocation's; the sender completes it

        /** On the receiver's loop: subscribes it to the messages the sender fans out. */
        abstract void openReceiver(Receiver receiver);

        /** On the sender's loop: what the variant needs before the first post. */
        abstract void openSender();

        /** On the sender's loop: sends {@code message} to every receiver. */
        abstract void send(Integer message);

        /** Any thread, once no invocation runs: closes what the variant opened. */
        abstract void closeChannels();

        @Setup(Level.Trial)
        public void setUp() throws Exception {
            senderLoop = loop("fanout-sender");
            Receiver[] receivers = new Receiver[RECEIVERS];
            for (int r = 0; r < RECEIVERS; r++) {
                receiverLoops[r] = loop("fanout-receiver-" + r);
                MessageChannel channel = new MessageChannel();
                senderEnds[r] = channel.port1();
                receivers[r] = new Receiver(r, channel.port2(), this);
            }
            sender = new Sender(this);
            for (int r = 0; r < RECEIVERS; r++) {
                Receiver receiver = receivers[r];
                onLoop(receiverLoops[r], () -> openReceiver(receiver));
            }
            onLoop(senderLoop, () -> {
                openSender();
                for (int r = 0; r < RECEIVERS; r++) {
                    int index = r;
                    senderEnds[r].onMessage(total -> sender.onAck(index, total));
                }
            });
        }

        private EventLoop loop(String name) {
            return EventLoop.builder()
                    .name(name)
                    .idleStrategy(idle)
                    .daemon(true)
                    .start();
        }

        private static void onLoop(EventLoop loop, Runnable action) throws Exception {
            CompletableFuture<Void> ready = new CompletableFuture<>();
            loop.execute(() -> {
                try {
                    action.run();
                    ready.complete(null);
                } catch (Throwable t) {
                    ready.completeExceptionally(t);
                }
            });
            BenchThreads.await(ready);
        }

        /** Benchmark thread: starts one invocation's fan-out on the sender loop. */
        CompletableFuture<Integer> run() {
            CompletableFuture<Integer> f = new CompletableFuture<>();
            done = f; // volatile: the sender and, on a failure, the receivers read it
            senderLoop.execute(() -> {
                try {
                    sender.start();
                } catch (Throwable t) {
                    f.completeExceptionally(t);
                }
            });
            return f;
        }

        @TearDown(Level.Trial)
        public void tearDown() throws InterruptedException {
            closeChannels();
            BenchThreads.close(senderLoop);
            for (EventLoop loop : receiverLoops) {
                BenchThreads.close(loop);
            }
        }
    }

    /** The sender: posts while the window allows, resumes on acknowledgements. Sender loop only. */
    static final class Sender extends BenchPad {
        private final FanOut fanOut;
        private final long[] acked = new long[RECEIVERS]; // each receiver's latest running total
        private long minAcked; // the slowest receiver's
        private long sent;
        private long end; // the total to reach by the end of the running invocation
        private CompletableFuture<Integer> done;

        Sender(FanOut fanOut) {
            this.fanOut = fanOut;
        }

        void start() {
            done = fanOut.done;
            end += MESSAGES;
            pump();
        }

        void onAck(int receiver, Object total) {
            acked[receiver] = (Long) total; // a receiver's acknowledgements arrive in order
            long min = acked[0];
            for (int r = 1; r < RECEIVERS; r++) {
                min = Math.min(min, acked[r]);
            }
            minAcked = min;
            if (min == end) {
                done.complete((int) min);
            } else {
                pump();
            }
        }

        private void pump() {
            long s = sent;
            long limit = Math.min(end, minAcked + WINDOW);
            while (s < limit) {
                fanOut.send(Integer.valueOf((int) s++));
            }
            sent = s;
        }
    }

    /** A receiver: checks the order, counts, acknowledges. Its loop only. */
    static final class Receiver extends BenchPad {
        final int index;
        final MessagePort port; // its end of the channel to the sender
        private final FanOut fanOut;
        private long received;
        private int untilAck = ACK_EVERY;

        Receiver(int index, MessagePort port, FanOut fanOut) {
            this.index = index;
            this.port = port;
            this.fanOut = fanOut;
        }

        void onMessage(Object message) {
            int value = (Integer) message;
            if (value != (int) received) {
                fanOut.done.completeExceptionally(new IllegalStateException("message lost or out of order: receiver="
                        + index + ", expected=" + (int) received
                        + ", got=" + value));
                return;
            }
            received++;
            if (--untilAck == 0) {
                untilAck = ACK_EVERY;
                port.postMessage(Long.valueOf(received));
            }
        }
    }

    /** {@code broadcast}: one {@link BroadcastChannel} per loop, all of one name. */
    @State(Scope.Benchmark)
    public static class Broadcast extends FanOut {
        private final String name = "bench-broadcast-" + TRIALS.incrementAndGet();
        private final BroadcastChannel[] receiverChannels = new BroadcastChannel[RECEIVERS];
        private BroadcastChannel senderChannel; // sender loop only, but for the close

        @Override
        void openReceiver(Receiver receiver) {
            BroadcastChannel channel = new BroadcastChannel(name);
            channel.onMessage(receiver::onMessage);
            receiverChannels[receiver.index] = channel; // read in tearDown, after setUp awaited this loop
        }

        @Override
        void openSender() {
            senderChannel = new BroadcastChannel(name);
        }

        @Override
        void send(Integer message) {
            senderChannel.postMessage(message);
        }

        @Override
        void closeChannels() {
            if (senderChannel != null) {
                senderChannel.close();
            }
            for (BroadcastChannel channel : receiverChannels) {
                if (channel != null) {
                    channel.close();
                }
            }
        }
    }

    /** {@code ports}: the sender's end of each receiver's channel carries the messages out, the acks back. */
    @State(Scope.Benchmark)
    public static class Ports extends FanOut {
        @Override
        void openReceiver(Receiver receiver) {
            receiver.port.onMessage(receiver::onMessage);
        }

        @Override
        void openSender() {}

        @Override
        void send(Integer message) {
            for (MessagePort port : senderEnds) {
                port.postMessage(message);
            }
        }

        @Override
        void closeChannels() {
            for (MessagePort port : senderEnds) {
                if (port != null) {
                    port.close();
                }
            }
        }
    }

    @Benchmark
    @OperationsPerInvocation(MESSAGES)
    public Integer broadcast(Broadcast s) throws Exception {
        return BenchThreads.await(s.run());
    }

    @Benchmark
    @OperationsPerInvocation(MESSAGES)
    public Integer ports(Ports s) throws Exception {
        return BenchThreads.await(s.run());
    }
}
