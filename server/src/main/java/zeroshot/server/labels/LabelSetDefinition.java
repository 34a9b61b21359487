package zeroshot.server.labels;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A named label set as a client defines it: labels with synonyms and extra prompts, and prompt
 * templates. Validated by {@link LabelSetLimits#check}.
 *
 * @param name unique per model
 * @param model the model's name (resolved: never empty)
 * @param labels the labels, in order
 * @param templates templates with one "{}" each; empty means labels are used as they are
 */
public record LabelSetDefinition(
    String name, String model, List<Entry> labels, List<String> templates) {

  /** One label, its synonyms (templated like it) and extra prompts (used as they are). */
  public record Entry(String label, List<String> synonyms, List<String> extraPrompts) {
    public Entry {
      requireNonNull(label, "label");
      synonyms = List.copyOf(synonyms);
      extraPrompts = List.copyOf(extraPrompts);
    }
  }

  public LabelSetDefinition {
    requireNonNull(name, "name");
    requireNonNull(model, "model");
    labels = List.copyOf(labels);
    templates = List.copyOf(templates);
  }

  /**
   * The distinct prompts of one label, whose embeddings are averaged into its vector: every
   * template applied to the label and each synonym, then the extra prompts.
   */
  public List<String> prompts(Entry entry) {
    List<PromptTemplate> applied =
        templates.isEmpty()
            ? List.of(PromptTemplate.parse(""))
            : templates.stream().map(PromptTemplate::parse).toList();
    Set<String> prompts = new LinkedHashSet<>();
    List<String> names = new ArrayList<>(entry.synonyms().size() + 1);
    names.add(entry.label());
    names.addAll(entry.synonyms());
    for (PromptTemplate t : applied) {
      for (String n : names) {
        prompts.add(t.apply(n));
      }
    }
    prompts.addAll(entry.extraPrompts());
    return List.copyOf(prompts);
  }

  public List<String> labelNames() {
    return labels.stream().map(Entry::label).toList();
  }
}
