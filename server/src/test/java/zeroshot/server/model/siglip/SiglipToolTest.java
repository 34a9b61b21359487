package zeroshot.server.model.siglip;

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
    Processes.assertPythonTestsPass(
        SiglipExports.PYTHON, TestModels.repoRoot().resolve("tools/siglip/tests"), 900);
  }
}
