package dev.offload.shm;

/** The outcome of {@link Atomics#wait} and {@link Atomics#waitAsync}, like JavaScript's {@code Atomics.wait}. */
public enum WaitResult {
    /** Woken by {@link Atomics#notify} (JavaScript {@code "ok"}); on a mapped buffer also: the value changed. */
    OK,
    /** The element did not equal the expected value when the wait began (JavaScript {@code "not-equal"}). */
    NOT_EQUAL,
    /** The timeout elapsed before a notify (JavaScript {@code "timed-out"}). */
    TIMED_OUT
}
