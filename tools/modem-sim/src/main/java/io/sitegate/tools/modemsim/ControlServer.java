package io.sitegate.tools.modemsim;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Live control of a running simulator over TCP on 127.0.0.1: each line is a scenario statement answered with
 * {@code ok} or {@code error: <why>}. Queries answer {@code data: ...} lines then {@code ok}:
 * {@code get journal}, {@code get sms-sent}, {@code get state}, {@code data?} ({@code data: data up} or
 * {@code data: data down}, see {@link DataPath}); {@code clear journal} empties the journal.
 */
public final class ControlServer implements Closeable {

    private static final System.Logger LOG = System.getLogger(ControlServer.class.getName());

    private final ModemSimulator simulator;
    private final ServerSocket server;

    /** @param port TCP port, 0 for any free one */
    public ControlServer(ModemSimulator simulator, int port) throws IOException {
        this.simulator = simulator;
        this.server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        Thread t = new Thread(this::serve, "modem-control");
        t.setDaemon(true);
        t.start();
    }

    /** @return the port listened on */
    public int port() {
        return server.getLocalPort();
    }

    private void serve() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                Thread t = new Thread(() -> session(s), "modem-control-client");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                if (!server.isClosed()) {
                    LOG.log(System.Logger.Level.WARNING, "control accept failed: {0}", e.getMessage());
                }
            }
        }
    }

    private void session(Socket socket) {
        try (socket;
                BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
                PrintWriter out = new PrintWriter(socket.getOutputStream(), true, StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                answer(line.strip(), out);
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "control client gone: {0}", e.getMessage());
        }
    }

    /** Answers one control line; package-private for tests. */
    void answer(String line, Writer writer) {
        PrintWriter out = writer instanceof PrintWriter p ? p : new PrintWriter(writer, true);
        LOG.log(System.Logger.Level.DEBUG, "control: {0}", line);
        switch (line) {
            case "get journal" -> simulator.journal().commands().forEach(c -> out.println("data: " + c));
            case "clear journal" -> simulator.journal().clear();
            case "get sms-sent" -> {
                synchronized (simulator.modem()) {
                    simulator.modem().state().sms().outbox()
                            .forEach(m -> out.println("data: " + m.number() + " " + m.text()));
                }
            }
            case "data?" -> out.println("data: data " + simulator.dataPathState());
            case "get state" -> StateReport.lines(simulator.modem()).forEach(l -> out.println("data: " + l));
            default -> {
                try {
                    simulator.apply(line);
                } catch (ScenarioException e) {
                    out.println("error: " + e.getMessage());
                    out.flush();
                    return;
                }
            }
        }
        out.println("ok");
        out.flush();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
