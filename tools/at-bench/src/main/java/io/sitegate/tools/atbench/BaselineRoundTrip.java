package io.sitegate.tools.atbench;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The bare baseline: one thread, a {@link RandomAccessFile} on the host end of the pty, blocking
 * {@code read(2)} with {@code VMIN=1 VTIME=0}, write {@code AT\r} and read until {@code OK\r\n}.
 * This is "the modem's own reply": pty, socat and the simulator, nothing else.
 *
 * <p>The file stays open for the whole run (it also keeps the pty alive while the other modes close their
 * descriptors: socat ends when the last one closes). The line settings are reset at each block because
 * jSerialComm leaves {@code VMIN=0 VTIME=0} behind when it closes the port.
 */
final class BaselineRoundTrip implements RoundTrip {

    private static final byte[] AT = "AT\r".getBytes(StandardCharsets.US_ASCII);

    private final Path device;
    private final RandomAccessFile file;
    private final OkMatcher matcher = new OkMatcher();
    private final byte[] buffer = new byte[256];

    BaselineRoundTrip(Path device, RandomAccessFile file) {
        this.device = device;
        this.file = file;
    }

    @Override
    public String name() {
        return "baseline";
    }

    @Override
    public String description() {
        return "RandomAccessFile on the pty, one thread, blocking write(\"AT\\r\") + read() until \"OK\\r\\n\"";
    }

    @Override
    public void open() throws IOException, InterruptedException {
        // read(2) returns 0 after 100 ms of silence: drain what an earlier mode or the boot URCs left
        Stty.set(device, "raw", "-echo", "min", "0", "time", "1");
        while (file.read(buffer) > 0) {
            // discard
        }
        Stty.set(device, "raw", "-echo", "min", "1", "time", "0");
        file.write("ATE0\r".getBytes(StandardCharsets.US_ASCII));
        roundTripRest();
    }

    @Override
    public void roundTrip() throws IOException {
        file.write(AT);
        roundTripRest();
    }

    private void roundTripRest() throws IOException {
        matcher.reset();
        while (true) {
            int n = file.read(buffer);
            if (n < 0) {
                throw new IOException("end of stream on " + device);
            }
            if (matcher.feed(buffer, n)) {
                return;
            }
        }
    }

    @Override
    public void close() {
        // the file stays open (keeper of the pty); closed by the harness at the end
    }
}
