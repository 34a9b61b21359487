/**
 * How client-supplied values appear in error messages ({@link zeroshot.server.messages.Echo}):
 * bounded and on one line, whichever package builds the message.
 */
package zeroshot.server.messages;
