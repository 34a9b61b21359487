package zeroshot.server.config;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;
import zeroshot.server.batching.BatchWait;

/** Reads {@code announced} or {@code always}, with the expectation in the error. */
public final class BatchWaitConverter implements ITypeConverter<BatchWait> {
  @Override
  public BatchWait convert(String value) {
    try {
      return BatchWait.parse(value);
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException(e.getMessage());
    }
  }
}
