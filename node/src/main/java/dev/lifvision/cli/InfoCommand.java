package dev.lifvision.cli;

import dev.lifvision.bundle.Bundle;
import dev.lifvision.bundle.LayerSpec;
import dev.lifvision.bundle.NeuronSpec;
import dev.lifvision.network.Network;
import dev.lifvision.emulator.ChipProfile;
import dev.lifvision.emulator.CoreMapper;
import dev.lifvision.encode.InputCoding;
import dev.lifvision.network.SimOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "info", mixinStandardHelpOptions = true, description = {"Print a model bundle's manifest readably.",
        "With --resources: how the model maps onto loihi emulator cores (cores, synapse memory, chips)."})
final class InfoCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL", description = "A .lifb file or a shipped model name (mnist, cifar10).")
    String model;

    @Option(names = "--resources", description = "Print the chip mapping report instead: cores per layer, synapse"
            + " memory per core, chips needed.")
    boolean resources;

    @Option(names = "--json", description = "With --resources: the report as JSON.")
    boolean json;

    @Option(names = "--input", defaultValue = "current", paramLabel = "CODING", description = "With --resources: the"
            + " input path; current = first layer on the host (default), regular or poisson = pixel spikes on chip.")
    String input;

    @Override
    public Integer call() throws Exception {
        Bundle b = Models.load(model);
        if (resources || json) {
            SimOptions opt = SimOptions.of(b.manifest().simulation())
                    .withCoding(InputCoding.parse(input), SimOptions.DEFAULT_INPUT_RATE);
            var report = CoreMapper.map(b, ChipProfile.LOIHI, opt);
            System.out.print(json ? report.toJson() + System.lineSeparator() : report.toText());
            return 0;
        }
        var m = b.manifest();
        var in = m.input();
        Network net = Network.of(b);
        var o = System.out;
        o.printf(Locale.ROOT, "model      %s (format %d, sha256 %s)%n", m.name(), m.formatVersion(), b.sha256());
        o.printf(Locale.ROOT, "labels     %d: %s%n", m.labels().size(), String.join(", ", m.labels()));
        o.printf(Locale.ROOT, "input      %dx%dx%d %s, resize %s%s, x = (pixel - %s) * %g + %g%n", in.height(), in.width(),
                in.channels(), in.colorOrder(), in.resize(),
                in.sourceSize() == null ? "" : " to " + in.sourceSize()[0] + "x" + in.sourceSize()[1] + " then centre window",
                in.meanTensor() == null ? "0" : "mean[" + in.meanTensor() + "]", in.scale(), in.offset());
        o.println("layers");
        for (LayerSpec l : m.layers()) {
            String geom = l.kernel() == null ? "" : String.format(Locale.ROOT, " k%dx%d s%d p%d",
                    l.kernel()[0], l.kernel()[1], l.stride()[0], l.padding()[0]);
            o.printf(Locale.ROOT, "  %-10s %-17s %-12s -> %-12s%-14s %s%n", l.name(), l.type(), shape(l.inShape()),
                    shape(l.outShape()), geom, neuron(l.neuron()));
        }
        var s = m.simulation();
        o.printf(Locale.ROOT, "simulation dt %g s, synapse %s%s, presentation %g s, readout [%g, %g] s, %s%n", s.dt(),
                s.synapse().type(), s.synapse().type().equals("none") ? "" : " tau " + s.synapse().tau() + " s",
                s.presentation(), s.readoutStart(), s.readoutEnd(), s.mode());
        o.printf(Locale.ROOT, "size       %,d neurons, %,d tensors, ANN cost %,d FLOPs per frame%n", net.neurons(),
                b.tensors().size(), net.annFlops());
        if (m.calibration() != null) {
            o.println("calibration " + m.calibration().toPrettyString().replace("\n", "\n  "));
        }
        if (m.provenance() != null) {
            o.println("provenance " + m.provenance().toPrettyString().replace("\n", "\n  "));
        }
        return 0;
    }

    private static String shape(int[] s) {
        return Arrays.toString(s).replace(" ", "");
    }

    private static String neuron(NeuronSpec n) {
        if (n == null) {
            return "";
        }
        return switch (n.type()) {
            case "lif", "softlif" -> String.format(Locale.ROOT, "%s tau_rc %g tau_ref %g gain %g amp %g%s", n.type(),
                    n.tauRc(), n.tauRef(), n.gain(), n.amplitude(),
                    n.type().equals("softlif") ? " gamma " + n.gamma() : "");
            default -> n.type();
        };
    }
}
