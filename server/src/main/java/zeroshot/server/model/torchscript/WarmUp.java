package zeroshot.server.model.torchscript;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import zeroshot.server.messages.Echo;
import zeroshot.server.model.InvalidModelException;
import zeroshot.server.model.ModelExecutionException;
import zeroshot.server.model.ModelManifest;
import zeroshot.server.model.image.DecodedImage;
import zeroshot.server.model.image.Geometry;
import zeroshot.server.model.image.ImageDecoder;
import zeroshot.server.model.image.ImagePreprocessor;
import zeroshot.server.model.image.InvalidImageException;
import zeroshot.server.model.text.TokenIds;

/**
 * Calls a freshly loaded model's encoders with inputs of the shapes it will serve, so that no
 * request pays for libtorch's first call at a shape, and a manifest that does not fit its
 * TorchScript files fails at start, naming the model directory.
 */
final class WarmUp {
  private WarmUp() {}

  /**
   * Runs both encoders once on a batch of {@code size}. The text encoder gets padding ids, not a
   * text: every text batch has the shape [size, context length] anyway, and a warm-up word the
   * model does not know would be logged as if a caller had sent it.
   */
  static void at(TorchScriptClipModel model, int size) throws InvalidModelException {
    ModelManifest manifest = model.manifest();
    List<float[]> images = Collections.nCopies(size, greyImage(manifest));
    long[][] ids = new long[size][manifest.text().contextLength()];
    for (long[] row : ids) {
      Arrays.fill(row, manifest.text().padId());
    }
    int[] lengths = new int[size];
    Arrays.fill(lengths, 1); // a mask, where the model takes one, keeps one position
    try {
      model.embedImages(images);
      model.embedTokens(new TokenIds(ids, lengths));
    } catch (ModelExecutionException e) {
      String cause = e.getCause() == null ? "" : ": " + Echo.firstLine(e.getCause().getMessage());
      throw new InvalidModelException(
          manifest.directory()
              + ": warm-up failed: "
              + e.getMessage()
              + cause
              + " (batch size "
              + size
              + "; image.precision "
              + manifest.image().precision()
              + ", text.precision "
              + manifest.text().precision()
              + ": the TorchScript weights must have that type)",
          e);
    }
  }

  /**
   * A mid-grey picture as the preprocessing makes it: NaFlex needs a real patch grid (an all-zero
   * tensor has none), and a square picture gets the largest grid, as full-size photos nearly do.
   */
  static float[] greyImage(ModelManifest manifest) {
    Geometry geometry = manifest.image().preprocess().geometry();
    int side = geometry instanceof Geometry.Patches p ? p.patchSize() * 64 : 224;
    byte[] grey = new byte[side * side * 3];
    Arrays.fill(grey, (byte) 128);
    try {
      DecodedImage image = new ImageDecoder((long) side * side).fromRawPixels(grey, side, side, 3);
      return new ImagePreprocessor(manifest.image().preprocess()).toTensor(image);
    } catch (InvalidImageException e) {
      throw new IllegalStateException("a grey warm-up picture was refused", e);
    }
  }
}
