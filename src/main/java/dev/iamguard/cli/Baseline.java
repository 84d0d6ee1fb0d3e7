package dev.iamguard.cli;

import dev.iamguard.audit.Redactor;
import dev.iamguard.policy.Finding;
import dev.iamguard.sql.SqlTokens;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A baseline: the findings a repository already had when it adopted {@code check}
 * ({@code --write-baseline FILE}), which {@code --baseline FILE} then accepts, so that only new
 * findings fail. A finding is known by a fingerprint that survives moving, re-indenting and
 * re-casing its statement: SHA-256 of the file name, the rule, the finding's subject (the role or
 * location it names) and the statement's text with secrets masked, white space collapsed and
 * letters lower-cased. Its line is not part of it. The same fingerprint twice in a file is held
 * with a count: a third copy of a statement baselined twice is new.
 *
 * <p>A finding about what a role may not use (a location, source, function or catalog database:
 * {@link Finding#role()}) names that role too. When the statement's text holds the role's ARN, the
 * text already fixes it, and the fingerprint is the one baselines written before had. When it does
 * not (an alias, {@code IAM_ROLE DEFAULT}, an external schema's role), the ARN is hashed with the
 * subject: otherwise, once the registry pointed the alias or default at another role, the old entry
 * accepted that role's findings. Such a finding in a baseline written before is therefore new.
 */
final class Baseline {
  static final int VERSION = 1;
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  /** file -> fingerprint -> how many findings it accepts. */
  private final Map<String, Map<String, Integer>> accepted;

  private Baseline(Map<String, Map<String, Integer>> accepted) {
    this.accepted = accepted;
  }

  /** One fingerprint of the baseline: rule and file are there for people reading it. */
  record Entry(String file, String rule, String fingerprint, int count) {}

  /** Reads a baseline written by {@link #write}. */
  static Baseline load(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new CliException(file + ": no such baseline file");
    }
    Map<String, Map<String, Integer>> accepted = BaselineReader.read(file);
    return new Baseline(accepted);
  }

  /** The accepted fingerprints of one file, to count down as findings match (one file, one thread). */
  Map<String, Integer> forFile(String name) {
    Map<String, Integer> own = accepted.get(name);
    return own == null ? new HashMap<>() : new HashMap<>(own);
  }

  /** The fingerprint of {@code finding} in the statement whose text is {@code statement}. */
  static String fingerprint(String file, Finding finding, String statement) {
    String role = finding.role() == null || written(code(statement), finding.role()) ? null : finding.role();
    return fingerprint(file, finding, role, statementPart(statement));
  }

  /**
   * The statement's code, lower-cased: its tokens one space apart, without its comments. A role's
   * ARN counts as written only here: one in a comment beside {@code IAM_ROLE default} names no role,
   * and a fingerprint without the role would survive repointing the default.
   */
  static String code(String statement) {
    SqlTokens tokens = SqlTokens.of(statement);
    StringBuilder code = new StringBuilder(statement.length());
    for (int i = 0; i < tokens.count(); i++) {
      code.append(tokens.text(i).toLowerCase(java.util.Locale.ROOT)).append(' ');
    }
    return code.toString();
  }

  /**
   * What every fingerprint of a statement's findings hashes after its header: the statement
   * redacted and normalised, in UTF-8. Made once per statement ({@code FileCheck}): redacting a
   * long statement (a procedure body) for each of its findings made reports quadratic.
   */
  static byte[] statementPart(String statement) {
    StringBuilder text = new StringBuilder(statement.length());
    normalise(Redactor.redact(statement), text);
    return text.toString().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * The fingerprints of one statement's findings. Findings with the same rule and subject have the
   * same fingerprint, so it is hashed once for all of them: a procedure of thousands of COPYs
   * through one unknown role has three distinct ones, not thousands of hashes of the whole body.
   */
  static final class StatementFingerprints {
    private final String file;
    private final String statement;
    private byte[] part;
    private final Map<String, String> made = new HashMap<>();
    /** Role ARN -> itself when the statement's code does not hold it, else "" (asked once per role). */
    private final Map<String, String> unwritten = new HashMap<>();
    /** The statement's {@link #code}, for those questions; null until one is asked. */
    private String code;

    StatementFingerprints(String file, String statement) {
      this.file = file;
      this.statement = statement;
    }

    String of(Finding finding) {
      String key = finding.ruleId() + '\0' + (finding.subject() == null ? "" : finding.subject())
          + (finding.role() == null ? "" : '\0' + finding.role());
      String fingerprint = made.get(key);
      if (fingerprint == null) {
        if (part == null) {
          part = statementPart(statement);
        }
        String role = finding.role() == null ? null : unwritten.computeIfAbsent(finding.role(),
            arn -> written(code(), arn) ? "" : arn);
        fingerprint = fingerprint(file, finding, role == null || role.isEmpty() ? null : role, part);
        made.put(key, fingerprint);
      }
      return fingerprint;
    }

    private String code() {
      if (code == null) {
        code = Baseline.code(statement);
      }
      return code;
    }
  }

  /**
   * Whether the statement's {@link #code} (lower-cased) holds the ARN {@code role} whole: not
   * as the start of a longer role name ({@code role/Admin} in {@code role/AdminX}). A comma may end
   * it, as it ends a chain's element.
   */
  static boolean written(String statementPart, String role) {
    String arn = role.toLowerCase(java.util.Locale.ROOT);
    for (int at = statementPart.indexOf(arn); at >= 0; at = statementPart.indexOf(arn, at + 1)) {
      int after = at + arn.length();
      if (after == statementPart.length() || !roleNameChar(statementPart.charAt(after))) {
        return true;
      }
    }
    return false;
  }

  /** IAM's role name characters and the path's slash, but the comma, which also separates a chain's roles. */
  private static boolean roleNameChar(char c) {
    return c < 128 && (Character.isLetterOrDigit(c) || "+=.@_-/".indexOf(c) >= 0);
  }

  /**
   * The fingerprint with {@code role} (an ARN the statement's text does not hold, or null) hashed
   * after the subject: a finding without one has the fingerprint of baselines written before.
   */
  private static String fingerprint(String file, Finding finding, String role, byte[] statementPart) {
    String header = "iamguard-baseline-1\0" + file + '\0' + finding.ruleId() + '\0'
        + (finding.subject() == null ? "" : finding.subject()) + '\0'
        + (role == null ? "" : "role\0" + role + '\0');
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      digest.update(header.getBytes(StandardCharsets.UTF_8)); // ends in NUL: no char is split from the part
      byte[] hash = digest.digest(statementPart);
      char[] hex = new char[32];
      for (int i = 0; i < 16; i++) {
        hex[2 * i] = HEX[hash[i] >> 4 & 15];
        hex[2 * i + 1] = HEX[hash[i] & 15];
      }
      return new String(hex);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  /** White space runs as one space, none at the ends, letters lower-cased. */
  private static void normalise(String sql, StringBuilder out) {
    boolean space = false;
    boolean any = false;
    for (int i = 0; i < sql.length(); i++) {
      char c = sql.charAt(i);
      if (Character.isWhitespace(c)) {
        space = any;
        continue;
      }
      if (space) {
        out.append(' ');
        space = false;
      }
      out.append(Character.toLowerCase(c));
      any = true;
    }
  }

  /** Writes the baseline of {@code entries} to {@code file} atomically (a new file moved into place). */
  static void write(Path file, List<Entry> entries) {
    Map<String, Entry> sorted = new TreeMap<>();
    for (Entry entry : entries) {
      sorted.merge(entry.file() + '\0' + entry.rule() + '\0' + entry.fingerprint(), entry,
          (a, b) -> new Entry(a.file(), a.rule(), a.fingerprint(), a.count() + b.count()));
    }
    StringBuilder out = new StringBuilder("{\"iamguard_baseline\": " + VERSION + ",\n \"findings\": [");
    boolean first = true;
    for (Entry entry : sorted.values()) {
      out.append(first ? "\n  " : ",\n  ");
      first = false;
      new JsonWriter().beginObject().field("file", entry.file()).field("rule", entry.rule())
          .field("fingerprint", entry.fingerprint()).field("count", entry.count()).endObject().drainTo(out);
    }
    out.append(first ? "]}\n" : "\n ]}\n");
    AtomicFile.write(file, out, "the baseline");
  }
}
