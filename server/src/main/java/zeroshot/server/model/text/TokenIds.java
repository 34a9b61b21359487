package zeroshot.server.model.text;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;

/**
 * Token ids of a batch of texts, as the text encoder receives them.
 *
 * <p>The arrays are shared, not copied: a caller must not change them.
 *
 * @param ids one row per text, each exactly the context length, padded after the real tokens
 * @param lengths per text, the real tokens including the final EOS: what transformers' {@code
 *     attention_mask} counts. SigLIP pads with its EOS id, so the length cannot be told from the
 *     ids alone.
 */
public record TokenIds(long[][] ids, int[] lengths) {
  public TokenIds {
    requireNonNull(ids, "ids");
    requireNonNull(lengths, "lengths");
    if (ids.length != lengths.length) {
      throw new IllegalArgumentException(
          "lengths: " + lengths.length + " (expected: " + ids.length + ", one per row of ids)");
    }
    for (int i = 0; i < ids.length; i++) {
      if (lengths[i] < 0 || lengths[i] > ids[i].length) {
        throw new IllegalArgumentException(
            "lengths[" + i + "]: " + lengths[i] + " (expected: 0.." + ids[i].length + ")");
      }
    }
  }

  /** Per text, 1 at the positions before its length and 0 after, as transformers returns it. */
  public long[][] attentionMask() {
    long[][] mask = new long[ids.length][];
    for (int i = 0; i < ids.length; i++) {
      mask[i] = new long[ids[i].length];
      Arrays.fill(mask[i], 0, lengths[i], 1L);
    }
    return mask;
  }
}
