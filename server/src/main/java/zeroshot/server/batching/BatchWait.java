package zeroshot.server.batching;

import java.util.Locale;

/**
 * When a batch that is not full yet waits for more items, up to {@code maxQueueDelay} from its
 * oldest item.
 */
public enum BatchWait {
  /**
   * Only while more items are on their way: announced by a stage that prepares them (image
   * decoding, see {@link Batcher#announce}). With nothing announced a worker runs what is queued at
   * once, so a lone caller does not pay the delay for a batch nobody else will join; under load
   * items are announced or queued, and batches fill as with {@link #ALWAYS}. Texts have no
   * preparation stage (they are tokenised in the model call), so text batches never wait: they hold
   * what queued while the workers were busy.
   */
  ANNOUNCED,
  /** Always, as Triton's dynamic batcher does: a lone item waits the whole delay. */
  ALWAYS;

  /** Parses {@code announced} or {@code always}. */
  public static BatchWait parse(String text) {
    return switch (text.trim().toLowerCase(Locale.ROOT)) {
      case "announced" -> ANNOUNCED;
      case "always" -> ALWAYS;
      default ->
          throw new IllegalArgumentException(
              "batchWait: '" + text + "' (expected: announced or always)");
    };
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
