package dev.iamguard.sql;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.TreeSet;

/**
 * Follows one other {@link Lexer.Reading} of a script that a {@link ScriptReader} reads piece by
 * piece, and finds what {@link AmbiguityCheck#hiddenAuth} finds in that reading of the whole text:
 * the offsets of auth words with a value, and of auth-carrying statements, that only this reading
 * shows.
 *
 * <p>The reading is lexed once, window by window, from where the last window left it: between
 * tokens, or inside a literal, quoted name, dollar quote or comment ({@link OpenForm}), so a form
 * that this reading opens and never closes costs no memory. Every verdict is local, so what it
 * needs is a few tokens, kept until it is known and no longer:
 * <ul>
 *   <li>an auth word waits for the (at most three) tokens that say whether a value follows it;</li>
 *   <li>a statement that starts where the primary reading has no token (inside its literal or
 *       comment) is hidden at its start when its first words (at most {@value #HEAD} tokens, up to
 *       the first that is not a word) start an auth-carrying command ({@link Head}); inside it, every auth word with a value is hidden,
 *       wherever the primary reading has it, and so is a name holding a space-like character
 *       that hides a command or stands in the statement with an auth word (at the later of the
 *       two).</li>
 * </ul>
 * A verdict that waited for a hidden statement's end made memory follow the longest statement of
 * any reading rather than the primary's: {@code select '\'; select ('} followed by a million
 * inserts held all of them. {@link #settledBefore()} says up to where every verdict is known: the
 * reader cuts no later. {@link AmbiguityCheck} follows a whole text with the same class.
 */
final class AlternativeReading {
  private final Lexer.Reading reading;
  /** Where {@link #kept} starts in the script. */
  private long keptFrom;
  /** The text not yet lexed (or that a form still needs), up to the end of what was read. */
  private String kept = "";
  /** The form {@link #kept} starts inside (read on from its start), or null: kept starts between tokens. */
  private OpenForm form;
  /** The first token of the current statement in this reading, -1 before it. */
  private long statementStart = -1;
  /** The tokens that classify a hidden statement (see {@link Head}); they hold no text. */
  static final int HEAD = 6;
  /** True while the current statement is one that starts where the primary reading has no token. */
  private boolean hiddenStatement;
  /** The first tokens of the current hidden statement until they are {@value #HEAD} or it ends; else null. */
  private Head head;
  /** The first auth word and the first name holding a space-like character of the current hidden statement, or -1. */
  private long firstAuthWord = -1;
  private long firstConfusable = -1;
  /** Auth words waiting for the tokens after them. */
  private final List<Pending> pending = new ArrayList<>(0);
  /** Offsets found hidden, not yet handed out. */
  private final TreeSet<Long> hidden = new TreeSet<>();
  /** The primary reading's tokens of the current window, and where the window starts. */
  private Tokens primary;
  private long primaryFrom;

  /** Follows {@code reading} from {@code from}, where it stands between tokens, as the primary reading does. */
  AlternativeReading(Lexer.Reading reading, long from) {
    this.reading = reading;
    this.keptFrom = from;
  }

  /**
   * Reads on through {@code window}, which starts at {@code windowFrom} in the script and whose
   * primary tokens are {@code primary}: the tokens that start before {@code limit} (where the
   * primary tokens stop being final), or all at the end of the input ({@code eof}).
   */
  void read(String window, long windowFrom, Tokens primary, long limit, boolean eof) {
    this.primary = primary;
    this.primaryFrom = windowFrom;
    String fresh = window.substring((int) (keptFrom + kept.length() - windowFrom));
    kept = kept.isEmpty() ? fresh : kept.concat(fresh);
    int at = 0;
    while (true) {
      if (form != null) {
        int end = form.read(kept, at, eof);
        if (end == OpenForm.MORE) {
          drop(form.resume());
          break;
        }
        if (form.kind == OpenForm.Kind.BLOCK_COMMENT && form.unterminated()) {
          token(TokenKind.UNTERMINATED_COMMENT, form.start, "/*", false, 0);
        }
        form = null;
        at = end;
        continue;
      }
      int next = lex(at, limit, eof);
      if (next < 0) {
        break;
      }
      at = next;
    }
    if (eof) {
      endStatement(-1);
    }
  }

  /**
   * Lexes {@link #kept} from {@code at}, where this reading stands between tokens, and hands the
   * final tokens on. Returns where a form that opens in it starts to be read ({@link #form} set),
   * or -1 when the rest waits for more text.
   */
  private int lex(int at, long limit, boolean eof) {
    String rest = kept.substring(at);
    long restFrom = keptFrom + at;
    Tokens t = Lexer.tokenize(rest, reading);
    int n = t.count();
    int cap = n; // tokens from here start where the primary tokens are not final yet
    for (int i = 0; i < n; i++) {
      if (restFrom + t.start(i) >= limit) {
        cap = i;
        break;
      }
    }
    if (eof && cap == n) {
      take(t, 0, n, restFrom);
      drop(kept.length());
      return -1;
    }
    int end = rest.length();
    int formAt = -1; // a token the text may end inside
    int upTo; // tokens before it are final
    if (n == 0) {
      upTo = 0;
    } else if (t.end(n - 1) < end) {
      // something follows the last token: it is final, unless a literal may go on after whitespace
      upTo = n;
      if (isLiteral(t.kind(n - 1))) {
        formAt = n - 1;
      }
    } else if (isForm(t.kind(n - 1))) {
      formAt = n - 1;
      upTo = n - 1;
    } else if (n >= 2 && isLiteral(t.kind(n - 2)) && t.is(n - 1, TokenKind.OPERATOR) && t.end(n - 1) - t.start(n - 1) == 1
        && rest.charAt(t.start(n - 1)) == '-') {
      formAt = n - 2; // '-' at the end may begin a comment the literal goes on after
      upTo = n - 2;
    } else if (mayGrow(t.kind(n - 1))) {
      // the last tokens that touch each other may still merge or change ("1e" "+", "$" "tag");
      // whitespace, a comment or a token that cannot grow ends what comes before them
      upTo = n - 1;
      while (upTo > 0 && t.end(upTo - 1) == t.start(upTo) && mayGrow(t.kind(upTo - 1))) {
        upTo--;
      }
    } else {
      upTo = n; // punctuation, a closed dollar quote: final
    }
    if (formAt >= 0 && formAt < upTo) {
      upTo = formAt;
    }
    if (cap < upTo || cap == upTo && formAt >= 0) {
      take(t, 0, cap, restFrom);
      drop(at + (cap < n ? t.start(cap) : end));
      return -1;
    }
    take(t, 0, upTo, restFrom);
    if (formAt >= 0) {
      int start = t.start(formAt);
      form = OpenForm.of(t.kind(formAt), rest, start, restFrom + start, reading);
      if (form.kind != OpenForm.Kind.BLOCK_COMMENT) { // a comment is a token only if the input ends inside it
        token(formKind(t.kind(formAt)), restFrom + start, null, false, 0);
      }
      return at + form.contentStart(rest, start);
    }
    if (upTo < n) {
      drop(at + t.start(upTo));
      return -1;
    }
    // whitespace and comments after the last token: a line comment may still be open
    int gap = n == 0 ? 0 : t.end(n - 1);
    int comment = openLineComment(rest, gap);
    if (comment >= 0) {
      form = OpenForm.lineComment(restFrom + comment);
      return at + comment + 2;
    }
    drop(kept.length());
    return -1;
  }

  /** Where a {@code --} comment that runs to the end of {@code text} starts after {@code from} (whitespace and comments only), or -1. */
  private static int openLineComment(String text, int from) {
    int q = from;
    int n = text.length();
    while (q < n) {
      char c = text.charAt(q);
      if (c == '-' && q + 1 < n && text.charAt(q + 1) == '-') {
        int end = q + 2;
        while (end < n && text.charAt(end) != '\n' && text.charAt(end) != '\r') {
          end++;
        }
        if (end >= n) {
          return q;
        }
        q = end;
      } else if (c == '/' && q + 1 < n && text.charAt(q + 1) == '*') {
        OpenForm comment = OpenForm.of(TokenKind.UNTERMINATED_COMMENT, text, q, 0, Lexer.Reading.REDSHIFT);
        q = comment.read(text, q + 2, true); // closed: an open one would have been a token
      } else {
        q++;
      }
    }
    return -1;
  }

  /** Tokens that more text right after them may lengthen or turn into another kind. */
  private static boolean mayGrow(TokenKind kind) {
    return kind == TokenKind.WORD || kind == TokenKind.NUMBER || kind == TokenKind.OPERATOR
        || kind == TokenKind.PARAMETER || kind == TokenKind.DOT;
  }

  private static boolean isLiteral(TokenKind kind) {
    return kind == TokenKind.STRING || kind == TokenKind.BIT_STRING;
  }

  /** Forms the end of a text may cut: read on by an {@link OpenForm}. A closed dollar quote is final. */
  private static boolean isForm(TokenKind kind) {
    return switch (kind) {
      case STRING, BIT_STRING, UNTERMINATED_STRING, QUOTED_IDENTIFIER, UNTERMINATED_IDENTIFIER,
          UNTERMINATED_DOLLAR_STRING, UNTERMINATED_COMMENT -> true;
      default -> false;
    };
  }

  /** The kind a form's token is taken for while it is open: what the verdicts read of it is only whether it is a value. */
  private static TokenKind formKind(TokenKind kind) {
    return switch (kind) {
      case QUOTED_IDENTIFIER, UNTERMINATED_IDENTIFIER -> TokenKind.QUOTED_IDENTIFIER;
      case UNTERMINATED_DOLLAR_STRING -> TokenKind.DOLLAR_STRING;
      case UNTERMINATED_COMMENT -> TokenKind.UNTERMINATED_COMMENT;
      default -> TokenKind.STRING;
    };
  }

  /** Forgets {@link #kept} before {@code at}. */
  private void drop(int at) {
    kept = kept.substring(at);
    keptFrom += at;
  }

  /** Hands tokens {@code [from, to)} of {@code t} (a text at {@code base} in the script) on. */
  private void take(Tokens t, int from, int to, long base) {
    boolean confusables = t.confusableIn(from, to) >= 0;
    for (int i = from; i < to; i++) {
      TokenKind kind = t.kind(i);
      if (kind == TokenKind.UNTERMINATED_COMMENT || kind == TokenKind.UNTERMINATED_STRING
          || kind == TokenKind.UNTERMINATED_IDENTIFIER || kind == TokenKind.UNTERMINATED_DOLLAR_STRING) {
        token(kind == TokenKind.UNTERMINATED_COMMENT ? kind : formKind(kind), base + t.start(i), null, false, 0);
        continue;
      }
      boolean authWord = t.isAuthWord(i);
      // text only where a verdict may read it: an auth word, a token after one, a word that may classify a statement
      boolean classifies = kind == TokenKind.WORD && (statementStart < 0 || head != null)
          || kind == TokenKind.OPERATOR && statementStart < 0;
      String text = authWord || !pending.isEmpty() || classifies ? t.text(i) : null;
      int confusable = !confusables || t.confusableIn(i, i + 1) < 0 ? 0
          : CommandParser.hidesCommand(t, i, i + 1) ? HIDES_COMMAND : CONFUSABLE;
      token(kind, base + t.start(i), text, authWord, confusable);
    }
  }

  /** A name holding a space-like character; one whose parts show an auth word or command word. */
  private static final int CONFUSABLE = 1;
  private static final int HIDES_COMMAND = 2;

  /**
   * One token of this reading, in order: {@code text} is null for a form or where no verdict reads
   * it; {@code confusable} is 0, {@link #CONFUSABLE} or {@link #HIDES_COMMAND}.
   */
  private void token(TokenKind kind, long start, String text, boolean authWord, int confusable) {
    if (kind == TokenKind.SEMICOLON) {
      endStatement(start + 1);
      return;
    }
    if (statementStart < 0) {
      statementStart = start;
      // an unclosed comment at the end of the input is read as OTHER: never hidden
      hiddenStatement = kind != TokenKind.UNTERMINATED_COMMENT
          && !AmbiguityCheck.isStatementStart(primary, (int) (start - primaryFrom));
      if (hiddenStatement) {
        head = new Head();
      }
    }
    if (head != null && head.add(kind, text)) {
      decideHead();
    }
    if (hiddenStatement) {
      hiddenInStatement(start, authWord, confusable);
    }
    for (Iterator<Pending> it = pending.iterator(); it.hasNext(); ) {
      Pending p = it.next();
      p.add(kind, text);
      if (p.decided(false)) {
        settle(p, false);
        it.remove();
      }
    }
    if (authWord && (hiddenStatement || !AmbiguityCheck.isWordStart(primary, (int) (start - primaryFrom)))) {
      pending.add(new Pending(start, text));
    }
  }

  /**
   * The space-like-character verdicts of a token of a hidden statement, as the grammar gives them
   * (a problem when such a name hides a command or stands with an auth word in a statement), each
   * decided at the token that makes it true, so that nothing waits for the statement's end.
   */
  private void hiddenInStatement(long start, boolean authWord, int confusable) {
    if (confusable == HIDES_COMMAND) {
      hidden.add(start);
    }
    if (authWord && firstAuthWord < 0) {
      firstAuthWord = start;
      if (firstConfusable >= 0) {
        hidden.add(start);
      }
    }
    if (confusable != 0 && firstConfusable < 0) {
      firstConfusable = start;
      if (firstAuthWord >= 0) {
        hidden.add(start);
      }
    }
  }

  /** A hidden statement whose first tokens start an auth-carrying command is hidden at its start. */
  private void decideHead() {
    if (head.startsAuthCarryingCommand()) {
      hidden.add(statementStart);
    }
    head = null;
  }

  /** Ends the current statement at {@code end} (just after its semicolon), or at the end of the input (-1). */
  private void endStatement(long end) {
    for (Pending p : pending) {
      settle(p, true);
    }
    pending.clear();
    if (head != null) {
      decideHead();
    }
    hiddenStatement = false;
    firstAuthWord = -1;
    firstConfusable = -1;
    statementStart = -1;
  }

  private void settle(Pending p, boolean ended) {
    if (p.hasValue(ended)) {
      hidden.add(p.start);
    }
  }

  /** Every verdict on an offset before the returned one is known. */
  long settledBefore() {
    long settled = keptFrom;
    if (head != null) {
      settled = Math.min(settled, statementStart);
    }
    for (Pending p : pending) {
      settled = Math.min(settled, p.start);
    }
    return settled;
  }

  /** Removes and returns the hidden offsets before {@code end}, made relative to {@code base}. */
  void takeHidden(long end, long base, TreeSet<Integer> into) {
    for (Iterator<Long> it = hidden.headSet(end).iterator(); it.hasNext(); ) {
      into.add((int) (it.next() - base));
      it.remove();
    }
  }

  /**
   * An auth word of this reading that the primary reading does not start a word at: hidden when
   * what follows it can only be its value ({@link ShapeScan#hasValueAfter}).
   */
  private static final class Pending {
    final long start;
    /** The word, then up to three tokens after it in its statement: their kinds and texts. */
    private final List<TokenKind> kinds = new ArrayList<>(4);
    private final List<String> texts = new ArrayList<>(4);

    Pending(long start, String word) {
      this.start = start;
      kinds.add(TokenKind.WORD);
      texts.add(word);
    }

    void add(TokenKind kind, String text) {
      if (kinds.size() < 4) {
        kinds.add(kind);
        texts.add(text != null ? text : placeholder(kind));
      }
    }

    /** Whether the tokens so far decide: only {@code U&'..'} needs all three. */
    boolean decided(boolean ended) {
      int after = kinds.size() - 1;
      if (ended || after >= 3) {
        return true;
      }
      if (after == 0) {
        return false;
      }
      boolean u = kinds.get(1) == TokenKind.WORD && texts.get(1).length() == 1 && (texts.get(1).charAt(0) | 0x20) == 'u';
      return !u || after == 2 && !(kinds.get(2) == TokenKind.OPERATOR && texts.get(2).equals("&"));
    }

    boolean hasValue(boolean ended) {
      Tokens t = tokens(kinds, texts);
      return ShapeScan.hasValueAfter(t, 0, t.count());
    }
  }

  /**
   * The first {@value #HEAD} tokens of a statement that only this reading shows: all that
   * {@link CommandParser#classify} reads of a statement. It starts an auth-carrying command when
   * they classify as one; also, whatever the rest says, {@code ALTER TABLE} (an external table's
   * new location may follow) and {@code SET} or {@code RESET} with a quoted name among them (the
   * name may be {@code "session_authorization"}, and its text may lie beyond a cut).
   */
  private static final class Head {
    private final List<TokenKind> kinds = new ArrayList<>(HEAD);
    private final List<String> texts = new ArrayList<>(HEAD);

    /**
     * Adds a token; true when the head is complete: at {@value #HEAD} tokens, or at one that is not
     * a word. The classification reads words in order and stops at the first token that is not the
     * word it looks for, so nothing after such a token changes it (only ALTER TABLE's and SET's
     * names read further, and they are judged by their first tokens below); deciding there keeps a
     * literal that this reading never closes from holding the statement's verdict open.
     */
    boolean add(TokenKind kind, String text) {
      kinds.add(kind);
      texts.add(text != null ? text : placeholder(kind));
      return kinds.size() == HEAD || kind != TokenKind.WORD;
    }

    boolean startsAuthCarryingCommand() {
      Tokens t = tokens(kinds, texts);
      // a CALL runs a body the server's catalog holds, judged only where a reading shows the CALL:
      // PostgreSQL with standard_conforming_strings=on ran the COPY of a procedure called in
      // select 'x\'; call p(); select '1' (HiddenCallServerTest); and a JDBC escape, which a driver
      // may turn into a CALL ({call p()}) where its reading finds it in code; and DDL or a DO block,
      // whose code runs unjudged or changes what a later CALL runs (ProcedureChanges.startsRoutineChange)
      if (CommandParser.classify(t, 0, t.count()) != CommandKind.OTHER
          || t.isWord(0, "ALTER") && t.isWord(1, "TABLE") || t.isWord(0, "CALL") || texts.get(0).startsWith("{")
          || ProcedureChanges.startsRoutineChange(t, 0)) {
        return true;
      }
      return (t.isWord(0, "SET") || t.isWord(0, "RESET")) && kinds.contains(TokenKind.QUOTED_IDENTIFIER);
    }
  }

  /** Tokens of the given kinds and texts, one space apart. */
  private static Tokens tokens(List<TokenKind> kinds, List<String> texts) {
    StringBuilder source = new StringBuilder();
    int[] bounds = new int[kinds.size() * 2];
    for (int i = 0; i < kinds.size(); i++) {
      bounds[2 * i] = source.length();
      source.append(texts.get(i));
      bounds[2 * i + 1] = source.length();
      source.append(' ');
    }
    Tokens t = new Tokens(source.toString(), Math.max(kinds.size(), 1), Lexer.Reading.REDSHIFT);
    for (int i = 0; i < kinds.size(); i++) {
      t.add(kinds.get(i), bounds[2 * i], bounds[2 * i + 1]);
    }
    return t;
  }

  /** Text for a token whose text no verdict reads (a form, a token past a statement's head): its kind decides. */
  private static String placeholder(TokenKind kind) {
    return kind == TokenKind.QUOTED_IDENTIFIER ? "\"\"" : "''";
  }
}
