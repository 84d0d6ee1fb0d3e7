package dev.iamguard.policy.awscli;

import java.util.List;

/**
 * Input that {@code registry import} cannot turn into a registry: every problem found, each naming
 * the file and where in it. Nothing is written when it is thrown.
 */
public final class ImportException extends Exception {
  private static final long serialVersionUID = 1L;
  private final List<String> problems;

  ImportException(String problem) {
    this(List.of(problem));
  }

  ImportException(List<String> problems) {
    super(String.join("\n", problems));
    this.problems = List.copyOf(problems);
  }

  /** Each problem, one line each. */
  public List<String> problems() {
    return problems;
  }
}
