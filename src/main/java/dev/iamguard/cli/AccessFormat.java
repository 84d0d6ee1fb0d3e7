package dev.iamguard.cli;

/** Formats of {@code iamguard access}; lower-case names are what users type. */
enum AccessFormat {
  text,
  json,
  html
}
