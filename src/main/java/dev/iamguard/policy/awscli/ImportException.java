package dev.iamguard.policy.awscli;

import dev.iamguard.sql.SecretText;

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

  /** Each problem is masked ({@link SecretText}): an export or a grants file may hold a credential where an ARN belongs. */
  ImportException(List<String> problems) {
    super(String.join("\n", masked(problems)));
    this.problems = masked(problems);
  }

  private static List<String> masked(List<String> problems) {
    return problems.stream().map(SecretText::masked).toList();
  }

  /** Each problem, one line each. */
  public List<String> problems() {
    return problems;
  }
}
