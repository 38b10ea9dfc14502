package dev.offload.internal.task;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * Contract 9 on {@link OwnedFuture}: a dependent of a loop-owned future runs on the loop, however the future
 * completes. The owner here is the first actor's thread, and its hand-off queue is drained by the arbiter, which
 * stands in for the loop running what it was handed.
 */
public final class OwnedFutureStress {
    private OwnedFutureStress() {}

    /** Where a dependent ran: 1 the owner's thread, 2 handed to the owner, 3 elsewhere (the bug). */
    static final class Owner implements OwnedFuture.DependentExecutor {
        final ConcurrentLinkedQueue<Runnable> handedOver = new ConcurrentLinkedQueue<>();
        volatile Thread thread;

        @Override
        public void execute(Runnable command) {
            if (Thread.currentThread() == thread) {
                command.run();
            } else {
                handedOver.add(command);
            }
        }

        @Override
        public boolean onOwnerThread() {
            return Thread.currentThread() == thread;
        }

        @Override
        public String ownerName() {
            return "stress-owner";
        }

        @Override
        public Executor later() {
            return handedOver::add;
        }

        /** Runs what was handed over, as the loop would. */
        void runHandedOver() {
            Runnable r;
            while ((r = handedOver.poll()) != null) {
                r.run();
            }
        }
    }

    /**
     * The owner adds a dependent while another thread cancels the future. Results: r1 = where the dependent ran (1 on
     * the owner's thread while it added it, 2 handed to the owner), r2 = how many times it ran.
     */
    @JCStressTest
    @Outcome(id = "1, 1", expect = Expect.ACCEPTABLE, desc = "Added after the cancel: ran at once, on the owner.")
    @Outcome(id = "2, 1", expect = Expect.ACCEPTABLE, desc = "Added before the cancel: handed to the owner.")
    @Outcome(id = "3, .*", expect = Expect.FORBIDDEN, desc = "Ran on the cancelling thread.")
    @Outcome(id = ".*, 0", expect = Expect.FORBIDDEN, desc = "Never ran.")
    @Outcome(expect = Expect.FORBIDDEN, desc = "Ran twice, or anything else.")
    @State
    public static class DependentVsCancel {
        private final Owner owner = new Owner();
        private final LoopBoundFuture<Integer> future = new LoopBoundFuture<>(owner);
        private volatile Thread ownerThread;
        private volatile Thread ranOn;
        private volatile int runs;

        @Actor
        public void loop() {
            Thread me = Thread.currentThread();
            ownerThread = me;
            owner.thread = me;
            future.whenComplete((v, t) -> {
                ranOn = Thread.currentThread();
                runs++;
            });
            owner.thread = null; // the loop moves on: anything still to run must be handed over
        }

        @Actor
        public void canceller() {
            future.cancel(true);
        }

        @Arbiter
        public void arbiter(II_Result r) {
            Thread direct = ranOn;
            owner.runHandedOver();
            Thread after = ranOn;
            r.r2 = runs;
            if (direct != null && direct == ownerThread) {
                r.r1 = 1;
            } else if (direct == null && after == Thread.currentThread()) {
                r.r1 = 2;
            } else {
                r.r1 = 3;
            }
        }
    }
}
