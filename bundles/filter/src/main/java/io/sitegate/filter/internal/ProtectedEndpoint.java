package io.sitegate.filter.internal;

import io.sitegate.filter.internal.FilterRule.Proto;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.List;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * What the gateway must always reach, whatever the rules say: its MQTT broker ({@code io.sitegate.policy broker}),
 * its DNS upstreams ({@code io.sitegate.dns upstreams}) and its tunnel endpoints ({@code io.sitegate.tunnel~*
 * endpoints}, IKE on udp/500 and udp/4500, OpenVPN on its port). Read from ConfigAdmin when the filter is checked or
 * loaded; names are resolved then (a name that does not resolve cannot be protected by address, and is reported).
 *
 * @param what    for a technician: {@code the MQTT broker mqtt.example.net:8883}
 * @param address the address
 * @param proto   its protocol
 * @param port    its port
 */
record ProtectedEndpoint(String what, InetAddress address, Proto proto, int port) {

    /** Every protected endpoint; {@code unresolved} gets the names that did not resolve. */
    static List<ProtectedEndpoint> read(ConfigurationAdmin configAdmin, List<String> unresolved) throws IOException {
        List<ProtectedEndpoint> out = new ArrayList<>();
        Dictionary<String, Object> policy = properties(configAdmin, "io.sitegate.policy");
        if (policy != null && policy.get("broker") instanceof String broker && !broker.isBlank()) {
            try {
                URI u = URI.create(broker.strip());
                int port = u.getPort() > 0 ? u.getPort() : "ssl".equals(u.getScheme()) ? 8883 : 1883;
                add(out, unresolved, "the MQTT broker " + u.getHost() + ":" + port, u.getHost(), Proto.TCP, port);
            } catch (IllegalArgumentException e) {
                unresolved.add(broker);
            }
        }
        Dictionary<String, Object> dns = properties(configAdmin, "io.sitegate.dns");
        if (dns != null && dns.get("upstreams") != null) {
            for (String u : String.valueOf(dns.get("upstreams")).split(",")) {
                String t = u.strip();
                if (t.isEmpty()) {
                    continue;
                }
                try {
                    URI uri = URI.create(t.replaceFirst("#.*$", "").replaceFirst("\\?.*$", ""));
                    Proto proto = "udp".equals(uri.getScheme()) ? Proto.UDP : Proto.TCP;
                    int port = uri.getPort() > 0 ? uri.getPort() : "tls".equals(uri.getScheme()) ? 853 : 53;
                    add(out, unresolved, "the DNS upstream " + t, uri.getHost(), proto, port);
                } catch (IllegalArgumentException e) {
                    unresolved.add(t);
                }
            }
        }
        Configuration[] tunnels;
        try {
            tunnels = configAdmin.listConfigurations("(service.factoryPid=io.sitegate.tunnel)");
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
        if (tunnels != null) {
            for (Configuration c : tunnels) {
                Dictionary<String, Object> p = c.getProperties();
                if (p == null || p.get("endpoints") == null) {
                    continue;
                }
                boolean ipsec = !"openvpn".equals(String.valueOf(p.get("type")));
                int ovpnPort = 1194;
                Proto ovpnProto = "tcp".equals(String.valueOf(p.get("openvpn.protocol"))) ? Proto.TCP : Proto.UDP;
                for (String e : String.valueOf(p.get("endpoints")).split(",")) {
                    String[] parts = e.strip().split(":");
                    if (parts.length < 2) {
                        continue;
                    }
                    String host = parts[1];
                    String what = "the tunnel endpoint " + e.strip() + " (" + c.getPid() + ")";
                    if (ipsec) {
                        add(out, unresolved, what, host, Proto.UDP, 500);
                        add(out, unresolved, what, host, Proto.UDP, 4500);
                    } else {
                        add(out, unresolved, what, host, ovpnProto, parts.length > 2 ? Integer.parseInt(parts[2]) : ovpnPort);
                    }
                }
            }
        }
        return out;
    }

    private static void add(List<ProtectedEndpoint> out, List<String> unresolved, String what, String host, Proto proto, int port) {
        if (host == null || host.isEmpty()) {
            return;
        }
        try {
            for (InetAddress a : InetAddress.getAllByName(host)) {
                out.add(new ProtectedEndpoint(what, a, proto, port));
            }
        } catch (UnknownHostException e) {
            unresolved.add(host);
        }
    }

    private static Dictionary<String, Object> properties(ConfigurationAdmin configAdmin, String pid) throws IOException {
        try {
            Configuration[] c = configAdmin.listConfigurations("(service.pid=" + pid + ")");
            return c == null || c.length == 0 ? null : c[0].getProperties();
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    Cidr host() {
        return Cidr.parse(address.getHostAddress().replaceAll("%.*$", ""));
    }
}
