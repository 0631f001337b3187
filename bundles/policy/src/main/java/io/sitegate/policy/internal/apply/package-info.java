/**
 * A verified policy applied as one transaction, with its journal and boot recovery (internal).
 *
 * <h2>The journal</h2>
 * One {@link io.sitegate.core.StateStore} document, {@code policy.journal} (atomic replace, fsynced,
 * checksummed, previous generation kept), JSON:
 * <pre>
 * {"format":1, "phase":"APPLYING", "version":2, "target":"gw-0042", "keyId":"cloud-2026",
 *  "candidate":"{...the verified document as JSON...}", "lkgVersion":1,
 *  "lkg":{"dns":{"io.sitegate.dns":{"upstreams":"10.8.0.1:53"}}, ...},   snapshots before anything was applied
 *  "fallback":{...},                                                    only while FALLING_BACK
 *  "reason":"", "highWaterMarks":{"gw-0042":1}, "inForceVersion":1}
 * </pre>
 * The high-water marks and the version in force live in the same document as the phase, so the write that
 * says CONFIRMED is the write that raises the high-water mark: one rename, no window between them.
 *
 * <h2>Every crash point</h2>
 * Writes: W1 PREPARED, W2 APPLYING, each section applied in order (cellular, modem, dns, tunnels, filter),
 * W3 CONFIRMING, then W4 CONFIRMED, or ROLLING_BACK, restores newest first, ROLLED_BACK; a restore that
 * throws writes FALLING_BACK (with the fallback sections), applies them, writes FALLBACK.
 * <table>
 * <tr><th>power lost</th><th>journal on disk</th><th>{@code recover()}</th></tr>
 * <tr><td>before W1 is durable</td><td>the last transaction's final phase</td><td>nothing: no section was touched</td></tr>
 * <tr><td>after W1, before W2</td><td>PREPARED</td><td>DISCARDED: nothing was applied</td></tr>
 * <tr><td>after W2, during any apply (even between two configurations of one section), before W3</td>
 *     <td>APPLYING</td><td>restore every snapshot, ROLLED_BACK "interrupted by a restart"</td></tr>
 * <tr><td>after W3, in the confirm window, before W4</td><td>CONFIRMING</td><td>the same: the new policy was never confirmed</td></tr>
 * <tr><td>after W4</td><td>CONFIRMED, high-water mark = new version</td><td>nothing: the new policy is in force</td></tr>
 * <tr><td>during a rollback</td><td>ROLLING_BACK (or still APPLYING/CONFIRMING)</td><td>restore every snapshot again, ROLLED_BACK</td></tr>
 * <tr><td>during a fallback</td><td>FALLING_BACK</td><td>apply the journaled fallback sections again, FALLBACK</td></tr>
 * <tr><td>during recovery</td><td>unchanged non-final phase</td><td>the same again: restores and fallback applies are idempotent</td></tr>
 * </table>
 * A journal write is all or nothing ({@code FileStateStore}: temp file, fsync, rename, directory fsync), so
 * the table has no torn rows. A corrupt current generation makes the store hand out the previous one, one
 * step behind: harmless everywhere except behind PREPARED (the hidden APPLYING may have touched sections),
 * which is therefore recovered like APPLYING.
 *
 * <p>The confirm window is measured by the {@link io.sitegate.policy.internal.apply.ConfirmTimer}
 * (monotonic), not by the wall clock, which jumps when a gateway without a real-time clock first hears NTP.
 */
package io.sitegate.policy.internal.apply;
