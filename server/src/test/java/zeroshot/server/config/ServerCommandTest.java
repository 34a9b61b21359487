package zeroshot.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import zeroshot.server.batching.BatchWait;
import zeroshot.server.batching.BatchingPolicy;
import zeroshot.server.model.DeviceSpec;
import zeroshot.server.model.image.PreprocessMode;

class ServerCommandTest {
  @TempDir Path dir;

  @Test
  void defaultsServeTheBundledModelOnAllInterfaces() throws IOException {
    ServerConfig c = parse(Map.of());

    assertThat(c.modelDirs()).containsExactly(Path.of("models/tiny-clip"));
    assertThat(c.host()).isEqualTo("0.0.0.0");
    assertThat(c.port()).isEqualTo(50051);
    assertThat(c.httpPort()).isEqualTo(8080);
    assertThat(c.device()).hasToString("auto");
    assertThat(c.limits()).isEqualTo(Limits.defaults());
    assertThat(c.shutdownGrace()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void theBuildersDefaultsAreTheCommandLines() throws IOException {
    assertThat(ServerConfig.builder().build()).isEqualTo(parse(Map.of()));
  }

  @Test
  void versionIsTheMavenProjectVersionTheClientAlsoPrints() {
    CommandLine cli = new CommandLine(new ServerCommand());
    StringWriter out = new StringWriter();
    cli.setOut(new PrintWriter(out, true));

    cli.execute("--version");

    assertThat(out.toString().strip())
        .isEqualTo("zeroshot-server " + System.getProperty("project.version"));
  }

  @Test
  void flagsSetEveryValueAndModelDirRepeats() throws IOException {
    ServerConfig c =
        parse(
            Map.of(),
            "--model-dir",
            "a",
            "--model-dir",
            "b,c",
            "--port",
            "6000",
            "--device",
            "gpu:1",
            "--max-labels",
            "10",
            "--shutdown-grace",
            "500ms",
            "--preprocess-threads",
            "3");

    assertThat(c.modelDirs()).containsExactly(Path.of("a"), Path.of("b"), Path.of("c"));
    assertThat(c.port()).isEqualTo(6000);
    assertThat(c.device()).isEqualTo(DeviceSpec.gpu(1));
    assertThat(c.limits().maxLabels()).isEqualTo(10);
    assertThat(c.shutdownGrace()).isEqualTo(Duration.ofMillis(500));
    assertThat(c.preprocessThreads()).isEqualTo(3);
  }

  @Test
  void aFlagBeatsTheEnvironmentWhichBeatsTheConfigFile() throws IOException {
    Path file = dir.resolve("server.properties");
    Files.writeString(file, "port=7000\nmax-labels=20\nmax-batch-items=30\n");
    Map<String, String> env = Map.of("ZEROSHOT_MAX_LABELS", "40", "ZEROSHOT_PORT", "7100");

    ServerConfig c = parse(env, "--config", file.toString(), "--port", "7200");

    assertThat(c.port()).isEqualTo(7200);
    assertThat(c.limits().maxLabels()).isEqualTo(40);
    assertThat(c.limits().maxBatchItems()).isEqualTo(30);
  }

  @Test
  void batchingFollowsTheDeviceUnlessFlagsOrPerModelEntriesSayOtherwise() throws IOException {
    Path file = dir.resolve("server.properties");
    Files.writeString(
        file, "model.tiny-clip.max-batch-size=8\nmodel.tiny-clip.preferred-batch-sizes=4,8\n");

    ServerConfig c = parse(Map.of(), "--config", file.toString(), "--max-queue-delay", "1ms");

    BatchingPolicy tiny = c.batchingFor("tiny-clip", false, 2);
    assertThat(tiny.maxBatchSize()).isEqualTo(8);
    assertThat(tiny.preferredBatchSizes()).containsExactly(4, 8);
    assertThat(tiny.maxQueueDelay()).isEqualTo(Duration.ofMillis(1));
    assertThat(tiny.workers()).isEqualTo(2);
    BatchingPolicy other = c.batchingFor("other", true, 2);
    assertThat(other.maxBatchSize()).isEqualTo(BatchingPolicy.GPU_MAX_BATCH_SIZE);
    assertThat(other.maxQueueDelay()).isEqualTo(Duration.ofMillis(1));
    assertThat(parse(Map.of()).batchingFor("x", false, 2).maxQueueDelay())
        .isEqualTo(BatchingPolicy.CPU_MAX_QUEUE_DELAY);
  }

  @Test
  void batchesWaitOnlyForAnnouncedItemsUnlessToldToAlwaysWait() throws IOException {
    Path file = dir.resolve("server.properties");
    Files.writeString(file, "model.tiny-clip.batch-wait=always\n");

    assertThat(parse(Map.of()).batchingFor("x", false, 2).batchWait())
        .isEqualTo(BatchWait.ANNOUNCED);
    assertThat(parse(Map.of(), "--batch-wait", "always").batchingFor("x", true, 2).batchWait())
        .isEqualTo(BatchWait.ALWAYS);
    ServerConfig c = parse(Map.of(), "--config", file.toString());
    assertThat(c.batchingFor("tiny-clip", false, 2).batchWait()).isEqualTo(BatchWait.ALWAYS);
    assertThat(c.batchingFor("other", false, 2).batchWait()).isEqualTo(BatchWait.ANNOUNCED);
    assertThatThrownBy(() -> parse(Map.of(), "--batch-wait", "never"))
        .hasMessageContaining("batchWait: 'never' (expected: announced or always)");
  }

  @Test
  void eachModelKeepsItsPreprocessModeUnlessAFlagSetsItForAll() throws IOException {
    Path file = dir.resolve("server.properties");
    Files.writeString(file, "preprocess-mode=fast\n");

    assertThat(parse(Map.of()).preprocessMode()).isEmpty();
    assertThat(parse(Map.of(), "--preprocess-mode", "fast").preprocessMode())
        .contains(PreprocessMode.FAST);
    assertThat(parse(Map.of(), "--config", file.toString()).preprocessMode())
        .contains(PreprocessMode.FAST);
    assertThat(parse(Map.of(), "--preprocess-mode", "EXACT").preprocessMode())
        .contains(PreprocessMode.EXACT);
    assertThatThrownBy(() -> parse(Map.of(), "--preprocess-mode", "draft"))
        .hasMessageContaining("preprocessMode: 'draft' (expected: exact or fast)");
  }

  @Test
  void aModelsOwnPreprocessModeEntryBeatsTheOptionForEveryModel() throws IOException {
    Path file = dir.resolve("server.properties");
    Files.writeString(
        file, "model.tiny-clip.preprocess-mode=exact\nmodel.other.preprocess-mode=FAST\n");

    ServerConfig fileOnly = parse(Map.of(), "--config", file.toString());
    ServerConfig withFlag =
        parse(Map.of(), "--config", file.toString(), "--preprocess-mode", "fast");

    assertThat(fileOnly.preprocessModeFor("tiny-clip")).contains(PreprocessMode.EXACT);
    assertThat(fileOnly.preprocessModeFor("other")).contains(PreprocessMode.FAST);
    assertThat(fileOnly.preprocessModeFor("third")).isEmpty(); // its model.json decides
    assertThat(withFlag.preprocessModeFor("tiny-clip")).contains(PreprocessMode.EXACT);
    assertThat(withFlag.preprocessModeFor("third")).contains(PreprocessMode.FAST);
  }

  @Test
  void anUnknownPerModelPreprocessModeNamesTheKeyAndTheModes() throws IOException {
    Path file = dir.resolve("server.properties");
    Files.writeString(file, "model.tiny-clip.preprocess-mode=draft\n");

    assertThatThrownBy(() -> parse(Map.of(), "--config", file.toString()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "model.tiny-clip.preprocess-mode: 'draft' (preprocessMode: 'draft' (expected: exact"
                + " or fast))");
  }

  @Test
  void connectionsAreRecycledAfterFiveMinutesUnlessConfigured() throws IOException {
    ServerConfig defaults = parse(Map.of());
    ServerConfig flags =
        parse(Map.of("ZEROSHOT_MAX_CONNECTION_AGE_GRACE", "10s"), "--max-connection-age", "90s");

    assertThat(defaults.maxConnectionAge()).isEqualTo(Duration.ofMinutes(5));
    assertThat(defaults.maxConnectionAgeGrace()).isEqualTo(Duration.ofSeconds(30));
    assertThat(flags.maxConnectionAge()).isEqualTo(Duration.ofSeconds(90));
    assertThat(flags.maxConnectionAgeGrace()).isEqualTo(Duration.ofSeconds(10));
    assertThatThrownBy(() -> parse(Map.of(), "--max-connection-age", "0s"))
        .hasMessage("maxConnectionAge: PT0S (expected: > 0)");
    assertThatThrownBy(() -> parse(Map.of(), "--max-connection-age-grace", "PT-1S"))
        .hasMessage("maxConnectionAgeGrace: PT-1S (expected: >= 0)");
  }

  @Test
  void aBadPerModelEntryNamesTheFileTheKeyAndTheNearestOption() throws IOException {
    Path file = dir.resolve("server.properties");
    Files.writeString(file, "model.tiny-clip.max-batch-sise=8\n");

    assertThatThrownBy(() -> parse(Map.of(), "--config", file.toString()))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith(
            file
                + ": unknown key 'model.tiny-clip.max-batch-sise' (nearest known option:"
                + " max-batch-size; expected: model.NAME.OPTION, OPTION one of max-batch-size,");
  }

  @Test
  void unknownKeysInTheConfigFileAreRefusedWithTheNearestKnownKey() throws IOException {
    Path typo = Files.writeString(dir.resolve("typo.properties"), "max-batch-szie=4\n");
    Path swapped = Files.writeString(dir.resolve("swapped.properties"), "port=1\nprot=50175\n");
    Path underscores =
        Files.writeString(dir.resolve("underscores.properties"), "max_queue_delay=3ms\n");
    Path itself = Files.writeString(dir.resolve("itself.properties"), "config=other\n");

    assertThatThrownBy(() -> parse(Map.of(), "--config", typo.toString()))
        .hasMessage(
            typo
                + ": unknown key 'max-batch-szie' (nearest known key: max-batch-size; expected:"
                + " an option name without dashes, or model.NAME.OPTION)");
    assertThatThrownBy(() -> parse(Map.of(), "--config", swapped.toString()))
        .hasMessageContaining(swapped + ": unknown key 'prot' (nearest known key: port;");
    assertThatThrownBy(() -> parse(Map.of(), "--config", underscores.toString()))
        .hasMessageContaining("'max_queue_delay' (nearest known key: max-queue-delay;");
    assertThatThrownBy(() -> parse(Map.of("ZEROSHOT_CONFIG", itself.toString())))
        .hasMessageContaining(itself + ": unknown key 'config'");
  }

  @Test
  void everyOptionIsAKnownKeyOfTheConfigFile() throws IOException {
    Path file = dir.resolve("server.properties");
    Files.writeString(
        file,
        "host=127.0.0.1\nmetrics-port=-1\nbatch-wait=always\nlabel-set-dir=sets\n"
            + "max-label-prompts=4\nmodel.a.b.batch-workers=3\n");

    ServerConfig c = parse(Map.of(), "--config", file.toString());

    assertThat(c.host()).isEqualTo("127.0.0.1");
    assertThat(c.metricsPort()).isEqualTo(-1);
    assertThat(c.labels().limits().maxPromptsPerLabel()).isEqualTo(4);
    assertThat(c.batchingFor("a.b", false, 2).workers()).isEqualTo(3);
  }

  @Test
  void securityIsOffByDefaultAndItsOptionsComeFromFlagsEnvironmentOrFile() throws IOException {
    Path file = dir.resolve("server.properties");
    Files.writeString(file, "tls-key=/etc/zs/tls.key\nauth-token-file=/etc/zs/token\n");
    Map<String, String> env = Map.of("ZEROSHOT_TLS_CERT", "/etc/zs/tls.crt");

    SecuritySettings off = parse(Map.of()).security();
    SecuritySettings on =
        parse(
                env,
                "--config",
                file.toString(),
                "--tls-client-ca",
                "ca.pem",
                "--health-port",
                "8081")
            .security();

    assertThat(off).isEqualTo(SecuritySettings.NONE);
    assertThat(off.tls() || off.mutualTls() || off.tokenRequired()).isFalse();
    assertThat(on.tlsCert()).contains(Path.of("/etc/zs/tls.crt"));
    assertThat(on.tlsKey()).contains(Path.of("/etc/zs/tls.key"));
    assertThat(on.tlsClientCa()).contains(Path.of("ca.pem"));
    assertThat(on.authTokenFile()).contains(Path.of("/etc/zs/token"));
    assertThat(on.healthPort()).isEqualTo(8081);
    assertThat(on.tls() && on.mutualTls() && on.tokenRequired()).isTrue();
    assertThat(on.allowPlaintextToken()).isFalse();
  }

  @Test
  void metricsBindTheGrpcHostUnlessAMetricsHostIsGiven() throws IOException {
    assertThat(parse(Map.of(), "--host", "10.1.2.3").metricsHost()).isEqualTo("10.1.2.3");
    assertThat(parse(Map.of(), "--metrics-host", "127.0.0.1").metricsHost()).isEqualTo("127.0.0.1");
    assertThat(parse(Map.of("ZEROSHOT_METRICS_HOST", "::1")).metricsHost()).isEqualTo("::1");
  }

  @Test
  void aTokenWithoutTlsIsRefusedUnlessPlaintextIsSaidToBeIntended() throws IOException {
    assertThatThrownBy(() -> parse(Map.of(), "--auth-token-file", "/etc/zs/token"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "--auth-token-file: /etc/zs/token without --tls-cert and --tls-key (expected: TLS,"
                + " so that the token does not cross the network in clear text; or"
                + " --allow-plaintext-token where a service mesh or proxy encrypts the"
                + " connection)");

    SecuritySettings flag =
        parse(Map.of(), "--auth-token-file", "/etc/zs/token", "--allow-plaintext-token").security();
    SecuritySettings env =
        parse(
                Map.of(
                    "ZEROSHOT_AUTH_TOKEN_FILE",
                    "/etc/zs/token",
                    "ZEROSHOT_ALLOW_PLAINTEXT_TOKEN",
                    "true"))
            .security();

    assertThat(flag.tokenRequired() && !flag.tls() && flag.allowPlaintextToken()).isTrue();
    assertThat(env.allowPlaintextToken()).isTrue();
  }

  @Test
  void tlsNeedsBothCertificateAndKeyAndClientCertificatesNeedTls() {
    assertThatThrownBy(() -> parse(Map.of(), "--tls-cert", "a.crt"))
        .hasMessage("--tls-key: none (expected: the PEM private key of --tls-cert a.crt)");
    assertThatThrownBy(() -> parse(Map.of(), "--tls-key", "a.key"))
        .hasMessage("--tls-cert: none (expected: the PEM certificate chain of --tls-key a.key)");
    assertThatThrownBy(() -> parse(Map.of(), "--tls-client-ca", "ca.pem"))
        .hasMessage(
            "--tls-client-ca: ca.pem (expected: only with --tls-cert and --tls-key: client"
                + " certificates need TLS)");
    assertThatThrownBy(() -> parse(Map.of(), "--health-port", "70000"))
        .hasMessage("--health-port: 70000 (expected: 0..65535, or -1 for none)");
  }

  @Test
  void badValuesSayWhatWasExpected() throws IOException {
    assertThatThrownBy(() -> parse(Map.of(), "--device", "tpu"))
        .hasMessage("device: 'tpu' (expected: auto, cpu, gpu, gpu:N or gpu:N,gpu:M,...)");
    assertThatThrownBy(() -> parse(Map.of(), "--http-port", "-2"))
        .hasMessage("httpPort: -2 (expected: 0..65535, or -1 for none)");
    assertThat(parse(Map.of("ZEROSHOT_HTTP_PORT", "-1")).httpPort()).isEqualTo(-1);
    assertThatThrownBy(() -> parse(Map.of(), "--max-labels", "0"))
        .hasMessage("maxLabels: 0 (expected: > 0)");
    assertThatThrownBy(() -> parse(Map.of(), "--shutdown-grace", "soon"))
        .hasMessageContaining("'soon' (expected: a duration such as 500ms, 30s, 2m or PT30S)");
    assertThatThrownBy(
            () -> parse(Map.of(), "--config", dir.resolve("missing.properties").toString()))
        .hasMessageContaining("(expected: an existing properties file)");
  }

  private static ServerConfig parse(Map<String, String> env, String... args) throws IOException {
    ServerCommand command = new ServerCommand();
    CommandLine cli = new CommandLine(command);
    ConfigDefaults defaults = ConfigDefaults.load(args, env, cli.getCommandSpec());
    cli.setDefaultValueProvider(defaults);
    cli.parseArgs(args);
    return command.toConfig(defaults.perModel());
  }
}
