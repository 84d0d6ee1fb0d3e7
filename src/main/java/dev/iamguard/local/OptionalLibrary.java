package dev.iamguard.local;

import java.sql.SQLException;

/**
 * The libraries an emulated format needs and a driver user does not get unless asked for: Avro
 * (COPY FORMAT AS AVRO) and Parquet (UNLOAD FORMAT AS PARQUET). They are looked for before any
 * class that uses them is touched, so a missing one is a clear {@code 0AI01}, never a
 * {@link NoClassDefFoundError}.
 */
enum OptionalLibrary {
  AVRO("Avro", "org.apache.avro:avro", "org.apache.avro.file.DataFileStream"),
  PARQUET("Parquet", "org.apache.parquet:parquet-hadoop 1.14 or later (with snappy-java)", "org.apache.parquet.hadoop.ParquetWriter",
      "org.apache.parquet.io.LocalOutputFile", "org.xerial.snappy.Snappy");

  private final String label;
  private final String artifact;
  private final String[] classes;
  private volatile Boolean present;

  OptionalLibrary(String label, String artifact, String... classes) {
    this.label = label;
    this.artifact = artifact;
    this.classes = classes;
  }

  /** Throws {@code 0AI01} naming the library when it is not on the class path. */
  void require(String statement, String what) throws SQLException {
    Boolean known = present;
    if (known == null) {
      known = true;
      for (String name : classes) {
        try {
          Class.forName(name, false, OptionalLibrary.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
          known = false;
        }
      }
      present = known;
    }
    if (!known) {
      throw missing(statement, what, null);
    }
  }

  /** The error for a library found incomplete while in use (a class of it missing at run time). */
  SQLException missing(String statement, String what, Throwable cause) {
    return new SQLException(statement + " " + what + " is emulated on the local database only with the " + label
        + " library on the class path: add " + artifact + " (iamguard declares it as an optional dependency)",
        SqlStates.NOT_EMULATED, cause);
  }
}
