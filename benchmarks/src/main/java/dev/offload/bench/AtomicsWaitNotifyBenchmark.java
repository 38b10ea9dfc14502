package dev.offload.bench;

import dev.offload.shm.Atomics;
import dev.offload.shm.IntArray;
import dev.offload.shm.SharedBuffer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Control;

/**
 * P8: a two-thread ping-pong handing a turn back and forth, woken by {@link Atomics#wait}/{@link Atomics#notify}
 * against the same ping-pong with {@link LockSupport#park}/{@link LockSupport#unpark} (parking at once). One
 * operation of {@code ping} is one round trip. Target: ours &le; 0.1 &times; the peer's time; SampleTime reports p99.
 *
 * <p>Each side waits at most 1 ms at a time and checks {@link Control#stopMeasurement}, so neither hangs when the
 * other has stopped.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar AtomicsWaitNotifyBenchmark}
 */
@State(Scope.Group)
@BenchmarkMode({Mode.AverageTime, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class AtomicsWaitNotifyBenchmark {
    private static final Duration SLICE = Duration.ofMillis(1);
    private static final long SLICE_NANOS = SLICE.toNanos();

    private final IntArray turn =
            SharedBuffer.allocate(8, SharedBuffer.CACHE_LINE).asIntArray();
    private volatile int parkTurn;
    private volatile Thread pingThread;
    private volatile Thread pongThread;

    @Benchmark
    @Group("waitNotify")
    @GroupThreads(1)
    public int ping(Control control) throws InterruptedException {
        Atomics.store(turn, 0, 1);
        Atomics.notify(turn, 0, 1);
        return awaitTurn(0, control);
    }

    @Benchmark
    @Group("waitNotify")
    @GroupThreads(1)
    public int pong(Control control) throws InterruptedException {
        int rounds = awaitTurn(1, control);
        Atomics.store(turn, 0, 0);
        Atomics.notify(turn, 0, 1);
        return rounds;
    }

    private int awaitTurn(int mine, Control control) throws InterruptedException {
        int waits = 0;
        int other = 1 - mine;
        while (Atomics.load(turn, 0) != mine && !control.stopMeasurement) {
            Atomics.wait(turn, 0, other, SLICE);
            waits++;
        }
        return waits;
    }

    @Benchmark
    @Group("parkUnpark")
    @GroupThreads(1)
    public int parkPing(Control control) {
        pingThread = Thread.currentThread();
        parkTurn = 1;
        LockSupport.unpark(pongThread);
        return parkUntil(0, control);
    }

    @Benchmark
    @Group("parkUnpark")
    @GroupThreads(1)
    public int parkPong(Control control) {
        pongThread = Thread.currentThread();
        int parks = parkUntil(1, control);
        parkTurn = 0;
        LockSupport.unpark(pingThread);
        return parks;
    }

    private int parkUntil(int mine, Control control) {
        int parks = 0;
        while (parkTurn != mine && !control.stopMeasurement) {
            LockSupport.parkNanos(this, SLICE_NANOS);
            parks++;
        }
        return parks;
    }
}
