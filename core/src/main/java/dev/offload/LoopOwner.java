package dev.offload;

import dev.offload.internal.CompletionOwner;
import dev.offload.internal.TaskRecord;
import dev.offload.internal.Waker;
import java.util.concurrent.Executor;
import org.jctools.queues.varhandle.MpscUnboundedVarHandleArrayQueue;

/**
 * Completes the futures of tasks submitted from an event loop on that loop. Any thread.
 *
 * <p>A worker delivers every completion through this object, so it holds the loop's inbox and waker itself and sits
 * alone on its cache lines (padding before it in {@link CompletionOwner}, after it here): it never shares a line with
 * the loop's own fields, which the loop thread writes all the time.
 */
final class LoopOwner extends LoopOwnerFields {
    @SuppressWarnings("unused")
    private long t01, t02, t03, t04, t05, t06, t07, t08, t09, t10, t11, t12, t13, t14, t15, t16;

    LoopOwner(EventLoop loop, MpscUnboundedVarHandleArrayQueue<Runnable> inbox, Waker waker) {
        super(loop, inbox, waker);
    }

    /** Hands a completion to the loop; it cannot be stranded: the loop does not end while one is expected. */
    @Override
    public void deliver(TaskRecord record) {
        inbox.offer(record);
        waker.wake();
    }

    @Override
    public Executor asyncExecutor() {
        return loop;
    }
}

/** The fields of {@link LoopOwner}, between its two paddings. */
abstract class LoopOwnerFields extends CompletionOwner {
    final EventLoop loop;
    final MpscUnboundedVarHandleArrayQueue<Runnable> inbox;
    final Waker waker;

    LoopOwnerFields(EventLoop loop, MpscUnboundedVarHandleArrayQueue<Runnable> inbox, Waker waker) {
        this.loop = loop;
        this.inbox = inbox;
        this.waker = waker;
    }
}
