package io.traininputs.cli;

import io.traininputs.synthetic.InputFormat;
import java.util.Arrays;
import java.util.stream.Collectors;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads {@code json} or {@code parquet} (any case) and names the allowed values, as users spell them, if not. */
final class InputFormatConverter implements ITypeConverter<InputFormat> {
  @Override
  public InputFormat convert(String value) {
    for (InputFormat format : InputFormat.values()) {
      if (format.toString().equalsIgnoreCase(value.trim())) {
        return format;
      }
    }
    throw new TypeConversionException("'" + value + "' is not a format; allowed: "
        + Arrays.stream(InputFormat.values()).map(InputFormat::toString).collect(Collectors.joining(", ")));
  }
}
