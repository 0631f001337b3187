package io.sitegate.modem;

/** Turns a response into a value; fails with an {@link AtParseException} naming the command and line. */
@FunctionalInterface
public interface ReplyParser<T> {
    /** Parses a successful or failed response (some parsers read meaning from errors, e.g. CME 10). */
    T parse(AtResponse response) throws AtParseException;
}
