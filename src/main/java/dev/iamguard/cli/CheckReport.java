package dev.iamguard.cli;

import dev.iamguard.audit.Redactor;
import dev.iamguard.policy.Decision;
import dev.iamguard.policy.Finding;
import dev.iamguard.policy.StatementDecision;
import dev.iamguard.policy.Verdict;
import dev.iamguard.sql.LineText;
import dev.iamguard.sql.SqlStatement;
import java.util.List;

/**
 * Writes {@code check} results as CLI.md defines them: JSON with one object per statement and a
 * summary, or text with one line per finding and a summary line. SQL passes through the Redactor; in text,
 * file names, messages and SQL are escaped ({@link LineText}) so that no value can start a line
 * of its own or send a terminal escape.
 */
final class CheckReport {
  private CheckReport() {}

  /** One script and the guard's decision on it. */
  record Checked(String file, Decision decision) {}

  static String json(List<Checked> scripts) {
    JsonWriter json = new JsonWriter().beginObject().name("statements").beginArray();
    int[] counts = new int[Verdict.values().length];
    int total = 0;
    for (Checked script : scripts) {
      for (StatementDecision statement : script.decision().statements()) {
        total++;
        counts[statement.verdict().ordinal()]++;
        json.beginObject();
        ExplainReport.location(json, script.file(), statement.statement());
        json.field("command", statement.statement().command().kind().name())
            .field("decision", statement.verdict().name())
            .name("findings").beginArray();
        for (Finding finding : statement.allFindings()) {
          json.beginObject()
              .field("rule", finding.ruleId())
              .field("severity", finding.severity().label())
              .field("message", finding.message())
              .endObject();
        }
        json.endArray().field("sql", Redactor.redact(statement.sql())).endObject();
      }
    }
    return json.endArray().name("summary").beginObject()
        .field("statements", total)
        .field("allowed", counts[Verdict.ALLOW.ordinal()])
        .field("rewritten", counts[Verdict.REWRITE.ordinal()])
        .field("denied", counts[Verdict.DENY.ordinal()])
        .endObject().endObject().toString();
  }

  static String text(List<Checked> scripts) {
    StringBuilder out = new StringBuilder();
    int[] counts = new int[Verdict.values().length];
    int total = 0;
    for (Checked script : scripts) {
      for (StatementDecision statement : script.decision().statements()) {
        total++;
        counts[statement.verdict().ordinal()]++;
        SqlStatement sql = statement.statement();
        for (Finding finding : statement.allFindings()) {
          int[] at = FindingPosition.lineAndColumn(statement, finding);
          out.append(LineText.escape(script.file())).append(':').append(at[0]).append(':').append(at[1]).append(": ")
              .append(finding.severity() == dev.iamguard.policy.Severity.ERROR ? "DENY " : "WARN ")
              .append(finding.ruleId()).append(' ').append(LineText.escape(finding.message())).append('\n');
        }
        if (statement.verdict() == Verdict.REWRITE) {
          out.append(LineText.escape(script.file())).append(':').append(sql.line()).append(':').append(sql.column())
              .append(": REWRITE ").append(sql.command().kind()).append(" sent as: ")
              .append(LineText.escape(oneLine(Redactor.redact(statement.sql())))).append('\n');
        }
      }
    }
    out.append(total).append(" statements: ").append(counts[Verdict.ALLOW.ordinal()]).append(" allowed, ")
        .append(counts[Verdict.REWRITE.ordinal()]).append(" rewritten, ")
        .append(counts[Verdict.DENY.ordinal()]).append(" denied\n");
    return out.toString();
  }

  private static String oneLine(String sql) {
    return sql.replaceAll("\\s+", " ");
  }
}
