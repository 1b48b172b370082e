package io.traininputs.job;

/** An input whose files cannot be read as that input: a required column is missing, or no file matches a path. */
public final class InputSchemaException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  InputSchemaException(String message) {
    super(message);
  }
}
