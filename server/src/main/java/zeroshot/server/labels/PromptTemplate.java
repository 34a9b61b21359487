package zeroshot.server.labels;

import java.util.List;
import zeroshot.server.messages.Echo;

/**
 * A prompt such as {@code "a photo of a {}."}: the label replaces the one {@code {}}. CLIP's
 * zero-shot accuracy is markedly better with a prompt than with the bare label.
 */
public final class PromptTemplate {
  private static final String SLOT = "{}";
  private static final PromptTemplate IDENTITY = new PromptTemplate(SLOT);

  private final String template;

  private PromptTemplate(String template) {
    this.template = template;
  }

  /**
   * An empty template means the labels are used as they are. A bad template throws
   * IllegalArgumentException with what was found and expected; the caller names the field.
   */
  public static PromptTemplate parse(String template) {
    if (template.isEmpty()) {
      return IDENTITY;
    }
    int first = template.indexOf(SLOT);
    if (first < 0 || template.indexOf(SLOT, first + 1) >= 0) {
      throw new IllegalArgumentException(
          "\""
              + Echo.value(template)
              + "\" (expected: \"{}\" exactly once, e.g. \"a photo of a {}.\")");
    }
    return new PromptTemplate(template);
  }

  public String apply(String label) {
    return template.replace(SLOT, label);
  }

  public List<String> applyAll(List<String> labels) {
    return labels.stream().map(this::apply).toList();
  }

  @Override
  public String toString() {
    return template;
  }
}
