package dev.iamguard.policy.yaml;

import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;

/**
 * Says what is wrong with a registry or policy file that is not valid YAML, in the words of
 * someone editing it ("this line is indented differently from the entries before it"), with the
 * line and column, instead of the parser's own terms ("expected &lt;block end&gt;, but found
 * '&lt;block mapping start&gt;'").
 */
final class YamlSyntax {
  private static final Pattern TOKEN = Pattern.compile("<([a-z ]+)>");
  private static final Map<String, String> TOKENS = Map.of(
      "block end", "the end of an indented block",
      "block mapping start", "an indented mapping",
      "block sequence start", "an indented list",
      "stream end", "the end of the file",
      "document start", "the start of a document",
      "document end", "the end of a document",
      "scalar", "a value");

  private YamlSyntax() {}

  /** {@code at line 5, column 4: <what is wrong and what to do>}. */
  static String explain(MarkedYamlEngineException e) {
    Optional<Mark> at = e.getProblemMark().or(e::getContextMark);
    String where = at.map(m -> "at " + position(m) + ": ").orElse("");
    return where + detail(e);
  }

  /** What is wrong and what to do, without where ({@link #explain} says where first). */
  static String detail(MarkedYamlEngineException e) {
    return detail(e, 1, 1);
  }

  /**
   * {@link #detail(MarkedYamlEngineException)} for a text that starts at line {@code firstLine}, column
   * {@code firstColumn} of its file: a position it names (where a list or mapping was opened) is the file's.
   */
  static String detail(MarkedYamlEngineException e, int firstLine, int firstColumn) {
    String problem = e.getProblem() == null ? "" : e.getProblem();
    String context = e.getContext() == null ? "" : e.getContext();
    String started = e.getProblemMark().isPresent()
        ? e.getContextMark().map(m -> "line " + (firstLine + m.getLine()) + ", column "
            + (m.getLine() == 0 ? firstColumn + m.getColumn() : m.getColumn() + 1)).orElse(null)
        : null;
    return words(problem, context, started);
  }

  private static String position(Mark mark) {
    return "line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1);
  }

  private static String words(String problem, String context, String started) {
    String since = started == null ? "" : " (it starts at " + started + ")";
    if (problem.startsWith("found character '\\t")) {
      return "a tab character; YAML indents with spaces only";
    }
    if (problem.startsWith("found character '") && problem.length() > 18) {
      return "a value cannot start with " + problem.substring(16, problem.indexOf('\'', 17) + 1)
          + " unless it is in quotes";
    }
    if (problem.startsWith("mapping values are not allowed")) {
      return "a colon where a plain value is expected: put a key on a line of its own, indented under its"
          + " parent, or put a value that holds \": \" in quotes";
    }
    if (problem.startsWith("expected <block end>")) {
      if (problem.endsWith("'-'")) {
        return "a list item (-) where the mapping" + since + " expects another key: indent the list under its key";
      }
      if (problem.endsWith("'?'") && context.contains("collection")) {
        return "a key where the list" + since + " expects another item (- ...): indent the key as far as the"
            + " other keys of its mapping";
      }
      return "this line is indented differently from the entries before it" + since
          + ": line it up with them, or indent it under a key";
    }
    if (problem.startsWith("expected ',' or ']'")) {
      return "the list opened by [" + since + " is not closed: a ] (or a comma between its items) is missing";
    }
    if (problem.startsWith("expected ',' or '}'")) {
      return "the mapping opened by {" + since + " is not closed: a } (or a comma between its entries) is missing";
    }
    if (problem.startsWith("found unexpected end of stream") && context.contains("quoted scalar")) {
      return "the quoted value" + since + " is never closed: a closing quote is missing";
    }
    if (problem.startsWith("found undefined alias ")) {
      String name = problem.substring("found undefined alias ".length());
      return "*" + name + " refers to an anchor (&" + name + ") that is not defined before it";
    }
    return "the text cannot be read as YAML here (" + plain(problem.isEmpty() ? "malformed document" : problem)
        + (context.isEmpty() ? "" : ", " + plain(context)) + ")";
  }

  /** The parser's token names in words. */
  private static String plain(String text) {
    Matcher token = TOKEN.matcher(text);
    StringBuilder out = new StringBuilder();
    while (token.find()) {
      token.appendReplacement(out, Matcher.quoteReplacement(TOKENS.getOrDefault(token.group(1), token.group(1))));
    }
    return token.appendTail(out).toString().replace("'", "");
  }
}
