package dev.iamguard.policy.iam;

import java.util.List;

/**
 * An IAM policy document that cannot be read, or that uses a construct the evaluator does not
 * support. Each problem names the source, the statement (Sid or 1-based index) and the line.
 */
public final class IamPolicyException extends Exception {

  private static final long serialVersionUID = 1L;

  private final String source;
  private final List<String> problems;

  IamPolicyException(String source, List<String> problems) {
    super(message(source, problems));
    this.source = source;
    this.problems = List.copyOf(problems);
  }

  private static String message(String source, List<String> problems) {
    if (problems.size() == 1) {
      return problems.get(0);
    }
    return source + ": " + problems.size() + " problems:\n  " + String.join("\n  ", problems);
  }

  /** The source name given to {@link IamPolicy#parse}. */
  public String source() {
    return source;
  }

  /** Every problem found, each a full message starting with the source name. */
  public List<String> problems() {
    return problems;
  }
}
