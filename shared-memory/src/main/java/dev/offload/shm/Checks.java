package dev.offload.shm;

import java.time.Duration;

/** Argument checks with messages of the form {@code "rule: name=value"}. */
final class Checks {
    private Checks() {}

    static long nonNegative(String name, long value) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must be >= 0: " + name + "=" + value);
        }
        return value;
    }

    static int count(int count) {
        if (count < 0) {
            throw new IllegalArgumentException("count must be >= 0: count=" + count);
        }
        return count;
    }

    static long timeoutNanos(Duration timeout) {
        if (timeout == null) {
            throw new NullPointerException("timeout must not be null: timeout=null");
        }
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must be >= 0: timeout=" + timeout);
        }
        try {
            return timeout.toNanos();
        } catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE;
        }
    }

    static IndexOutOfBoundsException indexOutOfBounds(long index, long length) {
        return new IndexOutOfBoundsException("index out of bounds: index=" + index + ", length=" + length);
    }

    static void range(String rule, long offset, long length, long byteLength) {
        if (offset < 0 || length < 0 || offset > byteLength - length) {
            throw new IndexOutOfBoundsException(
                    rule + ": offset=" + offset + ", length=" + length + ", byteLength=" + byteLength);
        }
    }

    static void arrayRange(int arrayIndex, int count, int arrayLength) {
        if (arrayIndex < 0 || count < 0 || arrayIndex > arrayLength - count) {
            throw new IndexOutOfBoundsException("array range out of bounds: arrayIndex=" + arrayIndex + ", count="
                    + count + ", arrayLength=" + arrayLength);
        }
    }

    static void aligned(long byteOffset, long absoluteOffset, long alignment) {
        if ((absoluteOffset & (alignment - 1)) != 0) {
            String slice = absoluteOffset == byteOffset ? "" : ", offsetInAllocation=" + absoluteOffset;
            throw new IllegalArgumentException(
                    "misaligned: byteOffset=" + byteOffset + slice + ", alignment=" + alignment);
        }
    }
}
