package dev.iamguard.policy.awscli;

import dev.iamguard.policy.yaml.YamlTree;
import java.util.ArrayList;
import java.util.List;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.DuplicateKeyException;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.ReaderException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * Reads what the AWS CLI prints: one JSON document, or several one after another, as a paged
 * command ({@code --no-paginate} off, {@code --starting-token}) leaves them when their outputs are
 * written to one file. Each document is read on its own (YAML 1.2 reads JSON) into maps, lists
 * and scalars.
 */
final class AwsJson {
  /** Far above any account's authorization details; SnakeYAML's default (3 MB) is not. */
  private static final int MAX_CODE_POINTS = 512 * 1024 * 1024;

  private AwsJson() {}

  /** One JSON document of a file. */
  record Document(String source, int index, int line, Object value) {
    /** Names the document in messages: the file, and which document when the file has several. */
    String label(int count) {
      return count == 1 ? source : source + " (document " + index + " of " + count + ", line " + line + ")";
    }
  }

  /**
   * The documents of {@code text}, in order.
   *
   * @throws ImportException when the text is not JSON (the problem names the file and line, never
   *     quoting content)
   */
  static List<Document> read(String text, String source) throws ImportException {
    List<int[]> spans = split(text, source);
    List<Document> documents = new ArrayList<>();
    for (int[] span : spans) {
      String json = YamlTree.jsonForYaml(text.substring(span[0], span[1]));
      int line = lineOf(text, span[0]);
      try {
        LoadSettings settings = LoadSettings.builder().setLabel(source).setCodePointLimit(MAX_CODE_POINTS)
            .setAllowDuplicateKeys(false).setBufferSize(YamlTree.bufferSize(json)).build();
        documents.add(new Document(source, documents.size() + 1, line, YamlTree.load(json, settings)));
      } catch (DuplicateKeyException e) {
        throw new ImportException(duplicateKey(e, source, line));
      } catch (MarkedYamlEngineException | ReaderException e) {
        // where in the file, not where in the document (which may start further down, or mid-line after
        // another): the document's line and column were named for every problem in it
        YamlTree.SyntaxError error = YamlTree.syntaxError(e, json, line, columnOf(text, span[0]));
        throw new ImportException(source + ": line " + (error.line() > 0 ? error.line() : line)
            + (error.column() > 0 ? ", column " + error.column() : "") + ": not valid JSON: " + error.detail());
      } catch (YamlEngineException e) {
        throw new ImportException(source + ": line " + line + ": not valid JSON (" + firstLine(e.getMessage()) + ")");
      } catch (YamlTree.SyntaxError e) {
        throw new ImportException(source + ": line " + (line + e.line() - 1) + ": " + e.getMessage());
      }
    }
    if (documents.isEmpty()) {
      throw new ImportException(source + ": empty; expected the JSON the AWS CLI prints");
    }
    return documents;
  }

  /** The start and end of each top-level JSON value; strings and escapes are skipped over. */
  private static List<int[]> split(String text, String source) throws ImportException {
    List<int[]> spans = new ArrayList<>();
    int i = 0;
    int n = text.length();
    while (i < n) {
      char c = text.charAt(i);
      if (Character.isWhitespace(c) || c == '\uFEFF') {
        i++;
        continue;
      }
      if (c != '{' && c != '[') {
        throw new ImportException(source + ": line " + lineOf(text, i) + ": expected a JSON object (the AWS CLI's"
            + " --output json), found text that is not one; its content is not shown");
      }
      int start = i;
      int depth = 0;
      boolean inString = false;
      for (; i < n; i++) {
        char d = text.charAt(i);
        if (inString) {
          if (d == '\\') {
            i++;
          } else if (d == '"') {
            inString = false;
          }
        } else if (d == '"') {
          inString = true;
        } else if (d == '{' || d == '[') {
          depth++;
        } else if (d == '}' || d == ']') {
          if (--depth == 0) {
            i++;
            break;
          }
        }
      }
      if (depth != 0) {
        throw new ImportException(source + ": line " + lineOf(text, start) + ": a JSON document starts here but"
            + " does not end (the file is cut short?)");
      }
      spans.add(new int[] {start, i});
    }
    return spans;
  }

  /** The 1-based column, in code points, of {@code offset} on its line. */
  private static int columnOf(String text, int offset) {
    int start = text.lastIndexOf('\n', offset - 1) + 1;
    return text.codePointCount(start, offset) + 1;
  }

  private static int lineOf(String text, int offset) {
    int line = 1;
    for (int i = 0; i < offset; i++) {
      if (text.charAt(i) == '\n') {
        line++;
      }
    }
    return line;
  }

  /**
   * Where the key is named again and which key it is, as the registry loader says it: the
   * exception's own message names first the line of the enclosing object (the document's first line
   * for a file of one object), which points nowhere near the key. A key is a field name of the AWS
   * CLI's output or of a policy document, never a value, so it is said (shortened, and only its
   * printable characters); values are never quoted.
   */
  private static String duplicateKey(DuplicateKeyException e, String source, int documentLine) {
    int line = documentLine + e.getProblemMark().or(e::getContextMark).map(Mark::getLine).orElse(0);
    String problem = String.valueOf(e.getProblem());
    String prefix = "found duplicate key ";
    String key = problem.startsWith(prefix) ? problem.substring(prefix.length()) : "";
    key = key.codePoints().filter(c -> c >= 0x20 && c != 0x7f && !Character.isISOControl(c))
        .limit(80).collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
    return source + ": line " + line + ": not valid JSON: duplicate key" + (key.isEmpty() ? "" : " \"" + key + "\"")
        + " (each key of a JSON object must be named once; which value counts is not defined)";
  }

  private static String firstLine(String message) {
    String text = String.valueOf(message);
    int end = text.indexOf('\n');
    return end < 0 ? text : text.substring(0, end);
  }
}
