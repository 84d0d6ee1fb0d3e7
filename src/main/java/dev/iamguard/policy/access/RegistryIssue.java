package dev.iamguard.policy.access;

/**
 * Something {@code iamguard registry validate} reports about a registry that loads: it is not
 * wrong as a file, but probably not what was meant.
 *
 * @param code a stable name for the kind of issue, e.g. {@code ROLE_UNUSABLE}
 * @param line the line of the registry entry it is about (0 = the whole file)
 * @param path the entry, e.g. {@code roles[2]} or {@code chains.companyb}
 * @param message what is the matter and what to do
 */
public record RegistryIssue(String code, int line, String path, String message) implements Comparable<RegistryIssue> {
  @Override
  public int compareTo(RegistryIssue other) {
    int byLine = Integer.compare(line, other.line);
    return byLine != 0 ? byLine : (code + message).compareTo(other.code + other.message);
  }
}
