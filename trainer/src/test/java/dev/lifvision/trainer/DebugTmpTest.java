package dev.lifvision.trainer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
class DebugTmpTest {
  @Test void dbg() {
    INDArray z = Nd4j.createFromArray(new float[]{-150f, -25f, -20f, -5f, 0f, 3f});
    System.out.println("zc " + Transforms.max(z, -20.0, true));
    System.out.println("gte " + z.gte(-740.0) + " cast " + z.gte(-740.0).castTo(DataType.FLOAT));
    INDArray zc = Transforms.max(z, -20.0, true);
    INDArray p = Transforms.abs(zc, true).negi();
    System.out.println("p1 " + p);
    Transforms.exp(p, false); System.out.println("p2 " + p);
    Transforms.log1p(p, false); System.out.println("p3 " + p);
    p.addi(Transforms.max(zc, 0.0, true)).muli(0.02); System.out.println("p4 " + p);
    INDArray r = Transforms.log1p(p.rdiv(1.0), false); System.out.println("L " + r);
    r.addi(zc).subi(z); System.out.println("L2 " + r);
  }
}
