package dev.iamguard.policy.iam;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A Resource pattern or condition value as written, with its policy variables: {@code ${key}},
 * {@code ${key, 'default'}} (a {@code ''} in the default is one quote), and {@code ${*}},
 * {@code ${?}}, {@code ${$}} for a literal {@code *}, {@code ?}, {@code $} (IAM User Guide, "IAM
 * policy elements: Variables and tags"). A variable is replaced by the key's one value in the
 * request; a key the request does not carry (or carries with several values) takes the default,
 * and without one the element matches nothing. A key the guard cannot know leaves the text
 * unknown: it is then matched as if the variable were {@code *}, which tells "surely not" from
 * "perhaps".
 */
final class PolicyText {

  /** How a text came out for one request. */
  record Resolved(Tri exact, int[] symbols) {
    /** The text matches nothing: a variable without value or default. */
    static final Resolved NOTHING = new Resolved(Tri.FALSE, new int[0]);
  }

  private sealed interface Part permits Literal, Variable {}

  /** Symbols: code points, {@link IamPattern#STAR}, {@link IamPattern#ONE}. */
  private record Literal(int[] symbols) implements Part {}

  private record Variable(String key, Optional<String> defaultValue) implements Part {}

  private final String text;
  private final List<Part> parts;
  /** The symbols when the text holds no variable: resolved once. */
  private final Resolved fixed;

  private PolicyText(String text, List<Part> parts) {
    this.text = text;
    this.parts = List.copyOf(parts);
    boolean variables = parts.stream().anyMatch(p -> p instanceof Variable);
    this.fixed = variables ? null : new Resolved(Tri.TRUE, concat(parts));
  }

  /**
   * Reads {@code text}.
   *
   * @param variables whether {@code ${...}} is a policy variable (documents of Version 2012-10-17)
   * @param wildcards whether {@code *} and {@code ?} written in the text are wildcards
   * @param problem receives what is wrong with a variable, e.g. an unclosed one
   */
  static PolicyText parse(String text, boolean variables, boolean wildcards, Consumer<String> problem) {
    List<Part> parts = new ArrayList<>();
    // symbols rather than a StringBuilder: ${*}, ${?} and ${$} are kept as code points above
    // Character.MAX_CODE_POINT, which a String cannot hold
    List<Integer> literal = new ArrayList<>();
    int i = 0;
    while (i < text.length()) {
      if (variables && text.startsWith("${", i)) {
        int end = closing(text, i + 2);
        if (end < 0) {
          problem.accept("policy variable at \"" + text.substring(i) + "\" is not closed with }");
          text.substring(i).codePoints().forEach(literal::add);
          break;
        }
        String inside = text.substring(i + 2, end).strip();
        if (inside.equals("*") || inside.equals("?") || inside.equals("$")) {
          literal.add(0x110000 + inside.charAt(0)); // a literal, not a wildcard (see flush)
        } else {
          flush(parts, literal, wildcards);
          variable(inside, problem).ifPresent(parts::add);
        }
        i = end + 1;
      } else {
        int c = text.codePointAt(i);
        literal.add(c);
        i += Character.charCount(c);
      }
    }
    flush(parts, literal, wildcards);
    return new PolicyText(text, parts);
  }

  /**
   * The index of the {@code }} closing a variable opened before {@code from}, skipping a quoted
   * default. A doubled quote inside the default ({@code 'it''s'}) closes and reopens the quotes,
   * which leaves them open as the escape does: plain toggling finds the same brace.
   */
  private static int closing(String text, int from) {
    boolean quoted = false;
    for (int i = from; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\'') {
        quoted = !quoted;
      } else if (c == '}' && !quoted) {
        return i;
      }
    }
    return -1;
  }

  private static Optional<Part> variable(String inside, Consumer<String> problem) {
    int comma = inside.indexOf(',');
    String key = (comma < 0 ? inside : inside.substring(0, comma)).strip();
    // a tag key after the slash may hold spaces (${aws:PrincipalTag/cost center}), nothing else may
    int slash = key.indexOf('/');
    if (key.isEmpty() || (slash < 0 ? key : key.substring(0, slash)).chars().anyMatch(Character::isWhitespace)
        || key.chars().anyMatch(c -> Character.isWhitespace(c) && c != ' ')) {
      problem.accept("policy variable ${" + inside + "} does not name a condition key");
      return Optional.empty();
    }
    if (comma < 0) {
      return Optional.of(new Variable(key, Optional.empty()));
    }
    String rest = inside.substring(comma + 1).strip();
    if (rest.length() < 2 || rest.charAt(0) != '\'' || rest.charAt(rest.length() - 1) != '\'') {
      problem.accept("policy variable ${" + inside + "}: the default value must be in single quotes");
      return Optional.empty();
    }
    return Optional.of(new Variable(key, Optional.of(rest.substring(1, rest.length() - 1).replace("''", "'"))));
  }

  private static void flush(List<Part> parts, List<Integer> literal, boolean wildcards) {
    if (literal.isEmpty()) {
      return;
    }
    int[] symbols = literal.stream().mapToInt(c -> {
      if (c >= 0x110000) {
        return c - 0x110000; // ${*}, ${?}, ${$}: the character itself
      }
      return wildcards && c == '*' ? IamPattern.STAR : wildcards && c == '?' ? IamPattern.ONE : c;
    }).toArray();
    parts.add(new Literal(symbols));
    literal.clear();
  }

  private static int[] concat(List<Part> parts) {
    int length = 0;
    for (Part part : parts) {
      length += ((Literal) part).symbols().length;
    }
    int[] all = new int[length];
    int at = 0;
    for (Part part : parts) {
      int[] symbols = ((Literal) part).symbols();
      System.arraycopy(symbols, 0, all, at, symbols.length);
      at += symbols.length;
    }
    return all;
  }

  String text() {
    return text;
  }

  boolean hasVariables() {
    return fixed == null;
  }

  /** The condition keys its variables name. */
  List<String> variableKeys() {
    List<String> keys = new ArrayList<>();
    for (Part part : parts) {
      if (part instanceof Variable v) {
        keys.add(v.key());
      }
    }
    return keys;
  }

  /** The symbols for this request; with an unknown variable an upper bound (the variable as {@code *}). */
  Resolved resolve(RequestContext context) {
    if (fixed != null) {
      return fixed;
    }
    Tri exact = Tri.TRUE;
    List<int[]> pieces = new ArrayList<>(parts.size());
    for (Part part : parts) {
      if (part instanceof Literal l) {
        pieces.add(l.symbols());
        continue;
      }
      Variable v = (Variable) part;
      RequestContext.Knowledge knowledge = context.knowledge(v.key());
      List<String> values = context.values(v.key());
      if (knowledge == RequestContext.Knowledge.UNKNOWN) {
        exact = Tri.UNKNOWN;
        pieces.add(new int[] {IamPattern.ANY});
      } else if (knowledge == RequestContext.Knowledge.PRESENT && values.size() == 1) {
        pieces.add(values.get(0).codePoints().toArray());
      } else if (v.defaultValue().isPresent()) {
        pieces.add(v.defaultValue().get().codePoints().toArray());
      } else {
        return Resolved.NOTHING;
      }
    }
    int length = 0;
    for (int[] piece : pieces) {
      length += piece.length;
    }
    int[] all = new int[length];
    int at = 0;
    for (int[] piece : pieces) {
      System.arraycopy(piece, 0, all, at, piece.length);
      at += piece.length;
    }
    return new Resolved(exact, all);
  }

  @Override
  public String toString() {
    return text;
  }
}
