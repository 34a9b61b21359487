package zeroshot.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docker/unpack-natives.sh, which fills the GPU image's read-only DJL cache, run on small jars laid
 * out like DJL's (entry names as in pytorch-native-cu124 2.5.1, pytorch-jni 2.5.1-0.33.0 and
 * tokenizers 0.33.0). The real 2.4 GB jar is checked by docker/check-natives-on-cpu.sh, by hand.
 */
class UnpackNativesTest {
  private static final Path ROOT = RenderedChart.repoRoot();
  private static final Path SCRIPT = ROOT.resolve("docker/unpack-natives.sh");
  private static final String CU124 = "pytorch/cu124/linux-x86_64/";

  @TempDir Path dir;

  @Test
  void unpacksLibtorchJniAndTokenizersWhereDjlLooks() throws Exception {
    Path m2 = repository(List.of("libtorch.so", "libtorch_cuda.so", "libcudart-8774224f.so.12"));
    Path cache = dir.resolve("cache");

    Processes.Result result = unpack(m2, cache);

    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(cache.resolve("pytorch/cu124/libtorch.so")).hasContent("libtorch.so");
    assertThat(cache.resolve("pytorch/cu124/libtorch_cuda.so")).hasContent("libtorch_cuda.so");
    assertThat(cache.resolve("pytorch/cu124/libcudart-8774224f.so.12")).exists();
    // DJL's LibUtils.findJniLibrary:
    // <cache>/pytorch/<version>-<flavor>-<classifier>/<djl>-libdjl_torch.so
    assertThat(cache.resolve("pytorch/2.5.1-20241113-cu124-linux-x86_64/0.33.0-libdjl_torch.so"))
        .hasContent("jni cu124");
    assertThat(cache.resolve("tokenizers/0.21.0-0.33.0-cpu-linux-x86_64/libtokenizers.so"))
        .hasContent("tokenizers cpu");
    try (Stream<Path> files = Files.walk(cache)) {
      assertThat(files.filter(Files::isRegularFile).count()).isEqualTo(5);
    }
  }

  @Test
  void aNativeJarWithoutLibtorchCudaFailsTheBuildNamingIt() throws Exception {
    Path m2 = repository(List.of("libtorch.so", "libtorch_cpu.so"));

    Processes.Result result = unpack(m2, dir.resolve("cache"));

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.output())
        .contains("no pytorch/cu124/linux-x86_64/libtorch_cuda.so (expected: DJL's cu124 natives)");
  }

  @Test
  void aMissingJarFailsSayingWhatBuildsIt() throws Exception {
    Path m2 = repository(List.of("libtorch.so", "libtorch_cuda.so"));
    Files.delete(jniJar(m2));

    Processes.Result result = unpack(m2, dir.resolve("cache"));

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.output())
        .contains("pytorch-jni-2.5.1-0.33.0.jar: missing")
        .contains("mvn -Pcuda -pl server -am package");
  }

  /** A Maven repository holding the three DJL jars and, beside it, a server jar. */
  private Path repository(List<String> cu124Libraries) throws IOException {
    Path m2 = dir.resolve("m2");
    Path djl = m2.resolve("ai/djl");
    Map<String, String> natives = new LinkedHashMap<>();
    natives.put(
        "native/lib/pytorch.properties", "version=2.5.1-20241113\nflavor=cu124\nclassifier=x\n");
    for (String library : cu124Libraries) {
      natives.put(CU124 + library, library);
    }
    jar(
        djl.resolve(
            "pytorch/pytorch-native-cu124/2.5.1/pytorch-native-cu124-2.5.1-linux-x86_64.jar"),
        natives);
    jar(
        jniJar(m2),
        Map.of(
            "jnilib/linux-x86_64/cpu/libdjl_torch.so", "jni cpu",
            "jnilib/linux-x86_64/cu124/libdjl_torch.so", "jni cu124"));
    jar(
        djl.resolve("huggingface/tokenizers/0.33.0/tokenizers-0.33.0.jar"),
        Map.of(
            "native/lib/tokenizers.properties", "version=0.21.0-0.33.0\n",
            "native/lib/linux-x86_64/cpu/libtokenizers.so", "tokenizers cpu"));
    jar(
        serverJar(),
        Map.of(
            "native/lib/pytorch.properties",
            "version=2.5.1-20241113\nflavor=cpu\nclassifier=linux-x86_64\n"));
    return m2;
  }

  private static Path jniJar(Path m2) {
    return m2.resolve("ai/djl/pytorch/pytorch-jni/2.5.1-0.33.0/pytorch-jni-2.5.1-0.33.0.jar");
  }

  private Path serverJar() {
    return dir.resolve("zeroshot-server.jar");
  }

  private static void jar(Path file, Map<String, String> entries) throws IOException {
    Files.createDirectories(file.getParent());
    try (OutputStream out = Files.newOutputStream(file);
        ZipOutputStream zip = new ZipOutputStream(out)) {
      for (Map.Entry<String, String> entry : entries.entrySet()) {
        zip.putNextEntry(new ZipEntry(entry.getKey()));
        zip.write(entry.getValue().getBytes(StandardCharsets.UTF_8));
        zip.closeEntry();
      }
    }
  }

  /** Runs the script with this JDK's {@code jar} first on the PATH and its default versions. */
  private Processes.Result unpack(Path m2, Path cache) throws IOException, InterruptedException {
    Map<String, String> environment = new HashMap<>();
    environment.put("PATH", Path.of(System.getProperty("java.home"), "bin").toString());
    environment.put("LIBTORCH", null);
    environment.put("DJL", null);
    return Processes.run(
        List.of("bash", SCRIPT.toString(), m2.toString(), serverJar().toString(), cache.toString()),
        null,
        environment,
        60);
  }
}
