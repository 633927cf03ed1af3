package dev.lifvision.bundle;

import java.util.Arrays;
import java.util.Objects;

/**
 * How a camera frame becomes the network input [height, width, channels]:
 * <ol>
 * <li>bring the frame to the source size {@code sourceSize} = [h, w] (or [height, width] when null):
 * {@code stretch}, or {@code center_crop}: crop the largest centred region of that aspect ratio, then resize;</li>
 * <li>convert to {@code colorOrder} ({@code gray}: 1 channel, {@code rgb}/{@code bgr}: 3);</li>
 * <li>take the centred [height, width] window (the whole image when sourceSize is null);</li>
 * <li>{@code x[i] = (pixel[i] - mean[i]) * scale + offset}, pixel in 0..255, mean the tensor {@code meanTensor}
 * of shape [source h, source w, channels] indexed at the pixel's source position, or 0 when null.</li>
 * </ol>
 * Do not mutate {@code sourceSize}.
 */
public record InputSpec(int height, int width, int channels, String colorOrder, String resize, double scale,
                        double offset, String meanTensor, int[] sourceSize) {

    /** Without a source size: the frame is brought straight to [height, width]. */
    public InputSpec(int height, int width, int channels, String colorOrder, String resize, double scale,
                     double offset, String meanTensor) {
        this(height, width, channels, colorOrder, resize, scale, offset, meanTensor, null);
    }

    /** [h, w] the frame is resized to: {@code sourceSize}, or [height, width] when that is null. */
    public int[] resizedSize() {
        return sourceSize == null ? new int[]{height, width} : sourceSize.clone();
    }

    // Records compare arrays by identity; value semantics make manifests comparable.
    @Override
    public boolean equals(Object o) {
        return o instanceof InputSpec i && height == i.height && width == i.width && channels == i.channels
                && Objects.equals(colorOrder, i.colorOrder) && Objects.equals(resize, i.resize)
                && Double.compare(scale, i.scale) == 0 && Double.compare(offset, i.offset) == 0
                && Objects.equals(meanTensor, i.meanTensor) && Arrays.equals(sourceSize, i.sourceSize);
    }

    @Override
    public int hashCode() {
        return Objects.hash(height, width, channels, colorOrder, resize, scale, offset, meanTensor,
                Arrays.hashCode(sourceSize));
    }

    @Override
    public String toString() {
        return "InputSpec[" + height + "x" + width + "x" + channels + " " + colorOrder + " " + resize
                + (sourceSize == null ? "" : " from " + sourceSize[0] + "x" + sourceSize[1]) + ", scale " + scale
                + ", offset " + offset + (meanTensor == null ? "" : ", mean " + meanTensor) + "]";
    }
}
