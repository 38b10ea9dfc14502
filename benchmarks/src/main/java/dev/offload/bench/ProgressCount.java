package dev.offload.bench;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * How far a producer got, for a bound check: advanced by the producer's thread, read by the consumer's. Both
 * accesses are opaque: the reader needs no ordering, only a value the count had, never one ahead of it; on x86
 * both are plain moves, and the line moves to the reader once per read, not once per message. Padded in front
 * ({@link BenchPad}), so that the producer's writes share no line with the fields of another padded object.
 */
final class ProgressCount extends BenchPad {
    private static final VarHandle COUNT;

    static {
        try {
            COUNT = MethodHandles.lookup().findVarHandle(ProgressCount.class, "count", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private long count; // one writer

    /** The producer's thread only: counts one more. */
    void advance() {
        COUNT.setOpaque(this, count + 1);
    }

    /**
     * Any thread: the count at some recent moment.
     *
     * @return a value the count had
     */
    long read() {
        return (long) COUNT.getOpaque(this);
    }
}
