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
 * that this reading opens and never closes costs no memory. What an offset's verdict needs is kept
 * until it is known, and no longer:
 * <ul>
 *   <li>an auth word waits for the (at most three) tokens that say whether a value follows it;</li>
 *   <li>a statement that starts where the primary reading has no token (inside its literal or
 *       comment) is hidden when its command needs inspection, which only its whole text can say:
 *       its text is kept from its first token to its end (the one case where memory follows this
 *       reading's statement rather than the primary's).</li>
 * </ul>
 * {@link #settledBefore()} says up to where every verdict is known: the reader cuts no later.
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
  /** The current statement's text from its first token, while its verdict waits for its end; else null. */
  private StringBuilder held;
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
    if (held != null) {
      held.append(fresh);
    }
    int at = 0;
    while (true) {
      if (form != null) {
        int end = form.read(kept, at, eof);
        if (end == OpenForm.MORE) {
          drop(form.resume());
          break;
        }
        if (form.kind == OpenForm.Kind.BLOCK_COMMENT && form.unterminated()) {
          token(TokenKind.UNTERMINATED_COMMENT, form.start, "/*", false);
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
        token(formKind(t.kind(formAt)), restFrom + start, null, false);
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
    for (int i = from; i < to; i++) {
      TokenKind kind = t.kind(i);
      if (kind == TokenKind.UNTERMINATED_COMMENT || kind == TokenKind.UNTERMINATED_STRING
          || kind == TokenKind.UNTERMINATED_IDENTIFIER || kind == TokenKind.UNTERMINATED_DOLLAR_STRING) {
        token(kind == TokenKind.UNTERMINATED_COMMENT ? kind : formKind(kind), base + t.start(i), null, false);
        continue;
      }
      boolean authWord = t.isAuthWord(i);
      // text only where a verdict may read it: an auth word, or a token after one
      String text = authWord || !pending.isEmpty() ? t.text(i) : null;
      token(kind, base + t.start(i), text, authWord);
    }
  }

  /** One token of this reading, in order: {@code text} is null for a form or where no verdict reads it. */
  private void token(TokenKind kind, long start, String text, boolean authWord) {
    if (kind == TokenKind.SEMICOLON) {
      endStatement(start + 1);
      return;
    }
    if (statementStart < 0) {
      statementStart = start;
      // an unclosed comment at the end of the input is read as OTHER: never hidden, and its text is gone
      if (kind != TokenKind.UNTERMINATED_COMMENT && !AmbiguityCheck.isTokenStart(primary, (int) (start - primaryFrom))) {
        held = new StringBuilder(kept.substring((int) (start - keptFrom)));
      }
    }
    for (Iterator<Pending> it = pending.iterator(); it.hasNext(); ) {
      Pending p = it.next();
      p.add(kind, text);
      if (p.decided(false)) {
        settle(p, false);
        it.remove();
      }
    }
    if (authWord && !AmbiguityCheck.isWordStart(primary, (int) (start - primaryFrom))) {
      pending.add(new Pending(start, text));
    }
  }

  /** Ends the current statement at {@code end} (just after its semicolon), or at the end of the input (-1). */
  private void endStatement(long end) {
    for (Pending p : pending) {
      settle(p, true);
    }
    pending.clear();
    if (held != null) {
      String text = end < 0 ? held.toString() : held.substring(0, (int) (end - statementStart));
      Tokens t = Lexer.tokenize(text, reading);
      int to = end < 0 ? t.count() : t.count() - 1; // without its semicolon
      if (AmbiguityCheck.hiddenCommand(t, 0, to)) {
        hidden.add(statementStart);
      }
      held = null;
    }
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
    if (held != null) {
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
      StringBuilder source = new StringBuilder();
      int[] bounds = new int[kinds.size() * 2];
      for (int i = 0; i < kinds.size(); i++) {
        bounds[2 * i] = source.length();
        source.append(texts.get(i));
        bounds[2 * i + 1] = source.length();
        source.append(' ');
      }
      Tokens t = new Tokens(source.toString(), kinds.size(), Lexer.Reading.REDSHIFT);
      for (int i = 0; i < kinds.size(); i++) {
        t.add(kinds.get(i), bounds[2 * i], bounds[2 * i + 1]);
      }
      return ShapeScan.hasValueAfter(t, 0, t.count());
    }

    /** Text for a token whose text no verdict reads (a form): its kind decides. */
    private static String placeholder(TokenKind kind) {
      return kind == TokenKind.QUOTED_IDENTIFIER ? "\"\"" : "''";
    }
  }
}
