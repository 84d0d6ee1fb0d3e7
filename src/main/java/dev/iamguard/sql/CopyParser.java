package dev.iamguard.sql;

/**
 * {@code COPY table [(columns)] FROM 'source' <auth> [options]}, including auto-copy
 * {@code JOB CREATE}; {@code COPY JOB ...} management commands carry no source.
 */
final class CopyParser {
  private CopyParser() {}

  private static void columns(Cursor c, CommandBuilder b) {
    if (!c.accept(TokenKind.LEFT_PAREN)) {
      return;
    }
    while (!c.atEnd() && !c.accept(TokenKind.RIGHT_PAREN)) {
      String column = AssumeRoleParser.identifier(c);
      if (column != null) {
        b.addTargetColumn(column);
      } else {
        c.pos++;
      }
    }
  }

  private static boolean hasOption(CommandBuilder b, String name) {
    for (int at = 0; at < b.options.size(); at++) {
      CommandOption option = b.options.get(at);
      if (option.name().equals(name)) {
        return true;
      }
    }
    return false;
  }

  /**
   * {@code COPY JOB { RUN | DROP | SHOW | ALTER } name ...} and {@code COPY JOB LIST}: recorded as
   * the option {@code JOB} with the action and the job's name.
   */
  private static void job(Cursor c, CommandBuilder b) {
    int start = c.pos++;
    java.util.List<String> values = new java.util.ArrayList<>(2);
    if (c.is(TokenKind.WORD)) {
      values.add(c.tokens.upperWord(c.pos++));
      String name = c.readName();
      if (name != null) {
        values.add(name);
      }
    }
    b.option("JOB", values, c.tokens.start(start), c.tokens.end(c.pos - 1));
  }

  static void parse(Cursor c, CommandBuilder b) {
    int first = c.pos;
    c.pos++; // COPY
    if (c.isWord("JOB")) {
      job(c, b);
    } else {
      // the source is what the role reads: a statement whose source cannot be found is not judged as harmless
      b.targetTable = c.readName();
      if (b.targetTable == null) {
        unreadable(c, b, "no table name follows COPY");
      }
      columns(c, b);
      if (b.targetTable != null && !c.isWord("FROM")) {
        unreadable(c, b, "FROM does not follow the table");
      }
      if (c.acceptWord("FROM")) {
        ClauseLoop.location(b, ClauseLoop.resourceLiteral(c, b, "COPY source"),
            S3Location.Access.READ, S3Location.Purpose.COPY_SOURCE);
      }
    }
    ClauseLoop.run(c, b, null);
    // with MANIFEST or SSH the source names one object, the manifest, not a key prefix
    boolean ssh = hasOption(b, "SSH");
    if ((ssh || hasOption(b, "MANIFEST")) && !b.s3.isEmpty()
        && b.s3.get(0).purpose() == S3Location.Purpose.COPY_SOURCE) {
      S3Location source = b.s3.get(0);
      b.setS3(0, new S3Location(source.uri(), source.access(),
          ssh ? S3Location.Purpose.SSH_MANIFEST : S3Location.Purpose.MANIFEST));
    }
    for (int at = 0; at < b.options.size(); at++) {
      CommandOption option = b.options.get(at);
      if (option.name().equals("JSON") || option.name().equals("AVRO") || option.name().equals("FORMAT")) {
        jsonPaths(c.tokens, first, c.limit, option.span(), b);
      } else if (option.name().equals("TEMPLATE") && b.problems.isEmpty()) {
        // COPY with TEMPLATE: "the COPY command combines the parameters from the template with any
        // parameters specified directly in the command", and a template holds data format parameters,
        // so a JSONPaths file 's3://...' the role reads may stand in one the guard never sees
        b.problem(Problem.Kind.UNPARSEABLE, option.span().start(), "COPY ... USING TEMPLATE takes data format "
            + "parameters from a stored template, which may name a JSONPaths file in S3 that the role reads and that "
            + "cannot be checked here; write the parameters in the COPY itself");
      }
    }
    ClauseLoop.strayLocations(c.tokens, first, c.limit, -1, b);
  }

  private static void unreadable(Cursor c, CommandBuilder b, String why) {
    b.problem(Problem.Kind.UNPARSEABLE, c.offset(), "COPY is read as COPY table [(columns)] FROM 'source': " + why
        + ", so the source it reads cannot be found");
  }

  /**
   * The JSONPaths files an option names: its literals as Redshift reads them (option values keep
   * escapes as written, for the emulation), each an S3 location the role reads. A bind parameter
   * there is a location whose value is not known (drivers that inline parameters send it as a
   * literal): a problem, as at every other location.
   */
  private static void jsonPaths(Tokens t, int from, int to, Span span, CommandBuilder b) {
    // from the option's own tokens: a scan from the statement's start for each of its options made a
    // COPY of many JSON options quadratic (100,000 of them took seconds)
    for (int k = Math.max(from, t.firstFrom(span.start())); k < to && t.start(k) < span.end(); k++) {
      if (t.start(k) >= span.start() && t.kind(k) == TokenKind.PARAMETER) {
        b.problem(Problem.Kind.PARAMETER, t.start(k), "the JSONPaths file is a bind parameter; its value cannot "
            + "be checked before it is sent. Write it in the SQL text");
      } else if (t.start(k) >= span.start() && t.kind(k).isLiteral()) {
        String value = b.decisionValue(k, "the JSONPaths file");
        if (value.regionMatches(true, 0, "s3://", 0, 5)) {
          b.addS3(new S3Location(value, S3Location.Access.READ, S3Location.Purpose.JSONPATHS));
        }
      }
    }
  }
}
