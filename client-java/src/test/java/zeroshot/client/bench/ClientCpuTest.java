package zeroshot.client.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ClientCpuTest {

  private final AtomicLong cpu = new AtomicLong();
  private final AtomicLong wall = new AtomicLong();

  @Test
  void shareOfAllCoresOverTheWallTime() {
    ClientCpu clientCpu = new ClientCpu(cpu::get, wall::get, 2);
    ClientCpu.Reading start = clientCpu.read();
    wall.addAndGet(1_000_000_000L); // 1 s
    cpu.addAndGet(500_000_000L); // 0.5 s of CPU: a quarter of 2 cores

    assertThat(clientCpu.shareSince(start)).isEqualTo(0.25);
  }

  @Test
  void unknownWhereThePlatformDoesNotReportProcessCpu() {
    ClientCpu clientCpu = new ClientCpu(() -> -1, wall::get, 2);
    ClientCpu.Reading start = clientCpu.read();
    wall.addAndGet(1_000_000_000L);

    assertThat(clientCpu.shareSince(start)).isNull();
  }

  @Test
  void thisProcessReportsAShare() {
    ClientCpu clientCpu = ClientCpu.ofThisProcess();
    ClientCpu.Reading start = clientCpu.read();
    long spin = System.nanoTime() + 20_000_000L;
    while (System.nanoTime() < spin) {
      Thread.onSpinWait();
    }

    assertThat(clientCpu.shareSince(start)).isNotNull().isBetween(0.0, 1.0);
  }
}
