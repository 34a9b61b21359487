package zeroshot.client;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import zeroshot.v1.DeleteLabelSetRequest;
import zeroshot.v1.DeleteLabelSetResponse;
import zeroshot.v1.GetLabelSetRequest;
import zeroshot.v1.GetLabelSetResponse;
import zeroshot.v1.LabelSet;
import zeroshot.v1.ListLabelSetsRequest;
import zeroshot.v1.ListLabelSetsResponse;
import zeroshot.v1.PutLabelSetRequest;
import zeroshot.v1.PutLabelSetResponse;

/**
 * The label-set calls of a {@link ZeroShotClient}, from {@link ZeroShotClient#labelSets()}: they
 * create, read, list and delete the named label sets that Classify can use instead of ad-hoc labels
 * ({@code ClassifyRequest.label_set}).
 *
 * <p>A set is named by its name and its model; an empty model means the server's default model.
 * Deadlines and errors are those of the client's other calls: the client's default deadline unless
 * one is passed, and a {@link io.grpc.StatusRuntimeException} whose code is documented on each RPC
 * in {@code zeroshot.proto}, e.g. {@code NOT_FOUND} for an unknown set or model, {@code
 * INVALID_ARGUMENT} for a set the server rejects.
 */
public final class LabelSets {

  private final ZeroShotClient client;

  LabelSets(ZeroShotClient client) {
    this.client = client;
  }

  /**
   * Creates the set, or replaces the one of the same name and model; the server encodes its prompts
   * before it answers. See {@code ZeroShotService.PutLabelSet}.
   */
  public PutLabelSetResponse put(LabelSet labelSet) {
    return put(labelSet, client.defaultDeadline());
  }

  /** As {@link #put(LabelSet)}, with the given deadline. */
  public PutLabelSetResponse put(LabelSet labelSet, Duration deadline) {
    requireNonNull(labelSet, "labelSet");
    PutLabelSetRequest request = PutLabelSetRequest.newBuilder().setLabelSet(labelSet).build();
    return client.blocking(deadline).putLabelSet(request);
  }

  /** Returns the definition of set {@code name} of {@code model} ("" = the default model). */
  public GetLabelSetResponse get(String name, String model) {
    return get(name, model, client.defaultDeadline());
  }

  /** As {@link #get(String, String)}, with the given deadline. */
  public GetLabelSetResponse get(String name, String model, Duration deadline) {
    GetLabelSetRequest request =
        GetLabelSetRequest.newBuilder()
            .setName(requireNonNull(name, "name"))
            .setModel(requireNonNull(model, "model"))
            .build();
    return client.blocking(deadline).getLabelSet(request);
  }

  /** Lists the sets of {@code model}, or of every model when it is "", by model then name. */
  public ListLabelSetsResponse list(String model) {
    return list(model, client.defaultDeadline());
  }

  /** As {@link #list(String)}, with the given deadline. */
  public ListLabelSetsResponse list(String model, Duration deadline) {
    ListLabelSetsRequest request =
        ListLabelSetsRequest.newBuilder().setModel(requireNonNull(model, "model")).build();
    return client.blocking(deadline).listLabelSets(request);
  }

  /** Deletes set {@code name} of {@code model} ("" = the default model). */
  public DeleteLabelSetResponse delete(String name, String model) {
    return delete(name, model, client.defaultDeadline());
  }

  /** As {@link #delete(String, String)}, with the given deadline. */
  public DeleteLabelSetResponse delete(String name, String model, Duration deadline) {
    DeleteLabelSetRequest request =
        DeleteLabelSetRequest.newBuilder()
            .setName(requireNonNull(name, "name"))
            .setModel(requireNonNull(model, "model"))
            .build();
    return client.blocking(deadline).deleteLabelSet(request);
  }
}
