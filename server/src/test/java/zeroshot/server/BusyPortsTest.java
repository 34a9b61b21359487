package zeroshot.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import zeroshot.server.config.Limits;
import zeroshot.server.config.ServerConfig;
import zeroshot.server.model.ModelLoader;
import zeroshot.server.model.TestModels;
import zeroshot.server.testing.FakeEmbeddingModel;
import zeroshot.server.testing.RunningServer;

/** A port that another process holds stops the start with the option and address to change. */
class BusyPortsTest {

  @Test
  void aTakenMetricsPortNamesTheOptionAndTheAddressAndLeavesNothingBound() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      int port = taken.getLocalPort();
      ZeroShotServer server =
          new ZeroShotServer(
              config().toBuilder().metricsPort(port).build(), RunningServer.runtime(loader()));
      try {
        assertThatThrownBy(server::start)
            .isInstanceOf(IOException.class)
            .hasMessageStartingWith("--metrics-port: 127.0.0.1:" + port + " cannot be bound: ")
            .hasMessageEndingWith("(expected: a free port, or -1 for no metrics)");
      } finally {
        server.shutdown();
      }
    }
  }

  @Test
  void aTakenHttpPortNamesTheOptionAndLeavesTheGrpcPortFree() throws Exception {
    int grpcPort;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      grpcPort = probe.getLocalPort();
    }
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      int port = taken.getLocalPort();
      ZeroShotServer server =
          new ZeroShotServer(
              config().toBuilder().port(grpcPort).httpPort(port).build(),
              RunningServer.runtime(loader()));
      try {
        assertThatThrownBy(server::start)
            .isInstanceOf(IOException.class)
            .hasMessageStartingWith("--http-port: 127.0.0.1:" + port + " cannot be bound: ")
            .hasMessageEndingWith(
                "(expected: a free port this user may bind, or -1 for no HTTP port)");
      } finally {
        server.shutdown();
      }
    }

    try (RunningServer again =
        RunningServer.started(config().toBuilder().port(grpcPort).build(), loader())) {
      assertThat(again.server.port()).isEqualTo(grpcPort);
    }
  }

  @Test
  void aTakenGrpcPortNamesTheOptionAndTheAddress() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      ServerConfig busy = config().toBuilder().port(taken.getLocalPort()).build();
      ZeroShotServer server = new ZeroShotServer(busy, RunningServer.runtime(loader()));
      try {
        assertThatThrownBy(server::start)
            .isInstanceOf(IOException.class)
            .hasMessageStartingWith("--port: 127.0.0.1:" + taken.getLocalPort())
            .hasMessageEndingWith("(expected: a free port this user may bind)");
      } finally {
        server.shutdown();
      }
    }
  }

  @Test
  void theGrpcPortIsFreeAgainAfterAFailedStart() throws Exception {
    int metricsPort;
    int grpcPort;
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      metricsPort = taken.getLocalPort();
      try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
        grpcPort = probe.getLocalPort();
      }
      ZeroShotServer failed =
          new ZeroShotServer(
              config().toBuilder().port(grpcPort).metricsPort(metricsPort).build(),
              RunningServer.runtime(loader()));
      assertThatThrownBy(failed::start).isInstanceOf(IOException.class);
      failed.shutdown();
    }

    try (RunningServer again =
        RunningServer.started(
            config().toBuilder().port(grpcPort).metricsPort(0).build(), loader())) {
      assertThat(again.server.port()).isEqualTo(grpcPort);
    }
  }

  private static ModelLoader loader() {
    return (manifest, device) -> new FakeEmbeddingModel(manifest);
  }

  private static ServerConfig config() {
    return RunningServer.config(
        List.of(TestModels.tinyClip()), 1, 8, Limits.defaults(), Duration.ofSeconds(1));
  }
}
