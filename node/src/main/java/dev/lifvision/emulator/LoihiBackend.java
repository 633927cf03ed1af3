package dev.lifvision.emulator;

import dev.lifvision.bundle.Bundle;
import dev.lifvision.network.Network;
import dev.lifvision.network.SimOptions;
import dev.lifvision.network.Simulator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * The {@code loihi} entry in {@code Backends}. Quantising (and hashing) a bundle costs far more
 * than a simulator, and an evaluation creates one simulator per thread, so the parameters are
 * kept per network (weakly: they go when the network goes) and per options. The shared instance
 * also collects the overflow counts of all threads.
 */
public final class LoihiBackend {
    public static final String NAME = "loihi";
    private static final Logger log = LoggerFactory.getLogger(LoihiBackend.class);
    private static final Map<Network, Map<SimOptions, QuantisedNetwork>> CACHE = new WeakHashMap<>();

    private LoihiBackend() {
    }

    public static Simulator create(Network net, SimOptions options) {
        return new LoihiSimulator(net, options, quantised(net, options));
    }

    /** The integer parameters every loihi simulator of this network and these options shares. */
    public static synchronized QuantisedNetwork quantised(Network net, SimOptions options) {
        Bundle b = net.source();
        if (b == null) {
            throw new IllegalArgumentException("network " + net.name() + ": the loihi backend quantises from the"
                    + " bundle, build the network with Network.of(bundle)");
        }
        return CACHE.computeIfAbsent(net, k -> new HashMap<>()).computeIfAbsent(options, o -> {
            if (o.synapse().type().equals("alpha")) {
                log.warn("model {}: a core has one first-order current filter; the alpha synapse (tau {} s) runs as"
                        + " a lowpass with the same tau on the emulator", net.name(), o.synapse().tau());
            }
            return QuantisedNetwork.load(b, ChipProfile.LOIHI, o);
        });
    }
}
