package dev.iamguard.cli;

import dev.iamguard.audit.Redactor;
import dev.iamguard.policy.StatementDecision;
import dev.iamguard.policy.Verdict;
import dev.iamguard.sql.AuthClause;
import dev.iamguard.sql.SqlStatement;
import dev.iamguard.sql.TextCache;
import java.util.List;

/**
 * {@code check --format text}, for people: one line per finding, {@code file:line:column: DENY
 * RULE problem} (or {@code WARN}), one per rewritten statement ({@code REWRITE COMMAND IAM_ROLE
 * written -> sent}), and a summary line; every line within {@link FindingText#WIDTH} characters.
 * {@code --verbose} adds the whole problem and the remedy on indented lines, and the findings that
 * suppressions or the baseline accepted; {@code --quiet} prints only what makes the check fail.
 */
final class TextCheckReport implements CheckFormat {
  private final FailOn failOn;
  private final boolean quiet;
  private final boolean verbose;

  TextCheckReport(FailOn failOn, boolean quiet, boolean verbose) {
    this.failOn = failOn;
    this.quiet = quiet;
    this.verbose = verbose;
  }

  @Override
  public void begin(Appendable out) {}

  @Override
  public boolean everyStatement() {
    return false;
  }

  @Override
  public void joinPart(CharSequence part, Appendable out, Separator separator) {
    Output.append(out, part);
  }

  @Override
  public void statement(CheckedStatement statement, Appendable out, Separator separator) {
    StringBuilder lines = new StringBuilder();
    String file = statement.file();
    for (ReportedFinding f : statement.findings()) {
      if (f.accepted()) {
        if (verbose) {
          String how = f.suppressedBecause != null ? "SUPPRESSED " : "BASELINED ";
          lines.append(FindingText.line(file, f.line, f.column, how + f.finding.ruleId() + " "
              + FindingText.problem(f.finding))).append('\n');
          if (f.suppressedBecause != null) {
            lines.append(FindingText.detail("reason: ", f.suppressedBecause)).append('\n');
          }
        }
        continue;
      }
      if (quiet && !f.fails(failOn)) {
        continue;
      }
      String problem = FindingText.problem(f.finding);
      String headline = FindingText.line(file, f.line, f.column, (f.isError() ? "DENY " : "WARN ") + f.finding.ruleId()
          + " " + problem);
      lines.append(headline).append('\n');
      if (verbose) {
        if (FindingText.cut(headline)) {
          lines.append(FindingText.detail("why: ", problem)).append('\n');
        }
        lines.append(FindingText.detail("remedy: ", f.finding.remedy())).append('\n');
      }
    }
    if (statement.verdict() == Verdict.REWRITE && (!quiet || failOn.includes(FailOn.rewrite))) {
      StatementDecision decision = statement.decision();
      SqlStatement sql = decision.statement();
      lines.append(FindingText.line(file, sql.line(), sql.column(), "REWRITE " + sql.command().kind() + " "
          + rewrite(decision))).append('\n');
      if (verbose) {
        lines.append(FindingText.detail("sent as: ", FindingText.oneLine(statement.redactedSql())))
            .append('\n');
      }
    }
    Output.append(out, lines);
  }

  /**
   * What a rewrite changed: {@code IAM_ROLE 'alias' -> 'arn:...'}. A rewrite replaces only role
   * values, so the text as written and as sent differ in one stretch (or, for several values, in
   * the stretch from the first change to the last): no second parse is needed.
   */
  static String rewrite(StatementDecision decision) {
    String before = decision.statement().text();
    String after = decision.sql();
    int start = 0;
    int limit = Math.min(before.length(), after.length());
    while (start < limit && before.charAt(start) == after.charAt(start)) {
      start++;
    }
    int end = 0;
    while (end < limit - start && before.charAt(before.length() - 1 - end) == after.charAt(after.length() - 1 - end)) {
      end++;
    }
    String written = widen(before, start, before.length() - end);
    String sent = widen(after, start, after.length() - end);
    AuthClause auth = decision.statement().command().auth();
    String keyword = auth.keywords().isEmpty() ? "" : auth.keywords().get(0) + " ";
    return masked(keyword + written + " -> " + sent);
  }

  /**
   * Rewrite lines found to hold no secret. A script's rewrites repeat a few role texts (every COPY
   * through one alias prints the same line), and looking for secrets in one costs about 1.5 us,
   * half a rewrite's whole check. Only lines the mask left as they were are kept, so the cache never
   * holds a secret.
   */
  private static final TextCache<Boolean> CLEAN_LINES = new TextCache<>(256, 64 * 1024, 1024);

  /** {@code line} as {@link Redactor#redact} masks it. */
  static String masked(String line) {
    if (CLEAN_LINES.get(line) != null) {
      return line;
    }
    String masked = Redactor.redact(line);
    if (masked.equals(line)) {
      CLEAN_LINES.put(line, Boolean.TRUE);
    }
    return masked;
  }

  /** {@code text[from, to)} widened to the quotes of the literal it lies in, or to the word. */
  private static String widen(String text, int from, int to) {
    int start = Math.min(from, text.length());
    int end = Math.max(to, start);
    while (start > 0 && text.charAt(start - 1) != '\'' && !Character.isWhitespace(text.charAt(start - 1))) {
      start--;
    }
    if (start > 0 && text.charAt(start - 1) == '\'') {
      start--;
    }
    while (end < text.length() && text.charAt(end) != '\'' && !Character.isWhitespace(text.charAt(end))
        && text.charAt(end) != ';') {
      end++;
    }
    if (end < text.length() && text.charAt(end) == '\'') {
      end++;
    }
    return text.substring(start, end);
  }

  @Override
  public void fileNotes(List<SuppressionNote> notes, Appendable out) {
    StringBuilder lines = new StringBuilder();
    for (SuppressionNote note : notes) {
      if (quiet && !note.invalid() && !failOn.includes(FailOn.warning)) {
        continue;
      }
      lines.append(FindingText.line(note.file(), note.line(), note.column(), (note.invalid() ? "ERROR " : "WARN ")
          + note.id() + " " + note.rules() + ": " + note.reason())).append('\n');
    }
    Output.append(out, lines);
  }

  @Override
  public void end(Tally total, List<SuppressionNote> notes, Appendable out) {
    if (quiet) {
      return;
    }
    StringBuilder line = new StringBuilder().append(total.statements).append(" statements: ").append(total.allowed())
        .append(" allowed, ").append(total.rewritten).append(" rewritten, ").append(total.denied).append(" denied");
    StringBuilder extra = new StringBuilder();
    count(extra, total.suppressed, "finding", "suppressed");
    count(extra, total.baselined, "finding", "in the baseline");
    count(extra, total.unusedSuppressions, "unused suppression", "");
    count(extra, total.invalidSuppressions, "invalid suppression", "");
    if (!extra.isEmpty()) {
      line.append(" (").append(extra).append(')');
    }
    Output.append(out, line.append('\n'));
  }

  /** Appends "3 findings suppressed" (nothing for 0). */
  private static void count(StringBuilder extra, long count, String noun, String after) {
    if (count > 0) {
      extra.append(extra.isEmpty() ? "" : ", ").append(count).append(' ').append(noun).append(count == 1 ? "" : "s")
          .append(after.isEmpty() ? "" : " " + after);
    }
  }
}
