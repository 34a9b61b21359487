package zeroshot.server.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.FloatValue;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import zeroshot.server.config.LabelSettings;
import zeroshot.server.config.Limits;
import zeroshot.server.config.ModelSettings;
import zeroshot.server.labels.LabelSetLimits;
import zeroshot.server.model.TestModels;
import zeroshot.server.model.torchscript.TorchScriptClipModel;
import zeroshot.server.testing.BatchStats;
import zeroshot.server.testing.CountingLoader;
import zeroshot.server.testing.RunningServer;
import zeroshot.v1.ClassifyRequest;
import zeroshot.v1.ClassifyResponse;
import zeroshot.v1.DeleteLabelSetRequest;
import zeroshot.v1.GetLabelSetRequest;
import zeroshot.v1.LabelSet;
import zeroshot.v1.LabelSetEntry;
import zeroshot.v1.ListLabelSetsRequest;
import zeroshot.v1.PutLabelSetRequest;
import zeroshot.v1.PutLabelSetResponse;

/** Named label sets, the label cache and min_score through gRPC, on the real tiny model. */
class LabelSetsOverGrpcTest {
  private static final byte[] RED_STAR = TinyClipOverGrpcTest.sample("shape_013_red_star.png");
  private final CountingLoader counting = new CountingLoader(TorchScriptClipModel::load);
  @TempDir Path dir;

  @Test
  void aLabelSetIsPutClassifiedAgainstReplacedListedAndDeleted() throws Exception {
    try (RunningServer running = server(Optional.empty(), 10)) {
      var stub = running.blocking();
      PutLabelSetResponse put =
          stub.putLabelSet(
              put(set("shapes", "a photo of a {}", "red star", "red circle", "green star")));

      assertThat(put.getReplaced()).isFalse();
      assertThat(put.getInfo().getModel()).isEqualTo("tiny-clip");
      assertThat(put.getInfo().getLabelCount()).isEqualTo(3);
      assertThat(put.getInfo().getPromptCount()).isEqualTo(3);
      ClassifyResponse r = stub.classify(image().setLabelSet("shapes").build());
      assertThat(r.getScores(0).getLabel()).isEqualTo("red star");
      ClassifyResponse text =
          stub.classify(
              ClassifyRequest.newBuilder().setText("a red star").setLabelSet("shapes").build());
      assertThat(text.getScores(0).getLabel()).isEqualTo("red star");

      assertThat(
              stub.putLabelSet(put(set("shapes", "a photo of a {}", "red star", "blue square")))
                  .getReplaced())
          .isTrue();
      assertThat(
              stub.getLabelSet(GetLabelSetRequest.newBuilder().setName("shapes").build())
                  .getLabelSet()
                  .getLabelsList())
          .extracting(LabelSetEntry::getLabel)
          .containsExactly("red star", "blue square");
      assertThat(stub.listLabelSets(ListLabelSetsRequest.getDefaultInstance()).getLabelSetsList())
          .extracting(i -> i.getName())
          .containsExactly("shapes");
      stub.deleteLabelSet(DeleteLabelSetRequest.newBuilder().setName("shapes").build());
      StatusRuntimeException gone =
          catchThrowableOfType(
              StatusRuntimeException.class,
              () -> stub.classify(image().setLabelSet("shapes").build()));
      assertThat(gone.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
      assertThat(gone.getStatus().getDescription())
          .isEqualTo(
              "label set 'shapes' for model 'tiny-clip': unknown (expected one of: none defined;"
                  + " create one with PutLabelSet)");
    }
  }

  @Test
  void labelSetErrorsSayWhatWasExpected() throws Exception {
    try (RunningServer running = server(Optional.empty(), 1)) {
      var stub = running.blocking();
      stub.putLabelSet(put(set("one", "", "x")));

      assertError(
          () -> stub.putLabelSet(put(set("two", "", "x"))),
          Status.Code.RESOURCE_EXHAUSTED,
          "label sets: 1 held (expected: at most 1");
      assertError(
          () -> stub.putLabelSet(put(set("one", ""))),
          Status.Code.INVALID_ARGUMENT,
          "label_set.labels: 0 labels (expected: 1 to 10000)");
      assertError(
          () -> stub.putLabelSet(put(set("one", "a {} {}", "x"))),
          Status.Code.INVALID_ARGUMENT,
          "label_set.prompt_templates[0]: \"a {} {}\" (expected: \"{}\" exactly once");
      assertError(
          () -> stub.putLabelSet(put(set("bad name", "", "x"))),
          Status.Code.INVALID_ARGUMENT,
          "label_set.name: \"bad name\"");
      assertError(
          () -> stub.putLabelSet(put(set("one", "", "x").toBuilder().setModel("vit").build())),
          Status.Code.NOT_FOUND,
          "model 'vit': unknown");
      assertError(
          () -> stub.getLabelSet(GetLabelSetRequest.newBuilder().setName("nope").build()),
          Status.Code.NOT_FOUND,
          "label set 'nope' for model 'tiny-clip': unknown (expected one of: one)");
      assertError(
          () -> stub.deleteLabelSet(DeleteLabelSetRequest.newBuilder().setName("nope").build()),
          Status.Code.NOT_FOUND,
          "label set 'nope'");
      assertError(
          () -> stub.classify(image().setLabelSet("one").addLabels("y").build()),
          Status.Code.INVALID_ARGUMENT,
          "label_set: given with labels (expected: labels or label_set, not both)");
      assertError(
          () -> stub.classify(image().setLabelSet("one").setPromptTemplate("a {}").build()),
          Status.Code.INVALID_ARGUMENT,
          "prompt_template: given with label_set");
      assertError(
          () -> stub.classify(image().addLabels("x").setMinScore(FloatValue.of(2f)).build()),
          Status.Code.INVALID_ARGUMENT,
          "min_score: 2.0 (expected: a cosine in -1..1)");
    }
  }

  @Test
  void minScoreTurnsAForcedAnswerIntoNoneOfThese() throws Exception {
    try (RunningServer running = server(Optional.empty(), 10)) {
      ClassifyRequest base =
          image()
              .addLabels("red star")
              .addLabels("sneaker")
              .setPromptTemplate("a photo of a {}")
              .build();

      ClassifyResponse strict =
          running.blocking().classify(base.toBuilder().setMinScore(FloatValue.of(0.99f)).build());
      ClassifyResponse loose =
          running.blocking().classify(base.toBuilder().setMinScore(FloatValue.of(0.3f)).build());
      ClassifyResponse none = running.blocking().classify(base);

      assertThat(strict.getNoMatch()).isTrue();
      assertThat(strict.getScoresList()).isEmpty();
      assertThat(loose.getNoMatch()).isFalse();
      assertThat(loose.getScoresList()).extracting(s -> s.getLabel()).containsExactly("red star");
      assertThat(none.getScoresList()).hasSize(2);
    }
  }

  @Test
  void aWarmCacheMeansNoTextEncodingPerClassification() throws Exception {
    try (RunningServer running = server(Optional.empty(), 10)) {
      ClassifyRequest request =
          image()
              .addAllLabels(List.of("red star", "red circle", "sneaker"))
              .setPromptTemplate("a photo of a {}")
              .build();
      running.blocking().classify(request);
      BatchStats text = counting.textStats();
      long items = text.items();

      for (int i = 0; i < 20; i++) {
        running.blocking().classify(request);
      }

      assertThat(text.items() - items)
          .as("text items encoded for 20 warm classifications")
          .isZero();
    }
  }

  @Test
  void labelSetsInADirectorySurviveARestart() throws Exception {
    try (RunningServer running = server(Optional.of(dir), 10)) {
      running.blocking().putLabelSet(put(set("kept", "a photo of a {}", "red star", "sneaker")));
    }
    assertThat(dir.resolve("tiny-clip/kept.json")).isRegularFile();

    try (RunningServer restarted = server(Optional.of(dir), 10)) {
      ClassifyResponse r = restarted.blocking().classify(image().setLabelSet("kept").build());
      assertThat(r.getScores(0).getLabel()).isEqualTo("red star");
      assertThat(
              restarted
                  .blocking()
                  .getLabelSet(GetLabelSetRequest.newBuilder().setName("kept").build())
                  .getLabelSet()
                  .getPromptTemplatesList())
          .containsExactly("a photo of a {}");
    }
  }

  @Test
  void promptEnsemblingIsAtLeastAsAccurateAsOnePromptOnTheSampleSet() throws Exception {
    try (RunningServer running = server(Optional.empty(), 10)) {
      var stub = running.blocking();
      List<String> shapes = TinyClipOverGrpcTest.evalLabels("shape");
      List<String> fashion = TinyClipOverGrpcTest.evalLabels("fashion");
      List<String> templates =
          List.of(
              "a photo of a {}",
              "a {}",
              "a picture of a {}",
              "a drawing of a {}",
              "an image of a {}");
      stub.putLabelSet(put(set("shapes-1", "a photo of a {}", shapes.toArray(String[]::new))));
      stub.putLabelSet(put(set("fashion-1", "a photo of a {}", fashion.toArray(String[]::new))));
      stub.putLabelSet(put(ensemble("shapes-n", templates, shapes)));
      stub.putLabelSet(put(ensemble("fashion-n", templates, fashion)));

      int single = 0;
      int ensembled = 0;
      int n = 0;
      List<String> lines = Files.readAllLines(TestModels.tinyClip().resolve("samples/labels.csv"));
      for (String line : lines.subList(1, lines.size())) {
        String[] f = line.split(",", -1);
        byte[] bytes = TinyClipOverGrpcTest.sample(f[0]);
        ClassifyRequest.Builder r =
            ClassifyRequest.newBuilder().setImage(TinyClipOverGrpcTest.encoded(bytes)).setTopK(1);
        String kind = f[1].equals("shape") ? "shapes" : "fashion";
        single +=
            stub.classify(r.setLabelSet(kind + "-1").build()).getScores(0).getLabel().equals(f[2])
                ? 1
                : 0;
        ensembled +=
            stub.classify(r.setLabelSet(kind + "-n").build()).getScores(0).getLabel().equals(f[2])
                ? 1
                : 0;
        n++;
      }
      System.out.printf(
          "samples: one prompt %d/%d, %d templates ensembled %d/%d%n",
          single, n, templates.size(), ensembled, n);
      assertThat(ensembled).isGreaterThanOrEqualTo(single);
    }
  }

  private RunningServer server(Optional<Path> setDir, int maxSets) throws Exception {
    LabelSettings labels =
        new LabelSettings(64L << 20, setDir, new LabelSetLimits(maxSets, 10_000, 100, 32, 256));
    return RunningServer.ready(
        RunningServer.config(
            List.of(TestModels.tinyClip()),
            2,
            64,
            Limits.defaults(),
            Duration.ofSeconds(5),
            ModelSettings.NONE,
            labels),
        counting);
  }

  private static ClassifyRequest.Builder image() {
    return ClassifyRequest.newBuilder().setImage(TinyClipOverGrpcTest.encoded(RED_STAR));
  }

  private static PutLabelSetRequest put(LabelSet set) {
    return PutLabelSetRequest.newBuilder().setLabelSet(set).build();
  }

  private static LabelSet set(String name, String template, String... labels) {
    LabelSet.Builder b = LabelSet.newBuilder().setName(name);
    if (!template.isEmpty()) {
      b.addPromptTemplates(template);
    }
    for (String l : labels) {
      b.addLabels(LabelSetEntry.newBuilder().setLabel(l));
    }
    return b.build();
  }

  private static LabelSet ensemble(String name, List<String> templates, List<String> labels) {
    LabelSet.Builder b = LabelSet.newBuilder().setName(name).addAllPromptTemplates(templates);
    labels.forEach(l -> b.addLabels(LabelSetEntry.newBuilder().setLabel(l)));
    return b.build();
  }

  private static void assertError(Supplier<?> call, Status.Code code, String message) {
    StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, call::get);
    assertThat(e).as(message).isNotNull();
    assertThat(e.getStatus().getCode()).as(e.getStatus().toString()).isEqualTo(code);
    assertThat(e.getStatus().getDescription()).contains(message);
  }
}
