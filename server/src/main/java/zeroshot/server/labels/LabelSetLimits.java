package zeroshot.server.labels;

import java.util.HashSet;
import java.util.Set;
import zeroshot.server.messages.Echo;
import zeroshot.server.messages.InvalidFieldException;
import zeroshot.server.messages.TextRule;

/**
 * What a label set may hold. {@link #check} names the field and what was expected for every problem
 * (as {@link InvalidFieldException}, which the API reports as INVALID_ARGUMENT).
 *
 * @param maxSets label sets per server (all models); a new one beyond it is RESOURCE_EXHAUSTED
 * @param maxLabels labels per set
 * @param maxTemplates templates per set
 * @param maxPromptsPerLabel synonyms plus extra prompts per label
 * @param maxLabelChars characters of a label, synonym, template or extra prompt
 */
public record LabelSetLimits(
    int maxSets, int maxLabels, int maxTemplates, int maxPromptsPerLabel, int maxLabelChars) {
  public static final int DEFAULT_MAX_SETS = 1_000;
  public static final int DEFAULT_MAX_LABELS = 10_000;
  public static final int DEFAULT_MAX_TEMPLATES = 100;
  public static final int DEFAULT_MAX_PROMPTS_PER_LABEL = 32;
  static final String NAME = "[A-Za-z0-9._-]{1,128}";

  public LabelSetLimits {
    if (maxSets < 1 || maxLabels < 1 || maxTemplates < 1 || maxPromptsPerLabel < 0) {
      throw new IllegalArgumentException(
          "label set limits: " + this + " (expected: positive, prompts per label >= 0)");
    }
  }

  public static LabelSetLimits defaults(int maxLabelChars) {
    return new LabelSetLimits(
        DEFAULT_MAX_SETS,
        DEFAULT_MAX_LABELS,
        DEFAULT_MAX_TEMPLATES,
        DEFAULT_MAX_PROMPTS_PER_LABEL,
        maxLabelChars);
  }

  /** Throws IllegalArgumentException ("field: problem (expected: ...)") for a bad definition. */
  public void check(LabelSetDefinition d) {
    // A name is also a file name (LabelSetFiles): "." and ".." mean directories there.
    if (!d.name().matches(NAME) || d.name().equals(".") || d.name().equals("..")) {
      throw bad(
          "label_set.name",
          "\""
              + Echo.value(d.name())
              + "\" (expected: 1 to 128 letters, digits, '.', '_' or '-', not \".\" or \"..\")");
    }
    if (d.labels().isEmpty() || d.labels().size() > maxLabels) {
      throw bad(
          "label_set.labels", d.labels().size() + " labels (expected: 1 to " + maxLabels + ")");
    }
    if (d.templates().size() > maxTemplates) {
      throw bad(
          "label_set.prompt_templates",
          d.templates().size() + " templates (expected: at most " + maxTemplates + ")");
    }
    for (int i = 0; i < d.templates().size(); i++) {
      String field = "label_set.prompt_templates[" + i + "]";
      text(field, d.templates().get(i));
      try {
        PromptTemplate.parse(d.templates().get(i));
      } catch (IllegalArgumentException e) {
        throw bad(field, e.getMessage());
      }
    }
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < d.labels().size(); i++) {
      LabelSetDefinition.Entry e = d.labels().get(i);
      String field = "label_set.labels[" + i + "]";
      text(field + ".label", e.label());
      if (!seen.add(e.label())) {
        throw bad(
            field + ".label",
            "\"" + Echo.value(e.label()) + "\" repeats (expected: distinct labels)");
      }
      int prompts = e.synonyms().size() + e.extraPrompts().size();
      if (prompts > maxPromptsPerLabel) {
        throw bad(
            field,
            prompts + " synonyms and extra prompts (expected: at most " + maxPromptsPerLabel + ")");
      }
      for (int j = 0; j < e.synonyms().size(); j++) {
        text(field + ".synonyms[" + j + "]", e.synonyms().get(j));
      }
      for (int j = 0; j < e.extraPrompts().size(); j++) {
        text(field + ".extra_prompts[" + j + "]", e.extraPrompts().get(j));
      }
    }
  }

  private void text(String field, String value) {
    TextRule.check(field, value, "text", maxLabelChars);
  }

  private static InvalidFieldException bad(String field, String problem) {
    return new InvalidFieldException(field, problem);
  }
}
