package dev.lifvision.network;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiFunction;

/** The backends that run a {@link Network}, by name. The hardware emulator registers itself here. */
public final class Backends {
    private static final Map<String, BiFunction<Network, SimOptions, Simulator>> FACTORIES = new LinkedHashMap<>();

    static {
        register("rate", (net, opt) -> new RateSimulator(net));
        register("spiking", SpikingSimulator::new);
        register(dev.lifvision.emulator.LoihiBackend.NAME, dev.lifvision.emulator.LoihiBackend::create);
    }

    private Backends() {
    }

    public static synchronized void register(String name, BiFunction<Network, SimOptions, Simulator> factory) {
        FACTORIES.put(name, factory);
    }

    public static synchronized Simulator create(String name, Network net, SimOptions options) {
        var f = FACTORIES.get(name);
        if (f == null) {
            throw new IllegalArgumentException("unknown backend '" + name + "' (available: "
                    + String.join(", ", FACTORIES.keySet()) + ")");
        }
        return f.apply(net, options);
    }

    public static synchronized Iterable<String> names() {
        return java.util.List.copyOf(FACTORIES.keySet());
    }
}
