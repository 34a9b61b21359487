package zeroshot.server.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class DeviceSpecTest {
  @Test
  void parsesEveryForm() {
    assertThat(DeviceSpec.parse("auto").kind()).isEqualTo(DeviceSpec.Kind.AUTO);
    assertThat(DeviceSpec.parse(" CPU ").kind()).isEqualTo(DeviceSpec.Kind.CPU);
    assertThat(DeviceSpec.parse("gpu")).isEqualTo(DeviceSpec.gpu(0));
    assertThat(DeviceSpec.parse("gpu:3")).isEqualTo(DeviceSpec.gpu(3));
    assertThat(DeviceSpec.parse("gpu:1, gpu:0").gpus()).containsExactly(1, 0);
  }

  @Test
  void printsWhatItParses() {
    for (String s : List.of("auto", "cpu", "gpu:0", "gpu:1,gpu:0")) {
      assertThat(DeviceSpec.parse(s)).hasToString(s);
    }
  }

  @Test
  void refusesWhatItCannotServe() {
    assertThatThrownBy(() -> DeviceSpec.parse("cuda:0"))
        .hasMessage("device: 'cuda:0' (expected: auto, cpu, gpu, gpu:N or gpu:N,gpu:M,...)");
    assertThatThrownBy(() -> DeviceSpec.parse("gpu:0,cpu"))
        .hasMessageContaining("expected: auto, cpu, gpu, gpu:N");
    assertThatThrownBy(() -> DeviceSpec.parse("gpu:1,gpu:1"))
        .hasMessage("device: 'gpu:1,gpu:1' names gpu:1 twice (expected: distinct GPUs)");
  }
}
