package dev.iamguard.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads the free-order options of COPY, UNLOAD and the auth-carrying DDL: a keyword, an optional
 * {@code AS}, then its arguments. Which words count as arguments is decided by small tables, so an
 * option the grammar has never heard of still reads as an option of its own.
 */
final class OptionReader {
  /** Options whose first argument is a word or name ({@code FORMAT AS CSV}, {@code TARGET col}). */
  private static final Set<String> WORD_ARGUMENT = Set.of(
      "FORMAT", "ENCODING", "MODEL_TYPE", "PROBLEM_TYPE", "TARGET", "AUTHENTICATION", "LANGUAGE",
      "RETURNS", "FUNCTION", "OWNER", "DATASHARE");

  /**
   * Words that are arguments of the option before them rather than options of their own; each is
   * a {@link Keywords} word (KeywordsTest holds that).
   */
  static final Set<String> VALUE_WORDS = Set.of(
      "ON", "OFF", "TRUE", "FALSE", "AUTO", "KB", "MB", "GB", "VERBOSE", "INCLUDE", "PRESET",
      "SIMPLIFY", "EXCEPT", "BY", "DEFAULT");

  private OptionReader() {}

  /**
   * Reads one option at the cursor and records it; a token that cannot start an option (a stray
   * literal, an operator) is stepped over.
   */
  static void read(Cursor c, CommandBuilder b) {
    int first = c.pos;
    if (!c.is(TokenKind.WORD)) {
      if (c.skipGroup() < 0) {
        c.pos++;
      }
      return;
    }
    String name = c.tokens.upperWord(c.pos++);
    List<String> values = new ArrayList<>(1);
    c.acceptWord("AS");
    if (name.equals("JOB") && c.acceptWord("CREATE")) {
      values.add("CREATE");
      addName(c, values);
    } else if (WORD_ARGUMENT.contains(name)) {
      addName(c, values);
    }
    readValues(c, values);
    b.option(name, values, c.tokens.start(first), c.tokens.end(c.pos - 1));
  }

  private static void addName(Cursor c, List<String> values) {
    if (AuthWords.isAuthWord(c.tokens, c.pos)) {
      return;
    }
    int at = c.pos;
    String name = c.readName();
    if (name != null) {
      values.add(c.tokens.kind(at) == TokenKind.WORD && at + 1 == c.pos
          ? name.toUpperCase(Locale.ROOT) : name);
      int groupStart = c.pos;
      if (c.skipGroup() >= 0) {
        values.add(groupText(c, groupStart));
      }
    }
  }

  private static void readValues(Cursor c, List<String> values) {
    while (!c.atEnd()) {
      TokenKind kind = c.kind();
      if (kind == TokenKind.STRING || kind == TokenKind.DOLLAR_STRING) {
        values.add(c.tokens.optionText(c.pos));
        c.pos++;
      } else if (kind == TokenKind.NUMBER || kind == TokenKind.PARAMETER) {
        values.add(c.tokens.text(c.pos++));
      } else if (kind == TokenKind.LEFT_PAREN) {
        int groupStart = c.pos;
        c.skipGroup();
        values.add(groupText(c, groupStart));
      } else if (kind == TokenKind.WORD && isValueWord(c)) {
        values.add(c.tokens.upperWord(c.pos++));
      } else {
        return;
      }
    }
  }

  /** Looks the word up without upper-casing it: most words are not value words. */
  private static boolean isValueWord(Cursor c) {
    String word = c.tokens.keyword(c.pos);
    return word != null && VALUE_WORDS.contains(word);
  }

  private static String groupText(Cursor c, int groupStart) {
    return c.tokens.source().substring(c.tokens.start(groupStart), c.tokens.end(c.pos - 1));
  }
}
