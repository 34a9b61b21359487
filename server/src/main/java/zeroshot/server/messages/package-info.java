/**
 * What a client is told about the values it sent, whichever package checks them: how they appear in
 * messages ({@link zeroshot.server.messages.Echo}: bounded and on one line), the one exception
 * naming the field at fault ({@link zeroshot.server.messages.InvalidFieldException}), the rule for
 * client texts ({@link zeroshot.server.messages.TextRule}), and the nearest known name to an
 * unknown one ({@link zeroshot.server.messages.NearestKey}), for operators' keys as well. {@code
 * api}, {@code inference}, {@code labels}, {@code model} and {@code config} use it; it depends on
 * nothing.
 */
package zeroshot.server.messages;
