package dev.offload.internal.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.offload.internal.idle.Waker;
import org.junit.jupiter.api.Test;

/** The look schedule of a parked loop, on a made-up clock: no test here reads the real one. */
class InboxPollScheduleTest {
    private static final long US = 1_000;
    private static final long T = 1_000_000_000L; // an arbitrary "now"

    @Test
    void beforeAnyCompletion_theLoopLooksAfterTheShortestPeriod_andNoCompletionIsYoung() {
        InboxPollSchedule looks = new InboxPollSchedule();
        assertEquals(T + InboxPollSchedule.MIN_NANOS, looks.idle(T, true));
        assertEquals(Long.MAX_VALUE, looks.youngAfter(), "at the shortest period, every completion waits for the look");
    }

    @Test
    void thePeriodIsAQuarterOfTheYoungestCompletionsAge() {
        InboxPollSchedule looks = new InboxPollSchedule();
        looks.completed(T - 2_000 * US); // older
        looks.completed(T - 800 * US); // the youngest: 800 µs old when the loop goes idle
        looks.completed(T - 1_500 * US); // found last, but older: must not count
        looks.worked();
        assertEquals(T + 200 * US, looks.idle(T, true), "800 µs / 4");
        assertEquals(T - 400 * US, looks.youngAfter(), "young: submitted within two periods before the park");
    }

    @Test
    void theYoungestCountsOverEveryPassBeforeTheLoopGoesIdle() {
        InboxPollSchedule looks = new InboxPollSchedule();
        looks.completed(T - 400 * US);
        looks.worked(); // one pass
        looks.completed(T - 4_000 * US);
        looks.worked(); // another: its completion is older
        assertEquals(T + 100 * US, looks.idle(T, true), "the youngest of both passes is 400 µs old");
    }

    @Test
    void thePeriodStaysWithinItsBounds() {
        assertEquals(InboxPollSchedule.MIN_NANOS, InboxPollSchedule.periodFor(0));
        assertEquals(
                InboxPollSchedule.MIN_NANOS, InboxPollSchedule.periodFor(100 * US), "100 µs / 4 is under the floor");
        assertEquals(250 * US, InboxPollSchedule.periodFor(1_000 * US));
        assertEquals(InboxPollSchedule.MAX_NANOS, InboxPollSchedule.periodFor(60_000_000 * US), "a minute-old task");

        InboxPollSchedule looks = new InboxPollSchedule();
        looks.completed(T - 60_000_000 * US);
        looks.worked();
        assertEquals(T + InboxPollSchedule.MAX_NANOS, looks.idle(T, true));
    }

    @Test
    void aLookThatFindsNothing_doublesThePeriod_upToTheLongest() {
        InboxPollSchedule looks = new InboxPollSchedule();
        long lookAt = looks.idle(T, true);
        assertEquals(T + 50 * US, lookAt);
        assertEquals(lookAt, looks.idle(T + 10 * US, true), "an idle step before the look keeps the same time");
        long now = lookAt;
        long expected = 50 * US;
        while (expected < InboxPollSchedule.MAX_NANOS) {
            expected = Math.min(2 * expected, InboxPollSchedule.MAX_NANOS);
            lookAt = looks.idle(now, true); // the look came and found nothing
            assertEquals(now + expected, lookAt);
            assertEquals(now - 2 * expected, looks.youngAfter(), "the young bound follows the period");
            now = lookAt;
        }
        assertEquals(now + InboxPollSchedule.MAX_NANOS, looks.idle(now, true), "no longer than the longest period");
    }

    @Test
    void workThatIsNotACompletion_keepsThePeriod_untilTheNextCompletionSetsIt() {
        InboxPollSchedule looks = new InboxPollSchedule();
        looks.completed(T - 4_000 * US);
        looks.worked();
        assertEquals(T + InboxPollSchedule.MAX_NANOS, looks.idle(T, true));
        looks.worked(); // a callback or a timer ran, no completion came
        long now = T + 10 * US;
        assertEquals(now + InboxPollSchedule.MAX_NANOS, looks.idle(now, true), "a new look, the same period");
        looks.completed(now - 200 * US);
        looks.worked();
        assertEquals(now + InboxPollSchedule.MIN_NANOS, looks.idle(now, true), "a young completion sets it again");
    }

    @Test
    void idleStepsBeforeTheLook_changeNeitherTheLookNorTheYoungBound() {
        InboxPollSchedule looks = new InboxPollSchedule();
        looks.completed(T - 800 * US);
        looks.worked();
        long lookAt = looks.idle(T, true);
        long young = looks.youngAfter();
        for (long t = T + US; t - lookAt < 0; t += 7 * US) {
            assertEquals(lookAt, looks.idle(t, true));
            assertEquals(young, looks.youngAfter(), "the loop rewrote the bound at " + (t - T) / US + " µs");
        }
    }

    @Test
    void nothingOwed_noLook_andThePeriodAndTheCompletionsFoundAreForgotten() {
        InboxPollSchedule looks = new InboxPollSchedule();
        looks.completed(T - 4_000 * US);
        looks.worked();
        assertEquals(T + InboxPollSchedule.MAX_NANOS, looks.idle(T, true));
        looks.completed(T - 8_000 * US); // the last one owed: nothing is owed after it
        looks.worked();
        long t = T + 10 * US;
        assertEquals(Long.MAX_VALUE, looks.idle(t, false));
        assertEquals(Long.MAX_VALUE, looks.youngAfter());
        long later = t + 1_000_000 * US; // new tasks were submitted since
        assertEquals(later + InboxPollSchedule.MIN_NANOS, looks.idle(later, true), "an earlier batch set the period");
    }

    @Test
    void theWakerCallsACompletionYoungOnlyAfterTheBound() {
        Waker waker = new Waker(Thread.currentThread(), null);
        assertFalse(waker.isYoung(T), "no bound set: nothing is young");
        waker.youngAfter(T);
        assertTrue(waker.isYoung(T + 1));
        assertFalse(waker.isYoung(T));
        assertFalse(waker.isYoung(T - 1));
        waker.youngAfter(Long.MAX_VALUE);
        assertFalse(waker.isYoung(Long.MAX_VALUE - 1), "MAX_VALUE means none, not a stamp");
        waker.youngAfter(Long.MAX_VALUE - 10);
        assertTrue(waker.isYoung(Long.MIN_VALUE + 5), "stamps compare by difference: nanoTime may wrap");
    }
}
