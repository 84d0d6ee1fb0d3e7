package dev.iamguard.sql;

/**
 * {@code CREATE [OR REPLACE] EXTERNAL FUNCTION name (types) RETURNS type volatility
 * { LAMBDA 'fn' | SAGEMAKER 'endpoint' } IAM_ROLE ... [RETRY_TIMEOUT n] ...}.
 */
final class ExternalFunctionParser {
  private ExternalFunctionParser() {}

  static void parse(Cursor c, CommandBuilder b) {
    c.acceptWord("CREATE");
    c.acceptWords("OR", "REPLACE");
    c.acceptWords("EXTERNAL", "FUNCTION");
    int name = c.offset(); // problems of the whole statement point at its name
    b.objectName = c.readName();
    c.skipGroup();
    ClauseLoop.run(c, b, ExternalFunctionParser::clause);
    if (b.lambda == null && b.sagemaker == null && b.problems.isEmpty()) {
      // the function is what the role invokes: one that names none is not judged as invoking nothing
      b.problem(Problem.Kind.UNPARSEABLE, name, "CREATE EXTERNAL FUNCTION names no LAMBDA 'function' or "
          + "SAGEMAKER 'endpoint', so what the role invokes cannot be found");
    }
  }

  private static boolean clause(Cursor c, CommandBuilder b) {
    if (c.isWord("LAMBDA")) {
      // one function is invoked: LAMBDA and SAGEMAKER are alternatives of the grammar
      b.once("LAMBDA or SAGEMAKER", c.offset());
      c.pos++;
      b.lambda = ClauseLoop.resourceLiteral(c, b, "LAMBDA function");
      return true;
    }
    if (c.isWord("SAGEMAKER")) {
      b.once("LAMBDA or SAGEMAKER", c.offset());
      c.pos++;
      b.sagemaker = ClauseLoop.resourceLiteral(c, b, "SAGEMAKER endpoint");
      return true;
    }
    return false;
  }
}
