package dev.offload.internal.loop;

import dev.offload.internal.task.CompletionOwner;
import dev.offload.internal.task.OwnedFuture;
import dev.offload.internal.task.TaskRecord;
import java.util.concurrent.Executor;

/**
 * Completes the futures of tasks submitted from an event loop on that loop, and runs their dependents there. Any
 * thread.
 *
 * <p>A worker delivers every completion through this object, so it sits alone on its cache lines (padding before it
 * in {@link CompletionOwner}, after it here): it never shares a line with the loop's own fields, which the loop thread
 * writes all the time.
 */
public final class LoopOwner extends LoopOwnerFields implements OwnedFuture.DependentExecutor {
    @SuppressWarnings("unused")
    private long t01, t02, t03, t04, t05, t06, t07, t08, t09, t10, t11, t12, t13, t14, t15, t16;

    public LoopOwner(LoopCore loop) {
        super(loop);
    }

    /**
     * Hands a completion to the loop. After a close that timed out, the loop has ended and cancelled the future
     * already: the completion then lands in an inbox nobody reads, which changes nothing.
     */
    @Override
    public void deliver(TaskRecord record) {
        loop.deliverCompletion(record);
    }

    @Override
    public Executor asyncExecutor() {
        return later;
    }

    @Override
    public OwnedFuture.DependentExecutor dependentExecutor() {
        return this;
    }

    /**
     * Runs a dependent at once on the loop thread ({@link LoopState#runDependent}: a chain of stages does not grow
     * the stack), else hands it to the loop (after it ended: runs it here).
     */
    @Override
    public void execute(Runnable dependent) {
        if (Thread.currentThread() != loop.thread()) {
            if (!loop.offer(dependent)) {
                dependent.run();
            }
            return;
        }
        loop.local().runDependent(dependent);
    }

    @Override
    public boolean onOwnerThread() {
        return Thread.currentThread() == loop.thread();
    }

    @Override
    public String ownerName() {
        return loop.name();
    }

    @Override
    public Executor later() {
        return later;
    }
}

/** The fields of {@link LoopOwner}, between its two paddings: final, read by workers, written by no thread. */
abstract class LoopOwnerFields extends CompletionOwner {
    final LoopCore loop;
    final Executor later;

    LoopOwnerFields(LoopCore loop) {
        this.loop = loop;
        this.later = action -> {
            if (!loop.offer(action)) {
                action.run();
            }
        };
    }
}
