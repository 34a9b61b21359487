package zeroshot.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/** The chart rendered by embedded Helm ({@code helm template}), parsed into Kubernetes objects. */
final class RenderedChart {
  static final String RELEASE = "prod";
  static final String NAMESPACE = "ml";
  static final String KUBE_VERSION = "1.30.0";
  static final String FULLNAME = "prod-zeroshot-serve";

  final String manifest;
  final List<Map<String, Object>> objects;

  private RenderedChart(String manifest) {
    this.manifest = manifest;
    LoaderOptions options = new LoaderOptions();
    options.setCodePointLimit(10 * 1024 * 1024);
    List<Map<String, Object>> parsed = new ArrayList<>();
    for (Object doc : new Yaml(options).loadAll(manifest)) {
      if (doc != null) {
        parsed.add(Yaml2.map(doc));
      }
    }
    this.objects = List.copyOf(parsed);
  }

  static Path repoRoot() {
    String root = System.getProperty("zeroshot.repoRoot");
    Path path = root != null ? Path.of(root) : Path.of("..");
    return path.toAbsolutePath().normalize();
  }

  static Path chartDir() {
    return repoRoot().resolve("helm/zeroshot-serve");
  }

  static Path valuesFile(String name) {
    Path file = repoRoot().resolve("deploy-tests/src/test/resources/values").resolve(name);
    assertThat(file).as("values file").isRegularFile();
    return file;
  }

  /** Renders with the chart's default values. */
  static RenderedChart render() {
    return render(UnaryOperator.identity());
  }

  /** Renders with one values file from src/test/resources/values (on top of the defaults). */
  static RenderedChart render(String valuesFileName) {
    return render(command -> command.withValuesFile(valuesFile(valuesFileName)));
  }

  /** Renders after {@code customizer} added values files or --set values. */
  static RenderedChart render(UnaryOperator<TemplateCommand> customizer) {
    TemplateCommand command =
        new Helm(chartDir())
            .template()
            .withName(RELEASE)
            .withNamespace(NAMESPACE)
            .withKubeVersion(KUBE_VERSION);
    return new RenderedChart(customizer.apply(command).call());
  }

  List<Map<String, Object>> ofKind(String kind) {
    return objects.stream().filter(o -> kind.equals(o.get("kind"))).toList();
  }

  Optional<Map<String, Object>> find(String kind, String name) {
    return ofKind(kind).stream()
        .filter(o -> name.equals(Yaml2.at(o, "metadata", "name")))
        .findFirst();
  }

  Map<String, Object> get(String kind, String name) {
    return find(kind, name)
        .orElseThrow(
            () -> new AssertionError("no " + kind + " named " + name + " in\n" + manifest));
  }

  List<String> kinds() {
    return objects.stream().map(o -> (String) o.get("kind")).sorted().toList();
  }

  Map<String, Object> deployment() {
    return get("Deployment", FULLNAME);
  }

  Map<String, Object> podSpec() {
    return Yaml2.map(Yaml2.at(deployment(), "spec", "template", "spec"));
  }

  Map<String, Object> serverContainer() {
    return Yaml2.list(podSpec().get("containers")).stream()
        .map(Yaml2::map)
        .filter(c -> "server".equals(c.get("name")))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no container named server"));
  }

  /** The plain {@code value} of an env var of the server container, if it has one. */
  Optional<String> env(String name) {
    return Yaml2.list(serverContainer().get("env")).stream()
        .map(Yaml2::map)
        .filter(e -> name.equals(e.get("name")))
        .map(e -> (String) e.get("value"))
        .findFirst();
  }
}
