package dev.offload.internal.loop;

import dev.offload.internal.base.L1Pad;
import dev.offload.internal.task.CompletionOwner;
import dev.offload.internal.task.OwnedFuture;
import dev.offload.internal.task.TaskRecord;
import java.util.concurrent.Executor;

/**
 * Completes the futures of tasks submitted from an event loop on that loop, and runs their dependents there. Any
 * thread.
 *
 * <p>A worker delivers every completion through this object, so it sits alone on its cache lines (the padding chain
 * of {@link L1Pad}): it never shares a line with the loop's own fields, which the loop thread writes all the time.
 */
public final class LoopOwner extends LoopOwnerL2Pad implements OwnedFuture.DependentExecutor {

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

    /** Hands a progress delivery to the loop, behind what the worker handed over before; dropped if it ended. */
    @Override
    public void deliverProgress(Runnable delivery) {
        loop.offer(delivery);
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
abstract class LoopOwnerFields extends L1Pad implements CompletionOwner {
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

/** The padding after the fields of {@link LoopOwner}. */
abstract class LoopOwnerL2Pad extends LoopOwnerFields {
    @SuppressWarnings("unused")
    private long p00, p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15;

    LoopOwnerL2Pad(LoopCore loop) {
        super(loop);
    }
}
