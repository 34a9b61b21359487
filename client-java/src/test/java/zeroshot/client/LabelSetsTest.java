package zeroshot.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import zeroshot.v1.DeleteLabelSetRequest;
import zeroshot.v1.GetLabelSetRequest;
import zeroshot.v1.GetLabelSetResponse;
import zeroshot.v1.LabelSet;
import zeroshot.v1.LabelSetEntry;
import zeroshot.v1.LabelSetInfo;
import zeroshot.v1.ListLabelSetsRequest;
import zeroshot.v1.PutLabelSetRequest;
import zeroshot.v1.PutLabelSetResponse;

class LabelSetsTest {

  private static final Duration GENEROUS = Duration.ofMinutes(1);
  private static final LabelSet PETS =
      LabelSet.newBuilder()
          .setName("pets")
          .addLabels(LabelSetEntry.newBuilder().setLabel("cat").addSynonyms("kitten"))
          .addLabels(LabelSetEntry.newBuilder().setLabel("dog").addExtraPrompts("a puppy"))
          .addPromptTemplates("a photo of a {}.")
          .build();

  private final FakeZeroShotService fake = new FakeZeroShotService();
  private final InProcessServer server = new InProcessServer(fake);
  private final LabelSets labelSets = ZeroShotClient.wrap(server.channel(), GENEROUS).labelSets();

  @AfterEach
  void stop() throws InterruptedException {
    server.close();
  }

  @Test
  void putSendsTheWholeSetAndReturnsWhatTheServerHolds() throws Exception {
    PutLabelSetResponse response = labelSets.put(PETS);

    assertThat(((PutLabelSetRequest) fake.requests.take()).getLabelSet()).isEqualTo(PETS);
    assertThat(response.getReplaced()).isFalse();
    assertThat(response.getInfo())
        .isEqualTo(
            LabelSetInfo.newBuilder()
                .setName("pets")
                .setModel(FakeZeroShotService.MODEL)
                .setModelVersion(FakeZeroShotService.VERSION)
                .setLabelCount(2)
                .setPromptCount(4)
                .build());
    assertThat(labelSets.put(PETS).getReplaced()).isTrue();
  }

  @Test
  void getListAndDeleteNameTheSetAndItsModel() throws Exception {
    labelSets.put(PETS);
    labelSets.put(PETS.toBuilder().setName("pets-large").setModel("fake-large").build());
    fake.requests.clear();

    GetLabelSetResponse got = labelSets.get("pets", "");
    assertThat(got.getLabelSet()).isEqualTo(PETS.toBuilder().setModel("fake-clip").build());
    assertThat(fake.requests.take())
        .isEqualTo(GetLabelSetRequest.newBuilder().setName("pets").build());
    assertThat(labelSets.list("").getLabelSetsList())
        .extracting(LabelSetInfo::getModel, LabelSetInfo::getName)
        .containsExactly(tuple("fake-clip", "pets"), tuple("fake-large", "pets-large"));
    assertThat(labelSets.list("fake-large", GENEROUS).getLabelSetsList())
        .extracting(LabelSetInfo::getName)
        .containsExactly("pets-large");
    fake.requests.clear();

    labelSets.delete("pets-large", "fake-large");

    assertThat(fake.requests.take())
        .isEqualTo(
            DeleteLabelSetRequest.newBuilder()
                .setName("pets-large")
                .setModel("fake-large")
                .build());
    assertThat(labelSets.list("").getLabelSetsList())
        .extracting(LabelSetInfo::getName)
        .containsExactly("pets");
    assertThat(fake.requests).contains(ListLabelSetsRequest.getDefaultInstance());
  }

  @Test
  void anUnknownSetFailsWithTheServersNotFound() {
    assertThatThrownBy(() -> labelSets.get("nope", ""))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
              assertThat(e.getStatus().getDescription())
                  .isEqualTo("label set 'nope' for model 'fake-clip': unknown");
            });
    assertThatThrownBy(() -> labelSets.delete("nope", "fake-clip"))
        .isInstanceOf(StatusRuntimeException.class)
        .hasMessageStartingWith("NOT_FOUND");
  }

  @Test
  void everyCallHasTheDeadlineItIsGiven() {
    fake.stopAnswering();
    Duration shortDeadline = Duration.ofMillis(50);

    assertThatThrownBy(() -> labelSets.list("", shortDeadline))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED));
    assertThatThrownBy(() -> labelSets.put(PETS, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("deadline: PT0S (expected: > 0)");
  }

  @Test
  void nullArgumentsAreRejectedBeforeSending() {
    assertThatThrownBy(() -> labelSets.put(null)).hasMessage("labelSet");
    assertThatThrownBy(() -> labelSets.get(null, "")).hasMessage("name");
    assertThatThrownBy(() -> labelSets.delete("pets", null)).hasMessage("model");
    assertThatThrownBy(() -> labelSets.list(null)).hasMessage("model");
    assertThat(fake.requests).isEmpty();
  }
}
