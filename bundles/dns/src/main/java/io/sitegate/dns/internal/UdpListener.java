package io.sitegate.dns.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves one UDP address with one socket per thread, all bound with SO_REUSEPORT so the kernel spreads
 * clients over them: no lock is shared between the threads on the way in or out.
 */
final class UdpListener implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(UdpListener.class);

    private final List<DatagramChannel> channels = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();

    UdpListener(InetSocketAddress address, int threadCount, Forwarder forwarder) throws IOException {
        try {
            for (int i = 0; i < threadCount; i++) {
                DatagramChannel ch = DatagramChannel.open(address.getAddress() instanceof java.net.Inet6Address
                        ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
                channels.add(ch);
                ch.setOption(StandardSocketOptions.SO_REUSEPORT, threadCount > 1);
                ch.setOption(StandardSocketOptions.SO_RCVBUF, 1 << 20);
                ch.bind(address);
            }
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
        for (int i = 0; i < channels.size(); i++) {
            DatagramChannel ch = channels.get(i);
            Thread t = new Thread(() -> serve(ch, forwarder), "sitegate-dns-udp-" + address + "-" + i);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    private static void serve(DatagramChannel ch, Forwarder forwarder) {
        byte[] in = new byte[65535];
        ByteBuffer inBuf = ByteBuffer.wrap(in);
        byte[] out = Forwarder.newBuffer();
        while (ch.isOpen()) {
            try {
                inBuf.clear();
                SocketAddress from = ch.receive(inBuf);
                InetSocketAddress client = (InetSocketAddress) from;
                forwarder.handle(in, inBuf.position(), client.getAddress(), true, new Reply(ch, client), out);
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException | RuntimeException e) {
                LOG.warn("UDP listener: {}", e.toString());
            }
        }
    }

    /** Sends a response to one client; safe from any thread. */
    private record Reply(DatagramChannel ch, InetSocketAddress client) implements Forwarder.ResponseSink {
        @Override
        public void send(byte[] response, int len, String source) {
            try {
                ch.send(ByteBuffer.wrap(response, 0, len), client);
            } catch (IOException e) {
                LOG.debug("reply to {} lost: {}", client, e.toString());
            }
        }
    }

    @Override
    public void close() {
        for (DatagramChannel ch : channels) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // closing
            }
        }
        for (Thread t : threads) {
            try {
                t.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
