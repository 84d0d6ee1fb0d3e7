package dev.iamguard.cli;

import dev.iamguard.sql.SqlStatement;
import java.util.List;

/**
 * {@code check --format json}, the contract of CLI.md, written as it goes: the opening, one object
 * per statement (every statement, or with {@code --quiet} those with findings or rewrites), then
 * the summary. SQL passes through the Redactor. Extra keys, only where they apply: a finding an
 * inline suppression accepted has {@code suppressed: {"reason": ...}}, one the baseline holds
 * {@code baselined: true} (and {@code fingerprint} whenever a baseline is read or written); the
 * summary counts {@code suppressed}, {@code baselined}, {@code unused_suppressions} and
 * {@code invalid_suppressions} when there are any, and {@code suppression_notes} lists those
 * suppressions.
 */
final class JsonCheckReport implements CheckFormat {
  private final boolean quiet;
  private final boolean fingerprints;

  JsonCheckReport(boolean quiet, boolean fingerprints) {
    this.quiet = quiet;
    this.fingerprints = fingerprints;
  }

  @Override
  public void begin(Appendable out) {
    Output.append(out, "{\"statements\":[");
  }

  @Override
  public boolean everyStatement() {
    return !quiet;
  }

  @Override
  public void statement(CheckedStatement checked, Appendable out, Separator separator) {
    if (quiet && !checked.worthShowing()) {
      return;
    }
    separator.before(out);
    SqlStatement statement = checked.decision().statement();
    JsonWriter json = new JsonWriter().beginObject();
    ExplainReport.location(json, checked.file(), statement);
    ContractCommand.write(json, statement.command().kind());
    json.field("decision", checked.verdict().name())
        .name("findings").beginArray();
    for (ReportedFinding f : checked.findings()) {
      json.beginObject()
          .field("rule", f.finding.ruleId())
          .field("severity", f.finding.severity().label())
          .field("message", f.finding.message());
      if (f.suppressedBecause != null) {
        json.name("suppressed").beginObject().field("reason", f.suppressedBecause).endObject();
      }
      if (f.baselined) {
        json.field("baselined", true);
      }
      if (fingerprints && f.fingerprint != null) {
        json.field("fingerprint", f.fingerprint);
      }
      json.endObject();
    }
    json.endArray().fieldDrained("sql", checked.redactedSql(), out).endObject().drainTo(out);
  }

  @Override
  public void fileNotes(List<SuppressionNote> notes, Appendable out) {}

  @Override
  public void end(Tally total, List<SuppressionNote> notes, Appendable out) {
    end(total, notes, null, out);
  }

  /** The statements so far, the failure that stopped the rest, the summary of those written and the notes so far. */
  @Override
  public void failed(Throwable failure, Tally total, List<SuppressionNote> notes, Appendable out) {
    end(total, notes, failure, out);
  }

  private void end(Tally total, List<SuppressionNote> notes, Throwable failure, Appendable out) {
    JsonWriter json = new JsonWriter().beginObject().separator(); // continues the object begin() opened
    if (failure != null) {
      json.field("error", StreamFailure.message(failure));
    }
    json.name("summary").beginObject()
        .field("statements", total.statements)
        .field("allowed", total.allowed())
        .field("rewritten", total.rewritten)
        .field("denied", total.denied);
    extra(json, "suppressed", total.suppressed);
    extra(json, "baselined", total.baselined);
    extra(json, "unused_suppressions", total.unusedSuppressions);
    extra(json, "invalid_suppressions", total.invalidSuppressions);
    json.endObject();
    if (!notes.isEmpty()) {
      json.name("suppression_notes").beginArray();
      for (SuppressionNote note : notes) {
        json.beginObject().field("file", note.file()).field("line", note.line()).field("column", note.column())
            .field("rules", note.rules()).field("kind", note.invalid() ? "invalid" : "unused")
            .field("message", note.reason()).endObject();
      }
      json.endArray();
    }
    String text = json.endObject().toString();
    // drop the "{" this writer opened: begin() already wrote the object's opening and its statements
    Output.append(out, "]" + text.substring(1) + "\n");
  }

  private static void extra(JsonWriter json, String name, long count) {
    if (count > 0) {
      json.field(name, count);
    }
  }
}
