package dev.offload.internal.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.offload.TaskOptions;
import dev.offload.internal.task.CompletionOwner;
import dev.offload.internal.task.RecordAccess;
import dev.offload.internal.task.TaskRecord;
import java.util.ArrayList;
import java.util.List;
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

    /** A sink that records what each publish handed it, and may run code inside a publish (as an onDrain would). */
    private static final class RecordingSink implements TaskSink {
        final List<List<TaskRecord>> batches = new ArrayList<>();
        Runnable insidePublish;

        @Override
        public void publish(TaskRecord[] records, int from, int to, dev.offload.internal.task.BatchCursor cursor) {
            batches.add(new ArrayList<>(java.util.Arrays.asList(records).subList(from, to)));
            java.util.Arrays.fill(records, from, to, null);
            Runnable r = insidePublish;
            insidePublish = null;
            if (r != null) {
                r.run();
            }
        }
    }

    private static TaskRecord submit(LoopState state, TaskSink sink) {
        state.reserve();
        TaskRecord r = record();
        state.register(sink, r);
        state.afterSubmit();
        return r;
    }

    @Test
    void theSubmitThatMakesEightKept_publishesThemAll_andNoSubmitBeforeItPublishes() {
        LoopState state = new LoopState();
        RecordingSink sink = new RecordingSink();
        List<TaskRecord> kept = new ArrayList<>();
        for (int i = 1; i < LoopState.PUBLISH_TASKS; i++) {
            kept.add(submit(state, sink));
            assertEquals(
                    0, sink.batches.size(), "published after " + i + " submits, before " + LoopState.PUBLISH_TASKS);
        }
        kept.add(submit(state, sink));
        assertEquals(List.of(kept), sink.batches, "the " + LoopState.PUBLISH_TASKS + "th submit's publish");
        submit(state, sink);
        assertEquals(1, sink.batches.size(), "a submit after the batch published alone");
    }

    @Test
    void tasksKeptFromEarlierCallbacks_doNotCount_soACallbackPublishesAtItsOwnEighthSubmit() {
        LoopState state = new LoopState();
        RecordingSink sink = new RecordingSink();
        List<TaskRecord> kept = new ArrayList<>();
        for (int i = 1; i < LoopState.PUBLISH_TASKS; i++) { // a callback submits 7, and returns
            kept.add(submit(state, sink));
        }
        state.afterCallback();
        for (int i = 1; i < LoopState.PUBLISH_TASKS; i++) { // the next one submits 7 more: 14 kept, 7 of its own
            kept.add(submit(state, sink));
            assertEquals(0, sink.batches.size(), "published at the next callback's submit " + i);
        }
        kept.add(submit(state, sink)); // its 8th
        assertEquals(List.of(kept), sink.batches, "the callback's 8th submit publishes every kept task");
        for (int i = 1; i < LoopState.PUBLISH_TASKS; i++) { // after a publish, the same callback counts afresh
            submit(state, sink);
        }
        assertEquals(1, sink.batches.size(), "published again before 8 more");
        submit(state, sink);
        assertEquals(2, sink.batches.size(), "8 more in the same callback did not publish");
    }

    @Test
    void aPublishCalledFromInsideAPublish_returns_andTheOuterOneHandsOverWhatWasAdded() {
        LoopState state = new LoopState();
        RecordingSink sink = new RecordingSink();
        TaskRecord first = submit(state, sink);
        List<TaskRecord> added = new ArrayList<>();
        sink.insidePublish = () -> { // an onDrain listener on the loop thread: it submits enough for a batch
            for (int i = 0; i < LoopState.PUBLISH_TASKS; i++) {
                added.add(submit(state, sink));
            }
            state.publish(); // and closes a pool, which publishes what is pending
            assertEquals(1, sink.batches.size(), "a publish ran inside a publish");
        };
        state.publish();
        assertEquals(List.of(List.of(first), added), sink.batches, "each task handed over once, in order");
        state.publish();
        assertEquals(2, sink.batches.size(), "a task was kept after the publish that handed everything over");
    }
}
