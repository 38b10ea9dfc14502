package dev.offload.bench;

import dev.offload.shm.IntArray;
import dev.offload.shm.SharedBuffer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;
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
 * Plain bulk access to 4 KiB of off-heap memory: {@link SharedBuffer} against {@link ByteBuffer#allocateDirect}.
 * {@code copy*} moves a {@code byte[]} in and back out; {@code sumInts}/{@code writeInts} touch each of the 1024 ints
 * with plain accesses.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar SharedBufferBulkBenchmark}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SharedBufferBulkBenchmark {
    private static final int BYTES = 4096;
    private static final int INTS = BYTES / Integer.BYTES;

    private final SharedBuffer buffer = SharedBuffer.allocate(BYTES, SharedBuffer.CACHE_LINE);
    private final IntArray ints = buffer.asIntArray();
    private final ByteBuffer direct = ByteBuffer.allocateDirect(BYTES).order(ByteOrder.nativeOrder());
    private final byte[] in = new byte[BYTES];
    private final byte[] out = new byte[BYTES];

    @Benchmark
    public byte[] copy_sharedBuffer() {
        buffer.copyFrom(0, in, 0, BYTES);
        buffer.copyTo(0, out, 0, BYTES);
        return out;
    }

    @Benchmark
    public byte[] copy_directByteBuffer() {
        direct.put(0, in);
        direct.get(0, out);
        return out;
    }

    @Benchmark
    public long sumInts_sharedBuffer() {
        long sum = 0;
        for (int i = 0; i < INTS; i++) {
            sum += ints.get(i);
        }
        return sum;
    }

    @Benchmark
    public long sumInts_directByteBuffer() {
        long sum = 0;
        for (int i = 0; i < INTS; i++) {
            sum += direct.getInt(i * Integer.BYTES);
        }
        return sum;
    }

    @Benchmark
    public IntArray writeInts_sharedBuffer() {
        for (int i = 0; i < INTS; i++) {
            ints.set(i, i);
        }
        return ints;
    }

    @Benchmark
    public ByteBuffer writeInts_directByteBuffer() {
        for (int i = 0; i < INTS; i++) {
            direct.putInt(i * Integer.BYTES, i);
        }
        return direct;
    }
}
