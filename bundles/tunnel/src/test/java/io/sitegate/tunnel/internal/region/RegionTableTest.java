package io.sitegate.tunnel.internal.region;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The MCC zones of ITU-T E.212 (first digit) and the overrides a configuration or policy adds. */
class RegionTableTest {

    @Test
    void theFirstDigitNamesTheZone() {
        RegionTable t = RegionTable.shipped();

        assertThat(t.region("262")).contains("eu"); // Germany
        assertThat(t.region("208")).contains("eu"); // France
        assertThat(t.region("310")).contains("na"); // United States
        assertThat(t.region("440")).contains("asia"); // Japan
        assertThat(t.region("505")).contains("oceania"); // Australia
        assertThat(t.region("655")).contains("africa"); // South Africa
        assertThat(t.region("724")).contains("latam"); // Brazil
        assertThat(t.region("901")).isEmpty(); // international (satellite, maritime)
        assertThat(t.region("001")).isEmpty(); // test networks
        assertThat(t.regionOfOperator("26201")).contains("eu");
        assertThat(t.regionOfOperator("310410")).contains("na");
    }

    @Test
    void malformedCodesHaveNoRegion() {
        RegionTable t = RegionTable.shipped();
        for (String bad : new String[] {null, "", "26", "2620", "abc", "26 2", "２６２"}) {
            assertThat(t.region(bad)).as(String.valueOf(bad)).isEmpty();
        }
        assertThat(t.regionOfOperator("2620")).isEmpty();
        assertThat(t.regionOfOperator("2620123")).isEmpty();
    }

    @Test
    void overridesWinTheLongestFirst() {
        RegionTable t = new RegionTable(Map.of("290", "na", "4", "apac", "5", "apac", "425", "eu"));

        assertThat(t.region("290")).contains("na"); // Greenland, zone 2
        assertThat(t.region("262")).contains("eu");
        assertThat(t.region("460")).contains("apac");
        assertThat(t.region("505")).contains("apac");
        assertThat(t.region("425")).contains("eu");
    }

    @Test
    void badOverridesAreRefusedNamingTheKey() {
        assertThatThrownBy(() -> new RegionTable(Map.of("26x", "eu"))).hasMessageContaining("'26x'");
        assertThatThrownBy(() -> new RegionTable(Map.of("262", "EU West"))).hasMessageContaining("262 = 'EU West'");
    }
}
