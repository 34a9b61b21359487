package zeroshot.server.config;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;
import zeroshot.server.model.image.PreprocessMode;

/** Reads {@code exact} or {@code fast}, with the expectation in the error. */
public final class PreprocessModeConverter implements ITypeConverter<PreprocessMode> {
  @Override
  public PreprocessMode convert(String value) {
    try {
      return PreprocessMode.parse(value);
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException(e.getMessage());
    }
  }
}
