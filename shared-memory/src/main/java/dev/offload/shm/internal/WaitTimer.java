package dev.offload.shm.internal;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/** The one daemon thread that times out asynchronous waiters and polls mapped cells for them; started on first use. */
final class WaitTimer {
    private WaitTimer() {}

    private static final class Holder {
        static final ScheduledThreadPoolExecutor TIMER = create();

        private static ScheduledThreadPoolExecutor create() {
            ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, runnable -> Thread.ofPlatform()
                    .daemon(true)
                    .name("offload-shm-wait-timer")
                    .unstarted(runnable));
            timer.setRemoveOnCancelPolicy(true);
            return timer;
        }
    }

    static ScheduledFuture<?> schedule(Runnable task, long delay, TimeUnit unit) {
        return Holder.TIMER.schedule(task, delay, unit);
    }

    static ScheduledFuture<?> scheduleWithFixedDelay(Runnable task, long delayNanos) {
        return Holder.TIMER.scheduleWithFixedDelay(task, delayNanos, delayNanos, TimeUnit.NANOSECONDS);
    }
}
