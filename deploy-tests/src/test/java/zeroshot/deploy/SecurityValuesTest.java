package zeroshot.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static zeroshot.deploy.Yaml2.at;
import static zeroshot.deploy.Yaml2.list;
import static zeroshot.deploy.Yaml2.map;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** TLS, mutual TLS and the bearer token: secrets mounted read-only, flags set, probes reachable. */
class SecurityValuesTest {

  private static final List<String> PROBES =
      List.of("startupProbe", "readinessProbe", "livenessProbe");

  @Test
  void defaultsAreAPlaintextServerWithoutTokenProbedOnTheGrpcPort() {
    RenderedChart chart = RenderedChart.render();
    Map<String, Object> container = chart.serverContainer();

    for (String name :
        List.of(
            "ZEROSHOT_TLS_CERT",
            "ZEROSHOT_TLS_KEY",
            "ZEROSHOT_TLS_CLIENT_CA",
            "ZEROSHOT_AUTH_TOKEN_FILE",
            "ZEROSHOT_HEALTH_PORT")) {
      assertThat(chart.env(name)).as(name).isEmpty();
    }
    assertThat(portNames(container)).containsExactly("grpc", "metrics", "http");
    for (String probe : PROBES) {
      assertThat(at(container, probe, "grpc", "port")).as(probe).isEqualTo(50051);
    }
    assertThat(list(chart.podSpec().get("volumes")))
        .noneSatisfy(v -> assertThat(at(v, "secret")).isNotNull());
  }

  @Test
  void tlsMountsTheSecretReadOnlyPassesItsFilesAndMovesTheProbesToThePlaintextHealthPort() {
    RenderedChart chart = RenderedChart.render("tls-auth.yaml");
    Map<String, Object> container = chart.serverContainer();

    assertThat(chart.env("ZEROSHOT_TLS_CERT")).contains("/etc/zeroshot/tls/tls.crt");
    assertThat(chart.env("ZEROSHOT_TLS_KEY")).contains("/etc/zeroshot/tls/tls.key");
    assertThat(chart.env("ZEROSHOT_HEALTH_PORT")).contains("8081");
    assertThat(secretVolume(chart, "tls")).containsEntry("secretName", "zeroshot-tls");
    assertThat(mount(container, "tls"))
        .containsEntry("mountPath", "/etc/zeroshot/tls")
        .containsEntry("readOnly", true);
    assertThat(portNames(container)).containsExactly("grpc", "metrics", "http", "health");
    for (String probe : PROBES) {
      assertThat(at(container, probe, "grpc", "port")).as(probe).isEqualTo(8081);
    }
    // The Services expose only the API ports and metrics: the kubelet probes the pod directly.
    assertThat(list(at(chart.get("Service", RenderedChart.FULLNAME), "spec", "ports")))
        .extracting(p -> map(p).get("name"))
        .containsExactly("grpc", "metrics", "http");
  }

  @Test
  void aClientAuthorityTurnsOnMutualTlsWithItsKeyMountedAsCaCrt() {
    RenderedChart chart = RenderedChart.render("tls-auth.yaml");

    assertThat(chart.env("ZEROSHOT_TLS_CLIENT_CA")).contains("/etc/zeroshot/client-ca/ca.crt");
    Map<String, Object> secret = secretVolume(chart, "client-ca");
    assertThat(secret).containsEntry("secretName", "zeroshot-client-ca");
    assertThat(list(secret.get("items")))
        .containsExactly(Map.of("key", "ca.pem", "path", "ca.crt"));
    assertThat(mount(chart.serverContainer(), "client-ca")).containsEntry("readOnly", true);
    assertThat(
            RenderedChart.render(c -> c.set("tls.enabled", true).set("tls.secretName", "s"))
                .env("ZEROSHOT_TLS_CLIENT_CA"))
        .isEmpty();
  }

  @Test
  void authMountsTheTokenSecretReadOnlyAndNeverPutsTheTokenInTheEnvironment() {
    RenderedChart chart = RenderedChart.render("tls-auth.yaml");

    assertThat(chart.env("ZEROSHOT_AUTH_TOKEN_FILE")).contains("/etc/zeroshot/auth/token");
    Map<String, Object> secret = secretVolume(chart, "auth");
    assertThat(secret)
        .containsEntry("secretName", "zeroshot-token")
        .containsEntry("defaultMode", 288);
    assertThat(list(secret.get("items")))
        .containsExactly(Map.of("key", "api-token", "path", "token"));
    assertThat(mount(chart.serverContainer(), "auth"))
        .containsEntry("mountPath", "/etc/zeroshot/auth")
        .containsEntry("readOnly", true);
    assertThat(chart.env("ZEROSHOT_TLS_CERT")).isPresent();
    // Auth alone leaves the transport, and so the probes, as they were.
    RenderedChart authOnly =
        RenderedChart.render(
            c ->
                c.set("auth.enabled", true)
                    .set("auth.secretName", "t")
                    .set("auth.allowPlaintext", true));
    assertThat(authOnly.env("ZEROSHOT_AUTH_TOKEN_FILE")).isPresent();
    assertThat(authOnly.env("ZEROSHOT_ALLOW_PLAINTEXT_TOKEN")).contains("true");
    assertThat(authOnly.env("ZEROSHOT_TLS_CERT")).isEmpty();
    // With TLS the server needs no such permission.
    assertThat(chart.env("ZEROSHOT_ALLOW_PLAINTEXT_TOKEN")).isEmpty();
    assertThat(at(authOnly.serverContainer(), "readinessProbe", "grpc", "port")).isEqualTo(50051);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "tls.enabled=true, tls.secretName is required",
    "tls.clientCA.secretName=ca, tls.clientCA.secretName needs tls.enabled",
    "auth.enabled=true, auth.secretName is required",
    "auth.enabled=true;auth.secretName=t, auth.enabled needs tls.enabled, or auth.allowPlaintext",
    "tls.enabled=true;tls.secretName=s;server.healthPort=50051, server.healthPort must differ"
  })
  void templateChecksNameTheMissingOrConflictingValue(String sets, String message) {
    assertThatThrownBy(
            () ->
                RenderedChart.render(
                    c -> {
                      for (String set : sets.split(";")) {
                        String[] kv = set.split("=", 2);
                        c.set(kv[0], kv[1]);
                      }
                      return c;
                    }))
        .hasMessageContaining(message);
  }

  private static List<Object> portNames(Map<String, Object> container) {
    return list(container.get("ports")).stream().map(p -> map(p).get("name")).toList();
  }

  private static Map<String, Object> secretVolume(RenderedChart chart, String name) {
    Optional<Map<String, Object>> volume =
        list(chart.podSpec().get("volumes")).stream()
            .map(Yaml2::map)
            .filter(v -> name.equals(v.get("name")))
            .findFirst();
    assertThat(volume).as("volume " + name).isPresent();
    return map(volume.get().get("secret"));
  }

  private static Map<String, Object> mount(Map<String, Object> container, String name) {
    return list(container.get("volumeMounts")).stream()
        .map(Yaml2::map)
        .filter(m -> name.equals(m.get("name")))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no volume mount " + name));
  }
}
