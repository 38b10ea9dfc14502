/** Offload CPU-heavy tasks from an event loop to isolated worker threads; results come back on the loop. */
module dev.offload {
    requires transitive dev.offload.shm;
    requires org.jctools.core.jdk11;
    requires java.management; // a Worker's CPU time (ThreadMXBean)
    requires jdk.management; // a Worker's allocated bytes (com.sun.management.ThreadMXBean)

    exports dev.offload;
}
