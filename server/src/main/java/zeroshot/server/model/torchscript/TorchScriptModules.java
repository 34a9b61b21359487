package zeroshot.server.model.torchscript;

import ai.djl.engine.EngineException;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.JniUtils;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import zeroshot.server.messages.Echo;
import zeroshot.server.model.InvalidModelException;
import zeroshot.server.model.ModelManifest;

/**
 * The TorchScript module(s) of a model: one file holding both encoders (the bundled model) or one
 * file per encoder (common for exported full-size CLIPs). A file is loaded once.
 */
final class TorchScriptModules implements AutoCloseable {
  private final Map<Path, PtSymbolBlock> byFile;
  private final PtSymbolBlock image;
  private final PtSymbolBlock text;

  private TorchScriptModules(Map<Path, PtSymbolBlock> byFile, Path image, Path text) {
    this.byFile = byFile;
    this.image = byFile.get(image);
    this.text = byFile.get(text);
  }

  static TorchScriptModules load(PtNDManager manager, ModelManifest manifest)
      throws InvalidModelException {
    Map<Path, PtSymbolBlock> byFile = new LinkedHashMap<>();
    try {
      Path image = manifest.image().torchscript();
      Path text = manifest.text().torchscript();
      for (Path file : new Path[] {image, text}) {
        if (!byFile.containsKey(file)) {
          byFile.put(file, loadFile(manager, file));
        }
      }
      requireMethod(byFile.get(image), image, manifest.image().method(), "image.method");
      requireMethod(byFile.get(text), text, manifest.text().method(), "text.method");
      return new TorchScriptModules(byFile, image, text);
    } catch (InvalidModelException | RuntimeException e) {
      byFile.values().forEach(PtSymbolBlock::close);
      throw e;
    }
  }

  private static PtSymbolBlock loadFile(PtNDManager manager, Path file)
      throws InvalidModelException {
    try {
      // mapLocation: tensors saved on another device (a GPU export) load onto ours.
      return JniUtils.loadModule(manager, file, true, new String[0], new String[0], false);
    } catch (EngineException e) {
      throw new InvalidModelException(
          file
              + ": cannot be loaded as TorchScript ("
              + Echo.firstLine(e.getMessage())
              + "); expected: a file saved with torch.jit.save",
          e);
    }
  }

  private static void requireMethod(PtSymbolBlock module, Path file, String method, String field)
      throws InvalidModelException {
    String[] methods = JniUtils.getMethodNames(module);
    if (!Arrays.asList(methods).contains(method)) {
      Arrays.sort(methods);
      throw new InvalidModelException(
          file
              + ": has no method '"
              + method
              + "' named by model.json "
              + field
              + " (methods: "
              + String.join(", ", methods)
              + ")");
    }
  }

  PtSymbolBlock image() {
    return image;
  }

  PtSymbolBlock text() {
    return text;
  }

  @Override
  public void close() {
    byFile.values().forEach(PtSymbolBlock::close);
  }
}
