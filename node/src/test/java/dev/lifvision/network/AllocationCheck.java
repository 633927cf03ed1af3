package dev.lifvision.network;

import dev.lifvision.encode.InputCoding;

import java.lang.management.ManagementFactory;

/**
 * Bytes allocated by {@link SpikingSimulator#present} over 10 frames of 200 steps, per input coding and with
 * an early-decision rule that never fires, measured in a JVM of its own (run by
 * {@link SpikingSimulatorTest#presentAllocatesNothingPerStep}). Inside the test suite's JVM the result
 * depended on which tests ran before: their type profiles can stop C2 from inlining the Vector API kernels,
 * and then vectors get boxed. The node's JVM runs only the node, so a fresh JVM is the honest measurement.
 * Prints one line per case: {@code NAME BYTES}.
 */
public final class AllocationCheck {
    public static void main(String[] args) {
        float[][] x = SpikingSimulatorTest.images(4, 5);
        Network net = SpikingSimulatorTest.convPoolNet(x);
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().getId();
        for (InputCoding coding : InputCoding.values()) {
            for (boolean rule : new boolean[]{false, true}) {
                Simulator spk = Backends.create("spiking", net, SpikingSimulatorTest.options(0.2, "alpha:0.005")
                        .withCoding(coding, 250));
                if (rule) {
                    spk.setDecisionRule(new DecisionRule(1e30, 1, 0.06, 0.2));
                }
                FrameResult r = spk.newResult();
                // until C2 has compiled the loops, interpreted Vector API code allocates its vectors:
                // warm up, then take the best of several measurements (a per-step allocation shows in all)
                long allocated = Long.MAX_VALUE;
                for (int attempt = 0; attempt < 30 && allocated >= 2048; attempt++) {
                    for (int i = 0; i < 100; i++) {
                        spk.present(x[i % 4], r);
                    }
                    long before = threads.getThreadAllocatedBytes(tid);
                    for (int i = 0; i < 10; i++) {
                        spk.present(x[i % 4], r);
                    }
                    allocated = Math.min(allocated, threads.getThreadAllocatedBytes(tid) - before);
                }
                System.out.println(coding + (rule ? "+rule" : "") + " " + allocated);
            }
        }
    }
}
