package dev.offload.bench;

import dev.offload.EventLoop;
import dev.offload.IdleStrategy;
import dev.offload.MessageChannel;
import dev.offload.MessagePort;
import dev.offload.shm.TransferableBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
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
 * A buffer of {@code size} bytes ping-ponged between two event loops over a {@link MessageChannel}: loop A posts it,
 * loop B's handler posts what it got back, and A's handler posts the next; one operation is one round trip (two
 * posts). Variants:
 *
 * <ul>
 *   <li>{@code moved}: a {@link TransferableBuffer}, named in the post's transfer list ({@code postMessage(buf, buf)}):
 *       each post detaches the sender's handle and hands the same memory to a new one, so the time must not grow with
 *       {@code size}.
 *   <li>{@code copied}: a {@code byte[]} of the same size, which the message rules copy at each post (one allocation
 *       and one copy of {@code size} bytes): the cost that moving avoids.
 * </ul>
 *
 * <p>A checks the length of what comes back (a detached buffer would report 0). A chain runs
 * {@value #MOVED_ROUND_TRIPS} round trips per invocation for {@code moved}, as {@link PortPingPongBenchmark} does for
 * an {@code Integer}, so the two compare directly; {@code copied} runs {@value #COPIED_ROUND_TRIPS}, as a 1 MiB copy
 * takes tens of microseconds. The benchmark thread hands the start to A and waits in a bounded {@code get}. A
 * {@link TransferableBuffer} has no explicit free: its memory goes back when the garbage collector finds no handle to
 * it, so the teardown drops the last one.
 *
 * <p>Target: {@code moved} the same at 4 KiB and 1 MiB (no growth with size) and near
 * {@link PortPingPongBenchmark#ports}; {@code copied} at 1 MiB stated beside it.
 *
 * <p>Run: {@code scripts/java25 -jar benchmarks/target/benchmarks.jar TransferBenchmark -f 1 -wi 5 -i 5}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class TransferBenchmark {
    static final int MOVED_ROUND_TRIPS = RoundTripBenchmark.ROUND_TRIPS;
    static final int COPIED_ROUND_TRIPS = 1_000;

    /** Two loops joined by a channel; B echoes what it gets, A counts round trips down and posts the next. */
    public abstract static class PingPong {
        @Param({"4096", "1048576"})
        public int size;

        @Param({"BALANCED"})
        public IdleStrategy idle;

        private EventLoop a;
        private EventLoop b;
        private MessagePort portA;
        private Object held; // loop A only, once set up: the message between invocations
        private CompletableFuture<Integer> done; // loop A only
        private int remaining; // loop A only

        /** Makes the message: a buffer or an array of {@code size} bytes. */
        abstract Object newMessage(int size);

        /** Posts {@code message} on {@code port}, moving it or letting it be copied. Holding loop only. */
        abstract void post(MessagePort port, Object message);

        /** The length in bytes of a message that arrived. */
        abstract long length(Object message);

        @Setup(Level.Trial)
        public void setUp() throws Exception {
            a = EventLoop.builder()
                    .name("transfer-a")
                    .idleStrategy(idle)
                    .daemon(true)
                    .start();
            b = EventLoop.builder()
                    .name("transfer-b")
                    .idleStrategy(idle)
                    .daemon(true)
                    .start();
            MessageChannel channel = new MessageChannel();
            portA = channel.port1();
            MessagePort portB = channel.port2();
            CompletableFuture<Void> readyB = new CompletableFuture<>();
            b.execute(() -> {
                portB.onMessage(m -> post(portB, m));
                readyB.complete(null);
            });
            BenchThreads.await(readyB);
            CompletableFuture<Void> readyA = new CompletableFuture<>();
            a.execute(() -> {
                portA.onMessage(this::onEcho);
                held = newMessage(size);
                readyA.complete(null);
            });
            BenchThreads.await(readyA);
        }

        /** Benchmark thread: runs a chain of {@code roundTrips} on loop A. */
        CompletableFuture<Integer> run(int roundTrips) {
            CompletableFuture<Integer> f = new CompletableFuture<>();
            a.execute(() -> {
                done = f;
                remaining = roundTrips;
                try {
                    post(portA, held);
                } catch (Throwable t) {
                    f.completeExceptionally(t);
                }
            });
            return f;
        }

        private void onEcho(Object message) {
            held = message;
            long length = length(message);
            if (length != size) {
                done.completeExceptionally(
                        new IllegalStateException("echo of the wrong length: length=" + length + ", size=" + size));
            } else if (--remaining == 0) {
                done.complete(size);
            } else {
                post(portA, message);
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() throws InterruptedException {
            BenchThreads.close(a);
            BenchThreads.close(b);
            held = null; // the last handle: the garbage collector frees the buffer (there is no explicit free)
        }
    }

    /** {@code moved}: a {@link TransferableBuffer} in the message and its transfer list. */
    @State(Scope.Benchmark)
    public static class Moved extends PingPong {
        @Override
        Object newMessage(int size) {
            return TransferableBuffer.allocate(size);
        }

        @Override
        void post(MessagePort port, Object message) {
            port.postMessage(message, message);
        }

        @Override
        long length(Object message) {
            return ((TransferableBuffer) message).byteLength();
        }
    }

    /** {@code copied}: a {@code byte[]}, copied by each post. */
    @State(Scope.Benchmark)
    public static class Copied extends PingPong {
        @Override
        Object newMessage(int size) {
            return new byte[size];
        }

        @Override
        void post(MessagePort port, Object message) {
            port.postMessage(message);
        }

        @Override
        long length(Object message) {
            return ((byte[]) message).length;
        }
    }

    @Benchmark
    @OperationsPerInvocation(MOVED_ROUND_TRIPS)
    public Integer moved(Moved s) throws Exception {
        return BenchThreads.await(s.run(MOVED_ROUND_TRIPS));
    }

    @Benchmark
    @OperationsPerInvocation(COPIED_ROUND_TRIPS)
    public Integer copied(Copied s) throws Exception {
        return BenchThreads.await(s.run(COPIED_ROUND_TRIPS));
    }
}
