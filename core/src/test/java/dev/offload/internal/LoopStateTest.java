package dev.offload.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.offload.TaskOptions;
import org.junit.jupiter.api.Test;

class LoopStateTest {
    private static TaskRecord record() {
        return new TaskRecord(null, null, null, CompletionOwner.DIRECT, TaskOptions.DEFAULT, null);
    }

    @Test
    void nestedSubmits_eachReserveTheirOwnRoom_andBothRegister() {
        LoopState state = new LoopState();
        for (int round = 0; round < 100; round++) { // past every initial capacity
            state.reserve(); // the outer submit
            state.reserve(); // a submit from an onDrain listener that the outer one ran
            TaskRecord inner = record();
            TaskRecord outer = record();
            state.register(null, inner);
            state.register(null, outer);
            assertTrue(inner.loopSlot != outer.loopSlot, "two tasks in one registry slot");
        }
        assertEquals(200, state.outstanding());
    }

    @Test
    void aSubmitThatFailsAfterReserving_givesTheRoomBack() {
        LoopState state = new LoopState();
        for (int i = 0; i < 1000; i++) {
            state.reserve();
            state.unreserve();
        }
        state.reserve();
        TaskRecord r = record();
        state.register(null, r);
        assertEquals(1, state.outstanding());
        assertTrue(state.unregister(r));
        assertEquals(0, state.outstanding());
    }
}
