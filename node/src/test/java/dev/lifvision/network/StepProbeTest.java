package dev.lifvision.network;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** The calibration hook: a probe sees every step, and installing one changes nothing. */
class StepProbeTest {
    @Test
    void probeSeesTheStepsTheReadoutAveragesAndChangesNothing() {
        float[][] x = SpikingSimulatorTest.images(6, 3);
        Network net = SpikingSimulatorTest.convPoolNet(x);
        SimOptions opt = SpikingSimulatorTest.options(0.05, "alpha:0.005");
        SpikingSimulator plain = new SpikingSimulator(net, opt);
        SpikingSimulator probed = new SpikingSimulator(net, opt);
        int steps = opt.steps();
        int first = opt.readoutFirstStep();
        float[] sum = new float[net.outputSize()];
        long[] lastEvents = new long[1];
        long[] spikes = new long[net.stageCount()];
        int[] stepsSeen = new int[1];
        probed.setProbe(new StepProbe() {
            @Override
            public void spikes(int step, int k, int[] idx, int count) {
                spikes[k] += count;
            }

            @Override
            public void step(int step, float[] output, long events) {
                assertEquals(stepsSeen[0]++, step);
                if (step >= first) {
                    for (int i = 0; i < sum.length; i++) {
                        sum[i] += output[i];
                    }
                }
                lastEvents[0] = events;
            }
        });
        FrameResult a = plain.newResult(), b = probed.newResult();
        for (float[] img : x) {
            java.util.Arrays.fill(sum, 0f);
            java.util.Arrays.fill(spikes, 0L);
            stepsSeen[0] = 0;
            plain.present(img, a);
            probed.present(img, b);
            assertArrayEquals(a.output, b.output);
            assertArrayEquals(a.spikes, b.spikes);
            assertArrayEquals(a.spikes, spikes);
            assertEquals(a.synapticEvents, b.synapticEvents);
            assertEquals(a.synapticEvents, lastEvents[0]);
            assertEquals(steps, stepsSeen[0]);
            for (int i = 0; i < sum.length; i++) {
                assertEquals(a.output[i], sum[i] / a.readoutSteps, 0f);
            }
        }
    }
}
