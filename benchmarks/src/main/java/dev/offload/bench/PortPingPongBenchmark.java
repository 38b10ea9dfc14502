package dev.offload.bench;

import dev.offload.EventLoop;
import dev.offload.IdleStrategy;
import dev.offload.MessageChannel;
import dev.offload.MessagePort;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedTransferQueue;
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
 * P17: a message's round trip between two event loops over a {@link MessageChannel}: loop A posts on its port, loop B's
 * handler posts it back, and A's handler posts the next; one operation is one round trip. Peers in the same run: two
 * threads handing a token through two {@link LinkedTransferQueue}s ({@code put}/{@code take}), the pool's own round
 * trip ({@link RoundTripBenchmark#offload}) and the spin floor ({@link RoundTripBenchmark#spinFloor}), which the
 * interleaved script runs beside this class.
 *
 * <p>Every variant runs {@value RoundTripBenchmark#ROUND_TRIPS} round trips per invocation; the benchmark thread hands
 * the start to the driving side and waits in a bounded {@code get}.
 *
 * <p>Target: {@code ports} with {@code LATENCY} &le; 2 &times; the spin floor (P17); the default {@code BALANCED}
 * stated beside it.
 *
 * <p>Run: {@code scripts/java25 -jar benchmarks/target/benchmarks.jar "PortPingPong|RoundTripBenchmark.(offload|spin)"
 * -f 1 -wi 5 -i 5}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PortPingPongBenchmark {
    static final int ROUND_TRIPS = RoundTripBenchmark.ROUND_TRIPS;

    /** Two loops joined by a channel; B echoes, A counts round trips down and completes the invocation's future. */
    @State(Scope.Benchmark)
    public static class Ports {
        @Param({"LATENCY", "BALANCED"})
        public IdleStrategy idle;

        EventLoop a;
        private EventLoop b;
        private MessagePort portA;
        private CompletableFuture<Integer> done; // loop A only
        private int remaining; // loop A only

        @Setup(Level.Trial)
        public void setUp() throws Exception {
            a = EventLoop.builder()
                    .name("port-a")
                    .idleStrategy(idle)
                    .daemon(true)
                    .start();
            b = EventLoop.builder()
                    .name("port-b")
                    .idleStrategy(idle)
                    .daemon(true)
                    .start();
            MessageChannel channel = new MessageChannel();
            portA = channel.port1();
            MessagePort portB = channel.port2();
            CompletableFuture<Void> ready = new CompletableFuture<>();
            b.execute(() -> {
                portB.onMessage(portB::postMessage);
                ready.complete(null);
            });
            BenchThreads.await(ready);
            CompletableFuture<Void> readyA = new CompletableFuture<>();
            a.execute(() -> {
                portA.onMessage(this::onEcho);
                readyA.complete(null);
            });
            BenchThreads.await(readyA);
        }

        /** Loop A: starts a chain of round trips. */
        void start(CompletableFuture<Integer> done) {
            this.done = done;
            this.remaining = ROUND_TRIPS;
            portA.postMessage(RoundTripBenchmark.ONE);
        }

        private void onEcho(Object token) {
            if (--remaining == 0) {
                done.complete((Integer) token);
            } else {
                portA.postMessage(token);
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() throws InterruptedException {
            BenchThreads.close(a);
            BenchThreads.close(b);
        }
    }

    /** Peer: two threads hand a token back and forth through two {@link LinkedTransferQueue}s (they park). */
    @State(Scope.Benchmark)
    public static class TransferQueues {
        private final LinkedTransferQueue<Integer> ping = new LinkedTransferQueue<>();
        private final LinkedTransferQueue<Integer> pong = new LinkedTransferQueue<>();
        private Thread echo;

        @Setup(Level.Trial)
        public void setUp() {
            echo = BenchThreads.daemonThreads("ltq-echo").newThread(() -> {
                try {
                    while (true) {
                        Integer token = ping.take();
                        if (token < 0) {
                            return;
                        }
                        pong.put(token);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            echo.start();
        }

        Integer roundTrips(int n) throws InterruptedException {
            Integer last = null;
            for (int i = 0; i < n; i++) {
                ping.put(RoundTripBenchmark.ONE);
                last = pong.poll(10, TimeUnit.SECONDS);
                if (last == null) {
                    throw new IllegalStateException("no echo within 10 s: i=" + i);
                }
            }
            return last;
        }

        @TearDown(Level.Trial)
        public void tearDown() throws InterruptedException {
            ping.put(-1);
            BenchThreads.join(echo);
        }
    }

    @Benchmark
    @OperationsPerInvocation(ROUND_TRIPS)
    public Integer ports(Ports s) throws Exception {
        CompletableFuture<Integer> done = new CompletableFuture<>();
        s.a.execute(() -> s.start(done));
        return BenchThreads.await(done);
    }

    @Benchmark
    @OperationsPerInvocation(ROUND_TRIPS)
    public Integer transferQueue(TransferQueues s) throws Exception {
        return s.roundTrips(ROUND_TRIPS);
    }
}
