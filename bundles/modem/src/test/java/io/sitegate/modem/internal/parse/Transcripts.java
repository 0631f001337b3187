package io.sitegate.modem.internal.parse;

import io.sitegate.modem.AtCommand;
import io.sitegate.modem.AtResponse;
import io.sitegate.modem.FinalResult;
import io.sitegate.modem.internal.codec.FinalResultCodes;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Loads reply transcripts from src/test/resources/transcripts ('#' lines name the source) and builds responses. */
public final class Transcripts {

    private Transcripts() {
    }

    /** The non-comment lines of a transcript. */
    public static List<String> lines(String name) {
        try (InputStream in = Transcripts.class.getResourceAsStream("/transcripts/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no transcript " + name);
            }
            List<String> lines = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.startsWith("#") && !line.isBlank()) {
                    lines.add(line.strip());
                }
            }
            return lines;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The transcript as the modem sends it, CRLF framed. */
    public static String wire(String name) {
        StringBuilder wire = new StringBuilder();
        lines(name).forEach(l -> wire.append("\r\n").append(l).append("\r\n"));
        return wire.toString();
    }

    /** A response to {@code command} from a transcript. */
    public static AtResponse fromFile(String command, String name) {
        return response(command, lines(name).toArray(String[]::new));
    }

    /** A response from lines; the last line must be a final result code. */
    public static AtResponse response(String command, String... lines) {
        List<String> info = new ArrayList<>(List.of(lines).subList(0, lines.length - 1));
        Optional<FinalResult> fin = FinalResultCodes.parse(lines[lines.length - 1]);
        return new AtResponse(AtCommand.of(command), info, fin.orElseThrow(), Duration.ofMillis(5));
    }
}
