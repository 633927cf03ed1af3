package dev.lifvision.trainer;

import dev.lifvision.report.LinePlot;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** The learning-curve PNG written next to a trained bundle: error rates and losses per epoch. */
final class LearningCurves {
    private LearningCurves() {
    }

    static void write(Path csv, Path png, String name) throws IOException {
        List<double[]> rows = Trainer.readCsv(csv);
        if (rows.isEmpty()) {
            return;
        }
        int n = rows.size();
        double[] epoch = new double[n];
        double[] trainErr = new double[n];
        double[] valErr = new double[n];
        for (int i = 0; i < n; i++) {
            double[] r = rows.get(i);
            epoch[i] = r[0];
            trainErr[i] = 100 * (1 - r[3]);
            valErr[i] = 100 * (1 - r[5]);
        }
        new LinePlot(name + ": error rate per epoch (rate ANN)", "epoch", "error %")
                .series("training (2000-image sample)", epoch, trainErr)
                .series("validation", epoch, valErr)
                .yLog(true)
                .writePng(png, 900, 560);
    }
}
