/**
 * What a client is told about the values it sent, whichever package checks them: how they appear in
 * messages ({@link zeroshot.server.messages.Echo}: bounded and on one line), the one exception
 * naming the field at fault ({@link zeroshot.server.messages.InvalidFieldException}) and the rule
 * for client texts ({@link zeroshot.server.messages.TextRule}). {@code api}, {@code inference},
 * {@code labels} and {@code model} use it; it depends on nothing.
 */
package zeroshot.server.messages;
