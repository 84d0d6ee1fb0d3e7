package dev.iamguard.cli;

import dev.iamguard.policy.Finding;
import dev.iamguard.policy.RuleId;
import dev.iamguard.policy.StatementDecision;
import java.util.List;

/**
 * SARIF 2.1.0 for code-scanning tools: one result per finding, the rule id as {@code ruleId}, the
 * script and the finding's line and column as its physical location.
 */
final class SarifReport {
  private static final String SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";

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
          .name("defaultConfiguration").beginObject().field("level", level(rule)).endObject()
          .endObject();
    }
    json.endArray().endObject().endObject();
  }

  private static void result(JsonWriter json, String file, StatementDecision statement, Finding finding) {
    int[] at = Positions.lineAndColumn(statement, finding);
    json.beginObject()
        .field("ruleId", finding.ruleId())
        .field("ruleIndex", finding.rule().ordinal())
        .field("level", finding.severity() == dev.iamguard.policy.Severity.ERROR ? "error" : "warning")
        .name("message").beginObject().field("text", finding.message()).endObject()
        .name("locations").beginArray().beginObject()
        .name("physicalLocation").beginObject()
        .name("artifactLocation").beginObject().field("uri", file).endObject()
        .name("region").beginObject().field("startLine", at[0]).field("startColumn", at[1]).endObject()
        .endObject().endObject().endArray()
        .endObject();
  }

  private static String level(RuleId rule) {
    return rule.severity() == dev.iamguard.policy.Severity.ERROR ? "error" : "warning";
  }
}
