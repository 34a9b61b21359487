package zeroshot.server.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import org.junit.jupiter.api.Test;
import zeroshot.server.config.DeviceSpec;

class DevicesTest {
  @Test
  void autoIsEveryVisibleGpuOrElseTheCpu() {
    assertThat(Devices.resolve(DeviceSpec.parse("auto"), 0)).containsExactly(Device.cpu());
    assertThat(Devices.resolve(DeviceSpec.parse("auto"), 2))
        .containsExactly(Device.gpu(0), Device.gpu(1));
  }

  @Test
  void listedGpusGetOneReplicaEach() {
    assertThat(Devices.resolve(DeviceSpec.parse("gpu:2,gpu:0"), 4))
        .containsExactly(Device.gpu(2), Device.gpu(0));
    assertThat(Devices.resolve(DeviceSpec.parse("gpu"), 1)).containsExactly(Device.gpu(0));
    assertThat(Devices.resolve(DeviceSpec.parse("cpu"), 8)).containsExactly(Device.cpu());
  }

  @Test
  void aGpuThatDoesNotExistIsRefusedWithWhatExists() {
    assertThatThrownBy(() -> Devices.resolve(DeviceSpec.parse("gpu:0,gpu:1"), 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PyTorch sees 1 GPU(s), so gpu:1 does not exist")
        .hasMessageContaining("-Pcuda");
  }
}
