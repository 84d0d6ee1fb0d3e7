package dev.iamguard.policy.registry;

import java.util.List;
import java.util.stream.Collectors;

/** A registry that cannot be loaded, with the problems found in it (the first thousand, and how many there are). */
public final class RegistryException extends Exception {

  private static final long serialVersionUID = 1L;

  private final transient List<RegistryProblem> problems;
  private final int count;

  RegistryException(String source, List<RegistryProblem> problems) {
    this(source, problems, problems.size());
  }

  /** {@code problems} are the first of {@code count}. */
  RegistryException(String source, List<RegistryProblem> problems, int count) {
    super(message(source, problems, count));
    this.problems = List.copyOf(problems);
    this.count = count;
  }

  private static String message(String source, List<RegistryProblem> problems, int count) {
    String counted = count == 1 ? "1 problem" : count + " problems";
    String left = count > problems.size() ? "\n  ... and " + (count - problems.size()) + " more, not listed: fix the "
        + problems.size() + " above first (problems often follow from earlier ones)" : "";
    return "registry " + source + " has " + counted + ":\n" + problems.stream()
        .map(p -> "  " + p).collect(Collectors.joining("\n")) + left;
  }

  /** The problems in file order per section: every one, or the first thousand of {@link #count()}. */
  public List<RegistryProblem> problems() {
    return problems;
  }

  /** How many problems the registry has, listed in {@link #problems()} or not. */
  public int count() {
    return count;
  }
}
