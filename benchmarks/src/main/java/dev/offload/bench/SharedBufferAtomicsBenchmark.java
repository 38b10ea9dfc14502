package dev.offload.bench;

import dev.offload.shm.IntArray;
import dev.offload.shm.LongArray;
import dev.offload.shm.SharedBuffer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * P7: {@code getAndAdd} and {@code compareAndSet} on {@link SharedBuffer} views against {@link AtomicIntegerArray}
 * and {@link AtomicLongArray}, on one cell, by one thread ({@code ..._single}) and by two threads at once
 * ({@code ..._contended}). Target: ours &ge; 0.9 &times; the peer's throughput.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar SharedBufferAtomicsBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SharedBufferAtomicsBenchmark {
    private final IntArray ints =
            SharedBuffer.allocate(64, SharedBuffer.CACHE_LINE).asIntArray();
    private final LongArray longs =
            SharedBuffer.allocate(64, SharedBuffer.CACHE_LINE).asLongArray();
    private final AtomicIntegerArray atomicInts = new AtomicIntegerArray(16);
    private final AtomicLongArray atomicLongs = new AtomicLongArray(8);

    @Benchmark
    public int intGetAndAdd_single_sharedBuffer() {
        return ints.getAndAdd(0, 1);
    }

    @Benchmark
    public int intGetAndAdd_single_atomicIntegerArray() {
        return atomicInts.getAndAdd(0, 1);
    }

    @Benchmark
    public long longGetAndAdd_single_sharedBuffer() {
        return longs.getAndAdd(0, 1);
    }

    @Benchmark
    public long longGetAndAdd_single_atomicLongArray() {
        return atomicLongs.getAndAdd(0, 1);
    }

    @Benchmark
    public boolean intCompareAndSet_single_sharedBuffer() {
        int v = ints.getVolatile(1);
        return ints.compareAndSet(1, v, v + 1);
    }

    @Benchmark
    public boolean intCompareAndSet_single_atomicIntegerArray() {
        int v = atomicInts.get(1);
        return atomicInts.compareAndSet(1, v, v + 1);
    }

    @Benchmark
    public boolean longCompareAndSet_single_sharedBuffer() {
        long v = longs.getVolatile(1);
        return longs.compareAndSet(1, v, v + 1);
    }

    @Benchmark
    public boolean longCompareAndSet_single_atomicLongArray() {
        long v = atomicLongs.get(1);
        return atomicLongs.compareAndSet(1, v, v + 1);
    }

    @Benchmark
    @Threads(2)
    public int intGetAndAdd_contended_sharedBuffer() {
        return ints.getAndAdd(2, 1);
    }

    @Benchmark
    @Threads(2)
    public int intGetAndAdd_contended_atomicIntegerArray() {
        return atomicInts.getAndAdd(2, 1);
    }

    @Benchmark
    @Threads(2)
    public long longGetAndAdd_contended_sharedBuffer() {
        return longs.getAndAdd(2, 1);
    }

    @Benchmark
    @Threads(2)
    public long longGetAndAdd_contended_atomicLongArray() {
        return atomicLongs.getAndAdd(2, 1);
    }

    @Benchmark
    @Threads(2)
    public boolean intCompareAndSet_contended_sharedBuffer() {
        int v = ints.getVolatile(3);
        return ints.compareAndSet(3, v, v + 1);
    }

    @Benchmark
    @Threads(2)
    public boolean intCompareAndSet_contended_atomicIntegerArray() {
        int v = atomicInts.get(3);
        return atomicInts.compareAndSet(3, v, v + 1);
    }
}
