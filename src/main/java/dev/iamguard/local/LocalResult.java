package dev.iamguard.local;

/**
 * What an emulated statement did.
 *
 * @param rows rows loaded by COPY or unloaded by UNLOAD; 0 for recorded DDL
 * @param note one line for people: what was done, rows skipped under MAXERROR, or why a statement
 *     was only recorded (e.g. {@code recorded only: CREATE EXTERNAL SCHEMA is not emulated on H2})
 */
public record LocalResult(long rows, String note) {}
