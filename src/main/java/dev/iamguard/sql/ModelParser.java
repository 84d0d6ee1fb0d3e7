package dev.iamguard.sql;

import java.util.List;

/**
 * {@code CREATE MODEL name FROM { table | (query) | 'training-job' | 's3://model.tar.gz' } TARGET .. FUNCTION ..
 * IAM_ROLE .. SETTINGS (S3_BUCKET 'b', ...)}, its remote SageMaker form, and
 * {@code CREATE EXTERNAL MODEL} (Bedrock).
 */
final class ModelParser {
  private ModelParser() {}

  static void parse(Cursor c, CommandBuilder b) {
    c.acceptWord("CREATE");
    c.acceptWord("EXTERNAL");
    c.acceptWord("MODEL");
    int name = c.offset(); // a problem of the whole statement points at its name
    b.objectName = c.readName();
    ClauseLoop.run(c, b, ModelParser::clause);
    boolean bucket = b.s3.stream().anyMatch(location -> location.purpose() == S3Location.Purpose.MODEL_BUCKET);
    if (b.kind == CommandKind.CREATE_MODEL && !bucket && b.sagemaker == null && b.problems.isEmpty()) {
      // the bucket is what the role writes (facts: SETTINGS (S3_BUCKET 'b'), or the remote form's SAGEMAKER 'ep')
      b.problem(Problem.Kind.UNPARSEABLE, name, "CREATE MODEL names no SETTINGS (S3_BUCKET 'bucket') nor "
          + "SAGEMAKER 'endpoint', so what the role writes or invokes cannot be found");
    }
  }

  private static boolean clause(Cursor c, CommandBuilder b) {
    if (c.isWord("FROM")) {
      b.once("FROM", c.offset());
      c.pos++;
      from(c, b);
      return true;
    }
    if (c.isWord("SAGEMAKER")) {
      b.once("SAGEMAKER", c.offset());
      c.pos++;
      b.sagemaker = ClauseLoop.resourceLiteral(c, b, "SAGEMAKER endpoint");
      return true;
    }
    if (c.isWord("SETTINGS") && c.pos + 1 < c.limit && c.tokens.kind(c.pos + 1) == TokenKind.LEFT_PAREN) {
      c.pos++;
      settings(c, b);
      return true;
    }
    return false;
  }

  private static void from(Cursor c, CommandBuilder b) {
    int start = c.pos;
    if (c.is(TokenKind.LEFT_PAREN)) {
      c.skipGroup();
      int innerStart = c.tokens.start(start) + 1;
      int innerEnd = c.tokens.kind(c.pos - 1) == TokenKind.RIGHT_PAREN
          ? c.tokens.start(c.pos - 1) : c.tokens.end(c.pos - 1);
      String text = c.tokens.source().substring(innerStart, Math.max(innerStart, innerEnd)).strip();
      b.query = new EmbeddedQuery(text, new Span(c.tokens.start(start), c.tokens.end(c.pos - 1)));
    } else if (c.isLiteral()) {
      // a training job name, or (bring your own model) the S3 object of the model artifacts
      String from = c.literalValue();
      b.option("FROM", List.of(from), c.tokens.start(c.pos), c.tokens.end(c.pos));
      c.pos++;
      if (from.regionMatches(true, 0, "s3://", 0, 5)) {
        b.addS3(new S3Location(from, S3Location.Access.READ, S3Location.Purpose.MODEL_ARTIFACT));
      }
    } else if (c.is(TokenKind.PARAMETER)) {
      // where an S3 object of model artifacts may stand (probe 22a F3)
      b.problem(Problem.Kind.PARAMETER, c.offset(), "CREATE MODEL's FROM is a bind parameter; it may name the S3 object"
          + " of the model's artifacts, whose value cannot be checked before it is sent. Write it in the SQL text");
      c.pos++;
    } else {
      String table = c.readName();
      if (table != null) {
        b.query = new EmbeddedQuery(table, new Span(c.tokens.start(start), c.tokens.end(c.pos - 1)),
            List.of(table));
      } else {
        b.problem(Problem.Kind.UNPARSEABLE, c.offset(), "CREATE MODEL's FROM is neither a table, a query in"
            + " parentheses nor a quoted literal (a training job or the S3 object of the model's artifacts)");
      }
    }
  }

  /** Reads {@code SETTINGS ( KEY value [, ...] )}: S3_BUCKET is a location the model writes. */
  private static void settings(Cursor c, CommandBuilder b) {
    int open = c.pos;
    c.skipGroup();
    int close = c.tokens.kind(c.pos - 1) == TokenKind.RIGHT_PAREN ? c.pos - 1 : c.pos;
    Cursor inner = new Cursor(c.tokens, open + 1, close);
    while (!inner.atEnd()) {
      if (inner.isWord("S3_BUCKET")) {
        inner.pos++;
        String bucket = ClauseLoop.resourceLiteral(inner, b, "S3_BUCKET");
        if (bucket != null) {
          b.addS3(new S3Location("s3://" + bucket, S3Location.Access.WRITE, S3Location.Purpose.MODEL_BUCKET));
        }
      } else if (!inner.accept(TokenKind.COMMA) && !AuthClauseParser.read(inner, b)) {
        OptionReader.read(inner, b);
      }
    }
  }
}
