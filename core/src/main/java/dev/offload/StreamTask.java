package dev.offload;

/**
 * A task that emits many values, subscribed to as a {@link java.util.concurrent.Flow.Publisher} from
 * {@link WorkerPool#stream}: it runs on a worker, and each value it {@linkplain Emitter#emit emits} reaches the
 * subscriber where the task's future would complete (on the subscribing event loop), in order, before the stream's
 * completion. Like a {@link Task}, it may capture only immutable values.
 *
 * @param <I> the input type
 * @param <T> the type of the values it emits
 */
@FunctionalInterface
public interface StreamTask<I, T> {
    /**
     * Runs on a worker thread; returns when the stream is complete, throws to fail it.
     *
     * @param input the task's input, checked and cloned as a task's input is
     * @param out where to emit the values
     * @throws Exception anything: the subscriber's {@code onError} gets it, as a task's caller would
     */
    void run(I input, Emitter<T> out) throws Exception;

    /**
     * Where a {@link StreamTask} emits: each call waits until the subscriber has demanded one more value, so a worker
     * never runs ahead of its subscriber. Worker thread only, while the task runs.
     *
     * @param <T> the value type
     */
    interface Emitter<T> {
        /**
         * Sends one value, checked and cloned as a task's output is, once the subscriber demanded it.
         *
         * @param value the value
         * @throws java.util.concurrent.CancellationException if the subscription was cancelled, or the subscriber
         *     requested {@code n <= 0}, or the task stopped (timed out, or its pool closed forcibly); let it propagate
         * @throws NotSendableException if the value may not cross threads
         */
        void emit(T value);
    }
}
