/**
 * Local runs of Spark and other Hadoop clients: {@link dev.iamguard.hadoop.LocalS3FileSystem} maps
 * the {@code s3}, {@code s3a} and {@code s3n} schemes onto the folder the local COPY and UNLOAD
 * emulation uses, under the same containment rules, so staged files land where the emulated
 * statements look.
 *
 * <p>Hadoop's client API is a provided dependency: nothing else in iamguard names it, and the
 * driver never loads this package. Uses {@code local} and {@code sql} only.
 */
package dev.iamguard.hadoop;
