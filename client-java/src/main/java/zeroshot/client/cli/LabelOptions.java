package zeroshot.client.cli;

import com.google.protobuf.FloatValue;
import java.util.List;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import zeroshot.v1.ClassifyRequest;

/** The candidate labels of a classify command: ad-hoc labels with a template, or a label set. */
final class LabelOptions {
  @ArgGroup(exclusive = true, multiplicity = "1")
  Candidates candidates;

  /** Exactly one of --labels and --label-set. */
  static final class Candidates {
    @Option(
        names = "--labels",
        paramLabel = "LABEL",
        split = ",",
        description =
            "Candidate labels, comma-separated, e.g. cat,dog,car or \"red star, blue square\""
                + " (white space around each label is removed).")
    List<String> labels;

    @Option(
        names = "--label-set",
        paramLabel = "NAME",
        description = "A label set created on the server (PutLabelSet) instead of --labels.")
    String labelSet;
  }

  @Option(
      names = "--template",
      paramLabel = "TEMPLATE",
      description =
          "Prompt template with one {} for the label, e.g. \"a photo of a {}.\" (with --labels).")
  String template;

  @Option(names = "--model", paramLabel = "NAME", description = "Model (default: the server's).")
  String model;

  @Option(
      names = "--min-score",
      paramLabel = "SCORE",
      description =
          "Leave out labels scoring below SCORE: the cosine for a softmax model (CLIP), the"
              + " probability for a sigmoid one (SigLIP); when none is left, say so"
              + " (no_match). Default: none")
  Float minScore;

  @Spec(Spec.Target.MIXEE)
  CommandSpec command;

  /**
   * A request carrying these labels (and template and model, when given).
   *
   * @throws ParameterException if a label is blank once trimmed, e.g. in {@code cat,,dog}
   */
  ClassifyRequest.Builder newRequest(int topK) {
    ClassifyRequest.Builder request = ClassifyRequest.newBuilder().setTopK(topK);
    if (candidates.labelSet != null) {
      request.setLabelSet(candidates.labelSet);
    } else {
      request.addAllLabels(labels());
    }
    if (template != null) {
      request.setPromptTemplate(template);
    }
    if (model != null) {
      request.setModel(model);
    }
    if (minScore != null) {
      request.setMinScore(FloatValue.of(minScore));
    }
    return request;
  }

  /** What the candidates are, for a report: the label set's name, or the labels. */
  String describe() {
    return candidates.labelSet != null
        ? "label set " + candidates.labelSet
        : String.join(",", labels());
  }

  /**
   * The --labels, each trimmed: {@code "red star, blue square"} is "red star" and "blue square".
   */
  private List<String> labels() {
    return trimmed(command, candidates.labels);
  }

  /**
   * Returns {@code labels} (the values of a comma-separated {@code --labels}) each trimmed.
   *
   * @throws ParameterException if one is blank once trimmed, e.g. in {@code cat,,dog}
   */
  static List<String> trimmed(CommandSpec command, List<String> labels) {
    List<String> trimmed = labels.stream().map(String::strip).toList();
    if (trimmed.contains("")) {
      throw new ParameterException(
          command.commandLine(),
          "--labels: \""
              + String.join(",", labels)
              + "\" (expected: comma-separated labels, none blank)");
    }
    return trimmed;
  }
}
