package zeroshot.server.model.torchscript;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import zeroshot.server.model.ComputeDevice;
import zeroshot.server.model.HeapLabelVectors;
import zeroshot.server.model.LabelVectors;
import zeroshot.server.model.ManifestReader;
import zeroshot.server.model.TestModels;

/** Label vectors kept as a tensor where the model runs give the same cosines as the heap. */
class DeviceLabelVectorsTest {
  private static TorchScriptClipModel model;

  @BeforeAll
  static void load() throws Exception {
    model =
        TorchScriptClipModel.load(ManifestReader.read(TestModels.tinyClip()), ComputeDevice.cpu());
  }

  @AfterAll
  static void close() {
    model.close();
  }

  @Test
  void cosinesOnTheDeviceEqualThoseInTheHeap() {
    float[][] labels =
        model.embedTexts(List.of("a photo of a red star", "a photo of a sneaker", "a bag"));
    float[] input = model.embedTexts(List.of("a red star"))[0];

    try (LabelVectors device = model.keep(labels);
        LabelVectors heap = new HeapLabelVectors(labels)) {
      // The kept tensor must not depend on Java buffers that a collection may free.
      for (int i = 0; i < 3; i++) {
        System.gc();
        byte[][] churn = new byte[64][];
        for (int j = 0; j < churn.length; j++) {
          churn[j] = new byte[1 << 20];
          java.nio.ByteBuffer.allocateDirect(1 << 16).put(0, (byte) j);
        }
      }
      float[] expected = heap.cosines(input);
      assertThat(device.size()).isEqualTo(3);
      float[] actual = device.cosines(input);
      for (int i = 0; i < 3; i++) {
        assertThat(actual[i]).isCloseTo(expected[i], within(1e-5f));
      }
    }
  }

  @Test
  void closedVectorsRefuseToScoreAndManyCallsDoNotLeak() {
    LabelVectors device = model.keep(model.embedTexts(List.of("a", "b")));
    float[] input = model.embedTexts(List.of("c"))[0];
    for (int i = 0; i < 10_000; i++) {
      device.cosines(input);
    }

    device.close();
    device.close();

    assertThatThrownBy(() -> device.cosines(input))
        .isInstanceOf(LabelVectors.ReleasedException.class);
  }
}
