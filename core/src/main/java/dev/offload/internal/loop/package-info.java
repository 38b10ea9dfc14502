/**
 * The machinery of an {@code EventLoop}: its thread and run loop, its inbox, its timers, the state it writes per
 * callback (its registry of submitted tasks, its idle time), the hand-over of the tasks its callbacks submitted to
 * their pools (through {@link dev.offload.internal.loop.TaskSink}), and when it looks at completions
 * ({@link dev.offload.internal.loop.InboxPollSchedule}).
 *
 * <p>Threading: the loop thread, unless a method says otherwise; producers on any thread offer to the inbox. The loop,
 * its owner and its timers refer to each other by design: the owner and a timer hand their items to their loop.
 */
package dev.offload.internal.loop;
