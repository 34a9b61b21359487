package zeroshot.server.model;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import zeroshot.server.testing.Processes;

/**
 * The Python tests of what the model tools share (tools/common/tests): its CLIP preprocessing gives
 * clip.load's reference tensors bit for bit, and tools/tinyclip writes the bundled model.json byte
 * for byte. Run from here so that the README's test command covers them.
 */
@EnabledIf(
    value = "zeroshot.server.model.ClipExports#canExport",
    disabledReason = ClipExports.NO_EXPORT)
class ModelFormatToolTest {
  @Test
  void theSharedToolModulesPythonTestsPass() {
    Processes.assertPythonTestsPass(ClipExports.PYTHON, ClipExports.COMMON.resolve("tests"), 300);
  }
}
