package zeroshot.server.inference;

import java.util.List;
import zeroshot.server.labels.PromptTemplate;

/** The labels a classify call scores against: its own, or a named label set. */
public sealed interface Candidates {

  /** Labels sent with the call, each with the template applied. */
  record AdHoc(List<String> labels, PromptTemplate template) implements Candidates {
    public AdHoc {
      labels = List.copyOf(labels);
    }
  }

  /** A label set created with PutLabelSet for the call's model. */
  record Named(String name) implements Candidates {}
}
