package zeroshot.server.model.torchscript;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import java.util.List;
import org.junit.jupiter.api.Test;
import zeroshot.server.model.ComputeDevice;
import zeroshot.server.model.DeviceSpec;

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

  @Test
  void ourDeviceNamesAreTheEnginesAndConvertBothWays() {
    for (ComputeDevice d :
        List.of(ComputeDevice.cpu(), ComputeDevice.gpu(0), ComputeDevice.gpu(3))) {
      assertThat(Devices.djl(d)).hasToString(d.toString());
      assertThat(Devices.computeDevice(Devices.djl(d))).isEqualTo(d);
    }
  }
}
