package dev.offload.internal.message;

import dev.offload.internal.loop.LoopCore;
import dev.offload.internal.loop.StressLoops;
import dev.offload.internal.pool.StressPools;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;
import org.openjdk.jcstress.infra.results.II_Result;
import org.openjdk.jcstress.infra.results.I_Result;

/**
 * A message channel's contracts on the real {@link Endpoint}: a posted message's contents are visible to its receiver,
 * and a post racing with a close is delivered before the close handler runs, or refused; never lost. Each loop is an
 * unstarted one whose thread an actor stands in for.
 */
public final class EndpointStress {
    private EndpointStress() {}

    /**
     * A message that is a mutable array (copied at the post) crosses while the receiver polls. Results: the two
     * elements the receiver saw, or -1, -1 if the message had not arrived yet.
     */
    @JCStressTest
    @Outcome(id = "1, 2", expect = Expect.ACCEPTABLE, desc = "Received, contents complete.")
    @Outcome(id = "-1, -1", expect = Expect.ACCEPTABLE, desc = "Not arrived yet.")
    @Outcome(expect = Expect.FORBIDDEN, desc = "Received, but its contents not visible: publication broken.")
    @State
    public static class Publication {
        private final LoopCore sender = StressPools.unstartedLoop();
        private final LoopCore receiver = StressPools.unstartedLoop();
        private final Endpoint[] ends = Endpoint.pair();

        @Actor
        public void post() {
            ends[0].post(sender, new int[] {1, 2}, new Object[0]);
            sender.releasePosts(); // the callback that posted returns
        }

        @Actor
        public void receive(II_Result r) {
            Object m = ends[1].receive(receiver);
            if (m == Endpoint.NONE) {
                r.r1 = -1;
                r.r2 = -1;
            } else {
                int[] a = (int[]) m;
                r.r1 = a[0];
                r.r2 = a[1];
            }
        }
    }

    /**
     * The receiving loop has a message handler and a close handler; one actor posts while the other, the receiving
     * loop's thread, closes the channel and polls its inbox and its ports until the close handler ran (the arbiter, on
     * the same loop's behalf afterwards, runs what is left). Results: r1 = the message was delivered
     * before the close handler ran (1), after it (2) or never (0); r2 = the post was refused; r3 = the close handler
     * ran.
     */
    @JCStressTest
    @Outcome(id = "1, 0, 1", expect = Expect.ACCEPTABLE, desc = "Posted before the close: delivered, then closed.")
    @Outcome(id = "0, 1, 1", expect = Expect.ACCEPTABLE, desc = "Refused: the channel was closed.")
    @Outcome(id = "0, 0, 1", expect = Expect.FORBIDDEN, desc = "Lost: the post returned, the message never came.")
    @Outcome(id = "2, 0, 1", expect = Expect.FORBIDDEN, desc = "Delivered after the close handler.")
    @Outcome(expect = Expect.FORBIDDEN, desc = "Close handler never ran, or delivered and refused both.")
    @State
    public static class PostVsClose {
        private final LoopCore sender = StressPools.unstartedLoop();
        private final LoopCore receiver = StressPools.unstartedLoop();
        private final Endpoint[] ends = Endpoint.pair();
        private int delivered; // receiving loop's thread only: the loop actor, then the arbiter
        private volatile int closed;

        public PostVsClose() {
            ends[1].onMessage(receiver, m -> delivered = closed == 0 ? 1 : 2);
            ends[1].onClose(receiver, () -> closed = 1);
        }

        @Actor
        public void post(III_Result r) {
            try {
                ends[0].post(sender, "m", new Object[0]);
            } catch (IllegalStateException e) {
                r.r2 = 1;
            } finally {
                sender.releasePosts(); // the callback that posted returns: until then the close waits for it
            }
        }

        @Actor
        public void closeOnReceivingLoop() {
            ends[1].close();
            while (closed == 0) { // the close actor always closes, and a pass then runs the close handler
                if (StressLoops.drainAll(receiver) == 0) {
                    Thread.onSpinWait();
                }
            }
        }

        @Arbiter
        public void arbiter(III_Result r) {
            StressLoops.drainAll(receiver); // what came after the close handler, if anything
            r.r1 = delivered;
            r.r3 = closed;
        }
    }

    /**
     * The receiving end is transferred from loop A to loop B (inside a message, in real use) while its peer posts to
     * it. One actor is A's thread: it polls A's inbox and ports, transfers the end out, and polls them again (A must
     * not deliver to the end any more). The other posts (as the sender's loop), waits for the transfer, then binds the
     * end to B with a handler and polls B (as B's thread). The arbiter polls both afterwards. Results: r1 = the message
     * reached A's handler before the transfer (1), after it (2) or not (0); r2 = it reached B's handler on B (1), or on
     * A's thread (10: the old holder ran the new holder's handler, racing B for its queue); r3 = the post was refused.
     */
    @JCStressTest
    @Outcome(id = "1, 0, 0", expect = Expect.ACCEPTABLE, desc = "Arrived before the transfer: the old holder had it.")
    @Outcome(id = "0, 1, 0", expect = Expect.ACCEPTABLE, desc = "Arrived during or after it: the new holder has it.")
    @Outcome(id = "2, .*", expect = Expect.FORBIDDEN, desc = "The old holder's handler ran after the transfer.")
    @Outcome(id = "0, 0, 0", expect = Expect.FORBIDDEN, desc = "Lost in the transfer.")
    @Outcome(id = "1, 1, 0", expect = Expect.FORBIDDEN, desc = "Delivered twice.")
    @Outcome(id = "0, 10, 0", expect = Expect.FORBIDDEN, desc = "B's handler ran on A's thread.")
    @Outcome(expect = Expect.FORBIDDEN, desc = "Anything else.")
    @State
    public static class TransferVsPost {
        private final LoopCore sender = StressPools.unstartedLoop();
        private final LoopCore a = StressPools.unstartedLoop();
        private final LoopCore b = StressPools.unstartedLoop();
        private final Endpoint[] ends = Endpoint.pair();
        private volatile Thread aThread;
        private volatile boolean transferred;
        private int atA; // A's handler: A's thread only
        private volatile int atB;

        public TransferVsPost() {
            ends[1].onMessage(a, m -> atA = transferred ? 2 : 1);
        }

        @Actor
        public void loopA() {
            aThread = Thread.currentThread();
            StressLoops.drainAll(a);
            ends[1].transferOut(a);
            transferred = true;
            StressLoops.drainAll(a); // a pass queued on A before the transfer: must do nothing
        }

        @Actor
        public void senderThenLoopB(III_Result r) {
            try {
                ends[0].post(sender, "m", new Object[0]);
            } catch (IllegalStateException e) {
                r.r3 = 1;
            } finally {
                sender.releasePosts(); // the callback that posted returns
            }
            while (!transferred) {
                Thread.onSpinWait();
            }
            ends[1].onMessage(b, m -> atB += Thread.currentThread() == aThread ? 10 : 1);
            StressLoops.drainAll(b);
        }

        @Arbiter
        public void arbiter(III_Result r) {
            StressLoops.drainAll(a);
            StressLoops.drainAll(b);
            r.r1 = atA;
            r.r2 = atB;
        }
    }

    /**
     * The receiving end is one poll short of going to sleep (it stops being polled after {@link Endpoint#SLEEP_AFTER}
     * empty polls and waits to be roused through its loop's inbox) when a post races that poll. One actor posts; the
     * other is the receiving loop's thread and polls once. The arbiter, as the loop, polls its inbox and ports until
     * nothing is left. Result: whether the message was delivered. A post that left a sleeping end unroused would leave
     * the message queued with no one to poll it.
     */
    @JCStressTest
    @Outcome(id = "1", expect = Expect.ACCEPTABLE, desc = "Delivered: polled, or roused.")
    @Outcome(id = "0", expect = Expect.FORBIDDEN, desc = "Lost: the end went to sleep, and the post did not rouse it.")
    @State
    public static class PostVsSleep {
        private final LoopCore sender = StressPools.unstartedLoop();
        private final LoopCore receiver = StressPools.unstartedLoop();
        private final Endpoint[] ends = Endpoint.pair();
        private int delivered; // receiving loop's thread only: the loop actor, then the arbiter

        public PostVsSleep() {
            ends[1].onMessage(receiver, m -> delivered++);
            StressLoops.drainAll(receiver); // the end is polled
            ends[1].emptyPolls.setOpaque(
                    Endpoint.SLEEP_AFTER - 1); // as after that many empty polls: the next one sleeps
        }

        @Actor
        public void post() {
            ends[0].post(sender, "m", new Object[0]);
            sender.releasePosts(); // the callback that posted returns
        }

        @Actor
        public void pollOnce() {
            StressLoops.pollOnce(receiver);
        }

        @Arbiter
        public void arbiter(I_Result r) {
            StressLoops.drainAll(receiver);
            r.r1 = delivered;
        }
    }

    /**
     * A post races the receiving loop's last check before it parks (the loop announces the park, then asks its inbox
     * and its ports for work). One actor posts; the other is the receiving loop's thread and runs that check once. The
     * arbiter reads the loop's park flag. Results: r1 = the check saw work (1), or the loop would park (0), or park for
     * a bounded time only, the sender being inside the callback that posted (2); r2 = the park flag still says parked,
     * with no wake-up (1), or not (0). A post that read the park flag too early, and a check that did not see the post
     * under way, leave the loop parked for good with the message queued.
     */
    @JCStressTest
    @Outcome(id = "1, 0", expect = Expect.ACCEPTABLE, desc = "The check saw the message.")
    @Outcome(id = "0, 0", expect = Expect.ACCEPTABLE, desc = "The loop parks, and the post wakes it.")
    @Outcome(id = "2, .*", expect = Expect.ACCEPTABLE, desc = "Post under way: parks briefly, then looks again.")
    @Outcome(id = "0, 1", expect = Expect.FORBIDDEN, desc = "Lost wake-up: parked for good, message queued.")
    @Outcome(expect = Expect.FORBIDDEN, desc = "Anything else.")
    @State
    public static class PostVsPark {
        private final LoopCore sender = StressPools.unstartedLoop();
        private final LoopCore receiver = StressPools.unstartedLoop();
        private final Endpoint[] ends = Endpoint.pair();

        public PostVsPark() {
            ends[1].onMessage(receiver, m -> {});
            StressLoops.drainAll(receiver); // the end is one of the receiver's inlets, polled, awake
        }

        @Actor
        public void post() {
            ends[0].post(sender, "m", new Object[0]);
            sender.releasePosts(); // the callback that posted returns
        }

        @Actor
        public void checkBeforePark(II_Result r) {
            r.r1 = StressLoops.announceParkThenCheck(receiver);
        }

        @Arbiter
        public void arbiter(II_Result r) {
            r.r2 = receiver.mayBeParked() ? 1 : 0;
        }
    }

    /**
     * Two posts in one callback race the receiving loop, which delivers what has arrived and then runs its last check
     * before it parks. Only the callback's first post sets the posting flag and passes the fence; the second reads the
     * receiver's park flag with no fence of its own, covered by the flag, which the loop clears only when the callback
     * returns; a check that finds it set parks for a bounded time only. Results: r1 = the check saw work (1), or the
     * loop would park (0), or park for a bounded time only (2); r2 = the park flag still says parked, with no wake-up
     * (1), or not (0); r3 = messages delivered before the check. A second post that read the park flag too early, with
     * the flag already clear, would leave the loop parked for good with the message queued.
     */
    @JCStressTest
    @Outcome(id = "1, 0, .*", expect = Expect.ACCEPTABLE, desc = "The check saw a message.")
    @Outcome(id = "0, 0, .*", expect = Expect.ACCEPTABLE, desc = "The loop parks, and a post wakes it.")
    @Outcome(id = "2, .*", expect = Expect.ACCEPTABLE, desc = "Posts under way: parks briefly, then looks again.")
    @Outcome(id = "0, 1, 2", expect = Expect.ACCEPTABLE, desc = "Both delivered before the check: nothing left.")
    @Outcome(id = "0, 1, [01]", expect = Expect.FORBIDDEN, desc = "Lost wake-up: parked for good, message queued.")
    @Outcome(expect = Expect.FORBIDDEN, desc = "Anything else.")
    @State
    public static class PostTwiceVsPark {
        private final LoopCore sender = StressPools.unstartedLoop();
        private final LoopCore receiver = StressPools.unstartedLoop();
        private final Endpoint[] ends = Endpoint.pair();
        private int delivered; // receiving loop's thread only

        public PostTwiceVsPark() {
            ends[1].onMessage(receiver, m -> delivered++);
            StressLoops.drainAll(receiver); // the end is one of the receiver's inlets, polled, awake
        }

        @Actor
        public void postTwice() {
            ends[0].post(sender, "m1", new Object[0]);
            ends[0].post(sender, "m2", new Object[0]);
            sender.releasePosts(); // the callback that posted returns
        }

        @Actor
        public void pollThenCheckBeforePark(III_Result r) {
            StressLoops.pollOnce(receiver);
            r.r3 = delivered;
            r.r1 = StressLoops.announceParkThenCheck(receiver);
        }

        @Arbiter
        public void arbiter(III_Result r) {
            r.r2 = receiver.mayBeParked() ? 1 : 0;
        }
    }
}
