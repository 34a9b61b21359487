package zeroshot.server.model.torchscript;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import zeroshot.server.model.ComputeDevice;
import zeroshot.server.model.InvalidModelException;
import zeroshot.server.model.ManifestReader;
import zeroshot.server.model.ModelManifest;
import zeroshot.server.model.TestModels;

/** A model directory that passes the manifest checks but cannot run fails to load, clearly. */
class TorchScriptClipModelLoadTest {
  @TempDir Path dir;

  @Test
  void rejectsMethodTheTorchScriptDoesNotHave() throws Exception {
    ModelManifest manifest = brokenCopy(r -> image(r).addProperty("method", "encode_images"));

    assertThatThrownBy(() -> TorchScriptClipModel.load(manifest, ComputeDevice.cpu()))
        .isInstanceOf(InvalidModelException.class)
        .hasMessageContaining(
            "model.pt: has no method 'encode_images' named by model.json image.method")
        .hasMessageContaining("encode_image, encode_text");
  }

  @Test
  void rejectsFileThatIsNotTorchScript() throws Exception {
    ModelManifest manifest = brokenCopy(r -> {});
    Files.writeString(dir.resolve("model.pt"), "these are not weights");

    assertThatThrownBy(() -> TorchScriptClipModel.load(manifest, ComputeDevice.cpu()))
        .isInstanceOf(InvalidModelException.class)
        .hasMessageContaining("model.pt: cannot be loaded as TorchScript")
        .hasMessageContaining("expected: a file saved with torch.jit.save");
  }

  @Test
  void rejectsEmbeddingDimensionTheModelDoesNotProduce() throws Exception {
    ModelManifest manifest = brokenCopy(r -> r.addProperty("embedding_dim", 64));

    assertThatThrownBy(() -> TorchScriptClipModel.load(manifest, ComputeDevice.cpu()))
        .isInstanceOf(InvalidModelException.class)
        .hasMessageContaining("warm-up failed: encode_image returned (1, 128)")
        .hasMessageContaining("expected: (1, 64) for embedding_dim 64");
  }

  @Test
  void rejectsTokenizerThatCannotBeParsed() throws Exception {
    ModelManifest manifest = brokenCopy(r -> {});
    JsonObject tok = readJson(dir.resolve("tokenizer.json"));
    tok.getAsJsonObject("model").addProperty("type", "NoSuchModel");
    Files.writeString(dir.resolve("tokenizer.json"), tok.toString());

    assertThatThrownBy(() -> TorchScriptClipModel.load(manifest, ComputeDevice.cpu()))
        .isInstanceOf(InvalidModelException.class)
        .hasMessageContaining("tokenizer.json: cannot be loaded as a HuggingFace tokenizer");
  }

  private ModelManifest brokenCopy(Consumer<JsonObject> change)
      throws IOException, InvalidModelException {
    TestModels.copyOfTinyClip(dir);
    Path file = dir.resolve("model.json");
    JsonObject root = readJson(file);
    change.accept(root);
    Files.writeString(file, root.toString());
    return ManifestReader.read(dir);
  }

  private static JsonObject image(JsonObject root) {
    return root.getAsJsonObject("image");
  }

  private static JsonObject readJson(Path file) throws IOException {
    return JsonParser.parseString(Files.readString(file)).getAsJsonObject();
  }
}
