package zeroshot.client;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import zeroshot.v1.DeleteLabelSetRequest;
import zeroshot.v1.GetLabelSetRequest;
import zeroshot.v1.GetLabelSetResponse;
import zeroshot.v1.LabelSet;
import zeroshot.v1.LabelSetEntry;
import zeroshot.v1.LabelSetInfo;
import zeroshot.v1.ListLabelSetsRequest;
import zeroshot.v1.ListLabelSetsResponse;
import zeroshot.v1.PutLabelSetRequest;
import zeroshot.v1.PutLabelSetResponse;

/**
 * The label sets of {@link FakeZeroShotService}, in memory, with the real server's key (model, then
 * name), its default model for an empty one, and NOT_FOUND for an unknown model or set and
 * INVALID_ARGUMENT for a set without labels, in the real server's words. Nothing is encoded.
 */
final class FakeLabelSets {

  // "model/name" sorts by model, then name, as ListLabelSets answers.
  private final Map<String, LabelSet> sets = new ConcurrentSkipListMap<>();

  PutLabelSetResponse put(PutLabelSetRequest request) {
    LabelSet set = request.getLabelSet();
    String model = model(set.getModel());
    if (set.getLabelsCount() == 0) {
      throw Status.INVALID_ARGUMENT
          .withDescription("label_set.labels: 0 labels (expected: 1 to 10000)")
          .asRuntimeException();
    }
    LabelSet stored = set.toBuilder().setModel(model).build();
    boolean replaced = sets.put(model + "/" + set.getName(), stored) != null;
    return PutLabelSetResponse.newBuilder().setInfo(info(stored)).setReplaced(replaced).build();
  }

  GetLabelSetResponse get(GetLabelSetRequest request) {
    LabelSet set = require(request.getName(), request.getModel());
    return GetLabelSetResponse.newBuilder().setLabelSet(set).setInfo(info(set)).build();
  }

  ListLabelSetsResponse list(ListLabelSetsRequest request) {
    String model = request.getModel().isEmpty() ? "" : model(request.getModel());
    ListLabelSetsResponse.Builder response = ListLabelSetsResponse.newBuilder();
    sets.values().stream()
        .filter(set -> model.isEmpty() || set.getModel().equals(model))
        .forEach(set -> response.addLabelSets(info(set)));
    return response.build();
  }

  void delete(DeleteLabelSetRequest request) {
    LabelSet set = require(request.getName(), request.getModel());
    sets.remove(set.getModel() + "/" + set.getName());
  }

  private LabelSet require(String name, String requestedModel) {
    String model = model(requestedModel);
    LabelSet set = sets.get(model + "/" + name);
    if (set == null) {
      throw Status.NOT_FOUND
          .withDescription("label set '" + name + "' for model '" + model + "': unknown")
          .asRuntimeException();
    }
    return set;
  }

  private static String model(String requested) {
    String model = requested.isEmpty() ? FakeZeroShotService.MODEL : requested;
    if (FakeZeroShotService.modelsResponse().getModelsList().stream()
        .noneMatch(m -> m.getName().equals(model))) {
      throw new StatusRuntimeException(
          Status.NOT_FOUND.withDescription("model '" + model + "': unknown"));
    }
    return model;
  }

  /** Counts a prompt per template (or one without) for the label and each synonym, plus extras. */
  private static LabelSetInfo info(LabelSet set) {
    int templates = Math.max(1, set.getPromptTemplatesCount());
    int prompts = 0;
    for (LabelSetEntry entry : set.getLabelsList()) {
      prompts += (1 + entry.getSynonymsCount()) * templates + entry.getExtraPromptsCount();
    }
    return LabelSetInfo.newBuilder()
        .setName(set.getName())
        .setModel(set.getModel())
        .setModelVersion(FakeZeroShotService.VERSION)
        .setLabelCount(set.getLabelsCount())
        .setPromptCount(prompts)
        .build();
  }
}
