package dev.offload.internal.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The loop's idle accounting ({@code utilization()}) on an unstarted loop whose thread the test stands in for. */
class LoopCoreIdleTest {
    private static LoopCore unstartedLoop() {
        return new LoopCore(null, "idle-test", true, 0, 0, 1_000_000_000L, t -> {}, false);
    }

    /**
     * An item that reaches an idle loop's inbox ends the idle period before it runs, and so does every item it queues
     * that the same drain runs: the period cannot depend on whether a peek at the start of the turn came before or
     * after the offer (that race counted a chain of busy callbacks as idle time).
     */
    @Test
    void anItemOfferedToAnIdleLoop_endsTheIdlePeriodBeforeItRuns_andSoDoesEveryItemItQueues() {
        LoopCore loop = unstartedLoop();
        LoopState local = loop.local();
        local.startIdle(System.nanoTime()); // the loop found nothing on its last turn
        List<Boolean> idleWhileRunning = new ArrayList<>();
        Runnable[] chain = new Runnable[1];
        chain[0] = () -> {
            idleWhileRunning.add(local.isIdle());
            if (idleWhileRunning.size() < 3) {
                assertTrue(loop.offer(chain[0]), "the loop refused an item while running");
            }
        };
        assertTrue(loop.offer(chain[0]), "the loop refused an item while running");
        assertEquals(3, loop.runOnce(), "items one turn ran");
        assertEquals(List.of(false, false, false), idleWhileRunning, "idle flag seen by each item as it ran");
        assertFalse(local.isIdle(), "the loop is still idle after running work");
    }
}
