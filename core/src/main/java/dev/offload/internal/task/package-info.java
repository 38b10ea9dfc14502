/**
 * The task record: one object per submitted task that is its input, its state machine, its single outcome and the
 * future its submitter holds ({@link dev.offload.internal.task.TaskRecord}), the future's dependents' executor
 * ({@link dev.offload.internal.task.OwnedFuture}), and where a completion goes
 * ({@link dev.offload.internal.task.CompletionOwner}). The bottom layer of the pool: it knows no pool, loop or worker,
 * only the interfaces it owns for them ({@link dev.offload.internal.task.Settler}: the pool;
 * {@link dev.offload.internal.task.TaskThread}: a worker's thread).
 *
 * <p>Threading: any thread. A record's transitions are CAS on one state word; which thread may make each is said on
 * the method. The record, its settler and the thread interface refer to each other by design (a record settles
 * through its settler, which receives the record), and so do a loop-owned future and the futures it derives (whose
 * dependents run on the same loop), inside this package only.
 *
 * <p>Layers of {@code dev.offload.internal}, top to bottom, each using only those below it (checked by the core's
 * {@code LayoutTest}): {@code pool} (admission, wiring), {@code supervise} (the supervisor thread), {@code worker}
 * (worker threads), {@code loop} (event-loop threads), {@code control} (a pool's configuration, counters, events),
 * {@code dispatch} (queue slots, worker places), {@code idle} (spin, yield, park), {@code clone} (what crosses
 * threads), {@code task}, {@code base} (padding and small primitives).
 */
package dev.offload.internal.task;
