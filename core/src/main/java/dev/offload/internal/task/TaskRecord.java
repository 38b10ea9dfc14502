package dev.offload.internal.task;

import dev.offload.AsyncTask;
import dev.offload.QueuedTask;
import dev.offload.TaskOptions;
import dev.offload.internal.base.VarHandles;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * One submitted task: what to run, its input, the state machine that decides its single outcome, and its future. The
 * same object is returned by {@code submit}, queued, run by a worker and handed back to the owner, so a task costs one
 * object; a caller reaches only the {@code CompletableFuture} methods and the two {@link QueuedTask} getters.
 *
 * <p>Overview: {@code QUEUED -> RUNNING -> DONE} on the normal path; an async task goes {@code RUNNING -> PENDING}
 * when its synchronous part returns, then {@code PENDING -> DONE}. {@code DONE} holds a value or a failure (the task
 * threw, timed out, was refused at hand-over, its worker crashed, its pool failed); {@code CANCELLED} means cancelled
 * by its future or by a forced close. A decision that interrupts a running task goes through {@code INTERRUPTING}:
 * the decider interrupts the runner in between, and the worker waits for the end state before it clears its interrupt
 * status, so an interrupt never leaks into the next task. Whoever wins the transition out of QUEUED, RUNNING or
 * PENDING counts the outcome and delivers the record to the owner, exactly once.
 *
 * <p>Memory ordering: the submitter's writes (input) are published by the queue's offer; the decider writes
 * {@code payload} and {@code failure} after winning its CAS, and the delivery (an MPSC offer or an executor hand-off)
 * publishes them to the owner, which completes the future. A {@code cancel} completes the future at once, on the
 * cancelling thread, as {@code Future} requires; its dependents still run where the owner says.
 */
public final class TaskRecord extends OwnedFuture<Object> implements QueuedTask {
    static final int QUEUED = 0;
    static final int RUNNING = 1;
    static final int INTERRUPTING = 2;
    public static final int PENDING = 3;
    public static final int DONE = 4;
    static final int CANCELLED = 5;

    // The state word: the phase (one of the above) in the low bits, the interrupt mark of an end state above it, and
    // above that the submitting loop's registry slot plus one (0: none). The slot is written once, by the loop, before
    // the record is published; every transition keeps it. One word instead of three fields keeps a record at 64 bytes.
    private static final int PHASE = 0b111;
    private static final int INTERRUPTED = 0b1000;
    private static final int SLOT_SHIFT = 4;

    /** The most registry slots a loop can number in a record's state word. */
    public static final int MAX_LOOP_SLOTS = 1 << (Integer.SIZE - SLOT_SHIFT - 1);

    private static final VarHandle STATE =
            VarHandles.field(MethodHandles.lookup(), TaskRecord.class, "state", int.class);
    private static final VarHandle HOOKS =
            VarHandles.field(MethodHandles.lookup(), TaskRecord.class, "hooks", Object.class);
    private static final Object HOOKS_CLOSED = new Object();

    final Settler settler; // the pool, as the record sees it
    final Object task;
    final CompletionOwner owner;
    private final Object options; // the TaskOptions, or a Sited holding them and the submit site
    long submitNanos; // when handed to the workers; set before the queue's offer publishes the record

    Object payload; // the input (or its Moves until admission commits) until a worker takes it, then the output
    Throwable failure; // written by the decider after winning; published by the delivery
    Thread runner; // written before the CAS to RUNNING, read by a decider that saw RUNNING

    private volatile int state; // see PHASE
    private volatile Object hooks; // null, a Hook chain, or HOOKS_CLOSED

    public TaskRecord(
            Settler settler, Object task, Object input, CompletionOwner owner, TaskOptions options, Throwable site) {
        this.settler = settler;
        this.task = task;
        this.payload = input;
        this.owner = owner;
        this.options = site == null ? options : new Sited(options, site);
    }

    /**
     * A record that belongs to no pool and reads as stopped, with its hooks closed: a worker's current task once the
     * supervisor abandoned it (a hook the abandoned task registers then runs at once).
     */
    public static TaskRecord stoppedMark() {
        TaskRecord mark = new TaskRecord(null, null, null, CompletionOwner.DIRECT, TaskOptions.DEFAULT, null);
        mark.state = CANCELLED;
        mark.hooks = HOOKS_CLOSED;
        return mark;
    }

    /**
     * The running task's thread: hands a progress value to the listener of {@link TaskOptions#withProgress}, where the
     * owner completes the future and ahead of the completion (the worker hands the completion over after this). A
     * value whose delivery finds the future completed (cancelled meanwhile) is dropped: it never follows the
     * completion.
     *
     * @param prepared the value, already checked and copied
     */
    void postProgress(Object prepared) {
        Consumer<Object> listener = options().progress();
        if (listener != null) {
            owner.deliverProgress(() -> {
                if (!isDone()) {
                    listener.accept(prepared);
                }
            });
        }
    }

    /** The task's options. */
    TaskOptions options() {
        return options instanceof Sited sited ? sited.options : (TaskOptions) options;
    }

    /** Where the task was submitted, if its pool captures submit sites; else {@code null}. */
    Throwable submitSite() {
        return options instanceof Sited sited ? sited.site : null;
    }

    /** The loop's thread, before the record is published: numbers the record in the loop's registry. */
    void setLoopSlot(int slot) {
        int s = (int) STATE.get(this); // plain: no other thread has seen this record yet
        STATE.set(this, (s & (PHASE | INTERRUPTED)) | ((slot + 1) << SLOT_SHIFT));
    }

    /** The loop's thread: the registry slot set by {@link #setLoopSlot}, or -1. */
    int loopSlot() {
        return (state >>> SLOT_SHIFT) - 1;
    }

    @Override
    public int priority() {
        return options().priority();
    }

    @Override
    public long sequence() {
        return submitNanos;
    }

    @Override
    OwnedFuture.DependentExecutor dependentExecutor() {
        return owner.dependentExecutor();
    }

    @Override
    public Executor defaultExecutor() {
        return owner.asyncExecutor();
    }

    /**
     * Cancels the task: a queued one never runs; a running one sees {@code TaskContext.isCancelled()}, and with
     * {@code mayInterruptIfRunning} is also interrupted and, if it keeps running past the pool's grace period, has its
     * worker abandoned. Completes this future at once.
     *
     * @return {@code true} if this future is cancelled when the call returns
     */
    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        stop(mayInterruptIfRunning, null, cancelledByFuture(), Outcome.CANCELLED);
        return isCancelled();
    }

    String taskName() {
        return task == null ? "null" : task.getClass().getName();
    }

    boolean isAsync() {
        return task instanceof AsyncTask<?, ?>;
    }

    boolean isQueued() {
        return (state & PHASE) == QUEUED;
    }

    boolean isPending() {
        return (state & PHASE) == PENDING;
    }

    /** Worker thread, inside the task: whether another thread decided the task's end (cancel, timeout, close). */
    boolean isStopRequested() {
        return (state & PHASE) != RUNNING;
    }

    /**
     * Whether a stop interrupted the running task (cancel with interrupt, timeout, forced close): if the task keeps
     * running past the grace period, its worker is abandoned. Only the stop that won marks it, in its store of the end
     * state after {@code INTERRUPTING}; a stop that lost (the worker finished first) writes nothing, so a task that
     * ended its own way never reads as interrupted.
     */
    boolean stoppedWithInterrupt() {
        int s = state;
        return (s & PHASE) == INTERRUPTING || (s & INTERRUPTED) != 0;
    }

    /** Worker thread: claims a queued task. Returns false if it ended meanwhile (cancelled, timed out, failed). */
    boolean tryStart(Thread worker) {
        runner = worker;
        return move(QUEUED, RUNNING); // publishes runner to a decider that sees RUNNING
    }

    /**
     * Worker thread: the synchronous part of the task returned. For a plain task, decides DONE; for an async task,
     * moves to PENDING. Returns false if another thread decided first; then waits until that decider's interrupt, if
     * any, has been sent. The caller clears the interrupt status after every task either way.
     */
    boolean finishRun(int next) {
        if (move(RUNNING, next)) {
            if (next == DONE) {
                runner = null; // hooks stay as they are: none can be added any more, and none will run
            }
            return true;
        }
        while ((state & PHASE) == INTERRUPTING) {
            Thread.onSpinWait();
        }
        runner = null;
        return false;
    }

    /** Any thread: an async task's stage completed; decides DONE unless another thread decided first. */
    boolean finishPending() {
        if (move(PENDING, DONE)) {
            runner = null;
            return true;
        }
        return false;
    }

    /** Decides a task that no worker has taken: {@code QUEUED -> DONE} with {@code failure}, or cancelled. */
    boolean decideQueued(Throwable failure, boolean cancelled) {
        if (move(QUEUED, cancelled ? CANCELLED : DONE)) {
            this.failure = failure;
            return true;
        }
        return false;
    }

    /**
     * Decides the task's end from another thread than its runner: a cancel by its future, a run-time timeout, a forced
     * close, the owner loop closing. A running task is told (flag, hooks) and, with {@code interrupt}, interrupted.
     *
     * @param interrupt whether to interrupt a running task
     * @param failure the failure to complete with, or {@code null} for a cancellation
     * @param cancellation the exception of a cancellation
     * @param outcome how the pool counts it
     * @return {@code true} if this call decided the end
     */
    boolean stop(boolean interrupt, Throwable failure, CancellationException cancellation, Outcome outcome) {
        int end = failure == null ? CANCELLED : DONE;
        while (true) {
            int s = state;
            int phase = s & PHASE;
            int kept = s & ~PHASE; // the registry slot; no interrupt mark before the end
            if (phase == QUEUED || phase == PENDING) {
                if (STATE.compareAndSet(this, s, kept | end)) {
                    this.failure = failure != null ? failure : cancellation;
                    if (phase == PENDING && runner instanceof TaskThread t) {
                        t.pendingStopped(this); // frees its worker's async slot now, not when its stage ends
                    }
                    settler.onStopped(this, phase == QUEUED, false, outcome);
                    fireHooks();
                    return true;
                }
            } else if (phase == RUNNING) {
                if (STATE.compareAndSet(this, s, kept | (interrupt ? INTERRUPTING : end))) {
                    this.failure = failure != null ? failure : cancellation;
                    if (interrupt) {
                        Thread t = runner;
                        if (t != null) {
                            t.interrupt();
                        }
                        state = kept | end | INTERRUPTED; // releases the worker waiting in finishRun
                    }
                    settler.onStopped(this, false, interrupt, outcome);
                    fireHooks();
                    return true;
                }
            } else {
                return false;
            }
        }
    }

    private CancellationException cancelledByFuture() {
        return new CancellationException("task cancelled by its future: task=" + taskName());
    }

    /**
     * Completes the future with the decided outcome. On the owner: its thread, or whatever thread the owner uses.
     * A future completed from outside meanwhile ({@code complete}, {@code obtrude*}, {@code orTimeout}) keeps that.
     */
    void completeOnOwner() {
        int s = state & PHASE;
        if (s == DONE) {
            Throwable f = failure;
            if (f != null) {
                completeExceptionally(f);
            } else {
                complete(payload);
            }
        } else if (s == CANCELLED) {
            completeExceptionally(failure);
        } else {
            throw new IllegalStateException("task outcome not decided yet: " + this);
        }
    }

    /** Completes a cancelled future at once on the deciding thread, as {@code Future.cancel} promises. */
    void completeCancelledNow() {
        completeExceptionally(failure);
    }

    /** Worker thread, inside the task: adds a hook that runs if the task is stopped; at once if it already was. */
    void addHook(Runnable hook) {
        while (true) {
            Object h = hooks;
            if (h == HOOKS_CLOSED) {
                if (isStopRequested()) {
                    Hook.runAll(new Hook(hook, null), this);
                }
                return;
            }
            if (HOOKS.compareAndSet(this, h, new Hook(hook, (Hook) h))) {
                return;
            }
        }
    }

    private void fireHooks() {
        Object h = HOOKS.getAndSet(this, HOOKS_CLOSED);
        if (h instanceof Hook chain) {
            Hook.runAll(chain, this);
        }
    }

    @Override
    public String toString() {
        return "Task[" + taskName() + ", state=" + (state & PHASE) + ", " + super.toString() + "]";
    }

    /**
     * Moves the phase from {@code from} to {@code to}, keeping the rest of the state word. The registry slot never
     * changes once the record is published, and the interrupt mark is set only with an end state, which never moves.
     */
    private boolean move(int from, int to) {
        int kept = state & ~PHASE;
        return STATE.compareAndSet(this, kept | from, kept | to);
    }

    /** The options of a task whose pool captures submit sites, with the site: one field for both in the record. */
    private record Sited(TaskOptions options, Throwable site) {}

    /** How a decided task counts in the pool's statistics. */
    public enum Outcome {
        COMPLETED,
        FAILED,
        TIMED_OUT,
        CRASHED,
        CANCELLED,
        REJECTED
    }

    /** A stop hook of a task, in a chain; runs on a virtual thread so that a slow hook never holds the decider. */
    private record Hook(Runnable action, Hook next) {
        private static final System.Logger LOG = System.getLogger("dev.offload.WorkerPool");

        static void runAll(Hook chain, TaskRecord record) {
            Thread.ofVirtual().name("offload-stop-hook").start(() -> {
                for (Hook h = chain; h != null; h = h.next) {
                    try {
                        h.action.run();
                    } catch (Throwable t) {
                        LOG.log(System.Logger.Level.WARNING, "stop hook failed: task=" + record.taskName(), t);
                    }
                }
            });
        }
    }
}
