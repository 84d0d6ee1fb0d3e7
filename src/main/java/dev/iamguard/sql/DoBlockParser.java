package dev.iamguard.sql;

import java.util.Locale;

/**
 * PostgreSQL's {@code DO [LANGUAGE name] code} (the options in either order): its PL/pgSQL code
 * runs at once as the session's user, so it is read as a procedure body is
 * ({@link ProcedureBody}) and its COPY, UNLOAD, constant {@code EXECUTE} texts and dynamic SQL are
 * judged for that user (probe sq4 F5 and probe 39 F4: a COPY in a {@code DO} block ran as r3
 * unjudged). Code in another language, or written so the guard cannot read it, is a problem:
 * what it runs cannot be judged.
 */
final class DoBlockParser {
  /** Longest language name a problem repeats: the rest of a long literal is not worth a message. */
  private static final int NAME_SHOWN = 40;

  private DoBlockParser() {}

  /**
   * True when token {@code k} (after {@code DO}) may open a block's options: a literal, in any
   * form (a one-letter word is a prefix such as {@code E} or {@code U&} to a reader), or
   * {@code LANGUAGE}. {@code DO} before another word, or nothing, is a statement the server refuses.
   */
  static boolean opensCode(Tokens t, int k, int to) {
    if (k >= to) {
      return false;
    }
    TokenKind kind = t.kind(k);
    if (kind == TokenKind.WORD) {
      return t.isWord(k, "LANGUAGE") || t.end(k) - t.start(k) == 1;
    }
    return ProcedureParser.isBody(kind) || kind == TokenKind.BIT_STRING;
  }

  static void parse(Cursor c, CommandBuilder b) {
    int doAt = c.offset();
    c.acceptWord("DO");
    int code = -1;
    String language = null;
    while (!c.atEnd()) {
      if (c.isWord("LANGUAGE") && c.pos + 1 < c.limit && language == null) {
        c.pos++;
        language = c.is(TokenKind.WORD) ? c.tokens.text(c.pos).toLowerCase(Locale.ROOT)
            : c.is(TokenKind.QUOTED_IDENTIFIER) ? quoted(c.tokens.text(c.pos))
            : c.isString() ? c.literalValue() : null;
        if (language == null) {
          break; // read as written otherwise, below
        }
        c.pos++;
      } else if (code < 0 && ProcedureParser.isBody(c.kind())) {
        code = c.pos++;
      } else {
        break;
      }
    }
    if (!c.atEnd() || code < 0) {
      b.problem(Problem.Kind.UNPARSEABLE, c.atEnd() ? doAt : c.offset(), "a DO block is read as DO [LANGUAGE name]"
          + " followed by its code as a literal ('...' or $$...$$), and this one is written otherwise, so what its"
          + " code runs cannot be read or judged for the user who runs it");
      return;
    }
    if (language != null && !language.equalsIgnoreCase("plpgsql")) {
      String shown = language.length() > NAME_SHOWN ? language.substring(0, NAME_SHOWN) + "..." : language;
      b.problem(Problem.Kind.UNPARSEABLE, doAt, "a DO block in language " + shown + ", whose code the guard does"
          + " not read (it reads PL/pgSQL only), so what it runs cannot be judged for the user who runs it");
      return;
    }
    c.pos = code;
    ProcedureParser.body(c, b);
  }

  /**
   * The code of the block {@code t} holds (its whole tokens, {@code DO} first) as the server reads
   * it, or null when it is not written as {@link #parse} reads it.
   */
  static String code(Tokens t) {
    int k = 1;
    while (k < t.count() && t.isWord(k, "LANGUAGE")) {
      k += 2;
    }
    if (k >= t.count() || !ProcedureParser.isBody(t.kind(k)) || t.kind(k).isUnterminated()) {
      return null;
    }
    Literals.Value value = t.literal(k);
    return value.doubt() == null ? value.text() : null;
  }

  /** A quoted name as the server reads it: between its quotes, {@code ""} standing for one. */
  private static String quoted(String written) {
    return written.substring(1, written.length() - 1).replace("\"\"", "\"");
  }
}
