package dev.offload.bench;

import dev.offload.EventLoop;
import dev.offload.IdleStrategy;
import dev.offload.Task;
import dev.offload.WorkerPool;
import io.vertx.core.Completable;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.jctools.queues.varhandle.SpscVarHandleArrayQueue;
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
 * P1, P2 and the round-trip half of P10: the time of one round trip of a no-op task driven by an event loop. The loop
 * submits the task to one worker, the result comes back on the loop, and the callback submits the next one; one
 * operation is one round trip.
 *
 * <p>Every variant runs the same chain of {@value #ROUND_TRIPS} round trips per invocation: the benchmark thread
 * hands the start to the loop and parks in a bounded {@code get} until the chain's future completes, so its own
 * wake-up is amortized over the chain and it never competes for a core with a spinning thread. Variants:
 *
 * <ul>
 *   <li>{@code offload}: {@link EventLoop} + {@link WorkerPool} of 1 worker, both with the {@code idle} strategy;
 *       default {@code CHECKED} isolation (an {@code Integer} input passes by reference).
 *   <li>{@code tpeLoop}: {@code ThreadPoolExecutor(1)} worker, a single-thread executor as the loop,
 *       {@code CompletableFuture.supplyAsync(task, worker).whenCompleteAsync(next, loop)}.
 *   <li>{@code forkJoinLoop}: the same with a {@code ForkJoinPool(1)} worker. This is also the
 *       "{@code CompletableFuture.supplyAsync} on a {@code ForkJoinPool(1)}, results back on the loop" peer: the code
 *       would be identical, so it is measured once.
 *   <li>{@code vertx}: Vert.x 5, one event loop and one worker thread; {@code executeBlocking(callable, false)} from
 *       an event-loop context, the next one from {@code onComplete}.
 *   <li>{@code spinFloor}: the physical floor. Two threads that live for the whole trial ping-pong a token through two
 *       JCTools {@link SpscVarHandleArrayQueue}s, both spinning with {@link Thread#onSpinWait()}; one of them drives
 *       the chain like the loop does.
 * </ul>
 *
 * <p>Targets: offload {@code LATENCY} &le; 1.5 &times; {@code spinFloor} (P1); offload {@code BALANCED} &le; 5
 * &times; {@code spinFloor} and &le; 0.05 &times; {@code vertx} (P2); offload faster than {@code vertx} (P10).
 *
 * <p>Run: {@code scripts/java25 -jar benchmarks/target/benchmarks.jar RoundTrip -f 1 -wi 3 -i 5}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RoundTripBenchmark {
    /** Round trips per invocation: long enough to amortize the benchmark thread's own wake-up (tens of µs). */
    static final int ROUND_TRIPS = 10_000;

    static final Integer ONE = 1;
    static final Supplier<Integer> NOOP_SUPPLIER = () -> ONE;
    static final Callable<Integer> NOOP_CALLABLE = () -> ONE;

    static Integer noop(Integer input) {
        return input;
    }

    /**
     * A chain of round trips: {@link #start} on the loop thread submits the first task, each result submits the next.
     * Loop thread only, but for the benchmark thread's hand-off of {@code done} through the loop's executor.
     */
    abstract static class Chain {
        final BiConsumer<Integer, Throwable> onResult = this::onResult;
        private CompletableFuture<Integer> done;
        private int remaining;
        private boolean nested; // inside submitNext, called from onResult
        private boolean deferred; // a callback that ran nested owes the next submit

        /** Submits one task whose result goes to {@link #onResult}, completed on the loop thread. */
        abstract void submitNext();

        final void start(CompletableFuture<Integer> done, int roundTrips) {
            this.done = done;
            this.remaining = roundTrips;
            nested = true;
            try {
                do {
                    deferred = false;
                    submitNext();
                } while (deferred);
            } catch (Throwable t) {
                done.completeExceptionally(t);
            } finally {
                nested = false;
            }
        }

        final void onResult(Integer value, Throwable failure) {
            if (failure != null) {
                done.completeExceptionally(failure);
            } else if (--remaining == 0) {
                done.complete(value);
            } else if (nested) { // a peer ran this callback inside submitNext (its future was already complete)
                deferred = true; // submit once the outer call returns, instead of recursing
            } else {
                nested = true;
                try {
                    do {
                        deferred = false;
                        submitNext();
                    } while (deferred);
                } catch (Throwable t) {
                    done.completeExceptionally(t);
                } finally {
                    nested = false;
                }
            }
        }
    }

    /** offload: an event loop and a pool of one worker, both with the {@link #idle} strategy. */
    @State(Scope.Benchmark)
    public static class Offload extends Chain {
        @Param({"LATENCY", "BALANCED", "EFFICIENT"})
        public IdleStrategy idle;

        /** What the pool's supervisor watches: see {@link BenchThreads#supervised}. */
        @Param({"default"})
        public String supervision;

        private final Task<Integer, Integer> task = RoundTripBenchmark::noop;
        EventLoop loop;
        private WorkerPool pool;

        @Setup(Level.Trial)
        public void setUp() {
            loop = EventLoop.builder()
                    .name("bench-loop")
                    .idleStrategy(idle)
                    .daemon(true)
                    .start();
            pool = BenchThreads.supervised(WorkerPool.builder(), supervision)
                    .name("bench-pool")
                    .minWorkers(1)
                    .maxWorkers(1)
                    .idleStrategy(idle)
                    .daemon(true)
                    .build();
        }

        @Override
        void submitNext() {
            pool.submit(task, ONE).whenComplete(onResult); // completes on the loop thread: no hop needed
        }

        @TearDown(Level.Trial)
        public void tearDown() throws InterruptedException {
            BenchThreads.close(loop);
            BenchThreads.close(pool);
        }
    }

    /** A single-thread executor as the loop and a one-thread worker executor, joined by CompletableFuture. */
    abstract static class ExecutorLoop extends Chain {
        final ExecutorService loop = Executors.newSingleThreadExecutor(BenchThreads.daemonThreads("peer-loop"));
        ExecutorService worker;

        @Override
        final void submitNext() {
            CompletableFuture.supplyAsync(NOOP_SUPPLIER, worker).whenCompleteAsync(onResult, loop);
        }

        @TearDown(Level.Trial)
        public void tearDown() throws InterruptedException {
            BenchThreads.shutdown(loop);
            BenchThreads.shutdown(worker);
        }
    }

    /** Peer: {@code ThreadPoolExecutor(1)} worker, single-thread executor loop. */
    @State(Scope.Benchmark)
    public static class TpeLoop extends ExecutorLoop {
        @Setup(Level.Trial)
        public void setUp() {
            worker = new ThreadPoolExecutor(
                    1,
                    1,
                    0L,
                    TimeUnit.MILLISECONDS,
                    new LinkedBlockingQueue<>(),
                    BenchThreads.daemonThreads("peer-tpe"));
        }
    }

    /** Peer: {@code ForkJoinPool(1)} worker ({@code CompletableFuture.supplyAsync} on it), single-thread loop. */
    @State(Scope.Benchmark)
    public static class ForkJoinLoop extends ExecutorLoop {
        @Setup(Level.Trial)
        public void setUp() {
            worker = new ForkJoinPool(1);
        }
    }

    /** Peer: Vert.x 5 with one event loop and one worker thread. */
    @State(Scope.Benchmark)
    public static class VertxLoop extends Chain {
        private final Completable<Integer> onVertxResult = this::onResult;
        Vertx vertx;
        Context context;

        @Setup(Level.Trial)
        public void setUp() {
            vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
            context = vertx.getOrCreateContext();
        }

        @Override
        void submitNext() {
            context.executeBlocking(NOOP_CALLABLE, false).onComplete(onVertxResult);
        }

        @TearDown(Level.Trial)
        public void tearDown() throws Exception {
            BenchThreads.await(vertx.close().toCompletionStage().toCompletableFuture());
        }
    }

    /**
     * The floor: a driver thread and an echo thread ping-pong a token through two SPSC queues, spinning. They live for
     * the whole trial; between invocations the driver spins on {@link #job}, as a {@code LATENCY} loop would.
     */
    @State(Scope.Benchmark)
    public static class SpinFloor {
        private final SpscVarHandleArrayQueue<Integer> ping = new SpscVarHandleArrayQueue<>(1024);
        private final SpscVarHandleArrayQueue<Integer> pong = new SpscVarHandleArrayQueue<>(1024);
        private volatile CompletableFuture<Integer> job;
        private volatile boolean stopped;
        private Thread driver;
        private Thread echo;

        @Setup(Level.Trial)
        public void setUp() {
            driver = BenchThreads.daemonThreads("spin-driver").newThread(this::drive);
            echo = BenchThreads.daemonThreads("spin-echo").newThread(this::echo);
            driver.start();
            echo.start();
        }

        CompletableFuture<Integer> submit() {
            CompletableFuture<Integer> f = new CompletableFuture<>();
            job = f; // volatile store publishes the new future to the driver
            return f;
        }

        private void drive() {
            while (!stopped) {
                CompletableFuture<Integer> j = job;
                if (j == null) {
                    Thread.onSpinWait();
                    continue;
                }
                job = null; // before completing: the next job is only published after the benchmark thread wakes
                try {
                    j.complete(pingPong(ROUND_TRIPS));
                } catch (Throwable t) {
                    j.completeExceptionally(t);
                }
            }
        }

        private Integer pingPong(int roundTrips) {
            Integer last = null;
            for (int i = 0; i < roundTrips; i++) {
                ping.offer(ONE);
                while ((last = pong.poll()) == null) {
                    if (stopped) {
                        throw new IllegalStateException("stopped during a round trip: i=" + i);
                    }
                    Thread.onSpinWait();
                }
            }
            return last;
        }

        private void echo() {
            while (!stopped) {
                Integer token = ping.poll();
                if (token == null) {
                    Thread.onSpinWait();
                } else {
                    pong.offer(token);
                }
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() throws InterruptedException {
            stopped = true;
            BenchThreads.join(driver);
            BenchThreads.join(echo);
        }
    }

    @Benchmark
    @OperationsPerInvocation(ROUND_TRIPS)
    public Integer offload(Offload s) throws Exception {
        CompletableFuture<Integer> done = new CompletableFuture<>();
        s.loop.execute(() -> s.start(done, ROUND_TRIPS));
        return BenchThreads.await(done);
    }

    @Benchmark
    @OperationsPerInvocation(ROUND_TRIPS)
    public Integer tpeLoop(TpeLoop s) throws Exception {
        CompletableFuture<Integer> done = new CompletableFuture<>();
        s.loop.execute(() -> s.start(done, ROUND_TRIPS));
        return BenchThreads.await(done);
    }

    @Benchmark
    @OperationsPerInvocation(ROUND_TRIPS)
    public Integer forkJoinLoop(ForkJoinLoop s) throws Exception {
        CompletableFuture<Integer> done = new CompletableFuture<>();
        s.loop.execute(() -> s.start(done, ROUND_TRIPS));
        return BenchThreads.await(done);
    }

    @Benchmark
    @OperationsPerInvocation(ROUND_TRIPS)
    public Integer vertx(VertxLoop s) throws Exception {
        CompletableFuture<Integer> done = new CompletableFuture<>();
        s.context.runOnContext(v -> s.start(done, ROUND_TRIPS));
        return BenchThreads.await(done);
    }

    @Benchmark
    @OperationsPerInvocation(ROUND_TRIPS)
    public Integer spinFloor(SpinFloor s) throws Exception {
        return BenchThreads.await(s.submit());
    }
}
