package io.sitegate.filter.internal;

import io.sitegate.filter.internal.FilterRule.Action;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * The filter benchmark's Java half (tools/bench/filter.sh runs it; not a test):
 * <ul>
 * <li>{@code render <dir> <rules> <entries> <lan> <wan>}: writes {@code sitegate.nft} (Sitegate's table for N random
 * CIDR rules of mixed lengths and ports, allow list, plus one allowed name whose timeout set is filled with M entries)
 * and, as the peer, {@code linear.nft}: the same rules as one linear chain of N rules (what an iptables-style
 * firewall does), and {@code entries.nft}: the M set entries;</li>
 * <li>{@code answer <namespace> <count>}: the time from a DNS answer to its set entry, as the filter does it on an
 * answer ({@link NftTable#addElements}, one nft transaction), p50/p99/max over N answers.</li>
 * </ul>
 */
public final class FilterBench {
    private FilterBench() {
    }

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "render" -> render(Path.of(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]), args[4], args[5]);
            case "answer" -> answer(args[1], Integer.parseInt(args[2]));
            case "mbps" -> mbps();
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    private static void render(Path dir, int n, int entries, String lan, String wan) throws Exception {
        Random r = new Random(7);
        List<FilterRule> rules = new ArrayList<>();
        StringBuilder linear = new StringBuilder("table inet sitegate {}\ndelete table inet sitegate\ntable inet sitegate {\n"
                + "  chain forward {\n    type filter hook forward priority filter; policy accept;\n    ct state established,related accept\n");
        int[] lengths = {16, 20, 24, 24, 24, 26, 28, 32};
        for (int i = 0; i < n; i++) {
            int len = lengths[r.nextInt(lengths.length)];
            // 10.0.0.0/8 .. 11.255.x: never the bench's own addresses (172.30/16 and 198.51.100/24)
            long base = (10L << 24) + (r.nextInt(1 << 25) & ~((1L << (32 - len)) - 1) & 0xffffffffL);
            String cidr = ((base >> 24) & 255) + "." + ((base >> 16) & 255) + "." + ((base >> 8) & 255) + "." + (base & 255) + "/" + len;
            String port = r.nextInt(4) == 0 ? " tcp/" + (1 + r.nextInt(1024)) : "";
            Action a = r.nextInt(5) == 0 ? Action.DENY : Action.ALLOW;
            rules.add(FilterRule.parse(a, cidr + port));
            linear.append("    iifname \"").append(lan).append("\" ip daddr ").append(cidr)
                    .append(port.isEmpty() ? "" : " tcp dport " + port.substring(5)).append(a == Action.DENY ? " drop\n" : " accept\n");
        }
        rules.add(FilterRule.parse(Action.ALLOW, "198.51.100.0/24"));
        rules.add(FilterRule.parse(Action.ALLOW, "api.example.test tcp/443"));
        linear.append("    iifname \"").append(lan).append("\" ip daddr 198.51.100.0/24 accept\n");
        linear.append("    iifname \"").append(lan).append("\" drop\n  }\n}\n");
        RuleSet set = new RuleSet(Action.DENY, rules);
        Files.writeString(dir.resolve("sitegate.nft"), NftRenderer.render(set, List.of(lan), List.of(wan), List.of(), List.of()));
        Files.writeString(dir.resolve("linear.nft"), linear.toString());
        StringBuilder e = new StringBuilder();
        for (int i = 0; i < entries; i += 1000) {
            e.append("add element inet sitegate fqdn_allow_v4_32_tcp_443 { ");
            for (int j = i; j < Math.min(entries, i + 1000); j++) {
                e.append(j == i ? "" : ", ").append("100.").append(64 + (j >> 16)).append('.').append((j >> 8) & 255).append('.')
                        .append(j & 255).append(" timeout 3600s");
            }
            e.append(" }\n");
        }
        Files.writeString(dir.resolve("entries.nft"), e.toString());
        System.out.println("rules " + rules.size() + ", sitegate chain rules " + set.groups(false).size() + ", linear chain rules " + (n + 2));
    }

    /** Reads iperf3's JSON on stdin: the receiver's bits per second, as Mbit/s. */
    private static void mbps() throws Exception {
        String json = new String(System.in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"sum_received\"\\s*:\\s*\\{[^}]*\"bits_per_second\"\\s*:\\s*([0-9.eE+]+)")
                .matcher(json);
        if (!m.find()) {
            throw new IllegalStateException("no sum_received in iperf3's output");
        }
        System.out.printf("%.0f%n", Double.parseDouble(m.group(1)) / 1e6);
    }

    private static void answer(String namespace, int count) throws Exception {
        NftTable t = new NftTable(namespace);
        long[] nanos = new long[count];
        for (int i = 0; i < count; i++) {
            InetAddress a = InetAddress.getByName("100.127." + (i >> 8 & 255) + "." + (i & 255));
            long start = System.nanoTime();
            t.addElements("fqdn_allow_v4_32_tcp_443", List.of(a), Duration.ofSeconds(300));
            nanos[i] = System.nanoTime() - start;
        }
        Arrays.sort(nanos);
        System.out.printf("answer-to-entry ms: p50 %.2f p99 %.2f max %.2f over %d answers%n", nanos[count / 2] / 1e6,
                nanos[(int) (count * 0.99)] / 1e6, nanos[count - 1] / 1e6, count);
    }
}
