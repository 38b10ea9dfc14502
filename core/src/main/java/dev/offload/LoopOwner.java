package dev.offload;

import dev.offload.internal.CompletionOwner;
import dev.offload.internal.TaskRecord;
import java.util.concurrent.Executor;

/** Completes the futures of tasks submitted from an event loop on that loop. Any thread. */
final class LoopOwner extends CompletionOwner {
    private final EventLoop loop;

    LoopOwner(EventLoop loop) {
        this.loop = loop;
    }

    @Override
    public void deliver(TaskRecord record) {
        loop.deliver(record);
    }

    @Override
    public Executor asyncExecutor() {
        return loop;
    }
}
