package dev.offload.internal;

import dev.offload.AsyncTask;
import dev.offload.QueuedTask;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * One submitted task: what to run, its input, the state machine that decides its single outcome, and its future: the
 * same object is returned by {@code submit}, queued, run by a worker and handed to the owner as the completion, so a
 * task costs one object. {@link #cancel(boolean)} cancels the task itself; {@code *Async} methods without an executor
 * run on the owner (the submitting event loop).
 *
 * <p>Overview: {@code QUEUED -> RUNNING -> DONE} on the normal path. {@code QUEUED -> CANCELLED} or
 * {@code QUEUED -> REJECTED} when cancelled or dropped by a forced close before a worker took it.
 * {@code RUNNING -> INTERRUPTING -> CANCELLED} when cancelled with interrupt while running (the canceller interrupts
 * the runner in between; the worker waits for CANCELLED before it clears its interrupt status, so an interrupt never
 * leaks into the next task), {@code RUNNING -> CANCELLED} without interrupt. An async task moves
 * {@code RUNNING -> PENDING} when its synchronous part returns, then {@code PENDING -> DONE} or
 * {@code PENDING -> CANCELLED}. Whoever wins the transition out of QUEUED, RUNNING or PENDING into an end state
 * counts the outcome and delivers the record to the owner, exactly once.
 *
 * <p>Memory ordering: the submitter's writes (input) are published by the queue's offer; the worker's writes
 * ({@code result}, {@code failure}) precede its CAS to DONE and are published to the owner by the delivery (an MPSC
 * offer or an executor hand-off).
 */
public final class TaskRecord extends CompletableFuture<Object> implements LoopCompletion, QueuedTask {
    static final int QUEUED = 0;
    static final int RUNNING = 1;
    static final int INTERRUPTING = 2;
    static final int PENDING = 3;
    static final int DONE = 4;
    static final int CANCELLED = 5;
    static final int REJECTED = 6;

    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(TaskRecord.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final PoolCore pool;
    final Object task;
    long submitNanos; // when handed to the workers; set before the queue's offer publishes the record
    final Throwable submitSite;
    private final CompletionOwner owner;
    private final int priority;

    Object payload; // the input until a worker takes it, then the output
    Thread runner; // written before the CAS to RUNNING, read by a canceller that saw RUNNING
    Throwable failure;

    private volatile int state;

    TaskRecord(PoolCore pool, Object task, Object input, CompletionOwner owner, int priority, Throwable submitSite) {
        this.pool = pool;
        this.task = task;
        this.payload = input;
        this.owner = owner;
        this.priority = priority;
        this.submitSite = submitSite;
    }

    @Override
    public int priority() {
        return priority;
    }

    @Override
    public long sequence() {
        return submitNanos;
    }

    boolean isAsync() {
        return task instanceof AsyncTask<?, ?>;
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        return cancelTask(mayInterruptIfRunning) || isCancelled();
    }

    @Override
    public Executor defaultExecutor() {
        return owner.asyncExecutor();
    }

    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
        return new CompletableFuture<>();
    }

    void cancelInternal() {
        super.cancel(false);
    }

    CompletionOwner owner() {
        return owner;
    }

    boolean isQueued() {
        return state == QUEUED;
    }

    boolean isCancelRequested() {
        int s = state;
        return s == CANCELLED || s == INTERRUPTING;
    }

    /** Worker thread: claims a queued task. Returns false if it was cancelled or rejected meanwhile. */
    boolean tryStart(Thread worker) {
        runner = worker;
        return STATE.compareAndSet(this, QUEUED, RUNNING); // publishes runner to a canceller that sees RUNNING
    }

    /**
     * Worker thread: the synchronous part of the task returned. For a plain task, decides DONE; for an async task,
     * moves to PENDING. Returns false if a cancel won; then waits until the canceller's interrupt, if any, has been
     * sent, and clears it.
     */
    boolean finishRun(int next) {
        if (STATE.compareAndSet(this, RUNNING, next)) {
            runner = null;
            return true;
        }
        while (state == INTERRUPTING) {
            Thread.onSpinWait();
        }
        Thread.interrupted(); // the cancel's interrupt, now sent, must not reach the next task
        runner = null;
        return false;
    }

    /** Any thread: an async task's stage completed; decides DONE unless a cancel won. */
    boolean finishPending() {
        return STATE.compareAndSet(this, PENDING, DONE);
    }

    /** Forced close: drops a queued task. */
    boolean tryReject(Throwable reason) {
        if (STATE.compareAndSet(this, QUEUED, REJECTED)) {
            failure = reason;
            return true;
        }
        return false;
    }

    private boolean cancelTask(boolean mayInterruptIfRunning) {
        while (true) {
            int s = state;
            if (s == QUEUED) {
                if (STATE.compareAndSet(this, QUEUED, CANCELLED)) {
                    pool.onCancelled(this, true);
                    return true;
                }
            } else if (s == RUNNING) {
                if (mayInterruptIfRunning) {
                    if (STATE.compareAndSet(this, RUNNING, INTERRUPTING)) {
                        Thread t = runner;
                        if (t != null) {
                            t.interrupt();
                        }
                        state = CANCELLED; // releases the worker waiting in finishRun
                        pool.onCancelled(this, false);
                        return true;
                    }
                } else if (STATE.compareAndSet(this, RUNNING, CANCELLED)) {
                    pool.onCancelled(this, false);
                    return true;
                }
            } else if (s == PENDING) {
                if (STATE.compareAndSet(this, PENDING, CANCELLED)) {
                    pool.onCancelled(this, false);
                    return true;
                }
            } else {
                return false;
            }
        }
    }

    /** On the owner, once the outcome is decided: completes this future with it. */
    @Override
    public void run() {
        switch (state) {
            case DONE -> {
                if (failure != null) {
                    completeExceptionally(failure);
                } else {
                    complete(payload);
                }
            }
            case REJECTED -> completeExceptionally(failure);
            case CANCELLED -> cancelInternal(); // usually done already by the canceller
            default -> throw new IllegalStateException("task outcome not decided yet: " + this);
        }
    }

    @Override
    public String toString() {
        return "Task[state=" + state + ", task="
                + (task == null ? null : task.getClass().getName()) + ", " + super.toString() + "]";
    }
}
