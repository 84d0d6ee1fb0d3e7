package dev.iamguard.sql;

import java.util.ArrayList;
import java.util.List;

/**
 * Where {@code CREATE EXTERNAL SCHEMA ... FROM source} reads: what the source needs of the auth
 * clause, and whether its {@code DATABASE} names a Glue/Athena catalog database that the role must
 * be allowed (redshift-auth-facts section 3, statement matrix).
 */
public enum SchemaSource {
  /** The Glue/Athena Data Catalog, also when {@code FROM} is left out. */
  DATA_CATALOG("DATA CATALOG"),
  /** A Hive metastore at {@code URI}: its database lives in the metastore, not in Glue. */
  HIVE_METASTORE("HIVE METASTORE"),
  /** A federated PostgreSQL database, reached with {@code SECRET_ARN}. */
  POSTGRES("POSTGRES"),
  /** A federated MySQL database, reached with {@code SECRET_ARN}. */
  MYSQL("MYSQL"),
  /** A Kinesis data stream. */
  KINESIS("KINESIS"),
  /** Amazon MSK: without a role when {@code AUTHENTICATION none}. */
  MSK("MSK"),
  /** Apache Kafka: the role is optional. */
  KAFKA("KAFKA"),
  /** Another Redshift database: no role at all. */
  REDSHIFT("REDSHIFT"),
  /**
   * Source words in an order that names no source ({@code FROM HIVE}, {@code FROM POSTGRES MYSQL}):
   * Redshift refuses the statement; the guard judges it as a source that needs credentials and
   * names no catalog (fail closed).
   */
  UNRECOGNIZED("");

  private final String words;

  SchemaSource(String words) {
    this.words = words;
  }

  /** The source as written after {@code FROM}, upper case ({@code DATA CATALOG}); empty for UNRECOGNIZED. */
  public String words() {
    return words;
  }

  /**
   * Whether the statement's {@code DATABASE} is a Glue/Athena catalog database (judged against the
   * role's {@code glue_databases}).
   */
  public boolean namesCatalog() {
    return this == DATA_CATALOG;
  }

  /**
   * Whether Redshift refuses the statement without an auth clause: Kafka, Redshift, and MSK with
   * {@code AUTHENTICATION none} connect without a role.
   *
   * @param authenticationNone the statement says {@code AUTHENTICATION none}
   */
  public boolean needsCredentials(boolean authenticationNone) {
    return switch (this) {
      case REDSHIFT, KAFKA -> false;
      case MSK -> !authenticationNone;
      default -> true;
    };
  }

  /** Every word a source is written with, each once ({@code DATA}, {@code CATALOG}, {@code HIVE}, ...). */
  static List<String> vocabulary() {
    List<String> vocabulary = new ArrayList<>();
    for (SchemaSource source : values()) {
      for (String word : source.words.split(" ")) {
        if (!word.isEmpty() && !vocabulary.contains(word)) {
          vocabulary.add(word);
        }
      }
    }
    return vocabulary;
  }

  /**
   * The source the upper-case words after {@code FROM} name, joined by single spaces. {@code DATA}
   * or {@code CATALOG} alone is taken as the data catalog: the stricter reading, as its database is
   * then judged against the role's {@code glue_databases}.
   */
  static SchemaSource of(String words) {
    if (words.equals("DATA") || words.equals("CATALOG")) {
      return DATA_CATALOG;
    }
    for (SchemaSource source : values()) {
      if (source != UNRECOGNIZED && source.words.equals(words)) {
        return source;
      }
    }
    return UNRECOGNIZED;
  }
}
