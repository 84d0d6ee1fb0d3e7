package dev.iamguard.cli;

/** Report formats; lower-case names are what users type. */
enum ReportFormat {
  text,
  json,
  sarif
}
