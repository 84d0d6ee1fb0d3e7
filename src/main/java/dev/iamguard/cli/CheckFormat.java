package dev.iamguard.cli;

import java.util.List;

/**
 * How one report format writes a check as it goes: what comes before the first file, each
 * statement of each file (to the output, or to a file's buffer when files are checked in
 * parallel), and what comes after the last file (summary, rules, notes).
 */
interface CheckFormat {
  /** Written once, before any statement. */
  void begin(Appendable out);

  /** Writes one statement; {@code separator} says whether a comma must come first. */
  void statement(CheckedStatement statement, Appendable out, Separator separator);

  /** Writes the suppression notes of one file, after its statements (formats that list them at the end do nothing). */
  void fileNotes(List<SuppressionNote> notes, Appendable out);

  /** Written once, after the last statement. */
  void end(Tally total, List<SuppressionNote> notes, Appendable out);

  /**
   * Written once instead of {@link #end} when {@code failure} stopped the check after the
   * statements written so far: a document format closes its document saying so, with the
   * suppression {@code notes} of the files checked to the end (nothing by default: text wrote them
   * after each file).
   */
  default void failed(Throwable failure, Tally total, List<SuppressionNote> notes, Appendable out) {}

  /** True when every statement is reported, not only those with findings or rewrites. */
  boolean everyStatement();

  /** Appends the buffered part of one file (written with a separator of its own) to the output. */
  default void joinPart(CharSequence part, Appendable out, Separator separator) {
    separator.join(part, out);
  }

  /**
   * Commas between the elements of the array a format streams. A file checked on its own
   * thread writes to a buffer with a separator of its own; the buffer then joins the output
   * after a comma when something came before it.
   */
  final class Separator {
    private boolean any;

    void before(Appendable out) {
      if (any) {
        Output.append(out, ",");
      }
      any = true;
    }

    /** Appends a buffered part written with a separator of its own. */
    void join(CharSequence part, Appendable out) {
      if (part.length() == 0) {
        return;
      }
      if (any) {
        Output.append(out, ",");
      }
      any = true;
      Output.append(out, part);
    }
  }
}
