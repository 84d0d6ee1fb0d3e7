package dev.iamguard.sql;

/**
 * Finds the auth-carrying statements of a PL/pgSQL body: those written literally, and those its
 * {@code EXECUTE} runs from a constant text.
 *
 * <p>A statement may begin where a PL/pgSQL statement begins: at the start of the body, after
 * {@code ;}, or after {@code BEGIN}, {@code THEN}, {@code ELSE}, {@code LOOP} or a {@code >>}
 * label. An auth clause anywhere else in the body is reported as unparseable by the shape scan.
 *
 * <p>Dynamic SQL: the text of {@code EXECUTE} (also in {@code FOR .. IN EXECUTE},
 * {@code OPEN .. FOR EXECUTE}, {@code RETURN QUERY EXECUTE}) is constant when it is literals
 * joined by {@code ||} (parentheses allowed); its value, as the server reads each literal, is
 * then split and parsed like a top-level script, and its statements are decided like any other
 * (they cannot be rewritten in place). Any other {@code EXECUTE} text is only known when the
 * procedure runs: it is recorded in {@link CommandBuilder#dynamicAuth} for the rule
 * {@code AUTH_DYNAMIC}.
 *
 * <p>Its {@code INSERT INTO} statements, written or run from a constant text, are kept apart
 * ({@link CommandBuilder#bodyInserts}): one into an external table writes S3 with the external
 * schema's role, which only the session's catalog can tell.
 */
final class ProcedureBody {
  private ProcedureBody() {}

  /**
   * Reads the body tokens {@code t}.
   *
   * @param literal the body literal's span in the script when {@code t.source()} is not the script
   *     itself (the unescaped text of a single-quoted body), else null: offsets of the procedure's
   *     own problems and dynamic SQL are then that literal's, as body offsets mean nothing in the script
   * @param origin {line, column, offset}: offset {@code origin[2]} of {@code t.source()} stands at
   *     that line and column of the script. Lines of body statements are counted on from there,
   *     linearly; for a single-quoted body (unescaping keeps every newline) lines stay exact and
   *     columns after a {@code ''} on the same line are approximate.
   */
  static void read(Tokens t, CommandBuilder b, boolean rewritable, Span literal, int[] origin) {
    CommandBuilder outside = new CommandBuilder(t, b.kind); // CREATE_PROCEDURE or DO_BLOCK, as messages name it
    int[] index = {0};
    int k = 0;
    Positions positions = new Positions(t.source(), origin);
    while (k < t.count()) {
      if (canStartStatement(t, k) && CommandParser.classify(t, k, t.count()) != CommandKind.OTHER) {
        int end = statementEnd(t, k);
        int[] lineColumn = positions.at(t.start(k));
        RedshiftCommand command = CommandParser.parse(t, k, end, lineColumn[0], lineColumn[1]);
        if (command.needsInspection()) {
          b.addBody(new SqlStatement(t.source(), ++index[0], lineColumn[0], lineColumn[1],
              t.start(k), t.end(end - 1), rewritable, command));
          k = end;
          continue;
        }
      }
      if (canStartStatement(t, k) && isInsert(t, k)) {
        // read on as any other statement: an auth word in it is still found below
        int end = statementEnd(t, k);
        int[] lineColumn = positions.at(t.start(k));
        b.addBodyInsert(new SqlStatement(t.source(), ++index[0], lineColumn[0], lineColumn[1], t.start(k),
            t.end(end - 1), rewritable, RedshiftCommand.OTHER));
      }
      if (isExecute(t, k)) {
        k = execute(t, k + 1, b, outside, literal, positions, index);
        continue;
      }
      if (AuthWords.isAuthWord(t, k)) {
        ShapeScan.scan(t, k, k + 2, outside, false);
      }
      if (t.confusableIn(k, k + 1) == k && CommandParser.hidesCommand(t, k, k + 1)) {
        // create<U+00A0>external ...: no statement starts here for Redshift, but a reader sees one
        outside.problem(Problem.Kind.UNPARSEABLE, t.start(k), CommandParser.confusableReason(t, k));
      }
      k++;
    }
    for (Problem problem : outside.problems) {
      b.addProblem(literal == null ? problem : new Problem(problem.kind(), literal.start(), problem.reason()));
    }
  }

  /** The index of the semicolon that ends the statement starting at token {@code k}, or the count. */
  private static int statementEnd(Tokens t, int k) {
    int end = k;
    while (end < t.count() && t.kind(end) != TokenKind.SEMICOLON) {
      end++;
    }
    return end;
  }

  /** {@code INSERT INTO}: the table may be external, which only the session can tell. */
  private static boolean isInsert(Tokens t, int k) {
    return t.isWord(k, "INSERT") && t.isWord(k + 1, "INTO");
  }

  private static boolean canStartStatement(Tokens t, int k) {
    if (t.kind(k) != TokenKind.WORD) {
      return false;
    }
    return k == 0 || t.is(k - 1, TokenKind.SEMICOLON) || t.isWord(k - 1, "BEGIN")
        || t.isWord(k - 1, "THEN") || t.isWord(k - 1, "ELSE") || t.isWord(k - 1, "LOOP")
        || t.is(k - 1, TokenKind.OPERATOR) && t.text(k - 1).equals(">");
  }

  /** PL/pgSQL's dynamic {@code EXECUTE}: as a statement, or after {@code IN}, {@code FOR}, {@code QUERY}. */
  private static boolean isExecute(Tokens t, int k) {
    return t.isWord(k, "EXECUTE") && (canStartStatement(t, k) || t.isWord(k - 1, "IN")
        || t.isWord(k - 1, "FOR") || t.isWord(k - 1, "QUERY"));
  }

  /**
   * Reads the text of an {@code EXECUTE} starting at token {@code from}; returns the index after it.
   * A constant text is parsed into {@code b.body}; any other is recorded as dynamic.
   */
  private static int execute(Tokens t, int from, CommandBuilder b, CommandBuilder outside, Span literal,
      Positions positions, int[] index) {
    int end = from;
    int depth = 0;
    while (end < t.count() && t.kind(end) != TokenKind.SEMICOLON
        && !(depth == 0 && (t.isWord(end, "INTO") || t.isWord(end, "USING") || t.isWord(end, "LOOP")))) {
      depth += t.is(end, TokenKind.LEFT_PAREN) ? 1 : t.is(end, TokenKind.RIGHT_PAREN) ? -1 : 0;
      end++;
    }
    Constant text = end > from ? constantText(t, from, end, outside) : null;
    if (text == null) {
      int last = Math.max(from, end - 1);
      b.addDynamicAuth(literal != null ? literal
          : new Span(t.start(Math.min(from, t.count() - 1)), t.end(Math.min(last, t.count() - 1))));
      return end;
    }
    dynamic(text, t, b, positions, index);
    return end;
  }

  /** The decoded text of an EXECUTE, and the offset of {@code t.source()} where each of its chars was written. */
  private record Constant(String text, int[] writtenAt) {}

  /**
   * The value of tokens {@code [from, to)} when they are literals joined by {@code ||} (and
   * parentheses), else null. A literal whose escapes Redshift may read otherwise is a problem of
   * the procedure.
   */
  private static Constant constantText(Tokens t, int from, int to, CommandBuilder outside) {
    StringBuilder text = new StringBuilder();
    int[] writtenAt = new int[16];
    int last = 0;
    boolean expectLiteral = true;
    int k = from;
    while (k < to) {
      TokenKind kind = t.kind(k);
      if (kind == TokenKind.LEFT_PAREN || kind == TokenKind.RIGHT_PAREN) {
        k++;
      } else if (expectLiteral && kind.isLiteral()) {
        String value = outside.decisionValue(k, "the text of EXECUTE");
        if (writtenAt.length < text.length() + value.length() + 1) {
          writtenAt = java.util.Arrays.copyOf(writtenAt, Math.max(2 * writtenAt.length, text.length() + value.length() + 1));
        }
        written(t, k, value, writtenAt, text.length());
        text.append(value);
        last = t.end(k);
        expectLiteral = false;
        k++;
      } else if (!expectLiteral && SecretSpans.isConcatenation(t, k)) {
        expectLiteral = true;
        k += 2;
      } else {
        return null;
      }
    }
    if (expectLiteral) {
      return null;
    }
    writtenAt[text.length()] = last;
    return new Constant(text.toString(), writtenAt);
  }

  /**
   * Where each char of {@code value}, literal {@code k}'s value, was written, from {@code at[from]}
   * on: char by char in a dollar-quoted literal and in a plain one ({@code ''} stands for one quote);
   * at the literal's start for any other form (escapes, a literal continued across lines), whose
   * chars the guard does not place one by one.
   */
  private static void written(Tokens t, int k, String value, int[] at, int from) {
    String s = t.source();
    int start = t.start(k);
    int end = t.end(k);
    if (s.charAt(start) == '$') {
      int body = s.indexOf('$', start + 1) + 1;
      if (body > 0 && body + value.length() <= end && s.startsWith(value, body)) {
        for (int i = 0; i < value.length(); i++) {
          at[from + i] = body + i;
        }
        return;
      }
    } else if (s.charAt(start) == '\'') {
      int j = start + 1;
      int i = 0;
      for (; i < value.length() && j < end; i++) {
        char c = s.charAt(j);
        boolean doubled = c == '\'' && j + 1 < end && s.charAt(j + 1) == '\'';
        if (c != value.charAt(i) || c == '\\' || c == '\'' && !doubled) {
          break;
        }
        at[from + i] = j;
        j += doubled ? 2 : 1;
      }
      if (i == value.length()) {
        return;
      }
    }
    for (int i = 0; i < value.length(); i++) {
      at[from + i] = start;
    }
  }

  /**
   * Splits and parses a constant {@code EXECUTE} text like a top-level script (the ambiguity
   * check included); its auth-carrying statements join the body, located at the EXECUTE.
   */
  private static void dynamic(Constant constant, Tokens t, CommandBuilder b, Positions positions, int[] index) {
    String text = constant.text();
    int[] writtenAt = constant.writtenAt();
    Tokens d = Lexer.tokenize(text);
    d.depth = t.depth;
    int[] hidden = d.backslashInLiteral || d.readingsMayDiffer ? AmbiguityCheck.hiddenAuth(text, d) : AmbiguityCheck.NONE;
    int first = 0;
    int lastWord = d.count() - 1;
    while (lastWord >= 0 && d.kind(lastWord) == TokenKind.SEMICOLON) {
      lastWord--;
    }
    int endOfPrevious = 0;
    for (int i = 0; i <= d.count(); i++) {
      if (i < d.count() && d.kind(i) != TokenKind.SEMICOLON) {
        continue;
      }
      if (i > first) {
        // where the statement was written: the body's lines and columns, '' and all
        int written = writtenAt[d.start(first)];
        int[] lineColumn = positions.at(written);
        int[] origin = {lineColumn[0], lineColumn[1], written};
        RedshiftCommand command = CommandParser.parse(d, first, i, lineColumn[0], lineColumn[1]);
        // with what lies between it and the statement before (AmbiguityCheck.attach); an EXECUTE text
        // is never read in pieces, so its last statement answers for what follows it too (at top level
        // that is a statement of its own: AmbiguityCheck.afterLast)
        command = AmbiguityCheck.attach(command, hidden, endOfPrevious, i > lastWord ? text.length() : d.end(i - 1));
        endOfPrevious = d.end(i - 1);
        if (command.needsInspection()) {
          b.addBody(new SqlStatement(text, ++index[0], lineColumn[0], lineColumn[1], d.start(first), d.end(i - 1),
              false, command, writtenAt, t.source(), origin));
        } else if (isInsert(d, first)) {
          b.addBodyInsert(new SqlStatement(text, ++index[0], lineColumn[0], lineColumn[1], d.start(first),
              d.end(i - 1), false, command, writtenAt, t.source(), origin));
        }
      }
      first = i + 1;
    }
  }
}
