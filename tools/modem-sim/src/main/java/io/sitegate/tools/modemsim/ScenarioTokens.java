package io.sitegate.tools.modemsim;

import java.util.ArrayList;
import java.util.List;

/**
 * A scenario line split at blanks; double quotes group blanks into a token and are kept in it
 * ({@code name="o2 - de"}, {@code AT+QCFG="nwscanmode",3}). Remembers where each token starts so a statement
 * can take the raw rest of the line (URC text).
 */
final class ScenarioTokens {

    private final String line;
    private final List<String> tokens = new ArrayList<>();
    private final List<Integer> starts = new ArrayList<>();

    ScenarioTokens(String line) {
        this.line = line;
        int i = 0;
        while (i < line.length()) {
            while (i < line.length() && Character.isWhitespace(line.charAt(i))) {
                i++;
            }
            if (i >= line.length()) {
                break;
            }
            int start = i;
            boolean quoted = false;
            while (i < line.length() && (quoted || !Character.isWhitespace(line.charAt(i)))) {
                if (line.charAt(i) == '"') {
                    quoted = !quoted;
                }
                i++;
            }
            if (quoted) {
                throw new IllegalArgumentException("unbalanced double quote");
            }
            tokens.add(line.substring(start, i));
            starts.add(start);
        }
    }

    int size() {
        return tokens.size();
    }

    /** @return token i, or null past the end */
    String get(int i) {
        return i < tokens.size() ? tokens.get(i) : null;
    }

    /** @return the raw text from token i to the end of the line, or null past the end */
    String rest(int i) {
        return i < tokens.size() ? line.substring(starts.get(i)).strip() : null;
    }

    /** @return tokens from index i on */
    List<String> from(int i) {
        return i < tokens.size() ? tokens.subList(i, tokens.size()) : List.of();
    }
}
