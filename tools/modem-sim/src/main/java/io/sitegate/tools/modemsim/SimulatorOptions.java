package io.sitegate.tools.modemsim;

import java.nio.file.Path;

/**
 * Command-line options of the simulator.
 *
 * @param vendor      dialect
 * @param pty         existing pty to serve, or null
 * @param socatLink   symlink for the host when the simulator starts socat itself, or null
 * @param tcpPort     TCP port on 127.0.0.1, or -1
 * @param script      scenario file, or null
 * @param controlPort control channel port, or -1
 * @param journal     file the journal is appended to, or null
 * @param verbose     log every command and answer to stderr
 * @param dataHook    executable run with up|down when the data path opens or closes, or null
 */
public record SimulatorOptions(Vendor vendor, Path pty, Path socatLink, int tcpPort, Path script, int controlPort,
        Path journal, boolean verbose, Path dataHook) {

    /** Usage text for {@code --help} and errors. */
    public static final String USAGE = """
            usage: java -jar sitegate-modem-sim.jar (--pty <path> | --socat <link> | --tcp <port>) [options]
              --pty <path>        serve an existing pty (one end of a socat pair)
              --socat <link>      start socat; the gateway opens <link>, the simulator serves <link>.sim
              --tcp <port>        listen on 127.0.0.1:<port>, one client at a time (0 = any free port)
              --vendor <id>       generic | quectel-ec25 | quectel-bg96 | simcom-sim7600 | ublox-sara-r4 | ublox-sara-r5
                                  (default quectel-ec25)
              --script <file>     run a scenario file (see README)
              --control <port>    accept scenario lines on 127.0.0.1:<port>
              --journal <file>    append every received command line to <file> (PINs masked), and 'data up' /
                                  'data down' at each data path transition
              --data-hook <exe>   run '<exe> up' / '<exe> down' when the data path (SIM ready, registered, radio on,
                                  a PDP context active, not unplugged) opens or closes, and once at start; 10 s at
                                  most, in order, latest state wins (control: 'data?')
              --verbose           log commands, answers and events to stderr
              --help              show this text""";

    /**
     * @return the parsed options
     * @throws IllegalArgumentException with a message for the user
     */
    public static SimulatorOptions parse(String[] args) {
        Vendor vendor = Vendor.QUECTEL_EC25;
        Path pty = null;
        Path socat = null;
        int tcp = -1;
        Path script = null;
        int control = -1;
        Path journal = null;
        boolean verbose = false;
        Path dataHook = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--vendor" -> vendor = Vendor.byId(value(args, ++i, a));
                case "--pty" -> pty = Path.of(value(args, ++i, a));
                case "--socat" -> socat = Path.of(value(args, ++i, a));
                case "--tcp" -> tcp = port(value(args, ++i, a), a);
                case "--script" -> script = Path.of(value(args, ++i, a));
                case "--control" -> control = port(value(args, ++i, a), a);
                case "--journal" -> journal = Path.of(value(args, ++i, a));
                case "--verbose" -> verbose = true;
                case "--data-hook" -> dataHook = Path.of(value(args, ++i, a));
                default -> throw new IllegalArgumentException("unknown option '" + a + "'");
            }
        }
        int endpoints = (pty != null ? 1 : 0) + (socat != null ? 1 : 0) + (tcp >= 0 ? 1 : 0);
        if (endpoints != 1) {
            throw new IllegalArgumentException("give exactly one of --pty, --socat, --tcp");
        }
        if (dataHook != null && !java.nio.file.Files.isExecutable(dataHook)) {
            throw new IllegalArgumentException("--data-hook " + dataHook + ": not an executable file");
        }
        return new SimulatorOptions(vendor, pty, socat, tcp, script, control, journal, verbose, dataHook);
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    private static int port(String s, String option) {
        try {
            int p = Integer.parseInt(s);
            if (p < 0 || p > 65535) {
                throw new NumberFormatException();
            }
            return p;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " needs a port 0..65535, got '" + s + "'");
        }
    }
}
