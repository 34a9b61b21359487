package zeroshot.server.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import zeroshot.server.bench.Java2dShapes.Background;
import zeroshot.server.model.ComputeDevice;
import zeroshot.server.model.ManifestReader;
import zeroshot.server.model.TestModels;
import zeroshot.server.model.torchscript.TorchScriptClipModel;

/**
 * The bundled model on the independent (Java2D) renderer: the figures eval.json records are what a
 * re-run gives, for every background and pair.
 */
class IndependentShapesEvalTest {
  private static TorchScriptClipModel model;
  private static JsonObject eval;
  private static JsonObject recorded;

  @BeforeAll
  static void load() throws Exception {
    model =
        TorchScriptClipModel.load(ManifestReader.read(TestModels.tinyClip()), ComputeDevice.cpu());
    eval =
        JsonParser.parseString(Files.readString(TestModels.tinyClip().resolve("eval.json")))
            .getAsJsonObject();
    recorded = eval.getAsJsonObject("independent_renderer");
  }

  @AfterAll
  static void close() {
    model.close();
  }

  @Test
  void rerunningTwoBackgroundsReproducesTheirRecordedFigures() {
    IndependentShapesEval evaluation = new IndependentShapesEval();
    evaluation.seed = recorded.get("seed").getAsLong();
    evaluation.size = recorded.get("image_size").getAsInt();

    Map<String, Object> rerun =
        evaluation.evaluate(
            model,
            IndependentShapesEval.heldOutPairs(eval),
            List.of(Background.WHITE, Background.FLAT_COLOUR),
            recorded.get("per_cell").getAsInt());

    for (String kind : List.of("white", "flat_colour")) {
      for (String split : List.of("seen", "held_out")) {
        JsonObject figures = recorded.getAsJsonObject(kind).getAsJsonObject(split);
        @SuppressWarnings("unchecked")
        Map<String, Object> got =
            (Map<String, Object>) ((Map<String, Object>) rerun.get(kind)).get(split);
        // One image either way: another CPU's float rounding may tip one close call.
        assertThat((double) got.get("top1"))
            .as("%s %s", kind, split)
            .isCloseTo(
                figures.get("top1").getAsDouble(),
                within(1.0 / figures.get("n").getAsInt() + 1e-4));
        assertThat(got.get("n")).isEqualTo(figures.get("n").getAsInt());
      }
    }
  }

  @Test
  void everyBackgroundIsRecordedWithEveryPairDrawnPerCellTimes() {
    int perCell = recorded.get("per_cell").getAsInt();
    int heldOut = IndependentShapesEval.heldOutPairs(eval).size();

    for (Background kind : Background.values()) {
      JsonObject figures = recorded.getAsJsonObject(kind.name().toLowerCase(Locale.ROOT));
      assertThat(figures.getAsJsonObject("seen").get("n").getAsInt())
          .as(kind.name())
          .isEqualTo((64 - heldOut) * perCell);
      assertThat(figures.getAsJsonObject("held_out").get("n").getAsInt())
          .as(kind.name())
          .isEqualTo(heldOut * perCell);
    }
    assertThat(recorded.getAsJsonObject("all").getAsJsonObject("held_out").get("n").getAsInt())
        .isEqualTo(Background.values().length * heldOut * perCell);
  }
}
