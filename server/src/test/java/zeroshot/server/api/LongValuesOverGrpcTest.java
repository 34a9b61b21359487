package zeroshot.server.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.rpc.BadRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import zeroshot.server.config.Limits;
import zeroshot.server.model.TestModels;
import zeroshot.server.testing.FakeEmbeddingModel;
import zeroshot.server.testing.RunningServer;
import zeroshot.v1.ClassifyRequest;
import zeroshot.v1.DeleteLabelSetRequest;
import zeroshot.v1.EmbedImagesRequest;
import zeroshot.v1.EmbedTextsRequest;
import zeroshot.v1.GetLabelSetRequest;
import zeroshot.v1.LabelSet;
import zeroshot.v1.LabelSetEntry;
import zeroshot.v1.ListLabelSetsRequest;
import zeroshot.v1.PutLabelSetRequest;
import zeroshot.v1.ZeroShotServiceGrpc.ZeroShotServiceBlockingStub;

/**
 * Every error that echoes a client value, fed 100 KB of it, keeps its own code and a short message
 * over a real port: grpc-java's client refuses more than 8 KiB of response headers, and the message
 * travels twice in them ({@code grpc-message} and the BadRequest detail).
 */
class LongValuesOverGrpcTest {
  /** 100 KB: far over any header limit. */
  static final String LONG = "x".repeat(100 * 1024);

  /**
   * Longest description a test accepts: values are echoed cut at 64 characters and at most five
   * names listed, which keeps the longest message here under 600 characters.
   */
  static final int SHORT = 700;

  private static RunningServer running;

  @BeforeAll
  static void start() throws Exception {
    running = startWithHundredLabelSets();
  }

  @AfterAll
  static void stop() throws Exception {
    running.close();
  }

  /**
   * A server on a fake model holding 100 label sets whose names are 100 characters long: listed in
   * full, they alone would be 10 KB of message.
   */
  static RunningServer startWithHundredLabelSets() throws Exception {
    RunningServer server =
        RunningServer.ready(
            RunningServer.config(
                List.of(TestModels.tinyClip()), 2, 64, Limits.defaults(), Duration.ofSeconds(5)),
            (manifest, device) -> new FakeEmbeddingModel(manifest));
    for (int i = 0; i < 100; i++) {
      server
          .blocking()
          .putLabelSet(
              PutLabelSetRequest.newBuilder()
                  .setLabelSet(
                      LabelSet.newBuilder()
                          .setName(hundredCharName(i))
                          .addLabels(LabelSetEntry.newBuilder().setLabel("cat")))
                  .build());
    }
    return server;
  }

  static String hundredCharName(int i) {
    return String.format("set-%03d-", i) + "n".repeat(92);
  }

  static Stream<Arguments> longValues() {
    String label = "y".repeat(256); // the longest label allowed: longer ones are not echoed
    return Stream.of(
        call(
            "Classify model",
            s -> s.classify(classify(b -> b.setModel(LONG))),
            Status.Code.NOT_FOUND,
            "model '" + cut(LONG) + "': unknown (expected one of: tiny-clip)"),
        call(
            "Classify label_set",
            s -> s.classify(classify(b -> b.clearLabels().setLabelSet(LONG))),
            Status.Code.NOT_FOUND,
            "label set '" + cut(LONG) + "' for model 'tiny-clip': unknown"),
        call(
            "Classify prompt_template",
            s -> s.classify(classify(b -> b.setPromptTemplate(LONG))),
            Status.Code.INVALID_ARGUMENT,
            "prompt_template: \"" + cut(LONG) + "\" (expected: \"{}\" exactly once"),
        call(
            "Classify duplicate label",
            s -> s.classify(classify(b -> b.clearLabels().addLabels(label).addLabels(label))),
            Status.Code.INVALID_ARGUMENT,
            "labels[1]: \"" + cut(label) + "\" repeats labels[0] (expected: distinct labels)"),
        call(
            "Classify long label",
            s -> s.classify(classify(b -> b.clearLabels().addLabels(LONG))),
            Status.Code.INVALID_ARGUMENT,
            "labels[0]: 102400 characters (expected: at most 256)"),
        call(
            "Classify text",
            s -> s.classify(classify(b -> b.setText(LONG))),
            Status.Code.INVALID_ARGUMENT,
            "text: 102400 characters (expected: at most 2048)"),
        call(
            "EmbedImages model",
            s ->
                s.embedImages(
                    EmbedImagesRequest.newBuilder()
                        .setModel(LONG)
                        .addImages(TinyClipOverGrpcTest.encoded(new byte[] {1}))
                        .build()),
            Status.Code.NOT_FOUND,
            "model '" + cut(LONG) + "': unknown"),
        call(
            "EmbedTexts model",
            s -> s.embedTexts(EmbedTextsRequest.newBuilder().setModel(LONG).addTexts("a").build()),
            Status.Code.NOT_FOUND,
            "model '" + cut(LONG) + "': unknown"),
        call(
            "PutLabelSet name",
            s -> s.putLabelSet(put(set(LONG, "cat"))),
            Status.Code.INVALID_ARGUMENT,
            "label_set.name: \"" + cut(LONG) + "\" (expected: 1 to 128 letters"),
        call(
            "PutLabelSet model",
            s -> s.putLabelSet(put(set("a", "cat").toBuilder().setModel(LONG).build())),
            Status.Code.NOT_FOUND,
            "model '" + cut(LONG) + "': unknown"),
        call(
            "PutLabelSet duplicate label",
            s -> s.putLabelSet(put(set("a", label, label))),
            Status.Code.INVALID_ARGUMENT,
            "label_set.labels[1].label: \"" + cut(label) + "\" repeats"),
        call(
            "PutLabelSet template",
            s -> s.putLabelSet(put(set("a", "cat").toBuilder().addPromptTemplates(label).build())),
            Status.Code.INVALID_ARGUMENT,
            "label_set.prompt_templates[0]: \"" + cut(label) + "\" (expected: \"{}\" exactly once"),
        call(
            "GetLabelSet name",
            s -> s.getLabelSet(GetLabelSetRequest.newBuilder().setName(LONG).build()),
            Status.Code.NOT_FOUND,
            "label set '" + cut(LONG) + "' for model 'tiny-clip': unknown"),
        call(
            "GetLabelSet model",
            s -> s.getLabelSet(GetLabelSetRequest.newBuilder().setName("a").setModel(LONG).build()),
            Status.Code.NOT_FOUND,
            "model '" + cut(LONG) + "': unknown"),
        call(
            "DeleteLabelSet name",
            s -> s.deleteLabelSet(DeleteLabelSetRequest.newBuilder().setName(LONG).build()),
            Status.Code.NOT_FOUND,
            "label set '" + cut(LONG) + "' for model 'tiny-clip': unknown"),
        call(
            "ListLabelSets model",
            s -> s.listLabelSets(ListLabelSetsRequest.newBuilder().setModel(LONG).build()),
            Status.Code.NOT_FOUND,
            "model '" + cut(LONG) + "': unknown"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("longValues")
  void aLongValueKeepsItsCodeAndIsEchoedCut(
      String name,
      Function<ZeroShotServiceBlockingStub, Object> call,
      Status.Code code,
      String message) {
    StatusRuntimeException e =
        catchThrowableOfType(StatusRuntimeException.class, () -> call.apply(running.blocking()));

    assertThat(e.getStatus().getCode()).as(e.getStatus().toString()).isEqualTo(code);
    assertThat(e.getStatus().getDescription()).contains(message).hasSizeLessThan(SHORT);
    if (code == Status.Code.INVALID_ARGUMENT) {
      BadRequest detail = badRequest(e);
      assertThat(detail.getFieldViolations(0).getDescription())
          .isEqualTo(e.getStatus().getDescription());
    }
  }

  @Test
  void anUnknownLabelSetAmongAHundredListsFiveAndCountsTheRest() {
    StatusRuntimeException e =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () ->
                running
                    .blocking()
                    .getLabelSet(GetLabelSetRequest.newBuilder().setName("nope").build()));

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(e.getStatus().getDescription())
        .isEqualTo(
            "label set 'nope' for model 'tiny-clip': unknown (expected one of: "
                + String.join(
                    ", ", IntStream.range(0, 5).mapToObj(i -> cut(hundredCharName(i))).toList())
                + " and 95 more; ListLabelSets lists them all)");
  }

  @Test
  void controlCharactersInAnEchoedValueAreEscapedSoNoMessageSpansLines() {
    StatusRuntimeException e =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () ->
                running
                    .blocking()
                    .classify(classify(b -> b.setPromptTemplate("a\nWARN forged\r\u001b[31m"))));

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(e.getStatus().getDescription())
        .startsWith("prompt_template: \"a\\nWARN forged\\r\\u001b[31m\" (expected:")
        .doesNotContain("\n", "\r", "\u001b");
  }

  /** The first 64 characters of {@code value} and its length, as the server echoes it. */
  static String cut(String value) {
    return value.length() <= 64
        ? value
        : value.substring(0, 64) + "…(" + value.length() + " chars)";
  }

  private static BadRequest badRequest(StatusRuntimeException e) {
    com.google.rpc.Status rich = StatusProto.fromThrowable(e);
    assertThat(rich).as("rich status").isNotNull();
    try {
      return rich.getDetails(0).unpack(BadRequest.class);
    } catch (com.google.protobuf.InvalidProtocolBufferException x) {
      throw new AssertionError(x);
    }
  }

  private static Arguments call(
      String name,
      Function<ZeroShotServiceBlockingStub, Object> call,
      Status.Code code,
      String message) {
    return Arguments.of(name, call, code, message);
  }

  private static ClassifyRequest classify(UnaryOperator<ClassifyRequest.Builder> change) {
    return change
        .apply(ClassifyRequest.newBuilder().setText("a cat").addLabels("cat").addLabels("dog"))
        .build();
  }

  private static LabelSet set(String name, String... labels) {
    LabelSet.Builder set = LabelSet.newBuilder().setName(name);
    for (String label : labels) {
      set.addLabels(LabelSetEntry.newBuilder().setLabel(label));
    }
    return set.build();
  }

  private static PutLabelSetRequest put(LabelSet set) {
    return PutLabelSetRequest.newBuilder().setLabelSet(set).build();
  }
}
