package dev.iamguard.cli;

import dev.iamguard.policy.Finding;
import dev.iamguard.policy.RuleId;
import dev.iamguard.policy.StatementDecision;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * SARIF 2.1.0 for code-scanning tools: one result per finding, the rule id as {@code ruleId}, the
 * script and the finding's line and column as its physical location.
 */
final class SarifReport {
  private static final String SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";
  private static final String HEX = "0123456789ABCDEF";

  private SarifReport() {}

  static String write(List<CheckReport.Checked> scripts) {
    JsonWriter json = new JsonWriter().beginObject()
        .field("$schema", SCHEMA)
        .field("version", "2.1.0")
        .name("runs").beginArray().beginObject();
    tool(json);
    json.name("results").beginArray();
    for (CheckReport.Checked script : scripts) {
      for (StatementDecision statement : script.decision().statements()) {
        for (Finding finding : statement.allFindings()) {
          result(json, script.file(), statement, finding);
        }
      }
    }
    return json.endArray().endObject().endArray().endObject().toString();
  }

  private static void tool(JsonWriter json) {
    json.name("tool").beginObject().name("driver").beginObject()
        .field("name", "iamguard")
        .field("informationUri", "https://github.com/iamguard/iamguard")
        .name("rules").beginArray();
    for (RuleId rule : RuleId.values()) {
      json.beginObject()
          .field("id", rule.name())
          .name("shortDescription").beginObject().field("text", rule.description()).endObject()
          .name("help").beginObject().field("text", rule.remedy()).endObject()
          .name("defaultConfiguration").beginObject().field("level", level(rule.severity())).endObject()
          .endObject();
    }
    json.endArray().endObject().endObject();
  }

  private static void result(JsonWriter json, String file, StatementDecision statement, Finding finding) {
    int[] at = FindingPosition.lineAndColumn(statement, finding);
    json.beginObject()
        .field("ruleId", finding.ruleId())
        .field("ruleIndex", finding.rule().ordinal())
        .field("level", level(finding.severity())) // a registry switch may have made it deny
        .name("message").beginObject().field("text", finding.message()).endObject()
        .name("locations").beginArray().beginObject()
        .name("physicalLocation").beginObject()
        .name("artifactLocation").beginObject().field("uri", uri(file)).endObject()
        .name("region").beginObject().field("startLine", at[0]).field("startColumn", at[1]).endObject()
        .endObject().endObject().endArray()
        .endObject();
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

  private static String level(dev.iamguard.policy.Severity severity) {
    return severity == dev.iamguard.policy.Severity.ERROR ? "error" : "warning";
  }
}
