package dev.offload;

import dev.offload.internal.pool.PoolCore;
import dev.offload.internal.pool.StressPools;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * Contract 5 on {@link AbortSignal}: a submit with a signal races with the signal's abort, on the real admission
 * ({@link WorkerPool}'s steps: the check, the submit, the tracking) of a pool whose worker never runs, so an accepted
 * task stays queued unless the abort cancels it. Either the submit is refused, or its task is cancelled: never an
 * accepted task that the abort missed.
 */
public final class AbortSignalStress {
    private AbortSignalStress() {}

    static final Task<Integer, Integer> IDENTITY = x -> x;

    /** Results: r1 = 1 if the submit was accepted, 0 if refused; r2 = the future: 1 cancelled, 0 pending, -1 none. */
    @JCStressTest
    @Outcome(id = "0, -1", expect = Expect.ACCEPTABLE, desc = "Aborted first: the submit is refused.")
    @Outcome(id = "1, 1", expect = Expect.ACCEPTABLE, desc = "Accepted, then cancelled by the abort.")
    @Outcome(id = "1, 0", expect = Expect.FORBIDDEN, desc = "Accepted and still queued: the abort missed the task.")
    @Outcome(expect = Expect.FORBIDDEN, desc = "Any other result.")
    @State
    public static class SubmitVsAbort {
        private final PoolCore core = StressPools.unstarted(0, 1, 0);
        private final AbortSignal signal = AbortSignal.create();
        private CompletableFuture<Object> future;

        @Actor
        public void submitter(II_Result r) {
            try {
                signal.checkNotAborted("stress");
            } catch (CancellationException refused) {
                r.r1 = 0;
                return;
            }
            CompletableFuture<Object> f = core.submit(IDENTITY, 1, TaskOptions.DEFAULT);
            signal.track(f, PoolCore::abort);
            future = f;
            r.r1 = 1;
        }

        @Actor
        public void aborter() {
            signal.abort(new IllegalStateException("stop"));
        }

        @Arbiter
        public void arbiter(II_Result r) {
            CompletableFuture<Object> f = future;
            r.r2 = f == null ? -1 : f.isCancelled() ? 1 : f.isDone() ? 2 : 0;
        }
    }
}
