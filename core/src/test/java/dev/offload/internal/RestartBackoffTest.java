package dev.offload.internal;

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
            RestartBackoff.Verdict v = b.onCrash(0);
            assertFalse(v.overLimit(), "crash " + n);
            assertEquals(n, v.unstable());
            assertTrue(b.holds(b.endsAt() - 1), "no wait after unstable crash " + n);
        }
        assertTrue(b.onCrash(0).overLimit(), "the fourth unstable crash in a row is past maxRestarts=3");
    }

    @Test
    void aStableCrash_resetsTheCount_butKeepsTheWaitUnderWay() {
        RestartBackoff b = new RestartBackoff(POLICY);
        b.onCrash(0); // unstable: waits an hour
        long end = b.endsAt();
        RestartBackoff.Verdict v = b.onCrash(STABLE);
        assertEquals(0, v.unstable(), "a stable crash resets the count");
        assertTrue(b.holds(end - 1), "a stable crash lifted the wait announced for the previous one");
        assertEquals(end, b.endsAt(), "the wait under way changed");
        assertTrue(v.delay().compareTo(Duration.ofMinutes(59)) > 0, "the event must tell the whole wait left: " + v);
        assertEquals(1, b.onCrash(0).unstable(), "counting starts over after the stable crash");
    }

    @Test
    void aStableCrash_withNoWaitUnderWay_restartsAtOnce() {
        RestartBackoff b = new RestartBackoff(POLICY);
        RestartBackoff.Verdict v = b.onCrash(STABLE);
        assertEquals(Duration.ZERO, v.delay());
        assertFalse(b.holds(b.endsAt() - 1));
    }

    @Test
    void reset_liftsTheWait_andTheCount() {
        RestartBackoff b = new RestartBackoff(POLICY);
        b.onCrash(0);
        b.onCrash(0);
        b.reset();
        assertFalse(b.holds(b.endsAt() - 1));
        assertEquals(1, b.onCrash(0).unstable());
    }
}
