package zeroshot.testsupport;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.TestSource;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Prints, when a test run ends, every test that did not run and why: those disabled by a condition
 * ({@code @EnabledIf} and the like, with their reason) and those aborted by a failed assumption
 * (with its message). Maven's console shows only "Skipped: N"; the reasons are otherwise only in
 * target/surefire-reports. Registered through {@code META-INF/services}, so JUnit loads it in every
 * module that has this one on its test classpath.
 */
public final class SkipSummary implements TestExecutionListener {
  private final List<String> skipped = new ArrayList<>();

  @Override
  public void executionSkipped(TestIdentifier test, String reason) {
    skipped.add(name(test) + ": " + firstLine(reason));
  }

  @Override
  public void executionFinished(TestIdentifier test, TestExecutionResult result) {
    if (result.getStatus() == TestExecutionResult.Status.ABORTED) {
      String reason = result.getThrowable().map(Throwable::getMessage).orElse("aborted");
      skipped.add(name(test) + ": " + firstLine(reason));
    }
  }

  @Override
  public void testPlanExecutionFinished(TestPlan plan) {
    if (skipped.isEmpty()) {
      return;
    }
    StringBuilder out = new StringBuilder();
    out.append(System.lineSeparator())
        .append("Skipped, and why (")
        .append(skipped.size())
        .append("):")
        .append(System.lineSeparator());
    for (String line : skipped) {
      out.append("  ").append(line).append(System.lineSeparator());
    }
    System.out.print(out);
    System.out.flush();
    skipped.clear();
  }

  /** {@code Class.method} for a test method, the class name for a class, else its display name. */
  private static String name(TestIdentifier test) {
    Optional<TestSource> source = test.getSource();
    if (source.isPresent() && source.get() instanceof MethodSource m) {
      String simple = m.getClassName().substring(m.getClassName().lastIndexOf('.') + 1);
      String shown = test.getDisplayName();
      // "method()" for a plain test; "[1] ..." or a custom name for parameterised ones.
      return simple
          + "."
          + (shown.startsWith(m.getMethodName()) ? shown : m.getMethodName() + " " + shown);
    }
    if (source.isPresent() && source.get() instanceof ClassSource c) {
      return c.getClassName();
    }
    return test.getDisplayName();
  }

  private static String firstLine(String text) {
    if (text == null || text.isBlank()) {
      return "(no reason given)";
    }
    int end = text.indexOf('\n');
    return end < 0 ? text.strip() : text.substring(0, end).strip();
  }
}
