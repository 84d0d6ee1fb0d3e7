package dev.iamguard.cli;

import dev.iamguard.policy.RuleId;
import dev.iamguard.sql.Directives;
import dev.iamguard.sql.SqlScript;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The inline suppressions of one file: {@code -- iamguard:allow RULE[,RULE...] reason}. A
 * suppression accepts the findings of its rules in one statement: the statement the comment stands
 * in, the statement it follows on the same line ({@code copy ...; -- iamguard:allow ...}), or else
 * the next statement. A suppression without a reason or naming an unknown rule is invalid (it
 * accepts nothing, and the check exits 2); one that accepts no finding is reported as unused, and
 * so is a marker opening a block comment ({@code /* iamguard:allow ...}), which accepts nothing.
 * A suppression changes what {@code check} reports, not what the driver does.
 */
final class InlineSuppressions {
  static final String MARKER = "iamguard:allow";

  private final String file;
  private final Map<Integer, List<Suppression>> byStatement = new HashMap<>();
  private final List<Suppression> valid = new ArrayList<>();
  private final List<SuppressionNote> invalid = new ArrayList<>();
  /** Markers opening a block comment: warned of, as they accept nothing. */
  private final List<SuppressionNote> ignored = new ArrayList<>();

  InlineSuppressions(String file) {
    this.file = file;
  }

  /** One valid suppression and the rules it has accepted findings of so far. */
  static final class Suppression {
    final Set<String> rules;
    final String reason;
    final int line;
    final int column;
    final int statement;
    final Set<String> used = new LinkedHashSet<>();

    Suppression(Set<String> rules, String reason, int line, int column, int statement) {
      this.rules = rules;
      this.reason = reason;
      this.line = line;
      this.column = column;
      this.statement = statement;
    }
  }

  /**
   * The markers of one piece, found apart from the suppressions' state, so that a check reading
   * ahead finds them on the thread that parsed the piece: searched for on the deciding thread, the
   * piece's text was first touched there, which cost that thread about a twelfth of its time.
   *
   * @param piece the piece
   * @param directives its {@code -- iamguard:allow} comments
   * @param inBlocks its markers opening a block comment (they accept nothing)
   */
  record Markers(SqlScript piece, List<Directives.Directive> directives, List<Directives.Directive> inBlocks) {
    /** The markers of {@code piece}. */
    static Markers of(SqlScript piece) {
      if (!mentionsMarker(piece.source())) {
        return new Markers(piece, List.of(), List.of()); // the common case: one scan
      }
      return new Markers(piece, Directives.find(piece, MARKER), Directives.inBlockComments(piece, MARKER));
    }
  }

  /**
   * Whether {@code text} holds {@link #MARKER}, as {@code text.indexOf(MARKER) >= 0} answers. Called
   * once a piece, {@code indexOf(String)} ran as a plain byte loop (the JIT's vectorised search is
   * used only inside a compiled caller, and this caller is not called often enough to be one): a
   * search for the marker's rarest char, its only {@code w} and last char, is a loop hot enough
   * to be compiled with it, each {@code w} then compared in place.
   */
  static boolean mentionsMarker(String text) {
    int last = MARKER.length() - 1;
    for (int w = text.indexOf('w', last); w >= 0; w = text.indexOf('w', w + 1)) {
      if (text.regionMatches(w - last, MARKER, 0, last)) {
        return true;
      }
    }
    return false;
  }

  /** Reads the suppressions of a piece whose markers were found (before its statements are reported). */
  void read(Markers markers) {
    for (Directives.Directive directive : markers.directives()) {
      String text = directive.text();
      int space = indexOfSpace(text);
      String rules = space < 0 ? text : text.substring(0, space);
      String reason = space < 0 ? "" : text.substring(space).strip();
      String problem = null;
      Set<String> ids = new LinkedHashSet<>();
      for (String rule : rules.split(",")) {
        String id = rule.strip().toUpperCase(Locale.ROOT);
        if (id.isEmpty()) {
          continue;
        }
        if (!isRule(id)) {
          problem = "unknown rule " + rule.strip();
        }
        ids.add(id);
      }
      if (ids.isEmpty()) {
        problem = "names no rule: write -- " + MARKER + " RULE reason";
      } else if (problem == null && reason.isEmpty()) {
        problem = "gives no reason: write -- " + MARKER + " " + rules + " <why this is accepted>";
      }
      if (problem != null) {
        invalid.add(new SuppressionNote(file, directive.line(), directive.column(), rules, true,
            "invalid suppression: " + problem));
        continue;
      }
      Suppression suppression = new Suppression(ids, reason, directive.line(), directive.column(),
          directive.statement());
      valid.add(suppression);
      byStatement.computeIfAbsent(directive.statement(), k -> new ArrayList<>(1)).add(suppression);
    }
    for (Directives.Directive ignored : markers.inBlocks()) {
      String text = ignored.text();
      int space = indexOfSpace(text);
      this.ignored.add(new SuppressionNote(file, ignored.line(), ignored.column(), space < 0 ? text : text.substring(0, space),
          false, "ignored suppression: a block comment suppresses nothing: write -- " + MARKER
              + " RULE reason, on the statement's lines or the line before it"));
    }
  }

  /** True when there are suppressions for statement {@code index}. */
  boolean any(int index) {
    return byStatement.containsKey(index);
  }

  /** Accepts the findings of {@code statement} that its suppressions name; returns how many. */
  int apply(CheckedStatement statement) {
    if (byStatement.isEmpty()) {
      return 0;
    }
    List<Suppression> here = byStatement.get(statement.decision().statement().index());
    if (here == null) {
      return 0;
    }
    int accepted = 0;
    for (ReportedFinding finding : statement.findings()) {
      for (Suppression suppression : here) {
        String rule = finding.finding.ruleId();
        if (suppression.rules.contains(rule)) {
          suppression.used.add(rule);
          if (finding.suppressedBecause == null) {
            finding.suppressedBecause = suppression.reason;
            accepted++;
          }
        }
      }
    }
    return accepted;
  }

  /** The invalid suppressions, and the valid ones that accepted nothing (or not every rule they name). */
  List<SuppressionNote> notes(int lastStatement) {
    List<SuppressionNote> notes = new ArrayList<>(invalid);
    notes.addAll(ignored);
    for (Suppression suppression : valid) {
      List<String> unused = suppression.rules.stream().filter(r -> !suppression.used.contains(r)).toList();
      if (unused.isEmpty()) {
        continue;
      }
      String where = suppression.statement > lastStatement ? "no statement follows it"
          : "statement " + suppression.statement + " has no " + String.join(" or ", unused) + " finding";
      notes.add(new SuppressionNote(file, suppression.line, suppression.column, String.join(",", unused), false,
          "unused suppression: " + where));
    }
    notes.sort(java.util.Comparator.comparingInt(SuppressionNote::line).thenComparingInt(SuppressionNote::column));
    return notes;
  }

  private static int indexOfSpace(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (Character.isWhitespace(text.charAt(i))) {
        return i;
      }
    }
    return -1;
  }

  private static boolean isRule(String id) {
    for (RuleId rule : RuleId.values()) {
      if (rule.name().equals(id)) {
        return true;
      }
    }
    return false;
  }
}
