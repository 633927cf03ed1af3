package dev.lifvision.bundle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SpecsTest {

    @Test
    void synapseParse() {
        assertEquals(new SynapseSpec("none", 0), SynapseSpec.parse("none"));
        assertEquals(new SynapseSpec("lowpass", 0.005), SynapseSpec.parse("lowpass:0.005"));
        assertEquals(new SynapseSpec("alpha", 0.01), SynapseSpec.parse(" alpha:0.01 "));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "alpha", "alpha:", "alpha:x", "alpha:-1", "alpha:0", "exp:0.005", "none:0.1"})
    void synapseParseRejectsWithTheText(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SynapseSpec.parse(text));
        assertTrue(e.getMessage().contains("\"" + text + "\""), e.getMessage());
    }

    @Test
    void neuronPresets() {
        assertEquals(new NeuronSpec("softlif", 0.022, 0.002, 1.0, 1, 0.063, 0.02), NeuronSpec.mnist());
        assertEquals(new NeuronSpec("softlif", 0.05, 0.001, 0.825, 1, 0.063, 0.02), NeuronSpec.cifar());
        assertEquals(new NeuronSpec("lif", 0.02, 0.001, 2, 1, 0.1, 0), NeuronSpec.lif(0.02, 0.001, 2, 0.1));
        assertEquals("relu", NeuronSpec.relu().type());
        assertEquals("linear", NeuronSpec.linear().type());
    }

    @Test
    void layerFactoriesComputeShapes() {
        LayerSpec conv = LayerSpec.conv2d("c", new int[]{32, 32, 3}, 16, 5, 5, 2, 2, 2, 2, NeuronSpec.cifar());
        assertArrayEquals(new int[]{16, 16, 16}, conv.outShape()); // floor((32 + 4 - 5) / 2) + 1
        assertEquals("c.W", conv.weights());
        assertEquals("c.b", conv.bias());
        LayerSpec pool = LayerSpec.avgpool("p", conv.outShape(), 3, 2, 1);
        assertArrayEquals(new int[]{8, 8, 16}, pool.outShape());
        assertTrue(pool.countIncludePad());
        assertNull(pool.neuron());
        assertNull(pool.weights());
        LayerSpec lc = LayerSpec.locallyConnected("l", pool.outShape(), 4, 3, 2, 1, 2, 0, 0, NeuronSpec.relu());
        assertArrayEquals(new int[]{6, 4, 4}, lc.outShape());
        assertEquals("locally_connected", lc.type());
        LayerSpec fc = LayerSpec.dense("f", lc.outShape(), 10, NeuronSpec.linear());
        assertArrayEquals(new int[]{10}, fc.outShape());
        assertNull(fc.kernel());
        assertEquals(96, fc.inSize());
        assertEquals(10, fc.outSize());
        assertThrows(IllegalArgumentException.class,
                () -> LayerSpec.conv2d("c", new int[]{2, 2, 1}, 1, 3, 3, 1, 1, 0, 0, NeuronSpec.relu()));
    }

    @Test
    void layerSpecsCompareByValue() {
        LayerSpec a = LayerSpec.avgpool("p", new int[]{4, 4, 2}, 2, 2, 0);
        assertEquals(a, LayerSpec.avgpool("p", new int[]{4, 4, 2}, 2, 2, 0));
        assertEquals(a.hashCode(), LayerSpec.avgpool("p", new int[]{4, 4, 2}, 2, 2, 0).hashCode());
    }

    @Test
    void simulationDefaults() {
        SimulationSpec s = SimulationSpec.defaults();
        assertEquals(0.001, s.dt());
        assertEquals(new SynapseSpec("alpha", 0.005), s.synapse());
        assertEquals(0.2, s.presentation());
        assertEquals(0.1, s.readoutStart());
        assertEquals(0.2, s.readoutEnd());
        assertEquals("reset", s.mode());
    }
}
