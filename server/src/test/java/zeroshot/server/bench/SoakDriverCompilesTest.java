package zeroshot.server.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import zeroshot.server.model.TestModels;

/**
 * bench/soak/SoakDriver.java, which bench/soak.sh runs as a source file and no module builds, still
 * compiles against the API and libraries of today. The soak itself runs for hours and is not a
 * test.
 */
class SoakDriverCompilesTest {
  @TempDir Path classes;

  @Test
  void theSoakDriverCompilesAgainstTheCurrentApi() {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    ByteArrayOutputStream messages = new ByteArrayOutputStream();
    int exit =
        javac.run(
            null,
            messages,
            messages,
            "-d",
            classes.toString(),
            "-cp",
            System.getProperty("java.class.path"),
            TestModels.repoRoot().resolve("bench/soak/SoakDriver.java").toString());

    assertThat(exit).as("javac bench/soak/SoakDriver.java:%n%s", messages).isZero();
  }
}
