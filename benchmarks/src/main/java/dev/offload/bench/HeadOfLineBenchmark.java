package dev.offload.bench;

import dev.offload.EventLoop;
import dev.offload.Task;
import dev.offload.WorkerPool;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.Blackhole;
import org.openjdk.jmh.infra.IterationParams;

/**
 * P6: head-of-line blocking. A pool of 2 workers runs short tasks (about 10 µs of {@link Blackhole#consumeCPU}) at a
 * light rate, one at a time; with {@code longTasks=true} the loop also keeps one long task (about 1 ms) always running,
 * resubmitting it from its callback. Target: p99 of the short tasks with long tasks &le; 2 &times; their p99 without.
 *
 * <p>One operation: the benchmark thread hands the loop a runnable that submits one short task and parks in a bounded
 * {@code get} until its result has come back on the loop. {@code SampleTime} times that whole operation, so its
 * percentiles include two hand-offs besides the task (benchmark thread to loop, loop back to the parked benchmark
 * thread), the same with and without long tasks. The loop also times each short task from its submit to its result on
 * the loop; their median and 99th percentile are taken per iteration and reported as {@code loopP50Micros} and
 * {@code loopP99Micros}, each the mean over the measurement iterations (see {@link BenchThreads#meanShare}): that is
 * the figure P6 names.
 *
 * <p>Run: {@code scripts/java25 -jar benchmarks/target/benchmarks.jar HeadOfLine -f 1 -wi 3 -i 5}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class HeadOfLineBenchmark {
    static final long SHORT_NANOS = 10_000;
    static final long LONG_NANOS = 1_000_000;

    @Param({"false", "true"})
    public boolean longTasks;

    private final Task<Long, Long> task = HeadOfLineBenchmark::burn;
    private final BiConsumer<Long, Throwable> onLongResult = this::onLongResult;
    private EventLoop loop;
    private WorkerPool pool;
    private Long shortTokens;
    private Long longTokens;
    private boolean stopping; // loop thread only

    static Long burn(Long tokens) {
        Blackhole.consumeCPU(tokens);
        return tokens;
    }

    /** Submit-to-result times measured on the loop; per-iteration percentiles. Benchmark thread only. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class LoopLatency {
        /** Median submit-to-result time of the short tasks, measured on the loop, in µs; mean over iterations. */
        public double loopP50Micros;
        /** 99th percentile of the same, in µs; mean over iterations. */
        public double loopP99Micros;

        private long[] samples = new long[1 << 14];
        private int count;
        private double share;

        void record(long nanos) {
            if (count == samples.length) {
                samples = Arrays.copyOf(samples, count * 2);
            }
            samples[count++] = nanos;
        }

        @Setup(Level.Iteration)
        public void reset(BenchmarkParams benchmark, IterationParams iteration) {
            share = BenchThreads.meanShare(benchmark, iteration);
            count = 0;
            loopP50Micros = 0;
            loopP99Micros = 0;
        }

        @TearDown(Level.Iteration)
        public void summarize() {
            if (count == 0) {
                return;
            }
            long[] sorted = Arrays.copyOf(samples, count);
            Arrays.sort(sorted);
            loopP50Micros = share * percentile(sorted, 0.50) / 1000.0;
            loopP99Micros = share * percentile(sorted, 0.99) / 1000.0;
        }

        private static long percentile(long[] sorted, double p) {
            int rank = (int) Math.ceil(p * sorted.length); // nearest rank
            return sorted[Math.max(0, rank - 1)];
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        long perMicro = CpuBoundScalingBenchmark.calibrateTokens(1_000_000) / 1000;
        shortTokens = Math.max(1, perMicro * SHORT_NANOS / 1000);
        longTokens = Math.max(1, perMicro * LONG_NANOS / 1000);
        System.out.println("consumeCPU tokens: short=" + shortTokens + ", long=" + longTokens);
        loop = EventLoop.builder().name("bench-loop").daemon(true).start();
        pool = WorkerPool.builder()
                .name("bench-pool")
                .minWorkers(2)
                .maxWorkers(2)
                .daemon(true)
                .build();
        if (longTasks) {
            loop.execute(this::submitLong);
        }
    }

    private void submitLong() {
        pool.submit(task, longTokens).whenComplete(onLongResult);
    }

    private void onLongResult(Long value, Throwable failure) {
        if (failure != null) {
            throw new IllegalStateException("long task failed", failure); // to the loop's uncaught handler
        }
        if (!stopping) {
            submitLong();
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws InterruptedException {
        if (loop != null) {
            loop.execute(() -> stopping = true); // the loop then ends once the running long task has come back
        }
        BenchThreads.close(loop);
        BenchThreads.close(pool);
    }

    private void submitShort(CompletableFuture<Long> result) {
        long start = System.nanoTime();
        pool.submit(task, shortTokens).whenComplete((v, failure) -> {
            long latency = System.nanoTime() - start;
            if (failure != null) {
                result.completeExceptionally(failure);
            } else {
                result.complete(latency);
            }
        });
    }

    @Benchmark
    public long shortTask(LoopLatency latencies) throws Exception {
        CompletableFuture<Long> result = new CompletableFuture<>();
        loop.execute(() -> submitShort(result));
        long nanos = BenchThreads.await(result);
        latencies.record(nanos);
        return nanos;
    }
}
