package zeroshot.server.model.torchscript;

import ai.djl.util.cuda.CudaUtils;
import java.util.List;
import zeroshot.server.model.ComputeDevice;
import zeroshot.server.model.DeviceSpec;
import zeroshot.server.model.EmbeddingModel;
import zeroshot.server.model.InvalidModelException;
import zeroshot.server.model.ModelManifest;
import zeroshot.server.model.ModelRuntime;

/** CLIP models saved as TorchScript, run by DJL's PyTorch engine (libtorch). */
public final class TorchScriptRuntime implements ModelRuntime {
  private final boolean quoteRequestText;

  /** A runtime whose logs keep request text out (lengths and hashes only). */
  public TorchScriptRuntime() {
    this(false);
  }

  /**
   * A runtime whose tokenizers' warnings quote request text when {@code quoteRequestText} (the
   * server's {@code --log-request-text}).
   */
  public TorchScriptRuntime(boolean quoteRequestText) {
    this.quoteRequestText = quoteRequestText;
  }

  /** Every GPU PyTorch sees for {@code auto} (a CUDA build on a host with a driver). */
  @Override
  public List<ComputeDevice> devices(DeviceSpec spec) {
    return Devices.resolve(spec).stream().map(Devices::computeDevice).toList();
  }

  @Override
  public EmbeddingModel load(ModelManifest manifest, ComputeDevice device)
      throws InvalidModelException {
    return TorchScriptClipModel.load(manifest, device, quoteRequestText);
  }

  @Override
  public long memoryUsedBytes(ComputeDevice gpu) {
    return CudaUtils.getGpuMemory(Devices.djl(gpu)).getUsed();
  }
}
