package dev.iamguard.local;

import dev.iamguard.sql.CommandOption;
import dev.iamguard.sql.RedshiftCommand;
import java.math.BigDecimal;
import java.sql.SQLException;

/**
 * UNLOAD's options, validated; an option is emulated, accepted because it cannot change the files
 * written, or refused ({@code 0AI01}) by name.
 *
 * <table>
 *   <caption>UNLOAD options</caption>
 *   <tr><th>emulated</th><td>FORMAT [AS] CSV | PARQUET (with the optional Parquet library), CSV, DELIMITER, HEADER, ADDQUOTES, ESCAPE, NULL AS,
 *     GZIP, MANIFEST [VERBOSE], ALLOWOVERWRITE, PARALLEL [ON | TRUE | OFF | FALSE],
 *     MAXFILESIZE [AS] n [MB | GB] (5 MB to 6.2 GB), EXTENSION</td></tr>
 *   <tr><th>accepted, no local effect</th><td>REGION (one local folder)</td></tr>
 *   <tr><th>refused</th><td>everything else, among them JSON, FORMAT JSON,
 *     PARTITION BY, FIXEDWIDTH, ENCRYPTED, KMS_KEY_ID, MASTER_SYMMETRIC_KEY, BZIP2, ZSTD,
 *     ROWGROUPSIZE, CLEANPATH; and ESCAPE or ADDQUOTES together with CSV, whose Redshift output
 *     is not documented</td></tr>
 * </table>
 */
final class UnloadOptions {
  private static final String UNLOAD = "UNLOAD";
  private static final long MB = 1024L * 1024L;
  private static final long MIN_FILE = 5 * MB;
  /** The reference's default and largest file: 6.2 GB. */
  static final long MAX_FILE = (long) (6.2 * 1024 * MB);

  boolean csv;
  /** FORMAT AS PARQUET: one SNAPPY Parquet file, see {@link ParquetPart}. */
  boolean parquet;
  Character delimiter;
  boolean header;
  boolean addQuotes;
  boolean escape;
  String nullString = "";
  boolean nullGiven;
  boolean gzip;
  boolean manifest;
  boolean verbose;
  boolean allowOverwrite;
  boolean parallel = true;
  long maxFileSize = MAX_FILE;
  String extension;

  private UnloadOptions() {}

  static UnloadOptions of(RedshiftCommand command) throws SQLException {
    UnloadOptions o = new UnloadOptions();
    java.util.Set<String> given = new java.util.HashSet<>();
    for (CommandOption option : command.options()) {
      if (!given.add(option.name())) {
        throw SqlStates.redundantOption(UNLOAD, option.name() + " is given twice");
      }
      o.read(option);
    }
    if (o.parquet && o.maxFileSize != MAX_FILE) {
      // one Parquet file is written, whatever its size: Redshift would write several
      throw SqlStates.notEmulated(UNLOAD, "MAXFILESIZE together with FORMAT AS PARQUET");
    }
    if (o.parquet && (o.csv || o.delimiter != null || o.header || o.addQuotes || o.escape || o.nullGiven || o.gzip)) {
      throw SqlStates.invalidOption("UNLOAD FORMAT AS PARQUET cannot be combined with CSV, DELIMITER, HEADER, ADDQUOTES,"
          + " ESCAPE, NULL AS or GZIP (Parquet files carry their own types and compression)");
    }
    if (o.csv && o.escape) {
      throw SqlStates.notEmulated(UNLOAD, "ESCAPE together with CSV");
    }
    if (o.csv && o.addQuotes) {
      throw SqlStates.notEmulated(UNLOAD, "ADDQUOTES together with CSV");
    }
    char d = o.delimiter();
    if (d == '\n' || d == '\r' || o.csv && d == '"') {
      throw SqlStates.invalidOption("UNLOAD option DELIMITER cannot be a line break or, with CSV, a double quote");
    }
    return o;
  }

  /** The delimiter in effect: as given, else comma for CSV and pipe for text. */
  char delimiter() {
    return delimiter != null ? delimiter : csv ? ',' : '|';
  }

  private void read(CommandOption option) throws SQLException {
    switch (option.name()) {
      case "CSV" -> csv = true;
      case "PARQUET" -> parquet = true;
      case "FORMAT" -> {
        String kind = OptionValues.required(UNLOAD, option);
        switch (kind) {
          case "CSV" -> csv = true;
          case "PARQUET" -> parquet = true;
          default -> throw SqlStates.notEmulated(UNLOAD, "FORMAT AS " + kind);
        }
      }
      case "DELIMITER" -> delimiter = OptionValues.asciiCharacter(UNLOAD, option);
      case "HEADER" -> header = true;
      case "ADDQUOTES" -> addQuotes = true;
      case "ESCAPE" -> escape = true;
      case "NULL" -> {
        nullString = OptionValues.required(UNLOAD, option);
        nullGiven = true;
      }
      case "GZIP" -> gzip = true;
      case "MANIFEST" -> {
        manifest = true;
        verbose = "VERBOSE".equals(option.value());
      }
      case "ALLOWOVERWRITE" -> allowOverwrite = true;
      case "PARALLEL" -> parallel = OptionValues.onOff(UNLOAD, option);
      case "MAXFILESIZE" -> maxFileSize = fileSize(option);
      case "EXTENSION" -> {
        extension = OptionValues.required(UNLOAD, option);
        if (extension.isEmpty() || !validExtension(extension)) {
          throw SqlStates.invalidOption("UNLOAD option EXTENSION must be a non-empty file name suffix without '/',"
              + " '\\', NUL or other control characters");
        }
      }
      case "REGION" -> { }
      default -> throw SqlStates.refusedOption(UNLOAD, option.name(), RedshiftOptions.UNLOAD);
    }
  }

  /** A suffix every part file name can carry: no separator, no control character, valid on this file system. */
  private static boolean validExtension(String extension) {
    for (int i = 0; i < extension.length(); i++) {
      char c = extension.charAt(i);
      if (c == '/' || c == '\\' || Character.isISOControl(c)) {
        return false;
      }
    }
    try {
      java.nio.file.Path.of("0000_part_00." + extension);
      return true;
    } catch (java.nio.file.InvalidPathException e) {
      return false;
    }
  }

  private static long fileSize(CommandOption option) throws SQLException {
    String amount = OptionValues.required(UNLOAD, option);
    String unit = option.values().size() > 1 ? option.values().get(1) : "MB";
    try {
      BigDecimal bytes = new BigDecimal(amount).multiply(BigDecimal.valueOf(unit.equals("GB") ? 1024 * MB : MB));
      if ((unit.equals("MB") || unit.equals("GB")) && bytes.compareTo(BigDecimal.valueOf(MIN_FILE)) >= 0
          && bytes.compareTo(BigDecimal.valueOf(MAX_FILE)) <= 0) {
        return bytes.longValue();
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw SqlStates.invalidOption("UNLOAD option MAXFILESIZE must be between 5 MB and 6.2 GB, not '"
        + String.join(" ", option.values()) + "'");
  }
}
