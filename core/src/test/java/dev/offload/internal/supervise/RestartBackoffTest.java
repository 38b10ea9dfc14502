package dev.offload.internal.supervise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.offload.RestartPolicy;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RestartBackoffTest {
    // Waits of an hour, doubling; holds() is asked about the moment just before a wait ends, never about the clock.
    private static final RestartPolicy POLICY =
            new RestartPolicy(Duration.ofHours(1), 2.0, Duration.ofHours(8), Duration.ofSeconds(1), 3);
    private static final long STABLE = Duration.ofSeconds(2).toNanos();

    @Test
    void unstableCrashes_waitLongerEachTime_thenGoOverTheLimit() {
        RestartBackoff b = new RestartBackoff(POLICY);
        for (int n = 1; n <= 3; n++) {
            RestartBackoff.Verdict v = b.onCrash(0, System.nanoTime());
            assertFalse(v.overLimit(), "crash " + n);
            assertEquals(n, v.unstable());
            assertTrue(b.holds(b.endsAt() - 1), "no wait after unstable crash " + n);
        }
        assertTrue(
                b.onCrash(0, System.nanoTime()).overLimit(),
                "the fourth unstable crash in a row is past maxRestarts=3");
    }

    @Test
    void aStableCrash_resetsTheCount_butKeepsTheWaitUnderWay() {
        RestartBackoff b = new RestartBackoff(POLICY);
        b.onCrash(0, System.nanoTime()); // unstable: waits an hour
        long end = b.endsAt();
        RestartBackoff.Verdict v = b.onCrash(STABLE, System.nanoTime());
        assertEquals(0, v.unstable(), "a stable crash resets the count");
        assertTrue(b.holds(end - 1), "a stable crash lifted the wait announced for the previous one");
        assertEquals(end, b.endsAt(), "the wait under way changed");
        assertTrue(v.delay().compareTo(Duration.ofMinutes(59)) > 0, "the event must tell the whole wait left: " + v);
        assertEquals(1, b.onCrash(0, System.nanoTime()).unstable(), "counting starts over after the stable crash");
    }

    @Test
    void aStableCrash_withNoWaitUnderWay_restartsAtOnce() {
        RestartBackoff b = new RestartBackoff(POLICY);
        RestartBackoff.Verdict v = b.onCrash(STABLE, System.nanoTime());
        assertEquals(Duration.ZERO, v.delay());
        assertFalse(b.holds(b.endsAt() - 1));
    }

    @Test
    void reset_liftsTheWait_andTheCount() {
        RestartBackoff b = new RestartBackoff(POLICY);
        b.onCrash(0, System.nanoTime());
        b.onCrash(0, System.nanoTime());
        b.reset();
        assertFalse(b.holds(b.endsAt() - 1));
        assertEquals(1, b.onCrash(0, System.nanoTime()).unstable());
    }

    @Test
    void aTaskCausedCrash_addsNothing_startsTheCountOver_andKeepsTheWaitUnderWay() {
        RestartBackoff b = new RestartBackoff(POLICY);
        for (int n = 0; n < 10; n++) {
            RestartBackoff.Verdict v = b.onTaskCrash(System.nanoTime());
            assertFalse(v.overLimit(), "task-caused crash " + n + " counted towards maxRestarts=3");
            assertEquals(0, v.unstable());
            assertEquals(Duration.ZERO, v.delay(), "a task-caused crash with no wait under way waits");
        }
        b.onCrash(0, System.nanoTime()); // a worker that cannot live: waits an hour
        b.onCrash(0, System.nanoTime());
        long end = b.endsAt();
        RestartBackoff.Verdict v = b.onTaskCrash(System.nanoTime());
        assertTrue(b.holds(end - 1), "a task-caused crash lifted the wait announced for a worker that cannot live");
        assertTrue(v.delay().compareTo(Duration.ofMinutes(59)) > 0, "the event must tell the whole wait left: " + v);
        assertEquals(1, b.onCrash(0, System.nanoTime()).unstable(), "counting starts over after a task-caused crash");
    }
}
