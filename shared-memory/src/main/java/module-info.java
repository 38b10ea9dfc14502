/**
 * Off-heap memory shared on purpose between threads and processes: {@link dev.offload.shm.SharedBuffer}, typed views
 * and atomics with wait/notify. Depends on the JDK only.
 */
@SuppressWarnings("module") // the qualified export names a module built after this one
module dev.offload.shm {
    exports dev.offload.shm;
    exports dev.offload.shm.internal to
            dev.offload;
}
