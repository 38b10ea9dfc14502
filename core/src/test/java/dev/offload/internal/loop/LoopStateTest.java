package dev.offload.internal.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.offload.TaskOptions;
import dev.offload.internal.task.CompletionOwner;
import dev.offload.internal.task.RecordAccess;
import dev.offload.internal.task.TaskRecord;
import java.util.concurrent.RejectedExecutionException;
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
            assertTrue(RecordAccess.loopSlot(inner) != RecordAccess.loopSlot(outer), "two tasks in one registry slot");
        }
        assertEquals(200, state.outstanding());
    }

    @Test
    void aLoopAtItsMostOutstandingTasks_refusesTheNextWithTheLimit_andTakesMoreOnceOneCompletes() {
        LoopState state = new LoopState(32);
        TaskRecord first = null;
        for (int i = 0; i < 32; i++) {
            state.reserve();
            TaskRecord r = record();
            state.register(null, r);
            first = first == null ? r : first;
        }
        RejectedExecutionException e = assertThrows(RejectedExecutionException.class, state::reserve);
        assertTrue(
                e.getMessage().contains("32 tasks outstanding")
                        && e.getMessage().contains("(32)"),
                e.getMessage());
        assertEquals(32, state.outstanding(), "a refused reserve changed the count");
        assertTrue(state.unregister(first));
        state.reserve();
        state.register(null, record());
        assertEquals(32, state.outstanding());
    }

    @Test
    void theRegistrySlot_survivesEveryTransitionOfTheTask_andASecondUnregisterIsRefused() {
        LoopState state = new LoopState();
        TaskRecord[] records = new TaskRecord[40]; // slots past 16: the slot shares the state word with the phase
        for (int i = 0; i < records.length; i++) {
            state.reserve();
            records[i] = record();
            state.register(null, records[i]);
        }
        TaskRecord done = records[37];
        assertTrue(RecordAccess.tryStart(done, Thread.currentThread()));
        assertTrue(RecordAccess.finishRun(done, TaskRecord.DONE));
        TaskRecord async = records[38];
        assertTrue(RecordAccess.tryStart(async, Thread.currentThread()));
        assertTrue(RecordAccess.finishRun(async, TaskRecord.PENDING));
        assertTrue(RecordAccess.isPending(async));
        assertTrue(RecordAccess.finishPending(async));
        assertTrue(RecordAccess.decideQueued(records[39], new IllegalStateException("test"), false));
        for (TaskRecord r : new TaskRecord[] {done, async, records[39]}) {
            assertTrue(state.unregister(r), "lost its registry slot: " + r);
            assertFalse(state.unregister(r), "unregistered twice: " + r);
        }
        assertEquals(37, state.outstanding());
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
