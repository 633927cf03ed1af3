package dev.lifvision.emulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Locale;

/**
 * What a network needs on a chip ({@link CoreMapper}): cores per layer with the worst core's
 * neurons, axons and synapse memory, and the chips for all cores.
 *
 * @param offChip what runs on the host in front of the chip
 */
public record ResourceReport(ChipProfile chip, String offChip, List<Layer> layers) {

    /**
     * One layer's mapping; per-core figures are those of its fullest core.
     *
     * @param tile tile of output neurons per core: rows, columns, channels
     */
    public record Layer(String name, String type, int neurons, int cores, int[] tile, int neuronsPerCore,
                        int inputAxonsPerCore, int outputAxonsPerCore, long synapseBits) {
    }

    public int cores() {
        int c = 0;
        for (Layer l : layers) {
            c += l.cores();
        }
        return c;
    }

    public int chips() {
        return (cores() + chip.coresPerChip() - 1) / chip.coresPerChip();
    }

    public long neurons() {
        long n = 0;
        for (Layer l : layers) {
            n += l.neurons();
        }
        return n;
    }

    public String toText() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "chip %s: %d neurons, %d input axons, %d output axons, %d kbit synapse"
                        + " memory per core; %d cores per chip%n", chip.name(), chip.neuronsPerCore(),
                chip.inputAxonsPerCore(), chip.outputAxonsPerCore(), chip.synapseBitsPerCore() / 1024,
                chip.coresPerChip()));
        sb.append("off chip: ").append(offChip).append(System.lineSeparator());
        sb.append(String.format(Locale.ROOT, "%-16s %-17s %8s %6s %-12s %8s %8s %8s %14s%n", "layer", "type", "neurons",
                "cores", "tile", "n/core", "in ax", "out ax", "synapse kbit"));
        for (Layer l : layers) {
            sb.append(String.format(Locale.ROOT, "%-16s %-17s %8d %6d %-12s %8d %8d %8d %14.1f%n", l.name(), l.type(),
                    l.neurons(), l.cores(), l.tile()[0] + "x" + l.tile()[1] + "x" + l.tile()[2], l.neuronsPerCore(),
                    l.inputAxonsPerCore(), l.outputAxonsPerCore(), l.synapseBits() / 1024.0));
        }
        sb.append(String.format(Locale.ROOT, "total: %d neurons on %d cores, %d chip(s)%n", neurons(), cores(), chips()));
        return sb.toString();
    }

    public String toJson() {
        ObjectMapper m = new ObjectMapper();
        ObjectNode root = m.createObjectNode();
        ObjectNode c = root.putObject("chip");
        c.put("name", chip.name());
        c.put("neurons_per_core", chip.neuronsPerCore());
        c.put("input_axons_per_core", chip.inputAxonsPerCore());
        c.put("output_axons_per_core", chip.outputAxonsPerCore());
        c.put("synapse_bits_per_core", chip.synapseBitsPerCore());
        c.put("cores_per_chip", chip.coresPerChip());
        root.put("off_chip", offChip);
        ArrayNode arr = root.putArray("layers");
        for (Layer l : layers) {
            ObjectNode n = arr.addObject();
            n.put("name", l.name());
            n.put("type", l.type());
            n.put("neurons", l.neurons());
            n.put("cores", l.cores());
            ArrayNode t = n.putArray("tile");
            for (int v : l.tile()) {
                t.add(v);
            }
            n.put("neurons_per_core", l.neuronsPerCore());
            n.put("input_axons_per_core", l.inputAxonsPerCore());
            n.put("output_axons_per_core", l.outputAxonsPerCore());
            n.put("synapse_bits_per_core", l.synapseBits());
        }
        root.put("neurons", neurons());
        root.put("cores", cores());
        root.put("chips", chips());
        try {
            return m.writerWithDefaultPrettyPrinter().writeValueAsString(root);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
