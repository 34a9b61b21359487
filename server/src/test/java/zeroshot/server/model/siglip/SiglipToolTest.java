package zeroshot.server.model.siglip;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import zeroshot.server.model.TestModels;
import zeroshot.server.testing.Processes;

/**
 * The exporter's own Python tests (tools/siglip/tests): its PyTorch SigLIP and SigLIP 2 against
 * transformers' reference outputs, its safetensors reader, its Pillow preprocessing. Run from here
 * so that the README's test command covers them.
 */
@EnabledIf(
    value = "zeroshot.server.model.siglip.SiglipExports#canExport",
    disabledReason = SiglipExports.NO_EXPORT)
class SiglipToolTest {
  @Test
  void theExportersPythonTestsPass() {
    Processes.Result result =
        Processes.run(
            List.of(
                SiglipExports.PYTHON.toString(),
                "-m",
                "unittest",
                "discover",
                "-s",
                TestModels.repoRoot().resolve("tools/siglip/tests").toString()),
            900);
    System.out.print(result.output());

    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.output()).containsPattern("Ran [1-9][0-9]* tests").contains("OK");
  }
}
