package dev.iamguard.cli;

import dev.iamguard.policy.Decision;
import dev.iamguard.policy.Guard;
import dev.iamguard.policy.Session;
import dev.iamguard.policy.StatementDecision;
import dev.iamguard.sql.SecretSpans;
import dev.iamguard.sql.SqlScript;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Checks one script piece by piece and reports each statement as soon as it is decided: the
 * session a piece leaves (SET SESSION AUTHORIZATION, grants, external schemas and tables created)
 * is the session of the next, so the decisions equal those on the whole text. A piece's last
 * statement is reported with the next piece, whose first line may hold a suppression for it
 * ({@code copy ...; -- iamguard:allow ...}).
 */
final class FileCheck {
  /** What every file of a check shares. */
  record Settings(Guard guard, Session session, CheckFormat format, FailOn failOn, Baseline baseline,
      boolean fingerprints, boolean collectBaseline) {
    /** The same settings for a script that starts in {@code other}: the session the scripts before it left. */
    Settings startingIn(Session other) {
      return new Settings(guard, other, format, failOn, baseline, fingerprints, collectBaseline);
    }
  }

  /**
   * What a file's check leaves for the total: counts, suppression notes and, when asked, its
   * baseline entries; and the session it leaves for the next script, which {@code run} would send
   * on the same connection.
   */
  record Result(Tally tally, List<SuppressionNote> notes, List<Baseline.Entry> baseline, Session sessionAfter) {}

  private final Settings settings;
  private final ScriptSource source;
  private final Appendable out;
  private final CheckFormat.Separator separator;
  private final Runnable afterPiece;
  private final InlineSuppressions suppressions;
  private final Map<String, Integer> baselined;
  private final List<Baseline.Entry> entries = new ArrayList<>();
  private final Tally tally = new Tally();
  private Session session;
  private CheckedStatement pending;
  private int lastIndex;
  /** The secret keyword the last statement reported ended with (its value left to the next, maybe in the next piece), else null. */
  private String carried;

  private FileCheck(Settings settings, ScriptSource source, Appendable out, CheckFormat.Separator separator,
      Runnable afterPiece) {
    this.settings = settings;
    this.source = source;
    this.out = out;
    this.separator = separator;
    this.afterPiece = afterPiece;
    this.session = settings.session();
    this.suppressions = new InlineSuppressions(source.name());
    this.baselined = settings.baseline() == null ? null : settings.baseline().forFile(source.name());
  }

  /**
   * Checks {@code source}, writing its statements to {@code out} as they are decided;
   * {@code afterPiece} runs after each piece (the output's health check). When the check fails
   * part way (a byte that is not UTF-8 deep in the file, an unreadable file), what it wrote is added
   * to {@code writtenIfFailed} (unless null) before the failure is thrown on, so that the report's
   * summary counts the statements it lists.
   */
  static Result run(Settings settings, ScriptSource source, InputStream stdin, Appendable out,
      CheckFormat.Separator separator, Runnable afterPiece, Tally writtenIfFailed) {
    FileCheck check = new FileCheck(settings, source, out, separator, afterPiece);
    try {
      if (source.isStdin() || source.size() > CheckCommand.BUFFERED_FILE) {
        // reading, parsing and finding the suppression markers on other cores
        source.forEachPieceAhead(stdin, InlineSuppressions.Markers::of, check::piece);
      } else {
        source.forEachPiece(stdin, piece -> check.piece(InlineSuppressions.Markers.of(piece)));
      }
    } catch (RuntimeException | Error e) {
      if (writtenIfFailed != null) {
        // the report closed after the failure counts what it lists: the statements written so far,
        // and the last decided one, held back for a marker the rest of the file would have had
        StreamFailure.close(check::flushPending);
        writtenIfFailed.add(check.tally);
      }
      throw e;
    }
    return check.finish();
  }

  private void piece(InlineSuppressions.Markers markers) {
    SqlScript piece = markers.piece();
    Decision decision = settings.guard().inspect(piece, session);
    session = decision.sessionAfter();
    int count = piece.statementCount();
    tally.statements += count;
    suppressions.read(markers);
    flushPending();
    int last = lastIndex + count;
    boolean every = settings.format().everyStatement();
    List<StatementDecision> decided = every ? decision.statements() : decision.inspectedStatements();
    for (StatementDecision statement : decided) {
      // a value split from its keyword by a semicolon starts the next statement, which every-statement
      // formats print on its own; the others print only statements that start with a command
      CheckedStatement checked = CheckedStatement.of(source.name(), statement, every ? carried : null);
      carried = every ? SecretSpans.keywordAwaitingValue(statement.statement()) : null;
      if (statement.statement().index() == last) {
        pending = checked;
      } else {
        report(checked);
      }
    }
    lastIndex = last;
    afterPiece.run();
  }

  private void flushPending() {
    if (pending != null) {
      CheckedStatement statement = pending;
      pending = null;
      report(statement);
    }
  }

  private void report(CheckedStatement statement) {
    tally.count(statement.verdict());
    tally.suppressed += suppressions.apply(statement);
    Baseline.StatementFingerprints fingerprints = null;
    for (ReportedFinding finding : statement.findings()) {
      if (finding.suppressedBecause != null) {
        continue;
      }
      if (settings.fingerprints() || baselined != null || settings.collectBaseline()) {
        if (fingerprints == null) {
          fingerprints = new Baseline.StatementFingerprints(source.name(), statement.decision().statement().text());
        }
        finding.fingerprint = fingerprints.of(finding.finding);
      }
      if (baselined != null) {
        Integer left = baselined.get(finding.fingerprint);
        if (left != null && left > 0) {
          baselined.put(finding.fingerprint, left - 1);
          finding.baselined = true;
          tally.baselined++;
        }
      }
      if (settings.collectBaseline()) {
        entries.add(new Baseline.Entry(source.name(), finding.finding.ruleId(), finding.fingerprint, 1));
      }
    }
    if (statement.fails(settings.failOn())) {
      tally.failing++;
    }
    settings.format().statement(statement, out, separator);
  }

  private Result finish() {
    flushPending();
    List<SuppressionNote> notes = suppressions.notes(lastIndex);
    for (SuppressionNote note : notes) {
      if (note.invalid()) {
        tally.invalidSuppressions++;
      } else {
        tally.unusedSuppressions++;
        if (settings.failOn().includes(FailOn.warning)) {
          tally.failing++;
        }
      }
    }
    settings.format().fileNotes(notes, out);
    return new Result(tally, notes, entries, session);
  }
}
