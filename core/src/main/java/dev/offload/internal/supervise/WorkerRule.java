package dev.offload.internal.supervise;

import dev.offload.PoolEvent;
import dev.offload.internal.control.PoolConfig;
import dev.offload.internal.control.PoolEvents;
import dev.offload.internal.task.RecordAccess;
import dev.offload.internal.task.TaskRecord;
import dev.offload.internal.worker.WorkerHandle;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One rule the supervisor enforces on each live worker: when it is due ({@link #dueAt}) and what it does then
 * ({@link #act}), in one object, so that the supervisor's pass that acts and its computation of when to wake next
 * read the same condition. The rules, in the order a pass applies them: a thread that died without reporting, the
 * blocked-task watchdog, the grace period of a stopped task (then abandonment), the run-time limit of a running task
 * and of an async task whose stage is pending, and the recycle age.
 *
 * <p>Supervisor thread only.
 */
interface WorkerRule {
    /**
     * Returns when this rule is next due for the worker: a time not after {@code now} if it is due now,
     * {@link Long#MAX_VALUE} if it needs no timed wake-up (a request wakes the supervisor when that changes).
     *
     * @param w the worker, with its running task read for this pass
     * @param now the pass's clock reading
     * @return a {@link System#nanoTime()} deadline
     */
    long dueAt(Watch w, long now);

    /**
     * Acts on the worker; called when {@link #dueAt} returned a time not after {@code now}.
     *
     * @param w the worker
     * @param now the pass's clock reading
     * @return {@code true} if the later rules are skipped for this worker in this pass
     */
    boolean act(Watch w, long now);

    /** What the rules do to the pool and its workers: the supervisor implements it. */
    interface Actions {
        /** Decides {@code r}'s end with a run-time timeout; with {@code interrupt}, interrupts its runner. */
        void timeOut(TaskRecord r, long limit, long elapsed, boolean interrupt);

        /** Leaves the worker to {@code r}, a task that would not stop, if the worker is still inside it. */
        void abandon(Watch w, TaskRecord r);

        /** Whether a recycle of {@code w} could be queued now. */
        boolean recycleCandidate(WorkerHandle w);

        /** Queues a recycle of {@code w}. */
        void recycle(WorkerHandle w);

        /** The worker's thread ended without reporting: count it as a crash. */
        void diedSilently(WorkerHandle w);

        /** The run-time limit of {@code r} in nanoseconds, 0 for none. */
        long runLimitOf(TaskRecord r);
    }

    /**
     * The rules for a pool, in the order a pass applies them.
     *
     * @param config the pool's configuration
     * @param events where the watchdog reports
     * @param actions what the rules do
     * @return the rules
     */
    static List<WorkerRule> of(PoolConfig config, PoolEvents events, Actions actions) {
        return List.of(
                new SilentDeath(actions),
                new Watchdog(config, events),
                new Grace(config, actions),
                new RunLimit(actions),
                new AsyncLimit(actions),
                new RecycleAge(config, actions));
    }

    /**
     * A worker whose thread ended without reporting (its thread's end happens-before {@code isAlive()} is false, so a
     * report would be seen): counted as a crash. Cannot happen short of a failure in the pool's own code.
     */
    record SilentDeath(Actions actions) implements WorkerRule {
        @Override
        public long dueAt(Watch w, long now) {
            WorkerHandle worker = w.worker;
            return w.startedThread && !worker.hasReported() && !w.deathHandled && !worker.isAlive()
                    ? now
                    : Long.MAX_VALUE;
        }

        @Override
        public boolean act(Watch w, long now) {
            w.deathHandled = true;
            actions.diedSilently(w.worker);
            return true;
        }
    }

    /**
     * The blocked-task watchdog: a task that runs past the threshold is reported once, with its worker's stack; also a
     * task cancelled without interrupt, which may finish in its own time.
     */
    record Watchdog(PoolConfig config, PoolEvents events) implements WorkerRule {
        @Override
        public long dueAt(Watch w, long now) {
            long blocked = config.blockedNanos();
            if (blocked <= 0) {
                return Long.MAX_VALUE;
            }
            if (w.task == null) { // between two tasks of a busy period: the next one may block
                return w.worker.isBusy() ? now + blocked : Long.MAX_VALUE;
            }
            return w.reportedBlocked(w.task) ? Long.MAX_VALUE : w.taskStart + blocked;
        }

        @Override
        public boolean act(Watch w, long now) {
            TaskRecord r = w.task;
            w.reportBlocked(r);
            events.emit(new PoolEvent.TaskBlocked(
                    config.name(),
                    w.worker.workerId(),
                    RecordAccess.taskName(r),
                    Duration.ofNanos(now - w.taskStart),
                    w.worker.stack()));
            return false;
        }
    }

    /**
     * A task stopped with interrupt (cancelled, timed out, closed) that keeps running: its grace period starts when
     * the supervisor first sees it stopped, and when it ends the worker is abandoned. A task stopped without interrupt
     * ({@code cancel(false)}) may finish in its own time.
     */
    record Grace(PoolConfig config, Actions actions) implements WorkerRule {
        @Override
        public long dueAt(Watch w, long now) {
            TaskRecord r = w.task;
            if (r == null || !RecordAccess.isStopRequested(r) || !RecordAccess.stoppedWithInterrupt(r)) {
                return Long.MAX_VALUE;
            }
            return w.stopSeenFor(r) ? w.stopSeenAt + config.cancelGraceNanos() : now;
        }

        @Override
        public boolean act(Watch w, long now) {
            TaskRecord r = w.task;
            if (!w.stopSeenFor(r)) {
                w.stopSeen(r, now);
            } else {
                actions.abandon(w, r); // only if the worker is still inside r (a CAS decides)
            }
            return false;
        }
    }

    /** The run-time limit of the running task: it is timed out, interrupted, and its grace period starts. */
    record RunLimit(Actions actions) implements WorkerRule {
        @Override
        public long dueAt(Watch w, long now) {
            TaskRecord r = w.task;
            if (r == null || RecordAccess.isStopRequested(r)) {
                return Long.MAX_VALUE;
            }
            long limit = actions.runLimitOf(r);
            return limit > 0 ? w.taskStart + limit : Long.MAX_VALUE;
        }

        @Override
        public boolean act(Watch w, long now) {
            TaskRecord r = w.task;
            actions.timeOut(r, actions.runLimitOf(r), now - w.taskStart, true);
            w.stopSeen(r, now);
            return false;
        }
    }

    /** The run-time limit of async tasks whose stage is pending: timed out (no thread to interrupt), slot freed. */
    record AsyncLimit(Actions actions) implements WorkerRule {
        @Override
        public long dueAt(Watch w, long now) {
            long next = Long.MAX_VALUE;
            for (Map.Entry<TaskRecord, Long> pending : w.worker.pendingAsync().entrySet()) {
                long due = dueOf(pending);
                if (due - next < 0) {
                    next = due;
                }
            }
            return next;
        }

        @Override
        public boolean act(Watch w, long now) {
            for (Map.Entry<TaskRecord, Long> pending : w.worker.pendingAsync().entrySet()) {
                if (dueOf(pending) - now <= 0) {
                    TaskRecord p = pending.getKey();
                    actions.timeOut(p, actions.runLimitOf(p), now - pending.getValue(), false);
                }
            }
            return false;
        }

        private long dueOf(Map.Entry<TaskRecord, Long> pending) {
            TaskRecord p = pending.getKey();
            long limit = actions.runLimitOf(p);
            return limit > 0 && RecordAccess.isPending(p) ? pending.getValue() + limit : Long.MAX_VALUE;
        }
    }

    /** A worker older than {@code maxWorkerAge} is queued for a rolling recycle (unless it is being recycled). */
    record RecycleAge(PoolConfig config, Actions actions) implements WorkerRule {
        @Override
        public long dueAt(Watch w, long now) {
            long age = config.maxWorkerAgeNanos();
            return age > 0 && actions.recycleCandidate(w.worker) ? w.worker.startedNanos() + age : Long.MAX_VALUE;
        }

        @Override
        public boolean act(Watch w, long now) {
            actions.recycle(w.worker);
            return false;
        }
    }
}
