package dev.lifvision.trainer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

class ArchitectureTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"mnist-paper", "mnist-small", "cifar10-paper", "cifar10-conv", "cifar10-small"})
    void shippedArchitecturesParse(String name) throws IOException {
        Architecture a = Architecture.resolve(name);
        assertEquals(name, a.name());
        assertEquals("output", a.layers().get(a.layers().size() - 1).type());
        assertTrue(NetworkFactory.forwardFlops(a, 10) > 0);
    }

    @Test
    void paperMnistNetHasThePublishedSize() throws IOException {
        // 23M FLOPs per image in the reference (multiply-adds counted as 2)
        long flops = NetworkFactory.forwardFlops(Architecture.resolve("mnist-paper"), 10);
        assertEquals(23.3e6, flops, 0.5e6);
    }

    private IOException parseError(String yaml) throws IOException {
        Path f = dir.resolve("a.yaml");
        Files.writeString(f, yaml);
        return assertThrows(IOException.class, () -> Architecture.load(f));
    }

    @Test
    void errorsNameTheFileAndKey() throws IOException {
        String head = "name: x\ninput: {height: 28, width: 28, channels: 1}\n";
        IOException e = parseError(head + "layers:\n  - {type: maxpool, size: 2}\n  - {type: output}\n");
        assertTrue(e.getMessage().contains("a.yaml") && e.getMessage().contains("layers[0].type")
                && e.getMessage().contains("maxpool"), e.getMessage());
        e = parseError(head + "layers:\n  - {type: dense}\n  - {type: output}\n");
        assertTrue(e.getMessage().contains("layers[0].units: missing"), e.getMessage());
        e = parseError(head + "layers:\n  - {type: dense, units: 10, activation: tanh}\n  - {type: output}\n");
        assertTrue(e.getMessage().contains("layers[0].activation") && e.getMessage().contains("unknown key"), e.getMessage());
        e = parseError(head + "layers:\n  - {type: dense, units: 10}\n");
        assertTrue(e.getMessage().contains("last layer must be of type output"), e.getMessage());
        e = parseError(head + "neuron: {type: softlif, tau_rc: -1}\nlayers:\n  - {type: output}\n");
        assertTrue(e.getMessage().contains("neuron.tau_rc"), e.getMessage());
        e = parseError(head + "simulation: {synapse: gauss}\nlayers:\n  - {type: output}\n");
        assertTrue(e.getMessage().contains("simulation.synapse"), e.getMessage());
        e = parseError("name: x\ninput: {height: 28, width: 28, channels: 1, shift: -1}\nlayers:\n  - {type: output}\n");
        assertTrue(e.getMessage().contains("input.shift"), e.getMessage());
        e = parseError(head + "layers:\n  - {type: conv2d, filters: 4, kernel: 3, batch_norm: yes please}\n  - {type: output}\n");
        assertTrue(e.getMessage().contains("layers[0].batch_norm") && e.getMessage().contains("true or false"), e.getMessage());
        e = parseError(head + "layers:\n  - {type: avgpool, size: 2, batch_norm: true}\n  - {type: output}\n");
        assertTrue(e.getMessage().contains("layers[0].batch_norm") && e.getMessage().contains("unknown key"), e.getMessage());
        e = parseError("name: [unclosed\n");
        assertTrue(e.getMessage().contains("a.yaml"), e.getMessage());
        assertThrows(IOException.class, () -> Architecture.resolve("no-such-arch"));
    }

    @Test
    void trainingNoiseModel() throws IOException {
        String head = "name: x\ninput: {height: 28, width: 28, channels: 1}\n";
        String tail = "layers:\n  - {type: output}\n";
        Path f = dir.resolve("n.yaml");
        Files.writeString(f, head + tail);
        assertEquals(SoftLifActivation.NOISE_GAUSSIAN, Architecture.load(f).neuron().noise());
        Files.writeString(f, head + "neuron: {type: softlif, noise: \"spikes:alpha:0.005\"}\n" + tail);
        assertEquals("spikes:alpha:0.005", Architecture.load(f).neuron().noise());
        for (String badNoise : new String[] {"spikes:none", "poisson", "spikes:alpha:-1"}) {
            IOException e = parseError(head + "neuron: {type: softlif, noise: \"" + badNoise + "\"}\n" + tail);
            assertTrue(e.getMessage().contains("neuron.noise") && e.getMessage().contains(badNoise), e.getMessage());
        }
    }
}
