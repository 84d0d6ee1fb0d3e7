package dev.iamguard.cli;

import dev.iamguard.policy.RuleId;
import dev.iamguard.policy.Severity;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * {@code check --format sarif}: SARIF 2.1.0 as GitHub code scanning reads it, written as it goes:
 * the log's opening and the tool with every rule ({@code helpUri}, {@code security-severity},
 * {@code tags}), one result per finding (rule id, level, the finding's message, its file relative to
 * {@code %SRCROOT%} and its line and column, a {@code partialFingerprints} entry that survives line
 * moves), then the invocation with the suppressions that did not apply as notifications. A finding
 * an inline suppression accepted carries {@code suppressions} ({@code inSource}, the reason as
 * justification); one the baseline holds an {@code external} suppression; with a baseline every
 * result has its {@code baselineState}.
 */
final class SarifReport implements CheckFormat {
  static final String SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";
  static final String HOME = "https://github.com/iamguard/iamguard";
  static final String RULES_HELP = HOME + "#rules";
  static final String SRCROOT = "%SRCROOT%";
  /** The key of iamguard's own fingerprint in {@code partialFingerprints}. */
  static final String FINGERPRINT = "iamguardFinding/v1";
  private static final String HEX = "0123456789ABCDEF";

  private static final Set<String> CRITICAL = Set.of("LONG_TERM_KEYS", "STATIC_KEYS", "GRANT_ALL_TO_PUBLIC");
  private static final Set<String> MEDIUM = Set.of("AUTH_PARAMETER", "AUTH_CONFLICT", "ARN_MALFORMED",
      "CHAIN_FORMAT", "CHAIN_TOO_LONG", "DEFAULT_ROLE_MISSING", "COPY_JOB_REFUSED", "IDENTITY_UNKNOWN",
      "AUTH_DYNAMIC");

  private final Path root;
  private final String version;
  private final boolean baseline;

  /**
   * @param root the folder {@code %SRCROOT%} stands for (the working folder)
   * @param baseline true when a baseline was read: every result then says whether it is new
   */
  SarifReport(Path root, String version, boolean baseline) {
    this.root = root.toAbsolutePath().normalize();
    this.version = version;
    this.baseline = baseline;
  }

  @Override
  public boolean everyStatement() {
    return false;
  }

  @Override
  public void begin(Appendable out) {
    JsonWriter json = new JsonWriter().beginObject()
        .field("$schema", SCHEMA)
        .field("version", "2.1.0")
        .name("runs").beginArray().beginObject();
    tool(json);
    json.name("originalUriBaseIds").beginObject().name(SRCROOT).beginObject()
        .field("uri", root.toUri().toString()).endObject().endObject()
        .field("columnKind", "utf16CodeUnits");
    json.name("results").beginArray();
    Output.append(out, json.toString());
  }

  private void tool(JsonWriter json) {
    json.name("tool").beginObject().name("driver").beginObject()
        .field("name", "iamguard")
        .field("version", version)
        .field("informationUri", HOME)
        .name("rules").beginArray();
    for (RuleId rule : RuleId.values()) {
      json.beginObject()
          .field("id", rule.name())
          .field("name", name(rule))
          .name("shortDescription").beginObject().field("text", rule.description()).endObject()
          .name("fullDescription").beginObject().field("text", rule.description() + ".").endObject()
          .name("help").beginObject().field("text", "Remedy: " + rule.remedy()).endObject()
          .field("helpUri", RULES_HELP)
          .name("defaultConfiguration").beginObject().field("level", level(rule.severity())).endObject()
          .name("properties").beginObject()
          .field("security-severity", securitySeverity(rule))
          .stringArray("tags", List.of("security", "iam", "redshift"))
          .field("precision", "high")
          .endObject()
          .endObject();
    }
    json.endArray().endObject().endObject();
  }

  /** GitHub's scale: 9.0 and above critical, 7.0 high, 4.0 medium, below low. */
  static String securitySeverity(RuleId rule) {
    if (rule.severity() != Severity.ERROR) {
      return "3.0";
    }
    return CRITICAL.contains(rule.name()) ? "9.0" : MEDIUM.contains(rule.name()) ? "5.0" : "8.0";
  }

  /** {@code S3_NOT_PERMITTED} as {@code S3NotPermitted}: SARIF's rule names are PascalCase. */
  private static String name(RuleId rule) {
    StringBuilder out = new StringBuilder();
    for (String part : rule.name().split("_")) {
      out.append(part.charAt(0)).append(part.substring(1).toLowerCase(java.util.Locale.ROOT));
    }
    return out.toString();
  }

  @Override
  public void statement(CheckedStatement statement, Appendable out, Separator separator) {
    for (ReportedFinding f : statement.findings()) {
      separator.before(out);
      JsonWriter json = new JsonWriter().beginObject()
          .field("ruleId", f.finding.ruleId())
          .field("ruleIndex", f.finding.rule().ordinal())
          .field("level", level(f.finding.severity())) // a registry switch may have made it deny
          .name("message").beginObject().field("text", f.finding.message()).endObject()
          .name("locations").beginArray().beginObject();
      location(json, statement.file(), f.line, f.column);
      json.endObject().endArray();
      if (f.fingerprint != null) {
        json.name("partialFingerprints").beginObject().field(FINGERPRINT, f.fingerprint).endObject();
      }
      if (f.accepted()) {
        json.name("suppressions").beginArray().beginObject();
        if (f.suppressedBecause != null) {
          json.field("kind", "inSource").field("justification", f.suppressedBecause);
        } else {
          json.field("kind", "external").field("justification", "in the baseline");
        }
        json.endObject().endArray();
      }
      if (baseline) {
        json.field("baselineState", f.baselined ? "unchanged" : "new");
      }
      json.endObject().drainTo(out);
    }
  }

  private void location(JsonWriter json, String file, int line, int column) {
    json.name("physicalLocation").beginObject().name("artifactLocation").beginObject();
    artifact(json, file);
    json.endObject()
        .name("region").beginObject().field("startLine", line).field("startColumn", column).endObject()
        .endObject();
  }

  /** A file under the working folder is relative to {@code %SRCROOT%}; any other is an absolute file URI. */
  private void artifact(JsonWriter json, String file) {
    if (file.equals("-")) {
      json.field("uri", "-");
      return;
    }
    Path path = root.resolve(file).normalize();
    if (path.startsWith(root)) {
      json.field("uri", uri(root.relativize(path).toString().replace(java.io.File.separatorChar, '/')))
          .field("uriBaseId", SRCROOT);
    } else {
      json.field("uri", "file://" + uri(path.toString().replace(java.io.File.separatorChar, '/')));
    }
  }

  @Override
  public void fileNotes(List<SuppressionNote> notes, Appendable out) {}

  @Override
  public void end(Tally total, List<SuppressionNote> notes, Appendable out) {
    end(notes, null, total.invalidSuppressions == 0, out);
  }

  /** The results so far, and an invocation that did not succeed, saying what stopped it, with the notes so far. */
  @Override
  public void failed(Throwable failure, Tally total, List<SuppressionNote> notes, Appendable out) {
    end(notes, failure, false, out);
  }

  private void end(List<SuppressionNote> notes, Throwable failure, boolean successful, Appendable out) {
    JsonWriter json = new JsonWriter().beginArray().beginObject()
        .field("executionSuccessful", successful)
        .name("toolExecutionNotifications").beginArray();
    if (failure != null) {
      json.beginObject().field("level", "error")
          .name("message").beginObject().field("text", StreamFailure.message(failure)).endObject().endObject();
    }
    for (SuppressionNote note : notes) {
      json.beginObject()
          .name("descriptor").beginObject().field("id", note.id()).endObject()
          .field("level", note.invalid() ? "error" : "warning")
          .name("message").beginObject().field("text", note.reason() + " (" + note.rules() + ")").endObject()
          .name("locations").beginArray().beginObject();
      location(json, note.file(), note.line(), note.column());
      json.endObject().endArray().endObject();
    }
    json.endArray().endObject().endArray();
    // closes the results array begin() opened, adds the invocation, closes the run and the log
    Output.append(out, "],\"invocations\":" + json + "}]}\n");
  }

  /**
   * The script's name as an RFC 3986 relative reference, which SARIF requires of
   * {@code artifactLocation.uri}: every character but the unreserved ones ({@code A-Z a-z 0-9 - . _ ~})
   * and {@code /} is percent-encoded as UTF-8 ({@code my file#1.sql} is {@code my%20file%231.sql}),
   * and a leading {@code //}, which would read as an authority, keeps its second slash encoded.
   */
  static String uri(String file) {
    StringBuilder out = new StringBuilder(file.length() + 8);
    for (byte b : file.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_'
          || c == '~' || c == '/' && !(out.length() == 1 && out.charAt(0) == '/')) {
        out.append((char) c);
      } else {
        out.append('%').append(HEX.charAt(c >> 4)).append(HEX.charAt(c & 15));
      }
    }
    return out.toString();
  }

  private static String level(Severity severity) {
    return severity == Severity.ERROR ? "error" : "warning";
  }
}
