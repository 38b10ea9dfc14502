package dev.offload.internal.supervise;

import dev.offload.PoolStats;
import dev.offload.internal.control.PoolConfig;
import dev.offload.internal.control.PoolCounters;
import dev.offload.internal.dispatch.QueueGauge;
import dev.offload.internal.idle.Waker;
import dev.offload.internal.worker.WorkerHandle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The workers of a pool: the live ones, and the abandoned ones whose threads still run (their counts still count).
 * The supervisor changes it; statistics and submitters read it.
 *
 * <p>Overview: two copy-on-write arrays, read without a lock. Every change, and every statistics read, holds the
 * {@link PoolCounters} lock, so that a worker that ends (its counters merged into the totals as it leaves) is counted
 * exactly once by any reader. A change also republishes the workers' wakers to the pool's dispatch.
 *
 * <p>Threading: changes from the supervisor thread (or the thread that builds the pool, before the supervisor
 * starts); reads from any thread.
 */
final class WorkerRegistry {
    private final SupervisedPool pool;
    private final PoolCounters counters;
    private volatile WorkerHandle[] live = new WorkerHandle[0];
    private volatile WorkerHandle[] departed = new WorkerHandle[0]; // abandoned, their threads still running

    WorkerRegistry(SupervisedPool pool) {
        this.pool = pool;
        this.counters = pool.counters();
    }

    WorkerHandle[] live() {
        return live;
    }

    boolean isLive(WorkerHandle w) {
        return contains(live, w);
    }

    boolean isDeparted(WorkerHandle w) {
        return contains(departed, w);
    }

    void add(WorkerHandle w) {
        synchronized (counters) {
            live = append(live, w);
            pool.setWakers(wakersOf(live));
        }
    }

    /** A live worker ended: it leaves, and its counters join the totals. */
    void ended(WorkerHandle w) {
        synchronized (counters) {
            live = without(live, w);
            pool.setWakers(wakersOf(live));
            counters.mergeEnded(w);
        }
    }

    /** A live worker was abandoned: it leaves the live ones, its counters still count until its thread ends. */
    void abandoned(WorkerHandle w) {
        synchronized (counters) {
            live = without(live, w);
            departed = append(departed, w);
            pool.setWakers(wakersOf(live));
        }
    }

    /** An abandoned worker's thread ended at last. */
    void departedEnded(WorkerHandle w) {
        synchronized (counters) {
            departed = without(departed, w);
            counters.mergeEnded(w);
        }
    }

    int busy() {
        return busyIn(live);
    }

    private static int busyIn(WorkerHandle[] workers) {
        int n = 0;
        for (WorkerHandle w : workers) {
            if (w.isBusy()) {
                n++;
            }
        }
        return n;
    }

    PoolStats stats(long createdNanos) {
        PoolConfig config = pool.config();
        synchronized (counters) {
            WorkerHandle[] now = live;
            WorkerHandle[] all = departed.length == 0 ? now : concat(now, departed);
            PoolCounters.Totals t = counters.read(all);
            int busy = busyIn(now);
            long age = Math.max(1, System.nanoTime() - createdNanos);
            double utilization = Math.min(1.0, (double) t.busyNanos() / ((double) age * config.maxWorkers()));
            QueueGauge gauge = pool.gauge();
            return new PoolStats(
                    gauge.acquiredTotal() + counters.refusedFull.get(),
                    t.completed(),
                    t.failed(),
                    counters.cancelled.get(),
                    counters.rejected.get(),
                    counters.timedOut.get(),
                    gauge.queued(),
                    busy,
                    now.length,
                    counters.workerCrashes.get(),
                    counters.workerRestarts.get(),
                    counters.workersAbandoned.get(),
                    pool.publicState(),
                    t.runTime(),
                    t.waitTime(),
                    utilization);
        }
    }

    private static Waker[] wakersOf(WorkerHandle[] ws) {
        Waker[] ks = new Waker[ws.length];
        for (int i = 0; i < ws.length; i++) {
            ks[i] = ws[i].waker();
        }
        return ks;
    }

    private static boolean contains(WorkerHandle[] ws, WorkerHandle w) {
        for (WorkerHandle x : ws) {
            if (x == w) {
                return true;
            }
        }
        return false;
    }

    private static WorkerHandle[] append(WorkerHandle[] ws, WorkerHandle w) {
        WorkerHandle[] next = Arrays.copyOf(ws, ws.length + 1);
        next[ws.length] = w;
        return next;
    }

    private static WorkerHandle[] without(WorkerHandle[] ws, WorkerHandle w) {
        List<WorkerHandle> rest = new ArrayList<>(ws.length);
        for (WorkerHandle x : ws) {
            if (x != w) {
                rest.add(x);
            }
        }
        return rest.toArray(new WorkerHandle[0]);
    }

    private static WorkerHandle[] concat(WorkerHandle[] a, WorkerHandle[] b) {
        WorkerHandle[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
