package dev.lifvision.service;

import dev.lifvision.bundle.Bundle;
import dev.lifvision.config.NodeConfig.ModelSettings;
import dev.lifvision.encode.Preprocessor;
import dev.lifvision.network.Backends;
import dev.lifvision.network.DecisionRule;
import dev.lifvision.network.FrameResult;
import dev.lifvision.network.Network;
import dev.lifvision.network.SimOptions;
import dev.lifvision.network.Simulator;

import java.time.Instant;
import java.util.List;

/**
 * A model ready to serve: the bundle, its network (shared, immutable) and the simulation options
 * after the config's overrides. Workers build their own simulator and preprocessor from it, so a
 * hot reload only swaps this one reference.
 */
public record LoadedModel(Bundle bundle, Network network, SimOptions options, String backend, String name, String hash,
                          String source, Instant loadedAt, DecisionRule decision, String decisionNote) {

    public List<String> labels() {
        return network.labels();
    }

    public String version() {
        var p = bundle.manifest().provenance();
        if (p != null && p.hasNonNull("version")) {
            return p.get("version").asText();
        }
        return hash.substring(0, 12);
    }

    public Simulator newSimulator() {
        Simulator sim = Backends.create(backend, network, options);
        sim.setDecisionRule(decision);
        return sim;
    }

    public Preprocessor newPreprocessor(double[] roi) {
        Preprocessor p = Preprocessor.of(bundle);
        if (roi != null) {
            p.roi(roi[0], roi[1], roi[2], roi[3]);
        }
        return p;
    }

    /** Builds everything a worker will need and runs one blank frame, so a broken bundle fails here, not on the hot path. */
    static LoadedModel prepare(Bundle bundle, ModelSettings s, String source) {
        Network net = Network.of(bundle);
        SimOptions opt = SimOptions.of(bundle.manifest().simulation());
        if (s.dt() != null) {
            opt = opt.withDt(s.dt());
        }
        if (s.presentation() != null) {
            opt = opt.withPresentation(s.presentation());
        }
        if (s.synapse() != null) {
            opt = opt.withSynapse(s.synapse());
        }
        if (s.readoutWindow() != null) {
            opt = opt.withReadout(s.readoutWindow()[0], s.readoutWindow()[1]);
        }
        if (s.mode() != null) {
            opt = opt.withContinuous(s.mode().equals("continuous"));
        }
        opt = opt.withCoding(s.coding(), s.inputRate());
        DecisionRule rule = DecisionRule.of(bundle.manifest());
        String note;
        if (rule == null) {
            note = "full presentation (the bundle has no calibrated confidence rule)";
        } else if (!s.earlyDecision()) {
            note = "full presentation (model.early_decision is off)";
            rule = null;
        } else {
            String why = rule.whyNot(opt, SimOptions.of(bundle.manifest().simulation()), s.backend());
            note = why == null ? "early decision: " + rule : "full presentation, calibrated rule not applied: " + why;
            rule = why == null ? rule : null;
        }
        LoadedModel m = new LoadedModel(bundle, net, opt, s.backend(), bundle.manifest().name(), bundle.sha256(), source,
                Instant.now(), rule, note);
        Simulator sim = m.newSimulator();
        FrameResult r = sim.newResult();
        Preprocessor pre = m.newPreprocessor(null);
        float[] in = new float[net.inputSize()];
        if (pre.outputSize() != in.length) {
            throw new IllegalArgumentException("model " + source + ": its input spec gives " + pre.outputSize()
                    + " values but the first layer takes " + in.length);
        }
        sim.present(in, r);
        return m;
    }
}
