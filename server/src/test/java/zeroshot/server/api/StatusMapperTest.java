package zeroshot.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.BadRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import org.junit.jupiter.api.Test;
import zeroshot.server.messages.InvalidFieldException;

/**
 * The safety net under the bounded echoes (no description is longer than 1,024 characters), and the
 * statuses of a stream stopped by the shutdown.
 */
class StatusMapperTest {
  @Test
  void aLongDescriptionIsCutInTheMessageAndInTheBadRequestDetail() throws Exception {
    StatusRuntimeException e =
        StatusMapper.toStatus(new InvalidFieldException("labels", "z".repeat(5_000)));

    String cut = "labels: " + "z".repeat(1_016) + "…(5008 chars)";
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(e.getStatus().getDescription()).isEqualTo(cut);
    BadRequest detail = StatusProto.fromThrowable(e).getDetails(0).unpack(BadRequest.class);
    assertThat(detail.getFieldViolations(0).getDescription()).isEqualTo(cut);
  }

  @Test
  void aShortDescriptionIsKeptAsItIs() {
    StatusRuntimeException e =
        StatusMapper.toStatus(new InvalidFieldException("top_k", "-1 (expected: >= 0)"));

    assertThat(e.getStatus().getDescription()).isEqualTo("top_k: -1 (expected: >= 0)");
  }

  @Test
  void aStreamStoppedByTheShutdownIsUnavailableAndSaysWhereToSendTheRest() {
    StatusRuntimeException item = StatusMapper.itemNotRun();
    StatusRuntimeException end = StatusMapper.streamDrained();

    assertThat(item.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(item.getStatus().getDescription())
        .isEqualTo("server shutting down: item not run; send it to another server");
    assertThat(end.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(end.getStatus().getDescription())
        .isEqualTo(
            "server shutting down: every item it read was answered; send the rest to another"
                + " server");
  }
}
