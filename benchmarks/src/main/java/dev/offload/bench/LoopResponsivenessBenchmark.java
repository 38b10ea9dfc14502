package dev.offload.bench;

import dev.offload.Cancellable;
import dev.offload.EventLoop;
import dev.offload.Task;
import dev.offload.WorkerPool;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;

/**
 * P13: how late a loop's timer fires while the pool is saturated with P11's load (a worker per core, 64 SHA-256 tasks
 * of 4 KiB in flight, each result back on the loop, which submits the next). A timer re-arms itself every
 * {@value #PERIOD_MICROS} µs on the loop; its delay is when it ran minus when it was due. The score is nanoseconds per
 * task (the load's throughput); the auxiliary counter {@code timerP99Micros} is the 99th percentile of the timer's
 * delay in each iteration, averaged over iterations, and {@code timerMaxMicros} its maximum.
 *
 * <ul>
 *   <li>{@code offload}: {@link EventLoop} timers ({@code schedule}) and a {@link WorkerPool} of {@code cores}
 *       workers, default settings.
 *   <li>{@code tpeLoop}: a {@code ScheduledThreadPoolExecutor(1)} as the loop (its own timers) and a
 *       {@code ThreadPoolExecutor(cores)}, joined by {@code supplyAsync(task, pool).whenCompleteAsync(next, loop)}.
 * </ul>
 *
 * <p>Target: offload's p99 at most 100 µs, and no worse than {@code tpeLoop}'s in the same round.
 *
 * <p>Run: {@code scripts/java25 -jar benchmarks/target/benchmarks.jar LoopResponsiveness -f 1 -wi 3 -i 5}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class LoopResponsivenessBenchmark {
    static final long PERIOD_MICROS = 500;
    static final int CORES = Runtime.getRuntime().availableProcessors();

    /** The timer's delays in one iteration, loop thread only (or read after the invocation's bounded wait). */
    static final class Delays {
        private long[] nanos = new long[4096];
        private int count;

        void add(long delay) {
            if (count == nanos.length) {
                nanos = Arrays.copyOf(nanos, count * 2);
            }
            nanos[count++] = Math.max(0, delay);
        }

        long percentile(double p) {
            if (count == 0) {
                return 0;
            }
            long[] sorted = Arrays.copyOf(nanos, count);
            Arrays.sort(sorted);
            return sorted[(int) Math.min(count - 1, Math.ceil(p / 100 * count) - 1)];
        }

        void clear() {
            count = 0;
        }
    }

    /** Per iteration: the timer-delay figures of the iteration (JMH sums them; see {@link BenchThreads#meanShare}). */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class TimerStats {
        public double timerP99Micros;
        public double timerMaxMicros;
        private double share;

        @Setup(Level.Iteration)
        public void setUp(BenchmarkParams benchmark, IterationParams iteration) {
            timerP99Micros = 0;
            timerMaxMicros = 0;
            share = BenchThreads.meanShare(benchmark, iteration);
        }

        /** Reports the iteration's figures so far ({p99, max} in ns); the last invocation's report stands. */
        void report(long[] figures) {
            timerP99Micros = share * figures[0] / 1000.0;
            timerMaxMicros = share * figures[1] / 1000.0;
        }
    }

    /** offload: the load runs on an event loop that also keeps a timer going. */
    @State(Scope.Benchmark)
    public static class Offload extends RealWorkBenchmark.Window {
        private final Task<byte[], byte[]> task = RealWorkBenchmark::sha256x1;
        private final Delays delays = new Delays();
        final RealWorkBenchmark.Work load = new RealWorkBenchmark.Work();
        EventLoop loop;
        private WorkerPool pool;
        private volatile Cancellable timer;

        @Setup(Level.Trial)
        public void setUp() {
            load.work = "sha256x1";
            load.workers = "cores";
            load.setUp();
            loop = EventLoop.builder().name("bench-loop").daemon(true).start();
            pool = WorkerPool.builder()
                    .name("bench-pool")
                    .minWorkers(CORES)
                    .maxWorkers(CORES)
                    .daemon(true)
                    .build();
        }

        @Setup(Level.Iteration)
        public void startTimer() {
            loop.execute(() -> {
                delays.clear();
                arm(System.nanoTime() + PERIOD_MICROS * 1000);
            });
        }

        private void arm(long due) {
            timer = loop.schedule(Duration.ofNanos(Math.max(0, due - System.nanoTime())), () -> {
                long now = System.nanoTime();
                delays.add(now - due);
                arm(now + PERIOD_MICROS * 1000);
            });
        }

        /** The delays so far in this iteration: {p99, max} in nanoseconds, read on the loop. */
        long[] snapshot() throws Exception {
            CompletableFuture<long[]> figures = new CompletableFuture<>();
            loop.execute(() -> figures.complete(new long[] {delays.percentile(99), delays.percentile(100)}));
            return BenchThreads.await(figures);
        }

        @TearDown(Level.Iteration)
        public void stopTimer() throws Exception {
            CompletableFuture<Boolean> stopped = new CompletableFuture<>();
            loop.execute(() -> stopped.complete(timer.cancel()));
            BenchThreads.await(stopped);
        }

        @Override
        void submitOne(byte[] input) {
            pool.submit(task, input).whenComplete(onResult);
        }

        @TearDown(Level.Trial)
        public void tearDown() throws InterruptedException {
            BenchThreads.close(loop);
            BenchThreads.close(pool);
        }
    }

    /** Peer: a scheduled single-thread executor as the loop and a {@code ThreadPoolExecutor(cores)}. */
    @State(Scope.Benchmark)
    public static class TpeLoop extends RealWorkBenchmark.Window {
        final ScheduledExecutorService loop =
                new ScheduledThreadPoolExecutor(1, BenchThreads.daemonThreads("peer-loop"));
        private final ExecutorService pool = new ThreadPoolExecutor(
                CORES,
                CORES,
                0L,
                TimeUnit.MILLISECONDS,
                new LinkedBlockingQueue<>(),
                BenchThreads.daemonThreads("peer"));
        private final Delays delays = new Delays();
        final RealWorkBenchmark.Work load = new RealWorkBenchmark.Work();
        private volatile ScheduledFuture<?> timer;

        @Setup(Level.Trial)
        public void setUp() {
            load.work = "sha256x1";
            load.workers = "cores";
            load.setUp();
        }

        @Setup(Level.Iteration)
        public void startTimer() {
            loop.execute(() -> {
                delays.clear();
                arm(System.nanoTime() + PERIOD_MICROS * 1000);
            });
        }

        private void arm(long due) {
            timer = loop.schedule(
                    () -> {
                        long now = System.nanoTime();
                        delays.add(now - due);
                        arm(now + PERIOD_MICROS * 1000);
                    },
                    Math.max(0, due - System.nanoTime()),
                    TimeUnit.NANOSECONDS);
        }

        /** The delays so far in this iteration: {p99, max} in nanoseconds, read on the loop. */
        long[] snapshot() throws Exception {
            return BenchThreads.await(loop.submit(() -> new long[] {delays.percentile(99), delays.percentile(100)}));
        }

        @TearDown(Level.Iteration)
        public void stopTimer() throws Exception {
            BenchThreads.await(loop.submit(() -> timer.cancel(false)));
        }

        @Override
        void submitOne(byte[] input) {
            CompletableFuture.supplyAsync(() -> RealWorkBenchmark.hash(input, 1), pool)
                    .whenCompleteAsync(onResult, loop);
        }

        @TearDown(Level.Trial)
        public void tearDown() throws InterruptedException {
            BenchThreads.shutdown(loop);
            BenchThreads.shutdown(pool);
        }
    }

    @Benchmark
    @OperationsPerInvocation(RealWorkBenchmark.TASKS)
    public Integer offload(Offload s, TimerStats stats) throws Exception {
        CompletableFuture<Integer> done = new CompletableFuture<>();
        s.loop.execute(() -> s.start(s.load, done));
        Integer result = BenchThreads.await(done);
        stats.report(s.snapshot());
        return result;
    }

    @Benchmark
    @OperationsPerInvocation(RealWorkBenchmark.TASKS)
    public Integer tpeLoop(TpeLoop s, TimerStats stats) throws Exception {
        CompletableFuture<Integer> done = new CompletableFuture<>();
        s.loop.execute(() -> s.start(s.load, done));
        Integer result = BenchThreads.await(done);
        stats.report(s.snapshot());
        return result;
    }
}
