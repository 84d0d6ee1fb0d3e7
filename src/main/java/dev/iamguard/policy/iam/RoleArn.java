package dev.iamguard.policy.iam;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An IAM role ARN: {@code arn:{partition}:iam::{account}:role/{path/}{name}}.
 *
 * <p>Equality compares the partition, account and path exactly and the role name ignoring
 * case. IAM keeps role names unique per account case-insensitively ({@code RoleA} and
 * {@code rolea} cannot both exist), so two ARNs that differ only in the case of the name can
 * only mean the same role; treating them as different would let a registry entry and a SQL
 * statement disagree about one role. {@link #toString()} keeps the text as written.
 */
public final class RoleArn {

  private static final Pattern PARTITION = Pattern.compile("aws(-[a-z]+)*");
  private static final Pattern NAME = Pattern.compile("[\\w+=,.@-]{1,64}");
  private static final Pattern PATH = Pattern.compile("/|/[\\x21-\\x7E]+/");
  /** {@code arn:{partition}:iam::{account}:root}, fields not yet validated. */
  static final Pattern ACCOUNT_ROOT = Pattern.compile("arn:([^:]*):iam::([^:]*):root");
  private static final int MAX_PATH = 512;
  private static final int MAX_NAME = 64;

  private final String partition;
  private final String account;
  private final String path;
  private final String name;
  /** The ARN text, built once: parses are cached, so rewrites and messages reuse it. */
  private final String text;

  private RoleArn(String partition, String account, String path, String name) {
    this.partition = partition;
    this.account = account;
    this.path = path;
    this.name = name;
    this.text = "arn:" + partition + ":iam::" + account + ":role" + path + name;
  }

  /** The outcome of {@link #parse}: a role ARN, or the reason the text is not one. */
  public record Parsed(String input, Optional<RoleArn> arn, Optional<String> problem) {
    /** The ARN, or an {@link IllegalArgumentException} quoting the input and the reason. */
    public RoleArn orElseThrow() {
      return arn.orElseThrow(() -> new IllegalArgumentException(
          "not a role ARN: \"" + input + "\": " + problem.orElse("")));
    }
  }

  /**
   * Parses a role ARN. The reason of a failure is meant for users, e.g. {@code account id must
   * be 12 digits, got 13: 0123456789012} or {@code account id missing}.
   */
  public static Parsed parse(String text) {
    if (text == null) {
      return new Parsed(null, Optional.empty(), Optional.of(problemOf(null)));
    }
    if (!PARSED.keeps(text.length())) {
      return parseUncached(text); // longer than any role ARN: malformed, and not worth keeping
    }
    int slot = text.length() < 3 ? -1 : slot(text);
    Parsed recent = slot < 0 ? null : RECENT[slot];
    if (recent != null && recent.input().equals(text)) {
      return recent;
    }
    Parsed cached = PARSED.get(text);
    if (cached == null) {
      cached = parseUncached(text);
      PARSED.put(text, cached);
    }
    if (slot >= 0) {
      RECENT[slot] = cached; // a racy write of an immutable record: a reader sees it whole or not at all
    }
    return cached;
  }

  /**
   * The parses asked for last, by {@link #slot}: each statement's ARNs are fresh substrings whose
   * {@code String.hashCode} would be computed char by char before the map could be asked, while
   * comparing with the one candidate here is a single vectorised {@code equals}.
   */
  private static final Parsed[] RECENT = new Parsed[64];

  /** A cheap hash of an ARN text: its length, the end of its role name and its middle (the account). */
  private static int slot(String text) {
    int n = text.length();
    return (n * 31 + text.charAt(n - 1) * 17 + text.charAt(n - 2) * 7 + text.charAt(n - 3)
        + text.charAt(n >> 1) * 3) & (RECENT.length - 1);
  }

  /**
   * Statements name the same few roles again and again; parsing one costs a split and regexes. A
   * role ARN is at most about 620 chars (a 512-char path and a 64-char name): longer texts are
   * parsed each time, so neither this nor {@link #RECENT} holds a text of any length.
   */
  private static final dev.iamguard.sql.TextCache<Parsed> PARSED =
      new dev.iamguard.sql.TextCache<>(4096, 512 * 1024, 1024);

  /** {@link #parse} without the cache (package-private so that tests see every reason computed afresh). */
  static Parsed parseUncached(String text) {
    String problem = problemOf(text);
    if (problem != null) {
      return new Parsed(text, Optional.empty(), Optional.of(problem));
    }
    String[] fields = text.split(":", 6);
    String rest = fields[5].substring("role/".length());
    int slash = rest.lastIndexOf('/');
    String path = slash < 0 ? "/" : "/" + rest.substring(0, slash + 1);
    RoleArn arn = new RoleArn(fields[1], fields[4], path, rest.substring(slash + 1));
    return new Parsed(text, Optional.of(arn), Optional.empty());
  }

  /** The role ARN; throws {@link IllegalArgumentException} with the reason otherwise. */
  public static RoleArn of(String text) {
    return parse(text).orElseThrow();
  }

  private static String problemOf(String text) {
    if (text == null || text.isEmpty()) {
      return "role ARN is empty";
    }
    if (!text.startsWith("arn:")) {
      return "does not start with \"arn:\"";
    }
    String[] f = text.split(":", 6);
    if (f.length < 6) {
      boolean accountDropped = f.length == 5 && f[4].startsWith("role/");
      return accountDropped ? "account id missing"
          : "expected arn:{partition}:iam::{account}:role/{name}, found " + f.length
              + " of its 6 colon-separated fields";
    }
    String problem = partitionProblem(f[1]);
    if (problem == null && !f[2].equals("iam")) {
      problem = "service must be \"iam\", got \"" + f[2] + "\"";
    }
    if (problem == null && !f[3].isEmpty()) {
      problem = "region must be empty in an IAM ARN, got \"" + f[3] + "\"";
    }
    if (problem == null) {
      problem = accountProblem(f[4]);
    }
    return problem != null ? problem : resourceProblem(f[5]);
  }

  private static String resourceProblem(String resource) {
    if (resource.equals("root")) {
      return "this is an account root, not a role";
    }
    if (!resource.startsWith("role/")) {
      return "resource must be role/{name}, got \"" + resource + "\"";
    }
    String rest = resource.substring("role/".length());
    int slash = rest.lastIndexOf('/');
    String name = rest.substring(slash + 1);
    if (slash >= 0) {
      String path = "/" + rest.substring(0, slash + 1);
      if (path.length() > MAX_PATH) {
        return "path must be at most " + MAX_PATH + " characters, got " + path.length();
      }
      if (!PATH.matcher(path).matches()) {
        return "path \"" + path + "\" must be / or /{segments}/ of printable ASCII without spaces";
      }
    }
    if (name.isEmpty()) {
      return "role name missing";
    }
    if (name.length() > MAX_NAME) {
      return "role name must be at most " + MAX_NAME + " characters, got " + name.length();
    }
    if (!NAME.matcher(name).matches()) {
      return "role name \"" + name + "\" may only hold letters, digits and + = , . @ _ -";
    }
    return null;
  }

  /** Why {@code partition} is not an AWS partition, or {@code null} when it is one. */
  static String partitionProblem(String partition) {
    return PARTITION.matcher(partition).matches() ? null
        : "partition must be aws, aws-cn, aws-us-gov or another aws-* partition, got \""
            + partition + "\"";
  }

  /** Why {@code account} is not a 12-digit account id, or {@code null} when it is one. */
  public static String accountProblem(String account) {
    if (account.isEmpty()) {
      return "account id missing";
    }
    if (!account.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return "account id must be 12 digits, got \"" + account + "\"";
    }
    return account.length() == 12 ? null
        : "account id must be 12 digits, got " + account.length() + ": " + account;
  }

  /** Whether {@code text} is a 12-digit AWS account id. */
  public static boolean isAccountId(String text) {
    return text != null && accountProblem(text) == null;
  }

  /** The account root principal {@code arn:{partition}:iam::{account}:root}. */
  public static String accountRoot(String partition, String account) {
    return "arn:" + partition + ":iam::" + account + ":root";
  }

  /** The root principal of this role's account, {@code arn:{partition}:iam::{account}:root}. */
  public String accountRoot() {
    return accountRoot(partition, account);
  }

  /**
   * Splits a role chain as written in {@code IAM_ROLE 'arn1,arn2'} into its elements. Role names
   * may contain commas, so the chain is split only where a comma is followed by {@code arn:}.
   */
  public static List<String> splitChain(String chain) {
    List<String> parts = new ArrayList<>();
    int start = 0;
    int comma = chain.indexOf(",arn:");
    while (comma >= 0) {
      parts.add(chain.substring(start, comma));
      start = comma + 1;
      comma = chain.indexOf(",arn:", start);
    }
    parts.add(chain.substring(start));
    return parts;
  }

  /** {@code aws}, {@code aws-cn}, {@code aws-us-gov}, ... */
  public String partition() {
    return partition;
  }

  /** The 12-digit account id. */
  public String account() {
    return account;
  }

  /** The role path: {@code /} or {@code /segments/}. */
  public String path() {
    return path;
  }

  /** The role name as written. */
  public String name() {
    return name;
  }

  /** Same account (and partition) and same name ignoring case, whatever the paths. */
  public boolean sameRoleAs(RoleArn other) {
    return partition.equals(other.partition) && account.equals(other.account)
        && name.equalsIgnoreCase(other.name);
  }

  @Override
  public boolean equals(Object o) {
    return o == this || o instanceof RoleArn other && hashCode() == other.hashCode()
        && path.equals(other.path) && sameRoleAs(other);
  }

  @Override
  public int hashCode() {
    int h = hash;
    if (h == 0) {
      h = Objects.hash(partition, account, path, name.toLowerCase(Locale.ROOT));
      hash = h;
    }
    return h;
  }

  /** Cached: registry lookups hash the same few ARNs for every statement. */
  private int hash;

  /** The ARN text. */
  @Override
  public String toString() {
    return text;
  }
}
