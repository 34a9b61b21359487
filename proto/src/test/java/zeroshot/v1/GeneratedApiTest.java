package zeroshot.v1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.google.protobuf.ByteString;
import io.grpc.MethodDescriptor.MethodType;
import io.grpc.ServiceDescriptor;
import org.junit.jupiter.api.Test;

/** Sanity checks of the Java code generated from zeroshot.proto. */
class GeneratedApiTest {

  @Test
  void classifyRequestWithRawImageRoundTripsThroughBytes() throws Exception {
    ClassifyRequest request =
        ClassifyRequest.newBuilder()
            .setModel("tiny-clip")
            .setImage(
                Image.newBuilder()
                    .setRaw(
                        RawImage.newBuilder()
                            .setPixels(ByteString.copyFrom(new byte[] {1, 2, 3, 4, 5, 6}))
                            .setWidth(2)
                            .setHeight(1)
                            .setFormat(PixelFormat.PIXEL_FORMAT_RGB8)))
            .addLabels("cat")
            .addLabels("dog")
            .setPromptTemplate("a photo of a {}.")
            .setTopK(1)
            .build();

    ClassifyRequest parsed = ClassifyRequest.parseFrom(request.toByteArray());

    assertThat(parsed).isEqualTo(request);
    assertThat(parsed.getInputCase()).isEqualTo(ClassifyRequest.InputCase.IMAGE);
    assertThat(parsed.getImage().getSourceCase()).isEqualTo(Image.SourceCase.RAW);
  }

  @Test
  void serviceDescriptorListsTheUnaryRpcsAndTheBidiStream() {
    ServiceDescriptor service = ZeroShotServiceGrpc.getServiceDescriptor();

    assertThat(service.getName()).isEqualTo("zeroshot.v1.ZeroShotService");
    assertThat(service.getMethods())
        .extracting(m -> m.getBareMethodName(), m -> m.getType())
        .containsExactlyInAnyOrder(
            tuple("Classify", MethodType.UNARY),
            tuple("EmbedImages", MethodType.UNARY),
            tuple("EmbedTexts", MethodType.UNARY),
            tuple("ListModels", MethodType.UNARY),
            tuple("ClassifyStream", MethodType.BIDI_STREAMING),
            tuple("PutLabelSet", MethodType.UNARY),
            tuple("GetLabelSet", MethodType.UNARY),
            tuple("ListLabelSets", MethodType.UNARY),
            tuple("DeleteLabelSet", MethodType.UNARY));
  }

  @Test
  void streamItemsCarryAResponseOrAGoogleRpcStatus() throws Exception {
    ClassifyStreamResponse error =
        ClassifyStreamResponse.newBuilder()
            .setRequestId("item-7")
            .setError(com.google.rpc.Status.newBuilder().setCode(3).setMessage("labels: none"))
            .build();

    ClassifyStreamResponse parsed = ClassifyStreamResponse.parseFrom(error.toByteArray());

    assertThat(parsed.getResultCase()).isEqualTo(ClassifyStreamResponse.ResultCase.ERROR);
    assertThat(parsed.getError().getCode()).isEqualTo(3);
  }
}
