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
      hiddenOption(c, b);
      if (c.skipGroup() < 0) {
        c.pos++;
      }
      return;
    }
    String name = c.tokens.upperWord(c.pos++);
    // most options have no value or one: the list is the shared empty one, then an immutable one of
    // one (which the option keeps as it is), and grows into an ArrayList only past that
    List<String> values = List.of();
    c.acceptWord("AS");
    if (name.equals("JOB") && c.acceptWord("CREATE")) {
      values = addName(c, List.of("CREATE"));
    } else if (WORD_ARGUMENT.contains(name)) {
      int argument = c.pos;
      values = addName(c, values);
      if (name.equals("FORMAT") && takesOptionAfterAs(c, argument)) {
        c.acceptWord("AS"); // FORMAT [AS] JSON [AS] 'json_option', as JSON [AS] 'json_option' alone
      }
    }
    values = readValues(c, values);
    b.option(name, values, c.tokens.start(first), c.tokens.end(c.pos - 1));
  }

  /**
   * A quoted identifier where an option's name stands that spells a word of the grammar ({@code
   * "s3_bucket"}, {@code "IAM_ROLE"}): the guard reads no option there, but a server reading quoted
   * names in an option list as their words (PostgreSQL's parenthesised lists do, Redshift folds a
   * quoted name's case by default) would take its value, unchecked (red-team review: a second
   * {@code "s3_bucket" 'other'} in CREATE MODEL's SETTINGS was allowed). Likewise a parenthesised
   * group there holding such a word, quoted or not ({@code (s3_bucket 'other')}), which the guard
   * steps over whole. Unreadable, so denied.
   */
  private static void hiddenOption(Cursor c, CommandBuilder b) {
    int at = c.pos;
    if (c.tokens.kind(at) == TokenKind.QUOTED_IDENTIFIER) {
      String word = quotedWord(c.tokens, at);
      if (word != null) {
        b.problem(Problem.Kind.UNPARSEABLE, c.tokens.start(at), "an option's name is written as a quoted identifier"
            + " that spells " + word + "; the server may read it as that option, whose value the guard would not"
            + " check: write option names unquoted");
      }
    } else if (c.is(TokenKind.LEFT_PAREN)) {
      int end = c.skipGroup();
      c.pos = at;
      for (int k = at + 1; k < end; k++) {
        String word = c.tokens.kind(k) == TokenKind.WORD ? c.tokens.keyword(k) : quotedWord(c.tokens, k);
        if (word != null) {
          b.problem(Problem.Kind.UNPARSEABLE, c.tokens.start(at), "a parenthesised group stands where an option's"
              + " name does and holds " + word + "; the server may read an option in it, whose value the guard would"
              + " not check: write options without parentheses around them");
          return;
        }
      }
    }
  }

  /** The grammar's word quoted identifier {@code k} spells, or null (also when {@code k} is none). */
  private static String quotedWord(Tokens t, int k) {
    return t.kind(k) == TokenKind.QUOTED_IDENTIFIER ? Keywords.lookup(t.source(), t.start(k) + 1, t.end(k) - 1) : null;
  }

  /**
   * Whether the format {@code FORMAT [AS]} named at token {@code argument} (just read, the cursor after
   * it) is COPY's {@code AVRO} or {@code JSON}, whose option ({@code 'auto'}, {@code 'auto ignorecase'},
   * {@code 'noshred'}, a JSONPaths file {@code 's3://...'}) may follow an {@code AS} of its own: {@code
   * FORMAT AS JSON AS 's3://...'} (outside review: that {@code AS} was read as an option of its own,
   * whose JSONPaths file was then a location the grammar placed nowhere, refused). Only the bare word:
   * {@code "json"} quoted, or a format with anything after its name, takes no second {@code AS}.
   */
  private static boolean takesOptionAfterAs(Cursor c, int argument) {
    if (c.pos != argument + 1 || c.tokens.kind(argument) != TokenKind.WORD) {
      return false;
    }
    String format = c.tokens.keyword(argument);
    return "JSON".equals(format) || "AVRO".equals(format);
  }

  /** {@code values} with {@code value} added: see {@link #read}. */
  private static List<String> with(List<String> values, String value) {
    if (values.isEmpty()) {
      return List.of(value);
    }
    List<String> more = values instanceof ArrayList<String> grown ? grown : new ArrayList<>(values);
    more.add(value);
    return more;
  }

  private static List<String> addName(Cursor c, List<String> values) {
    if (AuthWords.isAuthWord(c.tokens, c.pos)) {
      return values;
    }
    int at = c.pos;
    String name = c.readName();
    if (name != null) {
      values = with(values, c.tokens.kind(at) == TokenKind.WORD && at + 1 == c.pos
          ? name.toUpperCase(Locale.ROOT) : name);
      int groupStart = c.pos;
      if (c.skipGroup() >= 0) {
        values = with(values, groupText(c, groupStart));
      }
    }
    return values;
  }

  private static List<String> readValues(Cursor c, List<String> values) {
    while (!c.atEnd()) {
      TokenKind kind = c.kind();
      if (kind == TokenKind.STRING || kind == TokenKind.DOLLAR_STRING) {
        values = with(values, c.tokens.optionText(c.pos));
        c.pos++;
      } else if (kind == TokenKind.NUMBER || kind == TokenKind.PARAMETER) {
        values = with(values, c.tokens.text(c.pos++));
      } else if (kind == TokenKind.LEFT_PAREN) {
        int groupStart = c.pos;
        c.skipGroup();
        values = with(values, groupText(c, groupStart));
      } else if (kind == TokenKind.WORD && isValueWord(c)) {
        values = with(values, c.tokens.upperWord(c.pos++));
      } else {
        return values;
      }
    }
    return values;
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
