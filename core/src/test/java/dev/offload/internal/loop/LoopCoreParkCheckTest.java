package dev.offload.internal.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The loop's check before it parks: work means no park; an inlet whose sender is still inside the callback that
 * posted to it (posts under way) allows a park of bounded length only; nothing allows a park with no bound. The test's
 * thread stands in for an unstarted loop's.
 */
class LoopCoreParkCheckTest {
    /** An inlet that answers what the test sets. */
    private static final class FixedInlet implements Inlet {
        int readiness = IDLE;

        @Override
        public int readiness() {
            return readiness;
        }

        @Override
        public int deliver() {
            return 0;
        }
    }

    @Test
    void postsUnderWay_boundThePark_workPreventsIt_andNothingLeavesItUnbounded() {
        LoopCore loop = new LoopCore(null, "park-check", true, 0, 0, 1_000_000_000L, t -> {}, false);
        FixedInlet quiet = new FixedInlet();
        FixedInlet other = new FixedInlet();
        loop.addInlet(quiet);
        loop.addInlet(other);

        assertFalse(loop.parkCheck.hasWork(), "no work anywhere");
        assertEquals(Long.MAX_VALUE, loop.parkCheck.parkBoundNanos(), "nothing under way: the park needs no bound");

        other.readiness = Inlet.POSTS_UNDER_WAY;
        assertFalse(loop.parkCheck.hasWork(), "posts under way are no work to run");
        assertEquals(
                LoopCore.POSTS_UNDER_WAY_PARK_NANOS,
                loop.parkCheck.parkBoundNanos(),
                "a sender inside its callback may not wake the loop: the park must be bounded");

        quiet.readiness = Inlet.WORK;
        assertTrue(loop.parkCheck.hasWork(), "an inlet with work: no park");

        quiet.readiness = Inlet.IDLE;
        other.readiness = Inlet.IDLE;
        assertFalse(loop.parkCheck.hasWork());
        assertEquals(
                Long.MAX_VALUE,
                loop.parkCheck.parkBoundNanos(),
                "a bound left from an earlier check must not outlive the posts it was for");
    }
}
