/**
 * Operator access to the gateway: who may log in over SSH, with which keys, and what an SSH session may do
 * beyond the shell (nothing: every kind of forwarding is refused).
 *
 * <p>This bundle has no public API; it changes how Karaf's own SSH server and JAAS realm behave.
 */
package io.sitegate.access;
