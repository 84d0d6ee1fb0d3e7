package dev.iamguard.sql;

import java.util.ArrayList;
import java.util.List;

/**
 * The upper-case words the grammar names things by (COPY and UNLOAD options and their value words,
 * external schema sources, auth words), looked up in any case without allocating: the grammar
 * upper-cases every option name it reads, and most are one of these.
 *
 * <p>An open-addressing table hashed on the case-folded characters; a hit is confirmed by
 * {@link Tokens#sameWord}. A word not in the table is simply not known: callers then fold it
 * themselves, so completeness is a matter of speed, never of meaning.
 */
final class Keywords {
  private static final String[] GRAMMAR_WORDS = {
      // COPY, UNLOAD and the auth-carrying DDL: options and the words around them
      "AS", "FROM", "TO", "WITH", "IAM_ROLE", "CREDENTIALS", "ACCESS_KEY_ID", "SECRET_ACCESS_KEY",
      "SESSION_TOKEN", "CATALOG_ROLE", "MASTER_SYMMETRIC_KEY", "DEFAULT", "REGION", "MANIFEST",
      "ENCRYPTED", "KMS_KEY_ID", "FORMAT", "CSV", "QUOTE", "DELIMITER", "FIXEDWIDTH", "SHAPEFILE",
      "AVRO", "JSON", "PARQUET", "ORC", "TEXT", "BZIP2", "GZIP", "LZOP", "ZSTD", "ACCEPTANYDATE",
      "ACCEPTINVCHARS", "BLANKSASNULL", "DATEFORMAT", "EMPTYASNULL", "ENCODING", "ESCAPE",
      "EXPLICIT_IDS", "FILLRECORD", "IGNOREBLANKLINES", "IGNOREHEADER", "NULL", "REMOVEQUOTES",
      "ROUNDEC", "TIMEFORMAT", "TRIMBLANKS", "TRUNCATECOLUMNS", "COMPROWS", "COMPUPDATE",
      "MAXERROR", "NOLOAD", "STATUPDATE", "SERIALIZETOJSON", "READRATIO", "HEADER", "ADDQUOTES",
      "PARALLEL", "MAXFILESIZE", "ROWGROUPSIZE", "ALLOWOVERWRITE", "CLEANPATH", "PARTITION",
      "EXTENSION", "INCLUDE", "BY", "ON", "OFF", "TRUE", "FALSE", "AUTO", "KB", "MB", "GB",
      "VERBOSE", "PRESET", "SIMPLIFY", "EXCEPT", "JOB", "CREATE", "MODEL_TYPE",
      "PROBLEM_TYPE", "TARGET", "AUTHENTICATION", "LANGUAGE", "RETURNS", "FUNCTION", "OWNER",
      "DATASHARE", "SETTINGS", "OBJECTIVE", "HYPERPARAMETERS", "S3_BUCKET", "S3_GARBAGE_COLLECT",
      "MAX_CELLS", "MAX_RUNTIME", "SAGEMAKER", "LAMBDA", "VOLATILE", "STABLE", "IMMUTABLE",
      "RETRY_TIMEOUT", "MAX_BATCH_ROWS", "MAX_BATCH_SIZE", "DATABASE", "SCHEMA", "URI", "PORT",
      "SECRET_ARN", "CLUSTER_ARN", "IF", "NOT", "EXISTS", "EXTERNAL", "TABLE",
  };
  /** The words above, and the words CREATE/ALTER EXTERNAL SCHEMA sources are written with. */
  private static final String[] WORDS = withSchemaSources(GRAMMAR_WORDS);
  private static final int MASK = 511;
  private static final String[] TABLE = new String[MASK + 1];

  static {
    for (String word : WORDS) {
      int slot = hash(word, 0, word.length()) & MASK;
      while (TABLE[slot] != null && !TABLE[slot].equals(word)) {
        slot = (slot + 1) & MASK;
      }
      TABLE[slot] = word;
    }
  }

  private Keywords() {}

  private static String[] withSchemaSources(String[] words) {
    List<String> all = new ArrayList<>(List.of(words));
    all.addAll(SchemaSource.vocabulary());
    return all.toArray(String[]::new);
  }

  /** Every known word (a copy, for tests). */
  static String[] words() {
    return WORDS.clone();
  }

  /**
   * The known upper-case word that {@code source[start, end)} spells in any case, as the one
   * shared constant; null when the word is not in the table.
   */
  static String lookup(String source, int start, int end) {
    int length = end - start;
    for (int slot = hash(source, start, end) & MASK; ; slot = (slot + 1) & MASK) {
      String word = TABLE[slot];
      if (word == null) {
        return null;
      }
      if (word.length() == length && Tokens.sameWord(source, start, word)) {
        return word;
      }
    }
  }

  /** A hash that ignores the case of ASCII letters (bit 0x20), the way sameWord compares. */
  private static int hash(String text, int start, int end) {
    int h = end - start;
    for (int k = start; k < end; k++) {
      h = 31 * h + (text.charAt(k) & ~0x20);
    }
    return h ^ (h >>> 9);
  }
}
