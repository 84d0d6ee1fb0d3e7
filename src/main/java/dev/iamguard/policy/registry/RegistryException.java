package dev.iamguard.policy.registry;

import java.util.List;
import java.util.stream.Collectors;

/** A registry that cannot be loaded, with every problem found in it. */
public final class RegistryException extends Exception {

  private static final long serialVersionUID = 1L;

  private final transient List<RegistryProblem> problems;

  RegistryException(String source, List<RegistryProblem> problems) {
    super(message(source, problems));
    this.problems = List.copyOf(problems);
  }

  private static String message(String source, List<RegistryProblem> problems) {
    String count = problems.size() == 1 ? "1 problem" : problems.size() + " problems";
    return "registry " + source + " has " + count + ":\n" + problems.stream()
        .map(p -> "  " + p).collect(Collectors.joining("\n"));
  }

  /** Every problem, in file order per section. */
  public List<RegistryProblem> problems() {
    return problems;
  }
}
