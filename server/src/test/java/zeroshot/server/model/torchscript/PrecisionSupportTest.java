package zeroshot.server.model.torchscript;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import zeroshot.server.model.InvalidModelException;
import zeroshot.server.model.ManifestReader;
import zeroshot.server.model.ModelManifest;
import zeroshot.server.model.TestModels;

class PrecisionSupportTest {
  private static final CpuFeatures ZEN4 =
      new CpuFeatures(Set.of("sse4_2", "avx2", "avx512f", "avx512_bf16", "avx512_vnni"));
  private static final CpuFeatures SKYLAKE = new CpuFeatures(Set.of("avx2", "avx512f"));
  private static final CpuFeatures OLD = new CpuFeatures(Set.of("sse4_2", "avx"));

  @Test
  void int8IsRefusedOnAGpuNamingTheFixAndAcceptedOnTheCpu(@TempDir Path dir) throws Exception {
    ModelManifest int8 = withPrecision(dir, "int8", "float32");

    assertThatThrownBy(() -> PrecisionSupport.refuseUnsupported(int8, true))
        .isInstanceOf(InvalidModelException.class)
        .hasMessageContaining("precision int8 on a GPU")
        .hasMessageContaining("--device cpu")
        .hasMessageContaining("tools/precision/convert.py");
    PrecisionSupport.refuseUnsupported(int8, false);
    PrecisionSupport.refuseUnsupported(withPrecision(dir, "bfloat16", "float16"), true);
  }

  @Test
  void bfloat16WarnsOnlyOnACpuWithoutBf16Instructions(@TempDir Path dir) throws Exception {
    ModelManifest bf16 = withPrecision(dir, "bfloat16", "bfloat16");

    assertThat(PrecisionSupport.slowWarnings(bf16, false, ZEN4)).isEmpty();
    assertThat(PrecisionSupport.slowWarnings(bf16, true, SKYLAKE)).isEmpty();
    assertThat(PrecisionSupport.slowWarnings(bf16, false, SKYLAKE))
        .singleElement()
        .asString()
        .contains("bfloat16 encoders on a CPU without avx512_bf16 or amx_bf16")
        .contains("CPU flags: avx2 avx512f")
        .contains("serve the float32 or int8 copy");
    // Flags that could not be read: nothing to say.
    assertThat(PrecisionSupport.slowWarnings(bf16, false, new CpuFeatures(Set.of()))).isEmpty();
  }

  @Test
  void int8WarnsWithoutVnniOrAvx2AndFloat16AlwaysOnTheCpu(@TempDir Path dir) throws Exception {
    ModelManifest int8 = withPrecision(dir, "int8", "int8");
    assertThat(PrecisionSupport.slowWarnings(int8, false, SKYLAKE)).isEmpty();
    assertThat(PrecisionSupport.slowWarnings(int8, false, OLD))
        .singleElement()
        .asString()
        .contains("int8 encoders on a CPU without VNNI or AVX2");

    ModelManifest half = withPrecision(dir, "float16", "float32");
    assertThat(PrecisionSupport.slowWarnings(half, false, ZEN4))
        .singleElement()
        .asString()
        .contains("float16 encoders on the CPU run several times slower");
    assertThat(PrecisionSupport.slowWarnings(half, true, OLD)).isEmpty();
    assertThat(PrecisionSupport.slowWarnings(TestModelsManifest.tinyClip(), false, OLD)).isEmpty();
  }

  @Test
  void cpuFlagsAreReadFromCpuinfo(@TempDir Path dir) throws Exception {
    Path cpuinfo = dir.resolve("cpuinfo");
    Files.writeString(
        cpuinfo,
        "processor\t: 0\nmodel name\t: AMD EPYC\nflags\t\t: fpu avx2 avx512f avx512_bf16"
            + " avx512_vnni\n\nprocessor\t: 1\nflags\t\t: fpu\n");
    CpuFeatures features = CpuFeatures.read(cpuinfo);

    assertThat(features.known()).isTrue();
    assertThat(features.hasBfloat16()).isTrue();
    assertThat(features.hasInt8Dot()).isTrue();
    assertThat(features.describe()).isEqualTo("avx2 avx512f avx512_bf16 avx512_vnni");
    assertThat(CpuFeatures.read(dir.resolve("missing")).known()).isFalse();
    assertThat(OLD.describe()).startsWith("none of avx2");
  }

  /** A copy of the bundled model whose manifest declares these precisions (never loaded). */
  private static ModelManifest withPrecision(Path dir, String image, String text) throws Exception {
    Path copy = TestModels.copyOfTinyClip(Files.createTempDirectory(dir, "m"));
    Path json = copy.resolve("model.json");
    String manifest = Files.readString(json);
    manifest =
        manifest
            .replace(
                "\"method\": \"encode_image\",",
                "\"method\": \"encode_image\",\n    \"precision\": \"" + image + "\",")
            .replace(
                "\"method\": \"encode_text\",",
                "\"method\": \"encode_text\",\n    \"precision\": \"" + text + "\",");
    Files.writeString(json, manifest);
    return ManifestReader.read(copy);
  }

  private static final class TestModelsManifest {
    static ModelManifest tinyClip() throws InvalidModelException {
      return ManifestReader.read(TestModels.tinyClip());
    }
  }
}
