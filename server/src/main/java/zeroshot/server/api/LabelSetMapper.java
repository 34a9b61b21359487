package zeroshot.server.api;

import zeroshot.server.labels.EncodedLabelSet;
import zeroshot.server.labels.LabelSetDefinition;
import zeroshot.v1.LabelSet;
import zeroshot.v1.LabelSetEntry;
import zeroshot.v1.LabelSetInfo;

/** Maps label sets between protobuf and the labels package. */
final class LabelSetMapper {
  private LabelSetMapper() {}

  /** The definition, for the resolved {@code model} name. */
  static LabelSetDefinition fromProto(LabelSet set, String model) {
    return new LabelSetDefinition(
        set.getName(),
        model,
        set.getLabelsList().stream()
            .map(
                e ->
                    new LabelSetDefinition.Entry(
                        e.getLabel(), e.getSynonymsList(), e.getExtraPromptsList()))
            .toList(),
        set.getPromptTemplatesList());
  }

  static LabelSet toProto(LabelSetDefinition d) {
    LabelSet.Builder out =
        LabelSet.newBuilder()
            .setName(d.name())
            .setModel(d.model())
            .addAllPromptTemplates(d.templates());
    for (LabelSetDefinition.Entry e : d.labels()) {
      out.addLabels(
          LabelSetEntry.newBuilder()
              .setLabel(e.label())
              .addAllSynonyms(e.synonyms())
              .addAllExtraPrompts(e.extraPrompts()));
    }
    return out.build();
  }

  static LabelSetInfo info(EncodedLabelSet set) {
    return LabelSetInfo.newBuilder()
        .setName(set.definition().name())
        .setModel(set.definition().model())
        .setModelVersion(set.modelVersion())
        .setLabelCount(set.definition().labels().size())
        .setPromptCount(set.promptCount())
        .build();
  }
}
