package dev.offload;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * Per-submit options: priority, where the completion is delivered, time limits and an abort signal. Immutable; start
 * from {@link #DEFAULT} and change what you need: {@code TaskOptions.DEFAULT.withTimeout(Duration.ofSeconds(2))}.
 *
 * <p>Threading: immutable, any thread.
 */
public final class TaskOptions {
    /** No priority, default delivery, the pool's time limits. */
    public static final TaskOptions DEFAULT = new TaskOptions(0, null, null, null, null, null, List.of());

    private final int priority;
    private final Executor executor;
    private final Duration timeout;
    private final Duration queueTimeout;
    private final AbortSignal signal;
    private final Consumer<Object> progress;
    private final List<Object> moved; // empty for none

    private TaskOptions(
            int priority,
            Executor executor,
            Duration timeout,
            Duration queueTimeout,
            AbortSignal signal,
            Consumer<Object> progress,
            List<Object> moved) {
        this.priority = priority;
        this.executor = executor;
        this.timeout = timeout;
        this.queueTimeout = queueTimeout;
        this.signal = signal;
        this.progress = progress;
        this.moved = moved;
    }

    /**
     * Returns the priority for a {@link TaskQueue#priority priority queue}; higher runs first; ignored by FIFO.
     *
     * @return the priority, 0 by default
     */
    public int priority() {
        return priority;
    }

    /**
     * Returns where the future completes when submitting from outside an event loop.
     *
     * @return the executor, or {@code null} for the pool's default (its
     *     {@link WorkerPool.Builder#completionExecutor executor}, else the worker thread)
     */
    public Executor executor() {
        return executor;
    }

    /**
     * Returns the longest a task may run, from the moment a worker starts it, before it fails with
     * {@link TaskTimeoutException} and is cancelled.
     *
     * @return the limit, or {@code null} for the pool's {@link WorkerPool.Builder#taskTimeout default}
     */
    public Duration timeout() {
        return timeout;
    }

    /**
     * Returns the longest a task may wait in the queue before it fails with {@link TaskTimeoutException} unrun.
     *
     * @return the limit, or {@code null} for the pool's {@link WorkerPool.Builder#queueTimeout default}
     */
    public Duration queueTimeout() {
        return queueTimeout;
    }

    /**
     * Returns these options with another priority.
     *
     * @param priority the priority
     * @return new options
     */
    public TaskOptions withPriority(int priority) {
        return new TaskOptions(priority, executor, timeout, queueTimeout, signal, progress, moved);
    }

    /**
     * Returns these options with another completion executor.
     *
     * @param executor the executor
     * @return new options
     */
    public TaskOptions withExecutor(Executor executor) {
        return new TaskOptions(
                priority, Objects.requireNonNull(executor, "executor"), timeout, queueTimeout, signal, progress, moved);
    }

    /**
     * Returns these options with a run-time limit, which replaces the pool's default for this task.
     *
     * @param timeout more than zero
     * @return new options
     * @throws IllegalArgumentException if {@code timeout} is zero or negative
     */
    public TaskOptions withTimeout(Duration timeout) {
        return new TaskOptions(priority, executor, positive("timeout", timeout), queueTimeout, signal, progress, moved);
    }

    /**
     * Returns these options with a queue-wait limit, which replaces the pool's default for this task.
     *
     * @param queueTimeout more than zero
     * @return new options
     * @throws IllegalArgumentException if {@code queueTimeout} is zero or negative
     */
    public TaskOptions withQueueTimeout(Duration queueTimeout) {
        return new TaskOptions(
                priority, executor, timeout, positive("queueTimeout", queueTimeout), signal, progress, moved);
    }

    /**
     * Returns the signal whose abort cancels the task.
     *
     * @return the signal, or {@code null} for none
     */
    public AbortSignal signal() {
        return signal;
    }

    /**
     * Returns these options with an abort signal: {@link AbortSignal#abort(Throwable)} cancels the task, queued or
     * running, and a submit with a signal already aborted is refused, changing nothing.
     *
     * @param signal the signal; one signal may serve many tasks
     * @return new options
     */
    public TaskOptions withSignal(AbortSignal signal) {
        return new TaskOptions(
                priority, executor, timeout, queueTimeout, Objects.requireNonNull(signal, "signal"), progress, moved);
    }

    /**
     * Returns the listener of the task's progress values.
     *
     * @return the listener, or {@code null} for none
     */
    public Consumer<Object> progress() {
        return progress;
    }

    /**
     * Returns these options with a listener of the values the task posts with {@link TaskContext#post}. It runs where
     * the task's future completes (on the submitting event loop, else the completion executor, else the worker
     * thread), in the order posted, and always before the future completes: a value the task posts after its end
     * was decided (it was cancelled or timed out meanwhile) is dropped, never delivered after the completion.
     *
     * @param listener receives each progress value; what it throws goes where a callback's exception goes there
     * @return new options
     */
    public TaskOptions withProgress(Consumer<Object> listener) {
        return new TaskOptions(
                priority, executor, timeout, queueTimeout, signal, Objects.requireNonNull(listener, "listener"), moved);
    }

    /**
     * Returns these options with arrays that the task's input hands over instead of copying, as Piscina's
     * {@code move()}: with {@link Isolation#CHECKED} (the default) every array in an input is copied on submit, which
     * for large inputs is most of what a submit costs the calling thread (about 0.4 µs for 4 KiB on a small server);
     * a primitive array named here goes to the task as it is.
     *
     * <p>The caller's contract: it gives the arrays up. Java cannot detach an array as a transferred
     * {@code ArrayBuffer} is detached in JavaScript, so a write to a moved array after the submit, or the same array
     * moved to two tasks at once, races with the task: the caller must neither write nor reuse it until the task's
     * future has completed. Checked here: each entry is a primitive array, named once; checked at the submit: each is
     * inside the input (else the submit throws {@link IllegalArgumentException} and changes nothing). With
     * {@link Isolation#TRUSTED} nothing is copied anyway and the list is not consulted.
     *
     * @param arrays primitive arrays inside the input ({@code byte[]}, {@code int[]}, ...), each once
     * @return new options
     * @throws IllegalArgumentException if an entry is null, not a primitive array, or named twice
     */
    public TaskOptions withMoved(Object... arrays) {
        for (int i = 0; i < arrays.length; i++) {
            Object a = arrays[i];
            if (a == null
                    || !a.getClass().isArray()
                    || !a.getClass().getComponentType().isPrimitive()) {
                throw new IllegalArgumentException("withMoved: arrays[" + i + "] is "
                        + (a == null ? "null" : "a " + a.getClass().getName())
                        + ", not a primitive array; fix: name the byte[], int[]... arrays in the input that the task"
                        + " may have uncopied (a TransferableBuffer in an input always moves)");
            }
            for (int j = 0; j < i; j++) {
                if (arrays[j] == a) {
                    throw new IllegalArgumentException("withMoved: arrays[" + j + "] and arrays[" + i
                            + "] are the same array; fix: name each once");
                }
            }
        }
        return new TaskOptions(priority, executor, timeout, queueTimeout, signal, progress, List.of(arrays));
    }

    /**
     * Returns the arrays the input hands over uncopied ({@link #withMoved}).
     *
     * @return the arrays (an unmodifiable list), empty for none
     */
    public List<Object> moved() {
        return moved;
    }

    static Duration positive(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be > 0: " + name + "=" + value);
        }
        return value;
    }

    @Override
    public String toString() {
        return "TaskOptions[priority=" + priority + ", executor=" + executor + ", timeout=" + timeout
                + ", queueTimeout=" + queueTimeout + ", signal=" + signal + ", progress=" + progress
                + (moved.isEmpty() ? "" : ", moved=" + moved.size() + " arrays") + "]";
    }
}
