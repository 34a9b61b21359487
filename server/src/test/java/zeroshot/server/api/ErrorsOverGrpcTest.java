package zeroshot.server.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.ByteString;
import com.google.rpc.BadRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import zeroshot.server.config.Limits;
import zeroshot.server.model.TestModels;
import zeroshot.server.model.torchscript.TorchScriptClipModel;
import zeroshot.server.testing.RunningServer;
import zeroshot.v1.ClassifyRequest;
import zeroshot.v1.EmbedImagesRequest;
import zeroshot.v1.EmbedTextsRequest;
import zeroshot.v1.Image;
import zeroshot.v1.LabelSet;
import zeroshot.v1.LabelSetEntry;
import zeroshot.v1.PixelFormat;
import zeroshot.v1.PutLabelSetRequest;
import zeroshot.v1.RawImage;
import zeroshot.v1.ZeroShotServiceGrpc.ZeroShotServiceBlockingStub;

/** Every documented client error, over a real port: its status code and its message. */
class ErrorsOverGrpcTest {
  private static final int MAX_IMAGE_BYTES = 1_000_000;
  private static RunningServer running;

  @BeforeAll
  static void start() throws Exception {
    Limits limits = new Limits(MAX_IMAGE_BYTES, 40_000_000L, 1_000, 256, 2_048, 256, 32 << 20);
    running =
        RunningServer.ready(
            RunningServer.config(
                List.of(TestModels.tinyClip()), 2, 64, limits, Duration.ofSeconds(5)),
            TorchScriptClipModel::load);
  }

  @AfterAll
  static void stop() throws Exception {
    running.close();
  }

  static Stream<Arguments> invalidRequests() {
    byte[] png = TinyClipOverGrpcTest.sample("shape_000_blue_diamond.png");
    byte[] jpeg = jpeg(png);
    return Stream.of(
        classify("no input", b -> b.clearInput(), "input: none (expected: image or text)"),
        classify(
            "image without source",
            b -> b.setImage(Image.getDefaultInstance()),
            "image: no source (expected: encoded bytes or raw pixels)"),
        classify("empty image", b -> b.setImage(encoded(new byte[0])), "image: "),
        classify(
            "not an image",
            b -> b.setImage(encoded("hello".getBytes(StandardCharsets.UTF_8))),
            "image: "),
        classify(
            "truncated image",
            b -> b.setImage(encoded(java.util.Arrays.copyOf(png, png.length / 2))),
            "image: "),
        classify(
            "image over max bytes",
            b -> b.setImage(encoded(new byte[MAX_IMAGE_BYTES + 1])),
            "image.encoded: 1000001 bytes (expected: at most 1000000)"),
        classify(
            "image over max pixels",
            b -> b.setImage(encoded(pngHeader(100_000, 100_000))),
            "100000x100000"),
        classify(
            "raw without format",
            b -> b.setImage(raw(2, 2, 12, PixelFormat.PIXEL_FORMAT_UNSPECIFIED)),
            "image.raw.format: PIXEL_FORMAT_UNSPECIFIED (expected: PIXEL_FORMAT_RGB8 or PIXEL_FORMAT_RGBA8)"),
        classify(
            "raw of zero width",
            b -> b.setImage(raw(0, 2, 0, PixelFormat.PIXEL_FORMAT_RGB8)),
            "image.raw: 0x2 pixels (expected: width, height > 0)"),
        classify(
            "raw of height 2^32 - 1, printed unsigned",
            b -> b.setImage(raw(0, -1, 0, PixelFormat.PIXEL_FORMAT_RGB8)),
            "image.raw: 0x4294967295 pixels (expected: width, height > 0)"),
        classify(
            "raw of width 2^32 - 1, printed unsigned",
            b -> b.setImage(raw(-1, 2, 0, PixelFormat.PIXEL_FORMAT_RGB8)),
            "image.raw: 4294967295x2 = 8589934590 pixels (expected: at most 40000000)"),
        classify(
            "truncated PNG, said in words",
            b -> b.setImage(encoded(java.util.Arrays.copyOf(png, png.length - 20))),
            "image: truncated image data: the PNG "),
        classify(
            "cut-off JPEG, said in words",
            b -> b.setImage(encoded(java.util.Arrays.copyOf(jpeg, jpeg.length / 2))),
            "image: not a valid JPEG: the data could not be decoded"),
        classify(
            "raw of wrong length",
            b -> b.setImage(raw(2, 2, 11, PixelFormat.PIXEL_FORMAT_RGB8)),
            "image: "),
        classify(
            "raw over max pixels",
            b -> b.setImage(raw(10_000, 10_000, 3, PixelFormat.PIXEL_FORMAT_RGB8)),
            "image.raw: 10000x10000 = 100000000 pixels (expected: at most 40000000)"),
        classify("blank text", b -> b.setText("  "), "text: blank (expected: a non-blank text)"),
        classify(
            "text too long",
            b -> b.setText("a".repeat(2_049)),
            "text: 2049 characters (expected: at most 2048)"),
        classify(
            "no labels",
            b -> b.clearLabels(),
            "labels: none (expected: 1 to 1000 candidate labels, or a label_set)"),
        classify(
            "blank label",
            b -> b.clearLabels().addLabels("cat").addLabels(" "),
            "labels[1]: blank (expected: a non-blank label)"),
        classify(
            "duplicate labels",
            b -> b.clearLabels().addAllLabels(List.of("cat", "dog", "cat")),
            "labels[2]: \"cat\" repeats labels[0] (expected: distinct labels)"),
        classify(
            "label too long",
            b -> b.clearLabels().addLabels("x".repeat(257)),
            "labels[0]: 257 characters (expected: at most 256)"),
        classify(
            "too many labels",
            b ->
                b.clearLabels()
                    .addAllLabels(IntStream.range(0, 1_001).mapToObj(i -> "l" + i).toList()),
            "labels: 1001 labels (expected: at most 1000)"),
        classify(
            "template without slot",
            b -> b.setPromptTemplate("a photo"),
            "prompt_template: \"a photo\" (expected: \"{}\" exactly once"),
        classify(
            "template with two slots",
            b -> b.setPromptTemplate("a {} or a {}"),
            "prompt_template: \"a {} or a {}\""),
        classify(
            "negative top_k", b -> b.setTopK(-1), "top_k: -1 (expected: >= 0; 0 means all labels)"),
        Arguments.of(
            "no images",
            (Function<ZeroShotServiceBlockingStub, Object>)
                s -> s.embedImages(EmbedImagesRequest.getDefaultInstance()),
            "images: none (expected: 1 to 256 items)"),
        Arguments.of(
            "too many images",
            (Function<ZeroShotServiceBlockingStub, Object>)
                s ->
                    s.embedImages(
                        EmbedImagesRequest.newBuilder()
                            .addAllImages(Collections.nCopies(257, encoded(png)))
                            .build()),
            "images: 257 items (expected: at most 256)"),
        Arguments.of(
            "bad image in a batch",
            (Function<ZeroShotServiceBlockingStub, Object>)
                s ->
                    s.embedImages(
                        EmbedImagesRequest.newBuilder()
                            .addImages(encoded(png))
                            .addImages(encoded(new byte[] {1, 2, 3}))
                            .build()),
            "images[1]: "),
        Arguments.of(
            "no texts",
            (Function<ZeroShotServiceBlockingStub, Object>)
                s -> s.embedTexts(EmbedTextsRequest.getDefaultInstance()),
            "texts: none (expected: 1 to 256 items)"),
        Arguments.of(
            "blank text in a batch",
            (Function<ZeroShotServiceBlockingStub, Object>)
                s ->
                    s.embedTexts(
                        EmbedTextsRequest.newBuilder().addTexts("ok").addTexts("").build()),
            "texts[1]: blank (expected: a non-blank text)"),
        putLabelSet(".", "label_set.name: \".\" (expected: 1 to 128 letters"),
        putLabelSet("..", "label_set.name: \"..\" (expected: 1 to 128 letters"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidRequests")
  void invalidRequestIsRejectedWithItsFieldAndWhatWasExpected(
      String name, Function<ZeroShotServiceBlockingStub, Object> call, String message) {
    StatusRuntimeException e =
        catchThrowableOfType(StatusRuntimeException.class, () -> call.apply(running.blocking()));

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(e.getStatus().getDescription())
        .contains(message)
        .contains("expected")
        .doesNotContainPattern("[A-Za-z]+(Exception|Error)\\b")
        .doesNotContainPattern("\\dx-\\d");
    com.google.rpc.Status rich = StatusProto.fromThrowable(e);
    assertThat(rich).isNotNull();
    assertThat(rich.getDetailsList()).anySatisfy(d -> assertThat(d.is(BadRequest.class)).isTrue());
  }

  @Test
  void unknownModelIsNotFoundAndListsTheLoadedModels() {
    StatusRuntimeException e =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () -> running.blocking().classify(valid().setModel("vit-h-14").build()));

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(e.getStatus().getDescription())
        .isEqualTo("model 'vit-h-14': unknown (expected one of: tiny-clip)");
  }

  @Test
  void aBadRequestDoesNotDisturbTheGoodOnesAroundIt() throws Exception {
    var stub = running.future();
    List<com.google.common.util.concurrent.ListenableFuture<zeroshot.v1.ClassifyResponse>> good =
        new java.util.ArrayList<>();
    List<com.google.common.util.concurrent.ListenableFuture<zeroshot.v1.ClassifyResponse>> bad =
        new java.util.ArrayList<>();
    for (int i = 0; i < 20; i++) {
      good.add(stub.classify(valid().build()));
      bad.add(stub.classify(valid().setImage(encoded(new byte[] {1, 2, 3})).build()));
    }
    String expected = running.blocking().classify(valid().build()).getScores(0).getLabel();
    for (var f : good) {
      assertThat(f.get().getScores(0).getLabel()).isEqualTo(expected);
    }
    for (var f : bad) {
      var failure = catchThrowableOfType(java.util.concurrent.ExecutionException.class, f::get);
      assertThat(Status.fromThrowable(failure).getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    }
  }

  private static ClassifyRequest.Builder valid() {
    return TinyClipOverGrpcTest.request(
        TinyClipOverGrpcTest.sample("shape_000_blue_diamond.png"),
        List.of("blue diamond", "red circle"),
        "a photo of a {}",
        1)
        .toBuilder();
  }

  private static Arguments classify(
      String name,
      java.util.function.UnaryOperator<ClassifyRequest.Builder> change,
      String message) {
    Function<ZeroShotServiceBlockingStub, Object> call =
        stub -> stub.classify(change.apply(valid()).build());
    return Arguments.of(name, call, message);
  }

  private static Arguments putLabelSet(String name, String message) {
    Function<ZeroShotServiceBlockingStub, Object> call =
        stub ->
            stub.putLabelSet(
                PutLabelSetRequest.newBuilder()
                    .setLabelSet(
                        LabelSet.newBuilder()
                            .setName(name)
                            .addLabels(LabelSetEntry.newBuilder().setLabel("cat")))
                    .build());
    return Arguments.of("label set named " + name, call, message);
  }

  /** The PNG sample re-encoded as a JPEG. */
  private static byte[] jpeg(byte[] png) {
    try {
      java.awt.image.BufferedImage image =
          javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(png));
      java.awt.image.BufferedImage rgb =
          new java.awt.image.BufferedImage(
              image.getWidth(), image.getHeight(), java.awt.image.BufferedImage.TYPE_INT_RGB);
      rgb.getGraphics().drawImage(image, 0, 0, null);
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
      javax.imageio.ImageIO.write(rgb, "jpeg", out);
      return out.toByteArray();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static Image encoded(byte[] bytes) {
    return TinyClipOverGrpcTest.encoded(bytes);
  }

  private static Image raw(int width, int height, int bytes, PixelFormat format) {
    return Image.newBuilder()
        .setRaw(
            RawImage.newBuilder()
                .setWidth(width)
                .setHeight(height)
                .setFormat(format)
                .setPixels(ByteString.copyFrom(new byte[bytes])))
        .build();
  }

  /** A PNG signature and IHDR chunk declaring a huge image, with nothing after it. */
  static byte[] pngHeader(int width, int height) {
    ByteBuffer ihdr = ByteBuffer.allocate(17);
    ihdr.put("IHDR".getBytes(StandardCharsets.US_ASCII)).putInt(width).putInt(height);
    ihdr.put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
    CRC32 crc = new CRC32();
    crc.update(ihdr.array());
    ByteBuffer png = ByteBuffer.allocate(8 + 4 + 17 + 4);
    png.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
    png.putInt(13).put(ihdr.array()).putInt((int) crc.getValue());
    return png.array();
  }
}
