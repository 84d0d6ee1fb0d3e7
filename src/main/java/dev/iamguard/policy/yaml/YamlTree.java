package dev.iamguard.policy.yaml;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.ConstructNode;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.comments.CommentLine;
import org.snakeyaml.engine.v2.common.Anchor;
import org.snakeyaml.engine.v2.composer.Composer;
import org.snakeyaml.engine.v2.constructor.StandardConstructor;
import org.snakeyaml.engine.v2.constructor.core.ConstructYamlCoreBool;
import org.snakeyaml.engine.v2.events.CollectionEndEvent;
import org.snakeyaml.engine.v2.events.CollectionStartEvent;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.ReaderException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.parser.Parser;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.resolver.CoreScalarResolver;
import org.snakeyaml.engine.v2.resolver.JsonScalarResolver;
import org.snakeyaml.engine.v2.resolver.ScalarResolver;
import org.snakeyaml.engine.v2.schema.JsonSchema;
import org.snakeyaml.engine.v2.schema.Schema;
import org.snakeyaml.engine.v2.scanner.StreamReader;

/**
 * Reads YAML 1.2 (and so JSON) into SnakeYAML Engine nodes, which keep their source marks so
 * that every later problem can name its line. Scalars are typed as JSON types them, with YAML 1.2's nulls
 * and booleans ({@code ~}, {@code True}); keys are text.
 */
public final class YamlTree {

  /**
   * A text that is not well-formed YAML/JSON, or well-formed but past a bound set against bombs
   * ({@link #limit()}); {@code line} is 1-based, 0 when unknown.
   */
  public static final class SyntaxError extends Exception {
    private static final long serialVersionUID = 1L;
    private final int line;
    private final int column;
    private final String detail;
    private final boolean limit;

    SyntaxError(int line, String message) {
      this(line, message, false);
    }

    SyntaxError(int line, String message, boolean limit) {
      this(line, 0, message, message, limit);
    }

    private SyntaxError(int line, int column, String message, String detail, boolean limit) {
      super(message);
      this.line = line;
      this.column = column;
      this.detail = detail;
      this.limit = limit;
    }

    /** The 1-based line of the problem, 0 when unknown. */
    public int line() {
      return line;
    }

    /** The 1-based column (in code points) of the problem on {@link #line()}, 0 when unknown. */
    public int column() {
      return column;
    }

    /**
     * What is wrong, without where: for a caller that says where itself, as one reading a document
     * that starts further down a file, whose lines and columns it shifts.
     */
    public String detail() {
      return detail;
    }

    /**
     * Whether the text is well-formed but passes a bound (aliases): its message names the bound,
     * and callers say it as such rather than as a syntax error, which would send the reader
     * looking for a typo.
     */
    public boolean limit() {
      return limit;
    }
  }

  /** Nesting allowed in a registry or policy document: far more than either needs, far less than a stack holds. */
  public static final int MAX_DEPTH = 64;

  /**
   * The largest document read, in code points. The YAML engine's default (3 MB) refuses a registry
   * of about 10,000 roles, which a large organisation has; the limit stays so that a wrong file (a
   * log, a dump) is refused at once rather than read into memory.
   */
  public static final int MAX_CODE_POINTS = 64 * 1024 * 1024;

  private static final ScalarResolver JSON = new JsonScalarResolver();
  private static final ScalarResolver CORE = new CoreScalarResolver(false);

  /**
   * Types scalars as the JSON schema does, except that an unquoted {@code ~}, {@code Null}, {@code NULL} is a
   * null and {@code True}, {@code TRUE}, {@code False}, {@code FALSE} a boolean, as YAML 1.2's core schema reads
   * them: someone writing YAML means those, and as text they made a database user named "~" or a setting
   * refused as "True" (probe 24c F9). The core schema as a whole would also read {@code 012345678901} (an
   * account id) as the number 12345678901 and {@code 0x1F} as 31, so its numbers are not taken; YAML 1.1's
   * {@code yes}, {@code no}, {@code on}, {@code off} are text, as in every YAML 1.2 schema ({@code on} is a key
   * of the registry's grants). JSON has none of these spellings unquoted, so JSON is typed exactly as by the
   * JSON schema.
   */
  private static final ScalarResolver RESOLVER = (value, implicit) -> {
    Tag json = JSON.resolve(value, implicit);
    Tag core = Tag.STR.equals(json) ? CORE.resolve(value, implicit) : json;
    return Tag.NULL.equals(core) || Tag.BOOL.equals(core) ? core : json;
  };

  /** The JSON schema with {@link #RESOLVER}'s nulls and booleans (constructed as booleans whatever their case). */
  private static final class CoreWordsSchema extends JsonSchema {
    private final Map<Tag, ConstructNode> constructors = new HashMap<>(super.getSchemaTagConstructors());

    CoreWordsSchema() {
      constructors.put(Tag.BOOL, new ConstructYamlCoreBool());
    }

    @Override
    public ScalarResolver getScalarResolver() {
      return RESOLVER;
    }

    @Override
    public Map<Tag, ConstructNode> getSchemaTagConstructors() {
      return new HashMap<>(constructors);
    }
  }

  /** {@link #RESOLVER}'s schema, for composing and for {@link #values}. */
  private static final Schema SCHEMA = new CoreWordsSchema();

  /**
   * Composes as the engine does, except that a key stays text where only YAML's core schema would make it a
   * null or a boolean: JSON has string keys only, every key here is a name, and IAM's condition operator
   * {@code Null} is written unquoted as a key ({@code Condition: {Null: {...}}}). A new node, not a retagged
   * one: an alias key ({@code *a}) is the very node its anchor names elsewhere as a value.
   */
  private static final class KeysAsText extends Composer {
    KeysAsText(LoadSettings settings, String text) {
      super(settings, DepthLimited.of(settings, text));
    }

    // the engine gives every node two lists of its comments, empty ones too (330,000 lists for a 3.4 MB
    // registry); nothing here reads comments, so each node keeps the one shared empty list instead
    @Override
    protected Node composeScalarNode(Optional<Anchor> anchor, List<CommentLine> blockComments) {
      return withoutComments(super.composeScalarNode(anchor, blockComments));
    }

    @Override
    protected SequenceNode composeSequenceNode(Optional<Anchor> anchor) {
      return withoutComments(super.composeSequenceNode(anchor));
    }

    @Override
    protected Node composeMappingNode(Optional<Anchor> anchor) {
      return withoutComments(super.composeMappingNode(anchor));
    }

    private static <N extends Node> N withoutComments(N node) {
      node.setBlockComments(List.of());
      node.setInLineComments(List.of());
      node.setEndComments(List.of());
      return node;
    }

    @Override
    protected Node composeKeyNode(MappingNode node) {
      Node key = super.composeKeyNode(node);
      return key instanceof ScalarNode s && yamlReading(key).isPresent()
          ? new ScalarNode(Tag.STR, true, s.getValue(), s.getScalarStyle(), s.getStartMark(), s.getEndMark()) : key;
    }
  }

  private YamlTree() {}

  /**
   * JSON text as the YAML engine reads it the way JSON does: YAML refuses a tab where JSON takes it
   * as white space (pretty-printers indent with tabs), and raw DEL and C1 characters, which JSON
   * allows in strings. A tab between tokens becomes a space, such a character in a string its
   * backslash-u escape (the same string); the text itself when it holds none. Lines are kept.
   */
  public static String jsonForYaml(String json) {
    int first = -1;
    for (int i = 0; i < json.length() && first < 0; i++) {
      char c = json.charAt(i);
      first = c == '\t' || c >= 0x7f && c <= 0x9f ? i : -1;
    }
    if (first < 0) {
      return json;
    }
    StringBuilder out = new StringBuilder(json.length() + 16);
    boolean inString = false;
    for (int i = 0; i < json.length(); i++) {
      char c = json.charAt(i);
      if (inString && c == '\\' && i + 1 < json.length()) {
        out.append(c).append(json.charAt(++i));
        continue;
      }
      if (c == '"') {
        inString = !inString;
      }
      if (inString && (c == '\t' || c >= 0x7f && c <= 0x9f)) {
        out.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
      } else {
        out.append(c == '\t' ? ' ' : c);
      }
    }
    return out.toString();
  }

  /**
   * {@code text} as the YAML engine is to read it: through {@link #jsonForYaml} when it is a JSON object
   * (its first character after white space and a byte order mark is an opening brace), else as it is.
   * README says a JSON registry works; indented with tabs, as {@code jq --tab} and Python's
   * {@code indent='\t'} write it, it was refused as a YAML tab error (red-team review).
   */
  public static String asYaml(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c != '\uFEFF' && !Character.isWhitespace(c)) {
        return c == '{' ? jsonForYaml(text) : text;
      }
    }
    return text;
  }

  /**
   * The reader's buffer for {@code text}: the library copies what remains of its buffer each time it
   * reads on, so a token longer than the buffer costs time quadratic in its length (probe 24c F3: a
   * 20 MB comment line took 153 s with the default 1,024); the text is in memory already, so the
   * buffer holds it whole, up to a million characters.
   */
  public static int bufferSize(String text) {
    return Math.max(1024, Math.min(text.length() + 1, 1 << 20));
  }

  /**
   * Composes one document, its scalars typed as JSON types them with YAML 1.2's nulls and booleans
   * ({@link #RESOLVER}); keys stay text ({@link KeysAsText}).
   *
   * @return the root node, empty for a text without any content (blank or comments only)
   */
  public static Optional<Node> compose(String text, String label) throws SyntaxError {
    // the engine checks its limit only before each token: a text whose last token (a comment, a long
    // scalar) passes it loaded whole (red-team review: 70 M characters with the limit at 64 M)
    if (text.length() > MAX_CODE_POINTS && text.codePointCount(0, text.length()) > MAX_CODE_POINTS) {
      throw tooLarge();
    }
    LoadSettings settings = LoadSettings.builder().setLabel(label).setCodePointLimit(MAX_CODE_POINTS)
        .setBufferSize(bufferSize(text)).setSchema(SCHEMA).setMaxAliasesForCollections(Integer.MAX_VALUE).build();
    try {
      return new KeysAsText(settings, text).getSingleNode();
    } catch (TooDeep e) {
      throw e.error("a registry or an IAM policy needs fewer than 10");
    } catch (AliasBudget.Exceeded e) {
      throw e.error();
    } catch (MarkedYamlEngineException | ReaderException e) {
      throw syntaxError(e, text);
    } catch (YamlEngineException e) {
      if (String.valueOf(e.getMessage()).contains("exceeds the limit")) {
        throw tooLarge();
      }
      throw new SyntaxError(0, e.getMessage());
    }
  }

  /** A document past {@link #MAX_CODE_POINTS}: a bound, said as such, not as a syntax error. */
  private static SyntaxError tooLarge() {
    return new SyntaxError(0, "the document is larger than " + MAX_CODE_POINTS / (1024 * 1024)
        + " M characters, more than any registry or IAM policy needs: is it the right file?", true);
  }

  /**
   * The engine's refusal of {@code text} (a {@link MarkedYamlEngineException} or the reader's refusal of a
   * character), said with its line and column and in words. The reader's own message, "special characters are
   * not allowed", named neither the line nor the character: a registry or policy file with a stray control
   * character (a NUL, an escape code pasted from a terminal) was reported without a line, and an AWS CLI
   * file at its first line, whichever line held it.
   *
   * @param e a {@link MarkedYamlEngineException} or {@link ReaderException}; another kind is said as is
   */
  public static SyntaxError syntaxError(YamlEngineException e, String text) {
    return syntaxError(e, text, 1, 1);
  }

  /**
   * {@link #syntaxError(YamlEngineException, String)} for a {@code text} that starts at line {@code firstLine},
   * column {@code firstColumn} (1-based) of its file, as a later document of an AWS CLI file: every line and
   * column said, in the error and its words, is the file's.
   */
  public static SyntaxError syntaxError(YamlEngineException e, String text, int firstLine, int firstColumn) {
    if (e instanceof MarkedYamlEngineException marked) {
      Optional<Mark> mark = marked.getProblemMark().or(marked::getContextMark);
      if (mark.isEmpty()) {
        return new SyntaxError(0, YamlSyntax.explain(marked));
      }
      int line = firstLine + mark.get().getLine();
      int column = mark.get().getLine() == 0 ? firstColumn + mark.get().getColumn() : mark.get().getColumn() + 1;
      String detail = YamlSyntax.detail(marked, firstLine, firstColumn);
      return new SyntaxError(line, column, "at line " + line + ", column " + column + ": " + detail, detail, false);
    }
    if (e instanceof ReaderException) {
      // the first character the engine's reader refuses is the one it stopped at: it reads from the start
      int line = firstLine;
      int column = firstColumn;
      for (int i = 0; i < text.length(); ) {
        int c = text.codePointAt(i);
        if (!StreamReader.isPrintable(c)) {
          String detail = String.format(java.util.Locale.ROOT, "the character U+%04X (%s) cannot stand in YAML or"
              + " JSON text, not even in quotes: remove it, or write it as the escape \\u%04X inside double quotes",
              c, Character.isISOControl(c) ? "a control character" : "not a character", c);
          return new SyntaxError(line, column,
              String.format(java.util.Locale.ROOT, "at line %d, column %d: %s", line, column, detail), detail, false);
        }
        i += Character.charCount(c);
        boolean lineBreak = c == '\n' || c == '\r' && (i >= text.length() || text.charAt(i) != '\n');
        line += lineBreak ? 1 : 0;
        column = lineBreak ? 1 : column + 1;
      }
    }
    return new SyntaxError(0, String.valueOf(e.getMessage()));
  }

  /**
   * The composer builds nodes recursively and the readers walk them recursively, so thousands of
   * nested lists or mappings would overflow the stack (a StackOverflowError at connect, or in the
   * application after a reload). The composer takes its events from this parser, which refuses the
   * first that nests too deep, so the composer never recurses further. (A first pass over the events
   * measured the depth before composing: it parsed every document twice, a third of reading a large
   * registry.) It also holds aliases to {@link AliasBudget}'s bounds, in place of the engine's 50. The events it hands on carry lean marks ({@link LeanEvents}), so the nodes keep no text.
   */
  private static final class DepthLimited implements Parser {
    private final Parser events;
    private final AliasBudget aliases = new AliasBudget();
    private int depth;

    DepthLimited(Parser events) {
      this.events = events;
    }

    /** The events of {@code text}, read as {@code settings} say. */
    static DepthLimited of(LoadSettings settings, String text) {
      return new DepthLimited(new ParserImpl(settings,
          new StreamReader(settings, dev.iamguard.sql.ShortReadReader.of(text))));
    }

    @Override
    public boolean checkEvent(Event.ID choice) {
      return events.checkEvent(choice);
    }

    @Override
    public Event peekEvent() {
      return events.peekEvent();
    }

    @Override
    public boolean hasNext() {
      return events.hasNext();
    }

    @Override
    public Event next() {
      Event event = events.next();
      aliases.see(event);
      if (event instanceof CollectionStartEvent) {
        if (++depth > MAX_DEPTH) {
          throw new TooDeep(event.getStartMark().map(m -> m.getLine() + 1).orElse(0));
        }
      } else if (event instanceof CollectionEndEvent) {
        depth--;
      }
      return LeanEvents.of(event);
    }
  }

  /** Thrown through the composer by {@link DepthLimited}, at the 1-based {@code line} where the nesting goes too deep. */
  private static final class TooDeep extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int line;

    TooDeep(int line) {
      super(null, null, false, false);
      this.line = line;
    }

    SyntaxError error(String usually) {
      return new SyntaxError(line, "lists and mappings nest more than " + MAX_DEPTH + " levels deep; " + usually);
    }
  }

  /**
   * The Java values of the one document of {@code text}, typed by {@code settings}' schema as the
   * engine's own loader types them (for readers that keep that typing, such as the AWS CLI's JSON),
   * lists and mappings nesting deeper than {@link #MAX_DEPTH} refused as {@link #compose} refuses
   * them: the engine's loader composes and constructs recursively, and a file of 100,000 nested
   * lists overflowed the stack. Other problems are the engine's exceptions.
   */
  public static Object load(String text, LoadSettings settings) throws SyntaxError {
    try {
      Optional<Node> root = new Composer(settings, DepthLimited.of(settings, text)).getSingleNode();
      return new StandardConstructor(settings).constructSingleDocument(root);
    } catch (TooDeep e) {
      throw e.error("far more than any file iamguard reads needs");
    } catch (AliasBudget.Exceeded e) {
      throw e.error();
    }
  }

  /**
   * The Java values (maps, lists, strings, numbers, booleans and nulls) of a node {@link #compose} gave, typed as
   * its nodes are: an unquoted {@code TRUE} is the boolean, {@code 012345678901} the text, a key its text.
   */
  public static Object values(Node root) {
    return new StandardConstructor(LoadSettings.builder().setSchema(SCHEMA).build())
        .constructSingleDocument(Optional.of(root));
  }

  /** The 1-based line where the node starts, 0 when the node carries no mark. */
  public static int line(Node node) {
    return node.getStartMark().map(m -> m.getLine() + 1).orElse(0);
  }

  /** Whether a node is a null: {@code null}, nothing, or (in YAML) {@code ~}, {@code Null}, {@code NULL} unquoted. */
  public static boolean isNull(Node node) {
    return node instanceof ScalarNode && Tag.NULL.equals(node.getTag());
  }

  /**
   * The boolean a scalar is: {@code true} or {@code false}, and in YAML also {@code True}, {@code TRUE},
   * {@code False}, {@code FALSE} unquoted; empty for anything else (quoted, they are text).
   */
  public static Optional<Boolean> bool(Node node) {
    if (node instanceof ScalarNode scalar && Tag.BOOL.equals(node.getTag())
        && CoreScalarResolver.BOOL.matcher(scalar.getValue()).matches()) {
      return Optional.of(scalar.getValue().equalsIgnoreCase("true"));
    }
    return Optional.empty();
  }

  /**
   * What YAML reads a scalar as where JSON would read its text as text: {@code YAML's null} for {@code ~},
   * {@code Null}, {@code NULL} and {@code YAML's boolean true} for {@code True} or {@code TRUE} ({@code false}
   * alike), unquoted; empty for every other node, JSON's {@code null}, {@code true} and {@code false} included.
   * A reader that takes JSON's {@code true} as the text "true" (an account id written as a number is its digits
   * alike) refuses these rather than take them as the text the file shows.
   */
  public static Optional<String> yamlReading(Node node) {
    boolean isNull = Tag.NULL.equals(node.getTag());
    if (!(node instanceof ScalarNode scalar) || !isNull && !Tag.BOOL.equals(node.getTag())
        || !Tag.STR.equals(JSON.resolve(scalar.getValue(), true))) {
      return Optional.empty();
    }
    return Optional.of(isNull ? "YAML's null"
        : bool(node).map(b -> "YAML's boolean " + b).orElse("a boolean (by its tag)"));
  }

  /** What a node is, in the words of a "expected a list, got a string" message. */
  public static String describe(Node node) {
    if (node instanceof MappingNode) {
      return "a mapping";
    }
    if (node instanceof SequenceNode) {
      return "a list";
    }
    Tag tag = node.getTag();
    if (Tag.NULL.equals(tag)) {
      return "no value";
    }
    if (Tag.INT.equals(tag) || Tag.FLOAT.equals(tag)) {
      return "a number";
    }
    if (Tag.BOOL.equals(tag)) {
      return "a boolean";
    }
    return "a string";
  }
}
