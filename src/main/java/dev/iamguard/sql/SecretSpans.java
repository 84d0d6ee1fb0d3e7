package dev.iamguard.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Finds where secret values are written in SQL text: the literals after {@code ACCESS_KEY_ID},
 * {@code SECRET_ACCESS_KEY}, {@code SESSION_TOKEN}, {@code MASTER_SYMMETRIC_KEY} and
 * {@code PASSWORD}, and the values inside a {@code CREDENTIALS} string other than
 * {@code aws_iam_role}, and the {@code PARAMETERS} of an identity provider that hold a
 * {@code client_secret}. Role ARNs are not secrets and are left alone.
 *
 * <p>A value is masked whole whatever literal form holds it: {@code E'..'}, {@code N'..'},
 * {@code U&'..'}, bit strings, dollar quotes with any tag, literals continued across lines (the
 * span runs from the first part to the last). It errs towards masking too much: an unterminated
 * literal after such a word is a secret to the end of the text, literals whose text mentions a
 * secret keyword (dynamic SQL, also spelled across {@code ||} parts) are masked whole, and a
 * dollar-quoted body is searched like top-level SQL. A literal after a name that looks like a secret
 * keyword misspelt or decorated ({@code secret_acess_key}, {@code aws_session_token}, see
 * {@link SecretKeywordLookalike}) is masked too: Redshift refuses the statement, but its author
 * meant the literal as the secret.
 */
public final class SecretSpans {
  /** The OAuth secret of CREATE/ALTER IDENTITY PROVIDER ... PARAMETERS '{..}' (a JSON key, never SQL). */
  private static final String CLIENT_SECRET = "client_secret";

  /** The words of clauses that carry a secret value, lower case ({@code token=} of a CREDENTIALS string). */
  private static final String[] SECRET_CLAUSE_WORDS = {
      "access_key_id", "secret_access_key", "session_token", "master_symmetric_key", "password", "token=",
      SecretSpans.CLIENT_SECRET};

  private static final String[] CLAUSE_WORDS = {
      "FROM", "WHERE", "AS", "AND", "OR", "IS", "NOT", "IN", "ON", "INTO", "GROUP", "ORDER", "LIMIT", "UNION"};

  private SecretSpans() {}

  /** The spans of secret values in {@code sql}, in order; empty when there are none. */
  public static List<Span> find(String sql) {
    String spaced = spacedBlanks(sql);
    if (spaced == sql) {
      return mayHoldSecret(sql) ? scanAll(sql) : new ArrayList<>(0);
    }
    List<Span> all = new ArrayList<>(0);
    if (mayHoldSecret(sql)) {
      all.addAll(scanAll(sql));
    }
    if (mayHoldSecret(spaced)) {
      all.addAll(scanAll(spaced)); // same offsets: each blank is one char for one char
    }
    return all.size() < 2 ? all : merged(all);
  }

  /**
   * {@code sql} with every blank that is no ASCII space (no-break and other Unicode spaces, line and
   * paragraph separators, zero-width spaces and joiners, the BOM) written as one ASCII space; the same
   * instance when it holds none. The server reads such a character as part of a name, so
   * {@code "secret_access_key" ;'x'} or {@code password = 'x'} with no-break spaces (U+00A0) put a name between
   * the keyword and its value and the scan saw no value (the values were printed); their author
   * meant a space. {@link #find} reads the text both ways and masks what either reading finds.
   */
  static String spacedBlanks(String sql) {
    char[] spaced = null;
    for (int i = 0; i < sql.length(); i++) {
      char c = sql.charAt(i);
      if (isUnicodeBlank(c)) {
        if (spaced == null) {
          spaced = sql.toCharArray();
        }
        spaced[i] = ' ';
      }
    }
    return spaced == null ? sql : new String(spaced);
  }

  /**
   * A blank that is no ASCII space, which {@link #find} reads as a space as well: a no-break or other
   * Unicode space, a line or paragraph separator, a zero-width space or joiner, the BOM.
   */
  public static boolean isUnicodeBlank(char c) {
    return c > 127 && isBlank(c);
  }

  private static boolean isBlank(char c) {
    return Character.isWhitespace(c) || Character.isSpaceChar(c) || c == '\u200b' || c == '\u200c' || c == '\u200d'
        || c == '\u2060' || c == '\ufeff' || c == '\u180e';
  }

  private static List<Span> scanAll(String sql) {
    List<Span> spans = new ArrayList<>(0);
    Tokens t = Lexer.tokenize(sql);
    scan(t, spans, 0);
    if (t.psqlForms) {
      psqlVariables(sql, spans);
      return psqlReading(sql, t, spans);
    }
    return spans.size() < 2 ? spans : merged(spans); // a span may lie in another (a key in a literal masked whole)
  }

  /**
   * The values of psql's {@code \set NAME value} and {@code \setenv NAME value} lines that hold a
   * secret: the name is a secret's ({@code PGPASSWORD}, {@code AWS_SECRET_ACCESS_KEY}), or the
   * variable is put in right after a secret keyword ({@code password :p}, {@code secret_access_key
   * :'k'}), where psql sends its value.
   */
  private static void psqlVariables(String sql, List<Span> spans) {
    java.util.Set<String> afterSecrets = null; // found once, when a name needs it: one pass over the text
    for (int line = 0; line < sql.length(); line = PsqlForms.lineEnd(sql, line) + 1) {
      int at = line;
      while (at < sql.length() && (sql.charAt(at) == ' ' || sql.charAt(at) == '\t')) {
        at++;
      }
      int command = sql.startsWith("\\setenv", at) && at + 8 < sql.length() && Character.isWhitespace(sql.charAt(at + 7)) ? 8
          : sql.startsWith("\\set", at) && at + 5 < sql.length() && Character.isWhitespace(sql.charAt(at + 4)) ? 5 : 0;
      if (command == 0) {
        continue;
      }
      int end = PsqlForms.lineEnd(sql, at);
      int name = at + command;
      while (name < end && (sql.charAt(name) == ' ' || sql.charAt(name) == '\t')) {
        name++;
      }
      int nameEnd = name;
      while (nameEnd < end && !Character.isWhitespace(sql.charAt(nameEnd))) {
        nameEnd++;
      }
      int value = nameEnd;
      while (value < end && Character.isWhitespace(sql.charAt(value))) {
        value++;
      }
      int valueEnd = end > value && sql.charAt(end - 1) == '\r' ? end - 1 : end;
      if (valueEnd <= value || nameEnd <= name) {
        continue;
      }
      boolean secret = secretName(sql, name, nameEnd);
      if (!secret) {
        afterSecrets = afterSecrets == null ? variablesAfterSecretKeywords(sql) : afterSecrets;
        secret = afterSecrets.contains(sql.substring(name, nameEnd));
      }
      if (secret) {
        spans.add(new Span(value, valueEnd));
      }
    }
  }

  private static boolean secretName(String sql, int from, int to) {
    String lower = sql.substring(from, to).toLowerCase(Locale.ROOT);
    return lower.contains("pass") || lower.contains("pwd") || lower.contains("secret") || lower.contains("token")
        || SecretKeywordLookalike.likeness(sql, from, to) != SecretKeywordLookalike.UNLIKE;
  }

  /**
   * The psql variables put in after a secret keyword ({@code password :p}, {@code secret_access_key
   * :'k'}, an {@code =} or AS between), in one pass over the text: each {@code :} is read once, and
   * the word before it found over the gap that separates it from the {@code :} before (a search per
   * {@code \set} line made a script of many quadratic).
   */
  private static java.util.Set<String> variablesAfterSecretKeywords(String sql) {
    java.util.Set<String> names = new java.util.HashSet<>();
    int n = sql.length();
    for (int at = sql.indexOf(':'); at >= 0; at = sql.indexOf(':', at + 1)) {
      int from = at + 1;
      char quote = from < n ? sql.charAt(from) : 0;
      boolean quoted = quote == '\'' || quote == '"';
      if (quoted) {
        from++;
      }
      int to = from;
      while (to < n && (Character.isLetterOrDigit(sql.charAt(to)) || sql.charAt(to) == '_')) {
        to++;
      }
      if (to == from || quoted && (to >= n || sql.charAt(to) != quote)) {
        continue;
      }
      int before = at;
      while (before > 0 && (Character.isWhitespace(sql.charAt(before - 1)) || sql.charAt(before - 1) == '=')) {
        before--;
      }
      if (before >= 2 && sql.regionMatches(true, before - 2, "AS", 0, 2)) {
        before -= 2;
        while (before > 0 && Character.isWhitespace(sql.charAt(before - 1))) {
          before--;
        }
      }
      int word = before;
      while (word > 0 && word > before - MAX_KEYWORD && (Character.isLetterOrDigit(sql.charAt(word - 1))
          || sql.charAt(word - 1) == '_')) {
        word--;
      }
      if (word < before && (secretName(sql, word, before)
          || mentionsAny(sql.substring(word, before).toLowerCase(Locale.ROOT), SECRET_CLAUSE_WORDS))) {
        names.add(sql.substring(from, to));
      }
    }
    return names;
  }

  /** The longest word read back as a secret keyword before a psql variable. */
  private static final int MAX_KEYWORD = 64;

  /** Rounds of meta-command lines blanked before the rest of the text is masked whole. */
  private static final int PSQL_ROUNDS = 16;

  /**
   * {@code spans} with those of the text as psql sends it: a meta-command's line is its argument to
   * psql, so a quote on it that opens a literal in the server's reading hides nothing from psql,
   * and a secret keyword's value read there as a name (or a keyword read as a literal) is still a
   * secret. Each round blanks the meta-command lines the reading before it shows (offsets kept) and
   * scans again; what a chain of more rounds would show is masked whole, from its first backslash.
   */
  private static List<Span> psqlReading(String sql, Tokens t, List<Span> spans) {
    List<Span> all = new ArrayList<>(spans);
    String text = sql;
    Tokens tokens = t;
    for (int round = 0; round < PSQL_ROUNDS; round++) {
      String blanked = PsqlForms.blankMetaCommandLines(text, tokens);
      if (blanked.equals(text)) {
        return merged(all);
      }
      text = blanked;
      tokens = Lexer.tokenize(text);
      scan(tokens, all, 0);
    }
    int rest = text.indexOf('\\');
    if (rest >= 0) {
      all.add(new Span(rest, sql.length()));
    }
    return merged(all);
  }

  /** {@code spans} in order, overlapping ones joined: {@link #mask} masks each whole. */
  private static List<Span> merged(List<Span> spans) {
    List<Span> sorted = new ArrayList<>(spans);
    sorted.sort(java.util.Comparator.comparingInt(Span::start).thenComparingInt(Span::end));
    List<Span> out = new ArrayList<>(sorted.size());
    for (Span span : sorted) {
      Span last = out.isEmpty() ? null : out.get(out.size() - 1);
      if (last != null && (span.start() < last.end() || span.equals(last))) {
        out.set(out.size() - 1, new Span(last.start(), Math.max(last.end(), span.end())));
      } else {
        out.add(span);
      }
    }
    return out;
  }

  /**
   * True when {@code sql} may hold a secret value, written in it or bound to a parameter in a
   * secret's place ({@code PASSWORD ?}): what a driver prints of a prepared statement (H2:
   * {@code ... PASSWORD ? {1: 'value'}}) then may quote one. False is certain; true may be wrong.
   */
  public static boolean mayHoldSecretValue(String sql) {
    return sql != null && mayHoldSecret(sql);
  }

  /**
   * The secret keyword statement {@code source[start, end)} ends with, when its value is left to the
   * next statement ({@code copy ... secret_access_key\n;\n'x';}: a database may quote that one alone,
   * and a report prints it on its own): the text from the keyword to the end, else null. Only the end
   * is read, a few characters for a statement without one: the keyword (a lookalike too, quoted or
   * not), then nothing but spaces, {@code =}, {@code :=}, {@code =>}, {@code (} or {@code AS}.
   */
  public static String keywordAwaitingValue(String source, int start, int end) {
    int at = end;
    for (int word = 0; word < 2; word++) { // the keyword, or AS and the keyword before it
      while (at > start && isGapBeforeValue(source.charAt(at - 1))) {
        at--;
      }
      int wordEnd = at;
      while (at > start && (Character.isLetterOrDigit(source.charAt(at - 1)) || source.charAt(at - 1) == '_')) {
        at--;
      }
      if (at == wordEnd) {
        return null;
      }
      if (word == 0 && wordEnd - at == 2 && source.regionMatches(true, at, "AS", 0, 2)) {
        continue;
      }
      return isSecretWord(source, at, wordEnd) ? source.substring(at, end) : null;
    }
    return null;
  }

  /** {@link #keywordAwaitingValue(String, int, int)} of {@code statement} as written. */
  public static String keywordAwaitingValue(SqlStatement statement) {
    return keywordAwaitingValue(statement.source(), statement.start(), statement.end());
  }

  /** What may stand between a keyword and its value at a statement's end, a quoted keyword's quotes included. */
  private static boolean isGapBeforeValue(char c) {
    return Character.isWhitespace(c) || Character.isSpaceChar(c) || c == '\u200b' || c == '\ufeff'
        || c == '=' || c == ':' || c == '>' || c == '(' || c == '"';
  }

  /** A secret keyword, a CREDENTIALS key or a lookalike of one ({@link SecretKeywordLookalike}), in any case. */
  private static boolean isSecretWord(String source, int from, int to) {
    return isKeywordOrKey(source, from, to)
        || SecretKeywordLookalike.likeness(source, from, to) != SecretKeywordLookalike.UNLIKE;
  }

  /** {@code source[from, to)} is a secret keyword or a CREDENTIALS key, in any case. */
  private static boolean isKeywordOrKey(String source, int from, int to) {
    for (String keyword : SECRET_KEYWORDS) {
      if (to - from == keyword.length() && source.regionMatches(true, from, keyword, 0, keyword.length())) {
        return true;
      }
    }
    for (String key : CREDENTIALS_KEYS) {
      if (to - from == key.length() && source.regionMatches(true, from, key, 0, key.length())) {
        return true;
      }
    }
    return false;
  }

  /**
   * {@link #find} for statement {@code sql} that follows one ending with {@code carried} (see
   * {@link #keywordAwaitingValue}): the value a semicolon split from its keyword is found as it is in
   * the whole text; null {@code carried} is {@link #find}.
   */
  public static List<Span> findAfter(String carried, String sql) {
    if (carried == null) {
      return find(sql);
    }
    String prefix = carriedPrefix(carried);
    List<Span> spans = new ArrayList<>(0);
    for (Span span : find(prefix + sql)) {
      if (span.end() > prefix.length()) {
        spans.add(new Span(Math.max(0, span.start() - prefix.length()), span.end() - prefix.length()));
      }
    }
    return spans;
  }

  /**
   * {@link #mask} for statement {@code sql} that follows one ending with {@code carried} (see
   * {@link #findAfter}); should the keyword's own text change (it never holds a value), the
   * statement is masked whole.
   */
  public static String maskAfter(String carried, String sql, String mask) {
    if (carried == null) {
      return mask(sql, mask);
    }
    String prefix = carriedPrefix(carried);
    String masked = mask(prefix + sql, mask);
    return masked.startsWith(prefix) ? masked.substring(prefix.length()) : mask;
  }

  /** The keyword and the semicolon that ended its statement, read before the next one as in the whole text. */
  private static String carriedPrefix(String carried) {
    return carried + "\n;\n";
  }

  /** The spans {@link #find} gives without the text filter that lets most texts skip the scan (for tests). */
  static List<Span> findScanningAll(String sql) {
    return scanAll(sql);
  }

  /**
   * Replaces every secret value in {@code sql} with {@code mask}, and the user info of every
   * location and every run with a key's shape, wherever they stand (a literal, a comment, a psql
   * {@code \c} line, a statement read apart from the line that opened its literal).
   */
  public static String mask(String sql, String mask) {
    return BareCredentials.maskedShapes(BareCredentials.maskedUserInfo(masked(sql, mask)));
  }

  private static String masked(String sql, String mask) {
    List<Span> spans = find(sql);
    if (spans.isEmpty()) {
      return sql;
    }
    StringBuilder out = new StringBuilder(sql.length());
    int from = 0;
    for (Span span : spans) {
      if (span.start() < from) {
        continue;
      }
      out.append(sql, from, span.start()).append(mask);
      from = span.end();
    }
    return out.append(sql, from, sql.length()).toString();
  }

  /**
   * A text without a secret clause or a CREDENTIALS string holds no secret: it need not be scanned.
   * A literal's value may spell a clause its text does not, and a single-quoted procedure body or
   * EXECUTE text is read by that value: through an escape ({@code \x73ecret_access_key}), across
   * the parts of a literal continued on the next line, or of literals joined by {@code ||}. A text
   * with a backslash, a line end after a quote, or {@code ||} is therefore always scanned.
   */
  private static boolean mayHoldSecret(String sql) {
    String lower = sql.toLowerCase(Locale.ROOT);
    return mentionsAny(lower, SECRET_CLAUSE_WORDS) || lower.contains("credentials") || mayJoinWords(sql)
        || SecretKeywordLookalike.standsBeforeLiteral(sql) || BareCredentials.mayHoldOne(sql)
        || BareCredentials.mayHoldUserInfo(sql) || sql.contains("\\set") // psqlVariables
        || namedValueInLiteral(sql);
  }

  /**
   * Whether a literal may hold a secret's {@code name=value} or {@code name:value}, which the scan
   * masks where a resource is named ({@code secret_arn 'passwd=x'}: {@link #bareLiteral}; a random
   * run found it skipped, as the filter knew lookalike names only before a literal). Each stretch
   * between single quotes is read as a literal's value would be (escapes and continued literals are
   * let through by {@link #mayJoinWords}); a text with a {@code $} may hold a dollar-quoted one.
   */
  private static boolean namedValueInLiteral(String sql) {
    if (sql.indexOf('=') < 0 && sql.indexOf(':') < 0) {
      return false;
    }
    if (sql.indexOf('$') >= 0) {
      return true;
    }
    for (int quote = sql.indexOf('\''); quote >= 0; ) {
      int next = sql.indexOf('\'', quote + 1);
      if (!RoleTextSecrets.spans(sql.substring(quote + 1, next < 0 ? sql.length() : next), 0).isEmpty()) {
        return true;
      }
      quote = next;
    }
    return false;
  }

  /** True when a literal value in {@code sql} may hold a word its text does not spell (see {@link #mayHoldSecret}). */
  private static boolean mayJoinWords(String sql) {
    int quote = sql.indexOf('\'');
    return sql.indexOf('\\') >= 0 || sql.contains("||")
        || quote >= 0 && (sql.indexOf('\n', quote) >= 0 || sql.indexOf('\r', quote) >= 0);
  }

  private static boolean mentionsAny(String lower, String[] words) {
    for (String word : words) {
      if (lower.contains(word)) {
        return true;
      }
    }
    return false;
  }

  private static void scan(Tokens t, List<Span> spans, int depth) {
    scan(t, 0, t.source().length(), spans, depth);
  }

  /**
   * Scans the tokens {@code t} read from {@code from} to {@code to}; comments between them, quoted
   * identifiers and unterminated comments are searched like top-level SQL as well: a statement
   * commented out, or swallowed by a stray {@code "} or {@code /*}, still holds its author's keys.
   */
  private static void scan(Tokens t, int from, int to, List<Span> spans, int depth) {
    int gap = from;
    boolean assumeRole = false;
    int named = -1; // the last literal standing where a role, function, region or database belongs
    List<Integer> awaiting = new ArrayList<>(0); // literals whose text ends with a secret keyword
    for (int i = 0; i < t.count(); i++) {
      TokenKind kind = t.kind(i);
      comments(t.source(), gap, t.start(i), spans, depth);
      gap = t.end(i);
      assumeRole = !t.is(i, TokenKind.SEMICOLON) && (assumeRole || t.isWord(i, "ASSUMEROLE"));
      boolean naming = namesResource(t, i, assumeRole, named);
      int lookalike;
      int declared;
      int placeholder;
      int bare = naming && (kind == TokenKind.WORD || kind == TokenKind.NUMBER || kind == TokenKind.QUOTED_IDENTIFIER)
          ? bareWords(t, i, spans) : -1;
      if (bare >= i) {
        i = bare;
        gap = t.end(i);
        continue;
      }
      if (naming && (kind.isLiteral() || kind == TokenKind.UNTERMINATED_STRING)) {
        named = i;
        userInfo(t, i, spans);
        int before = spans.size();
        i = literalRun(t, i, spans, depth, awaiting);
        if (spans.size() == before) {
          bareLiteral(t, named, spans);
        }
        named = i;
      } else if (kind == TokenKind.WORD && (declared = declaredValue(t, i)) > i) {
        valueSpan(t, declared, false, spans);
        i = valueTail(t, declared, spans);
      } else if (kind == TokenKind.WORD && isSecretKeyword(t, i) || kind == TokenKind.QUOTED_IDENTIFIER && isQuotedSecretKeyword(t, i)) {
        int value = i + 1;
        if (t.isWord(value, "AS") || t.is(value, TokenKind.OPERATOR) && t.text(value).equals("=")) {
          value++;
        }
        value = unicodeEscapeLiteral(t, punctuationBefore(t, value));
        if (value < t.count() && (t.kind(value).isLiteral() || t.kind(value).isUnterminated()
            || t.kind(value) == TokenKind.BIT_STRING || isBarePassword(t, i, value) || isBareKeyValue(t, i, value)
            || isQuotedCredentials(t, i, value))) {
          valueSpan(t, value, t.isWord(i, AuthWords.CREDENTIALS), spans);
          i = valueTail(t, value, spans);
        } else if (value < t.count() && t.is(value, TokenKind.PARAMETER)) {
          // a parameter where the value belongs, then the value written after all ({@code
          // SECRET_ACCESS_KEY ? 'x'}, {@code $1 'x'}): the literal was printed whole in the audit line
          i = valueTail(t, value, spans);
        } else if ((placeholder = placeholderEnd(t, value)) >= value) {
          // a template's placeholder left where the value belongs ({@code :key}, {@code ${x}},
          // {@code {{ x }}}, {@code %(x)s}), then the value written after all
          i = valueTail(t, placeholder, spans);
        }
      } else if ((kind == TokenKind.WORD || kind == TokenKind.QUOTED_IDENTIFIER) && (lookalike = lookalikeValue(t, i)) > i) {
        valueSpan(t, lookalike, false, spans);
        i = valueTail(t, lookalike, spans);
      } else if (kind == TokenKind.WORD && isUnquotedCredentialsKey(t, i)) {
        int value = i + 2;
        int last = value;
        // the value runs on while no space or semicolon stands between its tokens (a key holds '/' and '+')
        while (last + 1 < t.count() && t.start(last + 1) == t.end(last) && !t.is(last + 1, TokenKind.SEMICOLON)) {
          last++;
        }
        spans.add(new Span(t.start(value), t.end(last)));
        i = last;
      } else if (kind.isLiteral() || kind == TokenKind.UNTERMINATED_STRING) {
        userInfo(t, i, spans);
        if (kind != TokenKind.DOLLAR_STRING) {
          bareLiteral(t, i, spans, false); // a key's shape wherever it stands (sk varchar := 'AKIA...')
        }
        i = literalRun(t, i, spans, depth, awaiting);
      } else if (kind == TokenKind.UNTERMINATED_DOLLAR_STRING) {
        dollarBody(t, i, spans, depth);
      } else if (kind == TokenKind.QUOTED_IDENTIFIER || kind == TokenKind.UNTERMINATED_IDENTIFIER) {
        int quote = t.source().indexOf('"', t.start(i));
        hidden(t.source(), quote + 1, kind == TokenKind.QUOTED_IDENTIFIER ? t.end(i) - 1 : t.end(i), spans, depth);
      } else if (kind == TokenKind.UNTERMINATED_COMMENT) {
        hidden(t.source(), t.start(i) + 2, t.end(i), spans, depth);
      }
      gap = Math.max(gap, t.end(Math.min(i, t.count() - 1)));
    }
    comments(t.source(), gap, to, spans, depth);
    if (!awaiting.isEmpty()) {
      dynamicValues(t, awaiting, depth, spans);
    }
  }

  /**
   * Dynamic SQL whose text ends with a secret keyword ({@code EXECUTE 'ALTER USER bob PASSWORD ' ||
   * quote_literal('x')}): the value is built from something else, a call, a cast, {@code CHR(39)}, a
   * variable assigned elsewhere ({@code pw := 'x'}, {@code SELECT INTO}, a DECLARE), so which literal
   * holds it cannot be told. Every literal and number of the statement is masked (fail closed), or of
   * the whole body when the text is read from a procedure body or another nested text, where a
   * variable set by one statement is used by the next. A top-level statement ends at its semicolon.
   */
  private static void dynamicValues(Tokens t, List<Integer> awaiting, int depth, List<Span> spans) {
    int done = -1;
    for (int at : awaiting) {
      if (at < done) {
        continue; // the statement holding it is masked already
      }
      int from = at;
      int to = at;
      if (depth == 0) {
        while (from > 0 && !t.is(from - 1, TokenKind.SEMICOLON)) {
          from--;
        }
        while (to < t.count() && !t.is(to, TokenKind.SEMICOLON)) {
          to++;
        }
      } else {
        from = 0;
        to = t.count();
      }
      for (int k = from; k < to; k++) {
        TokenKind kind = t.kind(k);
        if (kind.isLiteral() || kind.isUnterminated() && kind != TokenKind.UNTERMINATED_COMMENT
            && kind != TokenKind.UNTERMINATED_IDENTIFIER || kind == TokenKind.BIT_STRING || kind == TokenKind.NUMBER) {
          spans.add(inner(t, k));
        }
      }
      done = to;
    }
  }

  /** Words after which a value names a role, a function, a region or a database (never a secret: see {@link BareCredentials}). */
  private static final String[] NAMING_WORDS = {AuthWords.IAM_ROLE, AuthWords.CATALOG_ROLE, "LAMBDA", "SAGEMAKER",
      "REGION", "DATABASE", "CATALOG_ID", "SECRET_ARN", "ARN", "FROM"};

  /**
   * Whether token {@code i} stands where a role, function, region or database is named: after a
   * word of {@link #NAMING_WORDS} (an {@code AS} or {@code =} between), in the role list of GRANT or
   * REVOKE ASSUMEROLE, or as the next part of such a literal continued ({@code 'a' 'b'}).
   */
  private static boolean namesResource(Tokens t, int i, boolean assumeRole, int named) {
    int before = i - 1;
    if (before >= 0 && before == named) {
      return true;
    }
    if (t.is(before, TokenKind.OPERATOR) && t.text(before).equals("&") && unicodeEscapeLiteral(t, before - 1) == i) {
      before -= 2; // U&'...'
    }
    if (t.isWord(before, "AS") || t.is(before, TokenKind.OPERATOR) && t.text(before).equals("=")) {
      before--;
    }
    if (before < 0) {
      return false;
    }
    for (String word : NAMING_WORDS) {
      if (t.isWord(before, word)) {
        return true;
      }
    }
    return assumeRole && (t.isWord(before, "ON") || t.is(before, TokenKind.COMMA));
  }

  /**
   * Masks the user info of every location literal {@code i} holds ({@code 'https://user:password@host/'},
   * an UNLOAD to {@code 's3://KEY:SECRET@bucket/'}): a credential wherever it stands.
   */
  private static void userInfo(Tokens t, int i, List<Span> spans) {
    Span inner = inner(t, i);
    String source = t.source();
    int[] nextAt = {-2}; // the literal is searched for '@' once, whatever number of locations it holds
    for (int scheme = BoundedSearch.indexOf(source, "://", inner.start(), inner.end()); scheme >= 0;
        scheme = BoundedSearch.indexOf(source, "://", scheme + 3, inner.end())) {
      spans.addAll(BareCredentials.userInfo(source, scheme + 3, inner.end(), nextAt));
    }
  }

  /** Masks the pieces of literal {@code i} that look like credentials: each piece of a plain literal, else the value whole. */
  private static void bareLiteral(Tokens t, int i, List<Span> spans) {
    bareLiteral(t, i, spans, true);
  }

  /**
   * {@code named}: also the values of a secret's {@code name=value} or JSON {@code "Name":"value"}
   * (where a role, function, region or database is named; elsewhere only the shapes, which the text
   * filter {@link #mayHoldSecret} also looks for).
   */
  private static void bareLiteral(Tokens t, int i, List<Span> spans, boolean namedValues) {
    String value = t.literalValue(i);
    List<Span> found = BareCredentials.find(value, 0);
    List<Span> named = namedValues ? RoleTextSecrets.spans(value, 0) : List.of();
    if (!named.isEmpty()) {
      found = new ArrayList<>(found);
      for (Span span : named) {
        if (span.length() > 0) {
          found.add(span);
        }
      }
    }
    if (found.isEmpty()) {
      return;
    }
    Span inner = inner(t, i);
    if (inner.end() - inner.start() == value.length() && t.source().startsWith(value, inner.start())) {
      for (Span piece : found) {
        spans.add(new Span(inner.start() + piece.start(), inner.start() + piece.end()));
      }
    } else {
      spans.add(inner);
    }
  }

  /**
   * A credential written unquoted where a name belongs ({@code IAM_ROLE AKIA...}, or a secret key
   * the scanner splits at {@code /} and {@code +}): the run of tokens from {@code i} with nothing
   * between them is masked when it looks like one. Returns the run's last index, or {@code i - 1}.
   */
  private static int bareWords(Tokens t, int i, List<Span> spans) {
    int last = i;
    while (last + 1 < t.count() && t.start(last + 1) == t.end(last) && !t.is(last + 1, TokenKind.SEMICOLON)
        && !t.is(last + 1, TokenKind.COMMA) && !t.kind(last + 1).isLiteral()) {
      last++;
    }
    int start = t.start(i) + (t.is(i, TokenKind.QUOTED_IDENTIFIER) ? 1 : 0);
    int end = t.end(last) - (t.is(last, TokenKind.QUOTED_IDENTIFIER) && t.end(last) - 1 > start ? 1 : 0);
    if (!BareCredentials.looksLike(t.source(), start, end)) {
      return i - 1;
    }
    spans.add(new Span(start, end));
    return last;
  }

  /**
   * The comments in the gap {@code from..to} between two tokens: from the first opener on, the gap
   * is read as SQL (the comments after the first are found again in that reading).
   */
  private static void comments(String sql, int from, int to, List<Span> spans, int depth) {
    for (int k = from; k + 1 < to; k++) {
      char c = sql.charAt(k);
      if (c == '-' && sql.charAt(k + 1) == '-' || c == '/' && sql.charAt(k + 1) == '*') {
        hidden(sql, k + 2, to, spans, depth);
        return;
      }
    }
  }

  /** Text the server does not read as SQL (a comment, a name) searched as if it were. */
  private static void hidden(String sql, int from, int to, List<Span> spans, int depth) {
    if (from >= to) {
      return;
    }
    if (depth >= ProcedureParser.MAX_DEPTH) {
      if (mayHoldSecret(sql.substring(from, to))) {
        spans.add(new Span(from, to)); // too deep to read: masked whole
      }
      return;
    }
    scan(Lexer.tokenize(sql, from, to), from, to, spans, depth + 1);
  }

  /**
   * Where the value of a secret keyword starts when punctuation stands first: {@code ('x')},
   * {@code := 'x'}, {@code => 'x'}, or split from it by a semicolon ({@code secret_access_key;
   * 'x'}, a text a database may quote whole). Redshift refuses such a statement, but its author meant the
   * literal as the secret; a word (a function, a clause), a comma or a comparison ends the search,
   * so {@code crypt('x')}, {@code password, 'x'} and {@code password > 'x'} are left alone.
   */
  private static int punctuationBefore(Tokens t, int value) {
    int at = value;
    while (at < t.count() && at < value + 3
        && (t.is(at, TokenKind.LEFT_PAREN) || t.is(at, TokenKind.SEMICOLON) || isAssignment(t, at))) {
      at++;
    }
    return at < t.count() && (t.kind(at).isLiteral() || t.kind(at).isUnterminated()
        || t.kind(at) == TokenKind.BIT_STRING || unicodeEscapeLiteral(t, at) > at) ? at : value; // U&'x' after ';' too
  }

  /** An operator that assigns rather than compares: {@code :=}, {@code =>}, {@code ==}, {@code :}. */
  private static boolean isAssignment(Tokens t, int i) {
    if (!t.is(i, TokenKind.OPERATOR)) {
      return false;
    }
    String text = t.text(i);
    boolean arrowHead = text.equals(">") && t.is(i - 1, TokenKind.OPERATOR) && t.end(i - 1) == t.start(i)
        && t.text(i - 1).equals("=");  // '=>' read as '=' and '>'
    return arrowHead || (text.charAt(0) == ':' || text.charAt(0) == '=')
        && text.chars().allMatch(c -> c == ':' || c == '=' || c == '>');
  }

  /**
   * The rest of a secret value after its first literal: literals joined to it by {@code ||}, or
   * written next to it on the same line ({@code 'abc' 'def'}, which Redshift refuses), in any form,
   * {@code U&'..'} and the {@code UESCAPE '!'} of one too, and quoted names ({@code 'abc' "def"}):
   * each is part of what the author meant as the secret, so each is masked whole. Returns the last
   * index read.
   */
  private static int valueTail(Tokens t, int value, List<Span> spans) {
    int last = value;
    while (true) {
      // tokens written against the value, with nothing between ('' 'wJal..' '': quotes doubled where
      // a literal was meant) are part of it
      if (last + 1 < t.count() && t.start(last + 1) == t.end(last) && !t.is(last + 1, TokenKind.SEMICOLON)
          && !t.is(last + 1, TokenKind.COMMA) && !t.is(last + 1, TokenKind.RIGHT_PAREN)) {
        spans.add(new Span(t.start(last + 1), t.end(last + 1)));
        last++;
        continue;
      }
      int next = isConcatenation(t, last + 1) ? last + 3 : isUnicodeEscapeClause(t, last) ? last + 2 : last + 1;
      // U&'..' is a name, an operator and a literal to Redshift's scanner: one literal to PostgreSQL,
      // which quotes it whole in its syntax error (at or near "U&'..'"), as it quotes a second '..'
      next = unicodeEscapeLiteral(t, next);
      if (unicodePrefix(t, next) && t.is(next + 2, TokenKind.QUOTED_IDENTIFIER)) {
        next += 2; // U&"..": a name, an operator and a quoted name to Redshift's scanner
      }
      // a quoted name there too ('abc' "def"): the server refuses it and quotes it back whole
      // (unrecognized role option "def"), as H2 quotes the statement (red-team review)
      if (next >= t.count() || !(t.kind(next).isLiteral() || t.kind(next).isUnterminated()
          || t.kind(next) == TokenKind.BIT_STRING || t.kind(next) == TokenKind.QUOTED_IDENTIFIER)) {
        return last;
      }
      spans.add(inner(t, next));
      last = next;
    }
  }

  /** The keys of a CREDENTIALS string that name secrets (all but aws_iam_role), lower case. */
  private static final List<String> CREDENTIALS_KEYS =
      List.of("aws_access_key_id", "aws_secret_access_key", "aws_session_token", "master_symmetric_key");

  /**
   * A CREDENTIALS string written without its quotes ({@code credentials
   * aws_access_key_id=AK;aws_secret_access_key=SK;token=ST}): Redshift refuses it, and the scanner
   * splits it at each {@code ;}, but each key's value is still a secret. A key, then {@code =}
   * right after it, then a value; {@code token} only where a statement starts, as a column of that
   * name is common.
   */
  private static boolean isUnquotedCredentialsKey(Tokens t, int i) {
    if (i + 2 >= t.count() || !t.is(i + 1, TokenKind.OPERATOR) || !t.text(i + 1).equals("=")
        || t.end(i) != t.start(i + 1) || t.end(i + 1) != t.start(i + 2) || t.is(i + 2, TokenKind.SEMICOLON)) {
      return false;
    }
    String word = t.text(i).toLowerCase(Locale.ROOT);
    return CREDENTIALS_KEYS.contains(word) || word.equals("token") && (i == 0 || t.is(i - 1, TokenKind.SEMICOLON));
  }

  /**
   * A double-quoted name spelling a secret keyword ({@code "secret_access_key" 'x'}): Redshift
   * takes no quoted keyword and refuses the statement, but the literal after it is still a secret.
   */
  private static boolean isQuotedSecretKeyword(Tokens t, int i) {
    String text = t.text(i);
    if (text.length() < 3) {
      return false;
    }
    String name = text.substring(1, text.length() - 1);
    for (String keyword : SECRET_KEYWORDS) {
      if (name.equalsIgnoreCase(keyword)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The literal after a name that looks like a misspelt or decorated secret keyword
   * ({@code secret_acess_key 'x'}, see {@link SecretKeywordLookalike}): where it would be after a
   * secret keyword (right after it, after {@code AS}, the punctuation of {@link #punctuationBefore}),
   * but after {@code =} only for a near spelling; -1 when there is none.
   */
  /**
   * A procedure variable named like a secret and declared with a literal ({@code new_password
   * varchar(64) := 'x'}, {@code secret_key text default 'x'}): the literal's index, else -1. The
   * name, a type of one or two words and an optional size, then {@code :=} or DEFAULT.
   */
  private static int declaredValue(Tokens t, int name) {
    int k = name + 1;
    if (!t.is(k, TokenKind.WORD) || t.isWord(k, "DEFAULT") || isClauseWord(t, k)) {
      return -1;
    }
    k++;
    if (t.is(k, TokenKind.WORD) && !t.isWord(k, "DEFAULT") && !isClauseWord(t, k)) {
      k++; // character varying, double precision
    }
    if (t.is(k, TokenKind.LEFT_PAREN)) {
      int close = k + 1;
      while (close < t.count() && close < k + 6 && !t.is(close, TokenKind.RIGHT_PAREN)) {
        close++;
      }
      if (!t.is(close, TokenKind.RIGHT_PAREN)) {
        return -1;
      }
      k = close + 1;
    }
    boolean colonEquals = t.is(k, TokenKind.OPERATOR) && t.text(k).startsWith(":=")
        || t.is(k, TokenKind.OPERATOR) && t.text(k).equals(":") && t.is(k + 1, TokenKind.OPERATOR)
        && t.end(k) == t.start(k + 1) && t.text(k + 1).startsWith("=");
    if (!(t.isWord(k, "DEFAULT") || colonEquals)) {
      return -1; // '=' too would read 'where token_type = ...' as a declaration
    }
    k = unicodeEscapeLiteral(t, k + (colonEquals && t.text(k).equals(":") ? 2 : 1)); // := U&'x' too
    if (k >= t.count() || !(t.kind(k).isLiteral() || t.kind(k).isUnterminated())) {
      return -1;
    }
    return isSecretKeyword(t, name)
        || SecretKeywordLookalike.likeness(t.source(), t.start(name), t.end(name)) != SecretKeywordLookalike.UNLIKE
        ? k : -1;
  }

  private static int lookalikeValue(Tokens t, int i) {
    int value = i + 1;
    if (value >= t.count() || t.kind(value) == TokenKind.COMMA || t.kind(value) == TokenKind.DOT
        || t.kind(value) == TokenKind.RIGHT_PAREN) {
      return -1; // most names: a list, a qualified name or a call's end goes on
    }
    boolean quoted = t.kind(i) == TokenKind.QUOTED_IDENTIFIER;
    int likeness = SecretKeywordLookalike.likeness(t.source(), t.start(i) + (quoted ? 1 : 0), t.end(i) - (quoted ? 1 : 0));
    if (likeness == SecretKeywordLookalike.UNLIKE) {
      return -1;
    }
    boolean equals = t.is(value, TokenKind.OPERATOR) && t.text(value).equals("=")
        && !(t.is(value + 1, TokenKind.OPERATOR) && t.start(value + 1) == t.end(value) && t.text(value + 1).equals(">"));
    if (equals && likeness != SecretKeywordLookalike.NEAR_KEYWORD) {
      return -1; // a column compared with a value: where token_type = 'bearer'
    }
    if (t.isWord(value, "AS") || equals) {
      value++;
    }
    value = unicodeEscapeLiteral(t, punctuationBefore(t, value));
    return value < t.count() && (t.kind(value).isLiteral() || t.kind(value).isUnterminated()
        || t.kind(value) == TokenKind.BIT_STRING) ? value : -1;
  }

  /**
   * {@code CREDENTIALS "aws_access_key_id=...;aws_secret_access_key=..."}: the string written in
   * double quotes (Redshift refuses it as a name, but it holds the keys), masked whole.
   */
  private static boolean isQuotedCredentials(Tokens t, int keyword, int value) {
    return t.is(value, TokenKind.QUOTED_IDENTIFIER) && t.isWord(keyword, AuthWords.CREDENTIALS);
  }

  /**
   * A run of literals joined by {@code ||} (one literal alone is a run): dynamic SQL may spell a
   * secret clause across its parts ({@code 'secret_access' || '_key ''x'''}), so when their
   * values together mention one, every part is masked whole. A dollar-quoted literal on its own is
   * searched like top-level SQL instead. Returns the index of the run's last literal.
   */
  private static int literalRun(Tokens t, int first, List<Span> spans, int depth, List<Integer> awaiting) {
    StringBuilder text = new StringBuilder();
    int last = first;
    boolean awaits = false;
    for (int k = first; ; k += 3) {
      text.append(t.literalValue(k));
      awaits = awaits || awaitsSecretValue(text); // a part may leave the value to the next ('.. credentials ' || 'x')
      last = k;
      if (!t.kind(k).isLiteral() || !isConcatenation(t, k + 1) || k + 3 >= t.count() || !t.kind(k + 3).isLiteral()) {
        break;
      }
    }
    String joined = text.toString();
    if (awaits) {
      awaiting.add(first); // the value is not in the literal naming its clause: see dynamicValues
    }
    // a dollar-quoted literal alone is read as SQL below, unless it is JSON holding a client secret
    boolean searchable = first == last && t.kind(first) == TokenKind.DOLLAR_STRING
        && !joined.toLowerCase(Locale.ROOT).contains(CLIENT_SECRET);
    if (!searchable && mentionsSecretClause(joined)) {
      for (int k = first; k <= last; k += 3) {
        spans.add(inner(t, k));
      }
      // format('alter user u password %L', 'value'): the arguments after it fill the clause in
      while (t.is(last + 1, TokenKind.COMMA) && last + 2 < t.count()
          && (t.kind(last + 2).isLiteral() || t.kind(last + 2).isUnterminated())) {
        last += 2;
        spans.add(inner(t, last));
      }
      return last;
    }
    for (int k = first; k <= last; k += 3) {
      if (t.kind(k) == TokenKind.DOLLAR_STRING) {
        dollarBody(t, k, spans, depth);
      }
    }
    return last;
  }

  /** What may stand between a secret keyword and its value in a text: spaces, {@code =}, {@code (}, quotes, a dollar tag's {@code $}. */
  private static final String BEFORE_VALUE = " \t\r\n=:(>'\"&$";

  /** The most gaps (a quote's prefix letter, a dollar tag) read back over to the keyword. */
  private static final int PREFIX_GAPS = 2;

  /**
   * Whether a literal's value (a run's values joined) ends with a secret keyword, only spaces,
   * {@code =}, {@code (}, the quote that opens the value ({@code E'}, {@code U&'}, a dollar tag) or a
   * JSON {@code ":"} after it: the value is joined on from something else. Reads the end only.
   */
  static boolean awaitsSecretValue(CharSequence value) {
    int end = value.length();
    for (int gap = 0; gap <= PREFIX_GAPS; gap++) {
      int skipped = end;
      while (end > 0 && BEFORE_VALUE.indexOf(value.charAt(end - 1)) >= 0) {
        end--;
      }
      int start = end;
      while (start > 0 && (Character.isLetterOrDigit(value.charAt(start - 1)) || value.charAt(start - 1) == '_')) {
        start--;
      }
      if (start == end) {
        return false;
      }
      String word = value.subSequence(start, end).toString().toLowerCase(Locale.ROOT);
      if (isKeywordOrKey(word, 0, word.length()) || word.equals(CLIENT_SECRET)) {
        return true; // the names whose value a dynamic SQL text may leave to what is joined after it
      }
      if (word.equals("token") && end < value.length() && value.charAt(end) == '=') {
        return true; // a CREDENTIALS string's token=
      }
      boolean tag = start > 0 && value.charAt(start - 1) == '$';
      // E'x', U&'x'...: a letter right before the value's quote, after a gap (not a value 'x' itself)
      boolean prefix = end - start == 1 && end < skipped && "eEnNbBxXuU".indexOf(value.charAt(start)) >= 0
          && "'&".indexOf(value.charAt(end)) >= 0 && (start == 0 || " \t\r\n=(".indexOf(value.charAt(start - 1)) >= 0);
      if (!tag && !prefix) {
        return false;
      }
      end = tag ? start - 1 : start;
    }
    return false;
  }

  /** True when tokens {@code k} and {@code k + 1} are the two adjacent bars of {@code ||}. */
  static boolean isConcatenation(Tokens t, int k) {
    return t.is(k, TokenKind.OPERATOR) && t.is(k + 1, TokenKind.OPERATOR) && t.end(k) == t.start(k + 1)
        && t.source().charAt(t.start(k)) == '|' && t.source().charAt(t.start(k + 1)) == '|';
  }

  /** Searches a dollar-quoted body like top-level SQL (a procedure body, an UNLOAD query). */
  private static void dollarBody(Tokens t, int i, List<Span> spans, int depth) {
    TokenKind kind = t.kind(i);
    if (depth >= ProcedureParser.MAX_DEPTH) {
      spans.add(inner(t, i)); // too deep to read: masked whole, as the guard does not read it either
      return;
    }
    int from = Literals.valueStart(t.source(), t.start(i), kind);
    int to = kind == TokenKind.DOLLAR_STRING ? t.end(i) - (from - t.start(i)) : t.end(i);
    scan(Lexer.tokenize(t.source(), from, to), from, to, spans, depth + 1);
  }

  /**
   * {@code U&'..'} after a keyword: Redshift's scanner reads a name {@code U}, an operator and a
   * literal; the literal is the value. Returns the literal's index, else {@code value}.
   */
  private static int unicodeEscapeLiteral(Tokens t, int value) {
    boolean literal = t.is(value + 2, TokenKind.STRING) || t.is(value + 2, TokenKind.UNTERMINATED_STRING);
    return literal && unicodePrefix(t, value) ? value + 2 : value;
  }

  /** Whether tokens {@code k} and {@code k + 1} are the {@code U} (any case) and {@code &} of a {@code U&'..'} or {@code U&".."}. */
  private static boolean unicodePrefix(Tokens t, int k) {
    return t.is(k, TokenKind.WORD) && t.end(k) - t.start(k) == 1 && (t.source().charAt(t.start(k)) | 0x20) == 'u'
        && t.is(k + 1, TokenKind.OPERATOR) && t.source().charAt(t.start(k + 1)) == '&';
  }

  /**
   * Whether {@code UESCAPE} follows literal {@code k} of a {@code U&'..'}: the escape character's
   * literal after it belongs to that one ({@code U&'a!0041' UESCAPE '!'}), and what follows it is read
   * as what follows the literal.
   */
  private static boolean isUnicodeEscapeClause(Tokens t, int k) {
    return t.isWord(k + 1, "UESCAPE") && k >= 2 && unicodeEscapeLiteral(t, k - 2) == k;
  }

  private static final String[] SECRET_KEYWORDS = {AuthWords.ACCESS_KEY_ID, AuthWords.SECRET_ACCESS_KEY,
      AuthWords.SESSION_TOKEN, AuthWords.MASTER_SYMMETRIC_KEY, "PASSWORD", AuthWords.CREDENTIALS};

  /**
   * A keyword whose value is a secret; also a name that holds one as a part between no-break or
   * zero-width spaces ({@code secret_access_key<U+00A0>}), which a reader may take for it.
   */
  private static boolean isSecretKeyword(Tokens t, int i) {
    boolean confusable = t.confusableIn(i, i + 1) == i;
    for (String keyword : SECRET_KEYWORDS) {
      if (t.isWord(i, keyword) || confusable && t.hasSegment(i, keyword)) {
        return true;
      }
    }
    return false;
  }

  /**
   * An unquoted value after a key or token keyword ({@code ACCESS_KEY_ID AKIA...}): Redshift
   * refuses the statement, but the value is still a secret. Another auth keyword there is not one.
   */
  private static boolean isBareKeyValue(Tokens t, int keyword, int value) {
    TokenKind kind = t.kind(value);
    return (kind == TokenKind.WORD || kind == TokenKind.NUMBER || kind == TokenKind.QUOTED_IDENTIFIER)
        && !t.isWord(keyword, "PASSWORD") && !t.isWord(keyword, AuthWords.CREDENTIALS)
        && !AuthWords.isAuthWord(t, value) && !isSecretKeyword(t, value) && !isClauseWord(t, value);
  }

  /**
   * {@code PASSWORD md5abc}, {@code PASSWORD 12345}, {@code PASSWORD "Secret"}: an unquoted value
   * after PASSWORD (Redshift refuses the statement, but the value is still what its author meant as
   * a password), unless DISABLE or a clause word (a column named password).
   */
  private static boolean isBarePassword(Tokens t, int keyword, int value) {
    TokenKind kind = t.kind(value);
    return (kind == TokenKind.WORD || kind == TokenKind.NUMBER || kind == TokenKind.QUOTED_IDENTIFIER)
        && t.isWord(keyword, "PASSWORD") && !t.isWord(value, "DISABLE") && !isClauseWord(t, value);
  }

  /**
   * The last token of a template placeholder standing where a secret keyword's value belongs, when a
   * literal follows it; else -1. A placeholder is the tokens from {@code value} on that are written
   * together without a blank or inside the brackets it opens ({@code :key}, {@code :"key"}, {@code ${x}},
   * {@code {{ x }}}, {@code {{ var('k') }}}, {@code %(x)s}, {@code [x]}, {@code @x}); a templating tool that left it unfilled
   * still sent the value its author wrote right after it, which the audit line printed whole. Bounded
   * to a few tokens: a column named like a keyword ({@code select password, 'x'}) is not one.
   */
  private static int placeholderEnd(Tokens t, int value) {
    if (value >= t.count() || !startsPlaceholder(t, value)) {
      return -1;
    }
    int depth = 0;
    int last = value;
    for (int k = value; k < t.count() && k < value + PLACEHOLDER_TOKENS; k++) {
      TokenKind kind = t.kind(k);
      boolean literal = kind.isLiteral() || kind.isUnterminated() || kind == TokenKind.BIT_STRING
          || unicodeEscapeLiteral(t, k) > k; // :key U&'x': valueTail reads the three tokens as one
      if (literal && depth == 0) {
        return k > value ? last : -1;
      }
      if (kind == TokenKind.SEMICOLON || kind == TokenKind.COMMA && depth == 0 || isComparison(t, k)
          || k > value && depth == 0 && t.start(k) > t.end(k - 1)) {
        return -1;
      }
      depth += opens(t, k) - closes(t, k);
      last = k;
    }
    return -1;
  }

  /** Tokens a placeholder may take: {@code {{ var('a', 'b') }}} is eleven. */
  private static final int PLACEHOLDER_TOKENS = 16;

  /** A placeholder starts with a template's sigil (not a cast's {@code ::}) or bracket, or a word that is no clause word. */
  private static boolean startsPlaceholder(Tokens t, int k) {
    TokenKind kind = t.kind(k);
    if (kind == TokenKind.LEFT_PAREN) {
      return true;
    }
    if (kind == TokenKind.OPERATOR) {
      return "$:{[@%&\\#".indexOf(t.source().charAt(t.start(k))) >= 0 && !t.text(k).startsWith("::");
    }
    return (kind == TokenKind.WORD || kind == TokenKind.QUOTED_IDENTIFIER) && !isClauseWord(t, k)
        && !t.isWord(k, "DISABLE") && !AuthWords.isAuthWord(t, k) && !isSecretKeyword(t, k);
  }

  /** A comparison or concatenation ({@code password::text = 'x'}, {@code <>}, {@code ||}): a placeholder holds none. */
  private static boolean isComparison(Tokens t, int k) {
    if (!t.is(k, TokenKind.OPERATOR)) {
      return false;
    }
    String text = t.text(k);
    return text.indexOf('=') >= 0 || text.indexOf('<') >= 0 || text.indexOf('>') >= 0 || text.contains("||");
  }

  private static int opens(Tokens t, int k) {
    return t.is(k, TokenKind.LEFT_PAREN) ? 1 : t.is(k, TokenKind.OPERATOR) ? count(t, k, '{') + count(t, k, '[') : 0;
  }

  private static int closes(Tokens t, int k) {
    return t.is(k, TokenKind.RIGHT_PAREN) ? 1 : t.is(k, TokenKind.OPERATOR) ? count(t, k, '}') + count(t, k, ']') : 0;
  }

  private static int count(Tokens t, int k, char c) {
    int n = 0;
    for (int p = t.start(k); p < t.end(k); p++) {
      n += t.source().charAt(p) == c ? 1 : 0;
    }
    return n;
  }

  /** Words that follow a column named like a keyword ({@code select session_token from t}). */
  private static boolean isClauseWord(Tokens t, int i) {
    for (String word : CLAUSE_WORDS) {
      if (t.isWord(i, word)) {
        return true;
      }
    }
    return false;
  }

  /** Dynamic SQL in a literal: mask it whole when it holds a secret-bearing clause. */
  private static boolean mentionsSecretClause(String text) {
    return mentionsAny(text.toLowerCase(Locale.ROOT), SECRET_CLAUSE_WORDS) || SecretKeywordLookalike.standsBeforeLiteral(text);
  }

  private static void valueSpan(Tokens t, int value, boolean credentials, List<Span> spans) {
    TokenKind kind = t.kind(value);
    // only a plain one-part literal without escapes is masked value by value; any other form whole
    if (credentials && kind == TokenKind.STRING && t.source().charAt(t.start(value)) == '\'') {
      String text = t.source().substring(t.start(value) + 1, t.end(value) - 1);
      if (text.indexOf('\'') < 0 && text.indexOf('\\') < 0) {
        credentialValues(text, t.start(value) + 1, spans);
        return;
      }
    }
    if (credentials && kind == TokenKind.QUOTED_IDENTIFIER && t.text(value).indexOf('"', 1) == t.text(value).length() - 1) {
      // value by value too: a database may quote the name with other quotes around it
      credentialValues(t.source().substring(t.start(value) + 1, t.end(value) - 1), t.start(value) + 1, spans);
      return;
    }
    spans.add(inner(t, value));
  }

  /** Masks each value of {@code key=value;...} except aws_iam_role's (a role ARN is not secret). */
  private static void credentialValues(String text, int offset, List<Span> spans) {
    int from = 0;
    int equals = text.indexOf('=');
    while (from <= text.length()) {
      int end = text.indexOf(';', from);
      end = end < 0 ? text.length() : end;
      if (equals >= 0 && equals < from) {
        equals = text.indexOf('=', from); // the next '=' is searched for again only once passed: parts without one cost no search to the end
      }
      if (equals >= 0 && equals < end && !isKeyName(text, from, equals)) {
        spans.add(new Span(offset + from, offset + end)); // no key before '=' (a token's padding): the part is a value
      } else if (equals >= 0 && equals < end) {
        if (!text.substring(from, equals).equals("aws_iam_role")) {
          spans.add(new Span(offset + equals + 1, offset + end));
        } else {
          // a role chain holds no secret, unless a key was written where a role belongs, or a
          // secret's name=value after the roles (read as part of the chain, as explain reads it)
          String roles = text.substring(equals + 1, end);
          spans.addAll(BareCredentials.find(roles, offset + equals + 1));
          spans.addAll(RoleTextSecrets.spans(roles, offset + equals + 1));
        }
      } else if (end > from) {
        spans.add(new Span(offset + from, offset + end));
      }
      from = end + 1;
    }
  }

  /** Whether {@code text[from..to)} may be a CREDENTIALS key, misspelt or not: a short name, not a key's value. */
  private static boolean isKeyName(String text, int from, int to) {
    if (to - from > CREDENTIALS_KEY_LENGTH || BareCredentials.looksLike(text, from, to)) {
      return false;
    }
    for (int k = from; k < to; k++) {
      char c = text.charAt(k);
      if (c == '/' || c == '+') {
        return false;
      }
    }
    return true;
  }

  /** Longer than any CREDENTIALS key, misspelt or decorated: the text before {@code =} is a value. */
  private static final int CREDENTIALS_KEY_LENGTH = 40;

  /** The value inside a literal token (its quotes or tags kept), to the end for unterminated ones. */
  private static Span inner(Tokens t, int i) {
    TokenKind kind = t.kind(i);
    int start = Literals.valueStart(t.source(), t.start(i), kind);
    int end;
    if (kind == TokenKind.STRING || kind == TokenKind.BIT_STRING) {
      end = t.end(i) - 1;
    } else if (kind == TokenKind.DOLLAR_STRING) {
      end = t.end(i) - (start - t.start(i));
    } else if (kind == TokenKind.WORD || kind == TokenKind.NUMBER || kind == TokenKind.QUOTED_IDENTIFIER) {
      return new Span(t.start(i), t.end(i));
    } else {
      end = t.end(i);
    }
    return new Span(Math.min(start, end), end);
  }
}
