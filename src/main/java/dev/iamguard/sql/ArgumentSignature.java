package dev.iamguard.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A routine's argument list as the server tells routines apart by it, for ALTER, DROP and CREATE OR
 * REPLACE: its input types in order, each spelled one way, without argument names, an IN mode,
 * defaults or type modifiers ({@code (n int)}, {@code (integer)} and {@code (IN int4 DEFAULT 1)} are
 * all {@code int4}). An ALTER that wrote {@code p(integer)} of a {@code p(n int)} was read as one of
 * another procedure, and the owner it gave was not followed (red-team review: the CALL's COPY ran
 * as user3, judged for the creator).
 *
 * <p>Only types both servers read alike are spelled anew; an argument of any other type (text,
 * which Redshift reads as a varchar and PostgreSQL does not, a domain, a {@code %TYPE}, a quoted or
 * qualified type name) or mode (OUT, INOUT, VARIADIC) makes the signature {@link #UNREAD}: equal to
 * the same list written alike only, and of unknown sameness to any other.
 */
final class ArgumentSignature {
  /** What starts a signature the guard could not read: the list follows, blanks removed, folded. */
  static final String UNREAD = "?";

  /** One spelling per type, for the types PostgreSQL and Redshift both read so. */
  private static final Map<String, String> TYPES = Map.ofEntries(
      Map.entry("int", "int4"), Map.entry("integer", "int4"), Map.entry("int4", "int4"),
      Map.entry("smallint", "int2"), Map.entry("int2", "int2"),
      Map.entry("bigint", "int8"), Map.entry("int8", "int8"),
      Map.entry("real", "float4"), Map.entry("float4", "float4"),
      Map.entry("double precision", "float8"), Map.entry("float8", "float8"), Map.entry("float", "float8"),
      Map.entry("numeric", "numeric"), Map.entry("decimal", "numeric"),
      Map.entry("bool", "bool"), Map.entry("boolean", "bool"),
      Map.entry("varchar", "varchar"), Map.entry("character varying", "varchar"),
      Map.entry("char varying", "varchar"),
      Map.entry("char", "bpchar"), Map.entry("character", "bpchar"),
      Map.entry("date", "date"),
      Map.entry("timestamp", "timestamp"), Map.entry("timestamp without time zone", "timestamp"),
      Map.entry("timestamptz", "timestamptz"), Map.entry("timestamp with time zone", "timestamptz"));

  private ArgumentSignature() {}

  /**
   * The signature of the argument list whose {@code (} is token {@code open} and whose {@code )} is
   * the token before {@code end}.
   */
  static String of(Tokens t, int open, int end) {
    List<String> types = new ArrayList<>();
    int close = end - 1;
    int from = open + 1;
    int depth = 0;
    for (int k = open + 1; k <= close; k++) {
      TokenKind kind = t.kind(k);
      if (kind == TokenKind.LEFT_PAREN) {
        depth++;
      } else if (kind == TokenKind.RIGHT_PAREN && k < close) {
        depth--;
      } else if (k == close || kind == TokenKind.COMMA && depth == 0) {
        if (k == close && from == k && types.isEmpty()) {
          return ""; // ()
        }
        String type = type(t, from, k);
        if (type == null) {
          return UNREAD + written(t, open, end);
        }
        types.add(type);
        from = k + 1;
      }
    }
    return String.join(",", types);
  }

  /** The type of the argument written in tokens [from, to), spelled one way, or null. */
  private static String type(Tokens t, int from, int to) {
    List<String> words = new ArrayList<>(4);
    boolean array = false;
    boolean modifier = false;
    for (int k = from; k < to; k++) {
      TokenKind kind = t.kind(k);
      String text = t.text(k);
      if (kind == TokenKind.WORD && !array) {
        String word = AsciiCase.toLowerCase(text);
        if (word.equals("default")) {
          break;
        }
        words.add(word);
      } else if (kind == TokenKind.LEFT_PAREN && !array && !words.isEmpty()) {
        modifier = true; // varchar(10), numeric(10, 2): not part of the signature
        for (int depth = 0; k < to; k++) {
          depth += t.kind(k) == TokenKind.LEFT_PAREN ? 1 : t.kind(k) == TokenKind.RIGHT_PAREN ? -1 : 0;
          if (depth == 0) {
            break;
          }
        }
      } else if (kind == TokenKind.OPERATOR && text.equals("=")) {
        break; // a default
      } else if (kind == TokenKind.OPERATOR && (text.equals("[") || text.equals("]") || text.equals("[]"))
          || array && kind == TokenKind.NUMBER) {
        array = true; // int[], int[3][]: one array type
      } else {
        return null;
      }
    }
    if (!words.isEmpty() && words.get(0).equals("in")) {
      words.remove(0);
    } else if (words.size() > 1 && words.get(1).equals("in")) {
      words.remove(1); // name IN type
    }
    if (words.isEmpty() || words.contains("out") || words.contains("inout") || words.contains("variadic")) {
      return null;
    }
    String type = TYPES.get(String.join(" ", words));
    if (type == null && words.size() > 1) {
      type = TYPES.get(String.join(" ", words.subList(1, words.size()))); // the first word names the argument
    }
    if (type == null || modifier && type.equals("float8") && words.get(words.size() - 1).equals("float")) {
      return null; // float(24) is a real
    }
    return array ? type + "[]" : type;
  }

  /** The list as written, blanks removed and words folded. */
  static String written(Tokens t, int open, int end) {
    StringBuilder text = new StringBuilder();
    for (int k = open; k < end; k++) {
      text.append(t.kind(k) == TokenKind.WORD ? AsciiCase.toLowerCase(t.text(k)) : t.text(k));
    }
    return text.toString();
  }

  /**
   * Whether two signatures name the same argument list: {@code TRUE}, {@code FALSE}, or null when
   * the guard cannot tell (one of them unread, and not written alike).
   */
  static Boolean same(String a, String b) {
    if (a.equals(b)) {
      return Boolean.TRUE;
    }
    return a.startsWith(UNREAD) || b.startsWith(UNREAD) ? null : Boolean.FALSE;
  }
}
