package zeroshot.server.model.torchscript;

import static java.util.Objects.requireNonNull;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.IValueUtils;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import zeroshot.server.model.ComputeDevice;
import zeroshot.server.model.EmbeddingModel;
import zeroshot.server.model.InvalidModelException;
import zeroshot.server.model.LabelVectors;
import zeroshot.server.model.ModelExecutionException;
import zeroshot.server.model.ModelManifest;
import zeroshot.server.model.Vectors;
import zeroshot.server.model.image.Geometry;
import zeroshot.server.model.text.TextTokenizer;
import zeroshot.server.model.text.TokenIds;

/**
 * A CLIP-style model (CLIP, SigLIP, SigLIP 2) served from TorchScript with DJL's PyTorch engine:
 * the image and text methods that the manifest names, and the tokenizer beside them. {@link
 * EncoderInputs} says what each method is given.
 *
 * <p>Each call allocates its tensors in its own sub-manager, closed when the call returns, and
 * copies its input into a direct buffer reused by the calling thread: without both, native memory
 * grows with every call. Measured with DJL 0.33: allocating on the model's own manager leaked about
 * 50 MiB per 1,000 calls, and a direct buffer per call (freed only by GC) let the RSS climb to 517
 * MiB over 10,000 calls without {@code -XX:MaxDirectMemorySize}.
 */
public final class TorchScriptClipModel implements EmbeddingModel {
  private static final Logger log = LoggerFactory.getLogger(TorchScriptClipModel.class);
  private final ModelManifest manifest;
  private final Device device;
  private final PtNDManager manager;
  private final TorchScriptModules modules;
  private final TextTokenizer tokenizer;
  private final Geometry geometry;
  private final Cache<String, List<String>> unknownWords =
      Caffeine.newBuilder().maximumSize(10_000).build();
  private final ThreadLocal<ByteBuffer> inputBuffer =
      ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(0));

  private TorchScriptClipModel(
      ModelManifest manifest,
      Device device,
      PtNDManager manager,
      TorchScriptModules modules,
      TextTokenizer tokenizer) {
    this.manifest = manifest;
    this.device = device;
    this.manager = manager;
    this.modules = modules;
    this.tokenizer = tokenizer;
    this.geometry = manifest.image().preprocess().geometry();
  }

  /**
   * Loads the TorchScript file(s) and the tokenizer on {@code device}, checks the declared methods,
   * and warms both encoders up: the model returned is ready to serve.
   */
  public static TorchScriptClipModel load(ModelManifest manifest, ComputeDevice computeDevice)
      throws InvalidModelException {
    return load(manifest, computeDevice, false);
  }

  /**
   * As {@link #load(ModelManifest, ComputeDevice)}; {@code quoteRequestText}: the tokenizer's
   * warnings about unknown words quote the word and its text (else lengths and a hash).
   */
  public static TorchScriptClipModel load(
      ModelManifest manifest, ComputeDevice computeDevice, boolean quoteRequestText)
      throws InvalidModelException {
    requireNonNull(manifest, "manifest");
    Device device = Devices.djl(requireNonNull(computeDevice, "computeDevice"));
    PtNDManager manager = (PtNDManager) NDManager.newBaseManager(device, "PyTorch");
    TorchScriptModules modules = null;
    TextTokenizer tokenizer = null;
    try {
      PrecisionSupport.refuseUnsupported(manifest, device.isGpu());
      for (String warning :
          PrecisionSupport.slowWarnings(manifest, device.isGpu(), CpuFeatures.ofThisMachine())) {
        log.warn(warning);
      }
      modules = TorchScriptModules.load(manager, manifest);
      tokenizer =
          TextTokenizer.load(manifest.name(), manifest.text().tokenizerSpec(), quoteRequestText);
      TorchScriptClipModel model =
          new TorchScriptClipModel(manifest, device, manager, modules, tokenizer);
      model.warmUp();
      return model;
    } catch (InvalidModelException | RuntimeException e) {
      if (tokenizer != null) {
        tokenizer.close();
      }
      if (modules != null) {
        modules.close();
      }
      manager.close();
      throw e;
    }
  }

  @Override
  public ModelManifest manifest() {
    return manifest;
  }

  @Override
  public String device() {
    return device.toString();
  }

  @Override
  public float[][] embedImages(List<float[]> pixels) {
    if (pixels.isEmpty()) {
      return new float[0][];
    }
    ByteBuffer buffer = buffer(EncoderInputs.imageBytes(geometry, pixels.size()));
    DataType modelType = PrecisionSupport.pixelType(manifest.image().precision());
    return run(
        modules.image(),
        manifest.image().method(),
        pixels.size(),
        scope -> EncoderInputs.images(scope, buffer, geometry, pixels),
        modelType);
  }

  @Override
  public float[][] embedTexts(List<String> texts) {
    if (texts.isEmpty()) {
      return new float[0][];
    }
    return embedTokens(tokenizer.tokenize(texts));
  }

  /**
   * Embeds texts already tokenised: the ids (and, when the manifest says so, the attention mask) go
   * to the text method as they are.
   */
  public float[][] embedTokens(TokenIds tokens) {
    int batch = tokens.ids().length;
    int length = manifest.text().contextLength();
    for (long[] row : tokens.ids()) {
      if (row.length != length) {
        throw new IllegalArgumentException(
            "token ids: " + row.length + " (expected: " + length + ", the context length)");
      }
    }
    boolean mask = manifest.text().attentionMask();
    ByteBuffer buffer = buffer(EncoderInputs.textBytes(batch, length));
    return run(
        modules.text(),
        manifest.text().method(),
        batch,
        scope -> EncoderInputs.texts(scope, buffer, tokens, length, mask),
        DataType.INT64);
  }

  /** On the model's device: one {@code [1, D] x [D, N]} product per input. */
  @Override
  public LabelVectors keep(float[][] vectors) {
    return new DeviceLabelVectors(manager, vectors, manifest.embeddingDim());
  }

  @Override
  public long[][] tokenize(List<String> texts) {
    return tokenizer.tokenize(texts).ids();
  }

  /** Remembered per text (the same labels come back call after call), up to 10,000 texts. */
  @Override
  public List<String> unknownWords(String text) {
    return unknownWords.get(text, t -> List.copyOf(tokenizer.unknownWords(t)));
  }

  /**
   * Runs {@code method} on the tensors that {@code inputs} creates in the call's own scope; the
   * first is converted on the device to {@code modelType} (float16 or bfloat16 for such an image
   * encoder) when it is not already of that type.
   */
  private float[][] run(
      PtSymbolBlock module,
      String method,
      int batch,
      Function<PtNDManager, List<PtNDArray>> inputs,
      DataType modelType) {
    int dim = manifest.embeddingDim();
    try (PtNDManager scope = (PtNDManager) manager.newSubManager()) {
      List<PtNDArray> tensors = new ArrayList<>(inputs.apply(scope));
      if (tensors.get(0).getDataType() != modelType) {
        tensors.set(0, (PtNDArray) tensors.get(0).toType(modelType, false));
      }
      IValue[] in = new IValue[tensors.size()];
      try {
        for (int i = 0; i < in.length; i++) {
          in[i] = IValue.from(tensors.get(i));
        }
        try (IValue out = IValueUtils.runMethod(module, method, in)) {
          if (!out.isTensor()) {
            throw new ModelExecutionException(method + " returned no tensor (expected: [B, D])");
          }
          PtNDArray result = out.toTensor(scope);
          if (!result.getShape().equals(new Shape(batch, dim))) {
            throw new ModelExecutionException(
                method
                    + " returned "
                    + result.getShape()
                    + " (expected: ("
                    + batch
                    + ", "
                    + dim
                    + ") for embedding_dim "
                    + dim
                    + ")");
          }
          return Vectors.normalizedRows(result.toType(DataType.FLOAT32, false).toFloatArray(), dim);
        }
      } finally {
        for (IValue v : in) {
          if (v != null) {
            v.close();
          }
        }
      }
    } catch (ModelExecutionException | IllegalArgumentException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new ModelExecutionException(method + " failed on a batch of " + batch, e);
    }
  }

  /** This thread's direct input buffer, grown to hold {@code bytes}, cleared. */
  private ByteBuffer buffer(long bytes) {
    if (bytes > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("batch of " + bytes + " bytes is too large");
    }
    ByteBuffer buffer = inputBuffer.get();
    if (buffer.capacity() < bytes) {
      buffer = ByteBuffer.allocateDirect((int) bytes).order(ByteOrder.nativeOrder());
      inputBuffer.set(buffer);
    }
    buffer.clear();
    return buffer;
  }

  /**
   * Runs each encoder twice at batch size 1: the profiling graph executor makes the first calls
   * after loading slow, and a manifest whose methods return the wrong shape fails here, before
   * serving.
   */
  private void warmUp() throws InvalidModelException {
    for (int i = 0; i < 2; i++) {
      WarmUp.at(this, 1);
    }
  }

  /**
   * Runs each encoder once at every batch size from 1 to {@code maxBatchSize} (texts at the full
   * context length, as every text batch is): on a GPU the first call at a new shape takes seconds.
   */
  @Override
  public void warmUp(int maxBatchSize) throws InvalidModelException {
    if (maxBatchSize < 1) {
      throw new IllegalArgumentException("maxBatchSize: " + maxBatchSize + " (expected: >= 1)");
    }
    for (int size = 1; size <= maxBatchSize; size++) {
      WarmUp.at(this, size);
    }
  }

  @Override
  public void close() {
    tokenizer.close();
    modules.close();
    manager.close();
  }
}
