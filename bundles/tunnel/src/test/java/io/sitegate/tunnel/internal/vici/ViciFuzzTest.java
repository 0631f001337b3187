package io.sitegate.tunnel.internal.vici;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Random mutations of valid packets and frames (layouts of strongSwan's
 * {@code src/libcharon/plugins/vici/README.md}, strongswan/strongswan at 3b902ea59b86): the decoder
 * returns a packet or throws {@link ViciProtocolException}, never anything else. A packet it accepts is
 * canonical: encoding it again gives back the very same bytes.
 */
class ViciFuzzTest {

    static final int ROUNDS = 30_000;

    static List<byte[]> seeds() throws ViciProtocolException {
        ViciSection sa = ViciSection.builder()
                .put("primary", ViciSection.builder()
                        .put("uniqueid", "1").put("state", "ESTABLISHED").put("remote-host", "192.0.2.1")
                        .put("child-sas", ViciSection.builder()
                                .put("net-1", ViciSection.builder()
                                        .putList("local-ts", List.of("10.0.0.0/24"))
                                        .putList("remote-ts", List.of("10.8.0.0/16", "10.9.0.0/16"))
                                        .put("bytes-in", "123456").build())
                                .build())
                        .build())
                .build();
        List<byte[]> seeds = new ArrayList<>();
        seeds.add(ViciCodec.encodePacket(ViciPacket.response(ViciReadmeExampleTest.readmeTree())));
        seeds.add(ViciCodec.encodePacket(ViciPacket.event("list-sa", sa)));
        seeds.add(ViciCodec.encodePacket(ViciPacket.request("load-shared", ViciSection.builder()
                .put("type", "IKE").put("data", new byte[] {0, 1, 2, (byte) 0xff}).putList("owners", List.of("gw", "cloud")).build())));
        seeds.add(ViciCodec.encodePacket(ViciPacket.register("ike-updown")));
        seeds.add(ViciCodec.encodePacket(ViciPacket.of(ViciPacketType.EVENT_CONFIRM, null, null)));
        seeds.add(ViciCodec.encodePacket(ViciPacket.response(ViciSection.builder().put("empty", ViciSection.EMPTY)
                .put("none", ViciList.EMPTY).put("blank", "").build())));
        return seeds;
    }

    @Test
    void mutatedPacketsDecodeOrFailCleanly() throws Exception {
        Random random = new Random(18);
        List<byte[]> seeds = seeds();
        int accepted = 0;
        int refused = 0;
        for (int round = 0; round < ROUNDS; round++) {
            byte[] input = mutate(seeds.get(random.nextInt(seeds.size())), random);
            try {
                ViciPacket packet = ViciCodec.decodePacket(input);
                accepted++;
                assertThat(ViciCodec.encodePacket(packet)).as("round %d re-encodes %s", round, Arrays.toString(input))
                        .containsExactly(input);
            } catch (ViciProtocolException e) {
                refused++;
                assertThat(e.getMessage()).isNotBlank();
            } catch (Throwable t) {
                fail("round " + round + ": " + Arrays.toString(input) + " threw " + t, t);
            }
        }
        assertThat(refused).isGreaterThan(ROUNDS / 2);
        assertThat(accepted).isGreaterThan(100);
    }

    @Test
    void mutatedFramesDecodeOrFailCleanly() throws Exception {
        Random random = new Random(1818);
        List<byte[]> frames = new ArrayList<>();
        for (byte[] packet : seeds()) {
            frames.add(ViciCodec.encodeFrame(ViciCodec.decodePacket(packet)));
        }
        for (int round = 0; round < ROUNDS; round++) {
            byte[] input = mutate(frames.get(random.nextInt(frames.size())), random);
            try {
                ViciCodec.decodeFrame(input);
            } catch (ViciProtocolException e) {
                assertThat(e.getMessage()).isNotBlank();
            } catch (Throwable t) {
                fail("round " + round + ": " + Arrays.toString(input) + " threw " + t, t);
            }
        }
    }

    /** One to three of: flip a byte, set it to an edge value, cut, drop a range, insert random bytes, repeat a range. */
    static byte[] mutate(byte[] seed, Random random) {
        byte[] b = seed.clone();
        int mutations = 1 + random.nextInt(3);
        for (int m = 0; m < mutations && b.length > 0; m++) {
            int at = random.nextInt(b.length);
            switch (random.nextInt(6)) {
                case 0 -> b[at] ^= (byte) (1 << random.nextInt(8));
                case 1 -> b[at] = (byte) new int[] {0, 1, 2, 6, 7, 8, 0x7f, 0x80, 0xff}[random.nextInt(9)];
                case 2 -> b = Arrays.copyOf(b, at);
                case 3 -> {
                    int len = Math.min(b.length - at, 1 + random.nextInt(8));
                    byte[] c = new byte[b.length - len];
                    System.arraycopy(b, 0, c, 0, at);
                    System.arraycopy(b, at + len, c, at, b.length - at - len);
                    b = c;
                }
                case 4 -> {
                    byte[] extra = new byte[1 + random.nextInt(8)];
                    random.nextBytes(extra);
                    b = splice(b, at, extra);
                }
                default -> {
                    int len = Math.min(b.length - at, 1 + random.nextInt(16));
                    b = splice(b, at, Arrays.copyOfRange(b, at, at + len));
                }
            }
        }
        return b;
    }

    static byte[] splice(byte[] b, int at, byte[] extra) {
        byte[] c = new byte[b.length + extra.length];
        System.arraycopy(b, 0, c, 0, at);
        System.arraycopy(extra, 0, c, at, extra.length);
        System.arraycopy(b, at, c, at + extra.length, b.length - at);
        return c;
    }
}
