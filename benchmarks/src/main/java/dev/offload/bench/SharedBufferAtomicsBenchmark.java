package dev.offload.bench;

import dev.offload.shm.SharedBuffer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * P7: {@code getAndAdd} on a {@link SharedBuffer} against {@link AtomicIntegerArray}, one cell, one thread.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar SharedBufferAtomics}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SharedBufferAtomicsBenchmark {
    private final SharedBuffer buffer = SharedBuffer.allocate(64);
    private final AtomicIntegerArray array = new AtomicIntegerArray(16);

    @Benchmark
    public int sharedBufferGetAndAdd() {
        return buffer.getAndAddInt(8, 1);
    }

    @Benchmark
    public int atomicIntegerArrayGetAndAdd() {
        return array.getAndAdd(2, 1);
    }
}
