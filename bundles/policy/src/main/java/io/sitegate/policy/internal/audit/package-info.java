/**
 * The append-only, hash-chained audit trail (internal).
 *
 * <h2>Format</h2>
 * Files {@code audit-<first seq, 20 digits>.log}, one JSON object per line, UTF-8, {@code \n}-terminated:
 * <pre>
 * {"seq":7,"time":"2026-12-04T10:00:00.123Z","event":"policy.applied","version":2,"target":"gw-0042",
 *  "keyId":"cloud-2026","outcome":"APPLIED","reason":"","prevHash":"9f..","hash":"3a.."}
 * </pre>
 * {@code hash} = hex(SHA-256(prevHash as 32 bytes || UTF-8 of the line without its {@code hash} field)),
 * the line's fields in exactly this order (the canonical form is checked on reading, so a re-encoded line
 * is an altered one). The first entry's {@code prevHash} is 64 zeros; the first entry of each later file
 * chains to the last one of the file before. Text fields are escaped with
 * {@link io.sitegate.core.SafeText} and capped (reason 300 characters, others 100).
 *
 * <h2>Power loss</h2>
 * Each append is one write of the whole line and an fsync; a new file is made durable with a directory
 * fsync before its first entry returns. What power loss can leave is an incomplete last line: verify()
 * reports {@code TORN}, not tampering, and open() cuts it off and appends an {@code audit.repaired} entry
 * saying how many bytes went. With an anchor store, the chain's head and base are also kept in the
 * {@link io.sitegate.core.StateStore} after each append and rotation, so entries cut off the end, or an
 * oldest file deleted by hand, show; the anchor may lag the log by one entry (power lost between the two
 * fsyncs), which is not reported.
 */
package io.sitegate.policy.internal.audit;
