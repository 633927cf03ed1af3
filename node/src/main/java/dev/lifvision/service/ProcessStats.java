package dev.lifvision.service;

import org.bytedeco.javacpp.Pointer;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;

/** CPU and memory of this process, as the stats topic and /metrics report them. */
final class ProcessStats {
    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    /** Fraction of all cores used by this process since the last call (0..1). */
    double processCpu() {
        return Math.max(0, os.getProcessCpuLoad());
    }

    long heapUsed() {
        return memory.getHeapMemoryUsage().getUsed();
    }

    long heapMax() {
        return memory.getHeapMemoryUsage().getMax();
    }

    /** Native memory held through JavaCPP (FFmpeg frames and buffers). */
    long javacppBytes() {
        return Pointer.totalBytes();
    }

    long directBytes() {
        long s = 0;
        for (var pool : ManagementFactory.getPlatformMXBeans(java.lang.management.BufferPoolMXBean.class)) {
            s += Math.max(0, pool.getMemoryUsed());
        }
        return s;
    }

    /** Resident set size from /proc (Linux), -1 elsewhere. */
    static long rssBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    String[] p = line.trim().split("\\s+");
                    return Long.parseLong(p[1]) * 1024;
                }
            }
        } catch (Exception e) {
            // not Linux: fall through
        }
        return -1;
    }

    int threads() {
        return ManagementFactory.getThreadMXBean().getThreadCount();
    }
}
