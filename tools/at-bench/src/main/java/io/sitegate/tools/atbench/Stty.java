package io.sitegate.tools.atbench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Sets line settings of a tty through stty(1). */
final class Stty {

    private Stty() {
    }

    static void set(Path device, String... settings) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("stty", "-F", device.toString()));
        cmd.addAll(List.of(settings));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed: " + out);
        }
    }
}
